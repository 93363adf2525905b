"""Pacing and concurrency limits that follow what Crossref advertises.

Crossref states its limits on every response: `x-rate-limit-limit` requests
per `x-rate-limit-interval` (e.g. "1s"), and `x-concurrency-limit` requests
in flight. Since 1 December 2025 the polite pool allows about 10 single-record
requests and 3 list requests per second with 3 in flight (the public pool,
without a contact address, 5 and 1 with 1 in flight), so single lookups and list queries are paced separately. A `Pacer`
keeps request starts within the limit and can be paused (after a 429 with
Retry-After); a `Gate` caps requests in flight and can be narrowed while running.
"""

from __future__ import annotations

import re
import threading
import time
from collections import deque
from email.utils import parsedate_to_datetime
from typing import Mapping

# (requests, per seconds) and requests in flight assumed until Crossref says
# otherwise, per pool, as announced for 1 December 2025.
POLITE_LIMITS = {"single": (10, 1.0), "list": (3, 1.0)}
PUBLIC_LIMITS = {"single": (5, 1.0), "list": (1, 1.0)}
POLITE_CONCURRENCY, PUBLIC_CONCURRENCY = 3, 1
_MARGIN, _SLACK = 1.1, 0.02  # pace 10% (+20 ms) under the advertised window


class Pacer:
    """At most `limit` request starts in any `interval` seconds; thread-safe.

    A sliding window, like the limit Crossref counts: a short job may start
    its first `limit` requests at once, a long one settles at the rate. The
    window is kept a little longer than advertised, since requests reach the
    server with varying delays and Crossref counts arrivals, not departures.
    """

    def __init__(self, limit: int, interval: float = 1.0) -> None:
        self._lock = threading.Lock()
        self._starts: deque[float] = deque()
        self._paused_until = 0.0
        self.set_limit(limit, interval)

    def set_limit(self, limit: int, interval: float) -> None:
        """Follow a newly advertised limit (`limit` requests per `interval` seconds)."""
        with self._lock:
            self.limit, self.interval = max(1, limit), interval
            self._window = interval * _MARGIN + _SLACK

    def pause(self, seconds: float) -> None:
        """Let no request start for `seconds` from now (a 429's Retry-After)."""
        with self._lock:
            self._paused_until = max(self._paused_until, time.monotonic() + seconds)

    def wait(self) -> float:
        """Block until a request may start, and count it as started; returns seconds waited."""
        waited = 0.0
        while True:
            with self._lock:
                now = time.monotonic()
                while self._starts and self._starts[0] <= now - self._window:
                    self._starts.popleft()
                ready_at = self._paused_until
                if len(self._starts) >= self.limit:
                    ready_at = max(ready_at, self._starts[0] + self._window)
                if ready_at <= now:
                    self._starts.append(now)
                    return waited
            time.sleep(ready_at - now)
            waited += ready_at - now


class Gate:
    """At most `limit` holders at once; the limit can be lowered or raised later."""

    def __init__(self, limit: int) -> None:
        self._cond = threading.Condition()
        self._limit = max(1, limit)
        self._held = 0

    @property
    def limit(self) -> int:
        return self._limit

    def set_limit(self, limit: int) -> None:
        with self._cond:
            self._limit = max(1, limit)
            self._cond.notify_all()

    def __enter__(self) -> "Gate":
        with self._cond:
            while self._held >= self._limit:
                self._cond.wait()
            self._held += 1
        return self

    def __exit__(self, *exc: object) -> None:
        with self._cond:
            self._held -= 1
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
