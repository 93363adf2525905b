"""Crossref work records -> CSL-JSON items: the one place the two shapes meet.

Crossref's /works items and CSL-JSON differ in types ("journal-article" vs
"article-journal"), in list-valued titles, in markup inside titles and
abstracts (JATS, HTML) and in a few field names. `from_crossref` turns one
record into a `Work` whose `data` validates against the CSL-JSON 1.0.2
schema, and keeps the untouched record in `Work.raw` for evidence (subtitles,
online vs print dates, `update-to`, `relation`, all container titles).
"""

from __future__ import annotations

import hashlib
import html
import re
from datetime import datetime
from typing import Any

from refkit import standard_numbers
from refkit.doi import doi_url
from refkit.model import Work, WorkSource, squash

# The item types of CSL 1.0.2 (the "type" enum of csl-data.json).
CSL_TYPES: frozenset[str] = frozenset({
    "article", "article-journal", "article-magazine", "article-newspaper", "bill", "book",
    "broadcast", "chapter", "classic", "collection", "dataset", "document", "entry",
    "entry-dictionary", "entry-encyclopedia", "event", "figure", "graphic", "hearing",
    "interview", "legal_case", "legislation", "manuscript", "map", "motion_picture",
    "musical_score", "pamphlet", "paper-conference", "patent", "performance", "periodical",
    "personal_communication", "post", "post-weblog", "regulation", "report", "review",
    "review-book", "software", "song", "speech", "standard", "thesis", "treaty", "webpage",
})

# Crossref type (api.crossref.org/types) -> CSL type. Choices that need a word:
# - component: Crossref's "component" DOIs are parts of another work (figures,
#   tables, supplementary files); no single CSL type fits all of them, so the
#   catch-all "document" is used rather than "figure"; RK105 looks at raw type.
# - journal, journal-volume, journal-issue: a serial or one issue of it is
#   CSL's "periodical".
# - proceedings and the *-series/book-set types: the volume or series is a book
#   (a report series stays a report, a standard series a standard).
# - grant and other: no CSL counterpart, so "document".
CROSSREF_TO_CSL: dict[str, str] = {
    "journal-article": "article-journal",
    "book-chapter": "chapter",
    "book-section": "chapter",
    "book-part": "chapter",
    "book-track": "chapter",
    "proceedings-article": "paper-conference",
    "proceedings": "book",
    "proceedings-series": "book",
    "posted-content": "article",
    "dataset": "dataset",
    "database": "dataset",
    "report": "report",
    "report-component": "report",
    "report-series": "report",
    "dissertation": "thesis",
    "component": "document",
    "journal": "periodical",
    "journal-volume": "periodical",
    "journal-issue": "periodical",
    "book": "book",
    "monograph": "book",
    "edited-book": "book",
    "reference-book": "book",
    "book-series": "book",
    "book-set": "book",
    "standard": "standard",
    "standard-series": "standard",
    "peer-review": "review",
    "reference-entry": "entry",
    "grant": "document",
    "other": "document",
}

_NAME_ROLES = ("author", "editor", "translator", "chair")
# Crossref string fields copied as they are (whitespace squashed).
_PLAIN_FIELDS = {
    "volume": "volume",
    "issue": "issue",
    "page": "page",
    "publisher": "publisher",
    "publisher-location": "publisher-place",
    "article-number": "number",
    "language": "language",
}
_BLOCK_TAG = re.compile(
    r"</?(?:[\w.-]+:)?(?:p|title|subtitle|sec|list|list-item|label|br|div|abstract)\b[^<>]*>",
    re.IGNORECASE)
_INLINE_TAG = re.compile(r"</?[A-Za-z][\w:.-]*(?:\s[^<>]*)?/?>")
_MATH_OPEN = re.compile(r"(?<=\w)(?=<(?:[\w.-]+:)?math\b)")
_MATH_CLOSE = re.compile(r"(</(?:[\w.-]+:)?math>)(?=\w)")
_ABSTRACT_HEADING = re.compile(r"^(?:Abstract|Summary)\b[:.]?\s*", re.IGNORECASE)


def csl_type(crossref_type: str | None) -> str:
    """The CSL type for a Crossref type; "document" for types CSL lacks."""
    return CROSSREF_TO_CSL.get((crossref_type or "").strip().lower(), "document")


def from_crossref(record: dict[str, Any], fetched: datetime | None = None, service: str = "",
                  snapshot: str = "") -> Work:
    """One Crossref /works item as a Work holding a valid CSL-JSON item.

    Keys starting with "_" (fixture markers) are dropped from `raw`;
    `service` is the base URL when the record came from somewhere other than
    Crossref's own API (a mirror, a test stub), `snapshot` the date of the
    local snapshot it came from; either is then named as the source.
    """
    raw = {k: v for k, v in record.items() if not k.startswith("_")}
    doi = str(raw.get("DOI") or "").strip()
    item: dict[str, Any] = {"id": doi or _fallback_id(raw), "type": csl_type(raw.get("type"))}
    _put(item, "title", _first_text(raw.get("title")))
    _put(item, "title-short", _first_text(raw.get("short-title")))
    _put(item, "original-title", _first_text(raw.get("original-title")))
    _put(item, "container-title", _first_text(raw.get("container-title")))
    _put(item, "container-title-short", _first_text(raw.get("short-container-title")))
    for role in _NAME_ROLES:
        _put(item, role, _names(raw.get(role)))
    _put(item, "issued", _date(raw, "issued", "published-print", "published-online",
                                "published", "posted", "created"))
    _put(item, "available-date", _date(raw, "published-online"))
    for source, target in _PLAIN_FIELDS.items():
        _put(item, target, squash(str(raw.get(source) or "")))
    _put(item, "edition", squash(str(raw.get("edition-number") or "")))
    _put(item, "ISSN", _joined(raw.get("ISSN")))
    _put(item, "ISBN", _joined(raw.get("ISBN")))
    _put(item, "abstract", plain_text(str(raw.get("abstract") or "")))
    _put(item, "event-title", _event_name(raw.get("event")))
    if doi:
        item["DOI"] = doi
        item["URL"] = doi_url(doi)
    elif raw.get("URL"):
        item["URL"] = str(raw["URL"])
    work = Work(item, source=WorkSource.CROSSREF, fetched=fetched, raw=raw, service=service,
                snapshot=snapshot)
    item["source"] = work.registry[:1].upper() + work.registry[1:]
    return work


def plain_text(markup: str) -> str:
    """Text of a title or abstract without JATS/HTML/MathML tags or entities.

    Crossref sometimes escapes the markup itself ("&lt;scp&gt;"), so tags are
    removed again after entities are decoded. Block tags (paragraphs, titles,
    subtitles) become spaces; inline ones (<i>, <scp>, <sub>) vanish; a MathML
    formula run into a word gets a space ("the N=88 nucleus", but "x-rays").
    """
    if "<" not in markup and "&" not in markup:  # no tag, no entity: only spacing to settle
        return squash(_ABSTRACT_HEADING.sub("", squash(markup)))
    text = _MATH_CLOSE.sub(r"\1 ", _MATH_OPEN.sub(" ", markup))
    for _ in range(2):
        text = _INLINE_TAG.sub("", _BLOCK_TAG.sub(" ", text))
        text = html.unescape(text)
    return squash(_ABSTRACT_HEADING.sub("", squash(text)))


def _put(item: dict[str, Any], key: str, value: Any) -> None:
    if value:
        item[key] = value


def _first_text(value: Any) -> str:
    """The first non-empty string of a Crossref list field, markup removed."""
    values = value if isinstance(value, list) else [value]
    for candidate in values:
        if isinstance(candidate, str) and candidate.strip():
            return plain_text(candidate)
    return ""


def _joined(value: Any) -> str:
    """A list of identifiers (ISSNs, ISBNs) as one string, unique, in order (refkit.standard_numbers)."""
    return standard_numbers.joined(value if isinstance(value, list) else [value])


def _names(people: Any) -> list[dict[str, str]]:
    """Crossref contributors as CSL names (family/given/suffix, or literal for organisations)."""
    names = []
    for person in people or []:
        if not isinstance(person, dict):
            continue
        family, given = squash(person.get("family") or ""), squash(person.get("given") or "")
        if family:
            name = {"family": family}
            if given:
                name["given"] = given
            if person.get("suffix"):
                name["suffix"] = squash(person["suffix"])
            names.append(name)
        elif person.get("name") or given:
            names.append({"literal": squash(person.get("name") or given)})
    return names


def _date(record: dict[str, Any], *keys: str) -> dict[str, Any] | None:
    """The first usable Crossref date among `keys` as a CSL date (date-parts of ints)."""
    for key in keys:
        parts = ((record.get(key) or {}).get("date-parts") or [[None]])[0] or [None]
        numbers = []
        for part in parts[:3]:
            if part is None or not str(part).strip().isdigit():
                break
            numbers.append(int(part))
        if numbers:
            return {"date-parts": [numbers]}
    return None


def _event_name(event: Any) -> str:
    if isinstance(event, dict):
        return squash(str(event.get("name") or ""))
    return ""


def _fallback_id(record: dict[str, Any]) -> str:
    """An id for a record without a DOI (never from Crossref, but fixtures may lack one)."""
    digest = hashlib.sha1(_first_text(record.get("title")).encode()).hexdigest()
    return "crossref-" + digest[:12]
