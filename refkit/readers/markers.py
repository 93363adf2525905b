"""In-text citations: labelled markers "(S001)", numeric markers "(12, 14)",
and author–year mentions "Hsu and colleagues (2013)", "(Hsu et al., 2013)".

What no reference-list entry resolves becomes an UNLISTED citation, one per
distinct marker, with the sentence it stands in and where. Numeric markers in
a document without a list are not listed one by one (a copy of an article
whose list was stripped would yield a hundred of them): they are summed up in
`numeric_summary`, and resolved later if another copy carries the list.
"""

from __future__ import annotations

import bisect
import math
import re
from dataclasses import dataclass

from refkit.folding import strip_accents
from refkit.model import Citation, CitationKind, Location, Name

_LABELS = re.compile(r"\(\s*((?:[A-Z]{1,2}\d{3,4})(?:\s*[;,]\s*[A-Z]{1,2}\d{3,4})*)\s*\)")
_LABEL = re.compile(r"[A-Z]{1,2}\d{3,4}")
_NUMERIC = re.compile(r"[(\[]\s*(\d{1,6}(?:\s*(?:[-–—,;]|and)\s*\d{1,6})*)\s*[)\]]")
_YEAR = re.compile(r"^(?:1[89]|20)\d\d$")
_THOUSANDS = re.compile(r"\d{1,3}(?:,\d{3})+")  # "(8,590)": one count, or refs 8 and 590 of a long list
_SURNAME = r"[A-Z][\w'’-]+(?:\s(?:van|von|de|der|del|da)\s[A-Z][\w'’-]+)?"
_MENTIONS = (
    re.compile(rf"\b(?P<name>{_SURNAME})(?:\s(?:and|&)\s{_SURNAME})?\s+(?:and\s+(?:colleagues|coworkers|"
               rf"co-workers)|et\s+al\.?)\s*\(\s*(?P<year>(?:19|20)\d\d)[a-z]?\s*\)"),
    re.compile(rf"\(\s*(?P<name>{_SURNAME})(?:\s(?:and|&)\s{_SURNAME})?\s+et\s+al\.?,?\s+"
               rf"(?P<year>(?:19|20)\d\d)[a-z]?\s*[);]"),
)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z(\"“])")
PLAUSIBLE_MAX = 999  # a larger "reference number" is a range whose dash was lost: (104108) = 104–108


@dataclass(frozen=True)
class Mention:
    """One occurrence of an in-text citation: its label ("S001", "12",
    "Hsu 2013"), the printed text, its line and sentence."""

    label: str
    printed: str
    line: int
    sentence: str
    surname: str = ""
    year: int | None = None


def in_text_citations(path: str, text: str, references: list[Citation],
                      list_start: int | None) -> tuple[list[Citation], dict | None]:
    """The UNLISTED citations of `text` (before the reference list starting
    at `list_start`) given its `references`, and a compact summary of numeric
    markers when there is no list to resolve them (None otherwise)."""
    body = text.split("\n")[: (list_start - 1) if list_start else None]
    listed = {re.sub(r"\W", "", r.label) for r in references}
    numeric = numeric_markers(body, len(references) or None)
    if references and not cites_by_number(numeric, len(references)):
        numeric = []  # the numbers in parentheses are counts, not citations
    cited = [m for m in numeric if int(m.label) <= PLAUSIBLE_MAX] if references else []
    unlisted = [m for m in label_markers(body) + cited if m.label not in listed]
    unlisted += [m for m in author_year_mentions(body) if not in_list(m.surname, m.year, references)]
    summary = numeric_summary(numeric) if numeric and not references else None
    return [_unlisted(path, group) for group in _group(unlisted)], summary


def cites_by_number(markers: list[Mention], list_size: int) -> bool:
    """Whether a document cites its list with numbers in parentheses: a paper
    cites nearly every entry it lists, so its markers name most of them (60%
    here, leaving room for markers lost in tables and captions). A paper citing
    by superscript or author-year has only counts in parentheses ("deployment
    (44)", "(31)"), scattered over part of the range, which must not become
    unlisted citations."""
    named = {int(m.label) for m in markers if m.label.isdigit() and int(m.label) <= list_size}
    return len(named) >= max(1, math.ceil(0.6 * list_size))


def label_markers(lines: list[str]) -> list[Mention]:
    """Every "(S001)", "(S001; S008)" marker: one Mention per label."""
    found = []
    for number, line in enumerate(lines, 1):
        sentences = Sentences(line)
        for m in _LABELS.finditer(line):
            for label in _LABEL.findall(m.group(1)):
                found.append(Mention(label, m.group(0), number, sentences.at(m.start())))
    return found


def author_year_mentions(lines: list[str]) -> list[Mention]:
    """Every "Name and colleagues (year)", "Name et al. (year)", "(Name et al., year)"."""
    found = []
    for number, line in enumerate(lines, 1):
        sentences = Sentences(line)
        for pattern in _MENTIONS:
            for m in pattern.finditer(line):
                name, year = m.group("name"), int(m.group("year"))
                found.append(Mention(f"{name} {year}", m.group(0).strip(), number,
                                     sentences.at(m.start()), surname=name, year=year))
    return found


def numeric_markers(lines: list[str], list_size: int | None = None) -> list[Mention]:
    """Every reference number cited as "(3)", "[3, 5]", "(1–3)"; one Mention per
    number. A number beyond `list_size` (or PLAUSIBLE_MAX) that splits into a
    valid range is read as one whose dash was lost."""
    found = []
    for number, line in enumerate(lines, 1):
        sentences = Sentences(line)
        for m in _NUMERIC.finditer(line):
            if _YEAR.match(m.group(1)) or _is_count(m.group(1), list_size):
                continue  # "(2019)" is a year, "(13,253)" a count
            for value in expand_numbers(m.group(1), list_size or PLAUSIBLE_MAX):
                found.append(Mention(str(value), m.group(0), number, sentences.at(m.start())))
    return found


def _is_count(printed: str, list_size: int | None) -> bool:
    """Whether "13,253" is a number grouped in thousands rather than two
    reference numbers: a group after a comma that no list this long can hold
    (or that starts with 0, as in "1,000")."""
    if list_size is None or not _THOUSANDS.fullmatch(printed):
        return False
    return any(group[0] == "0" or int(group) > list_size for group in printed.split(",")[1:])


def expand_numbers(printed: str, list_size: int) -> list[int]:
    """The reference numbers in a marker's text: "1–3, 7" -> [1, 2, 3, 7];
    "1719" with 148 references -> [17, 18, 19] (a range that lost its dash).
    0 is never a reference number."""
    numbers: list[int] = []
    for part in re.split(r"\s*(?:[,;]|and)\s*", printed):
        ends = [int(x) for x in re.split(r"\s*[-–—]\s*", part) if x]
        if len(ends) == 2 and ends[0] < ends[1]:
            numbers.extend(range(ends[0], ends[1] + 1))
        elif len(ends) == 1 and ends[0] > list_size:
            numbers.extend(_lost_dash_range(part.strip(), list_size) or ends)
        else:
            numbers.extend(ends)
    return [n for n in numbers if n > 0]


def numeric_summary(markers: list[Mention]) -> dict:
    """A compact account of numeric markers that no list here resolves."""
    values = sorted({int(m.label) for m in markers if int(m.label) <= PLAUSIBLE_MAX})
    implausible = sorted({m.printed for m in markers if int(m.label) > PLAUSIBLE_MAX})
    return {
        "occurrences": len({(m.line, m.printed) for m in markers}),
        "distinct": len(values),
        "highest": values[-1] if values else None,
        "numbers": values,
        "first_line": min(m.line for m in markers),
        "unsplit": implausible,
    }


class Sentences:
    """The sentences of one line, found once, so that each marker's sentence
    is looked up by bisection: linear time even on a megabyte line."""

    def __init__(self, line: str) -> None:
        self.line = line
        ends = list(_SENTENCE_END.finditer(line))
        self.starts = [0] + [m.end() for m in ends]  # where each sentence begins
        self.stops = [m.start() for m in ends] + [len(line)]  # where it ends

    def at(self, offset: int) -> str:
        """The sentence that contains character `offset`."""
        index = bisect.bisect_right(self.starts, offset) - 1
        stop = self.stops[bisect.bisect_left(self.stops, offset, lo=index)] if index < len(self.stops) else len(self.line)
        return self.line[self.starts[index]: stop].strip()


def _lost_dash_range(digits: str, list_size: int) -> list[int]:
    """Split "104108" into 104–108 when exactly that reading fits the list."""
    splits = []
    for cut in range(1, len(digits)):
        if digits[cut] == "0":
            continue
        first, last = int(digits[:cut]), int(digits[cut:])
        if 1 <= first < last <= list_size:
            splits.append((abs(len(digits[:cut]) - len(digits[cut:])), last - first, first, last))
    if not splits:
        return []
    _, _, first, last = min(splits)
    return list(range(first, last + 1))


def in_list(surname: str, year: int | None, references: list[Citation]) -> bool:
    """Whether a reference-list entry has this first-author surname and year."""
    key = fold_accents(surname)
    return any(r.year == year and r.authors and fold_accents(r.authors[0].family) == key for r in references)


def fold_accents(name: str) -> str:
    """`name` without accents and case, for comparing names as printed."""
    return strip_accents(name).casefold()


def _group(mentions: list[Mention]) -> list[list[Mention]]:
    """Mentions grouped by label, in order of first appearance."""
    groups: dict[str, list[Mention]] = {}
    for mention in mentions:
        groups.setdefault(mention.label, []).append(mention)
    return list(groups.values())


def _unlisted(path: str, group: list[Mention]) -> Citation:
    first = group[0]
    citation = Citation(raw=first.printed, source=Location(path, first.line, label=first.label),
                        kind=CitationKind.UNLISTED, context=first.sentence, year=first.year,
                        authors=[Name(family=first.surname)] if first.surname else [])
    citation.extra["occurrences"] = [m.line for m in group]
    return citation
