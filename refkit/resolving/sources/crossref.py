"""The only module that talks to Crossref: verify DOIs in batches, search, ask agencies.

`CrossrefClient` asks Crossref's REST API politely (contact address in the
User-Agent and `mailto`, optional Metadata Plus token), paces itself by the
limits Crossref advertises, retries 429s (honouring Retry-After), 5xx answers
and timeouts a bounded number of times, and when Crossref stays unreachable
opens a circuit breaker: everything that remains fails fast with
`CrossrefUnavailable` instead of hanging, and the resolver marks it RK501.
Every answer, including "not found", goes through the persistent `Cache`.

Why not `habanero.Crossref` itself: habanero 2.9.2 sends each request with a
module-level `httpx2.get` and hands back only the parsed body. It exposes no
response headers (x-rate-limit-*, x-concurrency-limit, Retry-After), raises
different exception types per path, never sends the Plus token it stores,
and opens a new connection per request. So this module keeps habanero's
request conventions (its filter serialiser, `filter_handler`) and uses
habanero's own HTTP library, httpx2, through one pooled `httpx2.Client`.
"""

from __future__ import annotations

import functools
import json
import logging
import random
import re
import ssl
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from typing import Any, Callable, Iterable, Iterator
from urllib.parse import quote

import httpx2
from habanero.filterhandler import filter_handler

from refkit import __version__
from refkit.resolving.cache import AGENCY, SEARCH, WORK, Cache, Hit, search_key
from refkit.csl import from_crossref
from refkit.doi import is_valid, normalize
from refkit.errors import RefkitError
from refkit.model import Work
from refkit.resolving.pacing import (
    POLITE_CONCURRENCY,
    POLITE_LIMITS,
    PUBLIC_CONCURRENCY,
    PUBLIC_LIMITS,
    Gate,
    Pacer,
    advertised_concurrency,
    advertised_limit,
    retry_after,
)
from refkit.settings import DEFAULT_CROSSREF_URL, Settings

log = logging.getLogger(__name__)

BATCH_SIZE = 50  # DOIs per filter=doi:… list request: few list requests, URLs under ~2 KB
MAX_RETRY_AFTER = 60.0  # a longer Retry-After means "not today": give up instead of hanging
# DOIs safe inside filter=doi:A,doi:B. Commas split filters and colons split
# names from values, so those DOIs (and ones with other odd characters, e.g.
# SICI-style "…:3<283::AID-…>3.0.CO;2-V") are looked up singly.
_BATCHABLE = re.compile(r"10\.[0-9.]+/[A-Za-z0-9._()\[\]/-]+")


class CrossrefUnavailable(RefkitError):
    """Crossref could not be asked (offline cache miss, outage, rate limit exhausted)."""


class _Refused(Exception):
    """Crossref rejected the request itself (HTTP 400): ask differently."""


@dataclass
class ClientStats:
    """What the client did: HTTP requests by kind, trouble met, cache use."""

    requests: int = 0
    single_requests: int = 0
    batch_requests: int = 0
    search_requests: int = 0
    agency_requests: int = 0
    http_429: int = 0
    http_5xx: int = 0
    timeouts: int = 0
    malformed: int = 0
    retries: int = 0
    batch_fallbacks: int = 0
    cache_hits: int = 0

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


class CrossrefClient:
    """Ask Crossref about works, politely and in bulk, through the cache.

    `backoff` is the first retry delay in seconds (doubled per attempt, with
    jitter); tests make it tiny. `batch_size` DOIs go in one list request.
    """

    def __init__(self, settings: Settings, cache: Cache | None = None, *,
                 backoff: float = 0.5, batch_size: int = BATCH_SIZE,
                 owns_cache: bool = False) -> None:
        self.settings = settings
        self.cache = cache
        self._owns_cache = owns_cache
        self.stats = ClientStats()
        self.unavailable_reason: str | None = (
            "offline: only cached answers are used" if settings.offline else None)
        self._backoff = backoff
        self._batch_size = max(1, batch_size)
        self._lock = threading.Lock()
        self._http: httpx2.Client | None = None
        polite = bool(settings.mailto or settings.plus_token)
        self._gate = Gate(min(settings.concurrency,
                              POLITE_CONCURRENCY if polite else PUBLIC_CONCURRENCY))
        limits = POLITE_LIMITS if polite else PUBLIC_LIMITS
        self._pacers = {kind: Pacer(*limit) for kind, limit in limits.items()}

    def __repr__(self) -> str:
        return f"CrossrefClient(url={self.settings.crossref_url!r}, offline={self.settings.offline})"

    # -- public questions -----------------------------------------------------
    def works_by_doi(self, dois: Iterable[str]) -> dict[str, Work | None]:
        """Records for `dois`, keyed by normalised DOI.

        None means "not found" (Crossref said so, or the DOI is not even
        syntactically valid); a DOI that could not be asked about (offline
        cache miss, outage) is absent from the answer.
        """
        answers: dict[str, Work | None] = {}
        to_ask: list[str] = []
        for doi in dict.fromkeys(normalize(d) for d in dois if d and d.strip()):
            if not is_valid(doi):
                answers[doi] = None
            elif (hit := self._cached(WORK, doi)) is not None:
                answers[doi] = self._work(hit.value, hit.fetched)
            elif not self.settings.offline:
                to_ask.append(doi)
        fetched = self._fetch_works(to_ask)
        if self.cache and fetched:
            self.cache.put_works(fetched)
        now = time.time()
        answers.update({doi: self._work(record, now) for doi, record in fetched.items()})
        return answers

    def search(self, query: str, rows: int = 5, filters: dict[str, Any] | None = None) -> list[Work]:
        """Crossref's bibliographic search for `query` (a reference string or title), best first.

        Raises CrossrefUnavailable when the search cannot be asked (offline
        and not cached, outage).
        """
        key = search_key(query, rows, filters)
        hit = self._cached(SEARCH, key)
        if hit is not None:
            return [self._work(record, hit.fetched) for record in hit.value]
        self._require_online("this search is not in the cache")
        params: dict[str, Any] = {"query.bibliographic": query, "rows": rows}
        if filters:
            params["filter"] = filter_handler(dict(filters))
        message = self._get("search", "/works", params)
        records = _items(message)
        if self.cache:
            self.cache.put_search(key, records)
            self.cache.put_works({r["DOI"]: r for r in records if r.get("DOI")})
        now = time.time()
        return [self._work(record, now) for record in records]

    def agency(self, doi: str) -> str | None:
        """The registration agency of `doi` ("crossref", "datacite", …), lower-cased.

        None when the DOI is registered with no agency (Crossref answers 404
        on its /works/{doi}/agency route). A 404 from /works/{doi} alone only
        says Crossref holds no record; the DOI may live at DataCite or mEDRA.
        """
        doi = normalize(doi)
        if not is_valid(doi):
            return None
        hit = self._cached(AGENCY, doi)
        if hit is not None:
            return hit.value
        self._require_online("the agency of this DOI is not in the cache")
        message = self._get("agency", f"/works/{_quote(doi)}/agency", {})
        agency = None
        if message is not None:
            agency = str((message.get("agency") or {}).get("id") or "").lower() or None
        if self.cache:
            self.cache.put_agency(doi, agency)
        return agency

    def close(self) -> None:
        """Close the HTTP connections, and the cache when this client owns it."""
        if self._http is not None:
            self._http.close()
        if self._owns_cache and self.cache is not None:
            self.cache.close()

    def __enter__(self) -> "CrossrefClient":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- DOIs in batches ------------------------------------------------------
    def _fetch_works(self, dois: list[str]) -> dict[str, dict[str, Any] | None]:
        """Ask Crossref about `dois`: batches for plain DOIs, single lookups for odd ones.

        Runs up to `concurrency` requests at once; what an outage prevents
        from being asked is left out of the answer.
        """
        if not dois:
            return {}
        plain = [d for d in dois if _BATCHABLE.fullmatch(d)]
        odd = [d for d in dois if d not in set(plain)]
        tasks: list[Callable[[], dict[str, dict[str, Any] | None]]] = [
            (lambda batch=batch: self._fetch_batch(batch)) for batch in _chunks(plain, self._batch_size)]
        tasks += [(lambda doi=doi: self._fetch_single(doi)) for doi in odd]
        answers: dict[str, dict[str, Any] | None] = {}
        workers = min(len(tasks), max(1, self.settings.concurrency))
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="crossref") as pool:
            for part in pool.map(_tolerating_outage, tasks):
                answers.update(part)
        return answers

    def _fetch_batch(self, batch: list[str]) -> dict[str, dict[str, Any] | None]:
        """One list request for `batch`; a DOI missing from the answer is "not found"."""
        if len(batch) == 1:
            return self._fetch_single(batch[0])
        params = {"filter": filter_handler({"doi": batch}), "rows": len(batch)}
        try:
            message = self._get("batch", "/works", params)
        except _Refused:
            self._count("batch_fallbacks")
            log.info("Crossref refused a batch of %d DOIs; asking one by one", len(batch))
            answers: dict[str, dict[str, Any] | None] = {}
            for doi in batch:
                answers.update(_tolerating_outage(lambda doi=doi: self._fetch_single(doi)))
            return answers
        found = {normalize(str(r.get("DOI", ""))): r for r in _items(message)}
        return {doi: found.get(doi) for doi in batch}

    def _fetch_single(self, doi: str) -> dict[str, dict[str, Any] | None]:
        """GET /works/{doi}: the record, or None on Crossref's 404."""
        try:
            message = self._get("single", f"/works/{_quote(doi)}", {})
        except _Refused:
            message = None  # Crossref cannot even parse this DOI: no such work
        return {doi: message}

    # -- one request, with pacing, retries and the breaker ---------------------------
    def _get(self, kind: str, path: str, params: dict[str, Any]) -> dict[str, Any] | None:
        """The `message` of Crossref's JSON answer to GET `path`; None on 404.

        Raises _Refused on 400 and CrossrefUnavailable when the request could
        not be answered within the retry budget (which opens the breaker).
        """
        pacer = self._pacers["single" if kind in ("single", "agency") else "list"]
        problem = ""
        for attempt in range(self.settings.max_retries + 1):
            self._require_online("Crossref is unavailable")
            if attempt:
                self._count("retries")
            try:
                outcome, wait = self._attempt(kind, path, params, pacer, attempt)
            except _Fatal as exc:
                self._open_breaker(str(exc))
                break
            if not isinstance(outcome, str):
                return outcome.value
            problem = outcome
            if attempt == self.settings.max_retries or wait is None or wait > MAX_RETRY_AFTER:
                break
            time.sleep(wait)
        reason = f"Crossref {problem}" if problem else "Crossref is unavailable"
        self._open_breaker(f"{reason} (after {attempt + 1} attempt(s) at {self.settings.crossref_url})")
        raise CrossrefUnavailable(self.unavailable_reason)

    def _attempt(self, kind: str, path: str, params: dict[str, Any], pacer: Pacer,
                 attempt: int) -> tuple["_Answer | str", float | None]:
        """Send one request. Returns (answer, None) or (problem, seconds to wait before retrying)."""
        http = self._client()
        try:
            with self._gate:
                pacer.wait()  # inside the gate, so the slot is taken right before sending
                self._count("requests", f"{kind}_requests")
                log.debug("GET %s %s (attempt %d)", path, params, attempt + 1)
                response = http.get(path, params=self._with_mailto(params))
        except httpx2.TimeoutException:
            self._count("timeouts")
            return f"did not answer within {self.settings.timeout:g} s", self._delay(attempt)
        except httpx2.TransportError as exc:
            return f"could not be reached ({type(exc).__name__})", self._delay(attempt)
        self._follow_limits(response.headers, pacer)
        status = response.status_code
        if status == 200:
            message = _message(response)
            if message is not None:
                return _Answer(message), None
            self._count("malformed")
            return "sent a malformed answer", self._delay(attempt)
        if status == 404:
            return _Answer(None), None
        if status == 400:
            raise _Refused(response.text[:200])
        if status == 429:
            self._count("http_429")
            asked = retry_after(response.headers)
            wait = asked * random.uniform(1.0, 1.2) if asked is not None else self._delay(attempt)
            for each in self._pacers.values():
                each.pause(min(wait, MAX_RETRY_AFTER))
            return f"kept answering 429 Too Many Requests (Retry-After {asked})", wait
        if status >= 500:
            self._count("http_5xx")
            return f"answered HTTP {status}", self._delay(attempt)
        raise _Fatal(f"Crossref refused refkit's requests (HTTP {status}); "
                     "check the Plus token and the Crossref URL")

    def _delay(self, attempt: int) -> float:
        """Exponential backoff with jitter for retry number `attempt` + 1."""
        return self._backoff * (2 ** attempt) * random.uniform(0.5, 1.5)

    def _follow_limits(self, headers: httpx2.Headers, pacer: Pacer) -> None:
        """Adopt the rate and concurrency Crossref advertises (never above our own cap)."""
        advertised = advertised_limit(headers)
        if advertised is not None and advertised != (pacer.limit, pacer.interval):
            pacer.set_limit(*advertised)
        limit = advertised_concurrency(headers)
        if limit is not None:
            wanted = min(limit, self.settings.concurrency)
            if wanted != self._gate.limit:
                self._gate.set_limit(wanted)

    # -- small helpers ---------------------------------------------------------
    def _client(self) -> httpx2.Client:
        with self._lock:
            if self._http is None:
                self._http = httpx2.Client(
                    base_url=self.settings.crossref_url.rstrip("/"),
                    headers=self._headers(),
                    timeout=self.settings.timeout,
                    limits=httpx2.Limits(max_connections=max(1, self.settings.concurrency)),
                    verify=_tls_context(),
                )
            return self._http

    def _headers(self) -> dict[str, str]:
        """User-Agent with the contact address (polite pool) and the Plus token if any."""
        contact = f" (mailto:{self.settings.mailto})" if self.settings.mailto else ""
        headers = {"User-Agent": f"refkit/{__version__}{contact}", "Accept": "application/json"}
        if self.settings.plus_token:
            headers["Crossref-Plus-API-Token"] = f"Bearer {self.settings.plus_token}"
        return headers

    def _with_mailto(self, params: dict[str, Any]) -> dict[str, Any]:
        return {**params, "mailto": self.settings.mailto} if self.settings.mailto else params

    def _work(self, record: dict[str, Any] | None, fetched: float) -> Work | None:
        """A record as a Work, naming the service when it is not Crossref's own API."""
        if record is None:
            return None
        url = self.settings.crossref_url.rstrip("/")
        service = "" if url == DEFAULT_CROSSREF_URL.rstrip("/") else url
        return from_crossref(record, fetched=datetime.fromtimestamp(fetched, tz=timezone.utc),
                             service=service)

    def _cached(self, kind: str, key: str) -> Hit | None:
        """A usable cached answer: fresh, or any age when offline; never with --refresh."""
        if self.cache is None or (self.settings.refresh and not self.settings.offline):
            return None
        hit = self.cache.get(kind, key)
        if hit is None or not (hit.fresh or self.settings.offline):
            return None
        self._count("cache_hits")
        return hit

    def _require_online(self, what: str) -> None:
        if self.settings.offline:
            raise CrossrefUnavailable(f"offline: {what}")
        if self.unavailable_reason:
            raise CrossrefUnavailable(self.unavailable_reason)

    def _open_breaker(self, reason: str) -> None:
        with self._lock:
            if self.unavailable_reason is None:
                self.unavailable_reason = reason
                log.warning("Crossref is unavailable for the rest of this run: %s", reason)

    def _count(self, *names: str) -> None:
        with self._lock:
            for name in names:
                setattr(self.stats, name, getattr(self.stats, name) + 1)


@dataclass(frozen=True)
class _Answer:
    """A definite answer from Crossref: its message, or None for "not found"."""

    value: dict[str, Any] | None


class _Fatal(Exception):
    """An answer that retrying cannot change (401, 403, …)."""


@functools.lru_cache(maxsize=1)
def _tls_context() -> ssl.SSLContext:
    """One TLS context per process: building one (system trust store) takes ~0.2 s."""
    return httpx2.create_ssl_context()


def _message(response: httpx2.Response) -> dict[str, Any] | None:
    """The `message` of a Crossref JSON envelope, or None when the body is not one."""
    try:
        body = response.json()
    except (json.JSONDecodeError, UnicodeDecodeError, ValueError):
        return None
    message = body.get("message") if isinstance(body, dict) else None
    return message if isinstance(message, dict) else None


def _items(message: dict[str, Any] | None) -> list[dict[str, Any]]:
    items = (message or {}).get("items") or []
    return [item for item in items if isinstance(item, dict)]




def _quote(doi: str) -> str:
    """A DOI as a URL path segment (its slashes kept, as Crossref expects)."""
    return quote(doi, safe="/()")


def _chunks(items: list[str], size: int) -> Iterator[list[str]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _tolerating_outage(task: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """Run `task`; an outage leaves its DOIs out of the answer instead of failing them all."""
    try:
        return task()
    except CrossrefUnavailable:
        return {}
