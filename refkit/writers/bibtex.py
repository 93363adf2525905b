"""BibTeX writer: resolutions -> .bib text, built as pybtex entries and
written by pybtex's own BibTeX writer.

Choices (see design/ZOTERO-IMPORT.md):
- One summary, one field: Zotero's BibTeX importer makes one child note of
  each `annote`, `comment`, `review` and `notes` field (in file order) but
  runs a field's paragraphs together, and pybtex, biber and bibtexparser
  refuse or drop a repeated field; so the summaries, then the provenance
  note where one is due, take NOTE_FIELDS in turn (any beyond the fourth
  share the last). Never `note`: every style prints it, and Zotero moves a
  `note` starting with "PMID" to Extra. No style prints the four.
- The status tag goes in `keywords` (Zotero tags), after the entry's own
  keywords, plus a `refkit-status` field for tools; a journal abbreviation
  in `shortjournal` (biblatex's field, which Zotero reads as the
  abbreviation).
- Titles: text escaped for LaTeX, whole words that must keep their case
  braced ({DNA}, {Parkinson}; refkit.writers.casing), so sentence-casing
  styles (biblatex, pandoc) can do their work; never \\emph, \\textsubscript
  or \\relax, which Zotero garbles.
- `unicode=True` (default) writes UTF-8 for biber/biblatex; `unicode=False`
  writes ASCII LaTeX (\\"u) for classic BibTeX.

Where pybtex's writer is not enough, `_PybtexWriter` says why.
"""

from __future__ import annotations

import codecs
import io
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

import latexcodec  # noqa: F401  (registers the "ulatex" codec this writer encodes with)
from pybtex.database import BibliographyData, Entry, Person
from pybtex.database.output.bibtex import Writer

from refkit import issued
from refkit.initials import spelled_out
from refkit.model import Note, Resolution, Status
from refkit.readers.bibtex_source import EntrySource
from refkit.writers import citekeys
from refkit.writers.casing import proper_nouns, protect_title
from refkit.writers.entry import (
    ExportEntry,
    date_parts,
    end_date_parts,
    keywords,
    page_range,
    prepare,
    same_text_key,
    text,
    year,
)
from refkit.writers.provenance import DEFAULT_MODE, PREFIX
from refkit.writers.texsafe import VERBATIM_FIELDS, untex, verbatim

# CSL type -> BibTeX entry type; every target is one Zotero's importer knows
# (an unknown @type makes Zotero drop the entry silently).
ENTRY_TYPES: dict[str, str] = {
    "article-journal": "article", "article-magazine": "article", "article-newspaper": "article",
    "review": "article", "review-book": "article",
    "book": "book", "classic": "book", "collection": "book", "periodical": "book",
    "chapter": "incollection", "entry": "incollection", "entry-dictionary": "incollection",
    "entry-encyclopedia": "incollection",
    "paper-conference": "inproceedings",
    "report": "techreport", "standard": "techreport",
    "thesis": "phdthesis",
    "manuscript": "unpublished",
    "webpage": "online", "post": "online", "post-weblog": "online",
}
# where the container title goes, by entry type
CONTAINER_FIELD = {"article": "journal", "incollection": "booktitle", "inproceedings": "booktitle",
                   "book": "series", "misc": "howpublished", "online": "organization"}
# where the publisher goes, by entry type
PUBLISHER_FIELD = {"techreport": "institution", "phdthesis": "school", "mastersthesis": "school"}
# CSL identifier variables written as lower-case BibTeX fields of the same name
IDENTIFIERS = ("ISBN", "ISSN", "PMID", "PMCID")
# the fields Zotero makes a child note each and no style prints, in the order notes take them
NOTE_FIELDS = ("annote", "comment", "review", "notes")

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_PARAGRAPH_BREAK = re.compile(r"\r?\n[ \t]*\r?\n\s*")
# characters pybtex's latexcodec step leaves alone but LaTeX would interpret,
# written as text commands (braces too: BibTeX counts even escaped braces)
NAMED_SYMBOLS = {"\\": "textbackslash", "{": "textbraceleft", "}": "textbraceright",
                 "^": "textasciicircum"}
# characters that ASCII output writes as text commands: as TeX ligatures (-- ``)
# they would run into neighbouring dashes and quotes, and classic BibTeX's OT1
# fonts print a bare < and > as ¡ and ¿
LIGATURE_SYMBOLS = {"–": "textendash", "—": "textemdash", "“": "textquotedblleft",
                    "”": "textquotedblright", "‘": "textquoteleft", "’": "textquoteright",
                    "¡": "textexclamdown", "¿": "textquestiondown",
                    "<": "textless", ">": "textgreater"}
_LATEX_ACTIVE = str.maketrans({ch: f"\\{name}{{}}" for ch, name in NAMED_SYMBOLS.items()} | {"$": r"\$"})
_ASCII_COMMANDS = str.maketrans({ch: f"\\{name}{{}}" for ch, name in LIGATURE_SYMBOLS.items()})
# character pairs TeX turns into ligatures (-- en dash, `` '' ,, << >> quotes)
_LIGATURE = re.compile(r"(?<=-)(?=-)|(?<=`)(?=`)|(?<=')(?=')|(?<=,)(?=,)|(?<=<)(?=<)|(?<=>)(?=>)"
                       r"|(?<=[?!])(?=`)")
# what latex_text would change: control characters, white space other than
# single spaces between words, and the characters _LATEX_ACTIVE escapes
_NOT_PLAIN = re.compile(r"[\x00-\x1f\x7f-\x9f\\{}^$]|[^\S ]|  |^ | $")
# latexcodec's encoding of each printable ASCII character, for the fast path
# ("~" gets an explicit {} so a following letter cannot join the command name)
_ASCII_LATEX = str.maketrans({chr(c): codecs.encode(chr(c), "ulatex+ascii") for c in range(32, 127)}
                             | {"~": r"\textasciitilde{}"})


# refkit's tags in a keywords list, with the separator before them
_OLD_TAGS = re.compile(r"(?:^|\s*[,;])\s*refkit:[^,;]*")


class AsWritten(str):
    """A field value written exactly as the input .bib had it (braces,
    quotes, macros, LaTeX and all)."""


def write(resolutions: Sequence[Resolution], *, unicode: bool = True,
          key_pattern: str = citekeys.DEFAULT_PATTERN, provenance: str = DEFAULT_MODE,
          orphans: Sequence[Note] = ()) -> str:
    """The .bib text for `resolutions`, one entry each, in their order, then
    one per orphan summary. An entry read from a .bib is given back as it
    was written (`as_written`), with the blocks around it in the file."""
    entries = prepare(resolutions, key_pattern, provenance, orphans)
    names = proper_nouns(text(entry.item, "title") for entry in entries)
    return "".join(stream([entries], unicode=unicode, names=names))


def stream(batches: Iterable[Sequence[ExportEntry | KeyedText]], *, unicode: bool = True,
           names: frozenset[str] = frozenset()) -> Iterator[str]:
    """The .bib text of prepared entries (or their text made already,
    `keyed_text`) batch by batch: joined, the text of them all; `names` are
    the proper nouns of all their titles."""
    first = True
    for entries in batches:
        if entries:
            yield ("" if first else "\n") + "\n".join(_entry_text(entry, unicode, names) for entry in entries)
            first = False


@dataclass
class KeyedText:
    """An entry's finished .bib text but for its cite key, which only the
    whole file settles: `head`, the key, `tail`."""

    head: str
    tail: str
    key: str = ""


def keyed_text(entry: ExportEntry, unicode: bool = True) -> KeyedText | None:
    """The text of an entry read from a .bib (as written, with the @string,
    @preamble and @comment blocks before it and, for its file's last entry,
    after it), its key left to fill in; None for any other entry, whose title
    casing depends on every title of the file."""
    source = entry.resolution.citation.extra.get("bibtex-source") if entry.resolution else None
    if source is None:
        return None
    text = write_bibliography(BibliographyData({"": as_written(entry, source)}), unicode)
    cut = len(f"@{source.entry_type}{{")  # where pybtex's writer puts the key
    return KeyedText("".join(block + "\n\n" for block in source.before) + text[:cut],
                     text[cut:] + "".join("\n" + block + "\n" for block in source.after))


def _entry_text(entry: ExportEntry | KeyedText, unicode: bool, names: frozenset[str]) -> str:
    """One entry as .bib text (see `keyed_text`; `names` for the title casing of the others)."""
    if isinstance(entry, ExportEntry):
        keyed = keyed_text(entry, unicode)
        if keyed is None:
            return write_bibliography(BibliographyData({entry.key: to_pybtex(entry, unicode, names)}), unicode)
        return keyed.head + entry.key + keyed.tail
    return entry.head + entry.key + entry.tail


def as_written(entry: ExportEntry, source: EntrySource) -> Entry:
    """An entry of an input .bib with every field as written, and what refkit
    adds: the DOI it corrected or found, its status tag in `keywords`,
    summaries from other documents and its provenance note in free note
    fields, `refkit-status`. What an earlier refkit export added is replaced."""
    resolution = entry.resolution
    fields = [(name, _as_written(name, value)) for name, value in source.fields
              if name.lower() != "refkit-status" and not _refkit_note(name, value)]
    if resolution.status in (Status.DOI_CORRECTED, Status.FOUND_BY_SEARCH) and resolution.work.doi:
        fields = _set(fields, "doi", resolution.work.doi)
    if entry.tags:
        written = next((v for n, v in fields if n.lower() == "keywords"), None)
        fields = _set(fields, "keywords", _with_tags(written, entry.tags))
    taken = {name.lower() for name, _ in fields}
    notes = _new_summaries(entry) + [entry.provenance]
    free = [name for name in NOTE_FIELDS if name not in taken]
    fields += [(name, latex_text(note)) for name, note in zip(free, [n for n in notes if n])]
    if entry.provenance_record.get("status"):
        fields.append(("refkit-status", entry.provenance_record["status"]))
    return Entry(source.entry_type, fields=fields)


def _as_written(name: str, value: str) -> str:
    """A field's value as written; a braced or quoted verbatim field (doi,
    url, eprint, file) goes through the TeX-safe encoding every verbatim
    field gets (refkit.writers.texsafe), which leaves an ordinary value as it
    was, once a DOI's, URL's or e-print's `\\_` is read as the `_` it stands for."""
    if name.lower() in VERBATIM_FIELDS and value[:1] in "{\"" and value[-1:] in "}\"":
        return value[1:-1] if name.lower() == "file" else untex(value[1:-1])
    return AsWritten(value)


def _set(fields: list[tuple[str, str]], name: str, value: str) -> list[tuple[str, str]]:
    """`fields` with field `name` (any case) given `value`, in its place, or added at the end."""
    if any(n.lower() == name for n, _ in fields):
        return [(n, value if n.lower() == name else v) for n, v in fields]
    return fields + [(name, value)]


def _with_tags(written: str | None, tags: list[str]) -> str:
    """A `keywords` value as written, refkit's tags in place of any an earlier
    export left; a macro or concatenation gets them concatenated."""
    if written is None:
        return ", ".join(tags)
    if written[:1] in "{\"" and written[-1:] in "}\"":
        kept = _OLD_TAGS.sub("", written[1:-1]).strip(" ,;")
        return AsWritten(written[0] + ", ".join(filter(None, [kept, *tags])) + written[-1])
    return AsWritten(f'{written} # ", {", ".join(tags)}"')


def _refkit_note(name: str, value: str) -> bool:
    """Whether a field is a provenance note an earlier refkit export wrote."""
    return name.lower() in NOTE_FIELDS and value.lstrip('{"').startswith(PREFIX)


def _new_summaries(entry: ExportEntry) -> list[str]:
    """The entry's summaries that its .bib fields do not already hold (those
    from other documents about the same work)."""
    citation = entry.resolution.citation
    own = {same_text_key(note.text) for note in citation.notes if note.source.file == citation.source.file}
    return [s for s in entry.summaries if same_text_key(s) not in own]


def write_bibliography(bib: BibliographyData, unicode: bool = True) -> str:
    """pybtex data as .bib text (UTF-8 or ASCII LaTeX), shared with the pybtex plugin."""
    stream = io.StringIO()
    _PybtexWriter(encoding="UTF-8" if unicode else "ASCII").write_stream(bib, stream)
    return stream.getvalue()


def to_pybtex(entry: ExportEntry, unicode: bool = True, names: frozenset[str] = frozenset()) -> Entry:
    """One export entry as a pybtex Entry (fields already LaTeX-safe); `names`
    are the proper nouns a title-case title keeps (refkit.writers.casing)."""
    item = entry.item
    entry_type = entry_type_for(item, unicode)
    fields: list[tuple[str, str]] = []

    def put(name: str, value: str) -> None:
        if value:
            fields.append((name, value if name in VERBATIM_FIELDS else latex_text(value)))

    if text(item, "title"):
        fields.append(("title", protect_title(latex_text(text(item, "title")), names)))
    put(CONTAINER_FIELD.get(entry_type, "journal"), text(item, "container-title"))
    if entry_type == "article":
        put("shortjournal", text(item, "container-title-short"))
    put("year", year(item))
    month = date_parts(item)[1:2]
    if month:
        fields.append(("month", AsWritten(issued.MONTH_MACROS[month[0] - 1])))  # BibTeX's macro, as every style knows it
    put("date", date_range(item))
    put("volume", text(item, "volume"))
    put("number", text(item, "number") if entry_type == "techreport" else text(item, "issue"))
    first, last = page_range(item)
    if first:
        fields.append(("pages", latex_text(first) + ("--" + latex_text(last) if last else "")))
    put("edition", text(item, "edition"))
    put(PUBLISHER_FIELD.get(entry_type, "publisher"), text(item, "publisher"))
    put("address", text(item, "publisher-place"))
    put("doi", text(item, "DOI"))
    if not _is_doi_link(text(item, "URL"), text(item, "DOI")):
        put("url", text(item, "URL"))
    for name in IDENTIFIERS:
        put(name.lower(), text(item, name))
    put("abstract", text(item, "abstract"))
    put("keywords", ", ".join(keywords(entry)))
    for name, note in note_fields(entry.summaries + [entry.provenance]):
        put(name, note)
    put("refkit-status", entry.provenance_record.get("status", ""))
    persons = {role: [person(name) for name in item.get(role) or []]
               for role in ("author", "editor") if item.get(role)}
    return Entry(entry_type, fields=fields, persons=persons)


def date_range(item: dict) -> str:
    """biblatex's `date` for a range of issue ("2019-03/2019-05"), '' for a
    single date, which `year` and `month` say for every style. It follows
    them: biber and pandoc take `date` over them, and Zotero's importer takes
    the last of them (a `month` after `date` would garble it)."""
    end = end_date_parts(item)
    return f"{issued.iso(date_parts(item))}/{issued.iso(end)}" if end else ""


def note_fields(notes: Sequence[str]) -> list[tuple[str, str]]:
    """(field, text) for each note, one NOTE_FIELDS field each; notes beyond
    the last field join it as paragraphs. Empty notes are skipped."""
    notes = [n for n in notes if n]
    slots = list(zip(NOTE_FIELDS, notes))
    if len(notes) > len(NOTE_FIELDS):
        slots[-1] = (NOTE_FIELDS[-1], "\n\n".join(notes[len(NOTE_FIELDS) - 1:]))
    return slots


def entry_type_for(item: dict, unicode: bool = True) -> str:
    """The BibTeX entry type for a CSL item (web pages: biblatex `online` in
    Unicode mode, `misc` for classic BibTeX, which has no `online`)."""
    entry_type = ENTRY_TYPES.get(str(item.get("type", "")), "misc")
    if entry_type == "phdthesis" and "master" in text(item, "genre").lower():
        return "mastersthesis"
    if entry_type == "online" and not unicode:
        return "misc"
    return entry_type


def person(name: dict) -> Person:
    """A CSL name as a pybtex Person; organisations are brace-protected so
    BibTeX never splits them into first and last names, and initials run
    together ("RS") are spelled out ("R. S."), which BibTeX would shorten to one."""
    if name.get("literal") or not name.get("family"):
        literal = name.get("literal") or name.get("given") or ""
        return Person(last="{" + latex_text(literal) + "}")
    return Person(
        first=_name_part(spelled_out(name.get("given", ""))),
        prelast=_name_part(" ".join(filter(None, (name.get("dropping-particle"),
                                                   name.get("non-dropping-particle"))))),
        last=_name_part(name.get("family", "")),
        lineage=_name_part(name.get("suffix", "")),
    )


def latex_text(value: str) -> str:
    """Plain Unicode text made safe for a BibTeX field.

    Control characters become spaces and runs of white space one space
    (blank lines between paragraphs are kept); the
    characters pybtex passes through untouched (\\ { } $ ^) are escaped here,
    and TeX ligatures (--, ``, '') are broken with {} so they stay literal.
    pybtex's writer then escapes & % # _ ~ (and, for ASCII output, accents).
    """
    if not _NOT_PLAIN.search(value) and not _LIGATURE.search(value):
        return value  # most names and titles: nothing to do
    paragraphs = (" ".join(_CONTROL.sub(" ", p).split()) for p in _PARAGRAPH_BREAK.split(value))
    value = "\n\n".join(p for p in paragraphs if p)
    value = value.translate(_LATEX_ACTIVE)
    return _LIGATURE.sub("{}", value)


def _name_part(value: str) -> str:
    """A name part, escaped; braced when it holds a comma or the word "and",
    which BibTeX would otherwise read as name separators."""
    value = latex_text(value)
    if "," in value or re.search(r"\band\b", value, re.IGNORECASE):
        return "{" + value + "}"
    return value


def _is_doi_link(url: str, doi: str) -> bool:
    return bool(doi) and url.lower().rstrip("/").endswith(doi.lower()) and "doi.org/" in url.lower()


class _PybtexWriter(Writer):
    """pybtex's BibTeX writer with two fixes.

    - It LaTeX-encodes every field, so `doi`/`url` (verbatim in biblatex)
      would get `\\_` for `_`; those fields are written as they are, with
      what TeX could read as code %-encoded (refkit.writers.texsafe).
    - Its ASCII encoding raises on characters latexcodec cannot translate
      (CJK, math alphanumerics); those are kept as they are instead. Dashes
      and curly quotes become text commands, not ligatures that would merge
      with a neighbouring - or `, and so do < and >, which OT1 fonts would
      print as ¡ and ¿.
    - latexcodec works character by character in Python and dominated export
      time; UTF-8 output and ASCII-only values take a translation table built
      from latexcodec's own answers instead (for UTF-8 latexcodec changes no
      non-ASCII character: checked over every code point up to U+2FFFF).
    """

    def _encode(self, text: str) -> str:
        if self.encoding.lower() == "utf-8":
            return text.translate(_ASCII_LATEX)
        text = unicodedata.normalize("NFC", text).translate(_ASCII_COMMANDS)
        if text.isascii():
            return text.translate(_ASCII_LATEX)
        return codecs.encode(text, f"ulatex+{self.encoding}", "keep")

    def check_braces(self, s: str) -> None:
        if "{" in s or "}" in s:  # a value without braces is balanced: spare pybtex's slow scan
            super().check_braces(s)

    def _write_field(self, stream, type, value):  # noqa: A002 (pybtex's signature)
        if isinstance(value, AsWritten):
            stream.write(f",\n    {type} = {value}")
        elif type.lower() in VERBATIM_FIELDS:
            safe = verbatim(type, value, ascii_only=self.encoding.lower() != "utf-8")
            stream.write(f",\n    {type} = {{{safe}}}")
        else:
            super()._write_field(stream, type, value)
