"""`refkit index`: build, extend and describe a local snapshot of Crossref
(an index of its public data file) that `--source INDEX` answers from."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click

from refkit.errors import RefkitError
from refkit.resolving.snapshot.build import BuildResult, Progress, build_index
from refkit.resolving.snapshot.store import SnapshotStore
from refkit.terminal import say


@click.group()
def index() -> None:
    """Build and inspect a local snapshot of Crossref (its public data file,
    indexed), so that check, export, build and zotero check can verify with
    --source INDEX: no network, no rate limits.

    \b
    Examples:
      refkit index build crossref-2025/ -o crossref.idx
      refkit index build April-2024-public-data-file.tar -o crossref.idx
      refkit index build updates/ -o crossref.idx      (extend: newer records win)
      refkit index info crossref.idx
      refkit check paper.pdf --source crossref.idx
    """


@index.command("build")
@click.argument("dumps", nargs=-1, required=True, metavar="DUMP...")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False),
              help="The index file to create, resume or extend.")
@click.option("-j", "--workers", type=click.IntRange(1, 64),
              help="Processes reading data files in parallel (default: the cores, up to 4).")
@click.option("--progress/--no-progress", default=None,
              help="Show a progress bar on stderr (default: on a terminal).")
def build(dumps: tuple[str, ...], output: str, workers: int | None, progress: bool | None) -> None:
    """Index Crossref's public data file DUMP... into OUTPUT.

    DUMP is the folder of data files (N.json.gz of {"items": [...]} up to
    2024, JSON Lines from 2025, gzipped or not), some of those files, the
    distributed tar (read as a stream, never unpacked), or - for a tar on
    standard input. Each record is kept slim (what matching and the
    bibliography need, compressed; ~0.4-0.6 KB a record with its index).

    \b
    An interrupted build resumes: run the same command again; files already
    stored are skipped. Running it with a newer dump or a folder of updated
    records extends the index: the copy Crossref indexed last wins.
    """
    for dump in dumps:
        if dump != "-" and not Path(dump).exists():
            raise RefkitError(f"{dump}: no such file or folder")
    started = time.perf_counter()
    with _bar(progress) as show:
        result = build_index(list(dumps), output, workers, show)
    _report(result, output, time.perf_counter() - started)


@index.command("info")
@click.argument("index_file", metavar="INDEX", type=click.Path(exists=True, dir_okay=False))
def info(index_file: str) -> None:
    """Say what the snapshot INDEX holds: records, the dump's date, size, files read."""
    with SnapshotStore(index_file) as store:
        meta = store.meta()
        parts = len(store.parts_read())
        skipped = store.skipped()
        records = store.count()
    size = Path(index_file).stat().st_size
    click.echo(f"index:     {index_file}")
    click.echo(f"records:   {records:,}")
    click.echo(f"dump date: {(meta.get('dump-date') or 'unknown')[:10]} (latest record indexed by Crossref)")
    click.echo(f"size:      {_size(size)} ({size / max(records, 1):,.0f} bytes a record)")
    click.echo(f"files:     {parts:,} data files read, {skipped:,} unreadable records skipped")
    click.echo(f"format:    {meta.get('format', '?')}")


class _bar:
    """A click progress bar over the dump's bytes, showing records and records/s;
    a plain counter line when the size is unknown (a tar on stdin)."""

    def __init__(self, wanted: bool | None) -> None:
        self.show = wanted if wanted is not None else sys.stderr.isatty()
        self._bar = None
        self._started = time.perf_counter()
        self._done = 0

    def __enter__(self) -> "_bar | None":
        return self if self.show else None

    def __call__(self, progress: Progress) -> None:
        if self._bar is None:
            self._bar = click.progressbar(length=max(progress.bytes_total, 1), label="indexing",
                                          file=sys.stderr, item_show_func=self._rate, show_eta=True)
            self._bar.__enter__()
        self._records = progress.records
        step = progress.bytes_done - self._done
        self._done = progress.bytes_done
        self._bar.update(max(step, 0), progress)

    def _rate(self, progress: Progress | None) -> str:
        if progress is None:
            return ""
        rate = progress.records / max(time.perf_counter() - self._started, 1e-9)
        return f"{progress.records:,} records, {rate:,.0f}/s"

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.__exit__(*exc)


def _report(result: BuildResult, output: str, seconds: float) -> None:
    stored = result.added + result.replaced
    click.echo(f"{output}: {result.added:,} records added, {result.replaced:,} replaced by newer copies, "
               f"{result.kept:,} older copies ignored, from {result.parts_read:,} data files "
               f"({result.parts_skipped:,} already read) in {seconds:.1f} s "
               f"({stored / max(seconds, 1e-9):,.0f} records/s)", err=True)
    if result.skipped_records:
        say("warning", f"{result.skipped_records:,} unreadable records skipped:")
        for problem in result.problems:
            click.echo(f"  {problem}", err=True)
    if not result.parts_read and not result.parts_skipped:
        raise RefkitError("no data files found: give the folder of Crossref data files "
                          "(N.json.gz or .jsonl[.gz]) or the tar")


def _size(size: int) -> str:
    for unit in ("B", "KB", "MB", "GB", "TB"):
        if size < 1000 or unit == "TB":
            return f"{size:,.0f} {unit}" if unit == "B" else f"{size:,.1f} {unit}"
        size /= 1000
    return str(size)
