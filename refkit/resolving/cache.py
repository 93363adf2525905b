"""A persistent SQLite cache of Crossref answers, so re-runs ask nothing twice.

It keeps three kinds of answers: work records by normalised DOI (including
the negative answer "not found"), registration agencies by DOI, and search
results by normalised query. Each answer remembers when it was fetched and
is fresh for `ttl_days`; stale answers are still served in offline mode.
One connection in WAL mode behind a lock: safe for the client's threads and
for two refkit processes sharing the file.

The cache only ever saves work: a row that does not decode into the shape
its kind holds is a miss (and is replaced when asked again), and when the
file cannot be read or written (another process holding it locked past the
busy timeout, a full disk) the run goes on without it after one warning.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, TypeVar

from refkit.doi import normalize
from refkit.errors import RefkitError
from refkit.model import squash
from refkit.resolving.shared_sqlite import open_shared

_SCHEMA = """
PRAGMA synchronous=NORMAL;
CREATE TABLE IF NOT EXISTS answers (
    kind    TEXT NOT NULL,  -- 'work', 'agency' or 'search'
    key     TEXT NOT NULL,  -- normalised DOI, or normalised search key
    value   TEXT,           -- JSON; NULL means Crossref answered "not found"
    fetched REAL NOT NULL,  -- seconds since the epoch
    PRIMARY KEY (kind, key)
);
"""
WORK, AGENCY, SEARCH = "work", "agency", "search"
_DAY = 86400.0
_CHUNK = 500  # keys per query: well under SQLite's limit on bound parameters
BUSY_TIMEOUT = 30.0  # seconds to wait for another process's lock before going on without the cache
log = logging.getLogger(__name__)
T = TypeVar("T")


@dataclass(frozen=True)
class Hit:
    """A cached answer: `value` is None for "not found"; `fetched` is epoch seconds."""

    value: Any
    fetched: float
    fresh: bool


def search_key(query: str, rows: int, filters: dict[str, Any] | None = None) -> str:
    """The cache key of a search: query case-folded and white space squashed, plus rows and filters."""
    filter_text = json.dumps(filters or {}, sort_keys=True, default=str)
    return f"{squash(query).casefold()}\x1f{rows}\x1f{filter_text}"


class Cache:
    """Crossref answers on disk (`path`, created with its folder when missing)."""

    def __init__(self, path: str | Path, ttl_days: float = 30.0, *,
                 busy_timeout: float = BUSY_TIMEOUT) -> None:
        self.path = Path(path)
        self.ttl = ttl_days * _DAY
        self._lock = threading.Lock()
        self._broken: str | None = None  # why the file is no longer used in this run
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = open_shared(self.path, _SCHEMA, busy_timeout)
        except (OSError, sqlite3.Error) as exc:
            raise RefkitError(f"{self.path}: cannot open the Crossref cache ({exc}); "
                              "choose another folder with --cache-dir") from None

    # -- works by DOI ------------------------------------------------------
    def get_work(self, doi: str) -> Hit | None:
        """The cached record (or "not found") for `doi`; None when never asked."""
        return self.get(WORK, normalize(doi))

    def put_works(self, answers: dict[str, dict[str, Any] | None]) -> None:
        """Store records (None = "not found") under their normalised DOIs."""
        self._put(WORK, ((normalize(doi), record) for doi, record in answers.items()))

    # -- registration agencies ----------------------------------------------
    def get_agency(self, doi: str) -> Hit | None:
        """The cached agency id (or None: registered nowhere) for `doi`."""
        return self.get(AGENCY, normalize(doi))

    def put_agency(self, doi: str, agency: str | None) -> None:
        self._put(AGENCY, [(normalize(doi), agency)])

    # -- searches ----------------------------------------------------------
    def get_search(self, key: str) -> Hit | None:
        """The cached list of records answering the search `key` (see search_key)."""
        return self.get(SEARCH, key)

    def put_search(self, key: str, records: list[dict[str, Any]]) -> None:
        self._put(SEARCH, [(key, records)])

    # -- plumbing ----------------------------------------------------------
    def count(self, kind: str | None = None) -> int:
        """How many answers are stored (of one kind, or all)."""
        sql, args = "SELECT COUNT(*) FROM answers", ()
        if kind:
            sql, args = sql + " WHERE kind = ?", (kind,)
        rows = self._run(lambda db: db.execute(sql, args).fetchall())
        return int(rows[0][0]) if rows else 0

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def __enter__(self) -> "Cache":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def get(self, kind: str, key: str) -> Hit | None:
        """The cached answer of `kind` (WORK, AGENCY, SEARCH) under an already
        normalised key; None when never asked, unreadable, or of the wrong shape."""
        return self.get_many(kind, [key]).get(key)

    def get_many(self, kind: str, keys: Iterable[str]) -> dict[str, Hit]:
        """The usable cached answers of `kind` under `keys` (already normalised),
        read in a few queries rather than one per key; keys without one are absent."""
        wanted = list(dict.fromkeys(keys))
        rows: list[tuple[str, str | None, float]] = []
        for start in range(0, len(wanted), _CHUNK):
            part = wanted[start:start + _CHUNK]
            sql = (f"SELECT key, value, fetched FROM answers WHERE kind = ? "
                   f"AND key IN ({','.join('?' * len(part))})")
            found = self._run(lambda db: db.execute(sql, (kind, *part)).fetchall())
            if found is None:
                return {}
            rows += found
        now = time.time()
        hits = {}
        for key, text, fetched in rows:
            try:
                value = None if text is None else json.loads(text)
            except (ValueError, RecursionError):
                continue
            if _SHAPES[kind](value) and isinstance(fetched, (int, float)):
                hits[key] = Hit(value, fetched, fresh=now - fetched < self.ttl)
        return hits

    def _put(self, kind: str, pairs: Iterable[tuple[str, Any]]) -> None:
        now = time.time()
        rows = [(kind, key, None if value is None else json.dumps(value, ensure_ascii=False), now)
                for key, value in pairs]

        def write(db: sqlite3.Connection) -> None:
            with db:
                db.executemany(
                    "INSERT OR REPLACE INTO answers (kind, key, value, fetched) VALUES (?, ?, ?, ?)", rows)

        self._run(write)

    def _run(self, work: Callable[[sqlite3.Connection], T]) -> T | None:
        """`work` on the database, or None once the file has failed in this run
        (said once, on stderr: the run goes on, only without the cache)."""
        with self._lock:
            if self._broken:
                return None
            try:
                return work(self._db)
            except sqlite3.Error as exc:
                self._broken = str(exc)
        log.warning("refkit: warning: %s: the Crossref cache failed (%s); going on without it "
                    "(answers of this run are not saved)", self.path, self._broken)
        return None


def _is_record(value: Any) -> bool:
    return isinstance(value, dict) and isinstance(value.get("DOI"), str)


# What a cached value of each kind must be for the client to use it.
_SHAPES: dict[str, Callable[[Any], bool]] = {
    WORK: lambda value: value is None or _is_record(value),
    AGENCY: lambda value: value is None or (isinstance(value, str) and bool(value)),
    SEARCH: lambda value: isinstance(value, list) and all(_is_record(v) for v in value),
}
