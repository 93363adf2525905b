"""Build or extend a snapshot index from Crossref data files.

Data files are read and slimmed in parallel worker processes (one file per
task, a bounded number in flight, so memory stays flat whatever the dump's
size) and stored by this process one file per transaction, in dump order.
Files already stored (same name, size and time) are skipped: an interrupted
build resumes where it stopped, and a newer dump or a delta extends the
index without a rebuild, the newer copy of a DOI winning.
"""

from __future__ import annotations

import os
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator, Sequence

from refkit.resolving.snapshot.datafile import Part, files_of, is_tar, records_of, tar_parts
from refkit.resolving.snapshot.slim import doi_key, pack, search_words, slim, stamp
from refkit.resolving.snapshot.store import Row, SnapshotStore

MAX_PROBLEMS = 20  # unreadable records named in the result; the rest are counted


@dataclass
class Progress:
    """How far a build has got: bytes of the dump read, records stored."""

    bytes_done: int = 0
    bytes_total: int = 0
    records: int = 0


@dataclass
class BuildResult:
    """What a build did, for the command to report."""

    parts_read: int = 0
    parts_skipped: int = 0
    added: int = 0
    replaced: int = 0
    kept: int = 0
    skipped_records: int = 0
    problems: list[str] = field(default_factory=list)
    newest: str = ""  # the latest `indexed` stamp read: the dump's date


@dataclass
class _Slimmed:
    """A part's records, ready to store."""

    part: Part  # without its bytes
    in_tar: bool
    rows: list[Row]
    problems: list[str]
    newest: str


def build_index(dumps: Sequence[str], index: str | Path, workers: int | None = None,
                on_progress: Callable[[Progress], None] | None = None) -> BuildResult:
    """Read `dumps` (folders, data files, tars, or "-" for a tar on stdin)
    into the index at `index`, creating or extending it."""
    result = BuildResult()
    progress = Progress(bytes_total=_known_size(dumps))
    with SnapshotStore(index, writable=True) as store:
        done = store.parts_read()
        tar_read = [0]  # bytes of tars read so far
        files_read = [0]  # bytes of plain data files stored or skipped
        todo = _parts(dumps, done, result, files_read, tar_read)
        for slimmed in _slim_all(todo, workers or _default_workers()):
            _store(store, slimmed, result)
            files_read[0] += 0 if slimmed.in_tar else slimmed.part.size
            progress.bytes_done = files_read[0] + tar_read[0]
            progress.records += len(slimmed.rows)
            if on_progress:
                on_progress(progress)
        if result.parts_read:
            store.optimize()
        dated = max(result.newest, store.meta().get("dump-date", ""))
        store.set_meta(**{"dump-date": dated, "records": str(store.count())})
    return result


def _parts(dumps: Sequence[str], done: dict[str, tuple[int, int]], result: BuildResult,
           files_read: list[int], tar_read: list[int]) -> Iterator[Part]:
    """The parts still to read, in dump order; those already stored are skipped."""
    for dump in dumps:
        parts: Iterable[Part] = tar_parts(dump, tar_read) if is_tar(dump) else files_of(Path(dump))
        for part in parts:
            if done.get(part.key) == (part.size, part.mtime):
                result.parts_skipped += 1
                files_read[0] += 0 if part.data is not None else part.size
                continue
            yield part


def _slim_all(parts: Iterator[Part], workers: int) -> Iterator[_Slimmed]:
    """Slim each part, in `workers` processes (in this one when 1), results in order."""
    if workers <= 1:
        yield from map(slim_part, parts)
        return
    with ProcessPoolExecutor(max_workers=workers) as pool:
        pending: deque[Future[_Slimmed]] = deque()
        for part in parts:
            pending.append(pool.submit(slim_part, part))
            if len(pending) >= 2 * workers:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


def slim_part(part: Part) -> _Slimmed:
    """Read one data file and turn its records into rows (runs in a worker)."""
    records = records_of(part)
    rows = []
    newest = ""
    for record in records.items:
        when = stamp(record)
        newest = max(newest, when)
        small = slim(record)
        rows.append(Row(doi_key(record), when, pack(small), " ".join(search_words(small))))
    return _Slimmed(Part(part.key, part.size, part.mtime), part.data is not None, rows,
                    records.problems, newest)


def _store(store: SnapshotStore, slimmed: _Slimmed, result: BuildResult) -> None:
    part = slimmed.part
    written = store.store_part(part.key, part.size, part.mtime, slimmed.rows, len(slimmed.problems))
    result.parts_read += 1
    result.added += written.added
    result.replaced += written.replaced
    result.kept += written.kept
    result.skipped_records += len(slimmed.problems)
    result.problems.extend(slimmed.problems[:max(0, MAX_PROBLEMS - len(result.problems))])
    result.newest = max(result.newest, slimmed.newest)


def _known_size(dumps: Sequence[str]) -> int:
    """Bytes to read, 0 when unknown (a tar on standard input)."""
    total = 0
    for dump in dumps:
        if dump == "-":
            return 0
        path = Path(dump)
        total += path.stat().st_size if path.is_file() else sum(p.size for p in files_of(path))
    return total


def _default_workers() -> int:
    return max(1, min(4, (os.cpu_count() or 2)))
