"""One HTTP GET whose cost is bounded: a deadline for the whole exchange and
a cap on the body, for every registry refkit asks.

An endless chunked body, one dripped a byte every few seconds, or one of
hundreds of megabytes must hold neither a run nor its memory: `get` reads
the body as it arrives (decompressed, so a small compressed bomb counts at
its real size) and stops at the deadline or the cap with `Unbounded`, which
callers treat as a malformed answer: retried, then reported unverified.
"""

from __future__ import annotations

import time
from typing import Any, Callable

import httpx2

from refkit.settings import Settings


class Unbounded(Exception):
    """The answer outgrew the size cap or the deadline; the message says which."""


def get(http: httpx2.Client, path: str, params: dict[str, Any], settings: Settings,
        headers: dict[str, str] | None = None,
        trace: Callable[[str, dict[str, Any]], None] | None = None) -> tuple[int, httpx2.Headers, bytes]:
    """GET `path` with `http`: status, headers and the whole body, within
    `settings.deadline` seconds and `settings.max_response_mb` megabytes;
    `trace` is told each step of sending it (httpcore's trace extension)."""
    deadline = time.monotonic() + settings.deadline
    cap = int(settings.max_response_mb * 1_000_000)
    too_slow = f"took more than {settings.deadline:g} s to answer"
    with http.stream("GET", path, params=params, headers=headers,
                     extensions={"trace": trace} if trace else None) as response:
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > cap:
            raise Unbounded(f"announced an answer of {int(declared):,} bytes, over the "
                            f"{settings.max_response_mb:g} MB limit")
        body = bytearray()
        for chunk in response.iter_bytes():
            body += chunk
            if len(body) > cap:
                raise Unbounded(f"sent more than the {settings.max_response_mb:g} MB an answer may have")
            if time.monotonic() > deadline:
                raise Unbounded(too_slow)
    if time.monotonic() > deadline:
        raise Unbounded(too_slow)
    return response.status_code, response.headers, bytes(body)
