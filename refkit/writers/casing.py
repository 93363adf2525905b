"""Which words of a BibTeX title must keep their case, and their braces.

Styles change a title's case: BibTeX's `change.case$`, biblatex's
`\\MakeSentenceCase`, pandoc (for English entries) lower every letter but the
first that is not inside braces. So a title is written as people and Better
BibTeX write it: whole words that must keep their case are braced — `{DNA}`,
`{fMRI}`, `{H2O}`, `{Parkinson}`, `{U.S.}` — and nothing else, never single
letters of ordinary words (`Data-{D}riven` would stop a style from writing
"data-driven"). A lower-case word after an abbreviation's period is braced
too (`{C}. {elegans}`): pandoc would take it for a sentence's first word.

Which capitalised words keep their case depends on how the title is written:
- sentence case ("Effects of ketamine in Parkinson disease"): every capital
  after the first word is deliberate (a name, a German noun, a subtitle's
  first word), so every such word is braced;
- title case ("Effects of Ketamine in Parkinson Disease"): capitals are
  typographic; only acronyms, words with inner capitals or digits, single
  capital letters (N-methyl-D-aspartate, vitamin D; not the article "A"), and
  words the same bibliography writes capitalised inside sentence-case titles
  (`proper_nouns`, e.g. Parkinson) are braced.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# words title case leaves in lower case; they never decide whether a title is in title case
SMALL_WORDS = frozenset(
    "a an and as at but by for from in into nor of off on onto or over per so than the to up upon via vs "
    "with yet".split())
# a LaTeX command (left alone), an initialism (U.S., e.g.), or a run of letters and digits
_TOKEN = re.compile(r"(?P<command>\\(?:[A-Za-z]+|.))|(?P<initialism>(?:[^\W\d_]\.){2,})|(?P<word>[^\W_]+)")
_WORD = re.compile(r"(?:[^\W\d_]\.){2,}|[^\W_]+")
# punctuation after which a new sentence (a subtitle) starts
_SENTENCE_END = re.compile(r"[:.?!]\W*$")


def protect_title(value: str, proper_nouns: Iterable[str] = ()) -> str:
    """`value` (already LaTeX-escaped) with the words that must keep their
    case in braces; LaTeX commands are left alone (see the module docstring)."""
    title_case = is_title_case([m.group(0) for m in _TOKEN.finditer(value) if not m.group("command")])
    names = frozenset(proper_nouns)
    first = True

    def protect(match: re.Match) -> str:
        nonlocal first
        if match.group("command"):
            return match.group(0)
        word = match.group(0)
        after_period = word[:1].islower() and _after_period(value, match.start())
        keep = after_period or keeps_case(word, first, title_case, names)
        first = False
        return _braced(word) if keep else word

    return _TOKEN.sub(protect, value)


def _after_period(text: str, at: int) -> bool:
    """Whether a period and space come just before `at`: a lower-case word
    after them ("C. elegans", "i.v. ketamine") must stay lower case, or styles
    would start a sentence with it. Looks back over the spaces only (a search
    of all the text before each word was quadratic in a title's length)."""
    start = at
    while at > 0 and text[at - 1].isspace():
        at -= 1
    return start > at > 0 and text[at - 1] == "."


def keeps_case(word: str, first: bool, title_case: bool, proper_nouns: frozenset[str]) -> bool:
    """Whether `word` must keep its case: always for acronyms and words with
    inner capitals or digits; for other capitalised words, never as the
    title's first word, and otherwise as the title's casing says (in title
    case: single letters but the article "A", and proper nouns)."""
    if has_fixed_case(word):
        return True
    if not word[:1].isupper() or first:
        return False
    if not title_case:
        return True
    if len(word) == 1:
        return word != "A"
    return word in proper_nouns


def has_fixed_case(word: str) -> bool:
    """Acronyms (DNA, U.S.), inner capitals (fMRI, McDonald) and letters
    mixed with digits (H2O, p53): case no style may change."""
    letters = [ch for ch in word if ch.isalpha()]
    if len(word) < 2 or not letters:
        return False
    inner_capital = any(ch.isupper() for ch in letters[1:])
    mixed_digits = any(ch.isdigit() for ch in word)
    return inner_capital or mixed_digits


def is_title_case(words: list[str]) -> bool:
    """Whether more than half of a title's ordinary words after the first
    (not small words, not fixed-case words; at least two of them) start with
    a capital. A title too short to tell counts as sentence case, whose
    braces keep every capital: the safe side."""
    content = [w for w in words[1:] if w.isalpha() and len(w) > 1
               and w.lower() not in SMALL_WORDS and not has_fixed_case(w)]
    return len(content) >= 2 and 2 * sum(w[0].isupper() for w in content) > len(content)


def proper_nouns(titles: Iterable[str]) -> frozenset[str]:
    """Words written with a capital inside sentence-case titles — not the
    first word, not a subtitle's first word: names such as Parkinson, which
    a title-case title of the same bibliography must keep too."""
    found: set[str] = set()
    for title in titles:
        matches = list(_WORD.finditer(title))
        if is_title_case([m.group(0) for m in matches]):
            continue
        for match in matches[1:]:
            word = match.group(0)
            if (len(word) > 1 and word[0].isupper() and not has_fixed_case(word)
                    and not _SENTENCE_END.search(title[:match.start()])):
                found.add(word)
    return frozenset(found)


def _braced(text: str) -> str:
    """`text` in braces; doubled for non-ASCII text, which ASCII output writes
    as an accent command ({\\'E}) that BibTeX would otherwise lowercase."""
    return "{" + text + "}" if text.isascii() else "{{" + text + "}}"
