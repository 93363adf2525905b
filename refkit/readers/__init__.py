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
from refkit.readers.source import decode, read_bytes

# format name -> module implementing read(path, data)
READERS: dict[str, str] = {
    "pdf": "refkit.readers.pdf",
    "jats": "refkit.readers.jats",
    "bibtex": "refkit.readers.bibtex",
    "ris": "refkit.readers.ris",
    "csljson": "refkit.readers.csljson",
    "citations-page": "refkit.readers.citation_page",
    "article": "refkit.readers.article",
}

FORMATS = tuple(READERS)


def read(path: str | Path, fmt: str | None = None) -> Document:
    """Read one file as `fmt` (sniffed from its content when None)."""
    path = str(path)
    data = read_bytes(path)
    fmt = fmt or sniff(path, data)
    if fmt not in READERS:
        raise InputError(path, f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    module = importlib.import_module(READERS[fmt])
    return module.read(path, data)


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
    if re.search(r"^TY  - ", stripped, re.MULTILINE):
        return "ris"
    if re.search(r"^\s*@[A-Za-z]+\s*[{(]", stripped, re.MULTILINE):
        return "bibtex"
    from refkit.readers.citation_page import looks_like_citation_page

    if looks_like_citation_page(text):
        return "citations-page"
    return "article"
