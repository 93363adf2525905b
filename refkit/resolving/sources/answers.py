"""What an answer must look like before refkit believes it came from Crossref.

A verdict that condemns a DOI ("not registered with any agency") rests on
Crossref saying so, so every answer is checked against the shape of the
REST API's own (../shared/data/crossref-list-responses): a JSON envelope
with `"status": "ok"`, the `message-type` the route gives ("work",
"work-list", "work-agency"), list messages with `items` and
`total-results`, and records for exactly the DOIs asked. Crossref's "not
found" is a 404 whose body is "Resource not found."; its refusals are 400s
with a "validation-failure" message. Anything else (a plain web server's
404 page, HTML, JSON of another shape, records for other DOIs, a short
list) raises `NotCrossref`: a failure to ask, never an answer.
"""

from __future__ import annotations

import json
from typing import Any

from refkit.doi import normalize

_NOT_FOUND = "resource not found"


class NotCrossref(Exception):
    """The answer is not one Crossref gives; the message says what is wrong with it."""


def work_list(body: bytes, asked: set[str] | None = None) -> list[dict[str, Any]]:
    """The records of a "work-list" answer. With `asked` (normalised DOIs of
    a filter=doi:… request), every record must be one of them and the list
    must be complete, since a DOI missing from it will be taken as "not found"."""
    message = _message(body, "work-list")
    items, total = message.get("items"), message.get("total-results")
    if not isinstance(items, list) or not isinstance(total, int) or isinstance(total, bool):
        raise NotCrossref("a work list without 'items' and 'total-results'")
    records = [_record(item) for item in items]
    if total < len(records):
        raise NotCrossref(f"'total-results' {total} is less than the {len(records)} items sent")
    if asked is not None:
        strangers = {normalize(r["DOI"]) for r in records} - asked
        if strangers:
            raise NotCrossref(f"records for DOIs not asked about ({sorted(strangers)[0]}, …)")
        if total > len(records):
            raise NotCrossref(f"{len(records)} of {total} results: the list is incomplete")
    return records


def work(body: bytes, doi: str) -> dict[str, Any]:
    """The record of a "work" answer, which must be the one for `doi`."""
    record = _record(_message(body, "work"))
    if normalize(record["DOI"]) != normalize(doi):
        raise NotCrossref(f"the record of {record['DOI']} instead of {doi}")
    return record


def agency(body: bytes, doi: str) -> str:
    """The agency id ("crossref", "datacite", …) of a "work-agency" answer about `doi`."""
    message = _message(body, "work-agency")
    named = message.get("agency")
    ident = named.get("id") if isinstance(named, dict) else None
    if not isinstance(ident, str) or not ident.strip():
        raise NotCrossref("a work-agency answer without an agency id")
    if not isinstance(message.get("DOI"), str) or normalize(message["DOI"]) != normalize(doi):
        raise NotCrossref(f"the agency of another DOI ({message.get('DOI')!r}) instead of {doi}")
    return ident.strip().lower()


def is_not_found(body: bytes) -> bool:
    """Whether a 404's body is Crossref's own "Resource not found."."""
    return body.decode("utf-8", "replace").strip().rstrip(".").lower() == _NOT_FOUND


def is_refusal(body: bytes) -> bool:
    """Whether a 400's body is Crossref's refusal of the request (a validation failure)."""
    try:
        envelope = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return False
    return isinstance(envelope, dict) and envelope.get("status") == "failed"


def _message(body: bytes, message_type: str) -> dict[str, Any]:
    """The `message` of an envelope with status "ok" and `message_type`."""
    try:
        envelope = json.loads(body)
    except RecursionError:
        raise NotCrossref("JSON nested too deeply") from None
    except (ValueError, UnicodeDecodeError):
        raise NotCrossref("not JSON (cut off, or a web page)") from None
    if not isinstance(envelope, dict) or envelope.get("status") != "ok":
        raise NotCrossref("JSON without Crossref's \"status\": \"ok\" envelope")
    if envelope.get("message-type") != message_type:
        raise NotCrossref(f"message-type {envelope.get('message-type')!r} where {message_type!r} was due")
    message = envelope.get("message")
    if not isinstance(message, dict):
        raise NotCrossref("an envelope without a message")
    return message


def _record(item: Any) -> dict[str, Any]:
    if not isinstance(item, dict) or not isinstance(item.get("DOI"), str) or not item["DOI"].strip():
        raise NotCrossref("a record without a DOI")
    return item
