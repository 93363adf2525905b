"""Annotated citation pages (text or HTML): sections of "Title (year)" lines,
each followed by a summary that becomes the citation's note.

Structure decides what a summary is: the paragraph(s) right after a title
line. Page prose (introductions, commentary between entries such as "Some of
the studies below…", advice to the reader) is never attached to an entry.
When a rendering lost the titles (every entry is only its summary), the
summaries are kept as untitled entries with their section and position, so
that `refkit.corpus` can align them with a titled version of the same page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from refkit import doi as doilib
from refkit.errors import InputError
from refkit.model import Citation, CitationKind, Document, Location, Note, squash
from refkit.readers.html import Block, Link, looks_like_html, parse_html
from refkit.readers.source import decode

_TITLE_LINE = re.compile(r"^(?P<title>\S.{2,400}?)\s*\((?P<year>(?:1[6-9]|20)\d\d)(?P<suffix>[a-z]?)\)\s*$")
_TERMINAL = re.compile(r"[.!?:][\"'”’)\]]*$")
_BULLET = re.compile(r"^\s*(?:[-•*–]|\d{1,2}[.)])\s+")
_SECOND_PERSON = re.compile(r"\b(?:you|your|yours)\b", re.IGNORECASE)
# Words that talk about the page or its collection rather than about one study.
_META_DISCOURSE = re.compile(
    r"\b(?:below|above|taken together|summaries|this (?:page|section|list|area|collection)|"
    r"these (?:findings|studies|papers|summaries|articles))\b",
    re.IGNORECASE,
)
# A sentence that refers back to "the findings" continues the summary before it
# (a text rendering that lost paragraph breaks cannot be trusted at a full stop).
_CONTINUATION = re.compile(r"^(?:The|These) (?:findings|results|authors)\b")
_PAGE_TITLE_WORDS = re.compile(
    r"\b(?:citations|annotated bibliography|reading list|selected (?:papers|studies|readings)|"
    r"research (?:papers|summaries|studies))\b",
    re.IGNORECASE,
)
_REFLIST_HEADING = re.compile(r"^\s*(?:\d+\.?\s*)?(?:references|bibliography|literature cited|works cited)\s*$",
                              re.IGNORECASE | re.MULTILINE)
_IDENTIFIER_LINKS = (
    ("PMID", re.compile(r"pubmed\.ncbi\.nlm\.nih\.gov/(\d{1,9})|ncbi\.nlm\.nih\.gov/pubmed/(\d{1,9})")),
    ("PMCID", re.compile(r"ncbi\.nlm\.nih\.gov/pmc/articles/(PMC\d+)", re.IGNORECASE)),
)
# The text of a link that only points somewhere ("doi", "[PubMed]", a URL or
# DOI written out): never part of the title it follows.
_LINK_LABEL = re.compile(r"[\[(]?(?:doi|pubmed|pmc|pmid|pubmed central|full[ -]?text|pdf|abstract|link|crossref"
                         r"|google scholar|(?:https?://|www\.|doi:\s*|10\.\d{4,9}/)\S+)[\])]?", re.IGNORECASE)
MIN_SUMMARY_WORDS = 6


@dataclass
class Paragraph:
    """One block of the page: its text, where it starts, what it is
    ("heading", "title" or "text"), its links, whether a wide gap (two or
    more blank lines) set it apart from what came before, and whether only
    an HTML <br> did (`after_break`)."""

    text: str
    line: int | None
    kind: str
    links: list[Link] = field(default_factory=list)
    gap_before: bool = False
    after_break: bool = False


@dataclass
class ParsedPage:
    """The page's title and its entries, titled or not, in page order."""

    title: str
    title_line: int | None
    entries: list[Citation]


def looks_like_citation_page(text: str) -> bool:
    """Whether `text` (plain or HTML) is an annotated citations page: at
    least two "Title (year)" lines each followed by a summary, or a page
    titled as a collection of citations ("Research Citations", "Reading
    list"…) whose paragraphs are summaries; never a text with a reference list."""
    paragraphs = _paragraphs(text)
    plain = "\n".join(p.text for p in paragraphs)
    if _REFLIST_HEADING.search(plain):
        return False
    titled = sum(1 for here, after in zip(paragraphs, paragraphs[1:])
                 if here.kind == "title" and after.kind == "text")
    if titled >= 2:
        return True
    head = paragraphs[:3]
    named = any(_PAGE_TITLE_WORDS.search(p.text) and len(p.text) < 200 for p in head)
    return named and len(parse_page("", paragraphs).entries) >= 2


def read(path: str, data: bytes) -> Document:
    """Read an annotated citations page (text or HTML) into a Document whose
    citations are its entries (kind ANNOTATED) and whose identity is the page title."""
    text = decode(path, data)
    page = parse_page(path, _paragraphs(text))
    if not page.entries:
        raise InputError(path, "no annotated entries found: expected 'Title (year)' lines "
                         "each followed by a summary paragraph")
    identity = None
    if page.title:
        identity = Citation(raw=page.title, source=Location(path, page.title_line), title=page.title,
                            kind=CitationKind.ANNOTATED, csl_type="webpage")
    return Document(path=path, format="citations-page", citations=page.entries, identity=identity)


def parse_page(path: str, paragraphs: list[Paragraph]) -> ParsedPage:
    """The entries of a page given as paragraphs: titled entries with their
    summaries as notes, or, on a page without any title line, untitled
    entries (one per summary paragraph)."""
    title, title_line = "", None
    if paragraphs and paragraphs[0].kind == "heading":
        title, title_line = paragraphs[0].text, paragraphs[0].line
        paragraphs = paragraphs[1:]
    has_titles = any(p.kind == "title" for p in paragraphs)
    entries: list[Citation] = []
    section = ""
    in_sections = False
    current: Citation | None = None
    for para in paragraphs:
        if para.kind == "heading":
            section, in_sections, current = para.text, True, None
        elif para.kind == "title":
            current = _titled_entry(path, para, section, len(entries) + 1)
            entries.append(current)
        elif current is not None and not current.notes and not is_page_prose(para.text):
            current.notes.append(_note(path, para, current.source))
        elif current is not None and not para.gap_before and not is_page_prose(para.text):
            current.notes.append(_note(path, para, current.source))  # a summary's further paragraph
        else:
            current = None
            if not has_titles and in_sections and not is_page_prose(para.text):
                entries.append(_untitled_entry(path, para, section, len(entries) + 1))
    return ParsedPage(title, title_line, [e for e in entries if e.notes])


def is_page_prose(text: str) -> bool:
    """Whether a paragraph is page prose rather than a summary of one work:
    a list item, an introduction to a list (ends with ':'), advice to the
    reader (you/your), commentary about the collection in its first sentence
    ("Some of the studies below…", "Taken together, these findings…"), or too short."""
    first_sentence = re.split(r"(?<=[.!?])\s+", text, maxsplit=1)[0]
    return (bool(_BULLET.match(text)) or text.rstrip().endswith(":")
            or bool(_SECOND_PERSON.search(text)) or bool(_META_DISCOURSE.search(first_sentence))
            or len(text.split()) < MIN_SUMMARY_WORDS)


def _titled_entry(path: str, para: Paragraph, section: str, order: int) -> Citation:
    m = _TITLE_LINE.match(para.text)
    assert m is not None  # kind "title" was given by this pattern
    source = Location(path, para.line, label=str(order), section=section)
    citation = Citation(raw=para.text, source=source, kind=CitationKind.ANNOTATED,
                        title=_without_link_labels(m.group("title"), para.links), year=int(m.group("year")))
    if m.group("suffix"):
        citation.extra["year_printed"] = m.group("year") + m.group("suffix")
    _take_link_identifiers(citation, para.links)
    return citation


def _without_link_labels(title: str, links: list[Link]) -> str:
    """`title` without the texts of the links printed after it that only
    label where they point ("Title doi [PubMed]"); their targets are kept
    as identifiers by _take_link_identifiers."""
    title = title.strip()
    for link in reversed(links):
        if _LINK_LABEL.fullmatch(link.text) and title.endswith(link.text) and len(title) > len(link.text):
            title = title[: -len(link.text)].rstrip(" ,;|·–-")
    return title


def _untitled_entry(path: str, para: Paragraph, section: str, order: int) -> Citation:
    source = Location(path, para.line, label=str(order), section=section)
    citation = Citation(raw="", source=source, kind=CitationKind.ANNOTATED, extra={"untitled": True})
    citation.notes.append(_note(path, para, source))
    _take_link_identifiers(citation, para.links)
    return citation


def _note(path: str, para: Paragraph, entry: Location) -> Note:
    return Note(para.text, Location(path, para.line, label=entry.label, section=entry.section))


def _take_link_identifiers(citation: Citation, links: list[Link]) -> None:
    """DOI and PubMed identifiers from the links on an entry's title."""
    for link in links:
        found = doilib.find_dois(link.href)
        if found and found[0].valid and citation.doi is None:
            citation.doi, citation.doi_printed = found[0].doi, link.href
            citation.url = citation.url or link.href
        for key, pattern in _IDENTIFIER_LINKS:
            m = pattern.search(link.href)
            if m:
                citation.identifiers.setdefault(key, next(g for g in m.groups() if g))
                citation.url = citation.url or link.href


# --- from text or HTML to classified paragraphs -------------------------------------------

def _paragraphs(text: str) -> list[Paragraph]:
    if looks_like_html(text):
        return _join_broken_lines(_classify([_from_block(b) for b in parse_html("", text).blocks]))
    return _classify(_text_paragraphs(text))


def _from_block(block: Block) -> Paragraph:
    kind = "heading" if block.heading_level else "text"
    if block.tag == "li":
        kind = "text"
    return Paragraph(block.text, block.line, kind, list(block.links), after_break=block.after_break)


def _join_broken_lines(paragraphs: list[Paragraph]) -> list[Paragraph]:
    """Text lines that a <br> split inside one element, back in one paragraph
    with a line break between them (a title line before or after a <br>
    stays apart: "Title (2010)<br>Summary")."""
    joined: list[Paragraph] = []
    for para in paragraphs:
        previous = joined[-1] if joined else None
        if para.after_break and para.kind == "text" and previous is not None and previous.kind == "text":
            previous.text = f"{previous.text}\n{para.text}"
            previous.links.extend(para.links)
        else:
            joined.append(para)
    return joined


def _classify(paragraphs: list[Paragraph]) -> list[Paragraph]:
    """Mark title lines: "Title (year)" followed by something that is not a title."""
    for here in paragraphs:
        if _TITLE_LINE.match(here.text) and len(here.text.split()) <= 60:
            here.kind = "title"
    for here, after in zip(paragraphs, paragraphs[1:] + [None]):
        if here.kind == "title" and (after is None or after.kind != "text"):
            here.kind = "text"  # no summary follows: not an entry's title
    return paragraphs


def _text_paragraphs(text: str) -> list[Paragraph]:
    """Split plain text into paragraphs: at blank lines, and inside runs of
    lines where a line ends a sentence and the next starts a new one, or at
    heading-like lines (a rendering may have dropped the blank lines)."""
    paragraphs: list[Paragraph] = []
    lines: list[str] = []
    start = blanks_above = blanks = 0

    def flush() -> None:
        if lines:
            kind = "heading" if len(lines) == 1 and looks_like_heading(lines[0]) else "text"
            paragraphs.append(Paragraph(squash(" ".join(lines)), start, kind, gap_before=blanks_above >= 2))
            lines.clear()

    for number, raw in enumerate(text.split("\n"), 1):
        line = raw.strip()
        if not line:
            flush()
            blanks += 1
            continue
        if lines and _starts_paragraph(lines[-1], line):
            flush()
        if not lines:
            start, blanks_above = number, blanks
        lines.append(line)
        blanks = 0
    flush()
    return paragraphs


def _starts_paragraph(previous: str, line: str) -> bool:
    if _BULLET.match(line) or looks_like_heading(previous) or looks_like_heading(line):
        return True
    if _TITLE_LINE.match(previous) or _TITLE_LINE.match(line):
        return True
    ends_sentence = bool(_TERMINAL.search(previous))
    return ends_sentence and bool(re.match(r"[\"'“‘(]?[A-Z0-9]", line)) and not _CONTINUATION.match(line)


def looks_like_heading(line: str) -> bool:
    """A short line in title case without closing punctuation ("Case Reports")."""
    words = line.split()
    if not words or len(words) > 14 or len(line) > 120 or not line[0].isupper():
        return False
    if re.search(r"[.,;:!?]$", line) or _TITLE_LINE.match(line):
        return False
    significant = [w for w in words if len(w) > 3 and w[0].isalpha()]
    capitalised = [w for w in significant if w[0].isupper()]
    return not significant or len(capitalised) / len(significant) >= 0.6
