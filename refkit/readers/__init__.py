"""Readers: one module per input format, each turning a file into a `Document`.

Every reader has the signature `read(path: str, data: bytes) -> Document` and
raises `InputError` for input it cannot read. `sniff` picks a format from
the content (never from the file name alone); `--from` overrides it.
"""

from __future__ import annotations

import importlib
import re
from pathlib import Path

from refkit.errors import InputError
from refkit.model import Document
from refkit.readers.encoding import Decoded
from refkit.readers.source import decode, decoded, read_bytes

# format name -> module implementing read(path, data)
READERS: dict[str, str] = {
    "pdf": "refkit.readers.pdf",
    "jats": "refkit.readers.jats",
    "bibtex": "refkit.readers.bibtex",
    "ris": "refkit.readers.ris",
    "csljson": "refkit.readers.csljson",
    "citations-page": "refkit.readers.citation_page",
    "article": "refkit.readers.article",
    "identifiers": "refkit.readers.identifiers",
}

FORMATS = tuple(READERS)
# The first record decides: a RIS "TY  - " line quoted inside a BibTeX entry
# (an abstract, a note) does not make the file RIS, nor the reverse.
_RIS_START = re.compile(r"^TY {1,2}- ", re.MULTILINE)
_BIBTEX_START = re.compile(r"^\s*@[A-Za-z]+\s*[{(]", re.MULTILINE)


def read(path: str | Path, fmt: str | None = None) -> Document:
    """Read one file as `fmt` (sniffed from its content when None)."""
    path = str(path)
    data = read_bytes(path)
    kind = _not_a_document(data)
    if kind:
        raise InputError(path, f"is {kind}, not a document; refkit reads PDF (with a text layer), text, HTML, "
                               "JATS XML, BibTeX, RIS and CSL-JSON")
    fmt = fmt or sniff(path, data)
    if fmt not in READERS:
        raise InputError(path, f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    module = importlib.import_module(READERS[fmt])
    document = module.read(path, data)
    if fmt != "pdf":
        _note_encoding(document, decoded(path, data))
    return document


# file signatures of what people keep beside their papers
_SIGNATURES = ((b"\x89PNG\r\n\x1a\n", "a PNG image"), (b"\xff\xd8\xff", "a JPEG image"), (b"GIF8", "a GIF image"),
               (b"II*\x00", "a TIFF image"), (b"MM\x00*", "a TIFF image"), (b"PK\x03\x04", "a ZIP archive (or an office file)"),
               (b"\xd0\xcf\x11\xe0", "an old Office document"), (b"\x1f\x8b", "a gzip archive"),
               (b"{\\rtf", "an RTF document"))


def _not_a_document(data: bytes) -> str | None:
    """What a file is when its signature shows a kind refkit does not read."""
    if data[8:12] == b"WEBP" and data.startswith(b"RIFF"):
        return "a WebP image"
    return next((kind for signature, kind in _SIGNATURES if data.startswith(signature)), None)


def _note_encoding(document: Document, text: Decoded) -> None:
    """Record the encoding assumed for a file that is not UTF-8, so it can be said."""
    if not text.is_utf8:
        document.extra["encoding"] = {"name": text.name, "codec": text.encoding, "reason": text.reason}


def sniff(path: str, data: bytes) -> str:
    """The format of `data`, judged from its content."""
    if data.lstrip()[:5] == b"%PDF-":
        return "pdf"
    text = decode(path, data)
    stripped = text.lstrip("\ufeff \t\n")
    lower = stripped[:2000].lower()
    if lower.startswith("<?xml") or lower.startswith("<!doctype article") or re.search(r"<article[\s>]", lower):
        if "<html" not in lower:
            return "jats"
    if re.match(r'[\[{]\s*[{"\]]', stripped):  # [{…, {"…, []: not "[1] Rao S…"
        return "csljson"
    ris = _RIS_START.search(stripped)
    bibtex = _BIBTEX_START.search(stripped)
    if ris and not (bibtex and bibtex.start() < ris.start()):
        return "ris"
    if bibtex:
        return "bibtex"
    from refkit.readers.citation_page import looks_like_citation_page
    from refkit.readers.identifiers import looks_like_identifier_list

    if looks_like_identifier_list(stripped):
        return "identifiers"

    if looks_like_citation_page(text):
        return "citations-page"
    return "article"
