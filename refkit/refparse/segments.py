"""Cut a reference's tokens into segments and describe each segment.

A segment runs between strong separators: a full stop ending a sentence, a
colon, semicolon, question or exclamation mark, an opening or closing
bracket or quote, or a wide gap of spaces. A title, a list of authors and a
journal's name each fill a segment of their own kind (long and mostly lower
case; names and initials; few words, capitalised and abbreviated), which the
labeller, seeing two tokens either side, cannot tell from a window; each
token is given its segment's description.
"""

from __future__ import annotations

import sys
from typing import NamedTuple

from refkit.refparse.tokens import Token

OPENING, CLOSING = "([{", ")]}"
QUOTES = "\"“”«»‘’'"
_STOPS = ".:;?!"

# What a word is, as bits (a word's own, cached with its other features)
CAPITAL, JOURNAL, NAME, PUBLISHER, DIGITS, YEAR, GROUP = 1, 2, 4, 8, 16, 32, 64
ABBREVIATION = 128  # a journal word's printed abbreviation ("Phys", "Rev"), not a whole word
WORD = 256  # a word, number or link: what a segment's counts are over (punctuation is none)


class Segment(NamedTuple):
    """Where a segment stands and what it holds."""

    first: int  # index of its first token
    end: int  # index after its last token
    index: int  # segments before it
    words: int
    counts: tuple[int, ...]  # words with each bit of `kinds`


def quote_toggles(tokens: list[Token], i: int) -> bool:
    """Whether the quote mark at `i` opens or closes a quotation (an
    apostrophe inside a word does neither)."""
    text = tokens[i].text
    following = tokens[i + 1] if i + 1 < len(tokens) else None
    return text not in "'’" or tokens[i].spaced or bool(following and following.spaced)


def ends_sentence(word: str) -> bool:
    """Whether a full stop after `word` may end a sentence (not an initial)."""
    return len(word) > 1 or word.isdigit() or not word.isupper()


def segments(tokens: list[Token], kinds: list[int]) -> list[Segment]:
    """The segments of `tokens`, with counts of the words with each kind bit
    (`kinds`: bits per token, see CAPITAL etc.); punctuation alone between
    two cuts ("(1992)." ) stays with the segment before it."""
    cuts = _cuts(tokens, kinds)
    out: list[Segment] = []
    for first, end in zip(cuts, cuts[1:]):
        packed = sum(map(_PACKED.__getitem__, kinds[first:end]))
        if not packed and out:  # no word
            out[-1] = out[-1]._replace(end=end)
        else:
            counts = _unpacked(packed)
            out.append(Segment(first, end, len(out), counts[-1], tuple(counts[:-1])))
    return out


_BITS = (CAPITAL, JOURNAL, NAME, PUBLISHER, DIGITS, YEAR, GROUP)
# Per kind, the counts it adds to a segment's: one for each bit of _BITS it
# has and one for a word, each in a 32-bit field of one number; punctuation
# adds none. A segment's counts are then one sum of its kinds' numbers.
_FIELD = 32
_PACKED = tuple(sum(1 << _FIELD * field for field, bit in enumerate((*_BITS, WORD)) if kind & bit)
                if kind & WORD else 0 for kind in range(2 * WORD))


def _unpacked(packed: int) -> memoryview:
    """The counts summed in `packed` (see _PACKED), words last."""
    return memoryview(packed.to_bytes(_FIELD // 8 * (len(_BITS) + 1), sys.byteorder)).cast("I")


def _abbreviation(tokens: list[Token], kinds: list[int], i: int) -> bool:
    """Whether the full stop at `i` ends an abbreviated journal word with a
    capitalised word after it ("Phys. Rev.", not "Association. Am J")."""
    return bool(kinds[i - 1] & ABBREVIATION) and kinds[i - 1] & CAPITAL and tokens[i + 1].text[0].isupper()


def _cuts(tokens: list[Token], kinds: list[int]) -> list[int]:
    """The token indexes where segments start, and the end; a full stop
    after an abbreviated journal word before a capital ("Phys. Rev.") cuts
    nothing."""
    cuts = [0]
    quoted = False
    last = len(tokens) - 1

    def cut(at: int) -> None:
        if at > cuts[-1]:
            cuts.append(at)

    previous_end = tokens[0].start if tokens else 0
    for i, token in enumerate(tokens):
        if token.start - previous_end >= 2:
            cut(i)
        previous_end = token.end
        if kinds[i] & WORD:  # a word or link: no separator
            continue
        text = token.text
        if text in OPENING:
            cut(i)
        elif text in CLOSING:
            cut(i + 1)
        elif text in QUOTES and quote_toggles(tokens, i):
            cut(i + 1 if quoted else i)
            quoted = not quoted
        elif text in _STOPS and i < last and tokens[i + 1].spaced and i and (
                text != "." or ends_sentence(tokens[i - 1].text) and not _abbreviation(tokens, kinds, i)):
            cut(i + 1)
    if cuts[-1] < len(tokens):
        cuts.append(len(tokens))
    return cuts
