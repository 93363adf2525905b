"""Articles as text or HTML (and, through `read_article_text`, the text of a
PDF): the article's own record (identity), its reference list, and the
in-text citations that no list entry resolves.

HTML is flattened with lxml into one line per block; the reference list's
doi.org and PubMed links are kept, and every location points at the HTML
source line.
"""

from __future__ import annotations

from dataclasses import replace

from refkit import doi as doilib
from refkit.identity import find_identity, from_meta
from refkit.model import Citation, Document, Location
from refkit.readers.html import (
    Block,
    HtmlPage,
    blocks_as_text,
    looks_like_html,
    parse_html,
)
from refkit.readers.markers import in_text_citations
from refkit.readers.source import decode


def read(path: str, data: bytes) -> Document:
    """Read a text or HTML article."""
    text = decode(path, data)
    if looks_like_html(text):
        return read_html_article(path, parse_html(path, text))
    return read_article_text(path, text, "article")


def read_article_text(path: str, text: str, fmt: str, pages: list[int] | None = None,
                      indents: list[float] | None = None) -> Document:
    """Compose a Document from an article's text: identity, reference list
    (via refkit.readers.reflist) and unlisted in-text citations. `pages[i]`
    is the page of line i+1 when known (PDF)."""
    from refkit.readers.reflist import read_reference_list

    found = read_reference_list(text, path, pages, indents)
    references, list_start = found.citations, found.start_line
    unlisted, numeric = in_text_citations(path, text, references, list_start)
    document = Document(path=path, format=fmt, citations=references + unlisted,
                        identity=find_identity(path, text, body_end=list_start), findings=found.findings)
    if numeric:
        document.extra["numeric_markers"] = numeric
    if pages:
        _add_pages(document, pages)
    return document


def read_html_article(path: str, page: HtmlPage) -> Document:
    """An HTML article: its blocks read as text, then meta-tag identity,
    reference links and HTML source lines added."""
    text, source_lines = blocks_as_text(page.blocks)
    document = read_article_text(path, text, "article")
    meta_identity = from_meta(path, page.meta)
    if meta_identity is not None:
        document.identity = meta_identity
    block_at_line = {index + 1: block for index, block in enumerate(_with_blanks(page.blocks))}
    for citation in document.citations:
        block = block_at_line.get(citation.source.line or 0)
        if block is not None:
            _take_links(citation, block)
    _relocate(document, source_lines)
    return document


def _with_blanks(blocks: list[Block]) -> list[Block | None]:
    """The blocks as `blocks_as_text` lays them out: each followed by a blank line."""
    return [item for block in blocks for item in (block, None)]


def _take_links(citation: Citation, block: Block) -> None:
    """A reference entry's doi.org link (its DOI when none is printed) and PubMed link."""
    for link in block.links:
        found = [f for f in doilib.find_dois(link.href) if f.valid]
        if found:
            citation.extra.setdefault("doi_link", link.href)
            if citation.doi is None:
                citation.doi, citation.doi_printed = found[0].doi, link.href
        if "pubmed" in link.href:
            digits = "".join(ch for ch in link.href.rstrip("/").rsplit("/", 1)[-1] if ch.isdigit())
            if digits:
                citation.identifiers.setdefault("PMID", digits)


def _relocate(document: Document, source_lines: list[int | None]) -> None:
    """Replace text line numbers by HTML source lines in every location."""
    def line(number: int) -> int:
        return source_lines[number - 1] or number if 0 < number <= len(source_lines) else number

    def move(location: Location) -> Location:
        return location if location.line is None else replace(location, line=line(location.line))

    _map_locations(document, move)
    for citation in document.citations:
        if "occurrences" in citation.extra:
            citation.extra["occurrences"] = [line(n) for n in citation.extra["occurrences"]]
    if "numeric_markers" in document.extra:
        summary = document.extra["numeric_markers"]
        summary["first_line"] = line(summary["first_line"])


def _add_pages(document: Document, pages: list[int]) -> None:
    """Give every location without a page the page of its line."""
    def paged(location: Location) -> Location:
        if location.page is not None or location.line is None or not 0 < location.line <= len(pages):
            return location
        return replace(location, page=pages[location.line - 1])

    _map_locations(document, paged)


def _map_locations(document: Document, change) -> None:
    for citation in document.citations + ([document.identity] if document.identity else []):
        citation.source = change(citation.source)
        for note in citation.notes:
            note.source = change(note.source)
    for finding in document.findings:
        if finding.source is not None:
            finding.source = change(finding.source)
