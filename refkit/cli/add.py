"""`refkit add`: one work (or several) by identifier or reference, as an
entry printed, appended to a bibliography file, or sent to Zotero.

The work is refkit.adding's; this module wires it to the command line:
entries on stdout (or appended with --to, or pushed with --zotero), one line
per argument on stderr saying what happened. Exit status: 0 every argument
gave a verified entry; 1 some argument names no registered work (candidates
shown for free text); 2 usage error; 3 some could not be verified because a
registry could not be asked.
"""

from __future__ import annotations

import sys
from typing import Any

import click

from refkit.adding import Outcome, resolve_arguments
from refkit.cli.messages import info
from refkit.cli.options import crossref_options, settings_from
from refkit.writers import WRITERS, write
from refkit.writers.citekeys import DEFAULT_PATTERN
from refkit.writers.inplace import append, format_of, require_regular

EXIT_OK, EXIT_NOT_FOUND, EXIT_UNVERIFIED = 0, 1, 3


@click.command()
@click.argument("arguments", nargs=-1, required=True, metavar="ID_OR_TEXT...")
@click.option("-t", "--format", "out_format", type=click.Choice(sorted(WRITERS)),
              help="Entry format (default: bibtex, or the --to file's own from its suffix).")
@click.option("--to", "target", type=click.Path(dir_okay=False), metavar="FILE",
              help="Append to this .bib, .ris or .json file (created if missing; atomic; a key "
                   "the file does not use yet; a work it already holds is not added twice).")
@click.option("--zotero", is_flag=True, help="Create the works in Zotero (as `refkit zotero push`).")
@click.option("--collection", default="refkit", show_default=True,
              help="With --zotero: the collection to file them in.")
@click.option("--keys", "key_pattern", default=DEFAULT_PATTERN, show_default=True,
              help="Citation key pattern from {auth} {Auth} {year} {title} {Title}.")
@crossref_options
def add(arguments: tuple[str, ...], out_format: str | None, target: str | None, zotero: bool,
        collection: str, key_pattern: str, **crossref: Any) -> None:
    """Add works by identifier or reference: a DOI (10.…, doi:…, a doi.org
    link, %-encoded), PMID, PMCID, arXiv id, ISBN, or a free-text reference
    or title ("-": one per line of stdin). Each is verified (Crossref or DataCite for DOIs; PubMed,
    arXiv, Open Library for the others; a free-text match only when it
    passes the validation `refkit check` uses, otherwise the closest
    candidates are listed) and printed, appended to FILE, or sent to Zotero.

    \b
    Exit status: 0 every argument gave a verified entry; 1 some name no
    registered work (or free text matched none); 2 usage error; 3 some could
    not be verified (a registry could not be asked).

    \b
    Examples:
      refkit add doi:10.1016/j.jad.2020.09.071
      refkit add https://doi.org/10.1177/1039856219878643 -t ris
      refkit add PMID:32980001 arXiv:2101.00001 --to refs.bib
      refkit add "Rao S, Broadbear J. Borderline personality disorder and depressive disorder. Australas Psychiatry 2019" --to refs.bib
      refkit add "ISBN 978-0-19-852663-6" --zotero --collection Books
      cat dois.txt | refkit add - --to refs.bib      # one per line
    """
    if target and zotero:
        raise click.UsageError("choose one of --to FILE and --zotero")
    if arguments == ("-",):  # one identifier or reference per line of stdin
        arguments = tuple(line.strip() for line in click.get_text_stream("stdin")
                          if line.strip() and not line.lstrip().startswith("#"))
        if not arguments:
            raise click.UsageError("standard input holds no identifier or reference")
    if target:  # before asking anyone: a pipe or a device cannot be appended to
        require_regular(target)
    settings = settings_from(crossref)
    outcomes, _ = resolve_arguments(arguments, settings)
    accepted = [o for o in outcomes if o.accepted]
    for outcome in outcomes:
        if not outcome.accepted:
            _explain(outcome)
    resolutions = [o.resolution for o in accepted]
    if resolutions and target:
        _append(target, resolutions, out_format, key_pattern)
    elif resolutions and zotero:
        _send_to_zotero(resolutions, collection)
    elif resolutions:
        click.echo(write(out_format or "bibtex", resolutions, key_pattern=key_pattern), nl=False)
    sys.exit(_status(outcomes))


def _explain(outcome: Outcome) -> None:
    """Say on stderr why an argument gave no entry, with the candidates for free text."""
    click.echo(f"refkit: not added: {outcome.argument!r}: {outcome.why_not()}", err=True)
    for work in outcome.candidates:
        year = f" ({work.year})" if work.year else ""
        authors = work.authors[0].family or work.authors[0].literal if work.authors else ""
        click.echo(f"  candidate: {work.doi}  {authors}{year}  {work.title[:80]}", err=True)
    if outcome.candidates:
        click.echo("  (none validates as this reference; add the right one by its DOI)", err=True)


def _append(target: str, resolutions: list[Any], out_format: str | None, key_pattern: str) -> None:
    outcome = append(target, resolutions, format_of(target, out_format), key_pattern)
    for resolution, key in outcome.added:
        info(f"refkit: added {key} ({resolution.work.doi or resolution.work.title[:60]}) to {target}")
    for resolution, key in outcome.present:
        info(f"refkit: already in {target} as {key}: {resolution.work.doi or resolution.work.title[:60]}")


def _send_to_zotero(resolutions: list[Any], collection: str) -> None:
    from refkit.cli.zotero import send
    from refkit.zotero.config import ZoteroConfig
    from refkit.zotero.webapi import WebAPI

    config = ZoteroConfig.load()
    api = WebAPI.connect(config) if config.api_key else None
    if not send(resolutions, config, api, collection):
        sys.exit(EXIT_NOT_FOUND)


def _status(outcomes: list[Outcome]) -> int:
    if any(not o.accepted and not o.unverified for o in outcomes):
        return EXIT_NOT_FOUND
    return EXIT_UNVERIFIED if any(o.unverified for o in outcomes) else EXIT_OK
