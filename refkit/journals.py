"""Journal names: is a printed journal name an abbreviation?

Reference lists often print the ISO 4 / NLM abbreviation ("Australas
Psychiatry", "J Clin Psychiatry") where the full name ("Australasian
Psychiatry") belongs. Stored as the full name it would mislead every tool
downstream, so a name that reads as an abbreviation goes to the
abbreviation's place instead. Only Crossref supplies the full name; refkit
does not guess it (the word list maps full words to abbreviations, not back).

The test uses the ISSN International Centre's List of Title Word
Abbreviations (LTWA, the word list behind ISO 4 and NLM's abbreviations) as
the bibiso4 package ships it: a word is abbreviated when the LTWA gives it as
the abbreviation of a longer word ("Clin", "Psychiatr") and full when the
LTWA would shorten it ("Clinical", "Journal"). A name of two or more words
with more abbreviated words than full ones is an abbreviation. Acronyms
("JAMA Psychiatry") and one-word names ("Lancet") never are: their
abbreviation is the name itself. On the real Crossref records of
../shared/data, 0.2% of full names read as abbreviations and two in three
abbreviations that differ from the full name are recognised.
"""

from __future__ import annotations

import re
import warnings
from functools import lru_cache

# words a journal name does not count (English, French, German, Spanish function words)
FUNCTION_WORDS = frozenset(
    "a an and the of on in for from or part series section "
    "de la le les du des et der die das den dem des und von zur zum el los las y".split())
_WORD = re.compile(r"[^\W\d_]+")
# shortest stem the LTWA's stem patterns are tried with
_MIN_STEM = 3


def is_abbreviation(name: str) -> bool:
    """Whether a journal name reads as an ISO 4 / NLM abbreviation."""
    kinds = [_word_kind(w.lower()) for w in _WORD.findall(name) if w.lower() not in FUNCTION_WORDS]
    abbreviated, full = kinds.count("abbreviated"), kinds.count("full")
    return len(kinds) >= 2 and abbreviated > full


@lru_cache(maxsize=8192)
def _word_kind(word: str) -> str:
    """"abbreviated", "full" (the LTWA would shorten it) or "other"."""
    exact, stems, abbreviations = _ltwa()
    for candidate in (word, word[:-1] if word.endswith("s") else ""):
        if candidate in exact:
            return "full" if exact[candidate] not in ("", candidate) else "other"
    for end in range(len(word), _MIN_STEM - 1, -1):
        short = stems.get(word[:end])
        if short is not None:
            if short == word:
                return "abbreviated"
            return "full" if short and len(short) < len(word) else "other"
    return "abbreviated" if word in abbreviations else "other"


@lru_cache(maxsize=1)
def _ltwa() -> tuple[dict[str, str], dict[str, str], frozenset[str]]:
    """The LTWA as (whole word -> abbreviation, stem -> abbreviation, every
    abbreviation), lower case, without the periods and hyphens."""
    with warnings.catch_warnings():  # bibiso4 1.0.1 has a regex escape Python warns about
        warnings.simplefilter("ignore")
        import bibiso4  # loads its word lists on import: only when a name is tested

    def plain(value: str) -> str:
        return value.strip(".-").lower()

    exact = {k.lower(): plain(v) for k, v in bibiso4.EXACT.items()}
    stems = {k.lower(): plain(v) for k, v in bibiso4.PREFIX.items()}
    return exact, stems, frozenset(v for v in (*exact.values(), *stems.values()) if v)
