"""Where refkit finds a Zotero API key and library: command line, then
environment (REFKIT_ZOTERO_*), then the [zotero] table of refkit's TOML
config file (the one `refkit.settings` reads for Crossref).

The key is held in `ApiKey`, whose repr and str never show it, so it cannot
leak into output, logs or exception messages by accident.
"""

from __future__ import annotations

import os
import stat
import warnings
from dataclasses import dataclass
from pathlib import Path

from refkit.errors import RefkitError
from refkit.settings import CONFIG_ENV, default_config_path, tomllib

WEB_API_URL = "https://api.zotero.org"
LOCAL_URL = "http://127.0.0.1:23119"
ENV_PREFIX = "REFKIT_ZOTERO_"
FIELDS = ("api_key", "user_id", "group_id", "api_url", "local_url")


class ApiKey:
    """A Zotero API key that refuses to be printed."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value.strip()

    def reveal(self) -> str:
        """The key itself: only for the request header."""
        return self._value

    def scrub(self, text: str) -> str:
        """`text` with every occurrence of the key masked."""
        return text.replace(self._value, "********") if self._value else text

    def __repr__(self) -> str:
        return "ApiKey(********)"

    __str__ = __repr__


@dataclass(frozen=True)
class Library:
    """A Zotero library: a user's (`users`) or a group's (`groups`) by id."""

    kind: str
    id: str

    @property
    def prefix(self) -> str:
        return f"/{self.kind}/{self.id}"

    def __str__(self) -> str:
        return f"zotero:{self.kind}/{self.id}"


@dataclass
class ZoteroConfig:
    """Everything needed to talk to Zotero; any part may be missing."""

    api_key: ApiKey | None = None
    user_id: str = ""
    group_id: str = ""
    api_url: str = WEB_API_URL
    local_url: str = LOCAL_URL

    @classmethod
    def load(cls, **overrides: str | None) -> "ZoteroConfig":
        """Command-line values (`overrides`) > REFKIT_ZOTERO_* > config file > defaults."""
        values = {name: "" for name in FIELDS}
        values.update({k: v for k, v in _read_file(config_path()).items() if k in FIELDS and v})
        for name in FIELDS:
            env = os.environ.get(ENV_PREFIX + name.upper())
            if env:
                values[name] = env
        values.update({k: v for k, v in overrides.items() if k in FIELDS and v})
        key = values.pop("api_key").strip()
        return cls(api_key=ApiKey(key) if key else None,
                   user_id=values["user_id"], group_id=values["group_id"],
                   api_url=(values["api_url"] or WEB_API_URL).rstrip("/"),
                   local_url=(values["local_url"] or LOCAL_URL).rstrip("/"))

    def library(self, user_id: str = "") -> Library:
        """The group library when a group id is set, else the user's."""
        if self.group_id:
            return Library("groups", self.group_id)
        user = self.user_id or user_id
        if not user:
            raise RefkitError("no Zotero user id: set REFKIT_ZOTERO_USER_ID or pass --user "
                              "(shown at https://www.zotero.org/settings/keys)")
        return Library("users", user)


def config_path() -> Path:
    """refkit's config file: $REFKIT_CONFIG or config.toml in the user config folder."""
    env = os.environ.get(CONFIG_ENV)
    return Path(env) if env else default_config_path()


def _read_file(path: Path) -> dict[str, str]:
    """The [zotero] table of `path` (empty when the file does not exist)."""
    if not path.is_file():
        return {}
    try:
        table = tomllib.loads(path.read_text(encoding="utf-8")).get("zotero", {})
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise RefkitError(f"{path}: cannot read the config file: {exc}") from None
    values = {k.replace("-", "_"): str(v) for k, v in table.items()}
    if values.get("api_key") and os.name == "posix" and path.stat().st_mode & (stat.S_IRGRP | stat.S_IROTH):
        warnings.warn(f"{path} holds a Zotero API key and is readable by others: chmod 600 it",
                      stacklevel=2)
    return values
