"""Core types shared by readers, resolver and writers.

- `Citation`: what a document says about one cited work, never corrected.
- `Work`: a canonical record, held as a CSL-JSON item.
- `Finding`: one flag about one citation, with a stable code and evidence.
- `Resolution`: a citation, the work it resolved to, how, and its findings.
- `Document`: everything one reader got out of one file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum
from typing import Any

from refkit.codes import Code, Severity
from refkit.issued import Date
from refkit.pages import expand as expand_pages


@dataclass(frozen=True)
class Name:
    """A person's name as printed: family and given parts, or a literal
    (an organisation, or a name that could not be split)."""

    family: str = ""
    given: str = ""
    literal: str = ""
    suffix: str = ""  # "Jr", "III": kept apart so the family name stays comparable

    def to_csl(self) -> dict[str, str]:
        if self.literal:
            return {"literal": self.literal}
        out = {"family": self.family}
        if self.given:
            out["given"] = self.given
        if self.suffix:
            out["suffix"] = self.suffix
        return out

    def __str__(self) -> str:
        if self.literal:
            return self.literal
        return f"{self.family}, {self.given}" if self.given else self.family


@dataclass(frozen=True)
class Location:
    """Where something was read: file, line (1-based), page, and the label
    printed for it (a reference number, "S001", a bullet's position)."""

    file: str
    line: int | None = None
    page: int | None = None
    label: str = ""
    section: str = ""

    def __str__(self) -> str:
        parts = [self.file]
        if self.page is not None:
            parts.append(f"page {self.page}")
        if self.line is not None:
            parts.append(f"line {self.line}")
        return ":".join(parts)


@dataclass
class Note:
    """An annotation (summary) written about a cited work, kept verbatim."""

    text: str
    source: Location


class CitationKind(str, Enum):
    """What kind of mention a citation is."""

    REFERENCE = "reference"  # an entry of a reference list (or a bibliography file)
    ANNOTATED = "annotated"  # a titled entry of an annotated citations page
    UNLISTED = "unlisted"  # an in-text marker or author-year mention with no list entry


@dataclass
class Citation:
    """What a document says about one cited work, exactly as printed.

    `doi` is the DOI as printed (after cleaning away "doi:", URL prefixes and
    trailing punctuation, but never corrected); `raw` is the whole reference
    string. Parsed fields are best effort and may be empty.
    """

    raw: str
    source: Location
    kind: CitationKind = CitationKind.REFERENCE
    authors: list[Name] = field(default_factory=list)
    et_al: bool = False
    editors: list[Name] = field(default_factory=list)  # as printed in a free-text reference ("ed. by …")
    title: str = ""
    container: str = ""
    year: int | None = None
    month: int | None = None  # of issue, where a structured record gives it (refkit.issued)
    day: int | None = None
    issued_end: Date | None = None  # the end of a date range of issue ("2019-03/2019-05")
    volume: str = ""
    issue: str = ""
    pages: str = ""
    publisher: str = ""
    doi: str | None = None
    doi_printed: str | None = None
    url: str = ""
    identifiers: dict[str, str] = field(default_factory=dict)
    csl_type: str = "article-journal"
    notes: list[Note] = field(default_factory=list)
    context: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def label(self) -> str:
        return self.source.label

    def to_work(self) -> "Work":
        """The document's own account of this work as a CSL item (unverified)."""
        item: dict[str, Any] = {"type": self.csl_type or "article-journal"}
        if self.title:
            item["title"] = self.title
        if self.authors:
            item["author"] = [a.to_csl() for a in self.authors]
        if self.editors:
            item["editor"] = [e.to_csl() for e in self.editors]
        if self.container:
            item["container-title"] = self.container
        if self.year:
            start = [self.year, self.month, self.month and self.day]
            ends = [start, list(self.issued_end)] if self.issued_end else [start]
            item["issued"] = {"date-parts": [[p for p in parts if p] for parts in ends]}
        for key, value in (("volume", self.volume), ("issue", self.issue),
                           ("page", expand_pages(self.pages)), ("publisher", self.publisher),
                           ("URL", self.url), ("DOI", self.doi or "")):
            if value:
                item[key] = value
        for key in ("PMID", "PMCID", "ISBN", "ISSN"):
            if self.identifiers.get(key):
                item[key] = self.identifiers[key]
        return Work(item, source=WorkSource.DOCUMENT)


class WorkSource(str, Enum):
    """Where a Work's metadata came from."""

    CROSSREF = "crossref"  # returned by the Crossref API (or its cache)
    REGISTRY = "registry"  # returned by another registry: PubMed, arXiv, Open Library
    DOCUMENT = "document"  # only what the document printed; unverified
    FILE = "file"  # read from a bibliography file the user gave


@dataclass
class Work:
    """A canonical bibliographic record as a CSL-JSON item (`data`).

    Crossref records are converted into this shape once, at the edge, in
    `refkit.resolving.sources.crossref`; `fetched` is when Crossref (or its cache) supplied it.
    """

    data: dict[str, Any]
    source: WorkSource = WorkSource.CROSSREF
    fetched: datetime | None = None
    raw: dict[str, Any] | None = None  # the registry's own record, for evidence
    service: str = ""  # base URL of a service other than the registry's own public API
    agency: str = "Crossref"  # the registry: Crossref, DataCite, PubMed, arXiv, Open Library
    snapshot: str = ""  # the date of the local Crossref snapshot that supplied the record

    @property
    def registry(self) -> str:
        """Who supplied the record, in words: "Crossref", "DataCite", a snapshot of
        Crossref, or the other service's address, so a mirror or a test stub never
        passes for the registry."""
        if self.snapshot:
            return f"the {self.agency} snapshot of {self.snapshot}"
        return f"the {self.agency}-compatible service at {self.service}" if self.service else self.agency

    @property
    def doi(self) -> str | None:
        return self.data.get("DOI") or None

    @property
    def title(self) -> str:
        return _first(self.data.get("title"))

    @property
    def container(self) -> str:
        return _first(self.data.get("container-title"))

    @property
    def year(self) -> int | None:
        return issued_year(self.data)

    @property
    def authors(self) -> list[Name]:
        return self._names("author")

    @property
    def editors(self) -> list[Name]:
        return self._names("editor")

    def _names(self, role: str) -> list[Name]:
        return [
            Name(family=a.get("family", ""), given=a.get("given", ""), literal=a.get("literal", ""))
            for a in self.data.get(role, [])
        ]

    @property
    def csl_type(self) -> str:
        return self.data.get("type", "")


def issued_year(item: dict[str, Any]) -> int | None:
    """The year a CSL item was issued: from the date parts of issued (then
    print, online, created), or a year written in a raw or literal date. A
    year part that is not a plausible year (NaN, text, 99999) gives none."""
    for key in ("issued", "published-print", "published-online", "created"):
        date = item.get(key)
        if not isinstance(date, dict):
            continue
        parts = date.get("date-parts")
        first = parts[0][0] if isinstance(parts, list) and parts and isinstance(parts[0], list) and parts[0] else None
        written = re.search(r"\b(1[5-9]\d\d|20\d\d)\b",
                            f"{first if first is not None else ''} {date.get('raw') or date.get('literal') or ''}")
        if written:
            return int(written.group(1))
    return None


def _first(value: Any) -> str:
    if isinstance(value, list):
        return str(value[0]) if value else ""
    return str(value or "")


@dataclass
class Finding:
    """One flag about one citation (see design/FINDINGS.md).

    `fix` is set only when the proposed value was validated; `evidence` holds
    the scores and fields that support the conclusion, so it is reproducible.
    """

    code: Code
    message: str
    source: Location | None = None
    severity: Severity | None = None
    printed: str | None = None
    registered: str | None = None
    fix: str | None = None
    evidence: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.severity is None:
            self.severity = self.code.severity

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code.code,
            "name": self.code.name,
            "severity": self.severity.value,
            "message": self.message,
            "source": str(self.source) if self.source else None,
            "label": self.source.label if self.source else None,
            "printed": self.printed,
            "registered": self.registered,
            "fix": self.fix,
            "evidence": self.evidence,
        }


class Status(str, Enum):
    """How a citation was resolved."""

    DOI_VERIFIED = "doi-verified"  # printed DOI registered and matches the citation
    DOI_CORRECTED = "doi-corrected"  # printed DOI wrong; a validated correction is used
    FOUND_BY_SEARCH = "found-by-search"  # no (usable) DOI printed; a search match validated
    DOCUMENT_ONLY = "document-only"  # Crossref asked, nothing validated: the document's data
    UNVERIFIED = "unverified"  # Crossref could not be asked


@dataclass
class Resolution:
    """A citation, the work it resolved to (its own account when none), how,
    with what confidence, and the findings raised on the way."""

    citation: Citation
    work: Work
    status: Status
    confidence: float = 0.0
    findings: list[Finding] = field(default_factory=list)
    checked_at: datetime | None = None

    @property
    def notes(self) -> list[Note]:
        return self.citation.notes


@dataclass
class Document:
    """Everything one reader got out of one file.

    `identity` is the document's own bibliographic record when it prints one
    (its citation line, its PDF header), so two copies of one article can be
    recognised; `orphan_notes` are summaries no citation could take.
    """

    path: str
    format: str
    citations: list[Citation] = field(default_factory=list)
    identity: Citation | None = None
    orphan_notes: list[Note] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    # reader facts about the whole document, e.g. "numeric_markers": a compact
    # account of in-text markers that no reference list here resolves
    extra: dict[str, Any] = field(default_factory=dict)


def squash(text: str) -> str:
    """Collapse runs of white space to single spaces and strip the ends."""
    return " ".join(text.split())  # str.split's white space is the regular expressions' \s


@dataclass
class Corpus:
    """Several documents read together: the merged list of citations to
    resolve (copies recognised, duplicates joined, notes aligned), and the
    findings about the documents themselves (RK101, RK108, RK401, RK402)."""

    documents: list[Document]
    citations: list[Citation] = field(default_factory=list)
    files: list[str] = field(default_factory=list)  # every file looked at, read or not
    orphan_notes: list[Note] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
