"""CSL-JSON reader: an array of CSL items (or one item) -> one Citation each.

The shape is checked item by item, so a problem names the item and its line;
`note` becomes the summaries (refkit's own bullet layout is undone, see
refkit.writers.csljson), and `DOI` is cleaned but kept as printed.
"""

from __future__ import annotations

import json
from typing import Any

from refkit import doi as doi_tools
from refkit.csl import CROSSREF_TO_CSL, CSL_TYPES
from refkit.errors import InputError
from refkit.model import Citation, CitationKind, Document, Location, Name, Note, squash
from refkit.readers.source import decode
from refkit.writers.csljson import split_note
from refkit.writers.entry import flatten, text, year

_NAME_ROLES = ("author", "editor")


def read(path: str, data: bytes) -> Document:
    """Every item of a CSL-JSON file as a Citation (kind REFERENCE)."""
    content = decode(path, data)
    items = parse(path, content)
    citations = [to_citation(path, item, number, line) for number, (item, line) in enumerate(items, 1)]
    return Document(path=path, format="csljson", citations=citations)


def parse(path: str, content: str) -> list[tuple[dict[str, Any], int]]:
    """The items of a CSL-JSON text with the line where each starts."""
    decoder = json.JSONDecoder()
    start = len(content) - len(content.lstrip())
    try:
        if content[start:start + 1] != "[":
            value, end = decoder.raw_decode(content, start)
            _check_end(content, end)
            return [(_checked_item(path, value, 1, _line(content, start)), _line(content, start))]
        items, index = [], _skip(content, start + 1)
        while content[index:index + 1] != "]":
            value, end = decoder.raw_decode(content, index)
            line = _line(content, index)
            items.append((_checked_item(path, value, len(items) + 1, line), line))
            index = _skip(content, end)
            if content[index:index + 1] == ",":
                index = _skip(content, index + 1)
            elif content[index:index + 1] != "]":
                raise json.JSONDecodeError("expected ',' or ']'", content, index)
        _check_end(content, index + 1)
        return items
    except json.JSONDecodeError as exc:
        raise InputError(path, f"malformed JSON: {exc.msg}", f"line {exc.lineno} column {exc.colno}") from None


def to_citation(path: str, item: dict[str, Any], number: int, line: int) -> Citation:
    """One CSL item as a Citation; the item's own citation key is kept."""
    item = flatten(item)
    label = str(item.get("citation-key") or item.get("id") or number)
    where = Location(path, line, label=label)
    printed_doi = text(item, "DOI") or None
    extra: dict[str, Any] = {"citation-key": label} if item.get("citation-key") or item.get("id") else {}
    if text(item, "abstract"):
        extra["abstract"] = text(item, "abstract")
    if printed_doi and not doi_tools.whole(printed_doi):
        extra["malformed_doi"] = [printed_doi]  # RK101, as refkit.readers.reflist records it
    notes = [Note(summary, where) for summary in split_note(str(item.get("note") or ""))]
    names = {role: [_name(n) for n in item.get(role) or []] for role in _NAME_ROLES}
    return Citation(
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
        identifiers={k: text(item, k) for k in ("PMID", "PMCID", "ISBN", "ISSN") if text(item, k)},
        csl_type=item["type"],
        notes=notes,
        extra=extra,
    )


def _checked_item(path: str, value: Any, number: int, line: int) -> dict[str, Any]:
    """`value` if it has the shape of a CSL item; an InputError naming it otherwise."""
    where = f"line {line} (item {number})"
    if not isinstance(value, dict):
        raise InputError(path, f"a CSL-JSON item must be an object, not {type(value).__name__}", where)
    item_type = value.get("type")
    if not isinstance(item_type, str) or not item_type:
        raise InputError(path, "item has no \"type\" (every CSL item needs one, e.g. \"article-journal\")", where)
    if item_type not in CSL_TYPES:
        hint = f"; the CSL type is {CROSSREF_TO_CSL[item_type]!r}" if item_type in CROSSREF_TO_CSL else ""
        raise InputError(path, f"type {item_type!r} is not a CSL type{hint}", where)
    for role in _NAME_ROLES:
        names = value.get(role, [])
        if not isinstance(names, list) or not all(isinstance(n, dict) for n in names):
            raise InputError(path, f"\"{role}\" must be a list of name objects", where)
    for key in ("issued", "accessed"):
        if key in value and not isinstance(value[key], dict):
            raise InputError(path, f"\"{key}\" must be a date object such as "
                                   "{\"date-parts\": [[2019, 3]]}", where)
    return value


def _name(name: dict[str, Any]) -> Name:
    if name.get("literal"):
        return Name(literal=squash(str(name["literal"])))
    family = " ".join(filter(None, (name.get("non-dropping-particle"), name.get("family"))))
    return Name(family=squash(family), given=squash(str(name.get("given") or "")),
                suffix=squash(str(name.get("suffix") or "")))


def _skip(content: str, index: int) -> int:
    while index < len(content) and content[index] in " \t\r\n":
        index += 1
    return index


def _check_end(content: str, end: int) -> None:
    rest = _skip(content, end)
    if rest < len(content):
        raise json.JSONDecodeError("extra data after the JSON value", content, rest)


def _line(content: str, index: int) -> int:
    return content.count("\n", 0, index) + 1
