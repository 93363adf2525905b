"""`refkit build`: the main job — a folder of documents in, a bibliography
folder out (references.bib, .ris, .json, report.txt, report.json, and
refkit.sha256, the set's checksums, written last)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from refkit.cli.messages import info

from refkit.cli.options import crossref_options, input_options, provenance_option, settings_from
from refkit.errors import RefkitError
from refkit.pipeline import (
    exportable,
    read_and_resolve,
    unverified_status,
    warn_unverified,
)
from refkit.report import Report
from refkit.terminal import counted
from refkit.writers import SUFFIXES, write, write_set

CHECKSUMS = "refkit.sha256"  # `sha256sum -c refkit.sha256` in the folder: the set is whole


@click.command()
@click.option("-o", "--output", "outdir", required=True, type=click.Path(file_okay=False),
              help="Folder for the bibliography (created if missing).")
@click.option("--name", default="references", show_default=True,
              help="Base name of the bibliography files.")
@click.option("--fail-on", type=click.Choice(["error", "warning", "info"]),
              help="Also exit 1 when a finding of this severity or worse is reported (as refkit check).")
@provenance_option
@input_options
@crossref_options
def build(inputs: tuple[str, ...], outdir: str, name: str, fmt: str | None, fail_on: str | None,
          provenance: str, progress: bool | None, **crossref: Any) -> None:
    """Read every document in FILE_OR_DIR..., resolve the cited works against
    Crossref, and write OUTPUT/NAME.bib, NAME.ris and NAME.json (each summary
    a note of its own, each entry tagged with how it was resolved, a summary
    no reference took kept as an entry tagged refkit:unresolved) with
    OUTPUT/report.txt and report.json (every finding). The files are
    replaced as one set; OUTPUT/refkit.sha256, renamed into place last, holds
    their checksums (`sha256sum -c refkit.sha256` says the set is whole).

    \b
    References Crossref could not confirm are exported from what the
    documents print and marked unverified in every file and in the report.
    Exit status: 0 written; 1 with --fail-on and findings at or above it;
    2 usage or input error; 3 some references unverified although Crossref
    was meant to be asked (not with --offline, where that is expected).

    \b
    Example:
      refkit build examples -o bib --mailto you@example.org
    """
    settings = settings_from(crossref)
    out = _output_folder(outdir)
    outputs = [out / f"{name}{suffix}" for suffix in SUFFIXES.values()] + [out / "report.txt", out / "report.json",
                                                                           out / CHECKSUMS]
    run = read_and_resolve(inputs, fmt, settings, progress, label="building bibliography", skip=outputs)
    exported = exportable(run.resolutions)
    report = Report(run.resolutions, run.corpus.findings, crossref_stats=run.crossref_stats)
    texts = {f"{name}{suffix}": write(fmt_name, exported, provenance=provenance, orphans=run.corpus.orphan_notes)
             for fmt_name, suffix in SUFFIXES.items()}
    texts |= {"report.txt": report.render_text(), "report.json": report.render_json()}
    write_set(out, texts, inputs=run.files, checksums=CHECKSUMS)
    info(f"wrote {counted(len(exported), 'reference')} to {out}/{name}{{{','.join(SUFFIXES.values())}}}"
         f" and the report to {out}/report.txt, report.json")
    info(report.summary_line())
    warn_unverified(run)
    sys.exit(report.exit_code(fail_on) if fail_on else unverified_status(run, settings.offline))


def _output_folder(given: str) -> Path:
    """The folder named by -o, created when missing; standard output, an
    empty name (`-o "$OUT"` with OUT unset would fill the current folder)
    and what is not a folder are refused."""
    if given == "-":
        raise RefkitError("build writes a folder of files, not standard output; give a folder with -o")
    if not given.strip():
        raise RefkitError("-o is empty; give the folder to write (-o . for the current one)")
    out = Path(given)
    if out.exists() and not out.is_dir():
        raise RefkitError(f"{out}: is not a folder; give a folder with -o")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise RefkitError(f"{out}: cannot create the output folder: {exc.strerror or exc}") from None
    return out


