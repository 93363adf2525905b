"""Accent folding, in one place: comparing names and titles (Więdłocha =
Wiedlocha, Müller = Muller) and making ASCII citation keys need the same
letters undone, including those Unicode decomposition leaves alone (ł, ø, ß)."""

from __future__ import annotations

import unicodedata

# letters that NFKD does not reduce to a base letter plus marks
_LETTERS = str.maketrans({
    "ß": "ss", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ø": "o", "Ø": "O", "ł": "l", "Ł": "L",
    "đ": "d", "Đ": "D", "ð": "d", "Ð": "D", "þ": "th", "Þ": "Th", "ı": "i", "ŀ": "l", "ŋ": "ng",
    "’": "'",
})


def strip_accents(text: str) -> str:
    """`text` with accents and special Latin letters reduced to plain letters
    (case kept; scripts without a Latin form are left as they are)."""
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text.translate(_LETTERS))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def ascii_fold(text: str) -> str:
    """`text` reduced to ASCII: accents dropped, ß → ss, ø → o; characters
    with no ASCII form are removed."""
    return "".join(ch for ch in strip_accents(text) if ord(ch) < 128)
