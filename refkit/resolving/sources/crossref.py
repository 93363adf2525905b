"""The only module that talks to Crossref: verify DOIs in batches, search, ask agencies.

`CrossrefClient` asks Crossref's REST API politely (contact address in the
User-Agent and `mailto`, optional Metadata Plus token), paces itself by the
limits Crossref advertises (shared with other refkit processes using the
same cache), and believes only answers shaped like Crossref's (`answers`):
anything else is a failure to ask, never a verdict. Each request is bounded
(a deadline and a cap on the body), retried after 429s (honouring
Retry-After), 5xx answers, timeouts and wrong-shaped answers; a half-open
circuit breaker (`Breaker`) pauses the run through an outage and gives up
only when it outlasts the outage budget: what remains then fails fast with
`CrossrefUnavailable`, and the resolver marks it RK501. Redirects are not
followed, so the Plus token and contact address go only to the configured
URL. Every real answer, including "not found", goes through the `Cache`.

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
import logging
import random
import re
import ssl
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator
from urllib.parse import quote, urlsplit

import httpx2
from habanero.filterhandler import filter_handler

from refkit import __version__
from refkit.csl import from_crossref
from refkit.doi import is_valid, normalize
from refkit.errors import RefkitError
from refkit.model import Work
from refkit.resolving.breaker import Alone, Breaker, GaveUp
from refkit.resolving.cache import AGENCY, SEARCH, WORK, Cache, Hit, search_key
from refkit.resolving.pacing import (
    POLITE_CONCURRENCY,
    POLITE_LIMITS,
    PUBLIC_CONCURRENCY,
    PUBLIC_LIMITS,
    Gate,
    Ledger,
    LocalLedger,
    Pacer,
    SharedLedger,
    advertised_concurrency,
    advertised_limit,
    retry_after,
)
from refkit.resolving.sources import answers, bounded
from refkit.resolving.sources.answers import NotCrossref
from refkit.settings import DEFAULT_CROSSREF_URL, Settings

log = logging.getLogger(__name__)

BATCH_SIZE = 50  # DOIs per filter=doi:… list request: few list requests, URLs under ~2 KB
MAX_RETRY_AFTER = 60.0  # a longer Retry-After means "not today": give up instead of hanging
_REDIRECTS = range(300, 400)
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
    unbounded: int = 0
    retries: int = 0
    outages: int = 0
    batch_fallbacks: int = 0
    cache_hits: int = 0

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


class CrossrefClient:
    """Ask Crossref about works, politely and in bulk, through the cache.

    `batch_size` DOIs go in one list request. The retry delays, deadlines,
    body cap and outage budget come from `settings` (README, "Limits");
    `backoff`, when given, overrides the first retry delay.
    """

    def __init__(self, settings: Settings, cache: Cache | None = None, *,
                 backoff: float | None = None, batch_size: int = BATCH_SIZE,
                 owns_cache: bool = False) -> None:
        self.settings = settings
        self.registry = "Crossref"
        self.cache = cache
        self._owns_cache = owns_cache
        self.stats = ClientStats()
        self._backoff = settings.backoff if backoff is None else backoff
        self._batch_size = max(1, batch_size)
        self._lock = threading.Lock()
        self._http: httpx2.Client | None = None
        self._breaker = Breaker(threshold=settings.max_retries + 1, cooldown=4 * self._backoff,
                                budget=settings.outage_budget)
        self._last_problem = ""
        self._fatal: str | None = None
        self._failed_alone: str | None = None  # the last request that failed on its own
        self._warned = False
        self._ledger: Ledger = (SharedLedger(_ledger_path(cache.path)) if cache is not None
                                else LocalLedger())
        polite = bool(settings.mailto or settings.plus_token)
        self._gate = Gate(min(settings.concurrency,
                              POLITE_CONCURRENCY if polite else PUBLIC_CONCURRENCY),
                          ledger=self._ledger, ttl=2 * settings.deadline + settings.timeout)
        limits = POLITE_LIMITS if polite else PUBLIC_LIMITS
        self._pacers = {kind: Pacer(*limit, kind=kind, ledger=self._ledger)
                        for kind, limit in limits.items()}

    def __repr__(self) -> str:
        return f"CrossrefClient(url={self.settings.crossref_url!r}, offline={self.settings.offline})"

    @property
    def unavailable_reason(self) -> str | None:
        """Why Crossref could not be asked (offline, an answer retrying cannot
        change, an outage that outlasted its budget, or the last request that
        failed on its own); None when it could."""
        if self.settings.offline:
            return "offline: only cached answers are used"
        if self._fatal:
            return self._fatal
        if self._breaker.given_up:
            problem = f"Crossref {self._last_problem}" if self._last_problem else "Crossref failed"
            return f"{problem}; {self._breaker.given_up} (at {self.settings.crossref_url})"
        return self._failed_alone

    # -- public questions -----------------------------------------------------
    def works_by_doi(self, dois: Iterable[str]) -> dict[str, Work | None]:
        """Records for `dois`, keyed by normalised DOI.

        None means "not found" (Crossref said so, or the DOI is not even
        syntactically valid); a DOI that could not be asked about (offline
        cache miss, outage) is absent from the answer.
        """
        keys = list(dict.fromkeys(normalize(d) for d in dois if d and d.strip()))
        answers_ = self.works_at_hand(keys)
        to_ask = [] if self.settings.offline else [doi for doi in keys if doi not in answers_]
        fetched = {doi: slim(record) for doi, record in self._fetch_works(to_ask).items()}
        if self.cache and fetched:
            self.cache.put_works(fetched)
        now = time.time()
        answers_.update({doi: self._work(record, now) for doi, record in fetched.items()})
        return answers_

    def works_at_hand(self, dois: Iterable[str]) -> dict[str, Work | None]:
        """What `works_by_doi` would answer without a request: cached records
        (read in bulk) and None for invalid DOIs; the rest is absent."""
        keys = list(dict.fromkeys(normalize(d) for d in dois if d and d.strip()))
        hits = self._cached_many(WORK, [doi for doi in keys if is_valid(doi)])
        return {doi: self._work(hits[doi].value, hits[doi].fetched) if doi in hits else None
                for doi in keys if doi in hits or not is_valid(doi)}

    def search(self, query: str, rows: int = 5, filters: dict[str, Any] | None = None) -> list[Work]:
        """Crossref's bibliographic search for `query` (a reference string or title), best first.

        Raises CrossrefUnavailable when the search cannot be asked (offline
        and not cached, outage, refused).
        """
        key = search_key(query, rows, filters)
        hit = self._cached(SEARCH, key)
        if hit is not None:
            return [self._work(record, hit.fetched) for record in hit.value]
        self._require_online("this search is not in the cache")
        params: dict[str, Any] = {"query.bibliographic": query, "rows": rows}
        if filters:
            params["filter"] = filter_handler(dict(filters))

        def understand(status: int, body: bytes) -> list[dict[str, Any]]:
            if status == 200:
                return answers.work_list(body)
            raise NotCrossref(f"HTTP {status} to a search")

        try:
            records = [slim(record) for record in self._ask("search", "/works", params, understand)]
        except _Refused:
            raise CrossrefUnavailable("Crossref refused this search") from None
        if self.cache:
            self.cache.put_search(key, records)
            self.cache.put_works({r["DOI"]: r for r in records})
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

        def understand(status: int, body: bytes) -> str | None:
            if status == 200:
                return answers.agency(body, doi)
            if status == 404 and answers.is_not_found(body):
                return None
            raise NotCrossref(f"HTTP {status} from the agency route")

        try:
            agency = self._ask("agency", f"/works/{_quote(doi)}/agency", {}, understand)
        except _Refused:
            raise CrossrefUnavailable(f"Crossref refused to name the agency of {doi}") from None
        if self.cache:
            self.cache.put_agency(doi, agency)
        return agency

    def close(self) -> None:
        """Close the HTTP connections, the shared pacing file, and the cache when this client owns it."""
        if self._http is not None:
            self._http.close()
        if isinstance(self._ledger, SharedLedger):
            self._ledger.close()
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
        odd = [d for d in dois if not _BATCHABLE.fullmatch(d)]
        tasks: list[Callable[[], dict[str, dict[str, Any] | None]]] = [
            (lambda batch=batch: self._fetch_batch(batch)) for batch in _chunks(plain, self._batch_size)]
        tasks += [(lambda doi=doi: self._fetch_single(doi)) for doi in odd]
        found: dict[str, dict[str, Any] | None] = {}
        workers = min(len(tasks), max(1, self.settings.concurrency))
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="crossref") as pool:
            for part in pool.map(_tolerating_outage, tasks):
                found.update(part)
        return found

    def _fetch_batch(self, batch: list[str]) -> dict[str, dict[str, Any] | None]:
        """One list request for `batch`; a DOI missing from the (complete) answer is "not found"."""
        if len(batch) == 1:
            return self._fetch_single(batch[0])
        params = {"filter": filter_handler({"doi": batch}), "rows": len(batch)}

        def understand(status: int, body: bytes) -> list[dict[str, Any]]:
            if status == 200:
                return answers.work_list(body, asked=set(batch))
            if status == 400 and answers.is_refusal(body):
                raise _Refused(body[:200].decode("utf-8", "replace"))
            raise NotCrossref(f"HTTP {status} to a list request")

        try:
            records = self._ask("batch", "/works", params, understand)
        except _Refused:
            self._count("batch_fallbacks")
            log.info("Crossref refused a batch of %d DOIs; asking one by one", len(batch))
            found: dict[str, dict[str, Any] | None] = {}
            for doi in batch:
                found.update(_tolerating_outage(lambda doi=doi: self._fetch_single(doi)))
            return found
        by_doi = {normalize(r["DOI"]): r for r in records}
        return {doi: by_doi.get(doi) for doi in batch}

    def _fetch_single(self, doi: str) -> dict[str, dict[str, Any] | None]:
        """GET /works/{doi}: the record, or None on Crossref's own 404. A DOI
        Crossref refuses to look up (400) could not be asked: no verdict."""
        def understand(status: int, body: bytes) -> dict[str, Any] | None:
            if status == 200:
                return answers.work(body, doi)
            if status == 404 and answers.is_not_found(body):
                return None
            if status == 400 and answers.is_refusal(body):
                raise _Refused(body[:200].decode("utf-8", "replace"))
            raise NotCrossref(f"HTTP {status} to a work request")

        try:
            return {doi: self._ask("single", f"/works/{_quote(doi)}", {}, understand)}
        except _Refused:
            self._failed_alone = f"Crossref refused to look up {doi}"
            raise CrossrefUnavailable(self._failed_alone) from None

    # -- one request, with pacing, retries and the breaker ---------------------------
    def _ask(self, kind: str, path: str, params: dict[str, Any],
             understand: Callable[[int, bytes], Any]) -> Any:
        """Crossref's answer to GET `path`, as `understand` reads it from the
        status and body (raising NotCrossref for what is not Crossref's).

        Failed attempts are retried `max_retries` times; through an outage
        (see `Breaker`) the request waits for Crossref to recover. Raises
        CrossrefUnavailable when it cannot be asked, and _Refused on
        Crossref's own 400.
        """
        pacer = self._pacers["single" if kind in ("single", "agency") else "list"]
        request = _Request(answers_seen=self._breaker.answers)
        while True:
            probe = self._enter(request)
            if request.attempts:
                self._count("retries")
            request.attempts += 1
            try:
                outcome = self._attempt(kind, path, params, pacer, understand, request.failures)
            except _Refused:
                self._breaker.succeeded()
                raise
            except _Fatal as exc:
                self._fatal = str(exc)
                self._give_up(str(exc))
                continue
            if isinstance(outcome, _Answer):
                self._breaker.succeeded()
                return outcome.value
            self._after_failure(request, probe, outcome)

    def _enter(self, request: "_Request") -> bool:
        """Wait until the breaker lets `request` try; True when it is the probe."""
        self._require_online("Crossref is unavailable")
        try:
            return self._breaker.enter(request)
        except GaveUp:
            self._give_up()
            raise CrossrefUnavailable(self.unavailable_reason) from None
        except Alone:
            raise self._alone(request) from None

    def _after_failure(self, request: "_Request", probe: bool, outcome: "_Failure") -> None:
        """Tell the breaker of a failed attempt, then wait for the retry, or
        raise when the request has spent its retries while Crossref answered others."""
        self._last_problem = request.problem = outcome.problem
        if outcome.wait > min(MAX_RETRY_AFTER, self.settings.outage_budget):
            self._give_up(f"it asked refkit to wait {outcome.wait:.0f} s")
            return
        if not self._breaker.failed(request, probe, outcome.wait if outcome.throttled else 0.0):
            request.failures += not outcome.throttled
            if not request.spent(self.settings, outcome.throttled):
                time.sleep(outcome.wait)
                return
            if self._breaker.answers != request.answers_seen:
                raise self._alone(request)
            self._breaker.trip(request)  # nothing answered since it began: Crossref may be down
        self.stats.outages = self._breaker.openings
        if outcome.unreachable and not self._breaker.answered:
            self._give_up("it has not answered once in this run")

    def _alone(self, request: "_Request") -> CrossrefUnavailable:
        """The error for a request that failed on its own (others were answered)."""
        self._failed_alone = (f"Crossref {request.problem} ({request.attempts} attempt(s) "
                              f"at {self.settings.crossref_url})")
        return CrossrefUnavailable(self._failed_alone)

    def _attempt(self, kind: str, path: str, params: dict[str, Any], pacer: Pacer,
                 understand: Callable[[int, bytes], Any], failures: int) -> "_Answer | _Failure":
        """Send one request and read its answer, or say what went wrong and how
        long to wait (longer after each of the request's `failures`)."""
        delay = self._backoff * (2 ** min(failures, 5)) * random.uniform(0.5, 1.5)
        http = self._client()  # made before a slot is taken: the first one takes a while
        try:
            with self._gate:
                start = pacer.wait()  # inside the gate: sent right after
                self._count("requests", f"{kind}_requests")
                log.debug("GET %s %s", path, params)
                status, headers, body = bounded.get(http, path, self._with_mailto(params), self.settings,
                                                    trace=_sent_when_written(pacer, start))
        except bounded.Unbounded as exc:
            self._count("unbounded")
            return _Failure(str(exc), delay)
        except httpx2.TimeoutException:
            self._count("timeouts")
            return _Failure(f"did not answer within {self.settings.timeout:g} s", delay)
        except httpx2.ConnectError as exc:
            return _Failure(f"could not be reached ({type(exc).__name__})", delay, unreachable=True)
        except (httpx2.UnsupportedProtocol, httpx2.InvalidURL) as exc:
            raise _Fatal(f"cannot use the Crossref URL {self.settings.crossref_url!r} ({exc})") from None
        except httpx2.RequestError as exc:
            return _Failure(f"broke off or garbled its answer ({type(exc).__name__})", delay)
        self._follow_limits(headers, pacer)
        if status in (200, 400, 404):
            try:
                return _Answer(understand(status, body))
            except NotCrossref as exc:
                self._count("malformed")
                return _Failure(f"sent a malformed answer, not Crossref's ({exc})", delay)
        if status == 429:
            self._count("http_429")
            asked = retry_after(headers)
            wait = asked * random.uniform(1.0, 1.2) if asked is not None else delay
            for each in self._pacers.values():
                each.pause(min(wait, MAX_RETRY_AFTER))
            return _Failure(f"kept answering 429 Too Many Requests (Retry-After {asked})", wait,
                            throttled=asked is not None)
        if status >= 500:
            self._count("http_5xx")
            return _Failure(f"answered HTTP {status}", delay)
        if status in _REDIRECTS:
            raise _Fatal(f"{self.settings.crossref_url} redirected refkit elsewhere (HTTP {status}, "
                         f"to {_host(headers.get('location', ''))}); refkit follows no redirect, so "
                         "that the contact address and Plus token go only to the configured URL: "
                         "set --crossref-url to the service's own address")
        raise _Fatal(f"Crossref refused refkit's requests (HTTP {status}); "
                     "check the Plus token and the Crossref URL")


    def _give_up(self, reason: str | None = None) -> None:
        """Stop asking for the rest of the run (`reason`, unless the breaker already
        gave up), and say so once."""
        if reason:
            self._breaker.give_up(reason)
        with self._lock:
            if self._warned:
                return
            self._warned = True
        log.warning("Crossref is unavailable for the rest of this run: %s", self.unavailable_reason)

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
                    timeout=min(self.settings.timeout, self.settings.deadline),
                    limits=httpx2.Limits(max_connections=max(1, self.settings.concurrency)),
                    follow_redirects=False,
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
        return self._cached_many(kind, [key]).get(key)

    def _cached_many(self, kind: str, keys: list[str]) -> dict[str, Hit]:
        """The usable cached answers under `keys`, read in bulk (see `_cached`)."""
        if not keys or self.cache is None or (self.settings.refresh and not self.settings.offline):
            return {}
        hits = {key: hit for key, hit in self.cache.get_many(kind, keys).items()
                if hit.fresh or self.settings.offline}
        with self._lock:
            self.stats.cache_hits += len(hits)
        return hits

    def _require_online(self, what: str) -> None:
        if self.settings.offline:
            raise CrossrefUnavailable(f"offline: {what}")
        if self._breaker.given_up:
            raise CrossrefUnavailable(self.unavailable_reason)

    def _count(self, *names: str) -> None:
        with self._lock:
            for name in names:
                setattr(self.stats, name, getattr(self.stats, name) + 1)


@dataclass(frozen=True)
class _Answer:
    """A definite answer from Crossref, as the route's reader understood it."""

    value: Any


@dataclass(eq=False)  # each request is its own: hashed by identity
class _Request:
    """One request's retry state: failed attempts (429s with Retry-After
    aside), attempts, when it began, and the breaker's answer count then."""

    answers_seen: int
    failures: int = 0
    attempts: int = 0
    started: float = field(default_factory=time.monotonic)
    problem: str = ""

    def spent(self, settings: Settings, throttled: bool) -> bool:
        """Whether this request has used up its retries, or (told to wait by
        429s, which are not counted as failures) the outage budget."""
        return (self.failures > settings.max_retries
                or (throttled and time.monotonic() - self.started > settings.outage_budget))


@dataclass(frozen=True)
class _Failure:
    """A failed attempt: what went wrong, seconds to wait before retrying,
    whether the service asked for the pause (a 429 with Retry-After), and
    whether it could not be reached at all."""

    problem: str
    wait: float
    throttled: bool = False
    unreachable: bool = False


class _Fatal(Exception):
    """An answer that retrying cannot change (401, 403, a redirect, …)."""


# Parts of a Crossref record refkit never reads, and the bulk of many: the
# reference list, licences, full-text links, funders, assertions, index dates.
_UNUSED = frozenset({"reference", "license", "link", "funder", "assertion", "content-domain",
                     "indexed", "deposited", "resource"})


def slim(record: dict[str, Any] | None) -> dict[str, Any] | None:
    """`record` without what refkit never reads, before it is cached or kept:
    a tenth of the size for a paper with a long reference list."""
    if record is None or _UNUSED.isdisjoint(record):
        return record
    return {key: value for key, value in record.items() if key not in _UNUSED}


@functools.lru_cache(maxsize=1)
def _tls_context() -> ssl.SSLContext:
    """One TLS context per process: building one (system trust store) takes ~0.2 s."""
    return httpx2.create_ssl_context()


def _sent_when_written(pacer: Pacer, start: object) -> Callable[[str, dict[str, Any]], None]:
    """A trace callback counting the pacing `start` from when the request's
    headers are written to the connection: the nearest this side sees to its
    arrival, which Crossref counts (a busy thread may be held up for tens of
    milliseconds between taking its turn and sending)."""
    def trace(step: str, info: dict[str, Any]) -> None:
        if step.endswith("send_request_headers.complete"):
            pacer.sent(start)
    return trace


def _ledger_path(cache_path: Path) -> Path:
    """The pacing ledger beside a cache file: every process on that cache shares it."""
    return cache_path.with_name(f"{cache_path.stem}-pacing{cache_path.suffix}")


def _host(url: str) -> str:
    return urlsplit(url).netloc or "an unnamed place"


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
