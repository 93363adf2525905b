"""`refkit check`: verify every cited DOI against Crossref and report
missing, wrong and mismatched ones, like a linter (codes in FINDINGS.md).

The work is done by refkit.corpus (reading), refkit.resolving.resolver (deciding) and
refkit.report (rendering); this module only wires them to the command line
and turns the report into the exit status: 0 clean, 1 findings at or above
--fail-on, 2 usage or input error, 3 some references unverified.
"""

from __future__ import annotations

import sys
from typing import Any

import click

from refkit.cli.messages import info, paint_severities

from refkit.cli.options import (
    bibliography_input_options,
    cited_from,
    cited_options,
    crossref_options,
    inputs_or_bibliographies,
    report_options,
    settings_from,
)
from refkit.console import use_color
from refkit.pipeline import read_and_resolve, warn_unverified
from refkit.report import Report
from refkit.terminal import json_escaped, printable
from refkit.writers import write_file


@click.command()
@report_options
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write the report to this file.")
@bibliography_input_options
@cited_options
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
      refkit check refs.bib --aux paper.aux        # only the entries the paper cites
      refkit check --aux paper.aux                 # in the .bib files its \\bibdata names
    """
    cited = cited_from(crossref)
    inputs = inputs_or_bibliographies(inputs, cited)
    run = read_and_resolve(inputs, fmt, settings_from(crossref), progress, "checking references", cited,
                           reported=True)
    report = Report(run.resolutions, run.corpus.findings, select=select, ignore=ignore,
                    crossref_stats=run.crossref_stats)
    text = report.render(out_format)
    text = json_escaped(text) if out_format == "json" else printable(text)  # no terminal escapes from input
    if output:
        write_file(output, text, inputs=run.files)
    else:
        click.echo(paint_severities(text) if out_format == "table" else text, nl=False, color=use_color())
    if output or out_format != "table":
        info(report.summary_line())
    warn_unverified(run)
    sys.exit(report.exit_code(fail_on))
