"""A local Crossref stand-in: a real HTTP server on 127.0.0.1 that speaks the
REST API's JSON, plus the pytest fixture `crossref_stub` every test can use.

Crossref cannot be reached from the test machines, so refkit's client is
tested against this server. It serves the synthetic seed records
(tests/fixtures/seed/works.jsonl, always) and, when ../shared/data is present,
the 8,016 real records of crossref-works.jsonl as search distractors
(`CrossrefStub.has_shared_data` says which). Keys starting with "_" are never
served. Envelopes follow the recorded responses in
../shared/data/crossref-list-responses (rcrossref, habanero, commonmeta-py
cassettes): "work" and "work-list" messages, and a plain-text 404
"Resource not found.".

Routes: GET /works/{doi}, /works/{doi}/agency, /works?filter=doi:A,doi:B,
/works?query.bibliographic=…&rows=N (BM25 over title, authors, container,
year; float `score`). Switches: per-kind latency, advertised rate and
concurrency limits enforced with 429 + Retry-After, scripted faults (see
`Fault`: any status, hangs, wrong-shaped, cut-off, endless, dripping or
oversized answers, dropped connections), standing faults for a while or for
good (`break_for`: an outage, a 429 storm, a plain web server in Crossref's
place), and `go_down()` (connection refused). Requests are counted by kind:
single, batch, search, agency.

Rate windows count a request from when it reached the machine (the kernel's
receive stamp, SO_TIMESTAMPNS), as Crossref counts arrivals at its edge, not
from when one of this process's threads got round to reading it: under load
that came 0.1-0.25 s late and unevenly, so requests sent at the limit looked
bunched (a 429 Crossref would not give) or spread (one it would). Clients
here do not pipeline requests on a connection (the stamp is read by peeking
at the socket before each request).
"""

from __future__ import annotations

import bisect
import json
import math
import re
import socket
import struct
import sys
import threading
import time
from collections import Counter, defaultdict, deque
from dataclasses import dataclass, field
from functools import lru_cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

TESTS = Path(__file__).resolve().parent
SEED_WORKS = TESTS / "fixtures" / "seed" / "works.jsonl"
SHARED_WORKS = TESTS.parent.parent / "shared" / "data" / "crossref-works.jsonl"
NOT_FOUND = "Resource not found."
# Limits Crossref announced for the polite pool from December 2025 (per second).
POLITE_LIMITS = {"single": 10, "list": 3}
_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)
_KNOWN_FILTERS = {"doi", "type", "from-pub-date", "until-pub-date", "prefix"}


def record_kind(kind: str) -> str:
    """The rate-limit class of a request kind: "single" (works, agency) or "list"."""
    return "list" if kind in ("batch", "search") else "single"


@dataclass
class Fault:
    """A scripted misbehaviour for requests of `kind` (None: any kind): the
    next one, or every one until `until` (monotonic seconds; inf: for good).

    `what` is an HTTP status (429 carries Retry-After), or one of FAULTS:
    "timeout" (answer only after the stub's `hang` seconds), "malformed" (a
    200 with a cut-off JSON body), "refuse" (a 400 as for an unparsable
    filter), "page404" (a plain web server's HTML 404), "not-found"
    (Crossref's own 404 text, on any route), "html" (a 200 web page),
    "no-items" (an envelope whose message lacks what the route gives),
    "other-dois" (records or agencies of DOIs not asked about), "truncated"
    (Content-Length promises more than is sent), "endless" (a chunked body
    that never ends), "drip" (one byte every `drip` seconds), "huge" (a
    well-formed answer of `huge_bytes`), "drop" (the connection closed
    without an answer), "redirect" (a 302 to the same path at `redirect_to`).
    """

    what: int | str
    kind: str | None = None
    until: float | None = None

    def matches(self, kind: str) -> bool:
        return self.kind in (None, kind)


FAULTS = ("timeout", "malformed", "refuse", "page404", "not-found", "html", "no-items",
          "other-dois", "truncated", "endless", "drip", "huge", "drop", "redirect")


@dataclass
class Reply:
    """What the stub sends: status, headers, body, and how (`mode`): "whole",
    or a misbehaving delivery ("truncated", "endless", "drip", "drop")."""

    status: int
    headers: dict[str, str]
    body: bytes
    mode: str = "whole"


@dataclass
class Logged:
    """One request the stub received."""

    kind: str
    path: str
    params: dict[str, list[str]]
    headers: dict[str, str]
    at: float = field(default_factory=time.monotonic)  # when it arrived (the kernel's stamp)
    admitted: float = field(default_factory=time.monotonic)  # when the stub got to judge it


@dataclass
class _Index:
    """Records by normalised DOI and a BM25 index over their searchable text."""

    records: dict[str, dict[str, Any]]
    order: list[str]
    postings: dict[str, list[tuple[int, int]]]
    lengths: list[int]
    shared: bool

    @property
    def average_length(self) -> float:
        return sum(self.lengths) / max(1, len(self.lengths))


@dataclass
class CrossrefStub:
    """The server's switches, counters and records; start() it, stop() it."""

    index: _Index
    latency: dict[str, float] = field(default_factory=lambda: {"single": 0.0, "list": 0.0})
    # advertised and enforced limits per kind, (requests, per seconds); generous
    # by default so tests run fast, Crossref's real figures after polite_limits()
    limits: dict[str, tuple[int, float]] = field(
        default_factory=lambda: {"single": (1000, 1.0), "list": (1000, 1.0)})
    concurrency_limit: int | None = None
    # seconds by which a request may reach the stub late relative to others
    # (a test machine starved of CPU): rate windows are judged that much shorter
    arrival_slack: float = 0.0
    retry_after: float = 0.05
    hang: float = 2.0
    drip: float = 8.0  # seconds between the bytes of a "drip" fault
    huge_bytes: int = 3_000_000  # size of a "huge" answer
    redirect_to: str = ""  # base URL a "redirect" fault sends the client to
    faults: deque[Fault] = field(default_factory=deque)
    standing: list[Fault] = field(default_factory=list)  # faults for a while (see break_for)
    always: int | str | None = None  # a fault for every request (an outage)
    agencies: dict[str, str] = field(default_factory=dict)  # DOI or prefix -> agency id
    port: int = 0  # 0: any free port
    counts: Counter[str] = field(default_factory=Counter)  # requests by kind
    throttled: int = 0  # requests answered 429 for breaking the limits
    peak_in_flight: int = 0  # most requests it was answering at once
    log: list[Logged] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._recent: dict[str, deque[float]] = defaultdict(deque)
        self._in_flight = 0
        self._stopping = threading.Event()
        self._server: ThreadingHTTPServer | None = None
        self._connections: set[socket.socket] = set()

    # -- life cycle ----------------------------------------------------------
    def start(self) -> "CrossrefStub":
        self._server = _QuietServer(("127.0.0.1", self.port), _handler_for(self))
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, name="crossref-stub",
                         kwargs={"poll_interval": 0.05}, daemon=True).start()
        return self

    def stop(self) -> None:
        """Shut the server down, drop open keep-alive connections, free the port (idempotent)."""
        self._stopping.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        with self._lock:
            for connection in self._connections:
                try:
                    connection.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass  # already closed by the client
            self._connections.clear()

    def track(self, connection: socket.socket, open_: bool) -> None:
        """Remember the server's open connections so stop() can cut them."""
        with self._lock:
            if open_:
                self._connections.add(connection)
            else:
                self._connections.discard(connection)

    go_down = stop  # after this, connecting is refused: Crossref is down

    @property
    def url(self) -> str:
        host, port = self._address
        return f"http://{host}:{port}"

    @property
    def has_shared_data(self) -> bool:
        return self.index.shared

    @property
    def requests(self) -> int:
        return sum(self.counts.values())

    def add_faults(self, *faults: int | str, kind: str | None = None) -> None:
        """Script faults for the coming requests (of `kind`, or of any kind), in order."""
        self.faults.extend(Fault(f, kind) for f in faults)

    def break_for(self, what: int | str, seconds: float = math.inf, kind: str | None = None) -> None:
        """Answer every request (of `kind`) with fault `what` for `seconds` from now:
        a burst of 5xx, a 429 storm, or (for good) a server that is not Crossref."""
        self.standing.append(Fault(what, kind, time.monotonic() + seconds))

    def heal(self) -> None:
        """Drop every scripted and standing fault: a healthy Crossref again."""
        self.faults.clear()
        self.standing.clear()
        self.always = None

    def polite_limits(self, concurrency: int = 3) -> None:
        """Enforce (and advertise) the polite pool's limits: 10/s single, 3/s list, 3 in flight."""
        self.limits = {kind: (limit, 1.0) for kind, limit in POLITE_LIMITS.items()}
        self.concurrency_limit = concurrency

    def record(self, doi: str) -> dict[str, Any] | None:
        return self.index.records.get(doi.lower())

    # -- request handling ----------------------------------------------------------
    def answer(self, path: str, query: str, headers: dict[str, str], arrived: float | None = None) -> Reply:
        """What to send for one GET that reached the machine at `arrived`
        (monotonic seconds; None: now)."""
        params = parse_qs(query, keep_blank_values=True)
        kind, target = _route(path, params)
        arrived = time.monotonic() if arrived is None else arrived
        with self._lock:
            self.counts[kind] += 1
            self.log.append(Logged(kind, path, params, headers, arrived))
        limit_headers = self._limit_headers(kind)
        if not self._admit(kind, arrived):
            return Reply(429, {**limit_headers, "Retry-After": f"{self.retry_after:g}"}, b"Too Many Requests")
        try:
            time.sleep(self.latency.get(record_kind(kind), 0.0))
            reply = self._misbehave(kind, target, params, path) or Reply(*self._serve(kind, target, params))
        finally:
            with self._lock:
                self._in_flight -= 1
        reply.headers = {**limit_headers, **reply.headers}
        return reply

    def _fault_for(self, kind: str) -> int | str | None:
        """The fault this request meets: a scripted one, a standing one, or `always`."""
        now = time.monotonic()
        with self._lock:
            for queued in list(self.faults):
                if queued.matches(kind):
                    self.faults.remove(queued)
                    return queued.what
            self.standing = [f for f in self.standing if f.until is None or f.until > now]
            for standing in self.standing:
                if standing.matches(kind):
                    return standing.what
        return self.always

    def _misbehave(self, kind: str, target: str, params: dict[str, list[str]],
                   path: str = "") -> Reply | None:
        fault = self._fault_for(kind)
        if fault == "redirect":
            return Reply(302, {"Location": self.redirect_to + path}, b"")
        if fault is None:
            return None
        if fault == "timeout":
            self._stopping.wait(self.hang)
            return None
        if fault == "refuse":
            return Reply(*_validation_failure("filter-not-available", "refused by the stub"))
        if isinstance(fault, str):
            return self._broken(fault, kind, target, params)
        status = int(fault)
        extra = {"Retry-After": f"{self.retry_after:g}"} if status == 429 else {}
        return Reply(status, extra, f"stub fault {status}".encode())

    def _broken(self, fault: str, kind: str, target: str, params: dict[str, list[str]]) -> Reply:
        """An answer that is not Crossref's, or one delivered wrongly."""
        if fault == "malformed":
            return Reply(200, _JSON, b'{"status":"ok","message-type":"work-list","message":{"items":[{"DOI"')
        if fault == "page404":
            return Reply(404, {"Content-Type": "text/html"}, _PAGE_404)
        if fault == "not-found":
            return Reply(*_not_found())
        if fault == "html":
            return Reply(200, {"Content-Type": "text/html"}, b"<!doctype html><title>Welcome</title><p>It works!")
        if fault == "no-items":
            message_type = {"single": "work", "agency": "work-agency"}.get(kind, "work-list")
            return Reply(*_ok(message_type, {"total-results": 0} if message_type == "work-list" else {}))
        if fault == "other-dois":
            return Reply(*self._strangers(kind, target, params))
        if fault in ("truncated", "drip"):
            status, headers, body = self._serve(kind, target, params)
            return Reply(status, headers, body, fault)
        if fault == "endless":
            return Reply(200, _JSON, b'{"status":"ok","message-type":"work-list","message":{"items":[',
                         "endless")
        if fault == "huge":
            padding = "x" * self.huge_bytes
            return Reply(*_ok("work-list", {"total-results": 0, "items": [], "padding": padding}))
        if fault == "drop":
            return Reply(0, {}, b"", "drop")
        raise ValueError(f"unknown fault {fault!r}")

    def _strangers(self, kind: str, target: str, params: dict[str, list[str]]) -> tuple[int, dict[str, str], bytes]:
        """A well-formed answer about DOIs nobody asked about."""
        asked = set(_parse_filters(_param(params, "filter"))[0].get("doi", [])) | {target}
        others = [r for doi, r in self.index.records.items() if doi not in asked][:3]
        if kind == "agency":
            return _ok("work-agency", {"DOI": others[0]["DOI"], "agency": {"id": "crossref", "label": "Crossref"}})
        if kind == "single":
            return _ok("work", _served(others[0], 1.0))
        return _ok("work-list", {"total-results": len(others), "items": [_served(r, 1.0) for r in others],
                                 "items-per-page": len(others), "facets": {}})

    def deliver(self, reply: Reply, wfile: Any, connection: socket.socket) -> None:
        """Write `reply` to a client the way its mode says (the handler's half)."""
        if reply.mode == "drop":
            connection.shutdown(socket.SHUT_RDWR)
            return
        length = len(reply.body)
        if reply.mode == "endless":
            reply.headers["Transfer-Encoding"] = "chunked"
        header = [f"HTTP/1.1 {reply.status} {_REASONS.get(reply.status, 'Status')}\r\n"]
        header += [f"{name}: {value}\r\n" for name, value in reply.headers.items()]
        if reply.mode != "endless":
            header.append(f"Content-Length: {length}\r\n")
        wfile.write(("".join(header) + "\r\n").encode("latin-1"))
        if reply.mode == "whole":
            wfile.write(reply.body)
        elif reply.mode == "truncated":
            wfile.write(reply.body[: length // 2])
            wfile.flush()
            connection.shutdown(socket.SHUT_RDWR)
        elif reply.mode == "drip":
            for byte in range(length):
                wfile.write(reply.body[byte:byte + 1])
                wfile.flush()
                if self._stopping.wait(self.drip):
                    return
        elif reply.mode == "endless":
            chunk = b'{"DOI":"10.5555/endless"},' * 2000
            wfile.write(f"{len(reply.body):x}\r\n".encode() + reply.body + b"\r\n")
            while not self._stopping.is_set():
                wfile.write(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")

    def _serve(self, kind: str, target: str, params: dict[str, list[str]]) -> tuple[int, dict[str, str], bytes]:
        if kind == "single":
            record = self.record(target)
            return _ok("work", _served(record, 1.0)) if record else _not_found()
        if kind == "agency":
            agency = self.agency_of(target)
            if agency is None:
                return _not_found()
            return _ok("work-agency", {"DOI": target, "agency": {"id": agency, "label": agency.title()}})
        if kind in ("batch", "search"):
            return self._serve_list(params)
        return _not_found()

    def _serve_list(self, params: dict[str, list[str]]) -> tuple[int, dict[str, str], bytes]:
        filters, problem = _parse_filters(_param(params, "filter"))
        if problem:
            return _validation_failure("filter-not-available", problem)
        rows_text = _param(params, "rows") or "20"
        if not rows_text.isdigit() or int(rows_text) > 1000:
            return _validation_failure("integer-not-valid", f"rows {rows_text!r} is not valid")
        rows, query = int(rows_text), _param(params, "query.bibliographic")
        if query:
            ranked = [(self.index.records[doi], score) for doi, score in bm25(self.index, query)]
        else:
            ranked = [(r, 1.0) for r in self.index.records.values()] if filters.get("doi") is None \
                else [(self.index.records[d], 1.0) for d in filters["doi"] if d in self.index.records]
        ranked = [(r, s) for r, s in ranked if _passes(r, filters)]
        message = {
            "facets": {},
            "total-results": len(ranked),
            "items": [_served(r, s) for r, s in ranked[:rows]],
            "items-per-page": rows,
            "query": {"start-index": 0, "search-terms": query or None},
        }
        return _ok("work-list", message)

    def agency_of(self, doi: str) -> str | None:
        """The agency the stub names for `doi` (None: registered nowhere)."""
        prefix = doi.split("/", 1)[0]
        for key in (doi, prefix):
            if key in self.agencies:
                return self.agencies[key]
        return "crossref" if doi in self.index.records else None

    def _limit_headers(self, kind: str) -> dict[str, str]:
        headers = {}
        limit = self.limits.get(record_kind(kind))
        if limit:
            headers = {"x-rate-limit-limit": str(limit[0]), "x-rate-limit-interval": f"{limit[1]:g}s"}
        if self.concurrency_limit:
            headers["x-concurrency-limit"] = str(self.concurrency_limit)
        return headers

    def _admit(self, kind: str, arrived: float) -> bool:
        """Take this request, which arrived at `arrived`, in flight unless it
        breaks the rate or concurrency limit (then 429)."""
        with self._lock:
            recent = self._recent[record_kind(kind)]
            limit = self.limits.get(record_kind(kind))
            window = limit[1] - self.arrival_slack if limit else 0.0
            while recent and recent[0] <= time.monotonic() - 2 * window:
                recent.popleft()
            over_rate = bool(limit) and _over_rate(recent, arrived, limit[0], window)
            over_concurrency = bool(self.concurrency_limit) and self._in_flight >= self.concurrency_limit
            if over_rate or over_concurrency:
                self.throttled += 1
                return False
            bisect.insort(recent, arrived)
            self._in_flight += 1
            self.peak_in_flight = max(self.peak_in_flight, self._in_flight)
            return True

    @property
    def _address(self) -> tuple[str, int]:
        assert self._server is not None, "the stub is not running"
        return self._server.server_address[:2]  # type: ignore[return-value]


def _over_rate(arrivals: deque[float], arrived: float, limit: int, window: float) -> bool:
    """Whether a request arriving at `arrived` would put more than `limit`
    arrivals into some `window` seconds, among those already admitted
    (sorted). Threads may judge requests a little out of their order of
    arrival, so the windows ending after it are checked too, as a server
    judging strictly in order would have."""
    trial = sorted([*arrivals, arrived])
    return any(sum(end - window < other <= end for other in trial) > limit
               for end in trial if arrived <= end < arrived + window)


_JSON = {"Content-Type": "application/json;charset=utf-8"}
_PAGE_404 = (b"<!DOCTYPE html>\n<html><head><title>404 Not Found</title></head>"
             b"<body><h1>Not Found</h1><p>The requested URL was not found on this server.</p></body></html>")
_REASONS = {200: "OK", 302: "Found", 400: "Bad Request", 404: "Not Found", 429: "Too Many Requests",
            500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable"}


def _ok(message_type: str, message: dict[str, Any]) -> tuple[int, dict[str, str], bytes]:
    body = {"status": "ok", "message-type": message_type, "message-version": "1.0.0", "message": message}
    return 200, _JSON, json.dumps(body, ensure_ascii=False).encode()


def _not_found() -> tuple[int, dict[str, str], bytes]:
    return 404, {"Content-Type": "text/plain"}, NOT_FOUND.encode()


def _validation_failure(kind: str, text: str) -> tuple[int, dict[str, str], bytes]:
    body = {"status": "failed", "message-type": "validation-failure",
            "message": [{"type": kind, "value": text, "message": text}]}
    return 400, _JSON, json.dumps(body).encode()


def _served(record: dict[str, Any], score: float) -> dict[str, Any]:
    return {**record, "score": float(score)}


def _param(params: dict[str, list[str]], name: str) -> str:
    return (params.get(name) or [""])[0]


def _route(path: str, params: dict[str, list[str]]) -> tuple[str, str]:
    """The request's kind and its DOI (for single and agency lookups)."""
    path = unquote(path)
    if path.rstrip("/") == "/works":
        return ("search" if "query.bibliographic" in params else "batch"), ""
    if path.startswith("/works/"):
        doi = path[len("/works/"):].lower()
        if doi.endswith("/agency"):
            return "agency", doi[: -len("/agency")]
        return "single", doi
    return "other", ""


def _parse_filters(text: str) -> tuple[dict[str, list[str]], str]:
    """Crossref's filter syntax: name:value pairs separated by commas."""
    filters: dict[str, list[str]] = defaultdict(list)
    for part in filter(None, text.split(",")):
        name, _, value = part.partition(":")
        if name not in _KNOWN_FILTERS or not value:
            return {}, f"filter {name!r} specified but there is no such filter for this route"
        filters[name].append(value.lower())
    return dict(filters), ""


def _passes(record: dict[str, Any], filters: dict[str, list[str]]) -> bool:
    year = _year(record)
    checks = {
        "doi": lambda v: record["DOI"].lower() in v,
        "type": lambda v: record.get("type") in v,
        "prefix": lambda v: record["DOI"].split("/", 1)[0] in v,
        "from-pub-date": lambda v: year is not None and year >= int(v[0][:4]),
        "until-pub-date": lambda v: year is not None and year <= int(v[0][:4]),
    }
    return all(checks[name](values) for name, values in filters.items())


def _year(record: dict[str, Any]) -> int | None:
    for key in ("issued", "published-print", "published-online", "created"):
        parts = ((record.get(key) or {}).get("date-parts") or [[None]])[0]
        if parts and parts[0]:
            return int(parts[0])
    return None


# -- search ------------------------------------------------------------------------
def tokens(text: str) -> list[str]:
    return [t.casefold() for t in _TOKEN.findall(text)]


def _searchable(record: dict[str, Any]) -> str:
    names = " ".join(f"{a.get('given', '')} {a.get('family', '')} {a.get('name', '')}"
                     for a in record.get("author") or [])
    lists = [record.get(key) or [] for key in
             ("title", "subtitle", "container-title", "short-container-title")]
    parts = [text for values in lists for text in values]
    parts += [names, str(_year(record) or ""), str(record.get("volume") or ""),
              str(record.get("page") or "")]
    return " ".join(p for p in parts if isinstance(p, str))


def bm25(index: _Index, query: str, k1: float = 1.2, b: float = 0.75) -> list[tuple[str, float]]:
    """Records ranked for `query` by BM25 over their searchable text, best first."""
    scores: dict[int, float] = defaultdict(float)
    n, average = len(index.order), index.average_length
    for token in set(tokens(query)):
        postings = index.postings.get(token, [])
        if not postings:
            continue
        idf = math.log(1 + (n - len(postings) + 0.5) / (len(postings) + 0.5))
        for doc, tf in postings:
            norm = tf + k1 * (1 - b + b * index.lengths[doc] / average)
            scores[doc] += idf * tf * (k1 + 1) / norm
    ranked = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))
    return [(index.order[doc], round(score, 3)) for doc, score in ranked]


# -- loading -------------------------------------------------------------------
def read_records(*paths: Path) -> Iterator[dict[str, Any]]:
    """Work records from JSON-lines files, "_" keys stripped; absent files skipped."""
    for path in paths:
        if not path.is_file():
            continue
        with path.open(encoding="utf-8") as lines:
            for line in lines:
                if line.strip():
                    yield {k: v for k, v in json.loads(line).items() if not k.startswith("_")}


@lru_cache(maxsize=4)
def load_index(paths: tuple[Path, ...] = (SEED_WORKS, SHARED_WORKS)) -> _Index:
    """The records of `paths` (first file wins on a repeated DOI) with their search index."""
    records: dict[str, dict[str, Any]] = {}
    for record in read_records(*paths):
        records.setdefault(str(record["DOI"]).lower(), record)
    return _build_index(records, shared=SHARED_WORKS in paths and SHARED_WORKS.is_file())


def _build_index(records: dict[str, dict[str, Any]], shared: bool) -> _Index:
    order = list(records)
    postings: dict[str, list[tuple[int, int]]] = defaultdict(list)
    lengths = []
    for doc, doi in enumerate(order):
        counted = Counter(tokens(_searchable(records[doi])))
        lengths.append(sum(counted.values()))
        for token, tf in counted.items():
            postings[token].append((doc, tf))
    return _Index(records, order, dict(postings), lengths, shared)


def index_of(records: Iterable[dict[str, Any]]) -> _Index:
    """An index over hand-made records (tests that want a tiny, exact world)."""
    by_doi = {str(r["DOI"]).lower(): {k: v for k, v in r.items() if not k.startswith("_")}
              for r in records}
    return _build_index(by_doi, shared=False)


def refused_url() -> str:
    """A URL on 127.0.0.1 where nothing listens: connecting is refused."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


# Linux's SO_TIMESTAMPNS (not named by Python's socket module): the kernel
# stamps each segment with the time it was received.
_SO_TIMESTAMPNS = getattr(socket, "SO_TIMESTAMPNS", 35)


class _QuietServer(ThreadingHTTPServer):
    """A threading HTTP server that says nothing when a client hangs up on it."""

    def server_bind(self) -> None:
        """Bind, and have the kernel stamp what arrives on every connection
        accepted (they inherit the option) from its first byte (where it can)."""
        super().server_bind()
        try:
            self.socket.setsockopt(socket.SOL_SOCKET, _SO_TIMESTAMPNS, 1)
        except OSError:
            pass  # no stamps: requests are dated when read

    def handle_error(self, request: Any, client_address: Any) -> None:
        if not isinstance(sys.exc_info()[1], OSError):
            super().handle_error(request, client_address)


def _arrival(connection: socket.socket) -> float | None:
    """When the next request's first bytes reached this machine, in monotonic
    seconds, from the kernel's stamp: the moment Crossref's edge would count
    it, however long this process's threads (busy answering others, or short
    of CPU on a loaded machine) take to read it. Waits for those bytes
    without taking them; None when the kernel gave no stamp."""
    try:
        data, ancillary, _, _ = connection.recvmsg(1, socket.CMSG_SPACE(16), socket.MSG_PEEK)
    except OSError:
        return None
    for level, kind, payload in ancillary:
        if data and level == socket.SOL_SOCKET and kind == _SO_TIMESTAMPNS and len(payload) >= 16:
            seconds, nanoseconds = struct.unpack("qq", payload[:16])
            return time.monotonic() - (time.time() - (seconds + nanoseconds / 1e9))
    return None


def _handler_for(stub: CrossrefStub) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def setup(self) -> None:
            super().setup()
            stub.track(self.connection, True)
            self.arrived: float | None = None

        def handle_one_request(self) -> None:
            self.arrived = _arrival(self.connection)
            super().handle_one_request()

        def finish(self) -> None:
            stub.track(self.connection, False)
            super().finish()

        def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
            parts = urlsplit(self.path)
            reply = stub.answer(parts.path, parts.query, dict(self.headers.items()), self.arrived)
            if reply.mode != "whole":
                self.close_connection = True
            try:
                stub.deliver(reply, self.wfile, self.connection)
            except OSError:
                self.close_connection = True  # the client gave up (a timeout or a size cap)

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            pass

    return Handler


# -- pytest fixtures ---------------------------------------------------------------
@pytest.fixture
def crossref_stub() -> Iterator[CrossrefStub]:
    """A running stub with the seed records (+ real distractors when ../shared is present)."""
    stub = CrossrefStub(load_index()).start()
    yield stub
    stub.stop()


@pytest.fixture
def make_stub() -> Iterator[Callable[..., CrossrefStub]]:
    """A factory of running stubs over given records (`make_stub(records, **switches)`);
    each is stopped at teardown."""
    started: list[CrossrefStub] = []

    def make(records: Iterable[dict[str, Any]], **switches: Any) -> CrossrefStub:
        stub = CrossrefStub(index_of(records), **switches).start()
        started.append(stub)
        return stub

    yield make
    for stub in started:
        stub.stop()


@pytest.fixture
def seed_stub() -> Iterator[CrossrefStub]:
    """A running stub with only the synthetic seed records (fast, exact rankings)."""
    stub = CrossrefStub(load_index((SEED_WORKS,))).start()
    yield stub
    stub.stop()


def main(argv: list[str] | None = None) -> None:
    """Serve the stub until Ctrl-C, for trying refkit by hand:
    `python -m tests.crossref_stub --port 8765 [--polite] [--seed-only]`."""
    import argparse

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--polite", action="store_true", help="enforce the polite pool's limits")
    parser.add_argument("--seed-only", action="store_true", help="serve only the synthetic seed records")
    args = parser.parse_args(argv)
    stub = CrossrefStub(load_index((SEED_WORKS,) if args.seed_only else (SEED_WORKS, SHARED_WORKS)))
    if args.polite:
        stub.polite_limits()
    stub.port = args.port
    stub.start()
    print(f"Crossref stub at {stub.url} ({len(stub.index.records)} records); Ctrl-C stops it")
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        stub.stop()


if __name__ == "__main__":
    main()
