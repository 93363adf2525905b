"""`refkit export` (resolved references as BibTeX, RIS or CSL-JSON, with
summaries as notes) and `refkit format` (a formatted bibliography in a CSL
style). Reading and resolving go through refkit.pipeline; writing through
refkit.writers and refkit.formatting. No logic of its own beyond wiring.
"""

from __future__ import annotations

import sys
from typing import Any

import click

from refkit import batches
from refkit.cli.messages import info
from refkit.cli.options import (
    bibliography_input_options,
    cited_from,
    cited_options,
    crossref_options,
    input_options,
    inputs_or_bibliographies,
    provenance_option,
    settings_from,
)
from refkit.csl_styles import STYLES, style_names
from refkit.formatting import OUTPUTS
from refkit.formatting import format_bibliography as render_bibliography
from refkit.pipeline import (
    exportable,
    read_and_resolve,
    unverified_status,
    warn_unverified,
)
from refkit.terminal import counted
from refkit.writers import WRITERS, write, write_file
from refkit.writers.citekeys import DEFAULT_PATTERN

_output = click.option("-o", "--output", type=click.Path(dir_okay=False),
                       help="Write to this file (atomically; never over an input). Default: stdout.")
_keys = click.option("--keys", "key_pattern", default=DEFAULT_PATTERN, show_default=True,
                     help="Citation key pattern from {auth} {Auth} {year} {title} {Title}.")


@click.command()
@click.option("-t", "--to", "out_format", type=click.Choice(sorted(WRITERS)), default="bibtex",
              show_default=True, help="Output format.")
@_output
@click.option("--unicode/--latex", default=True, show_default=True,
              help="BibTeX: UTF-8 for biber/biblatex, or ASCII LaTeX (\\\"u) for classic BibTeX.")
@click.option("--crlf", is_flag=True, help="RIS: end lines with CRLF (default LF).")
@provenance_option
@click.option("--no-provenance", is_flag=True, hidden=True, help="Same as --provenance none.")
@_keys
@bibliography_input_options
@cited_options
@crossref_options
def export(inputs: tuple[str, ...], out_format: str, output: str | None, fmt: str | None,
           unicode: bool, crlf: bool, provenance: str, no_provenance: bool, key_pattern: str,
           progress: bool | None, **crossref: Any) -> None:
    """Resolve the references in FILE_OR_DIR... against Crossref and write
    them as BibTeX, RIS or CSL-JSON, each annotation summary a note of its
    own (Zotero child notes from RIS `N1` and BibTeX `annote`/`comment`/…;
    CSL-JSON `note`, which Zotero files under Extra), each entry tagged with
    how it was resolved (refkit:verified, refkit:corrected, …), and a note
    only where refkit changed or flagged something. A summary no reference
    took is kept as an entry of its own, tagged refkit:unresolved.

    \b
    Examples:
      refkit export examples/ketamine-bpd-review.pdf.txt -t bibtex -o refs.bib
      refkit export examples/ -t ris -o library.ris --offline
      refkit export refs.bib -t csljson -o refs.json
      refkit export library.ris --latex -o refs.bib          # ASCII for classic BibTeX
      refkit export refs.bib --tex paper.tex -o cited.bib   # only what paper.tex cites
    """
    cited = cited_from(crossref)
    inputs = inputs_or_bibliographies(inputs, cited)
    settings = settings_from(crossref)
    options: dict[str, Any] = {"key_pattern": key_pattern, "provenance": "none" if no_provenance else provenance}
    if out_format == "bibtex":
        options["unicode"] = unicode
    if out_format == "ris":
        options["crlf"] = crlf
    large = batches.plan(inputs, fmt) if cited is None else None
    try:
        done = batches.export(large, settings, out_format, output, options, progress) if large else None
    except batches.Unbatchable:  # found to need reading whole after all
        done = None
    if done is None:
        run = read_and_resolve(inputs, fmt, settings, progress, "resolving references", cited)
        entries = exportable(run.resolutions)
        _emit(write(out_format, entries, orphans=run.corpus.orphan_notes, **options), output, run.files)
        done = batches.Exported(len(entries), len(run.corpus.orphan_notes), run.unverified, run.total,
                                run.unavailable_reason, run.crossref_stats)
    info(f"refkit: {counted(done.written, 'reference')}"  # each orphan note written as an entry of its own
         + (f" and {counted(done.orphans, 'orphan note')}" if done.orphans else "")
         + " written" + (f" to {output}" if output and output != "-" else ""))
    warn_unverified(done)
    sys.exit(unverified_status(done, settings.offline))


def _list_styles(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    if value:
        click.echo("\n".join(style_names()))
        ctx.exit(0)


@click.command()
@click.option("-s", "--style", default="apa", show_default=True,
              help=f"CSL style: {', '.join(STYLES)}, a name from --list-styles, or a .csl file.")
@click.option("--list-styles", is_flag=True, is_eager=True, expose_value=False, callback=_list_styles,
              help="Print the names of every style --style takes by name, and exit.")
@click.option("--to", "out_format", type=click.Choice(OUTPUTS), default="text", show_default=True,
              help="Output as plain text, Markdown or HTML.")
@_output
@_keys
@input_options
@crossref_options
def format_bibliography(inputs: tuple[str, ...], style: str, out_format: str, output: str | None,
                        fmt: str | None, key_pattern: str, progress: bool | None,
                        **crossref: Any) -> None:
    """Resolve the references in FILE_OR_DIR... and print a formatted
    bibliography in a CSL style (APA, Vancouver/AMA, Chicago author-date,
    any of the 2,800 styles of --list-styles, or a .csl file), ordered and
    told apart (2019a, 2019b) as the style says.

    \b
    Examples:
      refkit format examples/ketamine-bpd-review.pdf.txt --style vancouver
      refkit format refs.bib --style chicago --to markdown -o refs.md
      refkit format refs.bib --style nature
      refkit format --list-styles
    """
    settings = settings_from(crossref)
    run = read_and_resolve(inputs, fmt, settings, progress, "resolving references")
    text = render_bibliography(exportable(run.resolutions), style=style, to=out_format,
                               key_pattern=key_pattern)
    _emit(text, output, run.files)
    warn_unverified(run)
    sys.exit(unverified_status(run, settings.offline))


def _emit(text: str, output: str | None, inputs: list[str]) -> None:
    """Write to `output` atomically (refusing an input file) or to stdout."""
    if output:
        write_file(output, text, inputs=inputs)
    else:
        click.echo(text, nl=False)
