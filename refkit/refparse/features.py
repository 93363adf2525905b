"""What the sequence labeller knows about each token of a reference.

Every token gets its word, its shape (capitals, digits, punctuation, length),
what the dictionaries say about it (journal word or abbreviation, given or
family name, publisher word, place, month), the same for its neighbours two
either side, and where it stands: its position in the string, inside
brackets or quotes, after how many sentence breaks, after a year. A word's own
features depend only on its text and are cached, which keeps extraction fast.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

from refkit.refparse.tokens import Token
from refkit.refparse.years import plausible_year

_MONTHS = {"jan", "january", "feb", "february", "mar", "march", "apr", "april", "may", "jun", "june", "jul",
           "july", "aug", "august", "sep", "sept", "september", "oct", "october", "nov", "november", "dec",
           "december", "spring", "summer", "autumn", "fall", "winter"}
# Words whose role is the same in every reference, by class.
_CLASSES = {
    "vol": ("vol", "vols", "volume", "volumes", "bd", "tome", "t"),
    "no": ("no", "nos", "nr", "number", "issue", "iss", "heft", "suppl", "supplement", "part", "pt"),
    "pp": ("pp", "p", "pages", "page", "pg", "pgs", "s", "art", "article", "e"),
    "ed": ("ed", "eds", "editor", "editors", "edited", "hrsg", "hg", "dir", "coord"),
    "in": ("in", "in:"),
    "and": ("and", "et", "und", "&", "y", "e"),
    "al": ("al", "others"),
    "conf": ("proc", "proceedings", "conference", "conf", "symposium", "symp", "workshop", "congress",
             "meeting", "colloquium", "summer", "school"),
    "pub": ("press", "publishers", "publisher", "publishing", "publ", "verlag", "inc", "ltd", "co", "books",
            "edition", "edn", "ed"),
    "org": ("university", "univ", "universität", "université", "universidad", "institute", "institut",
            "dept", "department", "laboratory", "lab", "center", "centre", "school", "college"),
    "rep": ("report", "rep", "thesis", "dissertation", "phd", "ph", "msc", "master", "technical", "tech",
            "memo", "manuscript", "preprint", "working", "paper", "note", "notes", "unpublished", "draft"),
    "pre": ("arxiv", "submitted", "accepted", "preparation", "forthcoming", "print", "press", "online",
            "available", "accessed", "retrieved", "cited", "internet", "doi", "url", "pmid", "isbn"),
    "ser": ("lecture", "lect", "lncs", "series", "ser", "vol"),
}
_WORD_CLASS: dict[str, list[str]] = {}
for _name, _words in _CLASSES.items():
    for _word in _words:
        _WORD_CLASS.setdefault(_word, []).append("k:" + _name)
_OPENING, _CLOSING = "([{", ")]}"
_QUOTES = "\"“”«»‘’'"


def _lexicon(name: str) -> frozenset[str]:
    text = resources.files("refkit.refparse").joinpath("lexicon", f"{name}.txt").read_text(encoding="utf-8")
    return frozenset(text.split())


_JOURNAL = _lexicon("journal")
_GIVEN = _lexicon("given")
_FAMILY = _lexicon("family")
_PUBLISHER = _lexicon("publisher")
_PLACE = _lexicon("place")
_JOURNAL_WORDS = _lexicon("journal-words")
# Beginnings of journal words, as abbreviations print them ("Biochim", "Phys")
_ABBREVIATIONS = frozenset(w[:n] for w in _JOURNAL_WORDS for n in range(3, len(w))) - _JOURNAL_WORDS


def sequence_features(tokens: list[Token]) -> list[list[str]]:
    """One list of feature names per token."""
    n = len(tokens)
    own = [_own(t.text) if not t.link else _LINK_FEATURES for t in tokens]
    out: list[list[str]] = []
    after = _next_punctuation(tokens)
    depth = quoted = breaks = years = digits = words = 0
    before = "^"
    for i, token in enumerate(tokens):
        features = list(own[i][0])
        features += own[i - 1][1] if i else ["b:-1"]
        features += own[i - 2][2] if i > 1 else ["b:-2"]
        features += own[i + 1][3] if i + 1 < n else ["b:+1"]
        features += own[i + 2][4] if i + 2 < n else ["b:+2"]
        nxt = tokens[i + 1] if i + 1 < n else None
        features += (
            f"pos:{10 * i // n}", f"sb:{token.spaced:d}", f"sa:{nxt.spaced if nxt else 1:d}",
            f"depth:{min(depth, 2)}", f"quote:{quoted}", f"seg:{min(breaks, 5)}", f"yr:{min(years, 2)}",
            f"dg:{min(digits, 3)}", f"pb:{before}", f"pa:{after[i]}", f"wc:{min(words, 6)}",
        )
        if token.emphasis:
            features.append("em")
            if not i or not tokens[i - 1].emphasis:
                features.append("em:first")
            if not nxt or not nxt.emphasis:
                features.append("em:last")
        text = token.text
        if text.isalnum() or token.link:
            words += 1
        else:
            before, words = text, 0
        if text in _OPENING:
            depth += 1
        elif text in _CLOSING and depth:
            depth -= 1
        elif text in _QUOTES and (text not in "'’" or token.spaced or (nxt and nxt.spaced)):
            quoted = 1 - quoted
        elif text in ".:;?!" and nxt and nxt.spaced and i and _ends_sentence(tokens[i - 1].text):
            breaks += 1
        elif text.isdigit():
            digits += 1
            years += bool(len(text) == 4 and plausible_year(text))
        out.append(features)
    return out


def _next_punctuation(tokens: list[Token]) -> list[str]:
    """For each token, the next punctuation mark after it ("$" at the end)."""
    following, found = [], "$"
    for token in reversed(tokens):
        following.append(found)
        if not token.text[0].isalnum() and not token.link:
            found = token.text
    return following[::-1]


def _ends_sentence(word: str) -> bool:
    """Whether a full stop after `word` may end a sentence (not an initial)."""
    return len(word) > 1 or word.isdigit() or not word.isupper()


_LINK_FEATURES = (("s:LINK",), ("-1s:LINK",), ("-2s:LINK",), ("+1s:LINK",), ("+2s:LINK",))


@lru_cache(maxsize=65536)
def _own(text: str) -> tuple[tuple[str, ...], ...]:
    """The features of a token's text, and the same prefixed for its use as
    the neighbour one and two places before and after."""
    core = _core(text)
    extra = []
    if text.isalpha() and len(text) >= 5:
        extra.append("x:" + text[-3:].lower())
    return (tuple(core + extra), *(tuple(prefix + f for f in core) for prefix in ("-1", "-2", "+1", "+2")))


def _core(text: str) -> list[str]:
    lower = text.lower()
    features = [f"s:{_shape(text)}"]
    if not text.isdigit():
        features.append("w:" + lower)
    elif len(text) == 4 and plausible_year(text):
        features.append("year")
    if text.isalpha():
        for flag, words in (("jrn", _JOURNAL), ("giv", _GIVEN), ("fam", _FAMILY), ("pub", _PUBLISHER),
                            ("plc", _PLACE), ("jab", _ABBREVIATIONS)):
            if lower in words:
                features.append(flag)
        if lower in _MONTHS:
            features.append("mon")
    features += _WORD_CLASS.get(lower, ())
    return features


def _shape(text: str) -> str:
    """A word's form in a few letters: C capitalised, U capitals, I one
    capital, L lower case, M mixed, D digits by count, A letters and digits,
    P punctuation, H a script without case."""
    if text.isdigit():
        return f"D{min(len(text), 5)}"
    if text.isalpha():
        size = "1" if len(text) == 1 else "2" if len(text) <= 3 else "+"
        if text.islower():
            return "L" + size
        if text.isupper():
            return "I" if len(text) == 1 else "U" + size
        if text[0].isupper() and text[1:].islower():
            return "C" + size
        if not any(ch.isupper() or ch.islower() for ch in text):
            return "H"
        return "M" + size
    if text.isalnum():
        return "A" + ("d" if text[0].isdigit() else "l")
    return "P"
