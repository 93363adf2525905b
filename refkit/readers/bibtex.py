"""BibTeX reader: a .bib file -> one Citation per entry, through pybtex.

LaTeX in field values is decoded to Unicode (latexcodec for accents and
symbols, plus the escapes refkit's writer produces); text that decoding
would not change skips latexcodec, and of plain text only the stretches
around what it changes go through it, so a large file reads in seconds. `note`,
`annote`, `annotation`, `comment`, `review` and `notes` become Notes (the
summaries); `doi` is cleaned with refkit.doi and also kept as printed; a
value that is not one whole DOI is recorded as malformed (RK101), not cut.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from functools import lru_cache

import latexcodec  # noqa: F401  (registers the "ulatex" codec)
import pybtex.errors
from pybtex.database import BibliographyData, BibliographyDataError, Entry, Person
from pybtex.database.input.bibtex import DuplicateField, Parser
from pybtex.exceptions import PybtexError

from refkit import doi as doi_tools
from refkit import issued, standard_numbers
from refkit.codes import Severity
from refkit.model import Citation, CitationKind, Document, Finding, Location, Name, Note, squash
from refkit.readers.bibtex_source import entry_sources
from refkit.readers.source import decode, unreadable, usable
from refkit.refparse import complete_from_printed, year_in
from refkit.writers import provenance
from refkit.writers.bibtex import LIGATURE_SYMBOLS, NAMED_SYMBOLS
from refkit.writers.texsafe import untex

# BibTeX/biblatex entry type -> CSL type
CSL_TYPES: dict[str, str] = {
    "article": "article-journal", "book": "book", "inbook": "chapter", "incollection": "chapter",
    "inproceedings": "paper-conference", "conference": "paper-conference",
    "proceedings": "book", "techreport": "report", "report": "report",
    "phdthesis": "thesis", "mastersthesis": "thesis", "thesis": "thesis",
    "online": "webpage", "electronic": "webpage", "www": "webpage",
    "unpublished": "manuscript", "manual": "book", "booklet": "pamphlet",
    "dataset": "dataset", "software": "software", "misc": "document",
}
NOTE_FIELDS = ("note", "annote", "annotation", "comment", "review", "notes")
VERBATIM_FIELDS = ("doi", "url", "eprint")
IDENTIFIER_FIELDS = {"isbn": "ISBN", "issn": "ISSN", "pmid": "PMID", "pmcid": "PMCID"}
# crossref inheritance (biblatex manual, appendix B): what a child never takes
# from its parent, here also the parent's own identity (its DOI, links,
# summaries, pages), which would be wrong for the child
_NOT_INHERITED = {"crossref", "xref", "ids", "entryset", "label", "shorthand", "sortkey", "options", "presort",
                  "doi", "url", "eprint", "pages", "abstract", "keywords", *NOTE_FIELDS}
# a whole volume's title is its parts' booktitle (or journaltitle)
_VOLUME_TYPES = {"proceedings", "book", "collection", "reference", "mvbook", "mvproceedings", "mvcollection",
                 "mvreference", "periodical"}

_ENTRY_START = re.compile(r"^[ \t]*@[ \t]*([A-Za-z]+)[ \t]*[{(][ \t]*([^,\s]*)", re.MULTILINE)
# text commands refkit's writer uses for characters LaTeX treats specially
_NAMED_SYMBOLS = {name: ch for ch, name in (NAMED_SYMBOLS | LIGATURE_SYMBOLS).items()} | {
    "textasciitilde": "~"}
_LINE_PREFIX = re.compile(r"^syntax error in line \d+:\s*")
# what pybtex reads past without losing the entry: a repeated field, a repeated key
_READ_PAST = (DuplicateField, BibliographyDataError)
_DUPLICATE_FIELD = re.compile(r"entry with key (\S+) has a duplicate (\S+) field")
# Pieces of a LaTeX string, decoded left to right (see latex_to_text).
_LATEX_TOKEN = re.compile(r"""
    \\(?P<named>""" + "|".join(sorted(_NAMED_SYMBOLS, key=len, reverse=True)) + r""")(?![A-Za-z])
        (?:\{\}|[ \t\n]?)
  | (?P<space>\\\s)
  | \\(?P<escaped>[{}$&%\#_])
  | (?P<format>\\(?:emph|textit|textbf|textsc|textrm|textsf|texttt|textup|textsl|textnormal|
                    mkbibquote|mkbibemph|url|mbox|text|textsuperscript|textsubscript|relax
                    |uppercase|lowercase|NoCaseChange)\b\s*)
  | (?P<command>\\[A-Za-z]{2,}\s*(?:\{\\?[^{}\\]*\})?
              | \\(?:[cvuHdbtkr](?![A-Za-z])|[^A-Za-z\s])\s*
                (?:\{\\?[^{}\\]*\}|\\[A-Za-z]+[ \t]?|[A-Za-z])?
              | \\[A-Za-z](?![A-Za-z])\s*)
  | (?P<math>\$[^$]+\$)
  | (?P<brace>[{}$])
  | (?P<text>[^\\{}$]+)
""", re.VERBOSE)
# What latexcodec would change in text: commands, groups, math, comments, its
# ligatures (-- --- `` '' ,, !` ?`), ~, and runs of white space or line breaks.
# Text without any of these decodes to itself.
_LATEX_SPECIAL = re.compile(r"[\\{}$%~\t\n]|--|``|''|,,|[!?]`|  ")
# Where plain text can be cut without changing how latexcodec reads either
# side: before a character that is no white space (whose reading does not
# depend on the state white space leaves) and cannot end a ligature
# (-- --- `` '' ,,), nor follow # (a parameter, #1).
_CUT = re.compile(r"(?<!#)[^\s\-`',]")


def read(path: str, data: bytes) -> Document:
    """Every readable entry of a BibTeX file as a Citation (kind REFERENCE);
    an entry that cannot be read is skipped with an RK403 finding naming its
    line, a repeated field keeps its first value (as BibTeX does) with a warning."""
    text = decode(path, data)
    bib, problems = parse(path, text)
    starts = _entry_lines(text)
    written = entry_sources(text, {key.lower() for key in bib.entries})  # as written, for export -t bibtex
    citations = []
    for key, entry in bib.entries.items():
        line, raw = starts.get(key.lower(), (None, ""))
        citations.append(to_citation(entry, key, Location(path, line, label=key), raw or key, parent_of(bib, entry)))
        if key.lower() in written:
            citations[-1].extra["bibtex-source"] = written[key.lower()]
    return usable(path, Document(path=path, format="bibtex", citations=citations, findings=problems))


def parse(path: str, text: str) -> tuple[BibliographyData, list[Finding]]:
    """pybtex's parse of `text` and RK403 findings for what it could not
    read. An entry that broke on its own (a name pybtex cannot split) is
    dropped from the one parse; a file with syntax errors is parsed again
    entry by entry, so a broken entry (an unclosed brace, a missing comma)
    costs only itself."""
    with pybtex.errors.capture() as errors:
        parser = _OwningParser(errors)
        bib = _parse_string(parser, text, errors)
    if all(isinstance(e, _READ_PAST) for e in errors):
        return bib, [_finding(path, text, e, 1) for e in errors]
    problems = _drop_broken_entries(path, text, bib, errors, parser.owners)
    if problems is not None:
        return bib, problems
    parser, problems = Parser(), []
    for line, key, source in entry_spans(text, with_macros=True):
        with pybtex.errors.capture() as errors:
            before = len(parser.data.entries)  # entries are kept in order: what is added comes last
            _parse_string(parser, source, errors)
        broken = [e for e in errors if not isinstance(e, _READ_PAST)]
        if broken:
            for added in list(parser.data.entries)[before:]:
                del parser.data.entries[added]
            problems.append(_unreadable_entry(path, source, key, line, broken[0]))
        else:
            problems += [_finding(path, source, e, line) for e in errors]
    return parser.data, problems


class _OwningParser(Parser):
    """pybtex's parser, noting the entry each error it reports while making
    that entry belongs to (`owners`: index in `errors` -> cite key)."""

    def __init__(self, errors: list[Exception]) -> None:
        super().__init__()
        self.errors = errors
        self.owners: dict[int, str] = {}

    def process_entry(self, entry_type, key, fields):  # noqa: ANN001, ANN201 (pybtex's signature)
        before = len(self.errors)
        super().process_entry(entry_type, key, fields)
        self.owners.update(dict.fromkeys(range(before, len(self.errors)), key))


def _drop_broken_entries(path: str, text: str, bib: BibliographyData, errors: list[Exception],
                         owners: dict[int, str]) -> list[Finding] | None:
    """The findings of a parse whose every unreadable entry broke on its own,
    those entries dropped from `bib`: what parsing entry by entry gives, at
    the cost of no second parse. None when an error is not one entry's own
    (a syntax error), a broken entry's key is not its alone, or a key is
    repeated (entry by entry, each repeat is told at its own line)."""
    first_broken: dict[str | None, Exception] = {}  # the first unreadable part of each broken entry
    for index, error in enumerate(errors):
        if not isinstance(error, _READ_PAST):
            first_broken.setdefault(owners.get(index), error)
    spans = _entries_by_key(text)
    if (None in first_broken or any(len(spans.get(str(key).lower(), ())) != 1 for key in first_broken)
            or any(isinstance(error, BibliographyDataError) for error in errors)):
        return None
    problems, said = [], set()
    for index, error in enumerate(errors):
        owner = owners.get(index)
        if owner not in first_broken:
            problems.append(_finding(path, text, error, 1))
        elif owner not in said:  # said once, where its entry is
            said.add(owner)
            line, source = spans[owner.lower()][0]
            problems.append(_unreadable_entry(path, source, owner, line, first_broken[owner]))
    for key in first_broken:
        del bib.entries[key]
    return problems


def _parse_string(parser: Parser, text: str, errors: list[Exception]) -> BibliographyData:
    """parser.parse_string, an exception it raises despite capture kept with the others."""
    try:
        return parser.parse_string(text)
    except PybtexError as exc:
        errors.append(exc)
        return parser.data


def _unreadable_entry(path: str, source: str, key: str, line: int, error: Exception) -> Finding:
    if source.count("{") > source.count("}"):
        what = "a brace opened in it is never closed"
    else:
        what = _LINE_PREFIX.sub("", str(error))
    kind = _ENTRY_START.match(source).group(1).lower()
    if kind == "string":  # its definition as read up to the damage stands (refkit.readers.bibtex_source)
        return unreadable(path, line, f"@string {key!r} damaged (malformed BibTeX: {what}): its value as read "
                          "before the damage is used, and exports give back only that", label=key)
    if kind == "preamble":
        return unreadable(path, line, f"@preamble skipped: malformed BibTeX: {what}; exports leave it out")
    return unreadable(path, line, f"entry {key!r} skipped: malformed BibTeX: {what}", label=key)


def _finding(path: str, text: str, error: Exception, first_line: int) -> Finding:
    """RK403 for what pybtex reads past: a repeated field (the first value
    kept, as BibTeX does) or a repeated cite key (the second entry skipped)."""
    message = str(error)
    if isinstance(error, DuplicateField):
        key, name = _DUPLICATE_FIELD.search(message).groups()
        line, values = _field_values(text, key, name)
        return unreadable(path, (line or 1) + first_line - 1,
                          f"entry {key!r} has the field {name!r} {len(values) or 'more than one'} times; "
                          f"the first value is used, as BibTeX does"
                          + (f" ({values[0]!r}; ignored: {', '.join(map(repr, values[1:]))})" if values else ""),
                          label=key, severity=Severity.WARNING)
    repeated = re.search(r"repeated bibliography entry:\s*(\S+)", message)
    if repeated:
        key = repeated.group(1)
        line = _line_of_repeat(text, key)
        return unreadable(path, line and line + first_line - 1,
                          f"a second entry with the cite key {key!r} skipped (a key must be unique; "
                          "BibTeX uses the first)", label=key)
    return unreadable(path, first_line, f"malformed BibTeX: {_LINE_PREFIX.sub('', message)}")


def _field_values(text: str, key: str, name: str) -> tuple[int | None, list[str]]:
    """(line of the entry, the values printed for field `name`) of entry `key`, as written."""
    for line, source in _entries_by_key(text).get(key.lower(), [])[:1]:
        values = [m.group(1).strip() for m in re.finditer(
            rf"(?:^|[,\s]){re.escape(name)}\s*=\s*[{{\"]?([^}}\"\n]*)", source, re.IGNORECASE)]
        return line, values
    return None, []


def parent_of(bib: BibliographyData, entry: Entry) -> Entry | None:
    """The entry `entry`'s crossref field names in `bib`, if there is one."""
    return bib.entries.get(entry.fields.get("crossref", "").strip())


def to_citation(entry: Entry, key: str, where: Location, raw: str, parent: Entry | None = None) -> Citation:
    """One pybtex entry as a Citation: LaTeX decoded, notes split off, fields
    it lacks taken from its crossref `parent` as biber and bibtex do."""
    fields = _inherited(parent, entry.type) | {name.lower(): value for name, value in entry.fields.items()}

    def field(*names: str) -> str:
        for name in names:
            if fields.get(name):
                return squash(latex_to_text(fields[name]))
        return ""

    printed_doi = (fields.get("doi") or "").strip() or None
    doi = doi_tools.whole(untex(printed_doi or ""))
    people = entry.persons.get("author", [])
    authors = [name_of(p) for p in people if str(p) != "others"]
    notes, provenance_lines = [], []
    for name in NOTE_FIELDS:
        for paragraph_text in _note_texts(fields.get(name, "")):
            (provenance_lines if provenance.is_provenance(paragraph_text) else notes).append(
                Note(paragraph_text, where))
    extra = {"citation-key": key, "entry-type": entry.original_type}
    for name in ("abstract", "keywords"):
        if value := field(name):
            extra[name] = value
    if provenance_lines:
        extra["provenance"] = [n.text for n in provenance_lines]
    if printed_doi and not doi:
        extra["malformed_doi"] = [printed_doi]  # RK101, as refkit.readers.reflist records it
    citation = Citation(
        raw=raw,
        source=where,
        kind=CitationKind.REFERENCE,
        authors=authors,
        et_al=len(authors) < len(people),
        title=field("title"),
        container=field("journal", "journaltitle", "booktitle"),
        year=year_in(field("year", "date")),
        volume=field("volume"),
        issue=field("number", "issue"),
        pages=re.sub(r"\s*[-–—]+\s*", "-", field("pages")),
        publisher=field("publisher", "institution", "school", "organization"),
        doi=doi,
        doi_printed=printed_doi,
        url=(fields.get("url") or "").strip(),
        identifiers=standard_numbers.listed({csl: value for name, csl in IDENTIFIER_FIELDS.items()
                                             if (value := field(name))}),
        csl_type=CSL_TYPES.get(entry.type.lower(), "document"),
        notes=notes,
        extra=extra,
    )
    citation.month, citation.day = issued.month_day(citation.year, issued.numeric_date(field("date")),
                                                    issued.in_parts(citation.year, field("month"), field("day")))
    citation.issued_end = issued.range_end(citation.year, issued.edtf_dates(field("date")))
    for text in (citation.title, field("howpublished")):  # an entry that is one whole printed reference
        if complete_from_printed(citation, text):
            break
    return citation


def _inherited(parent: Entry | None, child_type: str) -> dict[str, str]:
    """The fields a child of type `child_type` inherits from its crossref
    `parent`: a volume's title as the part's booktitle (a periodical's as its
    journaltitle), the rest by name, apart from _NOT_INHERITED."""
    if parent is None:
        return {}
    fields = {name.lower(): value for name, value in parent.fields.items() if name.lower() not in _NOT_INHERITED}
    title = fields.pop("title", None)
    if title and parent.type.lower() in _VOLUME_TYPES:
        fields.setdefault("journaltitle" if parent.type.lower() == "periodical" else "booktitle", title)
    elif title and child_type.lower() not in ("inproceedings", "incollection", "inbook", "inreference"):
        fields["title"] = title
    return fields


def name_of(person: Person) -> Name:
    """A pybtex Person as a Name; a fully braced name is an organisation."""
    last = person.prelast_names + person.last_names
    given = person.first_names + person.middle_names
    if not given and len(person.last_names) == 1 and person.last_names[0].startswith("{"):
        return Name(literal=squash(latex_to_text(person.last_names[0])))
    return Name(
        family=squash(latex_to_text(" ".join(last))),
        given=squash(latex_to_text(" ".join(given))),
        suffix=squash(latex_to_text(" ".join(person.lineage_names))),
    )


def latex_to_text(value: str) -> str:
    """A BibTeX field value (LaTeX) as plain Unicode text.

    Accents and symbols go through latexcodec; escaped specials (\\& \\{ \\$
    \\textbackslash{} …) become the characters; formatting commands
    (\\emph, \\textit …) and grouping braces are dropped, keeping their text;
    math-mode dollars are dropped. Paragraph breaks are kept. A value with
    nothing LaTeX would change is returned as it is.
    """
    return value if _is_plain(value) else _decode_latex(value)


def _is_plain(text: str) -> bool:
    """True when decoding `text` as LaTeX would give `text` back."""
    return not _LATEX_SPECIAL.search(text)


@lru_cache(maxsize=4096)
def _decode_latex(value: str) -> str:
    """latex_to_text's decoding of a value holding LaTeX, piece by piece;
    cached, as names and journal titles repeat across a bibliography."""
    out: list[str] = []
    for match in _LATEX_TOKEN.finditer(value):
        kind, piece = match.lastgroup, match.group(0)
        if kind == "named":
            out.append(_NAMED_SYMBOLS[match.group("named")])
        elif kind == "space":
            out.append(" ")
        elif kind == "escaped":
            out.append(match.group("escaped"))
        elif kind == "command":
            out.append(codecs.decode(piece, "ulatex").replace("{", "").replace("}", ""))
        elif kind == "math":
            out.append(codecs.decode(piece, "ulatex").strip("$"))
        elif kind == "text":
            out.append(_decode_text(piece))
    return "".join(out)


def _decode_text(piece: str) -> str:
    """latexcodec's decoding of plain text. A bare % is a percent sign, not a
    LaTeX comment: BibTeX fields (and pybtex's in-memory values, which leave
    % unescaped) mean it literally."""
    return "%".join(_decode_keeping_space(part) for part in piece.split("%"))


def _decode_keeping_space(piece: str) -> str:
    """latexcodec's decoding, keeping the leading white space it drops (it
    treats each piece as if it followed a control word)."""
    if _is_plain(piece):
        return piece
    core = piece.lstrip()
    return piece[:len(piece) - len(core)] + _decode_around_specials(core)


def _decode_around_specials(text: str) -> str:
    """latexcodec's decoding of plain text (no backslash, brace, $ or %),
    given only the stretches around what it would change (~, ligatures,
    runs of white space), cut where its reading cannot depend on what comes
    before: latexcodec takes ~12 µs a character, and a 4 MB abstract with
    one ~ in it took 50 CPU-s decoded whole."""
    out: list[str] = []
    done = 0
    for special in _LATEX_SPECIAL.finditer(text):
        if special.start() < done:
            continue  # decoded with the stretch before
        start = special.start()
        while start > done and not _CUT.match(text, start):
            start -= 1
        end = _CUT.search(text, special.end())
        end = end.start() if end else len(text)
        out += [text[done:start], _decode_stretch(text[start:end])]
        done = end
    out.append(text[done:])
    return "".join(out)


@lru_cache(maxsize=4096)
def _decode_stretch(stretch: str) -> str:
    return codecs.decode(stretch, "ulatex")


def _note_texts(value: str) -> list[str]:
    """A note field's text, paragraphs kept, as one note (or none when empty)."""
    if not value.strip():
        return []
    paragraphs = [squash(latex_to_text(p)) for p in re.split(r"\n\s*\n", value)]
    text = "\n\n".join(p for p in paragraphs if p)
    return [text] if text else []


def _entry_lines(text: str) -> dict[str, tuple[int, str]]:
    """Cite key (lower case) -> (line where its entry starts, the entry's source text)."""
    out: dict[str, tuple[int, str]] = {}
    for line, key, source in entry_spans(text):
        out.setdefault(key.lower(), (line, source))
    return out


def entry_spans(text: str, with_macros: bool = False) -> Iterator[tuple[int, str, str]]:
    """(line where it starts, cite key, source text up to the next entry) of
    each entry in file order; @string and @preamble too when `with_macros`."""
    skipped = ("comment",) if with_macros else ("comment", "preamble", "string")
    matches = [m for m in _ENTRY_START.finditer(text) if m.group(1).lower() not in skipped]
    line, counted_to = 1, 0
    for index, match in enumerate(matches):
        end = matches[index + 1].start() if index + 1 < len(matches) else len(text)
        line += text.count("\n", counted_to, match.start())
        counted_to = match.start()
        yield line, match.group(2), text[match.start():end].strip()


@lru_cache(maxsize=1)
def _entries_by_key(text: str) -> dict[str, list[tuple[int, str]]]:
    """Cite key (lower case) -> (line, source text) of each entry with that
    key, in file order, kept for the file being read: each finding about a
    repeated key or field looks its entry up here, not in a scan of every
    entry (9,390 repeated keys in a 3 MB file: 35 CPU-s; fuzz case 6794)."""
    out: dict[str, list[tuple[int, str]]] = {}
    for line, key, source in entry_spans(text):
        out.setdefault(key.lower(), []).append((line, source))
    return out


def _line_of_repeat(text: str, key: str) -> int | None:
    """The line of the second entry with cite key `key`."""
    lines = [line for line, _ in _entries_by_key(text).get(key.lower(), [])]
    return lines[1] if len(lines) > 1 else (lines[0] if lines else None)
