"""CSL-JSON reader: an array of CSL items (or one item) -> one Citation each.

The shape is checked item by item: an item that cannot be read (broken
JSON, no CSL type, names that are not name objects, nesting too deep) is
skipped with an RK403 finding naming it and its line, and the rest is read;
`note` becomes the summaries (refkit's own bullet layout is undone, see
refkit.writers.csljson), and `DOI` is cleaned but kept as printed.
"""

from __future__ import annotations

import json
import re
import sys
from typing import Any

from refkit import doi as doi_tools
from refkit import issued, standard_numbers
from refkit.codes import Severity
from refkit.csl import CROSSREF_TO_CSL, CSL_TYPES
from refkit.model import Citation, CitationKind, Document, Finding, Location, Name, Note, squash
from refkit.readers.source import decode, unreadable, usable
from refkit.writers.csljson import split_note
from refkit.writers.entry import flatten, text, year

_NAME_ROLES = ("author", "editor")
_NAME_PARTS = ("family", "given", "literal", "suffix", "non-dropping-particle", "dropping-particle")
_DATE_KEYS = ("issued", "accessed", "original-date", "event-date", "submitted", "available-date")
_DECODER = json.JSONDecoder()
MAX_NESTING = 32  # a CSL item nests a few levels (date-parts: 4); far deeper is not one
_ITEM_START = re.compile(r"\n[ \t]*\{")


def read(path: str, data: bytes) -> Document:
    """Every readable item of a CSL-JSON file as a Citation (kind REFERENCE);
    an unreadable item is skipped with an RK403 finding naming its line."""
    content = decode(path, data)
    items, problems = parse(path, content)
    lines = _LineCounter(content)
    citations = [to_citation(path, item, number, lines.at(start)) for number, item, start in items]
    return usable(path, Document(path=path, format="csljson", citations=citations, findings=problems))


def parse(path: str, content: str) -> tuple[list[tuple[int, dict[str, Any], int]], list[Finding]]:
    """(item number, item, offset where it starts) of each readable item of a
    CSL-JSON text, and an RK403 finding for each item that is not: broken
    JSON skips to the next item that starts a line."""
    lines = _LineCounter(content)
    start = _skip(content, 0)
    if content[start:start + 1] != "[":
        return _single(path, content, start, lines)
    items, problems, index, number = [], [], _skip(content, start + 1), 0
    while index < len(content) and content[index] != "]":
        number += 1
        try:
            value, end = _decode_value(content, index)
        except (json.JSONDecodeError, _BadItem) as exc:
            pos = getattr(exc, "pos", index)
            problems.append(unreadable(path, lines.at(pos), _problem(exc, number), label=f"item {number}"))
            index = _next_item(content, max(index + 1, pos))
            continue
        try:
            items.append((number, _accepted(path, value, number, lines.at(index), problems), index))
        except _BadItem as exc:
            problems.append(unreadable(path, lines.at(index), _problem(exc, number), label=f"item {number}"))
        index = _skip(content, end)
        if content[index:index + 1] == ",":
            index = _skip(content, index + 1)
        elif content[index:index + 1] not in ("]", "{", ""):
            problems.append(unreadable(path, lines.at(index), f"text after item {number} is not JSON; "
                                       "skipped up to the next item", severity=Severity.WARNING))
            index = _next_item(content, index)
    return items, problems


def _single(path: str, content: str, start: int, lines: "_LineCounter") -> tuple[list, list[Finding]]:
    """A file holding one item (an object, not an array)."""
    try:
        value, end = _decode_value(content, start)
        if _skip(content, end) < len(content):
            raise json.JSONDecodeError("extra data after the JSON value", content, _skip(content, end))
        problems: list[Finding] = []
        return [(1, _accepted(path, value, 1, lines.at(start), problems), start)], problems
    except (json.JSONDecodeError, _BadItem) as exc:
        return [], [unreadable(path, lines.at(getattr(exc, "pos", start)), _problem(exc, 1))]


class _BadItem(ValueError):
    """A JSON value that is not a usable CSL item."""


class _LineCounter:
    """Line numbers of positions asked in increasing order, counted
    incrementally so a file of any size is scanned once."""

    def __init__(self, content: str) -> None:
        self.content, self.pos, self.line = content, 0, 1

    def at(self, index: int) -> int:
        if index < self.pos:
            return self.content.count("\n", 0, index) + 1
        self.line += self.content.count("\n", self.pos, index)
        self.pos = index
        return self.line


def _decode_value(content: str, index: int) -> tuple[Any, int]:
    """One JSON value; nesting past what any CSL item needs is refused before
    the decoder could exhaust the stack."""
    try:
        return _DECODER.raw_decode(content, index)
    except RecursionError:
        raise _BadItem(f"nested more than {sys.getrecursionlimit()} levels deep") from None


def _next_item(content: str, index: int) -> int:
    """Where the next item starts after a broken one: the next line that opens
    an object; the end of the text when there is none."""
    found = _ITEM_START.search(content, index)
    return found.end() - 1 if found else len(content)


def _problem(exc: Exception, number: int) -> str:
    if isinstance(exc, json.JSONDecodeError):
        return f"item {number} skipped: malformed JSON: {exc.msg} (column {exc.colno})"
    return f"item {number} skipped: {exc}"


def item_label(item: dict[str, Any], number: int) -> str:
    """What a CSL item is called: its citation key, its id, or its number in the file."""
    return str(item.get("citation-key") or item.get("id") or number)


def to_citation(path: str, item: dict[str, Any], number: int, line: int) -> Citation:
    """One CSL item as a Citation; the item's own citation key is kept."""
    label = item_label(item, number)
    item = flatten(item)
    where = Location(path, line, label=label)
    printed_doi = text(item, "DOI") or None
    extra: dict[str, Any] = {"citation-key": label} if item.get("citation-key") or item.get("id") else {}
    if text(item, "abstract"):
        extra["abstract"] = text(item, "abstract")
    if printed_doi and not doi_tools.whole(printed_doi):
        extra["malformed_doi"] = [printed_doi]  # RK101, as refkit.readers.reflist records it
    notes = [Note(summary, where) for summary in split_note(str(item.get("note") or ""))]
    names = {role: [_name(n) for n in item.get(role) or []] for role in _NAME_ROLES}
    citation = Citation(
        raw=json.dumps(item, ensure_ascii=False, sort_keys=True),
        source=where,
        kind=CitationKind.REFERENCE,
        authors=names["author"],
        title=text(item, "title"),
        container=text(item, "container-title"),
        year=int(year(item)) if year(item) else None,
        volume=text(item, "volume"),
        issue=text(item, "issue"),
        pages=text(item, "page"),
        publisher=text(item, "publisher"),
        doi=doi_tools.whole(printed_doi),
        doi_printed=printed_doi,
        url=text(item, "URL"),
        identifiers=standard_numbers.listed({k: text(item, k) for k in ("PMID", "PMCID", "ISBN", "ISSN")
                                             if text(item, k)}),
        csl_type=item["type"],
        notes=notes,
        extra=extra,
    )
    citation.month, citation.day = issued.month_day(citation.year, issued.csl_date(item.get("issued")))
    citation.issued_end = issued.range_end(citation.year, issued.csl_dates(item.get("issued")))
    return citation


def _accepted(path: str, value: Any, number: int, line: int, problems: list[Finding]) -> dict[str, Any]:
    """A JSON value that has the shape of a CSL item, as that item with its
    dates in the structured form; an RK403 warning added to `problems`
    for each date read otherwise than written. _BadItem when it is no item."""
    item = _checked_item(value)
    for key in _DATE_KEYS:
        if key in item:
            item[key], doubt = _structured_date(item[key], key)
            if doubt:
                problems.append(unreadable(path, line, f"item {number}: {doubt}", label=f"item {number}",
                                           severity=Severity.WARNING))
    return item


def _structured_date(date: Any, key: str) -> tuple[dict[str, Any], str]:
    """A CSL date in the structured form (an EDTF string such as "2019-03-12"
    or "2019/2020", which the CSL schema prefers, becomes date-parts), and
    what was doubtful about it ('' when nothing). _BadItem for a date that is
    neither an object nor text."""
    if isinstance(date, str):
        return _edtf(date), ""
    if isinstance(date, int) and not isinstance(date, bool):
        return _edtf(str(date)), f"\"{key}\" is the number {date}, not a date; read as the year {date}"
    if not isinstance(date, dict):
        raise _BadItem(f"\"{key}\" must be a date: an EDTF string such as \"2019-03\" "
                       "or an object such as {\"date-parts\": [[2019, 3]]}")
    parts = date.get("date-parts")
    if parts is None or (isinstance(parts, list) and all(isinstance(p, list) for p in parts)):
        return date, ""
    rest = {k: v for k, v in date.items() if k != "date-parts"}
    if isinstance(parts, (str, int)) and not isinstance(parts, bool):
        return {**rest, **_edtf(str(parts))}, f"\"{key}\" date-parts {_clip(parts)} is not a list of lists; read as a date"
    if isinstance(parts, list) and 0 < len(parts) <= 3 and all(isinstance(p, (str, int)) for p in parts):
        return {**rest, "date-parts": [parts]}, f"\"{key}\" date-parts {_clip(parts)} is not a list of lists; read as [{_clip(parts)}]"
    return rest, f"\"{key}\" date-parts {_clip(parts)} is not a list of [year, month, day] lists; ignored"


def _edtf(written: str) -> dict[str, Any]:
    """An EDTF date or interval ("2019-03-12", "2019/2020") as date-parts;
    other text as a raw date, whose year is read as written."""
    dates = issued.edtf_dates(written)
    if dates is None:
        return {"raw": written}
    return {"date-parts": [[year, *(part for part in rest if part)] for year, *rest in dates]}


def _checked_item(value: Any) -> dict[str, Any]:
    """`value` if it has the shape of a CSL item; _BadItem saying what is wrong otherwise."""
    if not isinstance(value, dict):
        raise _BadItem(f"a CSL-JSON item must be an object, not {type(value).__name__}")
    if _depth(value) > MAX_NESTING:
        raise _BadItem(f"nested more than {MAX_NESTING} levels deep (no CSL item is)")
    item_type = value.get("type")
    if not isinstance(item_type, str) or not item_type:
        raise _BadItem("item has no \"type\" (every CSL item needs one, e.g. \"article-journal\")")
    if item_type not in CSL_TYPES:
        hint = f"; the CSL type is {CROSSREF_TO_CSL[item_type]!r}" if item_type in CROSSREF_TO_CSL else ""
        raise _BadItem(f"type {item_type!r} is not a CSL type{hint}")
    for role in _NAME_ROLES:
        names = value.get(role, [])
        if not isinstance(names, list) or not all(isinstance(n, dict) for n in names):
            raise _BadItem(f"\"{role}\" must be a list of name objects")
        for name in names:
            if any(not isinstance(name.get(part), (str, int, float, type(None))) for part in _NAME_PARTS):
                raise _BadItem(f"a name in \"{role}\" has a part that is not text: {_clip(name)}")
    return dict(value)


def _depth(value: Any) -> int:
    """How deeply lists and objects nest in `value` (walked without recursion)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        node, level = stack.pop()
        if isinstance(node, (dict, list)):
            deepest = max(deepest, level)
            stack.extend((child, level + 1) for child in (node.values() if isinstance(node, dict) else node))
    return deepest


def _clip(value: Any, width: int = 60) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= width else text[:width - 1] + "…"


def _name(name: dict[str, Any]) -> Name:
    if name.get("literal"):
        return Name(literal=squash(str(name["literal"])))
    family = " ".join(str(part) for part in (name.get("non-dropping-particle"), name.get("family")) if part)
    return Name(family=squash(family), given=squash(str(name.get("given") or "")),
                suffix=squash(str(name.get("suffix") or "")))


def _skip(content: str, index: int) -> int:
    while index < len(content) and content[index] in " \t\r\n":
        index += 1
    return index
