"""Read a PDF article: its text, page by page, handed to the article reader.

pdfminer.six lays the text out. Its defaults lose word spaces in justified
text and break wide lines into fragments, so lines are grouped with a wider
character margin; text inside form XObjects (where some publishers put the
whole page) is laid out too. Rotated margin text (Wiley's vertical "Downloaded
from ..." footer) comes out as vertical boxes and is dropped, and running
headers and footers repeated on several pages are kept only where they first
appear, so they do not leak into reference entries.
"""

from __future__ import annotations

import io
import re
from collections import Counter
from dataclasses import dataclass

from pdfminer.high_level import extract_pages
from pdfminer.layout import (
    LAParams,
    LTFigure,
    LTPage,
    LTTextBox,
    LTTextBoxVertical,
    LTTextLine,
)
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdfexceptions import PDFException
from pdfminer.psexceptions import PSException

from refkit.errors import InputError
from refkit.model import Document

LAYOUT = LAParams(all_texts=True, char_margin=6.0, detect_vertical=True)
MARGIN = 0.08  # top and bottom share of a page where running headers and footers sit


@dataclass
class _Line:
    """One line of laid-out text, where it sits, and on which page."""

    text: str
    page: int
    in_margin: bool


def read(path: str, data: bytes) -> Document:
    """Read a PDF article: identity, reference list and in-text markers."""
    from refkit.readers.article import read_article_text

    text, pages = extract_text(path, data)
    return read_article_text(path, text, "pdf", pages)


def extract_text(path: str, data: bytes) -> tuple[str, list[int]]:
    """The PDF's text and, for each of its lines, the 1-based page it is on.

    Raises InputError for a truncated, corrupt or password-protected PDF and
    for one without a text layer (a scan)."""
    lines = _strip_running_lines(_laid_out_lines(path, data))
    if sum(len(line.text.strip()) for line in lines) < 20:
        raise InputError(path, "no text layer (a scanned PDF?); run OCR first, e.g. ocrmypdf")
    return "\n".join(line.text for line in lines), [line.page for line in lines]


def _laid_out_lines(path: str, data: bytes) -> list[_Line]:
    """Every horizontal text line of the PDF, boxes separated by blank lines."""
    try:
        lines: list[_Line] = []
        for number, page in enumerate(extract_pages(io.BytesIO(data), laparams=LAYOUT), start=1):
            lines.extend(_page_lines(page, number))
        return lines
    except PDFPasswordIncorrect:
        raise InputError(path, "the PDF is encrypted and needs a password; save an unprotected copy") from None
    except PDFEncryptionError as exc:
        raise InputError(path, f"the PDF's encryption is not supported ({exc})") from None
    except (PDFException, PSException) as exc:
        raise InputError(path, f"not a readable PDF (truncated or corrupt: {exc or type(exc).__name__})") from None
    except (KeyError, ValueError, TypeError, AttributeError, IndexError, AssertionError) as exc:
        # pdfminer lets these through on damaged object streams and xref tables
        raise InputError(path, f"not a readable PDF (damaged structure: {type(exc).__name__})") from None


def _page_lines(page: LTPage, number: int) -> list[_Line]:
    lines: list[_Line] = []
    low, high = page.y0 + page.height * MARGIN, page.y1 - page.height * MARGIN
    for box in _text_boxes(page):
        for item in box:
            if isinstance(item, LTTextLine):
                text = item.get_text().rstrip("\n").rstrip()
                lines.append(_Line(text, number, item.y1 <= low or item.y0 >= high))
        lines.append(_Line("", number, False))
    return lines


def _text_boxes(container) -> list[LTTextBox]:
    """Horizontal text boxes in reading order, including those inside figures."""
    boxes: list[LTTextBox] = []
    for item in container:
        if isinstance(item, LTTextBoxVertical):
            continue
        if isinstance(item, LTTextBox):
            boxes.append(item)
        elif isinstance(item, LTFigure):
            boxes.extend(_text_boxes(item))
    return boxes


def _strip_running_lines(lines: list[_Line]) -> list[_Line]:
    """Drop page numbers and repeated headers/footers in the page margins,
    keeping each header's first appearance (it may carry the article's DOI)."""
    def key(line: _Line) -> str:
        return re.sub(r"\d+", "#", line.text.strip())

    pages_with = Counter()
    for k, page in {(key(line), line.page) for line in lines if line.in_margin and line.text.strip()}:
        pages_with[k] += 1
    seen: set[str] = set()
    kept: list[_Line] = []
    for line in lines:
        k = key(line)
        if line.in_margin and (re.fullmatch(r"#", k) or (pages_with[k] >= 2 and k in seen)):
            continue
        seen.add(k)
        kept.append(line)
    return kept
