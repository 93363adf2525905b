"""Identifier-list reader: a document that is only identifiers (a DOI list,
PMIDs pasted from PubMed, arXiv ids, ISBNs), one or more per line.

Each identifier is one cited work that prints nothing but that identifier,
so it is marked `identifier_only`: the resolver then takes the record the
identifier names as the work (there is no title or author to contradict it),
instead of reporting it as belonging to another work. Blank lines and lines
starting with `#` or `%` are comments.
"""

from __future__ import annotations

from refkit import identifiers as ids
from refkit.errors import InputError
from refkit.model import Citation, CitationKind, Document, Location
from refkit.readers.source import decode

_COMMENT = ("#", "%")


def read(path: str, data: bytes) -> Document:
    """Every identifier of the file as a Citation, in order."""
    lines = identifier_lines(decode(path, data))
    if lines is None:
        raise InputError(path, "not an identifier list: every line must be a DOI, PMID, PMCID, "
                               "arXiv id or ISBN (or a # comment)")
    citations = [to_citation(identifier, Location(path, number, label=str(index)))
                 for index, (number, identifier) in enumerate(lines, start=1)]
    return Document(path=path, format="identifiers", citations=citations)


def identifier_lines(text: str) -> list[tuple[int, ids.Identifier]] | None:
    """(line number, identifier) for every identifier of `text`, or None when
    some line holds something else."""
    found: list[tuple[int, ids.Identifier]] = []
    for number, line in enumerate(text.split("\n"), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith(_COMMENT):
            continue
        on_line = ids.split_identifiers(stripped)
        if on_line is None:
            return None
        found.extend((number, identifier) for identifier in on_line)
    return found


def looks_like_identifier_list(text: str) -> bool:
    """Whether `text` is an identifier list: only identifiers, at least one of
    them more than a bare number (a column of numbers is not evidence)."""
    lines = identifier_lines(text)
    return bool(lines) and any(not identifier.text.isdigit() for _, identifier in lines)


def to_citation(identifier: ids.Identifier, where: Location) -> Citation:
    """A Citation that prints only `identifier` (and says so in extra["identifier_only"])."""
    citation = Citation(raw=identifier.text, source=where, kind=CitationKind.REFERENCE,
                        csl_type="book" if identifier.kind == ids.ISBN else "article-journal",
                        extra={"identifier_only": True, "identifier": identifier.label})
    if identifier.kind == ids.DOI:
        citation.doi, citation.doi_printed = identifier.value, identifier.text
    else:
        citation.identifiers[ids.CSL_KEYS[identifier.kind]] = identifier.value
    return citation
