"""RIS writer: resolutions -> .ris text as Zotero's RIS importer reads it.

Every summary is one `N1` (Zotero makes one child note per N1), and the
provenance note, where one is due, one more; the status tag is a `KW`
(a Zotero tag). Zotero keeps an N1 that looks like HTML
(anything like `<...>`) verbatim as HTML and does not escape plain N1 text,
so a note holding `<`, `>` or `&`, or several paragraphs, is written as
escaped HTML paragraphs (`<p>a &lt; b</p>`), which Zotero shows exactly as
the text was; any other note stays plain text for other RIS readers.

Every other tag but AB and RN Zotero entity-decodes and then strips of
anything tag-like, so a `<…>` span in a title or DOI would vanish: a value
holding `<` or `>`, or an `&` that decoding would read as an entity, is
written with entities (&lt; &gt; &amp;), which Zotero decodes back; a plain
"&" ("R&D") stays as it is, for every RIS reader; in UR, `<` and `>` are
percent-encoded instead (see zotero_safe).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Iterator, Sequence

from refkit import issued
from refkit.model import Note, Resolution, squash
from refkit.writers import citekeys
from refkit.writers.entry import (
    ExportEntry,
    date_parts,
    end_date_parts,
    keywords,
    page_range,
    prepare,
    text,
    year,
)
from refkit.writers.provenance import DEFAULT_MODE

# CSL type -> RIS type (Zotero reads an unknown TY as GEN -> journal article)
RIS_TYPES: dict[str, str] = {
    "article-journal": "JOUR", "review": "JOUR", "review-book": "JOUR",
    "article-magazine": "MGZN", "article-newspaper": "NEWS",
    "book": "BOOK", "classic": "BOOK", "collection": "BOOK",
    "chapter": "CHAP", "entry": "CHAP", "entry-dictionary": "DICT", "entry-encyclopedia": "ENCYC",
    "paper-conference": "CONF", "report": "RPRT", "standard": "STAND", "thesis": "THES",
    "webpage": "ELEC", "post": "ELEC", "post-weblog": "BLOG", "dataset": "DATA",
    "manuscript": "MANSCPT", "software": "COMP", "patent": "PAT", "map": "MAP",
    "article": "UNPB", "periodical": "JFULL",
}
# RIS types whose SN Zotero's importer reads as the ISBN (its default); for
# journal, magazine and newspaper articles (and GEN and any type it does not
# know: journal articles) it reads the ISSN, and refkit writes the ISSN there
# and in RPRT and PAT, whose SN Zotero takes for the report or patent number
ISBN_TYPES = frozenset({"BOOK", "EBOOK", "EDBOOK", "CHAP", "ECHAP", "DICT", "ENCYC", "CONF", "CPAPER", "THES",
                        "ELEC", "WEB", "BLOG", "DATA", "MANSCPT", "COMP", "MAP"})
# tags whose values Zotero takes as they are (all others it entity-decodes and HTML-strips)
VERBATIM_TAGS = frozenset({"N1", "AB", "RN"})
_TAG_LIKE = re.compile(r"<[^>]+>")
_URL_ANGLES = str.maketrans({"<": "%3C", ">": "%3E"})


def write(resolutions: Sequence[Resolution], *, crlf: bool = False,
          key_pattern: str = citekeys.DEFAULT_PATTERN, provenance: str = DEFAULT_MODE,
          orphans: Sequence[Note] = ()) -> str:
    """The .ris text for `resolutions`, one record each, in their order, then
    one per orphan summary; lines end in CRLF when `crlf`, LF otherwise."""
    entries = prepare(resolutions, key_pattern, provenance, orphans)
    return "".join(stream([entries], crlf=crlf))


def stream(batches: Iterable[Sequence[ExportEntry]], *, crlf: bool = False) -> Iterator[str]:
    """The .ris text of prepared entries batch by batch: joined, the text of them all."""
    newline, first = ("\r\n" if crlf else "\n"), True
    for entries in batches:
        if entries:
            yield ("" if first else newline) + write_records((record_lines(e) for e in entries), newline)
            first = False


def write_records(records, newline: str = "\n") -> str:
    """RIS text from records given as lists of (tag, value) pairs."""
    out: list[str] = []
    for lines in records:
        out.extend(f"{tag}  - {value}" for tag, value in lines)
        out.append("ER  - ")
        out.append("")
    return newline.join(out)


def record_lines(entry: ExportEntry) -> list[tuple[str, str]]:
    """One entry as RIS (tag, value) pairs, TY first, ER left to the caller."""
    item = entry.item
    ris_type = RIS_TYPES.get(str(item.get("type", "")), "GEN")
    lines: list[tuple[str, str]] = [("TY", ris_type)]

    def put(tag: str, value: str) -> None:
        if value:
            lines.append((tag, zotero_safe(tag, squash(value))))

    for name in item.get("author") or []:
        put("AU", ris_name(name))
    put("TI", text(item, "title"))
    put("T2", text(item, "container-title"))
    for name in item.get("editor") or []:  # Zotero's RIS import reads a book's A2 as its series editor, A3 as editor
        put("A3" if ris_type == "BOOK" else "A2", ris_name(name))
    put("J2", text(item, "container-title-short") or text(item, "journalAbbreviation"))
    put("PY", year(item))
    put("DA", ris_date(item))
    put("VL", text(item, "volume"))
    put("IS", text(item, "issue") or (text(item, "number") if ris_type == "RPRT" else ""))
    first, last = page_range(item)
    put("SP", first)
    put("EP", last)
    put("DO", text(item, "DOI"))
    put("UR", text(item, "URL"))
    for value in standard_numbers_lines(item, ris_type):
        put("SN", value)
    put("PB", text(item, "publisher"))
    put("CY", text(item, "publisher-place"))
    put("AB", text(item, "abstract"))
    for keyword in keywords(entry):
        put("KW", keyword)
    for note in entry.summaries:
        lines.append(("N1", n1_value(note)))
    if entry.provenance:
        lines.append(("N1", n1_value(entry.provenance)))
    return lines


def ris_date(item: dict) -> str:
    """DA as the RIS spec writes it, "YYYY/MM/DD/other", when it says more
    than PY: a month or day, or a range's end. RIS has no date range, so the
    end goes in the free "other" part as an ISO date ("2019/03//2019-05",
    "1998///2000"): Zotero reads the start and passes the other part over,
    RIS readers keep the line whole, and refkit reads the end back."""
    start, end = date_parts(item), end_date_parts(item)
    if len(start) < 2 and not end:
        return ""
    written = [f"{part:02d}" for part in start[1:]] + [""] * (3 - len(start))
    return "/".join([str(start[0]), *written]) + "/" + (issued.iso(end) if end else "")


def sn_variable(ris_type: str) -> str:
    """The CSL variable a record's SN holds for its RIS type: "ISBN" or "ISSN" (see ISBN_TYPES)."""
    return "ISBN" if ris_type in ISBN_TYPES else "ISSN"


def standard_numbers_lines(item: dict, ris_type: str) -> list[str]:
    """The SN values of a record: all the numbers its type's SN holds in one
    line (Zotero keeps the first SN and drops the rest), then the other kind
    (a book's series ISSN), which Zotero passes over and refkit's reader
    tells by its shape. A record with only the other kind (an article with
    an ISBN, a book with an ISSN) has it written all the same: Zotero files
    it under the type's own field, but the number is not lost."""
    variable = sn_variable(ris_type)
    return [value for value in (text(item, variable), text(item, "ISSN" if variable == "ISBN" else "ISBN"))
            if value]


def ris_name(name: dict) -> str:
    """A CSL name as RIS wants it: "Family, Given[, Suffix]" or a literal."""
    if name.get("literal") or not name.get("family"):
        return name.get("literal") or name.get("given") or ""
    family = " ".join(filter(None, (name.get("non-dropping-particle"), name.get("family"))))
    given = " ".join(filter(None, (name.get("given"), name.get("dropping-particle"))))
    return ", ".join(filter(None, (family, given, name.get("suffix"))))


def n1_value(note: str) -> str:
    """A note as one N1 line: plain text when Zotero would show it as it is,
    otherwise escaped HTML paragraphs (see the module docstring)."""
    paragraphs = [squash(p) for p in note.split("\n\n") if p.strip()]
    plain = " ".join(paragraphs)
    if len(paragraphs) <= 1 and not _TAG_LIKE.search(plain) and not set("<>&") & set(plain):
        return plain
    return "".join(f"<p>{html.escape(p, quote=False)}</p>" for p in paragraphs)


def zotero_safe(tag: str, value: str) -> str:
    """`value` as Zotero's RIS importer will give it back for `tag`: in the
    tags it entity-decodes and HTML-strips, a value that decoding or
    stripping would change gets entities for & < >; any other is written as
    it is, so "R&D" stays "R&D" for every RIS reader. A URL gets %3C %3E for
    the angles, as a browser would send them, and &amp; only when decoding
    would change it (`&copy=`): RIS readers split UR at `;`."""
    if tag in VERBATIM_TAGS:
        return value
    if tag == "UR":
        value = value.translate(_URL_ANGLES)
    elif "<" in value or ">" in value:
        return html.escape(value, quote=False)
    return value if html.unescape(value) == value else value.replace("&", "&amp;")
