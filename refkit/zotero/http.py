"""One HTTP transport for every Zotero endpoint (Web API, local API, connector).

It follows the Web API's rules for polite clients: a `Backoff` header on any
response delays the next request; 429 and 503 are retried after
`Retry-After`; connection failures and 500/502/504 are retried a bounded
number of times with exponential delays. The API key travels only in the
`Zotero-API-Key` header and is scrubbed from every message refkit logs or
raises, whatever the server echoes back.
"""

from __future__ import annotations

import json
import logging
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator, Mapping

import requests

from refkit.errors import RefkitError
from refkit.zotero.config import ApiKey

log = logging.getLogger("refkit.zotero")

PAGE_SIZE = 100  # the Web API's largest page
RETRY_STATUSES = {429, 500, 502, 503, 504}
USER_AGENT = "refkit-zotero/0.1 (+https://github.com/refkit)"


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

    def json(self) -> Any:
        return json.loads(self.body.decode("utf-8")) if self.body else None

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


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
    _session: requests.Session = field(default_factory=requests.Session, repr=False)
    _not_before: float = 0.0

    def request(self, method: str, path: str, *, params: Mapping[str, Any] | None = None,
                json_body: Any = None, data: bytes | None = None,
                headers: Mapping[str, str] | None = None) -> Reply:
        """Send one request, retrying what the rules allow; never raises with the key in it."""
        send_headers = {"User-Agent": USER_AGENT, **self.extra_headers, **(headers or {})}
        if self.api_key is not None:
            send_headers["Zotero-API-Key"] = self.api_key.reveal()
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

    def get_json(self, path: str, params: Mapping[str, Any] | None = None) -> Any:
        """GET `path` and return its JSON body, raising a clear error unless 200."""
        reply = self.request("GET", path, params=params)
        self.raise_for(reply, f"GET {path}")
        return reply.json()

    def paginate(self, path: str, params: Mapping[str, Any] | None = None) -> Iterator[Any]:
        """Every object of a multi-object GET, page by page (start/limit, Total-Results)."""
        start = 0
        while True:
            reply = self.request("GET", path, params={**(params or {}), "start": start,
                                                       "limit": PAGE_SIZE})
            self.raise_for(reply, f"GET {path}")
            page = reply.json() or []
            yield from page
            start += len(page)
            total = int(reply.headers.get("Total-Results", start))
            if not page or start >= total:
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


def _seconds(value: str | None) -> float:
    try:
        return max(0.0, float(value)) if value else 0.0
    except ValueError:
        return 0.0


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
