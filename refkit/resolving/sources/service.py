"""What every registry besides Crossref shares: one polite, cached, bounded
HTTP client (DataCite, PubMed's E-utilities, PMC's ID converter, arXiv,
Open Library).

A `Service` asks one base URL, paced to the service's published limit,
retries timeouts, 429 (after Retry-After) and 5xx a bounded number of times,
and when the service stays unreachable — or answers in a shape that is not
the service's own — opens a breaker: every later question fails fast with
`ServiceUnavailable` and `unavailable_reason` says why, so the caller can
report it unverified instead of hanging. Records are cached per identifier
(the "not found" answer included) in a SQLite `Cache` of the service's own.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Callable, Iterable

import httpx2

from refkit import __version__
from refkit.errors import RefkitError
from refkit.resolving.cache import WORK, Cache
from refkit.resolving.pacing import Pacer, retry_after
from refkit.resolving.sources import bounded
from refkit.model import Work
from refkit.settings import DEFAULT_URLS, Settings

log = logging.getLogger(__name__)

MAX_RETRY_AFTER = 60.0
Record = dict[str, Any]


class ServiceUnavailable(RefkitError):
    """The service could not be asked (offline cache miss, outage, not the service's API)."""


class WrongShape(ValueError):
    """The body is not what the service's API sends: the URL is not that API."""


@dataclass(frozen=True)
class Reply:
    """One answer: HTTP status and body."""

    status: int
    body: bytes

    def json(self) -> Any:
        import json

        try:
            return json.loads(self.body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as exc:
            raise WrongShape(f"not JSON ({exc})") from None


class Service:
    """A cached, paced, bounded client of one registry's API.

    A registry's client says, as class attributes, how reports name it
    (`name`, "DataCite"), which setting holds its base URL (`url_setting`;
    the default is the public API, another is named in every answer's
    provenance), its published limit (`limit` requests per `per` seconds)
    and how many identifiers one request may ask about (`batch`); it asks
    with `fetch` and turns a record into a Work with `to_work`.
    """

    name = "service"
    url_setting = ""
    limit, per, batch = 3, 1.0, 50

    def __init__(self, settings: Settings, cache: Cache | None = None, *, owns_cache: bool = False,
                 backoff: float = 0.5) -> None:
        self.settings = settings
        self.url = str(getattr(settings, self.url_setting)).rstrip("/")
        self.service = "" if self.url == DEFAULT_URLS[self.url_setting].rstrip("/") else self.url
        self.cache = cache
        self.stats: Counter[str] = Counter()
        self.unavailable_reason: str | None = (
            "offline: only cached answers are used" if settings.offline else None)
        self._owns_cache = owns_cache
        self._pacer = Pacer(self.limit, self.per)
        self._backoff = backoff
        self._lock = threading.Lock()
        self._http: httpx2.Client | None = None

    @classmethod
    def opened(cls, settings: Settings) -> "Service":
        """A client with its own cache file beside Crossref's (one per URL), closed with it."""
        url = str(getattr(settings, cls.url_setting))
        path = settings.cache_file(cls.url_setting.removesuffix("_url"), url, DEFAULT_URLS[cls.url_setting])
        return cls(settings, Cache(path, settings.ttl_days), owns_cache=True)

    def works(self, keys: Iterable[str]) -> dict[str, Work | None]:
        """The registry's record of each identifier as a Work (None: it has
        no such record; absent: it could not be asked)."""
        answers = self.records(keys, self.fetch, self.batch)
        return {key: (self.to_work(key, record, self.fetched_at(when)) if record else None)
                for key, (record, when) in answers.items()}

    def fetch(self, keys: list[str]) -> dict[str, Record | None]:
        """Ask the registry about `keys` (at most `batch`): record or None for each."""
        raise NotImplementedError

    def to_work(self, key: str, record: Record, fetched: datetime) -> Work:
        """One record as a Work holding a CSL item."""
        raise NotImplementedError

    @property
    def registry(self) -> str:
        """The service in words: its name, or "the …-compatible service at URL"."""
        return f"the {self.name}-compatible service at {self.service}" if self.service else self.name

    # -- records by identifier, cached ------------------------------------------
    def records(self, keys: Iterable[str], fetch: Callable[[list[str]], dict[str, Record | None]],
                batch: int) -> dict[str, tuple[Record | None, float]]:
        """(record or None for "not found", fetched epoch seconds) for each key
        the cache or the service can answer, `batch` keys per `fetch` call; a
        key that could not be asked is absent."""
        answers: dict[str, tuple[Record | None, float]] = {}
        to_ask = []
        for key in dict.fromkeys(keys):
            hit = self._cached(key)
            if hit is not None:
                answers[key] = hit
            elif not self.settings.offline:
                to_ask.append(key)
        for start in range(0, len(to_ask), batch):
            part = to_ask[start:start + batch]
            try:
                fetched = fetch(part)
            except ServiceUnavailable:
                break
            now = time.time()
            found = {key: fetched.get(key) for key in part}
            if self.cache is not None:
                self.cache.put_works(found)
            answers.update({key: (record, now) for key, record in found.items()})
        return answers

    def _cached(self, key: str) -> tuple[Record | None, float] | None:
        if self.cache is None or (self.settings.refresh and not self.settings.offline):
            return None
        hit = self.cache.get(WORK, key.lower())
        if hit is None or not (hit.fresh or self.settings.offline):
            return None
        self.stats["cache_hits"] += 1
        return hit.value, hit.fetched

    # -- one request ---------------------------------------------------------------
    def get(self, path: str, params: dict[str, Any] | None = None,
            accept: str = "application/json") -> Reply:
        """GET `path`: a 200 or 404 reply. Retries what may pass; raises
        ServiceUnavailable (and opens the breaker) when it does not."""
        problem = ""
        for attempt in range(self.settings.max_retries + 1):
            self._require_online()
            if attempt:
                self.stats["retries"] += 1
            reply, problem, wait = self._attempt(path, params or {}, accept)
            if reply is not None:
                return reply
            if wait is None or attempt == self.settings.max_retries or wait > MAX_RETRY_AFTER:
                break
            time.sleep(wait)
        self.refuse(f"{self.registry} {problem}")
        raise ServiceUnavailable(self.unavailable_reason)

    def _attempt(self, path: str, params: dict[str, Any],
                 accept: str) -> tuple[Reply | None, str, float | None]:
        """Send once: (reply, "", None), or (None, problem, seconds before a retry)."""
        self._pacer.wait()
        self.stats["requests"] += 1
        try:
            status, headers, body = bounded.get(self._client(), path, params, self.settings,
                                                headers={"Accept": accept})
        except httpx2.ConnectError as exc:  # refused, or no such host: waiting will not help
            return None, f"could not be reached ({type(exc).__name__})", None
        except httpx2.TimeoutException:
            return None, f"did not answer within {self.settings.timeout:g} s", self._delay()
        except httpx2.TransportError as exc:
            return None, f"could not be reached ({type(exc).__name__})", self._delay()
        except bounded.Unbounded as exc:
            return None, str(exc), self._delay()
        if status in (200, 404):
            return Reply(status, body), "", None
        if status == 429:
            asked = retry_after(headers)
            wait = asked if asked is not None else self._delay()
            self._pacer.pause(min(wait, MAX_RETRY_AFTER))
            return None, "kept answering 429 Too Many Requests", wait
        if status >= 500:
            return None, f"answered HTTP {status}", self._delay()
        return None, f"refused refkit's request (HTTP {status}); check the URL", None

    def refuse(self, reason: str) -> None:
        """Open the breaker: nothing more is asked of this service in this run."""
        with self._lock:
            if self.unavailable_reason is None:
                self.unavailable_reason = reason
                log.info("%s is unavailable for the rest of this run: %s", self.name, reason)

    def parsed(self, reply: Reply, parse: Callable[[Reply], Any]) -> Any:
        """`parse(reply)`; a body in another shape than the service's means the
        URL is not that service's API: the breaker opens and it is unavailable."""
        try:
            return parse(reply)
        except (WrongShape, KeyError, TypeError, AttributeError) as exc:
            self.stats["malformed"] += 1
            self.refuse(f"{self.url} does not answer like {self.name}'s API ({exc})")
            raise ServiceUnavailable(self.unavailable_reason) from None

    def fetched_at(self, epoch: float) -> datetime:
        return datetime.fromtimestamp(epoch, tz=timezone.utc)

    def close(self) -> None:
        if self._http is not None:
            self._http.close()
        if self._owns_cache and self.cache is not None:
            self.cache.close()

    def _client(self) -> httpx2.Client:
        with self._lock:
            if self._http is None:
                contact = f" (mailto:{self.settings.mailto})" if self.settings.mailto else ""
                self._http = httpx2.Client(base_url=self.url, timeout=self.settings.timeout,
                                           headers={"User-Agent": f"refkit/{__version__}{contact}"},
                                           follow_redirects=True)
            return self._http

    def _delay(self) -> float:
        return self._backoff * random.uniform(0.5, 1.5)

    def _require_online(self) -> None:
        if self.unavailable_reason:
            raise ServiceUnavailable(self.unavailable_reason)



def display_name(name: str) -> dict[str, str]:
    """A name written "Given Family" (arXiv, Open Library) as a CSL name."""
    parts = name.split()
    if len(parts) == 1:
        return {"literal": name}
    return {"family": parts[-1], "given": " ".join(parts[:-1])}
