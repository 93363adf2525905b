"""How refkit talks to Crossref: contact address, token, endpoint, cache, limits.

Every value comes from the first place that sets it: command-line options,
then REFKIT_* environment variables, then the `[tool.refkit]` table of the
nearest pyproject.toml (the project's), then the TOML config file in the
user's config folder (platformdirs), then the defaults below. The Metadata
Plus token is a secret: it never appears in repr(), logs or error messages.
Every URL must be an http(s) URL; anything else is refused at once.
"""

from __future__ import annotations

import hashlib
import math
import os
import re
import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any, Mapping

import platformdirs

from refkit.errors import RefkitError

APP_NAME = "refkit"
DEFAULT_CROSSREF_URL = "https://api.crossref.org"
CACHE_FILE = "crossref.sqlite"
# the other registries' public APIs (each behind its own setting)
DEFAULT_URLS = {
    "datacite_url": "https://api.datacite.org",
    "pubmed_url": "https://eutils.ncbi.nlm.nih.gov/entrez/eutils",
    "pmc_idconv_url": "https://pmc.ncbi.nlm.nih.gov/tools/idconv/api/v1/articles",
    "arxiv_url": "https://export.arxiv.org/api",
    "isbn_url": "https://openlibrary.org",
}
MAX_DOI_LENGTH = 300  # longer printed DOIs are not valid (refkit.doi) and get no guessed corrections

# environment variable -> Settings field it sets
ENV_VARS: dict[str, str] = {
    "REFKIT_MAILTO": "mailto",
    "REFKIT_CROSSREF_URL": "crossref_url",
    "REFKIT_CROSSREF_TOKEN": "plus_token",
    "REFKIT_CACHE_DIR": "cache_dir",
    "REFKIT_OFFLINE": "offline",
    "REFKIT_DATACITE_URL": "datacite_url",
    "REFKIT_PUBMED_URL": "pubmed_url",
    "REFKIT_PMC_IDCONV_URL": "pmc_idconv_url",
    "REFKIT_ARXIV_URL": "arxiv_url",
    "REFKIT_ISBN_URL": "isbn_url",
    # limits on the work one run may do (README, "Limits on asking Crossref")
    "REFKIT_TIMEOUT": "timeout",
    "REFKIT_DEADLINE": "deadline",
    "REFKIT_MAX_RESPONSE_MB": "max_response_mb",
    "REFKIT_MAX_RETRIES": "max_retries",
    "REFKIT_BACKOFF": "backoff",
    "REFKIT_OUTAGE_BUDGET": "outage_budget",
    "REFKIT_MAX_DOI_LENGTH": "max_doi_length",
    "REFKIT_SOURCE": "source",
}
# Limits that must be positive numbers (max_retries may be 0).
_POSITIVE = {"timeout", "deadline", "max_response_mb", "backoff", "outage_budget",
             "max_doi_length", "concurrency"}
CONFIG_ENV = "REFKIT_CONFIG"  # points at another config file (tests, CI)
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def default_config_path() -> Path:
    """The config file refkit reads when REFKIT_CONFIG does not name one."""
    return Path(platformdirs.user_config_dir(APP_NAME)) / "config.toml"


def default_cache_path() -> Path:
    """Where the Crossref cache lives unless told otherwise."""
    return Path(platformdirs.user_cache_dir(APP_NAME)) / CACHE_FILE


@dataclass(frozen=True)
class Settings:
    """Everything the Crossref client and its cache need to know.

    `ttl_days` is how long a cached answer stays fresh; `concurrency` caps the
    requests in flight (Crossref's advertised limit may lower it further).
    The limits bound what one run may cost: `timeout` seconds of silence per
    read, `deadline` seconds per whole request, `max_response_mb` per answer,
    `max_retries` retries of one request (from `backoff` seconds, doubling),
    `outage_budget` seconds of waiting for Crossref to come back before the
    rest is reported unverified, and corrections guessed only for printed
    DOIs of at most `max_doi_length` characters. `source` says who
    answers: "api" (Crossref's REST API), a snapshot index file, or "INDEX,api".
    """

    mailto: str | None = None
    plus_token: str | None = field(default=None, repr=False)
    crossref_url: str = DEFAULT_CROSSREF_URL
    datacite_url: str = DEFAULT_URLS["datacite_url"]
    pubmed_url: str = DEFAULT_URLS["pubmed_url"]
    pmc_idconv_url: str = DEFAULT_URLS["pmc_idconv_url"]
    arxiv_url: str = DEFAULT_URLS["arxiv_url"]
    isbn_url: str = DEFAULT_URLS["isbn_url"]
    cache_path: Path = field(default_factory=default_cache_path)
    offline: bool = False
    refresh: bool = False
    ttl_days: float = 30.0
    concurrency: int = 3
    timeout: float = 10.0
    deadline: float = 30.0
    max_response_mb: float = 32.0
    max_retries: int = 4
    backoff: float = 0.5
    outage_budget: float = 60.0
    max_doi_length: int = MAX_DOI_LENGTH
    contact_warning: bool = True  # say once per machine that no contact address is set
    source: str = "api"

    def __repr__(self) -> str:
        token = "'***'" if self.plus_token else "None"
        shown = ", ".join(
            f"{f.name}={getattr(self, f.name)!r}" for f in fields(self) if f.name != "plus_token"
        )
        return f"Settings({shown}, plus_token={token})"

    __str__ = __repr__

    @property
    def service_cache_path(self) -> Path:
        """The cache file for this Crossref URL: answers from a mirror or a
        test stub never mix with (or pass for) answers from Crossref itself."""
        return self.cache_file(self.cache_path.stem, self.crossref_url, DEFAULT_CROSSREF_URL)

    def cache_file(self, service: str, url: str, default_url: str) -> Path:
        """The cache file of another registry (`service`, e.g. "datacite") at
        `url`, beside Crossref's; a non-default URL gets a file of its own."""
        path = self.cache_path.with_name(f"{service}{self.cache_path.suffix}")
        url = url.rstrip("/")
        if url == default_url.rstrip("/"):
            return path
        tag = hashlib.sha1(url.encode("utf-8")).hexdigest()[:10]
        return path.with_name(f"{service}-{tag}{path.suffix}")

    @classmethod
    def load(cls, config_path: str | Path | None = None,
             env: Mapping[str, str] | None = None, **overrides: Any) -> "Settings":
        """Settings from overrides (CLI) > environment > config file > defaults.

        Overrides whose value is None are ignored, so unset click options fall
        through. `cache_dir` is accepted anywhere as a folder for the cache file.
        """
        env = os.environ if env is None else env
        path = Path(config_path or env.get(CONFIG_ENV) or default_config_path())
        layers = [(str(path), _read_config(path)), ("[tool.refkit]", _from_project()),
                  ("environment", _from_env(env)),
                  ("options", {k: v for k, v in overrides.items() if v is not None})]
        settings = cls()
        for source, values in layers:
            settings = _apply(settings, values, source)
        return settings


SETTING_NAMES = {f.name for f in fields(Settings)} | {"cache_dir"}


def _from_project() -> dict[str, Any]:
    """The settings keys of the nearest pyproject.toml's [tool.refkit] table."""
    from refkit.project import project_table

    table = {k.replace("-", "_"): v for k, v in project_table().items()}
    return {k: v for k, v in table.items() if k in SETTING_NAMES and not isinstance(v, dict)}


def _from_env(env: Mapping[str, str]) -> dict[str, Any]:
    """The settings the REFKIT_* environment variables give (empty ones ignored)."""
    return {name: env[var] for var, name in ENV_VARS.items() if env.get(var, "").strip()}


def _read_config(path: Path) -> dict[str, Any]:
    """The [crossref] table (or top-level keys) of the TOML config file, if any."""
    if not path.is_file():
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise RefkitError(f"{path}: cannot read the config file: {exc}") from None
    table = data.get("crossref", data)
    return {k.replace("-", "_"): v for k, v in table.items() if not isinstance(v, dict)}


def _apply(settings: Settings, values: Mapping[str, Any], source: str) -> Settings:
    """`settings` with `values` (strings from env/TOML, or typed values) applied."""
    changes: dict[str, Any] = {}
    types = {f.name: f.type for f in fields(Settings)}
    for name, value in values.items():
        if name == "cache_dir":
            changes["cache_path"] = Path(value).expanduser() / CACHE_FILE
        elif name == "cache_path":
            changes["cache_path"] = Path(value).expanduser()
        elif name.endswith("_url"):
            changes[name] = _checked_url(name, value, source)
        elif name in types:
            changes[name] = _coerce(name, value, types[name], source)
        else:
            raise RefkitError(f"{source}: unknown setting {name!r}")
    return replace(settings, **changes)


def _checked_url(name: str, value: Any, source: str) -> str:
    """`value` when it is an http(s) URL with a host; a usage error saying so otherwise."""
    text = str(value).strip()
    if not re.fullmatch(r"https?://[^/\s?#]+(?:/[^\s]*)?", text):
        option = "--" + name.replace("_", "-") if source == "options" else f"{name} ({source})"
        raise RefkitError(f"{option} {text!r} is not an http(s) URL; give it whole, "
                          f"e.g. {DEFAULT_URLS.get(name, DEFAULT_CROSSREF_URL)}")
    return text


def _coerce(name: str, value: Any, type_name: Any, source: str) -> Any:
    """Turn a config or environment value into the field's type, or say which is wrong."""
    kind = str(type_name)
    try:
        if kind == "bool":
            return _to_bool(value)
        if kind in ("int", "float"):
            number = int(value) if kind == "int" else float(value)
            if not math.isfinite(number) or number < 0 or (number == 0 and name in _POSITIVE):
                raise ValueError(value)
            return number
        return str(value).strip() or None
    except (TypeError, ValueError, OverflowError):
        raise RefkitError(f"{source}: setting {name!r} has a bad value") from None


def _to_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueError(value)
