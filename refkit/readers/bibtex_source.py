"""A .bib file's entries as written, so `export -t bibtex` can give them back
with every field kept: field names and values exactly as in the file (LaTeX,
math, macros, `#` concatenations, braces or quotes), and the blocks between
entries (`@string`, `@preamble`, `@comment`, free text) in their places.

bibtexparser (v2) splits the file; with no middleware its values are the
source text itself. pybtex, which refkit reads the entries' meaning with,
expands macros and drops everything but entries, so it cannot do this.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import bibtexparser
import pybtex.errors
from bibtexparser.model import Entry, ExplicitComment, ImplicitComment, Preamble, String
from pybtex.database.input.bibtex import Parser
from pybtex.scanner import PybtexSyntaxError

# the blocks between entries that are kept in place (a block bibtexparser
# could not split is not, nor an @string or @preamble pybtex cannot read:
# the reader reports them, RK403)
_KEPT_BLOCKS = (String, Preamble, ExplicitComment, ImplicitComment)


@dataclass
class EntrySource:
    """One entry as written: its type and key, its fields (name, value as
    written, enclosing braces or quotes included), the non-entry blocks just
    before it (and, for the file's last entry, those after it)."""

    entry_type: str
    key: str
    fields: list[tuple[str, str]]
    before: list[str] = field(default_factory=list)
    after: list[str] = field(default_factory=list)


def entry_sources(text: str, readable: set[str] | None = None) -> dict[str, EntrySource]:
    """Cite key (lower case) -> the entry as written, for every entry
    bibtexparser can split; blocks it cannot split are left out (the reader
    reports them, RK403). The blocks before an entry not in `readable`
    (lower-case keys the reader could read) go with the next one, so an
    @string a later entry uses is not lost with a broken entry."""
    library = bibtexparser.parse_string(text, parse_stack=[])
    out: dict[str, EntrySource] = {}
    waiting: list[str] = []
    last: EntrySource | None = None
    for block in library.blocks:
        if isinstance(block, Entry) and readable is not None and block.key.lower() not in readable:
            continue
        if isinstance(block, Entry):
            last = EntrySource(_written_type(block), block.key,
                               [(f.key, str(f.value)) for f in block.fields], before=waiting)
            out.setdefault(block.key.lower(), last)
            waiting = []
        elif isinstance(block, _KEPT_BLOCKS) and block.raw.strip() and not _looks_like_an_entry(block):
            waiting += _as_pybtex_reads(block)
    if last is not None:
        last.after = waiting
    return out


def _looks_like_an_entry(block: object) -> bool:
    """Free text between entries holding an @ (a damaged "@com ment{") or a
    brace (the rest of a broken entry): BibTeX and pybtex would take it for
    (part of) an entry, so it is not given back."""
    return isinstance(block, ImplicitComment) and any(ch in block.raw for ch in "@{}")


def _as_pybtex_reads(block: ExplicitComment | ImplicitComment | Preamble | String) -> list[str]:
    """A block between entries as it is given back: as written, unless it is
    an @string or @preamble that bibtexparser split but pybtex cannot read
    (a stray character after its value; the reader reports it, RK403), which
    would make the exported file unreadable to BibTeX and pybtex: of such an
    @string, the definition pybtex read before the damage (entries may use
    it); of such an @preamble, nothing."""
    raw = block.raw.strip()
    if not isinstance(block, (String, Preamble)):
        return [raw]
    parser = Parser()
    defaults = set(parser.macros)
    with pybtex.errors.capture() as errors:
        try:
            parser.parse_string(raw)
        except PybtexSyntaxError as exc:
            errors.append(exc)
    if not any(isinstance(error, PybtexSyntaxError) for error in errors):
        return [raw]
    return [f"@string{{{name} = {{{value}}}}}" for name, value in parser.macros.items() if name not in defaults]


def _written_type(entry: Entry) -> str:
    """The entry type as the file spells it (@Article stays Article)."""
    raw = entry.raw.lstrip()[1:]
    spelled = raw.split("{", 1)[0].split("(", 1)[0].strip()
    return spelled if spelled.lower() == entry.entry_type.lower() else entry.entry_type
