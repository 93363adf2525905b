"""What every writer needs about one resolution, prepared once: its key, its
CSL item (flattened to plain strings), its summaries and its provenance.

The item is the verified record when the resolution has one (doi-verified,
doi-corrected, found-by-search) and the document's own account otherwise —
that choice is the resolver's; `Resolution.work` already holds it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from refkit import pages
from refkit.model import Resolution, issued_year, squash
from refkit.writers import citekeys, provenance

# CSL variables that Crossref-shaped data may hold as lists
_TITLE_LISTS = ("title", "container-title", "container-title-short", "original-title", "title-short")
_IDENTIFIER_LISTS = ("ISSN", "ISBN")


@dataclass
class ExportEntry:
    """One entry ready for a writer."""

    key: str
    item: dict[str, Any]
    summaries: list[str] = field(default_factory=list)
    provenance: str = ""
    provenance_record: dict[str, Any] = field(default_factory=dict)


def prepare(resolutions: Sequence[Resolution], key_pattern: str = citekeys.DEFAULT_PATTERN,
            with_provenance: bool = True) -> list[ExportEntry]:
    """The export entries for `resolutions`, in their order, with unique keys."""
    keys = citekeys.assign_keys(resolutions, key_pattern)
    entries = []
    for key, resolution in zip(keys, resolutions):
        item = flatten(resolution.work.data)
        item["id"] = key
        item["citation-key"] = key
        entries.append(ExportEntry(
            key=key,
            item=item,
            summaries=summaries(resolution),
            provenance=provenance.describe(resolution) if with_provenance else "",
            provenance_record=provenance.record(resolution) if with_provenance else {},
        ))
    return entries


def summaries(resolution: Resolution) -> list[str]:
    """The resolution's annotation summaries: paragraphs kept, lines within a
    paragraph joined, empty and repeated ones dropped, provenance lines that
    refkit itself wrote (read back from its own output) left out."""
    seen: dict[str, None] = {}
    for note in resolution.notes:
        paragraphs = [squash(p) for p in re.split(r"\n\s*\n", note.text)]
        text = "\n\n".join(p for p in paragraphs if p)
        if text and not provenance.is_provenance(text):
            seen.setdefault(text, None)
    return list(seen)


def flatten(data: dict[str, Any]) -> dict[str, Any]:
    """A copy of a CSL item with list-valued titles and identifiers reduced to
    strings (Crossref style input) and surrounding white space removed."""
    item: dict[str, Any] = {}
    for key, value in data.items():
        if isinstance(value, list) and key in _TITLE_LISTS:
            value = value[0] if value else ""
        elif isinstance(value, list) and key in _IDENTIFIER_LISTS:
            value = ", ".join(map(str, value))
        if isinstance(value, str):
            value = value.strip()
            if not value:
                continue
        item[key] = value
    return item


def text(item: dict[str, Any], key: str) -> str:
    """A CSL variable as one line of text ('' when absent)."""
    value = item.get(key)
    if value is None:
        return ""
    return squash(str(value))


def year(item: dict[str, Any]) -> str:
    """The year of issue as text, or ''."""
    found = issued_year(item)
    return str(found) if found else ""


def date_parts(item: dict[str, Any]) -> list[int]:
    """Year, month, day of issue as far as known (possibly empty)."""
    parts = (item.get("issued") or {}).get("date-parts") or [[]]
    first = parts[0] if parts else []
    out = []
    for part in first[:3]:
        try:
            out.append(int(part))
        except (TypeError, ValueError):
            break
    return out or ([int(year(item))] if year(item) else [])


def page_range(item: dict[str, Any]) -> tuple[str, str]:
    """First and last page of the CSL `page` variable, an abbreviated last
    page written out ("573–7" → 573, 577); '' when absent."""
    return pages.page_range(text(item, "page")) or ("", "")
