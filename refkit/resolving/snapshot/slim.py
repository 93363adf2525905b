"""Slim records: the part of a Crossref work record that matching and the
writers use, packed small, and the words a search finds it by.

A whole record with its reference list and abstract averages several KB;
the slim one keeps titles, contributors' names, dates, container, locators,
identifiers and update notices (~0.8 KB, a third of that once compressed).
The same functions serve the embedded index and the Spark job, so both see
the same record and the same search words.
"""

from __future__ import annotations

import json
import re
import zlib
from datetime import datetime, timezone
from typing import Any

from refkit.doi import normalize
from refkit.resolving.match import fold

# Fields kept as they are (strings, lists of strings, small objects).
_KEPT = ("DOI", "type", "title", "subtitle", "original-title", "short-title", "container-title",
         "short-container-title", "volume", "issue", "page", "article-number", "publisher",
         "publisher-location", "language", "edition-number", "ISSN", "ISBN", "update-to",
         "updated-by", "relation")
_PEOPLE = ("author", "editor", "translator", "chair")
_NAME_PARTS = ("given", "family", "name", "suffix")
_DATES = ("issued", "published-print", "published-online", "published", "posted", "created")
_STAMPS = ("indexed", "deposited")
# Words too common in references to find a work by.
STOP_WORDS = frozenset("a an and at by de del der des di die du en et for from in la le of on or "
                       "the to und with".split())
# What a reference prints around the work (volume, pages, months, links):
# never searched for, since records do not hold these words.
REFERENCE_NOISE = frozenset("vol volume no pp jan feb mar apr may jun jul aug sep sept oct nov dec "
                            "doi http https www org retrieved available online accessed press ed eds "
                            "edn et al".split())
# A preset dictionary for zlib: the keys and values every slim record repeats.
# Changing it (or the window below) changes the stored bytes, so it is
# versioned with the index format. A 4 KB window holds any slim record.
_ZDICT = ("{\"DOI\":\"10.\",\"type\":\"journal-article\",\"title\":[\"\"],\"container-title\":[\"Journal of "
          "the \"],\"short-container-title\":[\"J \"],\"author\":[{\"given\":\"\",\"family\":\"\"},"
          "{\"name\":\"\"}],\"issued\":{\"date-parts\":[[20]]},\"published-print\":{\"date-parts\":[[19"
          "]]},\"published-online\":{\"date-parts\":[[20]]},\"created\":{\"date-parts\":[[20]]},"
          "\"volume\":\"\",\"issue\":\"\",\"page\":\"-\",\"publisher\":\"Elsevier BV\",\"ISSN\":[\"\"],"
          "\"ISBN\":[\"978-\"],\"indexed\":\"20T::Z\",\"deposited\":\"20T::Z\",\"book-chapter\","
          "\"proceedings-article\",\"Springer Science and Business Media LLC\",\"Wiley\","
          "\"Informa UK Limited\",\"subtitle\":[\"\"],\"update-to\":[{\"DOI\":\"\",\"type\":\"\","
          "\"label\":\"\",\"updated\":{\"date-parts\":[[]]}}],\"relation\":{}").encode()
ZDICT_VERSION = 2
_WINDOW_BITS = 12


def slim(record: dict[str, Any]) -> dict[str, Any]:
    """The fields of a Crossref work record that matching and writing need."""
    out: dict[str, Any] = {key: record[key] for key in _KEPT if record.get(key)}
    for role in _PEOPLE:
        people = [{k: p[k] for k in _NAME_PARTS if p.get(k)} for p in record.get(role) or []
                  if isinstance(p, dict)]
        if people:
            out[role] = people
    for key in _DATES:
        parts = (record.get(key) or {}).get("date-parts") if isinstance(record.get(key), dict) else None
        if parts and parts[0] and parts[0][0] is not None:
            out[key] = {"date-parts": parts}
    event = record.get("event")
    if isinstance(event, dict) and event.get("name"):
        out["event"] = {"name": event["name"]}
    for key in _STAMPS:
        when = (record.get(key) or {}).get("date-time") if isinstance(record.get(key), dict) else None
        if when:
            out[key] = when
    return out


def stamp(record: dict[str, Any]) -> str:
    """When Crossref last indexed (else deposited) the record, as an ISO text
    that sorts in time order: the newer copy of a DOI wins an update."""
    for key in _STAMPS:
        value = record.get(key)
        when = value.get("date-time") if isinstance(value, dict) else value
        if isinstance(when, str) and when:
            return when
    return ""


def stamp_date(text: str) -> datetime | None:
    """An ISO stamp as a UTC datetime (None when there is none)."""
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(timezone.utc)
    except ValueError:
        return None


def pack(record: dict[str, Any]) -> bytes:
    """A slim record as compact JSON, deflated with the preset dictionary."""
    text = json.dumps(record, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    packer = zlib.compressobj(6, zlib.DEFLATED, -_WINDOW_BITS, 8, zlib.Z_DEFAULT_STRATEGY, _ZDICT)
    return packer.compress(text.encode("utf-8")) + packer.flush()


def unpack(blob: bytes) -> dict[str, Any]:
    """The slim record `pack` made."""
    unpacker = zlib.decompressobj(-_WINDOW_BITS, _ZDICT)
    return json.loads(unpacker.decompress(blob) + unpacker.flush())


def doi_key(record: dict[str, Any]) -> str:
    """The normalised DOI a record is stored under ('' when it has none)."""
    return normalize(str(record.get("DOI") or "")) if record.get("DOI") else ""


def search_words(record: dict[str, Any]) -> list[str]:
    """The words a reference to this record is found by: its titles,
    container names, contributors' surnames, year, volume and first page."""
    parts: list[str] = []
    for key in ("title", "subtitle", "container-title", "short-container-title", "original-title"):
        parts.extend(v for v in _strings(record.get(key)))
    for person in (record.get("author") or [])[:12] + (record.get("editor") or [])[:4]:
        parts.append(str(person.get("family") or person.get("name") or ""))
    parts.append(str(year_of(record) or ""))
    parts.append(str(record.get("volume") or ""))
    parts.append(re.split(r"[-–]", str(record.get("page") or ""), maxsplit=1)[0])
    return words(" ".join(parts))


def words(text: str) -> list[str]:
    """The folded words of `text` (accents, case and punctuation removed),
    each once, in order; the same for records and for reference strings."""
    return list(dict.fromkeys(w for w in fold(text).split() if w not in STOP_WORDS))


def reference_words(text: str) -> list[str]:
    """The words of a reference string worth searching for (its noise left out)."""
    return [w for w in words(text) if w not in REFERENCE_NOISE]


def year_of(record: dict[str, Any]) -> int | None:
    """The publication year of a (slim) Crossref record."""
    for key in _DATES:
        parts = (record.get(key) or {}).get("date-parts") or [[None]]
        first = parts[0][0] if parts and parts[0] else None
        if isinstance(first, int) or (isinstance(first, str) and first.isdigit()):
            return int(first)
    return None


def _strings(value: Any) -> list[str]:
    if isinstance(value, list):
        return [v for v in value if isinstance(v, str)]
    return [value] if isinstance(value, str) else []
