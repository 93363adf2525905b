"""A document's own bibliographic record, as the document prints it.

Articles print who they are: a "Citation: Authors (2024) Title. Journal
15:1398859. doi: …" line, a PDF's "CITATION" block on the first page, HTML
meta tags (citation_doi, citation_title, dc.identifier), or at least a DOI in
the first-page header. Two copies of one article are recognised by this
record, and what the copies print differently about it is reported (RK108).
"""

from __future__ import annotations

import re

from refkit import doi as doilib
from refkit.model import Citation, Location, Name, squash
from refkit.refparse import parse_reference

HEADER_LINES = 60  # a header DOI must stand this close to the top
_CITATION_FIELDS = ("authors", "et_al", "title", "container", "year", "volume", "issue", "pages")
_CITATION_LINE = re.compile(r"^[ \t]*(?:citation|cite this article|how to cite(?: this article)?)\s*:\s*(?P<text>\S.*)$",
                            re.IGNORECASE | re.MULTILINE)
_CITATION_HEADING = re.compile(r"^\s*(?:CITATION|HOW TO CITE(?: THIS ARTICLE)?)\s*$")
_AUTHORS_YEAR = re.compile(r"^(?P<authors>.+?)\s*\((?P<year>(?:1[6-9]|20)\d\d)[a-z]?\)[.,]?\s*(?P<rest>.*)$")
_TITLE_END = re.compile(r"^(?P<title>.+?[.?!])\s+(?=[A-Z])")
_SOURCE = re.compile(r"^(?P<container>.+?)\.?\s+(?P<volume>\d+)\s*(?:\((?P<issue>[^)]+)\))?\s*[:,]\s*"
                     r"(?P<pages>[A-Za-z]?\d+(?:[-–][A-Za-z]?\d+)?)\s*\.?\s*$")
_AUTHOR_SPLIT = re.compile(r",\s*|\s+(?:and|&)\s+")
_FAMILY_INITIALS = re.compile(r"^(?P<family>.+?)\s+(?P<given>[A-Z]{1,3})$")
_DOI_TAIL = re.compile(r"\s*(?:doi\s*:|https?://(?:dx\.)?doi\.org/).*$", re.IGNORECASE)


def find_identity(path: str, text: str, meta: dict[str, list[str]] | None = None,
                  body_end: int | None = None) -> Citation | None:
    """The document's record of itself: from HTML meta tags, a citation line,
    a CITATION block, or (last resort) a DOI in the first lines before
    `body_end` (the reference list's first line). None when it prints none."""
    lines = text.split("\n")
    header = _from_header_doi(path, lines, body_end)
    found = (from_meta(path, meta or {}) or _from_citation_line(path, lines)
             or _from_citation_block(path, lines) or header)
    if found is not None and found.doi is None and header is not None:
        found.doi, found.doi_printed = header.doi, header.doi_printed  # e.g. a PDF's "DOI:" header
    return found


def from_meta(path: str, meta: dict[str, list[str]]) -> Citation | None:
    """The record in HTML meta tags (Highwire citation_* and Dublin Core)."""
    def first(*names: str) -> str:
        return next((meta[n][0] for n in names if meta.get(n)), "")

    doi_text = first("citation_doi", "dc.identifier", "prism.doi")
    title = first("citation_title", "dc.title")
    if not (doi_text or title):
        return None
    year = re.search(r"(?:1[6-9]|20)\d\d", first("citation_publication_date", "citation_date", "dc.date"))
    citation = Citation(
        raw="; ".join(f"{k}={v[0]}" for k, v in sorted(meta.items()) if k.startswith(("citation_", "dc."))),
        source=Location(path, label="meta"), title=title,
        authors=[_name(a) for a in meta.get("citation_author", [])],
        container=first("citation_journal_title"), year=int(year.group(0)) if year else None,
        volume=first("citation_volume"), issue=first("citation_issue"), pages=first("citation_firstpage"),
        extra={"identity_from": "meta tags"},
    )
    _set_doi(citation, doi_text)
    return citation


def parse_citation_text(text: str) -> dict:
    """Fields of a publisher's citation line: "Authors (year) Title. Journal
    vol:pages. doi: …" (Frontiers), or any reference style the reference
    parser reads ("Authors. Title. Journal. 2023;53(3):790-810. doi: …")."""
    text = squash(text)
    m = _AUTHORS_YEAR.match(text)
    if not m:
        return {k: v for k, v in parse_reference(text).items() if k in _CITATION_FIELDS and v}
    fields: dict = {"authors": [_name(a) for a in _AUTHOR_SPLIT.split(m.group("authors")) if a.strip()],
                    "year": int(m.group("year"))}
    rest = _DOI_TAIL.sub("", m.group("rest")).strip()
    t = _TITLE_END.match(rest)
    if t:
        fields["title"] = t.group("title").rstrip(".")
        s = _SOURCE.match(rest[t.end():])
        if s:
            fields.update({k: v for k, v in s.groupdict().items() if v})
    return fields


def _from_citation_line(path: str, lines: list[str]) -> Citation | None:
    """A "Citation:" / "How to cite this article:" line, with the lines that
    continue it up to the next blank line (PDFs wrap it)."""
    for index, line in enumerate(lines):
        m = _CITATION_LINE.match(line)
        if m:
            end = index + 1
            while end < len(lines) and lines[end].strip():
                end += 1
            return _citation(path, " ".join([m.group("text"), *lines[index + 1:end]]), index + 1,
                             "citation line")
    return None


def _from_citation_block(path: str, lines: list[str]) -> Citation | None:
    for index, line in enumerate(lines[:HEADER_LINES * 2]):
        if _CITATION_HEADING.match(line):
            body = _block_after(lines, index + 1)
            if body:
                return _citation(path, " ".join(lines[i] for i in body), body[0] + 1, "CITATION block")
    return None


def _block_after(lines: list[str], start: int) -> list[int]:
    """Indices of the first run of non-blank lines at or after `start`."""
    index = start
    while index < len(lines) and not lines[index].strip():
        index += 1
    run = []
    while index < len(lines) and lines[index].strip():
        run.append(index)
        index += 1
    return run


def _from_header_doi(path: str, lines: list[str], body_end: int | None) -> Citation | None:
    limit = min(HEADER_LINES, (body_end or len(lines) + 1) - 1)
    for index, line in enumerate(lines[:limit]):
        found = [f for f in doilib.find_dois(line) if f.valid]
        if found:
            citation = Citation(raw=line.strip(), source=Location(path, index + 1, label="header"),
                                extra={"identity_from": "header DOI"})
            _set_doi(citation, found[0].printed)
            return citation
    return None


def _citation(path: str, text: str, line: int, origin: str) -> Citation:
    fields = parse_citation_text(text)
    citation = Citation(raw=squash(text), source=Location(path, line, label=origin), **fields)
    citation.extra["identity_from"] = origin
    _set_doi(citation, text)
    return citation


def _set_doi(citation: Citation, text: str) -> None:
    found = doilib.find_dois(text)
    if found:
        citation.doi, citation.doi_printed = found[0].doi, found[0].printed


def _name(text: str) -> Name:
    text = squash(text)
    if "," in text:
        family, given = (part.strip() for part in text.split(",", 1))
        return Name(family=family, given=given)
    m = _FAMILY_INITIALS.match(text)
    if m:
        return Name(family=m.group("family"), given=m.group("given"))
    parts = text.rsplit(" ", 1)
    return Name(family=parts[-1], given=parts[0]) if len(parts) == 2 else Name(family=text)
