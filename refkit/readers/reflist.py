"""Find the reference list in an article's text and read its entries.

The list starts at a heading ("References", "Bibliography", "Literature
Cited", "R E F E R E N C E S", "## References", "7. References") and ends at
the next back-matter heading or the end of the text. Entries start with a
printed label ("1.", "[1]", "1)", "(1)") or a bullet standing in for one;
a bullet's number is restored from its neighbours. Lines that continue an
entry (after a line or page break, even when a page break left a stray
bullet) are joined to it, keeping DOIs and URLs that were cut in two whole.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from refkit.doi import find_dois
from refkit.model import Citation, CitationKind, Finding, Location, squash
from refkit.readers.listcheck import StrayLabel, list_findings, looks_like_reference
from refkit.refparse import identifiers_in, parse_reference

_HEADING = re.compile(
    r"(?:#{1,6}\s*)?(?:\*\*)?(?:(?:\d{1,2}|[IVXL]{1,5})\.?\s+)?"
    r"(?:references?(?:\s+(?:and\s+notes|cited))?|bibliography|literature\s+cited|works\s+cited"
    r"|cited\s+literature|reference\s+list|literatur(?:verzeichnis)?)"
    r"\s*:?\s*(?:\*\*)?",
    re.IGNORECASE,
)
_STOP = re.compile(
    r"(?:#{1,6}\s*)?(?:appendix|appendices|supplementary|supporting information|"
    r"author(?:s'?|'s)? (?:biograph|contribution|information)|about the authors?|biograph|acknowledge?ments?|"
    r"funding|conflicts? of interest|competing interests?|publisher'?s note|footnotes|abbreviations|"
    r"figure\s*\d|fig\.\s*\d|table\s*\d)",
    re.IGNORECASE,
)
# Publishers' notices printed after the list (and inside its columns): whatever their length
_NOTICE = re.compile(
    r"(?:how to cite|cite this article|submit your (?:next )?manuscript|ready to submit your research|"
    r"publish your work in this journal|©|"
    r"\(c\)\s*\d{4}|copyright\b|this (?:is an |article is an )?open[- ]access article|open access this article|"
    r"source of support|sample availability)",
    re.IGNORECASE,
)
_LABEL = re.compile(r"(?:\[(?P<bracket>\d{1,4})\]|\((?P<paren>\d{1,4})\)|(?P<plain>\d{1,4})[.)])(?:\s+|(?=[A-Z]))(?=\S)")
_LONE_LABEL = re.compile(r"\[(?P<bracket>\d{1,4})\]|\((?P<paren>\d{1,4})\)|(?P<plain>\d{1,4})[.)]")  # "12." alone on its line
_BARE_LABEL = re.compile(r"(?P<bare>\d{1,4})\s+(?=[A-Z][\w'’-]*[ ,])")
_BULLET = re.compile(r"[-•*–·▪◦]\s+(?=\S)")
_PROBE_LINES, _PROBE_ENTRIES = 200, 10  # how much of an unheaded list is read to judge it
_JUMP = 10  # a label this far past the expected one starts an entry when an author's name follows
_AUTHOR_START = re.compile(r"[\"“]?(?:[A-Z][\w'’-]+(?:,\s*[A-Z]\.|,?\s+[A-Z]{1,3}\b[,.]?)|[A-Z]\.\s?(?:[A-Z]\.\s?)*[A-Z][\w'’-]+)")
_PAGE_NUMBER = re.compile(r"\d{1,4}")
# In a line's last word, what shows a reference can end there: ". ) ] >" last,
# a digit, or a DOI/URL ("x/"); "in", "and", ","... cannot.
_COMPLETE_WORD = re.compile(r"[.)\]>]\Z|\d|[a-z0-9]/")
_CAPITAL = "A-ZÀ-ÖØ-ÞĀ-ſΑ-ΩЁА-Я"  # a capital a name or a reference may open with (Latin Extended-A is mixed)
_STARTS_REFERENCE = re.compile(rf"[\"“‘'(\[]?[0-9{_CAPITAL}]")
_PARTICLE_WORD = r"(?:van|von|de|der|den|del|della|da|di|du|dos|la|le|ten|ter)"
_PARTICLE = _PARTICLE_WORD + r"\s+"  # before a family name
# MLA's and Chicago's dashes for the author of the entry before: "---. Title.", "———. 2001.", "⸻."
_REPEATED_AUTHOR = re.compile(r"(?:-{2,8}|[—–]{2,6}|[⸺⸻]{1,3}|_{2,12})\s*[.,]")
_WHOLE_LINE_START = re.compile(_STARTS_REFERENCE.pattern + rf"|(?:{_PARTICLE})+[{_CAPITAL}]|" + _REPEATED_AUTHOR.pattern)
_NAME_WORD = rf"[{_CAPITAL}](?:[^\W\d_]|['’‐-])+"  # letters, apostrophes and hyphens: "O’Neill", "Eskay-Auerbach"
# The first line of a wrapped entry in a list without labels, blank lines or
# indentation: a person ("Rao, S.", "Rao S,", "Rao SK (2001)", "Jutel A and McBain L",
# "van der Berg, A.", "Öz, A.", "Lima Neto, A. S., &")
# or an organisation, a full stop and its year alone ("World Health
# Organization. (2020).") -- not "In Proceedings of …. 2019", a journal's
# "Analysis. 2015, 1–8" or "Eur Heart J. 2013", a title's "Vitamin D and" or
# "Part III.", an initial's "K. (2014)", a place's "New York, N.Y.:".
_PERSON_START = re.compile(
    rf"(?!(?:In|Part|Vol|Volume|Book|Chapter|Section|Series|No)\s)(?:{_PARTICLE})*(?:{_NAME_WORD}"
    rf"(?:,\s*[{_CAPITAL}]\.|\s+[A-Z]{{1,3}}(?:[,.]|\s+\((?:1[5-9]|20)\d\d|\s+and\s+{_NAME_WORD}\s+[A-Z]{{1,3}}\b))"
    # a family name of two words only before initials and more names or the year ("Lima Neto, A. S., &"),
    # or before two or three initials ("St John RK.", not a journal's "Eur Heart J.")
    rf"|{_NAME_WORD}\s{_NAME_WORD}(?:,\s*[{_CAPITAL}]\.(?:\s?[{_CAPITAL}]\.)*(?:,|\s+(?:&|and|\())|\s+[A-Z]{{2,3}}[,.]))")
_GROUP_START = re.compile(rf"(?!In\s)[{_CAPITAL}][\w'’&-]+"
                          rf"(?:\s+(?:[{_CAPITAL}][\w'’&-]*|of|for|and|on|the|&)){{0,8}}"
                          r"\.\s+\(?(?:1[5-9]|20)\d\d[a-z]?\)?[.,:](?!\s*(?:\d|pp?\.))")
# A person printed "Family, Given" as MLA and Chicago print the first author
# ("Morrison, Toni.", "Said, Edward W.", "Hooks, Bell, and Cornel West.", "Yang,
# Yong, et al.", "Bhrany, Amit D., Colleen", "Chung, Seok Jong, Tae Yong Lee,",
# "Nelson, Cary, editor.", "Beauvoir, Simone de.", "Van der Kolk, Bessel.",
# "St. Clair, William."):
# the given names hold lower-case letters or four capitals ("RUBINA", not
# Vancouver's "Lee JW,"); an entry starts so only in a list whose entries
# show the form at least twice (see _full_names), as a place
# ("Paris, Texas.") can look alike.
_GIVEN_WORD = (r"(?!(?:Vol|Vols|No|Nos|Ed|Eds|Trans|Suppl|Pt|Ch|Chap|Sect|Fig|Pp|Art|Dept|Univ|Inc|Ltd)\b)"
               rf"(?:[{_CAPITAL}](?:[^\W\d_]|['’‐-])*[a-zß-ÿā-ſ](?:[^\W\d_]|['’‐-])*|[{_CAPITAL}]{{4,}}\b)")
_FULL_NAME_START = re.compile(
    rf"(?!In\s)(?:(?i:{_PARTICLE})|Ste?\.\s)*{_NAME_WORD}(?:\s(?:{_PARTICLE})*{_NAME_WORD})?,\s+{_GIVEN_WORD}(?:\s{_GIVEN_WORD}){{0,2}}"
    rf"(?:\s+{_PARTICLE_WORD})?"  # "Beauvoir, Simone de."
    rf"(?:\s+[{_CAPITAL}]\.(?:\s?[{_CAPITAL}]\.)*[\s,]|\s+[{_CAPITAL}],\s|\.(?:\s|$)"
    r"|,\s+(?:and\s|&\s|et\sal\b|(?:editor|editors|eds?|translator|trans)\b)"
    rf"|,\s+{_GIVEN_WORD}(?:\s(?:{_GIVEN_WORD}|(?:[{_CAPITAL}]\.)+))*\s{_NAME_WORD}(?:,|\s+and\s))")  # ", Tae Yong Lee,"
_INITIAL_END = re.compile(r"\b[A-Z]\.\Z")  # "…, J. N." ends an author list, not an entry
# The last token of a line that is a DOI or URL, and the line-end or line-start
# characters that show it was cut in two.
_LINK_TOKEN = re.compile(r"(?:10\.\d{4,9}/|https?://|www\.)\S*$", re.IGNORECASE)


class JoinedLines:
    """The lines of one entry joined as they come, in time linear in their
    length: a DOI or URL cut at a line end is rejoined without a space, a soft
    hyphen at a line end is dropped and a hyphen kept, other breaks become
    spaces. Each join looks only at the last word so far (`tail`)."""

    _TAIL_MAX = 1000  # no DOI or URL is longer; a longer word is looked at by its end

    def __init__(self, pieces: list[str] | None = None) -> None:
        self.parts: list[str] = []
        self.tail = ""
        for piece in pieces or []:
            self.add(piece)

    def add(self, piece: str) -> None:
        piece = squash(piece)
        if not piece:
            return
        tail = self.tail
        if not self.parts:
            separator = ""
        elif _LINK_TOKEN.search(tail) and (tail[-1] in "/-._=&?#" or re.match(r"[-._][A-Za-z0-9]", piece)):
            separator = ""
        elif tail.endswith("\u00ad"):  # a soft hyphen: the word was broken at the line end
            self.parts[-1], tail, separator = self.parts[-1][:-1], tail[:-1], ""
        elif tail.endswith("-") and tail[-2:-1].isalpha() and piece[:1].isalnum():
            separator = ""
        else:
            separator = " "
        self.parts.append(separator + piece)
        space = piece.rfind(" ")
        self.tail = piece[space + 1:] if space >= 0 or separator else (tail + piece)[-self._TAIL_MAX:]

    def __str__(self) -> str:
        return "".join(self.parts)


def join_lines(pieces: list[str]) -> str:
    """The lines of one entry joined as `JoinedLines` joins them."""
    return str(JoinedLines(pieces))


@dataclass
class _Entry:
    """One reference being assembled: its label (None for a bullet), first line, text so far."""

    label: int | None
    line: int
    joined: JoinedLines = field(default_factory=JoinedLines)
    restored: bool = False

    @classmethod
    def starting(cls, label: int | None, line: int, first: str) -> "_Entry":
        return cls(label, line, JoinedLines([first]))

    def add(self, piece: str) -> None:
        self.joined.add(piece)

    @property
    def tail(self) -> str:
        """The last word so far: enough to tell whether the entry looks complete."""
        return self.joined.tail

    @property
    def text(self) -> str:
        return str(self.joined)


@dataclass
class ReferenceList:
    """What a document's reference list gave: its citations, the 1-based
    line where it starts (None when there is none), and findings (RK404)
    when it looks incomplete or wrong."""

    citations: list[Citation]
    start_line: int | None
    findings: list[Finding] = field(default_factory=list)


def read_reference_list(text: str, path: str, pages: list[int] | None = None,
                        indents: list[float] | None = None) -> ReferenceList:
    """The reference list in `text`, found by its heading or, without one, by
    entries numbered from 1 that read as references. `pages[i]` and
    `indents[i]` are the page of line i+1 and how far it is indented (in line
    heights) when known (PDF); an unnumbered list is split by indentation then."""
    lines = text.split("\n")
    best: _ListReader | None = None
    for start in _heading_lines(lines) or _unheaded_list_start(lines):
        reader = _ListReader(lines, indents, start + 1)
        if reader.entries and (best is None or reader.shaped() >= best.shaped()):
            best = reader
    # a lone label that no text followed is no reference
    entries = [entry for entry in best.entries if entry.text.strip()] if best else []
    if not entries:
        return ReferenceList([], None)
    _restore_labels(entries)
    citations = [_to_citation(entry, path, pages) for entry in entries]
    _inherit_repeated_authors(citations)
    start_line = best.first  # the heading's 1-based line (or the one before the first entry)
    body = lines[: start_line - 1]
    return ReferenceList(citations, start_line, list_findings(path, citations, start_line, pages, body, best.strays))


# --- locating the list --------------------------------------------------------

def _heading_lines(lines: list[str]) -> list[int]:
    """Indexes of lines that are a reference-list heading."""
    return [i for i, line in enumerate(lines) if _HEADING.fullmatch(_unspace(line.strip()))]


def _unspace(line: str) -> str:
    """"R E F E R E N C E S" -> "REFERENCES" (letter-spaced headings)."""
    if re.fullmatch(r"(?:\S ){3,}\S", line):
        return line.replace(" ", "")
    return line


def _unheaded_list_start(lines: list[str]) -> list[int]:
    """For text with no heading: the line before a run of entries numbered
    from 1 that read as references (most print a year or a DOI). Each
    candidate is judged on its first few entries, so text with many lists
    numbered from 1 is still read in linear time."""
    for i, line in enumerate(lines):
        m = _LABEL.match(line.strip())
        if m and _label_number(m) == 1:
            entries = _ListReader(lines, None, i, i + _PROBE_LINES).entries[:_PROBE_ENTRIES]
            dated = sum(1 for e in entries if looks_like_reference(e.text))
            if len(entries) >= 3 and dated >= 0.8 * len(entries):
                return [i - 1]
    return []


def _complete_end(text: str) -> bool:
    """Whether a reference can end where `text` ends, judged on its last word
    alone (a pattern searched over the line was quadratic on a megabyte
    line of one character: fuzz case 47)."""
    text = text.removesuffix("\n")
    return bool(text) and not text[-1].isspace() and bool(_COMPLETE_WORD.search(text.rsplit(None, 1)[-1]))


def _label_number(m: re.Match[str]) -> int:
    return int(m.group("bracket") or m.group("paren") or m.group("plain"))


# --- splitting entries ------------------------------------------------------------

class _ListReader:
    """Reads a list's entries from its first line to its end: labelled entries
    in sequence, bullets, and unlabelled ones split by indentation (when the
    lines show it), blank lines or an author's name after a complete entry.
    Labels out of sequence are kept as `strays` for the list checks."""

    def __init__(self, lines: list[str], indents: list[float] | None, first: int, stop: int | None = None) -> None:
        self.lines, self.indents, self.first = lines, indents, max(first, 0)
        self.entries: list[_Entry] = []
        self.strays: list[StrayLabel] = []
        self.expected = 1  # the label the next entry should carry, counting bullets as entries
        self.numbered = False
        self.start_indent = self._start_indent()
        end = min(stop or len(lines), len(lines))
        probed = [line.strip() for line in lines[self.first: min(self.first + _PROBE_LINES, end)]]
        probed = [line for line in probed if line]  # the list's first non-blank lines, to judge its form by
        self.one_per_line = self.indents is None and _one_per_line(probed)  # a PDF's lines are wrapped by its layout
        self.full_names = _full_names(probed)
        self._read(end)

    def shaped(self) -> int:
        """How many entries read as references: the measure for choosing between candidate lists."""
        return sum(1 for e in self.entries if looks_like_reference(e.text))

    def _read(self, stop: int) -> None:
        after_blank = after_page_number = False
        index = self.first - 1
        while index + 1 < stop:
            index += 1
            line = self.lines[index].strip()
            if not line:
                after_blank = True
                continue
            if _is_stop(line) or (_HEADING.fullmatch(_unspace(line)) and self.entries):
                resume = self._after_float(line, index, stop)
                if resume is None:
                    break
                index = resume - 1
                continue
            if _is_page_furniture(line, self.entries, after_page_number):
                after_page_number = _PAGE_NUMBER.fullmatch(line) is not None
                continue
            after_page_number = False
            entry = self._new_entry(line, index, after_blank)
            if entry is not None:
                self._append(entry)
            elif self.entries:
                self.entries[-1].add(_BULLET.sub("", line, count=1) if _BULLET.match(line) else line)
            after_blank = False

    def _after_float(self, line: str, index: int, stop: int) -> int | None:
        """Where a numbered list goes on after something placed inside it (a
        figure or table between two entries, a publisher's notice at the foot
        of a column): the line carrying the next label, when one follows
        closely; None when the list ends here."""
        if not self.numbered:
            return None
        for ahead in range(index + 1, min(index + _PROBE_LINES, stop)):
            text = self.lines[ahead].strip()
            m = _LABEL.match(text)
            if m and _label_number(m) == self.expected and _STARTS_REFERENCE.match(text[m.end():]):
                return ahead
        return None

    def _append(self, entry: _Entry) -> None:
        self.entries.append(entry)
        self.numbered = self.numbered or entry.label is not None
        self.expected = entry.label + 1 if entry.label is not None else self.expected + 1

    def _new_entry(self, line: str, index: int, after_blank: bool) -> _Entry | None:
        """The entry `line` starts, or None when it continues the previous one."""
        number, expected, entries = index + 1, self.expected, self.entries
        m = _LONE_LABEL.fullmatch(line)
        if m and _label_number(m) == (expected if entries else 1):
            return _Entry.starting(expected if entries else 1, number, "")  # its text follows on the next lines
        m = _LABEL.match(line)
        if m:
            label = _label_number(m)
            rest = line[m.end():]
            if len(entries) >= 2 and not self.numbered and not _AUTHOR_START.match(rest):
                return None  # an unnumbered entry's "3. Invented Press, 1971." goes on
            if (not entries or label == expected or (expected < label <= expected + 2 and _STARTS_REFERENCE.match(rest))
                    or (expected < label <= expected + _JUMP and _AUTHOR_START.match(rest))):
                return _Entry.starting(label, number, rest)
            if label < 1000 and _AUTHOR_START.match(rest):
                self.strays.append(StrayLabel(number, label, entries[-1].label or expected - 1))
            return None
        m = _BARE_LABEL.match(line)
        if m and entries and int(m.group("bare")) == expected and entries[-1].label is not None:
            return _Entry.starting(expected, number, line[m.end():])
        m = _BULLET.match(line)
        if m:
            rest = line[m.end():]
            if _STARTS_REFERENCE.match(rest) and (not entries or _complete_end(entries[-1].tail)):
                return _Entry.starting(None, number, rest)
            return None
        if entries and self.numbered:
            return None
        if not entries or self._starts_unnumbered(line, index, after_blank):
            return _Entry.starting(None, number, line) if _WHOLE_LINE_START.match(line) else None
        return None

    def _starts_unnumbered(self, line: str, index: int, after_blank: bool) -> bool:
        """In an unlabelled list: by indentation when the list shows it (a
        hanging indent, or a first-line indent), else after a blank line, with
        an author's name after a complete entry, or, in a list of one
        reference per line, with a line that starts as a reference does."""
        if self.start_indent is not None and self.indents is not None:
            return abs(self.indents[index] - self.start_indent) < 0.4
        tail = self.entries[-1].tail.rstrip()
        whole_line = (self.one_per_line and bool(_WHOLE_LINE_START.match(line)) and _complete_end(tail)
                      and not (line[0] in "0123456789(" and tail.endswith((",", ";", ":", "–", "-"))))  # "112(5):\n627–9."
        return after_blank or whole_line or _starts_with_author(line, self.entries[-1], self.full_names)

    def _start_indent(self) -> float | None:
        """The indentation of an entry's first line, when the list's lines show
        two (the first line's, and its continuations' at least 0.8 line heights
        away); None when indentation tells nothing."""
        if self.indents is None:
            return None
        window = [self.indents[i] for i in range(self.first, min(self.first + _PROBE_LINES, len(self.lines)))
                  if i < len(self.indents) and self.lines[i].strip() and not _LABEL.match(self.lines[i].strip())]
        if len(window) < 4:
            return None
        first = window[0]
        away = [x for x in window if abs(x - first) >= 0.8]
        return first if len(away) >= 0.2 * len(window) else None


def _is_page_furniture(line: str, entries: list[_Entry], after_page_number: bool) -> bool:
    """A page number between two pages, or the short running header printed
    next to it ("FRITZSCH et al."), that text extraction left inside the list.
    Digits that finish a DOI cut at a line end are not a page number."""
    if not entries or _LABEL.match(line) or _BULLET.match(line):
        return False
    previous = entries[-1].tail
    if _PAGE_NUMBER.fullmatch(line):
        return not (_LINK_TOKEN.search(previous) and previous[-1] in "/-._")
    return after_page_number and len(line) < 50 and not re.search(r"\d", line) and _complete_end(previous)


def _is_stop(line: str) -> bool:
    """A back-matter heading, a figure/table caption or a publisher's notice, that ends the list."""
    if _NOTICE.match(line):
        return True
    m = _STOP.match(line)
    return bool(m) and (len(line) < 60 or line.lower().startswith(("figure", "fig.", "table")))


def _one_per_line(lines: list[str]) -> bool:
    """Whether a list whose first non-blank `lines` these are holds one
    reference per line, as a word processor or a web page gives it, rather
    than references wrapped over lines: nearly every line (80%) starts and
    ends as a whole reference does. Then each such line starts an entry
    whatever its author looks like ("van der Berg, A.", "World Health
    Organization.", "Erratum. (1932)")."""
    whole = sum(1 for line in lines if _WHOLE_LINE_START.match(line) and _complete_end(line))
    return len(lines) >= 2 and whole >= 0.8 * len(lines)


def _full_names(lines: list[str]) -> bool:
    """Whether a list whose first non-blank `lines` these are prints its
    first authors "Family, Given" (MLA, Chicago): at least two lines open
    so, the first or after a line that ends an entry."""
    return sum(1 for before, line in zip(["."] + lines, lines)
               if _ends_entry(before) and _FULL_NAME_START.match(line)) >= 2


def _starts_with_author(line: str, previous: _Entry, full_names: bool) -> bool:
    """In an unlabelled list without blank lines: does `line` start a new
    entry with its author (see _PERSON_START, _GROUP_START, _REPEATED_AUTHOR;
    with `full_names`, _FULL_NAME_START too) after a previous one that ended
    as a reference does?"""
    return _ends_entry(previous.tail) and bool(
        _PERSON_START.match(line) or _GROUP_START.match(line) or _REPEATED_AUTHOR.match(line)
        or (full_names and _FULL_NAME_START.match(line)))


def _ends_entry(text: str) -> bool:
    """Whether a reference can end where `text` ends: a full stop (not an
    initial's), a bracket, a DOI or URL."""
    tail = text.rstrip()
    return (tail.endswith((".", ")", "]")) and not _INITIAL_END.search(tail)) or bool(_LINK_TOKEN.search(tail))


def _restore_labels(entries: list[_Entry]) -> None:
    """Give bullets the numbers their neighbours imply ("- " x4 then "5." ->
    1-4); labels stay unique even when the gap does not fit."""
    taken = {e.label for e in entries if e.label is not None}
    next_labelled = [len(entries)] * (len(entries) + 1)  # index of the first labelled entry at or after i
    for i in range(len(entries) - 1, -1, -1):
        next_labelled[i] = i if entries[i].label is not None else next_labelled[i + 1]
    previous = 0
    for i, entry in enumerate(entries):
        if entry.label is not None:
            previous = entry.label
            continue
        run = next_labelled[i] - i
        following = entries[i + run].label if i + run < len(entries) else None
        candidate = previous + 1
        if previous == 0 and following is not None and following - run >= 1:
            candidate = following - run
        while candidate in taken:
            candidate += 1
        entry.label, entry.restored = candidate, True
        taken.add(candidate)
        previous = candidate


# --- entries to citations -----------------------------------------------------

def _to_citation(entry: _Entry, path: str, pages: list[int] | None) -> Citation:
    """A Citation for one entry: parsed fields, the DOI as printed, identifiers."""
    page = pages[entry.line - 1] if pages and 0 < entry.line <= len(pages) else None
    source = Location(file=path, line=entry.line, page=page, label=str(entry.label))
    citation = citation_from_text(entry.text, source)
    if entry.restored:
        citation.extra["label_restored"] = True
    return citation


def _inherit_repeated_authors(citations: list[Citation]) -> None:
    """An entry whose author is printed as dashes ("---. Title.", "———, ed.",
    "---, and Jane Doe.") has the authors of the last entry that printed its
    own, and any it names after the dashes."""
    named: Citation | None = None
    for citation in citations:
        if not _REPEATED_AUTHOR.match(citation.raw):
            named = citation
        elif named is not None:
            more = [name for name in citation.authors if name.family.lower().rstrip(".") not in _ROLE_WORDS]
            citation.authors, citation.et_al = [*named.authors, *more], named.et_al or citation.et_al


_ROLE_WORDS = frozenset(("ed", "eds", "editor", "editors", "trans", "translator", "comp", "compiler"))


def citation_from_text(raw: str, source: Location) -> Citation:
    """One printed reference as a Citation: parsed fields, the DOI as printed, identifiers."""
    citation = Citation(raw=raw, source=source, kind=CitationKind.REFERENCE, **parse_reference(raw))
    citation.identifiers = identifiers_in(raw)
    apply_dois(citation, raw)
    return citation


def apply_dois(citation: Citation, text: str) -> None:
    """Set the citation's DOI (cleaned, as printed) from `text`; a malformed
    printed DOI is kept in doi_printed and extra["malformed_doi"] (RK101), and
    the DOI rejoined across a space in extra["doi_joined"], for the resolver
    to check."""
    found = find_dois(text)
    valid = [f for f in found if f.valid]
    malformed = [f.printed for f in found if not f.valid]
    if valid:
        citation.doi, citation.doi_printed = valid[0].doi, valid[0].printed
        if valid[0].joined:
            citation.extra["doi_joined"] = {"doi": valid[0].joined, "printed": valid[0].joined_printed}
        if len(valid) > 1:
            citation.extra["other_dois"] = [f.doi for f in valid[1:]]
    elif malformed:
        citation.doi_printed = malformed[0]
    if malformed:
        citation.extra["malformed_doi"] = malformed
