"""A large bibliography file exported in bounded batches, memory flat at any size.

Exported whole, a 100,000-entry library held every parsed entry, citation,
registered record and output entry at once (1.4 GB and more). A BibTeX
file of at least STREAM_FROM entries is instead read, resolved and prepared
BATCH entries at a time, each batch spooled to a temporary file; then the
citation keys are made unique and the title words to keep capitalised are
settled over the whole file (from the few facts kept per entry), and the
spooled entries are written out batch by batch. The output is the one
exporting the file whole gives.

Each batch is a stretch of the file as written (its `@string`, `@preamble`
and `@comment` blocks in their places, which export -t bibtex gives back),
read after the file's earlier `@string` and `@preamble` blocks, which its
entries may use. A file that needs to be seen whole is exported whole:
entries that inherit fields through `crossref`, repeated cite keys (BibTeX
keeps the first), two entries printing one DOI (RK110 compares them), text
that is not UTF-8.
"""

from __future__ import annotations

import bisect
import dataclasses
import pickle
import re
import tempfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Callable

from refkit import doi as doilib
from refkit.errors import InputError
from refkit.corpus import merge
from refkit.model import Document, Location, Resolution, Status
from refkit.pipeline import Session, exportable, progress_bar
from refkit.readers import bibtex as bibtex_reader
from refkit.readers import sniff
from refkit.readers.bibtex_source import entry_sources
from refkit.readers.source import decode, decoded, read_bytes
from refkit.resolving.shared import flag_shared_dois
from refkit.settings import Settings
from refkit.writers import bibtex, citekeys, csljson, provenance, ris, write_file
from refkit.writers.casing import proper_nouns
from refkit.writers.entry import ExportEntry, orphan_resolution, prepare_entry, text, with_key

STREAM_FROM = 5_000  # entries from which a BibTeX file is exported in batches
BATCH = 2_000  # entries read, resolved and prepared together
_MACRO = re.compile(r"@\s*(?:string|preamble)\b", re.IGNORECASE)
_CROSSREF_FIELD = re.compile(r"\bcrossref\s*=", re.IGNORECASE)
_DOI_FIELD = re.compile(r"\bdoi\s*=\s*[{\"]\s*([^}\"]+?)\s*[}\"]", re.IGNORECASE)


class Unbatchable(Exception):
    """The file turned out to need reading whole (two entries print one DOI)."""


@dataclass
class Plan:
    """A BibTeX file to export in batches: the text before its first block,
    and its blocks in order as (line, key, source, whether a macro)."""

    path: str
    head: str
    blocks: list[tuple[int, str, str, bool]]

    @property
    def entries(self) -> int:
        return sum(1 for *_, macro in self.blocks if not macro)


@dataclass
class Exported:
    """What an export in batches did, for the command's closing words."""

    written: int
    orphans: int
    unverified: int
    total: int
    unavailable_reason: str | None
    crossref_stats: dict[str, Any]


def plan(inputs: tuple[str, ...], fmt: str | None) -> Plan | None:
    """A plan when `inputs` is one large UTF-8 BibTeX file that can be
    exported in batches (see the module docstring); None otherwise."""
    if len(inputs) != 1 or not Path(inputs[0]).is_file() or fmt not in (None, "bibtex"):
        return None
    path = inputs[0]
    data = read_bytes(path)
    if (fmt or sniff(path, data)) != "bibtex" or data.count(b"@") < STREAM_FROM:
        return None
    if not decoded(path, data).is_utf8:
        return None
    text = decode(path, data)
    spans = list(bibtex_reader.entry_spans(text, with_macros=True))
    entries = [(key, source) for _, key, source in spans if not _MACRO.match(source)]
    keys = Counter(key.lower() for key, _ in entries)
    dois = Counter(doilib.normalize(m.group(1)) for _, source in entries for m in _DOI_FIELD.finditer(source))
    if (len(entries) < STREAM_FROM or any(n > 1 for n in keys.values()) or any(n > 1 for n in dois.values())
            or (_CROSSREF_FIELD.search(text) and any(_CROSSREF_FIELD.search(source) for _, source in entries))):
        return None
    head = text[:text.find(spans[0][2])].strip()
    return Plan(path, head, [(line, key, source, bool(_MACRO.match(source))) for line, key, source in spans])


def export(plan: Plan, settings: Settings, out_format: str, output: str | None,
           options: dict[str, Any], progress: bool | None) -> Exported:
    """Export `plan`'s file to `output` (stdout when None) as `out_format`
    with the writer's `options`, in batches; Unbatchable when it needs
    reading whole after all (nothing is written then)."""
    pattern = str(options.get("key_pattern") or citekeys.DEFAULT_PATTERN)
    mode = provenance.check_mode(str(options.get("provenance") or provenance.DEFAULT_MODE))
    citekeys.check_pattern(pattern)
    unicode = bool(options.get("unicode", True))

    def spooled_form(entry: ExportEntry) -> ExportEntry | bibtex.KeyedText:
        """What is spooled of an entry: a .bib entry's text itself when
        writing BibTeX, else what a writer reads of it (see `_lean`)."""
        return (out_format == "bibtex" and bibtex.keyed_text(entry, unicode)) or _lean(entry)

    with tempfile.TemporaryFile() as spool, Session(settings) as session:
        facts = _prepare(plan, session, spool, _Spooler(pattern, mode, spooled_form), progress)
        keys = citekeys.unique_keys(facts.bases)
        names = proper_nouns(facts.titles) if out_format == "bibtex" and facts.cased_later else frozenset()
        write_file(output or "-", _text(out_format, _spooled(spool, keys), names, options), inputs=[plan.path])
        return Exported(len(keys) - facts.orphans, facts.orphans, facts.unverified, facts.total,
                        session.client.unavailable_reason, session.stats())


@dataclass
class _Facts:
    """What the whole file's output needs of each entry, kept while the rest is spooled."""

    bases: list[tuple[str, str]] = dataclasses.field(default_factory=list)
    titles: list[str] = dataclasses.field(default_factory=list)
    cased_later: bool = False  # whether an entry's title casing waits for every title of the file
    orphans: int = 0
    unverified: int = 0
    total: int = 0


@dataclass
class _Spooler:
    """How entries are prepared and spooled: key pattern, provenance mode,
    and the form an entry is spooled in."""

    pattern: str
    mode: str
    form: Callable[[ExportEntry], ExportEntry | bibtex.KeyedText]


def _prepare(plan: Plan, session: Session, spool: IO[bytes], spooler: _Spooler,
             progress: bool | None) -> _Facts:
    """Read, resolve and prepare the file batch by batch into `spool`."""
    facts = _Facts()
    seen_dois: set[str] = set()
    orphans = []
    with progress_bar(plan.entries, progress, "resolving references") as tick:
        for document in _documents(plan):
            corpus = merge([document])
            _one_file_dois(corpus.citations, seen_dois)
            resolutions = session.resolve(corpus.citations, tick)
            flag_shared_dois(resolutions)
            facts.total += len(resolutions)
            facts.unverified += sum(1 for r in resolutions if r.status is Status.UNVERIFIED)
            orphans += corpus.orphan_notes
            _spool(exportable(resolutions), spool, facts, spooler)
    facts.orphans = len(orphans)
    _spool([orphan_resolution(note) for note in orphans], spool, facts, spooler)
    return facts


def _one_file_dois(citations: list, seen: set[str]) -> None:
    """Refuse batches when an entry prints a DOI an earlier batch printed (RK110 needs both)."""
    dois = {doilib.normalize(c.doi) for c in citations if c.doi}
    if dois & seen:
        raise Unbatchable()
    seen |= dois


def _spool(resolutions: list[Resolution], spool: IO[bytes], facts: _Facts, spooler: _Spooler) -> None:
    entries = [prepare_entry(r, "", spooler.mode) for r in resolutions]
    facts.bases += [citekeys.key_basis(r, spooler.pattern) for r in resolutions]
    facts.titles += [text(entry.item, "title") for entry in entries]
    spooled = [spooler.form(entry) for entry in entries]
    facts.cased_later = facts.cased_later or any(isinstance(entry, ExportEntry) for entry in spooled)
    pickle.dump(spooled, spool, protocol=pickle.HIGHEST_PROTOCOL)


def _lean(entry: ExportEntry) -> ExportEntry:
    """`entry` keeping of its resolution only what a writer reads once the
    entry is prepared (the citation, the status, the DOI), not the
    registry's whole record: half the cost of spooling it."""
    resolution = entry.resolution
    if resolution is not None:
        work = dataclasses.replace(resolution.work, data={"DOI": resolution.work.doi}, raw=None)
        entry.resolution = Resolution(resolution.citation, work, resolution.status)
    return entry


def _spooled(spool: IO[bytes], keys: list[str]) -> Iterator[list[ExportEntry | bibtex.KeyedText]]:
    """The spooled batches again, each entry under its unique key."""
    spool.seek(0)
    done = 0
    while done < len(keys):
        batch = pickle.load(spool)
        yield [_keyed(entry, key) for entry, key in zip(batch, keys[done:done + len(batch)])]
        done += len(batch)


def _keyed(entry: ExportEntry | bibtex.KeyedText, key: str) -> ExportEntry | bibtex.KeyedText:
    if isinstance(entry, ExportEntry):
        return with_key(entry, key)
    entry.key = key
    return entry


def _text(out_format: str, batches: Iterator[list[ExportEntry | bibtex.KeyedText]], names: frozenset[str],
          options: dict[str, Any]) -> Iterator[str]:
    """The writer of `out_format` over the batches, with its own options."""
    writers: dict[str, Callable[[], Iterator[str]]] = {
        "bibtex": lambda: bibtex.stream(batches, unicode=bool(options.get("unicode", True)), names=names),
        "ris": lambda: ris.stream(batches, crlf=bool(options.get("crlf", False))),
        "csljson": lambda: csljson.stream(batches),
    }
    return writers[out_format]()


def _documents(plan: Plan) -> Iterator[Document]:
    """The file as documents of BATCH entries each, read by the BibTeX reader,
    their lines and blocks as in the whole file (see the module docstring)."""
    carried: list[str] = []  # blocks after a batch's last entry: in the whole file, the next entry's
    groups = _groups(plan.blocks)
    for number, (start, end) in enumerate(groups):
        context = [source for _, _, source, macro in plan.blocks[:start] if macro]
        parts = [(1, plan.head)] if start == 0 and plan.head else []
        parts += [(line, source) for line, _, source, _ in plan.blocks[start:end]]
        spans, line = [], sum(source.count("\n") + 1 for source in context) + 1
        for original, source in parts:
            spans.append((line, original))
            line += source.count("\n") + 1
        try:
            document = bibtex_reader.read(plan.path, "\n".join(context + [p for _, p in parts]).encode("utf-8"))
        except InputError:  # a batch of nothing but unreadable entries: the whole file tells it better
            raise Unbatchable() from None
        carried = _settle_blocks(document, _block_count(context), carried, last=number == len(groups) - 1)
        yield _relocated(document, spans)


def _groups(blocks: list[tuple[int, str, str, bool]]) -> list[tuple[int, int]]:
    """(start, end) of each stretch of blocks holding BATCH entries, ending
    after an entry; the blocks after the last entry go with the last stretch."""
    groups, start, count = [], 0, 0
    for index, (*_, macro) in enumerate(blocks):
        count += not macro
        if count == BATCH:
            groups.append((start, index + 1))
            start, count = index + 1, 0
    if start < len(blocks):
        if count or not groups:
            groups.append((start, len(blocks)))
        else:
            groups[-1] = (groups[-1][0], len(blocks))
    return groups


def _block_count(context: list[str]) -> int:
    """How many blocks an export gives back for `context` (the earlier macros
    a batch is read after), found as the blocks before a probe entry."""
    if not context:
        return 0
    probe = entry_sources("\n".join(context) + "\n@misc{refkit-probe,}\n")
    return len(probe["refkit-probe"].before) if "refkit-probe" in probe else 0


def _settle_blocks(document: Document, context: int, carried: list[str], last: bool) -> list[str]:
    """Give the batch's entries their blocks as in the whole file: the first
    entry loses the `context` macro blocks the batch was read after and gains
    those `carried` from the previous batch; the blocks after the last entry
    are carried on to the next batch (unless this is the last). Returns them."""
    sources = [c.extra["bibtex-source"] for c in document.citations if "bibtex-source" in c.extra]
    if not sources:
        return carried
    sources[0].before = carried + sources[0].before[context:]
    if last:
        return []
    after, sources[-1].after = sources[-1].after, []
    return after


def _relocated(document: Document, spans: list[tuple[int, int]]) -> Document:
    """`document` with every line read from a batch moved to its line in the
    file (`spans`: each part's first line in the batch and in the file)."""
    starts = [batch_line for batch_line, _ in spans]

    def moved(where: Location | None) -> Location | None:
        if where is None or where.line is None:
            return where
        index = max(0, bisect.bisect_right(starts, where.line) - 1)
        return dataclasses.replace(where, line=spans[index][1] + where.line - starts[index])

    for citation in document.citations:
        citation.source = moved(citation.source)
        citation.notes = [dataclasses.replace(note, source=moved(note.source)) for note in citation.notes]
    first = spans[0][0] if spans else 1
    document.findings = [f for f in document.findings  # about the macros read first: said by their own batch
                         if f.source is None or f.source.line is None or f.source.line >= first]
    for finding in document.findings:
        finding.source = moved(finding.source)
    return document
