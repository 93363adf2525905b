"""`refkit fix`: write the validated DOI fixes into .bib, .ris and CSL-JSON
files, changing nothing else — as `ruff --fix` or `betterbib update` do.

Each file is checked like `refkit check` does; the fixes of the selected
findings (RK103, RK104, RK105, RK106, RK110 and RK302 by default) are
written into the entries they belong to by refkit.writers.inplace (every
other byte kept), atomically and keeping the file's mode. `--diff` prints a
unified diff instead and changes nothing. The exit status is `check`'s, for
what is left once the fixes are made.
"""

from __future__ import annotations

import difflib
import shutil
import sys
from pathlib import Path
from typing import Any

import click

from refkit.cli.messages import info
from refkit.cli.options import (bibliography_input_options, cited_from, cited_options, code_list,
                                 crossref_options, inputs_or_bibliographies, settings_from)
from refkit.codes import ALL_CODES, Severity
from refkit.doi import normalize
from refkit.errors import InputError
from refkit.model import Resolution
from refkit.pipeline import Run, read_and_resolve, warn_unverified
from refkit.readers import sniff
from refkit.readers.source import STDIN, read_bytes
from refkit.report import Report, code_selector, selects
from refkit.writers import write_file
from refkit.terminal import say
from refkit.writers.inplace import DoiEdit, kept_text, require_regular, set_dois

FIXABLE = ("RK103", "RK104", "RK105", "RK106", "RK110", "RK302")
DEFAULT_FIXES = FIXABLE[:-1]  # a preprint becomes its published version only when asked (--select RK302)
EDITABLE = ("bibtex", "ris", "csljson")


def _selection(ctx: click.Context, param: click.Parameter, value: tuple[str, ...]) -> tuple[str, ...]:
    try:
        chosen = code_selector(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc), ctx=ctx, param=param) from None
    if not chosen:
        return DEFAULT_FIXES
    return tuple(c for c in FIXABLE if any(selects(t, ALL_CODES[c]) for t in chosen))


@click.command()
@click.option("--select", multiple=True, callback=_selection, metavar="CODES",
              help=f"Apply only the fixes of these codes ({', '.join(FIXABLE)}; default all but "
                   "RK302, which replaces a preprint's DOI by its published version's).")
@click.option("--diff", is_flag=True, help="Print the changes as a unified diff; change nothing.")
@click.option("--backup", is_flag=True, help="Keep the original as FILE.orig before writing.")
@click.option("--fail-on", type=click.Choice(["error", "warning", "info"]), default="error",
              show_default=True, help="Exit 1 when a finding of this severity or worse is left.")
@click.option("--ignore", multiple=True, callback=code_list, metavar="CODES",
              help="Findings of these codes, names or prefixes do not count for the exit status "
                   "(as `refkit check --ignore`).")
@bibliography_input_options
@cited_options
@crossref_options
def fix(inputs: tuple[str, ...], select: tuple[str, ...], diff: bool, backup: bool, fail_on: str,
        ignore: tuple[str, ...], fmt: str | None, progress: bool | None, **crossref: Any) -> None:
    """Fix the DOIs of the entries in FILE... (.bib, .ris, CSL-JSON) where
    refkit is sure: a wrong DOI replaced by the validated one, a missing DOI
    added, a preprint upgraded to its published version (RK302, when
    selected); a URL that is a doi.org link to the replaced DOI follows it.
    Nothing else in the file changes — not the order, comments, @string
    definitions, spacing or the case of field names.

    \b
    Exit status as `refkit check`, for the findings left after fixing: 0 none
    at or above --fail-on; 1 some; 2 usage or input error; 3 some references
    could not be verified.

    \b
    Examples:
      refkit fix refs.bib --diff              # show what would change
      refkit fix refs.bib --backup            # change it, keep refs.bib.orig
      refkit fix library.ris refs.json --select RK103,RK105
      refkit fix refs.bib --aux paper.aux     # only the entries the paper cites
      refkit fix - < refs.bib > fixed.bib     # as a filter
    """
    cited = cited_from(crossref)
    inputs = inputs_or_bibliographies(inputs, cited)
    settings = settings_from(crossref)
    status = 0
    for path in inputs:
        _require_editable(path, fmt)
        run = read_and_resolve([path], fmt, settings, progress, "checking references", cited)
        written, settled = _fix_file(run, set(select), diff, backup)
        as_is = Report(run.resolutions, run.corpus.findings, ignore=ignore)  # --diff changes nothing
        fixed = Report([_without(r, settled) for r in run.resolutions], run.corpus.findings, ignore=ignore)
        _tell_outcome(path, written, fixed, diff)
        warn_unverified(run)
        status = max(status, (as_is if diff else fixed).exit_code(fail_on))
    sys.exit(status)


def _fix_file(run: Run, codes: set[str], diff: bool, backup: bool) -> tuple[int, set[int]]:
    """Apply (or, with `diff`, show) one file's fixes; how many DOIs were
    written and the ids of the findings they settle (with `diff`: would be)."""
    document = run.corpus.documents[0]
    chosen = [(r, f) for r in run.resolutions for f in r.findings[:] if f.fix and f.code.code in codes]
    edits, seen = [], set()
    for resolution, finding in chosen:
        if id(resolution) not in seen:  # one new DOI per entry
            seen.add(id(resolution))
            edits.append(DoiEdit(resolution.citation, finding.fix, finding.code.code))
    path = Path(document.path)
    old = kept_text(document.path, read_bytes(document.path))
    new = set_dois(old, document.format, edits)
    for edit in edits:
        where = f"{path}:{edit.citation.source.line or '?'} {edit.citation.label}"
        if edit.problem:
            say("warning", f"{where}: not fixed ({edit.problem})")
        else:
            printed = edit.citation.doi_printed or "(none)"
            info(f"refkit: {where}: doi {printed} -> {edit.doi} ({edit.code})")
    if diff:
        click.echo("".join(difflib.unified_diff(old.splitlines(True), new.splitlines(True),
                                                f"a/{path}", f"b/{path}")), nl=False)
    elif document.path == STDIN:  # a filter: the fixed text on stdout
        click.echo(new, nl=False)
    elif new != old:
        if backup:
            shutil.copy2(path, path.with_name(path.name + ".orig"))
        write_file(path, new)
    return sum(not e.problem for e in edits), _settled(run, edits)


def _settled(run: Run, edits: list[DoiEdit]) -> set[int]:
    """The ids of the findings the DOIs written settle: every finding of an
    edited entry whose fix is that DOI (an RK104 and the RK110 of the same
    entry name one DOI; both are gone once it is written)."""
    written = {id(e.citation): normalize(e.doi) for e in edits if not e.problem}
    return {id(f) for r in run.resolutions for f in r.findings
            if f.fix and written.get(id(r.citation)) == normalize(f.fix)}


def _tell_outcome(path: str, fixed: int, report: Report, diff: bool) -> None:
    """One line per file: how many DOIs were (with --diff: would be) fixed,
    and the findings left after fixing, so an exit status is never unexplained."""
    name = "stdin" if path == STDIN else path
    would = "would be " if diff else ""
    done = f"{fixed} DOI{'s' if fixed != 1 else ''} {would}fixed" if fixed else "no DOI to fix"
    counts = report.summary()["findings"]
    left = ", ".join(f"{counts[s.value]} {s.value}" for s in reversed(Severity) if counts[s.value])
    if not left:
        info(f"refkit: {name}: {done}; nothing else to report")
    else:
        lists = f" (`refkit check {name}` lists them)" if path != STDIN else ""
        info(f"refkit: {name}: {done}; {would or 'still '}left: {left}{lists}")


def _require_editable(path: str, fmt: str | None) -> None:
    """Refuse, before any work, a file that is not a UTF-8 bibliography refkit can edit."""
    if path != STDIN:
        require_regular(path)
    data = read_bytes(path)
    found = fmt or sniff(path, data)
    if found not in EDITABLE:
        raise InputError(path, f"read as {found}; refkit fix edits only BibTeX, RIS and CSL-JSON files")
    kept_text(path, data)


def _without(resolution: Resolution, settled: set[int]) -> Resolution:
    resolution.findings = [f for f in resolution.findings if id(f) not in settled]
    return resolution
