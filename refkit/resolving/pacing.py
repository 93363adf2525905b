"""Pacing and concurrency limits that follow what Crossref advertises.

Crossref states its limits on every response: `x-rate-limit-limit` requests
per `x-rate-limit-interval` (e.g. "1s"), and `x-concurrency-limit` requests
in flight. Since 1 December 2025 the polite pool allows about 10 single-record
requests and 3 list requests per second with 3 in flight (the public pool,
without a contact address, 5 and 1 with 1 in flight), so single lookups and
list queries are paced separately. A `Pacer` keeps request starts within the
limit and can be paused (after a 429 with Retry-After); a `Gate` caps
requests in flight and can be narrowed while running.

Both keep their books in a ledger: `LocalLedger` for one process, or
`SharedLedger`, a small SQLite file beside the cache, so that every refkit
process using that cache stays within the limits together (two `build`s at
once share Crossref's allowance instead of each taking all of it).
"""

from __future__ import annotations

import logging
import re
import sqlite3
import threading
import time
import uuid
from collections import defaultdict
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Callable, Mapping, Protocol, TypeVar

from refkit.resolving.shared_sqlite import open_shared

log = logging.getLogger(__name__)
T = TypeVar("T")

# (requests, per seconds) and requests in flight assumed until Crossref says
# otherwise, per pool, as announced for 1 December 2025.
POLITE_LIMITS = {"single": (10, 1.0), "list": (3, 1.0)}
PUBLIC_LIMITS = {"single": (5, 1.0), "list": (1, 1.0)}
POLITE_CONCURRENCY, PUBLIC_CONCURRENCY = 3, 1
# Pace a little under the advertised window: a start is counted when the
# request's headers are written (see Pacer.sent), so what remains is the
# network's jitter and the server's own delays.
_MARGIN, _SLACK = 1.02, 0.03


class Ledger(Protocol):
    """Where request starts, pauses and requests in flight are counted."""

    def start(self, kind: str, limit: int, window: float) -> tuple[float, object]:
        """Count a start of `kind` now when fewer than `limit` began in the last
        `window` seconds and no pause holds: (0, a token naming it); else
        (the seconds to wait first, None)."""

    def restart(self, token: object) -> None:
        """Move the start `token` names to now (the request left later than it began)."""

    def pause(self, kind: str, seconds: float) -> None:
        """Let no request of `kind` start for `seconds` from now."""

    def lease(self, limit: int, ttl: float) -> str | None:
        """A token for one request in flight, unless `limit` are already; lapses after `ttl` s."""

    def release(self, token: str) -> None:
        """Return a token from `lease`."""


class LocalLedger:
    """The books of one process, in memory."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._starts: dict[str, list[list[float]]] = defaultdict(list)  # [time] cells, movable
        self._paused: dict[str, float] = defaultdict(float)
        self._leases: set[str] = set()

    def start(self, kind: str, limit: int, window: float) -> tuple[float, object]:
        with self._lock:
            now = time.monotonic()
            starts = self._starts[kind] = [cell for cell in self._starts[kind] if cell[0] > now - window]
            ready_at = self._paused[kind]
            if len(starts) >= limit:
                ready_at = max(ready_at, sorted(cell[0] for cell in starts)[-limit] + window)
            if ready_at <= now:
                cell = [now]
                starts.append(cell)
                return 0.0, cell
            return ready_at - now, None

    def restart(self, token: object) -> None:
        with self._lock:
            token[0] = time.monotonic()  # type: ignore[index]

    def pause(self, kind: str, seconds: float) -> None:
        with self._lock:
            self._paused[kind] = max(self._paused[kind], time.monotonic() + seconds)

    def lease(self, limit: int, ttl: float) -> str | None:
        with self._lock:
            if len(self._leases) >= limit:
                return None
            token = uuid.uuid4().hex
            self._leases.add(token)
            return token

    def release(self, token: str) -> None:
        with self._lock:
            self._leases.discard(token)


_LEDGER_SCHEMA = """
CREATE TABLE IF NOT EXISTS starts (kind TEXT NOT NULL, at REAL NOT NULL);
CREATE INDEX IF NOT EXISTS starts_by_kind ON starts (kind, at);
CREATE TABLE IF NOT EXISTS pauses (kind TEXT PRIMARY KEY, until REAL NOT NULL);
CREATE TABLE IF NOT EXISTS leases (token TEXT PRIMARY KEY, until REAL NOT NULL);
"""


class SharedLedger:
    """The books of every process using one cache, in a SQLite file (`path`).

    Times are wall-clock seconds, the one clock processes share. A lease
    lapses after its `ttl`, so a killed process cannot hold a slot for long.
    Should the file fail (locked, unwritable), this process falls back to
    its own books with a warning: pacing never stops a run.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        self._local = LocalLedger()
        self._db: sqlite3.Connection | None = None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = open_shared(self.path, _LEDGER_SCHEMA, timeout=5, isolation_level=None)
        except (OSError, sqlite3.Error) as exc:
            self._fall_back(exc)

    def start(self, kind: str, limit: int, window: float) -> tuple[float, object]:
        def book(db: sqlite3.Connection, now: float) -> tuple[float, object]:
            db.execute("DELETE FROM starts WHERE kind = ? AND at <= ?", (kind, now - window))
            row = db.execute("SELECT until FROM pauses WHERE kind = ?", (kind,)).fetchone()
            ready_at = row[0] if row else 0.0
            recent = db.execute("SELECT at FROM starts WHERE kind = ? ORDER BY at DESC LIMIT 1 OFFSET ?",
                                (kind, limit - 1)).fetchone()
            if recent:
                ready_at = max(ready_at, recent[0] + window)
            if ready_at <= now:
                return 0.0, db.execute("INSERT INTO starts (kind, at) VALUES (?, ?)", (kind, now)).lastrowid
            return ready_at - now, None

        return self._booked(book, lambda: self._local.start(kind, limit, window))

    def restart(self, token: object) -> None:
        if isinstance(token, list):  # a start booked in this process's own books
            self._local.restart(token)
            return
        self._booked(lambda db, now: db.execute("UPDATE starts SET at = ? WHERE rowid = ?", (now, token)),
                     lambda: None)

    def pause(self, kind: str, seconds: float) -> None:
        def book(db: sqlite3.Connection, now: float) -> None:
            db.execute("INSERT INTO pauses (kind, until) VALUES (?, ?) ON CONFLICT (kind) "
                       "DO UPDATE SET until = max(until, excluded.until)", (kind, now + seconds))

        self._booked(book, lambda: self._local.pause(kind, seconds))

    def lease(self, limit: int, ttl: float) -> str | None:
        def book(db: sqlite3.Connection, now: float) -> str | None:
            db.execute("DELETE FROM leases WHERE until <= ?", (now,))
            if db.execute("SELECT COUNT(*) FROM leases").fetchone()[0] >= limit:
                return None
            token = uuid.uuid4().hex
            db.execute("INSERT INTO leases (token, until) VALUES (?, ?)", (token, now + ttl))
            return token

        return self._booked(book, lambda: self._local.lease(limit, ttl))

    def release(self, token: str) -> None:
        self._booked(lambda db, now: db.execute("DELETE FROM leases WHERE token = ?", (token,)),
                     lambda: self._local.release(token))

    def close(self) -> None:
        with self._lock:
            if self._db is not None:
                self._db.close()
                self._db = None

    def _booked(self, book: Callable[[sqlite3.Connection, float], T], fallback: Callable[[], T]) -> T:
        """Run `book(db, now)` in one write transaction, or `fallback()` without the file."""
        with self._lock:
            db = self._db
            if db is not None:
                try:
                    db.execute("BEGIN IMMEDIATE")
                    try:
                        result = book(db, time.time())
                    except BaseException:
                        db.execute("ROLLBACK")
                        raise
                    db.execute("COMMIT")
                    return result
                except sqlite3.Error as exc:
                    self._fall_back(exc)
        return fallback()

    def _fall_back(self, exc: Exception) -> None:
        log.warning("refkit: warning: %s: cannot share Crossref's rate limits with other refkit "
                    "processes (%s); pacing this process alone", self.path, exc)
        if self._db is not None:
            try:
                self._db.close()
            except sqlite3.Error:
                pass
        self._db = None


class Pacer:
    """At most `limit` request starts of `kind` in any `interval` seconds; thread-safe.

    A sliding window, like the limit Crossref counts: a short job may start
    its first `limit` requests at once, a long one settles at the rate. The
    window is kept a little longer than advertised, since requests reach the
    server with varying delays and Crossref counts arrivals, not departures.
    """

    def __init__(self, limit: int, interval: float = 1.0, *, kind: str = "any",
                 ledger: Ledger | None = None) -> None:
        self.kind = kind
        self._ledger = ledger or LocalLedger()
        self.set_limit(limit, interval)

    def set_limit(self, limit: int, interval: float) -> None:
        """Follow a newly advertised limit (`limit` requests per `interval` seconds)."""
        self.limit, self.interval = max(1, limit), interval
        self._window = interval * _MARGIN + _SLACK

    def pause(self, seconds: float) -> None:
        """Let no request start for `seconds` from now (a 429's Retry-After)."""
        self._ledger.pause(self.kind, seconds)

    def wait(self) -> object:
        """Block until a request may start, and count it as started; returns
        the start's token for `sent`."""
        while True:
            delay, token = self._ledger.start(self.kind, self.limit, self._window)
            if not delay:
                return token
            time.sleep(delay)

    def sent(self, token: object) -> None:
        """The request of start `token` leaves now: count it from now (threads
        and a busy machine can delay it after `wait` let it start)."""
        self._ledger.restart(token)


class Gate:
    """At most `limit` requests in flight (in this process, or in all sharing
    the ledger); the limit can be lowered or raised later. `ttl` bounds how
    long one request may hold its slot."""

    _POLL = 0.02  # seconds between looks at a shared ledger while it is full

    def __init__(self, limit: int, *, ledger: Ledger | None = None, ttl: float = 60.0) -> None:
        self._cond = threading.Condition()
        self._ledger = ledger or LocalLedger()
        self._limit = max(1, limit)
        self._ttl = ttl
        self._held = threading.local()

    @property
    def limit(self) -> int:
        return self._limit

    def set_limit(self, limit: int) -> None:
        with self._cond:
            self._limit = max(1, limit)
            self._cond.notify_all()

    def __enter__(self) -> "Gate":
        with self._cond:
            while (token := self._ledger.lease(self._limit, self._ttl)) is None:
                self._cond.wait(self._POLL)
        self._held.token = token
        return self

    def __exit__(self, *exc: object) -> None:
        self._ledger.release(self._held.token)
        with self._cond:
            self._cond.notify()


def advertised_limit(headers: Mapping[str, str]) -> tuple[int, float] | None:
    """(requests, per seconds) from x-rate-limit-limit / x-rate-limit-interval, if given."""
    limit = (headers.get("x-rate-limit-limit") or "").strip()
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*", headers.get("x-rate-limit-interval") or "")
    if not limit.isdigit() or int(limit) <= 0 or not match:
        return None
    seconds = float(match.group(1)) * {"ms": 0.001, "s": 1, "m": 60, "h": 3600}[match.group(2) or "s"]
    return (int(limit), seconds) if seconds > 0 else None


def advertised_concurrency(headers: Mapping[str, str]) -> int | None:
    """Requests allowed in flight from x-concurrency-limit, if given."""
    value = (headers.get("x-concurrency-limit") or "").strip()
    return int(value) if value.isdigit() and int(value) > 0 else None


def retry_after(headers: Mapping[str, str]) -> float | None:
    """Seconds a Retry-After header asks to wait (delta-seconds form or HTTP date)."""
    value = (headers.get("retry-after") or "").strip()
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())
