"""`refkit zotero`: refkit as a Zotero plugin.

- `push`: resolve documents' references and create them (with summaries as
  child notes) in a Zotero library through the Web API; without an API key,
  hand the RIS to the running Zotero app, or write it for File → Import.
- `check`: check every DOI of a Zotero library like `refkit check` does, and
  with `--apply` write the validated DOI fixes back (version-checked).
- `import-file`: hand an existing RIS/BibTeX file to the running Zotero app.

The API key comes only from REFKIT_ZOTERO_API_KEY or the config file; it is
never accepted on the command line (it would show in process lists) and
never printed.
"""

from __future__ import annotations

import html
import re
import sys
from pathlib import Path
from typing import Any, Callable, TypeVar

import click

from refkit.cli.options import (
    crossref_options,
    input_options,
    provenance_option,
    report_options,
    settings_from,
    stack_options,
)
from refkit.errors import RefkitError
from refkit.model import Note, Resolution, Status
from refkit.pipeline import (
    exportable,
    read_and_resolve,
    resolve_citations,
    warn_unverified,
)
from refkit.report import Report
from refkit.terminal import counted
from refkit.writers import write, write_file
from refkit.writers.provenance import DEFAULT_MODE
from refkit.zotero.apply import apply_fixes, plan_fixes, render_diff
from refkit.zotero.config import ZoteroConfig
from refkit.zotero.items import to_citation
from refkit.zotero.localapi import Connector, open_local
from refkit.zotero.push import PushOutcome, plan
from refkit.zotero.push import push as push_items
from refkit.zotero.webapi import WebAPI

F = TypeVar("F", bound=Callable[..., Any])
NOT_CHECKED = ("note", "attachment", "annotation")
SHOWN_SKIPS = 10  # skipped works listed by name; the rest are counted
IMPORT_HELP = ("In Zotero: File → Import… → \"A file (BibTeX, RIS, Zotero RDF, etc.)\" → choose "
               "{path} → keep \"Place imported collections and items into new collection\" "
               "ticked: the items land in a collection named after the file, summaries as "
               "child notes.")


def library_options(command: F) -> F:
    """--user, --group, --api-url and --local-url, shared by the zotero commands."""
    options = [
        click.option("--user", "user_id", metavar="ID",
                     help="Zotero user id (env REFKIT_ZOTERO_USER_ID; default: the API key's user)."),
        click.option("--group", "group_id", metavar="ID",
                     help="Use this group library instead (env REFKIT_ZOTERO_GROUP_ID)."),
        click.option("--api-url", metavar="URL",
                     help="Zotero Web API base URL (default https://api.zotero.org)."),
        click.option("--local-url", metavar="URL",
                     help="Zotero desktop app address (default http://127.0.0.1:23119)."),
    ]
    return stack_options(command, options)


@click.group()
def zotero() -> None:
    """Push verified references into Zotero, and check a Zotero library's DOIs.

    \b
    Set-up: create an API key with write access at
    https://www.zotero.org/settings/keys and export it as
    REFKIT_ZOTERO_API_KEY (or put api_key under [zotero] in refkit's
    config.toml). Without a key, `push` hands the references to the
    running Zotero app, and `check` reads the app's local API.
    """


@zotero.command()
@click.option("--collection", default="refkit", show_default=True,
              help="Collection to file the items in; created if missing.")
@click.option("--duplicates", is_flag=True,
              help="Create items even for works the library already has (same DOI).")
@click.option("--dry-run", is_flag=True, help="Show what would be created; change nothing.")
@click.option("--ris", "ris_path", type=click.Path(dir_okay=False), metavar="FILE",
              help="Without API key or running Zotero: write the RIS here "
                   "(default: COLLECTION.ris).")
@provenance_option
@input_options
@library_options
@crossref_options
def push(inputs: tuple[str, ...], collection: str, duplicates: bool, dry_run: bool,
         ris_path: str | None, provenance: str, fmt: str | None, progress: bool | None,
         **kwargs: Any) -> None:
    """Resolve the references of FILE_OR_DIR... against Crossref and create
    them in a Zotero library, each summary a child note of its own, each item
    tagged with how it was resolved, in COLLECTION; a summary no reference
    took becomes a standalone note there. Works already in the library (same
    DOI) are skipped.

    \b
    Examples:
      refkit zotero push examples/ketamine-bpd-review.pdf.txt --collection "Ketamine BPD"
      refkit zotero push examples --dry-run
    """
    config = _config(kwargs)
    api = WebAPI.connect(config) if config.api_key else None  # a bad key fails before the work
    run = read_and_resolve(inputs, fmt, settings_from(kwargs), progress)
    warn_unverified(run)
    resolutions = exportable(run.resolutions)  # a bare "(S001)" mention is no item
    if not send(resolutions, config, api, collection, duplicates=duplicates, dry_run=dry_run,
                ris_path=ris_path, files=run.files, provenance=provenance,
                orphans=run.corpus.orphan_notes):
        sys.exit(1)


def send(resolutions: list[Resolution], config: ZoteroConfig, api: WebAPI | None, collection: str, *,
         duplicates: bool = False, dry_run: bool = False, ris_path: str | None = None,
         files: list[str] | tuple[str, ...] = (), provenance: str = DEFAULT_MODE,
         orphans: list[Note] | None = None) -> bool:
    """Create `resolutions` in Zotero: through the Web API when there is a
    key (`api`), else by the running app or a RIS file. False when some failed."""
    if api is None:
        _hand_over(resolutions, config, collection, dry_run, ris_path, list(files), provenance, orphans or [])
        return True
    outcome = push_items(api, resolutions, collection, duplicates=duplicates, dry_run=dry_run,
                         provenance_mode=provenance, orphans=orphans or [])
    click.echo(_describe_push(outcome, str(api.library), dry_run))
    return not outcome.failed


@zotero.command()
@click.option("--local", is_flag=True,
              help="Read the library from the Zotero app on this computer (local API, read-only).")
@click.option("--collection", metavar="NAME", help="Check only the items of this collection.")
@click.option("--apply", "apply_", is_flag=True,
              help="Write the validated DOI fixes back (Web API only), after showing a diff.")
@click.option("-y", "--yes", is_flag=True, help="With --apply: do not ask for confirmation.")
@report_options
@click.option("--progress/--no-progress", default=None,
              help="Show a progress bar on stderr (default: on a terminal, for long lists).")
@library_options
@crossref_options
def check(local: bool, collection: str | None, apply_: bool, yes: bool, out_format: str,
          select: tuple[str, ...], ignore: tuple[str, ...], fail_on: str, progress: bool | None,
          **kwargs: Any) -> None:
    """Check the DOIs of every item in a Zotero library against Crossref and
    report like `refkit check` (same codes, formats and exit codes; the
    "reference" column is the Zotero item key). DOIs kept in Extra
    ("DOI: …") count. --apply changes only DOIs, and only of items not
    edited since they were read.

    \b
    Examples:
      refkit zotero check                      # Web API, REFKIT_ZOTERO_API_KEY set
      refkit zotero check --local --format json
      refkit zotero check --apply              # shows the diff, asks first
    """
    config = _config(kwargs)
    if apply_ and (local or config.api_key is None):
        raise click.UsageError("--apply writes through the Web API: set REFKIT_ZOTERO_API_KEY "
                               "(Zotero's local API is read-only)")
    api = open_local(config) if local or config.api_key is None else WebAPI.connect(config)
    collection_key = _collection_key(api, collection)
    objects = [o for o in api.items(collection=collection_key)
               if o["data"].get("itemType") not in NOT_CHECKED]
    citations = [to_citation(o, str(api.library)) for o in objects]
    resolved = resolve_citations(citations, settings_from(kwargs), progress)
    warn_unverified(resolved)
    resolutions = resolved.resolutions
    report = Report(resolutions, (), select=select, ignore=ignore,
                    crossref_stats=resolved.crossref_stats)
    click.echo(report.render(out_format), nl=False)
    if apply_:
        _apply(api, resolutions, {o["key"]: o for o in objects}, yes)
    sys.exit(report.exit_code(fail_on))


@zotero.command("import-file")
@click.argument("path", type=click.Path(exists=True, dir_okay=False), metavar="FILE")
@click.option("--collection", metavar="NAME",
              help="Move the imported items into this existing collection.")
@click.option("--local-url", metavar="URL",
              help="Zotero desktop app address (default http://127.0.0.1:23119).")
def import_file(path: str, collection: str | None, local_url: str | None) -> None:
    """Hand FILE (RIS or BibTeX, e.g. from `refkit export`) to the running
    Zotero app, which imports it with its own translators into the
    collection selected there (or COLLECTION); summaries (RIS N1, BibTeX
    note/annote) become child notes. When Zotero is not running, say how to
    import it by hand."""
    config = ZoteroConfig.load(local_url=local_url)
    connector = Connector(config)
    if not connector.running():
        raise RefkitError(f"Zotero is not running at {config.local_url}. "
                          + IMPORT_HELP.format(path=path))
    outcome = connector.import_text(Path(path).read_text(encoding="utf-8"), collection)
    click.echo(f"Zotero imported {outcome.items} items from {path} into {outcome.target}")


# --- helpers ------------------------------------------------------------------------------------

def _config(kwargs: dict[str, Any]) -> ZoteroConfig:
    names = ("user_id", "group_id", "api_url", "local_url")
    return ZoteroConfig.load(**{name: kwargs.pop(name, None) for name in names})


def _hand_over(resolutions: list[Resolution], config: ZoteroConfig, collection: str,
               dry_run: bool, ris_path: str | None, files: list[str], provenance: str,
               orphans: list[Note]) -> None:
    """No API key: give the RIS to the running Zotero app, or write it for
    File → Import (an orphan summary is then an item of its own: RIS has no
    standalone notes)."""
    outcome = plan(resolutions, {}, True, None, provenance, orphans)
    if dry_run:
        click.echo(_describe_push(outcome, "the Zotero app (no API key)", True))
        return
    ris = write("ris", resolutions, provenance=provenance, orphans=orphans)
    connector = Connector(config)
    if connector.running():
        done = connector.import_text(ris, collection)
        note = "" if done.moved else (f" (no collection named {collection!r} in Zotero: "
                                      "items are in the collection selected there)")
        click.echo(f"Zotero imported {done.items} items into {done.target}{note}")
        return
    path = ris_path or f"{collection}.ris"
    write_file(path, ris, inputs=files)
    click.echo(f"no REFKIT_ZOTERO_API_KEY and Zotero is not running: wrote "
               f"{counted(len(resolutions), 'reference')} to {path}.\n" + IMPORT_HELP.format(path=path))


def _apply(api: WebAPI, resolutions: list[Resolution], objects: dict[str, dict[str, Any]],
           yes: bool) -> None:
    """Show the DOI diff, ask, and write the fixes back (messages on stderr)."""
    fixes = plan_fixes(resolutions, objects)
    if not fixes:
        click.echo("no validated DOI fixes to apply", err=True)
        return
    click.echo(render_diff(fixes), err=True)
    if not yes and not click.confirm(f"apply {len(fixes)} DOI changes to {api.library}?",
                                     err=True):
        click.echo("nothing changed", err=True)
        return
    outcome = apply_fixes(api, fixes)
    click.echo(f"changed {len(outcome.applied)} DOIs ({outcome.notes_created} child notes saying so); "
               f"{len(outcome.conflicts)} skipped because the item changed in Zotero since it "
               f"was read; {len(outcome.failed)} failed", err=True)
    for fix in outcome.conflicts:
        click.echo(f"  skipped {fix.key}: edited since read (version {fix.version}); "
                   "run the check again", err=True)
    for fix, reason in outcome.failed:
        click.echo(f"  failed {fix.key}: {reason}", err=True)


def _collection_key(api: WebAPI, name: str | None) -> str | None:
    if name is None:
        return None
    key = api.find_collection(name)
    if key is None:
        raise RefkitError(f"{api.library} has no collection named {name!r}")
    return key


def _describe_push(outcome: PushOutcome, library: str, dry_run: bool) -> str:
    notes = sum(len(p.notes) for p in outcome.planned) + len(outcome.standalone)
    where = f'collection "{outcome.collection}"' if outcome.collection else "the library"
    if outcome.collection_created:
        where += " (new)" if dry_run else " (created)"
    lines = []
    if dry_run:
        lines.append(f"dry run: would create {len(outcome.planned)} items and {notes} child notes "
                     f"in {where} of {library}; {len(outcome.skipped)} already in the library")
        for p in outcome.planned:
            doi = p.item.get("DOI") or ""
            lines.append(f"  + {p.item['itemType']:<16} {p.title[:70]}" + (f"  doi:{doi}" if doi else ""))
            lines.extend(f"      + note: {_snippet(n['note'])}" for n in p.notes)
        lines.extend(f"  + standalone note: {_snippet(n['note'])}" for n in outcome.standalone)
    else:
        lines.append(f"{library}: {where}: created {len(outcome.created_items)} items and "
                     f"{len(outcome.created_notes)} child notes in {outcome.write_requests} "
                     f"write requests; {len(outcome.skipped)} already in the library; "
                     f"{len(outcome.failed)} failed")
        unverified = sum(p.resolution.status is Status.UNVERIFIED for p in outcome.planned)
        if unverified:
            lines.append(f"  {unverified} items are unverified (Crossref was not asked; Extra "
                         "says so): run `refkit zotero check --apply` later to fix their DOIs")
        lines.extend(f"  failed: {title[:70]}: {reason}" for title, reason in outcome.failed)
    lines.extend(f"  = {title[:70]}: already in the library as {key}"
                 for title, key in outcome.skipped[:SHOWN_SKIPS])
    if len(outcome.skipped) > SHOWN_SKIPS:
        lines.append(f"  = … and {len(outcome.skipped) - SHOWN_SKIPS} more already in the library")
    return "\n".join(lines)


def _snippet(note_html: str) -> str:
    text = html.unescape(re.sub(r"<[^>]+>", " ", note_html)).strip()
    return (text[:60] + "…") if len(text) > 60 else text
