"""HTML to structured text blocks, shared by the article and citations-page readers.

A web page is flattened into `Block`s: one per paragraph, heading, list item
or table cell, each with its text, tag, source line and the links inside it
(so a title's doi.org or PubMed link survives). Scripts, styles and
navigation are dropped. `<meta>` tags are kept for the document's identity.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import lxml.etree
import lxml.html

from refkit.errors import InputError
from refkit.model import squash

BLOCK_TAGS = frozenset(
    "p div h1 h2 h3 h4 h5 h6 li dt dd blockquote pre section article header footer main "
    "aside table tr td th ul ol dl figure figcaption caption address".split()
)
DROP_TAGS = frozenset("script style nav noscript template head svg form button".split())
_HEADING = re.compile(r"^h([1-6])$")
_HTML_START = re.compile(r"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html[\s>]|head[\s>]|body[\s>]"
                         r"|(?:h[1-6]|p|div|section|article|main|ul|ol|table|a|span|header|nav)[\s>])",
                         re.IGNORECASE | re.DOTALL)


@dataclass(frozen=True)
class Link:
    """A hyperlink inside a block: its target and the text it covers."""

    href: str
    text: str


@dataclass
class Block:
    """One block of visible text: `tag` of the element it came from,
    `line` in the HTML source (1-based), and the links inside it.
    `after_break` is True when a single <br> inside the same element set it
    apart from the block before: a new line, which readers may keep as one
    paragraph."""

    text: str
    tag: str
    line: int | None
    links: list[Link] = field(default_factory=list)
    after_break: bool = False

    @property
    def heading_level(self) -> int | None:
        """1-6 for an <h1>…<h6> block, None otherwise."""
        m = _HEADING.match(self.tag)
        return int(m.group(1)) if m else None


@dataclass
class HtmlPage:
    """A parsed page: its visible blocks in order, its <title>, and its
    <meta name=… content=…> values (lower-cased names, several per name)."""

    blocks: list[Block]
    title: str
    meta: dict[str, list[str]]


def looks_like_html(text: str) -> bool:
    """Whether `text` is HTML: a document (doctype, <html>, <head>, <body>) or
    a fragment saved from a page (it starts with a block or link tag)."""
    return bool(_HTML_START.match(text[:4096].lstrip("\ufeff")))


def parse_html(path: str, text: str) -> HtmlPage:
    """Parse an HTML document into blocks, title and meta tags."""
    try:
        root = lxml.html.document_fromstring(text)
    except (lxml.etree.ParserError, ValueError) as exc:
        raise InputError(path, f"cannot parse as HTML: {exc}") from None
    head = root.find("head")
    title = squash(head.findtext("title") or "") if head is not None else ""
    builder = _BlockBuilder()
    body = root.find("body")
    builder.visit(body if body is not None else root)
    builder.flush()
    return HtmlPage(builder.blocks, title, _meta(root))


def blocks_as_text(blocks: list[Block]) -> tuple[str, list[int | None]]:
    """The blocks as plain text, one line per block and a blank line between,
    with the HTML source line of every text line (None for the blanks)."""
    lines: list[str] = []
    source_lines: list[int | None] = []
    for block in blocks:
        lines.extend([block.text, ""])
        source_lines.extend([block.line, None])
    return "\n".join(lines), source_lines


def _meta(root: lxml.html.HtmlElement) -> dict[str, list[str]]:
    meta: dict[str, list[str]] = {}
    for el in root.iter("meta"):
        name = (el.get("name") or el.get("property") or "").strip().lower()
        content = (el.get("content") or "").strip()
        if name and content:
            meta.setdefault(name, []).append(content)
    return meta


class _BlockBuilder:
    """Walks the element tree, cutting text into blocks at block elements."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self._parts: list[str] = []
        self._links: list[Link] = []
        self._tag = "p"
        self._line: int | None = None
        self._after_break = False

    def visit(self, el: lxml.html.HtmlElement) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        if not tag or tag in DROP_TAGS:
            return  # comments, processing instructions, dropped elements: their tail stays
        if tag == "br":
            self._after_break = self.flush()  # a second <br> in a row breaks the paragraph
            return
        is_block = tag in BLOCK_TAGS
        outer_tag = self._tag
        if is_block:
            self.flush()
            self._tag, self._line = tag, el.sourceline
        elif tag == "a" and el.get("href"):
            self._links.append(Link(el.get("href").strip(), squash(el.text_content())))
        self._add(el.text, el.sourceline)
        for child in el:
            self.visit(child)
            self._add(child.tail, child.sourceline)
        if is_block:
            self.flush()
            self._tag = outer_tag  # text after this block belongs to the enclosing one

    def _add(self, text: str | None, line: int | None) -> None:
        if text and text.strip() and self._line is None:
            self._line = line
        if text:
            self._parts.append(text)

    def flush(self) -> bool:
        """End the current block; True when it held text."""
        text = squash("".join(self._parts))
        if text:
            self.blocks.append(Block(text, self._tag, self._line, self._links, self._after_break))
        self._parts, self._links, self._line, self._after_break = [], [], None, False
        return bool(text)
