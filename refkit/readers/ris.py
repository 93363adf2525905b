"""RIS reader: a .ris file -> one Citation per record, parsed by hand so every
record and problem keeps its line number.

Each `N1` becomes one Note (refkit's own HTML-escaped N1 paragraphs are
turned back into text; its provenance N1 is set aside); `AB`/`N2` is kept as
the abstract in `extra`; `DO`, or an `M3` that holds a DOI, gives the DOI.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from refkit import doi as doi_tools
from refkit import issued, standard_numbers
from refkit.codes import Severity
from refkit.model import Citation, CitationKind, Document, Finding, Location, Name, Note, squash
from refkit.readers.source import decode, unreadable, usable
from refkit.refparse import complete_from_printed, year_in
from refkit.writers import provenance
from refkit.writers.ris import RIS_TYPES, sn_variable

# "TY  - JOUR"; exports also write one space before the hyphen, none after it
_TAG_LINE = re.compile(r"^([A-Z][A-Z0-9]) {1,2}-(?: (.*)|$)")
_PARAGRAPH_TAGS = {"N1", "AB", "N2"}
_HTML_PARAGRAPHS = re.compile(r"^(?:<p>.*?</p>)+$", re.DOTALL)
# RIS type -> CSL type: refkit's writer table reversed, plus common synonyms
CSL_TYPES: dict[str, str] = {ris: csl for csl, ris in reversed(list(RIS_TYPES.items()))} | {
    "JOUR": "article-journal", "JFULL": "article-journal", "EJOUR": "article-journal",
    "ABST": "article-journal", "BOOK": "book", "EBOOK": "book", "EDBOOK": "book",
    "CHAP": "chapter", "ECHAP": "chapter", "CONF": "paper-conference", "CPAPER": "paper-conference",
    "GEN": "article-journal", "UNPB": "manuscript", "WEB": "webpage",
}
AUTHOR_TAGS = ("AU", "A1")


@dataclass
class _Record:
    """The tags of one RIS record as read, with the line where it starts."""

    line: int
    number: int
    tags: list[tuple[str, str, int]] = field(default_factory=list)

    def first(self, *names: str) -> str:
        for name in names:
            for tag, value, _ in self.tags:
                if tag == name and value.strip():
                    return squash(value)
        return ""

    def all(self, *names: str) -> list[tuple[str, int]]:
        return [(value, line) for tag, value, line in self.tags if tag in names and value.strip()]


def read(path: str, data: bytes) -> Document:
    """Every record of a RIS file as a Citation (kind REFERENCE); what cannot
    be read is skipped with an RK403 finding naming its line."""
    records, problems = parse(path, decode(path, data))
    document = Document(path=path, format="ris", citations=[to_citation(path, r) for r in records],
                        findings=problems)
    return usable(path, document)


def parse(path: str, text: str) -> tuple[list[_Record], list[Finding]]:
    """The records of a RIS text, read as reference managers do: vendor lines
    between records (Ovid's "1.", a "Provider:"/"Database:" header, blank
    lines) are passed over, a TY before the previous record's ER starts a new
    record, and a record the file ends inside is kept. Tag lines outside any
    record are skipped with an RK403 finding."""
    records: list[_Record] = []
    problems: list[Finding] = []
    current: _Record | None = None
    stray: int | None = None  # first line of tagged text outside any record
    for number, line in enumerate(text.split("\n"), start=1):
        match = _TAG_LINE.match(line.strip("\ufeff \t\r"))
        if current is None:
            if match and match.group(1) == "TY":
                stray = _report_stray(path, stray, problems)
                current = _Record(line=number, number=len(records) + 1)
                current.tags.append(("TY", (match.group(2) or "").strip(), number))
            elif match and match.group(1) != "ER" and stray is None:
                stray = number
            continue
        if match is None:
            if line.strip():
                _append(current, " " + line.strip())  # a continuation line
            elif current.tags[-1][0] in _PARAGRAPH_TAGS:
                _append(current, "\n")  # a blank line inside a note: a paragraph break
            continue
        tag, value = match.group(1), (match.group(2) or "").strip()
        if tag == "ER":
            records.append(current)
            current = None
        elif tag == "TY":  # the previous record has no ER: it ends here
            records.append(current)
            current = _Record(line=number, number=len(records) + 1, tags=[("TY", value, number)])
        else:
            current.tags.append((tag, value, number))
    _report_stray(path, stray, problems)
    if current is not None:
        records.append(current)
        problems.append(unreadable(path, current.line, f"record {current.number} has no ER (end of record) "
                                   "line: the file may be cut short; read up to its end", label=str(current.number),
                                   severity=Severity.WARNING))
    return records, problems


def _report_stray(path: str, stray: int | None, problems: list[Finding]) -> None:
    """RK403 for tagged lines found outside any record (from line `stray`)."""
    if stray is not None:
        problems.append(unreadable(path, stray, "tag lines outside any record (no TY line starts them) skipped"))
    return None


def to_citation(path: str, record: _Record) -> Citation:
    """One RIS record as a Citation."""
    label = record.first("ID") or str(record.number)
    where = Location(path, record.line, label=label)
    notes, provenance_lines = [], []
    for value, line in record.all("N1"):
        text = note_text(value)
        (provenance_lines if provenance.is_provenance(text) else notes).append(
            Note(text, Location(path, line, label=label)))
    printed_doi = _printed_doi(record)
    ris_type = record.first("TY")
    extra: dict = {"ris-type": ris_type}
    if record.first("AB", "N2"):
        extra["abstract"] = record.first("AB", "N2")
    if record.all("KW"):
        extra["keywords"] = [squash(v) for v, _ in record.all("KW")]
    if provenance_lines:
        extra["provenance"] = [n.text for n in provenance_lines]
    if printed_doi and not doi_tools.whole(printed_doi):
        extra["malformed_doi"] = [printed_doi]  # RK101, as refkit.readers.reflist records it
    first_page, last_page = record.first("SP"), record.first("EP")
    citation = Citation(
        raw="\n".join(f"{tag}  - {value}" for tag, value, _ in record.tags),
        source=where,
        kind=CitationKind.REFERENCE,
        authors=[ris_name(v) for v, _ in record.all(*AUTHOR_TAGS)],
        title=record.first("TI", "T1", "CT", "BT"),
        container=record.first("T2", "JF", "JO", "JA", "J2", "BT"),
        year=year_in(record.first("PY", "Y1", "DA")),
        volume=record.first("VL"),
        issue=record.first("IS"),
        pages=f"{first_page}-{last_page}" if first_page and last_page else first_page,
        publisher=record.first("PB"),
        doi=doi_tools.whole(printed_doi),
        doi_printed=printed_doi,
        url=record.first("UR", "L2"),
        identifiers=_standard_numbers(record, ris_type),
        csl_type=CSL_TYPES.get(ris_type, "article-journal"),
        notes=notes,
        extra=extra,
    )
    citation.month, citation.day = issued.month_day(
        citation.year, *(issued.numeric_date(record.first(tag)) for tag in ("DA", "PY", "Y1")))
    citation.issued_end = issued.range_end(citation.year,
                                           *(issued.ris_dates(record.first(tag)) for tag in ("DA", "Y1")))
    complete_from_printed(citation, citation.title)  # a record that is one whole printed reference
    return citation


def _standard_numbers(record: _Record, ris_type: str) -> dict[str, str]:
    """The ISBNs and ISSNs of every SN line, each as printed: a number is
    what its shape says (refkit.standard_numbers.kind), else what SN holds
    for the record's type (refkit.writers.ris.sn_variable)."""
    found: dict[str, list[str]] = {}
    for value, _ in record.all("SN"):
        for number in standard_numbers.split(squash(value)):
            found.setdefault(standard_numbers.kind(number) or sn_variable(ris_type), []).append(number)
    return {key: standard_numbers.joined(numbers) for key, numbers in found.items()}


def ris_name(value: str) -> Name:
    """ "Family, Given[, Suffix]" (or a single-field organisation) as a Name."""
    parts = [squash(p) for p in value.split(",")]
    if len(parts) == 1:
        return Name(literal=parts[0])
    return Name(family=parts[0], given=parts[1], suffix=", ".join(parts[2:]))


def note_text(value: str) -> str:
    """An N1 value as text: HTML paragraphs (as refkit writes notes holding
    < > &) are unescaped, paragraph breaks kept."""
    value = value.strip()
    if _HTML_PARAGRAPHS.match(value):
        paragraphs = re.findall(r"<p>(.*?)</p>", value, re.DOTALL)
        return "\n\n".join(html.unescape(squash(p)) for p in paragraphs)
    paragraphs = [squash(p) for p in value.split("\n")]
    return "\n\n".join(p for p in paragraphs if p)


def _append(record: _Record, more: str) -> None:
    tag, value, line = record.tags[-1]
    record.tags[-1] = (tag, value + more, line)


def _printed_doi(record: _Record) -> str | None:
    """DO, or an M3 that holds a DOI (Zotero lets such an M3 win over DO)."""
    m3 = record.first("M3")
    if m3 and doi_tools.clean(m3):
        return m3
    return record.first("DO") or None

