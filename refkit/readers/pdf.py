"""Read a PDF article: its text in reading order, page by page, handed to the
article reader.

PDFium (through pypdfium2) gives every character with its box; refkit's own
layout (refkit.readers.pdflayout) turns them into lines read column by
column. PDFium was chosen over pdfminer.six and pdfplumber on the pdf-gold
benchmark (benchmarks/bench_pdf_gold.py): the same layout fed by each gives
the same or better lists, ten times faster. Rotated margin text (Wiley's
vertical "Downloaded from ..." footer) is dropped, and running headers and
footers repeated on several pages are kept only where they first appear, so
they do not leak into reference entries.

Hostile PDFs are bounded: a stream that inflates past REFKIT_PDF_MAX_INFLATE_MB,
or a document still being read after REFKIT_DOC_SECONDS, is refused with one
line; a page with more than REFKIT_PDF_MAX_PAGE_CHARS characters is skipped
and reported (RK403) while the rest of the document is read.
"""

from __future__ import annotations

import ctypes
import math
import os
import re
import time
import zlib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from refkit import codes
from refkit.errors import InputError
from refkit.model import Document, Finding, Location
from refkit.readers.pdflayout import Glyph, Line, document_lines

MAX_INFLATE_BYTES = int(float(os.environ.get("REFKIT_PDF_MAX_INFLATE_MB", "64")) * 1024 * 1024)
MAX_PAGE_CHARS = int(os.environ.get("REFKIT_PDF_MAX_PAGE_CHARS", "200000"))
DOC_SECONDS = float(os.environ.get("REFKIT_DOC_SECONDS", "60"))
MARGIN = 0.08  # top and bottom share of a page where running headers and footers sit
_STREAM = re.compile(rb"stream\r?\n")
_SPACE = Glyph(" ", 0.0, 0.0, 0.0, 0.0)
_NOT_TEXT = {0, 10, 13, 0xFFFE, 0xFFFF}


@dataclass
class PageLine:
    """One line of laid-out text, the page it is on, and where it sits."""

    text: str
    page: int
    in_margin: bool
    indent: float = 0.0  # line heights right of its column's left edge


@dataclass
class PdfText:
    """A PDF's lines in reading order, and findings about pages not read."""

    lines: list[PageLine]
    findings: list[Finding] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)

    @property
    def pages(self) -> list[int]:
        return [line.page for line in self.lines]


def read(path: str, data: bytes) -> Document:
    """Read a PDF article: identity, reference list and in-text markers."""
    return read_laid_out(path, extract_lines(path, data))


def read_laid_out(path: str, laid_out: PdfText) -> Document:
    """The article read from a PDF's laid-out lines (whichever library laid out the glyphs)."""
    from refkit.readers.article import read_article_text

    document = read_article_text(path, laid_out.text, "pdf", laid_out.pages, [line.indent for line in laid_out.lines])
    document.findings[:0] = laid_out.findings
    return document


def extract_text(path: str, data: bytes) -> tuple[str, list[int]]:
    """The PDF's text and, for each of its lines, the 1-based page it is on."""
    laid_out = extract_lines(path, data)
    return laid_out.text, laid_out.pages


def extract_lines(path: str, data: bytes) -> PdfText:
    """The PDF's lines in reading order, running headers and footers dropped.

    Raises InputError for a truncated, corrupt, password-protected or
    over-limit PDF and for one without a text layer (a scan)."""
    check_inflation(path, data)
    findings: list[Finding] = []
    return lay_out(path, _pages(path, data, findings), findings)


def lay_out(path: str, pages: Iterable[tuple[list[Glyph], float]], findings: list[Finding] | None = None) -> PdfText:
    """Lines in reading order from each page's glyphs and height, running
    headers and footers dropped; InputError when there is no text at all."""
    glyphs, heights = [], []
    for page_glyphs, height in pages:
        glyphs.append(page_glyphs)
        heights.append(height)
    lines = [_page_line(line, number, height) for number, (page, height)
             in enumerate(zip(document_lines(glyphs), heights), start=1) for line in page]
    laid_out = PdfText(strip_running_lines(lines), findings if findings is not None else [])
    if sum(len(line.text.strip()) for line in laid_out.lines) < 20:
        if laid_out.findings:  # every page with text was over a limit
            raise InputError(path, f"nothing read: {laid_out.findings[0].message}")
        raise InputError(path, "no text layer (a scanned PDF?); run OCR first, e.g. ocrmypdf")
    return laid_out


# --- limits -----------------------------------------------------------------------------------

def check_inflation(path: str, data: bytes) -> None:
    """Refuse a PDF with a stream (other than an image) that inflates past
    MAX_INFLATE_BYTES: a decompression bomb would take gigabytes to read."""
    view = memoryview(data)
    for m in _STREAM.finditer(data):
        head = data[max(0, m.start() - 400): m.start()]
        if b"/Image" in head[head.rfind(b"obj"):]:
            continue
        end = data.find(b"endstream", m.end())
        if _inflated_size(view[m.end(): end if end >= 0 else len(data)]) > MAX_INFLATE_BYTES:
            raise InputError(path, f"a stream at byte {m.end()} inflates past {MAX_INFLATE_BYTES // 1048576} MB "
                             "(a decompression bomb?); set REFKIT_PDF_MAX_INFLATE_MB to raise the limit")


def _inflated_size(stream: memoryview) -> int:
    """How many bytes a Flate stream inflates to, counting no further than
    just past the limit (0 for a stream that is not Flate)."""
    inflater = zlib.decompressobj()
    size, pending = 0, stream
    try:
        while pending and size <= MAX_INFLATE_BYTES:
            size += len(inflater.decompress(pending, MAX_INFLATE_BYTES + 1 - size))
            pending = inflater.unconsumed_tail
    except zlib.error:
        return size
    return size


class _Budget:
    """The per-document time budget (REFKIT_DOC_SECONDS)."""

    def __init__(self, path: str) -> None:
        self.path, self.deadline = path, time.monotonic() + DOC_SECONDS

    def check(self, page: int) -> None:
        if time.monotonic() > self.deadline:
            raise InputError(self.path, f"reading took more than {DOC_SECONDS:g} s (at page {page}); "
                             "set REFKIT_DOC_SECONDS to allow longer", where=f"page {page}")


# --- PDFium -----------------------------------------------------------------------------------

def _pages(path: str, data: bytes, findings: list[Finding]):
    """Each page's glyphs and height, in order; pages over the character limit are skipped with a finding."""
    import pypdfium2 as pdfium

    budget = _Budget(path)
    document = _open(path, data)
    try:
        for index in range(len(document)):
            budget.check(index + 1)
            page = document[index]
            try:
                glyphs = _glyphs(page, path, index + 1, findings)
                height = page.get_height()
            finally:
                page.close()
            budget.check(index + 1)
            yield glyphs, height
    except pdfium.PdfiumError as exc:
        raise InputError(path, f"not a readable PDF (damaged page: {exc})") from None
    finally:
        document.close()


def _open(path: str, data: bytes):
    import pypdfium2 as pdfium

    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        code = getattr(exc, "err_code", None)
        if code == 4 or "password" in str(exc).lower():
            raise InputError(path, "the PDF is encrypted and needs a password; save an unprotected copy") from None
        if code == 5 or "security" in str(exc).lower():
            raise InputError(path, "the PDF's encryption is not supported; save an unprotected copy") from None
        raise InputError(path, f"not a readable PDF (truncated or corrupt: {exc})") from None


def _glyphs(page, path: str, number: int, findings: list[Finding]) -> list[Glyph]:
    """The page's upright characters in drawing order (line breaks PDFium adds left out)."""
    import pypdfium2.raw as raw

    textpage = page.get_textpage()
    try:
        count = textpage.count_chars()
        if count > MAX_PAGE_CHARS:
            findings.append(Finding(
                codes.RECORD_UNREADABLE, f"page {number} not read: {count:,} characters, over the "
                f"{MAX_PAGE_CHARS:,} limit (REFKIT_PDF_MAX_PAGE_CHARS)", source=Location(path, page=number)))
            return []
        box, matrix, x, y = raw.FS_RECTF(), raw.FS_MATRIX(), ctypes.c_double(), ctypes.c_double()
        handle, unicode, get_matrix, get_origin, get_box, get_size = (
            textpage.raw, raw.FPDFText_GetUnicode, raw.FPDFText_GetMatrix, raw.FPDFText_GetCharOrigin,
            raw.FPDFText_GetLooseCharBox, raw.FPDFText_GetFontSize)
        glyphs, indexes = [], []
        for i in range(count):
            code = unicode(handle, i)
            if code == 32:  # a space, printed or one PDFium saw in a gap: only a word break
                glyphs.append(_SPACE)
                indexes.append(i)
                continue
            if code in _NOT_TEXT or 0xD800 <= code <= 0xDFFF:
                continue
            if not (get_matrix(handle, i, matrix) and get_origin(handle, i, x, y) and get_box(handle, i, box)):
                continue
            if abs(matrix.b) > 0.1 * abs(matrix.a) or abs(matrix.c) > 0.1 * abs(matrix.d) or matrix.a <= 0 or matrix.d <= 0:
                continue  # rotated or mirrored text: a margin note or a vertical footer
            size = get_size(handle, i) * matrix.d
            glyphs.append(Glyph(chr(code), box.left, y.value - 0.25 * size, box.right, y.value + 0.75 * size))
            indexes.append(i)
        _repair_dashes(textpage, glyphs, indexes)
        return glyphs
    finally:
        textpage.close()


def _repair_dashes(textpage, glyphs: list[Glyph], indexes: list[int]) -> None:
    """A letter between digits drawn in another font than the digits is a
    dash whose font maps it to a letter (Elsevier's "527e529" for 527–529)."""
    for k in range(1, len(glyphs) - 1):
        if (glyphs[k].text.isalpha() and glyphs[k - 1].text.isdigit() and glyphs[k + 1].text.isdigit()
                and _font(textpage, indexes[k]) != _font(textpage, indexes[k - 1])):
            glyphs[k].text = "–"


def _font(textpage, index: int) -> bytes:
    import pypdfium2.raw as raw

    name, flags = ctypes.create_string_buffer(128), ctypes.c_int()
    raw.FPDFText_GetFontInfo(textpage.raw, index, name, len(name), flags)
    return name.value


def _page_line(line: Line, number: int, height: float) -> PageLine:
    """A page's line, marked when it sits in the top or bottom margin (where running headers are)."""
    in_margin = line.y1 <= height * MARGIN or line.y0 >= height * (1 - MARGIN)
    return PageLine(line.text, number, in_margin, round(line.indent, 2))


# --- running headers and footers ---------------------------------------------------------------

def strip_running_lines(lines: list[PageLine]) -> list[PageLine]:
    """Drop page numbers and repeated headers/footers in the page margins,
    keeping each header's first appearance (it may carry the article's DOI)."""
    def key(line: PageLine) -> str:
        return re.sub(r"\d+", "#", line.text.strip())

    pages_with: Counter[str] = Counter()
    for k, _page in {(key(line), line.page) for line in lines if line.in_margin and line.text.strip()}:
        pages_with[k] += 1
    seen: set[str] = set()
    kept: list[PageLine] = []
    for line in lines:
        k = key(line)
        if line.in_margin and (re.fullmatch(r"#", k) or (pages_with[k] >= 2 and k in seen)):
            continue
        seen.add(k)
        kept.append(line)
    return kept
