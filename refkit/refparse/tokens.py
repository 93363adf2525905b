"""Cut a reference string into the tokens the sequence labeller reads.

A token is a run of letters, a run of digits, or one punctuation character; a DOI,
web address or identifier (see `links`) is one token, so the labeller sees
"doi:10.1000/x" as a single link and never as numbers and full stops.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from refkit.refparse.links import link_spans

# letters and digits are separate tokens: "D53" and "Phys.Rev.D53" print a
# journal's section letter against its volume; "1991a", "p1914", "20May2006";
# each with the spaces before it, which tell where it starts and whether it is spaced
_PIECE = re.compile(r"(\s*)([^\W\d_]+|\d+|\S)")
# Markdown emphasis, as text made from HTML or PDF marks a journal or a book: *Brain Res*, _Nature_
_EMPHASIS = re.compile(r"(?<![\w*])([*_])(?=[^\s*_])(.+?)(?<=[^\s*_])\1(?![\w*])")


class Token(NamedTuple):
    """One token: its text, where it stands in the string, and whether a
    space comes before it."""

    text: str
    start: int
    end: int
    spaced: bool
    link: bool = False
    emphasis: bool = False


def without_emphasis(text: str) -> tuple[str, list[tuple[int, int]]]:
    """`text` without markdown emphasis markers, and where the emphasised
    stretches stand in what is left."""
    if "*" not in text and "_" not in text:
        return text, []  # no marker: most references are spared the search
    pieces, emphasised, position, length = [], [], 0, 0
    for m in _EMPHASIS.finditer(text):
        pieces += [text[position:m.start()], m.group(2)]
        length += m.start() - position
        emphasised.append((length, length + len(m.group(2))))
        length += len(m.group(2))
        position = m.end()
    pieces.append(text[position:])
    return "".join(pieces), emphasised


def tokenize(text: str, emphasised: list[tuple[int, int]] | tuple = ()) -> list[Token]:
    """The tokens of `text`, in order, with their character offsets; those
    inside an `emphasised` (start, end) stretch are marked."""
    tokens: list[Token] = []
    position = 0
    for start, end in link_spans(text) if _may_hold_links(text) else ():
        _add_pieces(tokens, text, position, start)
        tokens.append(Token(text[start:end], start, end, _spaced(text, start), True))
        position = end
    _add_pieces(tokens, text, position, len(text))
    return _mark_emphasis(tokens, sorted(emphasised)) if emphasised else tokens


def _mark_emphasis(tokens: list[Token], spans: list[tuple[int, int]]) -> list[Token]:
    """`tokens` with those inside one of the ordered, separate `spans` marked:
    both are walked once in order (the first span not ending before a token
    is the only one that can hold it)."""
    marked, at = [], 0
    for token in tokens:
        while at < len(spans) and spans[at][1] < token.end:
            at += 1
        inside = at < len(spans) and spans[at][0] <= token.start
        marked.append(token._replace(emphasis=inside))
    return marked


def _may_hold_links(text: str) -> bool:
    """A cheap test that spares most strings the link search."""
    return any(mark in text for mark in ("10.", "/", "www", "PM", "ISBN", "ISSN", "isbn", "arXiv", "arxiv"))


def _add_pieces(tokens: list[Token], text: str, start: int, end: int) -> None:
    """The tokens of text[start:end]. Their offsets are counted from the
    lengths findall() gives, not asked of a match object each, and each is
    made with tuple.__new__: a NamedTuple's own __new__ is a Python call,
    which cost as much as the rest of the loop."""
    position = start
    for space, piece in _PIECE.findall(text, start, end):
        spaced = bool(space) or position == start and _spaced(text, start)
        position += len(space)
        tokens.append(_NEW(Token, (piece, position, position + len(piece), spaced, False, False)))
        position += len(piece)


_NEW = tuple.__new__


def _spaced(text: str, start: int) -> bool:
    return start == 0 or text[start - 1].isspace()
