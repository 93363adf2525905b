"""Blocking keys: which dump records could be the work a reference cites.

A reference and a record meet when they share a key: a DOI (as printed, or
one of the corrections the resolver would try), the first three words of
the record's title (sought as any three consecutive words of the reference,
so a misparsed title still meets its record; a title of one or two words
with its year), or year + volume + first page.
"""

from __future__ import annotations

from typing import Any

from refkit.doi import clean, is_valid, normalize
from refkit.model import Citation
from refkit.resolving import corrections
from refkit.resolving.match import first_page, fold, main_title
from refkit.resolving.snapshot.slim import STOP_WORDS, year_of

TITLE_WORDS = 3


def printed_doi(citation: Citation) -> str | None:
    """The DOI a reference prints, cleaned (None when it prints none)."""
    if citation.doi:
        return citation.doi
    return clean(citation.doi_printed) if citation.doi_printed else None


def reference_keys(citations: list[Citation]) -> set[tuple[int, str]]:
    """(position, key) for each reference of a group resolved together (one
    document): the generated corrections see every DOI the group prints, as
    in the resolver."""
    printed = [printed_doi(c) for c in citations]
    seen = [d for d in printed if d]
    keys: set[tuple[int, str]] = set()
    for position, (citation, doi) in enumerate(zip(citations, printed)):
        mine = {f"d:{normalize(doi)}"} if doi else set()
        if doi:
            mine.update(f"d:{normalize(c.doi)}" for c in corrections.candidates(doi, seen))
        significant = _significant(citation.raw)
        for size in range(1, TITLE_WORDS + 1):
            mine.update(_title_key(significant[i:i + size], citation.year)
                        for i in range(len(significant) - size + 1))
        if citation.title:
            mine.update(_title_keys(citation.title, citation.year))
        mine.add(_locator_key(citation.year, citation.volume, first_page(citation.pages)))
        keys.update((position, key) for key in mine if key)
    return keys


def record_keys(record: dict[str, Any]) -> set[str]:
    """The keys of one (slim) dump record."""
    keys = {f"d:{normalize(str(record.get('DOI') or ''))}"}
    for title in record.get("title") or []:
        keys.update(_title_keys(str(title), year_of(record)))
    keys.add(_locator_key(year_of(record), str(record.get("volume") or ""),
                          first_page(str(record.get("page") or ""))))
    keys.discard("")
    return {k for k in keys if not k.startswith("d:") or is_valid(k[2:])}


def _significant(text: str) -> list[str]:
    return [w for w in fold(text or "").split() if w not in STOP_WORDS]


def _title_keys(title: str, year: int | None) -> set[str]:
    """The keys of a title: its first three words, with and without a subtitle."""
    return {_title_key(_significant(text)[:TITLE_WORDS], year) for text in (title, main_title(title))}


def _title_key(words: list[str], year: int | None) -> str:
    """Three words; a title of one or two only with its year (alone they are too common)."""
    if len(words) == TITLE_WORDS:
        return f"t:{' '.join(words)}"
    return f"s:{' '.join(words)}|{year}" if words and year else ""


def _locator_key(year: int | None, volume: str, page: str) -> str:
    volume, page = fold(volume or ""), fold(page or "")
    return f"l:{year}|{volume}|{page}" if year and volume and page else ""
