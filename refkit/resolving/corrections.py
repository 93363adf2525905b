"""Plausible corrections of a wrong printed DOI, and names for how two DOIs
differ.

`candidates` guesses what a printed DOI was meant to be from the DOI alone
(two DOIs run together, stray ".pdf" or "/full", a component suffix, OCR
confusions, swapped or doubled characters, a mistyped journal code); what it
cannot guess (a truncated DOI's missing digits, the article behind an issue
DOI) comes from search results. Nothing here is trusted: every candidate
must be registered and validate against the citation before it is proposed.
`relation` names the kind of error for the report's evidence.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Iterable

from rapidfuzz.distance import Levenshtein

from refkit.doi import is_valid, normalize, split_concatenated
from refkit.settings import MAX_DOI_LENGTH

# Characters a scan, a font or a typist confuses.
_CONFUSABLE = {
    "0": "o", "o": "0", "1": "li", "l": "1i", "i": "1l", "5": "s", "s": "5",
    "8": "b", "b": "8", "2": "z", "z": "2", "6": "g", "g": "6",
}
_STRAY_SUFFIX = re.compile(
    r"(?:[./](?:pdf|epdf|full|abstract|html?|fulltext|full-text|summary|references|suppl|meta|"
    r"xml|epub|pdf\+html)|/v\d+|v\d+(?:\.full)?|/-/dc\d+)+$", re.IGNORECASE)
_COMPONENT_SUFFIX = re.compile(
    r"(?:\.(?:g|t|s|sd|e|f|m)\d{2,4}|/(?:fig|figure|table|tables|figures|supp|suppl|"
    r"supplementary)[-_/]?\w*|\.suppl?\d*)$", re.IGNORECASE)
# Issue and volume DOIs such as 10.1002/da.2014.31.issue-4.
ISSUE_DOI = re.compile(r"[./-](?:issue|vol|volume|toc)[-._]?\w*$", re.IGNORECASE)
# A journal code at the start of a suffix: 10.3389/fpsyt.2022.995726 -> "fpsyt".
_JOURNAL_CODE = re.compile(r"^(10\.\d{4,9}/)([a-z][a-z-]{1,15})([./_])(.+)$", re.IGNORECASE)
MAX_CANDIDATES = 60
YEAR_RUN_IN = "year-run-in"  # "10.1021/jf030345.2013": the reference's year printed onto the DOI


@dataclass(frozen=True)
class Correction:
    """A candidate DOI and the kind of printing error that would explain it."""

    doi: str
    kind: str


class JournalCodes:
    """The journal codes of the DOIs seen in a run, by prefix (10.3389/fpsyt.…
    gives "fpsyt" under "10.3389/"): indexed once, so that trying them in
    place of a mistyped code costs the codes of one prefix, not every DOI."""

    def __init__(self, dois: Iterable[str] = ()) -> None:
        self._codes: dict[str, set[str]] = defaultdict(set)
        self.add(dois)

    def add(self, dois: Iterable[str]) -> None:
        """Learn the journal codes of `dois`."""
        for doi in dois:
            match = _JOURNAL_CODE.match(doi)
            if match:
                self._codes[match.group(1).lower()].add(match.group(2))

    def near(self, prefix: str, code: str) -> list[str]:
        """The other codes under `prefix` within two edits of `code`, sorted."""
        return [other for other in sorted(self._codes.get(prefix.lower(), ()))
                if other.lower() != code.lower() and Levenshtein.distance(other.lower(), code.lower()) <= 2]


def candidates(printed: str, known_dois: "JournalCodes | Iterable[str]" = (),
               max_length: int = MAX_DOI_LENGTH, year: int | None = None) -> list[Correction]:
    """DOIs the printed one may have been meant as, most likely first.

    `known_dois` are other DOIs seen in the same run (printed elsewhere or
    found by search), or their `JournalCodes`; their journal codes under the
    same prefix are tried in place of a code that looks mistyped. `year`, the
    reference's, may be run into the DOI's end ("…0345.2013"). A printed
    "DOI" longer than `max_length` is no plausible DOI: it gets none
    (guessing costs the square of its length).
    """
    printed = printed.strip()
    if len(printed) > max_length:
        return []
    found: dict[str, Correction] = {}
    seen = normalize(printed)

    def add(doi: str, kind: str) -> None:
        key = normalize(doi)
        if key != seen and key not in found and is_valid(doi):
            found[key] = Correction(doi, kind)

    for piece in split_concatenated(printed):
        add(piece, "concatenated")
    repaired = _repair_syntax(printed)
    if repaired != printed:
        add(repaired, "syntax")
        printed = repaired
    for kind, doi in _stripped_forms(printed):
        add(doi, kind)
    if year and (m := re.fullmatch(rf"(.+[A-Za-z0-9)])[./_-]?{year}", printed)):
        add(m.group(1), YEAR_RUN_IN)
    for doi in _sici_forms(printed):
        add(doi, "sici")
    codes = known_dois if isinstance(known_dois, JournalCodes) else JournalCodes(known_dois)
    for doi in _journal_code_variants(printed, codes):
        add(doi, "journal-code")
    for doi in _transpositions(printed):
        add(doi, "transposition")
    for doi in _confusions(printed):
        add(doi, "character-confusion")
    for doi in _undoubled(printed):
        add(doi, "doubled-character")
    return list(found.values())[:MAX_CANDIDATES]


def relation(printed: str, candidate: str) -> str:
    """The kind of error that turns `candidate` into `printed`, for evidence:
    truncated, transposition, single-character edit, journal code, ..."""
    p, c = normalize(printed), normalize(candidate)
    if p == c:
        return "same"
    if any(normalize(piece) == c for piece in split_concatenated(printed)) and len(split_concatenated(printed)) > 1:
        return "concatenated"
    if ISSUE_DOI.search(p):
        return "issue-doi"
    if len(c) > len(p) and len(_common_prefix(p, c)) >= len(p) - 3:
        return "truncated"
    if p.startswith(c):
        return YEAR_RUN_IN if re.fullmatch(r"[./_-]?(?:1[89]|20)\d\d", p[len(c):]) else "extra-characters"
    if _is_transposition(p, c):
        return "transposition"
    p_code, c_code = _JOURNAL_CODE.match(p), _JOURNAL_CODE.match(c)
    if (p_code and c_code and p_code.group(1) == c_code.group(1)
            and p_code.group(2) != c_code.group(2) and p_code.group(4) == c_code.group(4)):
        return "journal-code"
    distance = Levenshtein.distance(p, c)
    if distance == 1:
        return "single-character"
    if distance <= 3:
        return f"{distance}-character-edit"
    return "different-doi"


def _repair_syntax(doi: str) -> str:
    """A malformed DOI with its usual slips undone: spaces inside it, a
    comma or letter O in its "10." prefix."""
    doi = re.sub(r"\s+", "", doi)
    return re.sub(r"^1[0Oo][.,]\s*(\d{4,9})[.,]?/?", r"10.\1/", doi) if not is_valid(doi) else doi


def _stripped_forms(doi: str) -> list[tuple[str, str]]:
    forms = []
    stray = _STRAY_SUFFIX.sub("", doi)
    if stray != doi:
        forms.append(("stray-suffix", stray))
    component = _COMPONENT_SUFFIX.sub("", stray)
    if component != stray:
        forms.append(("component-suffix", component))
    return forms


def _sici_forms(doi: str) -> list[str]:
    """SICI-style DOIs (volume:issue<page::...>3.0.co;2-x) whose angle
    brackets were lost (HTML stripping) or %-encoded, and the "(SICI)"
    marker added or dropped. A lost "<" leaves issue and first page run
    together, so every split of that digit run is tried."""
    if "::" not in doi and "(sici)" not in doi.lower():
        return []
    fixed = re.sub(r"%3c", "<", re.sub(r"%3e", ">", doi, flags=re.IGNORECASE), flags=re.IGNORECASE)
    if ">" not in fixed:
        fixed = re.sub(r"(\d\.0\.co;)", r">\1", fixed, count=1, flags=re.IGNORECASE)
    forms = [fixed]
    run = re.search(r"(\d+)::", fixed)
    if "<" not in fixed and run:
        forms = [fixed[:i] + "<" + fixed[i:] for i in range(run.start(1), run.end(1))]
    marked = [re.sub(r"\(sici\)", "", f, flags=re.IGNORECASE) if "(sici)" in f.lower()
              else re.sub(r"^(10\.\d+/)", r"\1(SICI)", f) for f in forms]
    return forms + marked


def _journal_code_variants(doi: str, codes: JournalCodes) -> list[str]:
    m = _JOURNAL_CODE.match(doi)
    if not m:
        return []
    prefix, code, sep, rest = m.groups()
    return [f"{prefix}{other}{sep}{rest}" for other in codes.near(prefix, code)]


def _suffix_span(doi: str) -> tuple[str, str]:
    head, _, tail = doi.partition("/")
    return head + "/", tail


def _transpositions(doi: str) -> list[str]:
    head, tail = _suffix_span(doi)
    out = []
    for i in range(len(tail) - 1):
        if tail[i] != tail[i + 1] and tail[i].isalnum() and tail[i + 1].isalnum():
            out.append(head + tail[:i] + tail[i + 1] + tail[i] + tail[i + 2:])
    return out


def _confusions(doi: str) -> list[str]:
    """OCR-like confusions where the character does not fit its neighbours:
    a letter among digits (2o22) or a digit among letters (jad1)."""
    head, tail = _suffix_span(doi)
    out = []
    for i, ch in enumerate(tail):
        neighbours = tail[max(i - 1, 0):i] + tail[i + 1:i + 2]
        misfit = (any(n.isdigit() for n in neighbours) if ch.isalpha()
                  else any(n.isalpha() for n in neighbours))
        if misfit:
            out.extend(head + tail[:i] + other + tail[i + 1:] for other in _CONFUSABLE.get(ch.lower(), ""))
    return out


def _undoubled(doi: str) -> list[str]:
    head, tail = _suffix_span(doi)
    return [head + tail[:i] + tail[i + 1:] for i in range(1, len(tail))
            if tail[i] == tail[i - 1] and tail[i].isalnum()]


def _common_prefix(a: str, b: str) -> str:
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return a[:n]


def _is_transposition(a: str, b: str) -> bool:
    """Same characters in another order within a short stretch (swapped
    neighbours, or digits moved: 117117172 for 117711712)."""
    if len(a) != len(b) or sorted(a) != sorted(b):
        return False
    diff = [i for i, (x, y) in enumerate(zip(a, b)) if x != y]
    return bool(diff) and diff[-1] - diff[0] < 8
