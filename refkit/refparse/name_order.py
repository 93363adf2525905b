"""An author list printed initials first ends on a family name.

"I. Antoniadis, J. Rizos, K. Tamvakis Singularity-free cosmological
solutions…": with no stop between the last author and the title, the CRF,
which sees two tokens either side, often ends the authors at "K." and opens
the title with "Tamvakis". A list whose names are printed "K. Family" cannot
end on an initial, so the word after it is the last author's family name.
"""

from __future__ import annotations

from collections.abc import Sequence

_NAME_ENDS = frozenset({",", "and", "&", ";"})
_TITLE_LEFT = 3  # words the title must keep for the mend to be sure


def end_on_family(words: Sequence[str], labels: list[str]) -> list[str]:
    """`labels` with the first author list ending on a family name when it
    is printed initials first and the CRF ended it on an initial, giving the
    family name to the title (see the module's docstring)."""
    first = labels.index("author") if "author" in labels else -1
    if first < 0:
        return labels
    end = first
    while end < len(labels) and labels[end] == "author":
        end += 1
    family = end + 1
    if not (_is_initial(words[end - 1]) and family + 1 < len(words) and words[end] == "."
            and labels[end] != "author" and _is_word(words[family]) and labels[family] == "title"
            and _initials_first(words, first, end) and _title_words(words, labels, family + 1) >= _TITLE_LEFT):
        return labels
    mended = list(labels)
    mended[end] = mended[family] = "author"
    return mended


def _initials_first(words: Sequence[str], first: int, end: int) -> bool:
    """Whether the list opens with an initial and holds a whole name printed
    "K. Family" before a separator ("K. Tamvakis," or "K. Tamvakis and")."""
    return _is_initial(words[first]) and any(_is_initial(words[i]) and words[i + 1] == "." and _is_word(words[i + 2])
               and words[i + 3] in _NAME_ENDS for i in range(first, end - 3))


def _title_words(words: Sequence[str], labels: Sequence[str], start: int) -> int:
    """How many words the title span holds from `start`."""
    count = 0
    for word, label in zip(words[start:], labels[start:]):
        if label != "title":
            break
        count += word[0].isalnum()
    return count


def _is_initial(word: str) -> bool:
    return len(word) == 1 and word.isupper()


def _is_word(word: str) -> bool:
    """A capitalised word of letters, as a family name is printed."""
    return len(word) > 1 and word.isalpha() and word[0].isupper()
