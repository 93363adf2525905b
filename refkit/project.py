"""A project's refkit settings: the `[tool.refkit]` table of the nearest
pyproject.toml (from the working folder up), as ruff and black read theirs.

Keys that name refkit settings (mailto, crossref-url, cache-dir, …) sit
between the user's config file and the environment; keys that name command
options (ignore, select, fail-on, keys, provenance …) become those options'
defaults, for every command or, under `[tool.refkit.check]` and the like, for
one; `[tool.refkit.per-entry-ignores]` maps a citation key or a DOI to the
codes accepted for that entry.
"""

from __future__ import annotations

import sys
from functools import lru_cache
from pathlib import Path
from typing import Any

from refkit.errors import RefkitError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

PER_ENTRY = "per-entry-ignores"


def nearest_pyproject(start: Path | None = None) -> Path | None:
    """The closest pyproject.toml with a [tool.refkit] table, from `start` (the working folder) up."""
    folder = (start or Path.cwd()).resolve()
    for candidate in (folder, *folder.parents):
        path = candidate / "pyproject.toml"
        if path.is_file() and "refkit" in _tool_tables(path):
            return path
    return None


def project_table(start: Path | None = None) -> dict[str, Any]:
    """The [tool.refkit] table that applies here (empty when none does)."""
    path = nearest_pyproject(start)
    return _tool_tables(path).get("refkit", {}) if path else {}


@lru_cache(maxsize=8)
def _tool_tables(path: Path) -> dict[str, Any]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise RefkitError(f"{path}: cannot read [tool.refkit]: {exc}") from None
    tool = data.get("tool", {})
    return tool if isinstance(tool, dict) else {}


def command_defaults(table: dict[str, Any], commands: list[str], settings: set[str]) -> dict[str, dict[str, Any]]:
    """click's default_map: the table's option keys for every command, its
    [tool.refkit.COMMAND] table's for that command (settings keys left out)."""
    shared = {_name(k): v for k, v in table.items() if not isinstance(v, dict) and _name(k) not in settings}
    return {command: {**shared, **{_name(k): v for k, v in (table.get(command) or {}).items()}}
            for command in commands}


def per_entry_ignores(table: dict[str, Any]) -> dict[str, list[str]]:
    """Citation key or DOI (lower case) -> the codes accepted for that entry."""
    found = table.get(PER_ENTRY) or {}
    return {str(k).lower(): [str(c) for c in (v if isinstance(v, list) else [v])] for k, v in found.items()}


def _name(key: str) -> str:
    return key.replace("-", "_")
