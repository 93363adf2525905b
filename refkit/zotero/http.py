"""One HTTP transport for every Zotero endpoint (Web API, local API, connector).

It follows the Web API's rules for polite clients: a `Backoff` header on any
response delays the next request; 429 and 503 are retried after
`Retry-After`; connection failures and 500/502/504 are retried a bounded
number of times with exponential delays. The API key travels only in the
`Zotero-API-Key` header, never to another host (a redirect elsewhere drops
it, as requests drops `Authorization`), and is scrubbed from every message
refkit logs or raises, whatever the server echoes back. A reply that is not
the JSON its request calls for is a `ZoteroError`, never a crash.
"""

from __future__ import annotations

import json
import logging
import math
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator, Mapping, TypeVar

import requests

from refkit.errors import RefkitError
from refkit.zotero.config import ApiKey

log = logging.getLogger("refkit.zotero")

PAGE_SIZE = 100  # the Web API's largest page
RETRY_STATUSES = {429, 500, 502, 503, 504}
MAX_WAIT = 600.0  # seconds: the longest Backoff or Retry-After refkit honours
USER_AGENT = "refkit-zotero/0.1 (+https://github.com/refkit)"
KEY_HEADER = "Zotero-API-Key"
J = TypeVar("J", dict, list)


class ZoteroError(RefkitError):
    """Zotero refused or could not be reached; the message says what to do."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class PreconditionFailed(ZoteroError):
    """412: the object changed since the version we read, or the write token was used."""


@dataclass
class Reply:
    """One HTTP answer, plus whether an earlier attempt of the same request
    was lost after it may have reached the server (a replay is then possible)."""

    status: int
    headers: Mapping[str, str]
    body: bytes
    replayed: bool = False

    def json(self, expect: type[J]) -> J:
        """The body as JSON of type `expect` (dict or list; an empty body is an
        empty one); a ZoteroError when Zotero sent something else."""
        if not self.body:
            return expect()
        try:
            value = json.loads(self.body.decode("utf-8"))
        except (ValueError, UnicodeDecodeError, RecursionError):
            raise ZoteroError(f"Zotero sent a reply that is not JSON (HTTP {self.status}); "
                              "try again later") from None
        if not isinstance(value, expect):
            raise ZoteroError(f"Zotero sent a JSON {type(value).__name__} where a "
                              f"{expect.__name__} was due (HTTP {self.status})")
        return value

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


class HostBoundSession(requests.Session):
    """A requests session that drops the Zotero API key when a redirect leaves
    the host, as requests itself does only for `Authorization`."""

    def rebuild_auth(self, prepared_request: requests.PreparedRequest,
                     response: requests.Response) -> None:
        super().rebuild_auth(prepared_request, response)
        if self.should_strip_auth(response.request.url, prepared_request.url):
            prepared_request.headers.pop(KEY_HEADER, None)


@dataclass
class Transport:
    """Sends requests to one Zotero base URL with retries, Backoff and scrubbing."""

    base_url: str
    api_key: ApiKey | None = None
    max_attempts: int = 5
    timeout: float = 30.0
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic
    extra_headers: dict[str, str] = field(default_factory=dict)
    stats: Counter = field(default_factory=Counter)
    _session: requests.Session = field(default_factory=HostBoundSession, repr=False)
    _not_before: float = 0.0

    def request(self, method: str, path: str, *, params: Mapping[str, Any] | None = None,
                json_body: Any = None, data: bytes | None = None,
                headers: Mapping[str, str] | None = None) -> Reply:
        """Send one request, retrying what the rules allow; never raises with the key in it."""
        send_headers = {"User-Agent": USER_AGENT, **self.extra_headers, **(headers or {})}
        if self.api_key is not None:
            send_headers[KEY_HEADER] = self.api_key.reveal()
        lost = False
        attempt = 0
        while True:
            attempt += 1
            self._wait_for_backoff()
            self.stats[f"{method} requests"] += 1
            try:
                raw = self._session.request(method, self.base_url + path, params=params,
                                            json=json_body, data=data, headers=send_headers,
                                            timeout=self.timeout)
            except requests.RequestException as exc:
                lost = True
                reason = self.scrub(f"{type(exc).__name__}: {exc}")
                log.debug("%s %s failed (attempt %d): %s", method, path, attempt, reason)
                if attempt == self.max_attempts:
                    raise ZoteroError(f"cannot reach Zotero at {self.base_url}: {reason}; "
                                      "check the address or try again later") from None
                self._pause(min(2 ** attempt, 60), "connection")
                continue
            reply = Reply(raw.status_code, raw.headers, raw.content, replayed=lost)
            log.debug("%s %s -> %d", method, self.scrub(raw.url), raw.status_code)
            self._note_backoff(reply)
            if reply.status not in RETRY_STATUSES:
                return reply
            self.stats[f"http {reply.status}"] += 1
            if attempt == self.max_attempts:
                raise ZoteroError(f"Zotero kept answering {reply.status} "
                                  f"({_status_hint(reply.status)}) after {attempt} attempts; "
                                  "try again later", reply.status)
            lost = lost or reply.status >= 500
            self._pause(_retry_after(reply, attempt), f"http {reply.status}")

    def get_json(self, path: str, params: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """GET `path` and return its JSON object, raising a clear error unless 200."""
        reply = self.request("GET", path, params=params)
        self.raise_for(reply, f"GET {path}")
        return reply.json(dict)

    def paginate(self, path: str, params: Mapping[str, Any] | None = None) -> Iterator[dict[str, Any]]:
        """Every object of a multi-object GET, page by page (start/limit,
        Total-Results); each is checked to be an API object (key, data)."""
        start = 0
        while True:
            reply = self.request("GET", path, params={**(params or {}), "start": start,
                                                       "limit": PAGE_SIZE})
            self.raise_for(reply, f"GET {path}")
            page = reply.json(list)
            yield from (api_object(obj, f"GET {path}") for obj in page)
            start += len(page)
            total = reply.headers.get("Total-Results", "")
            if not page or start >= (int(total) if total.isdigit() else start):
                return

    def raise_for(self, reply: Reply, what: str, ok: tuple[int, ...] = (200,)) -> None:
        """Raise a ZoteroError (PreconditionFailed for 412) unless `reply.status` is in `ok`."""
        if reply.status in ok:
            return
        detail = self.scrub(reply.text.strip())[:200]
        message = f"{what}: Zotero answered {reply.status} ({_status_hint(reply.status)})"
        if detail:
            message += f": {detail}"
        error = PreconditionFailed if reply.status == 412 else ZoteroError
        raise error(message, reply.status)

    def scrub(self, text: str) -> str:
        """`text` without the API key."""
        return self.api_key.scrub(text) if self.api_key is not None else text

    def _wait_for_backoff(self) -> None:
        delay = self._not_before - self.clock()
        if delay > 0:
            self._pause(delay, "backoff")

    def _note_backoff(self, reply: Reply) -> None:
        seconds = _seconds(reply.headers.get("Backoff"))
        if seconds:
            self.stats["backoff headers"] += 1
            self._not_before = max(self._not_before, self.clock() + seconds)

    def _pause(self, seconds: float, why: str) -> None:
        self.stats["waits"] += 1
        self.stats["waited seconds"] += seconds
        log.debug("waiting %.1f s (%s)", seconds, why)
        self.sleep(seconds)


def api_object(obj: Any, what: str) -> dict[str, Any]:
    """`obj` when it is a Zotero API object (a dict with a string `key` and a
    `data` dict), else a ZoteroError naming the request."""
    if isinstance(obj, dict) and isinstance(obj.get("key"), str) and isinstance(obj.get("data"), dict):
        return obj
    raise ZoteroError(f"{what}: Zotero sent a malformed object ({str(obj)[:80]}); try again later")


def _seconds(value: str | None) -> float:
    """Seconds a Backoff or Retry-After header asks for (0 when unreadable), at most MAX_WAIT."""
    try:
        seconds = float(value) if value else 0.0
    except ValueError:
        return 0.0
    return min(max(0.0, seconds), MAX_WAIT) if math.isfinite(seconds) else 0.0


def _retry_after(reply: Reply, attempt: int) -> float:
    """Retry-After (or Backoff) when the server gives one, else exponential."""
    return (_seconds(reply.headers.get("Retry-After"))
            or _seconds(reply.headers.get("Backoff"))
            or float(min(2 ** attempt, 60)))


_HINTS = {
    400: "bad request",
    403: "the API key is invalid or lacks access to this library: check its permissions "
         "at https://www.zotero.org/settings/keys",
    404: "no such library or object: check the user or group id",
    409: "the library is locked; try again shortly",
    412: "the object changed since it was read",
    413: "too many objects in one request",
    428: "a version precondition is required",
    429: "too many requests",
    500: "server error",
    503: "service unavailable",
}


def _status_hint(status: int) -> str:
    return _HINTS.get(status, "unexpected status")
