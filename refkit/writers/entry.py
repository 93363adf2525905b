"""What every writer needs about one resolution, prepared once: its key, its
CSL item (flattened to plain strings), its summaries, its tags and its
provenance note.

The item is the verified record when the resolution has one (doi-verified,
doi-corrected, found-by-search) and the document's own account otherwise —
that choice is the resolver's; `Resolution.work` already holds it.

A summary no reference took (an orphan note, RK401) becomes an entry of its
own (`orphan_resolution`): a manuscript titled from its first words, tagged
`refkit:unresolved`, the summary its note — so every export keeps it.
Manuscript is the one type that Zotero's RIS, BibTeX and CSL-JSON importers
all turn into the same item type (RIS `GEN` becomes a journal article, and
older CSL-JSON importers reject the file for CSL 1.0.2's `document`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from refkit import codes, issued, journals, pages, standard_numbers
from refkit.folding import strip_accents
from refkit.model import (
    Citation,
    CitationKind,
    Name,
    Note,
    Resolution,
    Status,
    Work,
    WorkSource,
    issued_year,
    squash,
)
from refkit.resolving.match import fold_name
from refkit.writers import citekeys, provenance

# CSL variables that Crossref-shaped data may hold as lists
_TITLE_LISTS = ("title", "container-title", "container-title-short", "original-title", "title-short")
_IDENTIFIER_LISTS = ("ISSN", "ISBN")
# CSL types whose container is a journal (where abbreviations are printed)
JOURNAL_TYPES = frozenset({"article-journal", "article-magazine", "article-newspaper", "review",
                           "review-book", "article"})
# how many words of an orphan summary title its placeholder entry
ORPHAN_TITLE_WORDS = 10
# typographic variants folded when telling whether two summaries are the same text
_SAME_TEXT = str.maketrans({**dict.fromkeys("\u2018\u2019\u201a\u201b\u2032\u00b4`", "'"),
                            **dict.fromkeys("\u201c\u201d\u201e\u201f\u2033", '"'),
                            **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212", "-")})


@dataclass
class ExportEntry:
    """One entry ready for a writer."""

    key: str
    item: dict[str, Any]
    summaries: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    provenance: str = ""  # the provenance note, '' when none is due
    provenance_record: dict[str, Any] = field(default_factory=dict)
    resolution: Resolution | None = None


def prepare(resolutions: Sequence[Resolution], key_pattern: str = citekeys.DEFAULT_PATTERN,
            provenance_mode: str = provenance.DEFAULT_MODE,
            orphans: Sequence[Note] = ()) -> list[ExportEntry]:
    """The export entries for `resolutions`, in their order, then one per
    orphan summary, with unique keys; provenance as `provenance_mode` says
    (tags, notes or none)."""
    provenance.check_mode(provenance_mode)
    everything = list(resolutions) + [orphan_resolution(note) for note in orphans]
    keys = citekeys.assign_keys(everything, key_pattern)
    return [prepare_entry(resolution, key, provenance_mode) for key, resolution in zip(keys, everything)]


def prepare_entry(resolution: Resolution, key: str, provenance_mode: str) -> ExportEntry:
    """One resolution's export entry under citation key `key` (see `with_key`)."""
    entry = with_key(ExportEntry(key=key, item=export_item(resolution), summaries=summaries(resolution),
                                 resolution=resolution), key)
    if provenance_mode != "none":
        orphan = is_orphan(resolution)
        entry.tags = [provenance.UNRESOLVED_TAG if orphan else provenance.tag(resolution)]
        entry.provenance = orphan_note(resolution) if orphan else provenance.note(resolution, provenance_mode)
        entry.provenance_record = {"status": "unresolved"} if orphan else provenance.record(resolution)
    return entry


def with_key(entry: ExportEntry, key: str) -> ExportEntry:
    """`entry` under citation key `key` (its item's id and citation-key too)."""
    entry.key = entry.item["id"] = entry.item["citation-key"] = key
    return entry


def export_item(resolution: Resolution) -> dict[str, Any]:
    """The CSL item every output (files, Zotero) gives for `resolution`: the
    resolver's work flattened, journal names settled, given names the input
    spelled out kept, and the input's own abstract and keywords where the
    record has none."""
    item = flatten(resolution.work.data)
    settle_journal_names(item, resolution)
    keep_spelled_out_given_names(item, resolution)
    for variable, given in (("abstract", "abstract"), ("keyword", "keywords")):
        value = resolution.citation.extra.get(given)
        if not item.get(variable) and value:
            item[variable] = ", ".join(value) if isinstance(value, list) else value
    return item


def settle_journal_names(item: dict[str, Any], resolution: Resolution) -> None:
    """Keep a printed journal abbreviation out of the full name's place.

    From a document or a file, a journal name that reads as an abbreviation
    (refkit.journals) moves to `container-title-short`, leaving the full
    name empty: only Crossref gives it. From Crossref, the full name is
    Crossref's; when Crossref has no abbreviation, the one the document
    printed is kept (unless the journal names disagree, RK204)."""
    if item.get("type") not in JOURNAL_TYPES or item.get("container-title-short"):
        return
    full = text(item, "container-title")
    if resolution.work.source is not WorkSource.CROSSREF:
        if full and journals.is_abbreviation(full):
            item["container-title-short"] = item.pop("container-title")
        return
    printed = squash(resolution.citation.container)
    disagree = any(f.code is codes.CONTAINER_DIFFERS for f in resolution.findings)
    if printed and printed != full and not disagree and journals.is_abbreviation(printed):
        item["container-title-short"] = printed


def keep_spelled_out_given_names(item: dict[str, Any], resolution: Resolution) -> None:
    """Where the registry gives an author only initials (a third of
    Crossref's names) and the input spelled the same person's given name out
    ("Sathya" for "S"), keep the input's: exporting a .bib as RIS or
    CSL-JSON must not shorten the names it held. Names are paired by
    position and must agree in surname and initials."""
    registered = item.get("author")
    if resolution.work.source is WorkSource.DOCUMENT or not isinstance(registered, list):
        return
    authors = list(registered)
    for position, (name, printed) in enumerate(zip(registered, resolution.citation.authors)):
        if isinstance(name, dict) and _spells_out(printed, name):
            authors[position] = {**name, "given": printed.given}
    item["author"] = authors


def _spells_out(printed: Name, registered: dict[str, Any]) -> bool:
    """Whether `printed` is the registered initials-only name spelled out."""
    given = registered.get("given")
    return (isinstance(given, str) and _initials_only(given) and bool(printed.given)
            and not _initials_only(printed.given) and _initials(printed.given) == _initials(given)
            and fold_name(registered.get("family", "")) == fold_name(printed.family))


def _initials_only(given: str) -> bool:
    """Whether a given name is nothing but initials ("S", "G. H.", "J.-H.",
    or run together as Vancouver prints them, "GH")."""
    pieces = _given_pieces(given)
    return bool(pieces) and all(p.isalpha() and p.isupper() and len(p) <= 3 for p in pieces)


def _initials(given: str) -> str:
    """The initials of a given name, folded: "Gustavo H.", "G.H." and "GH" give "gh"."""
    pieces = _given_pieces(strip_accents(given))
    if _initials_only(given):
        return "".join(pieces).lower()
    return "".join(p[0] for p in pieces).lower()


def _given_pieces(given: str) -> list[str]:
    return [p for p in re.split(r"[\s.\-]+", given) if p]


def summaries(resolution: Resolution) -> list[str]:
    """The resolution's distinct annotation summaries (see `distinct`),
    paragraphs kept and the lines within a paragraph joined."""
    out = []
    for text in distinct(resolution.notes):
        paragraphs = [squash(p) for p in re.split(r"\n\s*\n", text)]
        out.append("\n\n".join(p for p in paragraphs if p))
    return out


def distinct(notes: Sequence[Note]) -> list[str]:
    """The texts of `notes` as written, empty ones and provenance notes that
    refkit itself wrote (read back from its own output) left out, and a text
    that is the same as an earlier one but for its quotes, dashes or spaces
    (’ and ', – and -) dropped: one summary, one note."""
    seen: dict[str, str] = {}
    for note in notes:
        text = note.text.strip()
        if text and not provenance.is_provenance(text):
            seen.setdefault(same_text_key(text), text)
    return list(seen.values())


def same_text_key(text: str) -> str:
    """`text` with quotes, dashes and white space made uniform, for telling
    whether two summaries say the same thing in the same words."""
    return squash(text.translate(_SAME_TEXT).replace("\u00a0", " "))


def orphan_resolution(note: Note) -> Resolution:
    """A placeholder entry for a summary no reference took: a manuscript
    titled from the summary's first words, unresolved, the summary its note."""
    words = squash(note.text).split()
    title = " ".join(words[:ORPHAN_TITLE_WORDS]).rstrip(".,;:") + ("…" if len(words) > ORPHAN_TITLE_WORDS else "")
    citation = Citation(raw=note.text, source=note.source, kind=CitationKind.ANNOTATED, title=title,
                        csl_type="manuscript", notes=[note], extra={"orphan": True})
    work = Work({"type": "manuscript", "title": title}, source=WorkSource.DOCUMENT)
    return Resolution(citation, work, Status.UNVERIFIED)


def is_orphan(resolution: Resolution) -> bool:
    """Whether a resolution is the placeholder of an orphan summary."""
    return bool(resolution.citation.extra.get("orphan"))


def orphan_note(resolution: Resolution) -> str:
    """The provenance note of an orphan summary's placeholder: what it is and what to do."""
    return (f"{provenance.PREFIX} Unresolved (RK401): this summary, at {resolution.citation.source}, "
            "matched no reference, so refkit kept it here rather than drop it. Move it to the item "
            "it describes, then delete this placeholder.")


def keywords(entry: ExportEntry) -> list[str]:
    """The entry's keywords without refkit tags an earlier export left, then
    its own tags: a RIS file's KW lines one by one (a keyword may hold a
    comma: "Depressive Disorder, Major"), else CSL `keyword` split at commas
    and semicolons."""
    listed = entry.resolution.citation.extra.get("keywords") if entry.resolution else None
    if isinstance(listed, list) and text(entry.item, "keyword") == ", ".join(listed):
        given = listed
    else:
        given = re.split(r"\s*[,;]\s*", text(entry.item, "keyword"))
    return [k for k in given if k and not provenance.is_tag(k)] + entry.tags


def flatten(data: dict[str, Any]) -> dict[str, Any]:
    """A copy of a CSL item with list-valued titles and identifiers reduced to
    strings (Crossref style input) and surrounding white space removed."""
    item: dict[str, Any] = {}
    for key, value in data.items():
        if isinstance(value, list) and key in _TITLE_LISTS:
            value = value[0] if value else ""
        elif isinstance(value, list) and key in _IDENTIFIER_LISTS:
            value = standard_numbers.joined(value)
        if isinstance(value, str):
            value = value.strip()
            if not value:
                continue
        item[key] = value
    return item


def text(item: dict[str, Any], key: str) -> str:
    """A CSL variable as one line of text ('' when absent)."""
    value = item.get(key)
    if value is None:
        return ""
    return squash(str(value))


def year(item: dict[str, Any]) -> str:
    """The year of issue as text, or ''."""
    found = issued_year(item)
    return str(found) if found else ""


def date_parts(item: dict[str, Any]) -> list[int]:
    """Year, month, day of issue as far as known and in the calendar
    (possibly empty; refkit.issued)."""
    found = issued.csl_date(item.get("issued"))
    if found:
        return [part for part in found if part]
    return [int(year(item))] if year(item) else []


def end_date_parts(item: dict[str, Any]) -> list[int]:
    """Year, month, day of the end of a date range of issue, as far as
    given ([] when the date is no range; refkit.issued)."""
    dates = issued.csl_dates(item.get("issued"))
    end = issued.range_end(dates[0][0], dates) if dates else None
    return [part for part in end if part] if end else []


def page_range(item: dict[str, Any]) -> tuple[str, str]:
    """First and last page of the CSL `page` variable, an abbreviated last
    page written out ("573–7" → 573, 577); '' when absent."""
    return pages.page_range(text(item, "page")) or ("", "")
