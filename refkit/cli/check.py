"""`refkit check`: verify every cited DOI against Crossref and report
missing, wrong and mismatched ones, like a linter (codes in FINDINGS.md).

The work is done by refkit.corpus (reading), refkit.resolve (deciding) and
refkit.report (rendering); this module only wires them to the command line
and turns the report into the exit status: 0 clean, 1 findings at or above
--fail-on, 2 usage or input error, 3 some references unverified.
"""

from __future__ import annotations

import sys
from contextlib import contextmanager
from typing import Any, Callable, Iterator

import click

from refkit.cli.options import client_from, crossref_options, settings_from
from refkit.corpus import expand_paths, read_corpus
from refkit.model import Resolution, Status
from refkit.readers import FORMATS
from refkit.report import Report, code_selector
from refkit.resolve import resolve
from refkit.writers import write_file

# Show a progress bar (on a terminal) from this many citations on.
PROGRESS_FROM = 20


def _codes(ctx: click.Context, param: click.Parameter, value: tuple[str, ...]) -> tuple[str, ...]:
    try:
        return tuple(code_selector(value))
    except ValueError as exc:
        raise click.BadParameter(str(exc), ctx=ctx, param=param) from None


@click.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(exists=True), metavar="FILE_OR_DIR...")
@click.option("--from", "fmt", type=click.Choice(FORMATS), help="Read every file as this format (default: sniffed).")
@click.option("--format", "out_format", type=click.Choice(["table", "json", "github"]), default="table",
              show_default=True, help="table: for people; json: the documented report schema; "
                                      "github: GitHub Actions annotations.")
@click.option("--fail-on", type=click.Choice(["error", "warning", "info"]), default="error", show_default=True,
              help="Exit 1 when a finding of this severity or worse is reported.")
@click.option("--select", multiple=True, callback=_codes, metavar="CODES",
              help="Report only these codes, names or prefixes (RK103, doi-corrected, RK2; comma lists).")
@click.option("--ignore", multiple=True, callback=_codes, metavar="CODES",
              help="Do not report these codes, names or prefixes.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write the report to this file.")
@click.option("--progress/--no-progress", default=None,
              help="Show a progress bar on stderr (default: on a terminal, for long lists).")
@crossref_options
def check(inputs: tuple[str, ...], fmt: str | None, out_format: str, fail_on: str,
          select: tuple[str, ...], ignore: tuple[str, ...], output: str | None,
          progress: bool | None, **crossref: Any) -> None:
    """Check the references in FILE_OR_DIR... (directories are walked):
    verify printed DOIs against Crossref, propose validated corrections for
    wrong ones, find missing ones, and flag metadata that differs.

    \b
    Exit status: 0 nothing at or above --fail-on; 1 findings at or above it;
    2 usage or input error; 3 some references could not be verified (RK501:
    Crossref unreachable or --offline without cached answers) and nothing worse.

    \b
    Examples:
      refkit check examples/ketamine-bpd-review.pdf.txt
      refkit check paper.pdf --format github --fail-on warning
      refkit check refs.bib --select RK1 --ignore RK107 --format json -o report.json
    """
    settings = settings_from(crossref)
    files = expand_paths(inputs)
    corpus = read_corpus(files, fmt)
    client = client_from(settings)
    try:
        with _progress_bar(len(corpus.citations), progress) as tick:
            resolutions = resolve(corpus.citations, client, progress=tick)
        stats = client.stats.as_dict()
    finally:
        client.close()
        if client.cache is not None:
            client.cache.close()
    report = Report(resolutions, corpus.findings, select=select, ignore=ignore, crossref_stats=stats)
    text = report.render(out_format)
    if output:
        write_file(output, text, inputs=files)
    else:
        click.echo(text, nl=False)
    if output or out_format != "table":
        click.echo(report.summary_line(), err=True)
    _warn_unverified(resolutions, client.unavailable_reason)
    sys.exit(report.exit_code(fail_on))


@contextmanager
def _progress_bar(total: int, wanted: bool | None) -> Iterator[Callable[[int], None] | None]:
    """A click progress bar's `update` on stderr when asked, or by default
    on a terminal for long lists; otherwise None."""
    show = wanted if wanted is not None else (sys.stderr.isatty() and total >= PROGRESS_FROM)
    if not show or total == 0:
        yield None
        return
    with click.progressbar(length=total, label="checking references", file=sys.stderr) as bar:
        yield bar.update


def _warn_unverified(resolutions: list[Resolution], reason: str | None) -> None:
    """Say plainly on stderr when Crossref could not be asked: never a silent pass."""
    unverified = sum(1 for r in resolutions if r.status is Status.UNVERIFIED)
    if unverified:
        click.echo(f"refkit: warning: {unverified} of {len(resolutions)} references could not be "
                   f"verified ({reason or 'Crossref did not answer'}); they rest on the documents "
                   "alone (RK501). Answers received so far are cached: re-run to resume.", err=True)
