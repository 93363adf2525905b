"""The Crossref options every command that resolves references shares.

`check`, `export`, `build` and `zotero` decorate themselves with
`crossref_options`, then turn the parsed values into `Settings` with
`settings_from`; `refkit.resolving.sources.open_source` makes the client.
"""

from __future__ import annotations

import functools
from typing import Any, Callable, TypeVar

import click

from refkit.resolving.sources import parse_source
from refkit.settings import ENV_VARS, Settings
from refkit.terminal import say

F = TypeVar("F", bound=Callable[..., Any])
OPTION_NAMES = ("mailto", "crossref_url", "offline", "refresh", "cache_dir", "source")


def crossref_options(command: F) -> F:
    """Add --source, --mailto, --crossref-url, --offline, --refresh and --cache-dir to a click command."""
    options = [
        click.option("--source", metavar="api|INDEX|INDEX,api",
                     help="Who answers: Crossref's REST API (api, the default), a local snapshot "
                          "index built by 'refkit index build' (INDEX: no network), or the "
                          "snapshot first and the API for what it lacks (INDEX,api). "
                          "Env REFKIT_SOURCE or 'source' in the config file."),
        click.option("--mailto", metavar="EMAIL",
                     help="Contact address sent to Crossref (its 'polite pool'; "
                          "env REFKIT_MAILTO or config file)."),
        click.option("--crossref-url", metavar="URL",
                     help="Crossref REST API base URL (default https://api.crossref.org)."),
        click.option("--offline", is_flag=True, default=None,
                     help="Do not contact Crossref; use only cached answers "
                          "(the rest is reported unverified, RK501)."),
        click.option("--refresh", is_flag=True, default=None,
                     help="Ask Crossref again even for answers already cached."),
        click.option("--cache-dir", type=click.Path(file_okay=False), metavar="DIR",
                     help="Folder of the Crossref cache (env REFKIT_CACHE_DIR)."),
    ]
    return stack_options(command, options)


def settings_from(kwargs: dict[str, Any]) -> Settings:
    """Settings from a command's parsed options (the crossref_options ones are removed
    from `kwargs`), the environment and the config file; warns once when no
    contact address is configured."""
    overrides = {name: kwargs.pop(name, None) for name in OPTION_NAMES}
    settings = Settings.load(**overrides)
    _warn_without_contact(settings)
    return settings


CONTACT_MARKER = "contact-warning-shown"


def _warn_without_contact(settings: Settings) -> None:
    """Say once per machine (a marker beside the cache) that no contact
    address is set; `contact_warning = false` in a config silences it."""
    marker = settings.cache_path.parent / CONTACT_MARKER
    if (settings.mailto or settings.offline or not settings.contact_warning or marker.exists()
            or not parse_source(settings.source)[1]):
        return
    variable = next(var for var, name in ENV_VARS.items() if name == "mailto")
    say("warning", "no contact address for Crossref; pass --mailto, set "
                   f"{variable} or mailto in the config, to use its polite pool (faster, and "
                   "Crossref can reach you). Said once on this machine.")
    try:
        marker.parent.mkdir(parents=True, exist_ok=True)
        marker.touch()
    except OSError:
        pass  # an unwritable cache folder: the warning comes again, nothing worse


def stack_options(command: F, options: list[Callable[[F], F]]) -> F:
    """Apply click options so they show in `--help` in the order listed."""
    return functools.reduce(lambda cmd, option: option(cmd), reversed(options), command)


def input_options(command: F) -> F:
    """FILE_OR_DIR... with --from (force a reader) and --progress/--no-progress,
    for every command that reads documents."""
    return _input_options(command, required=True)


def bibliography_input_options(command: F) -> F:
    """As input_options, for the commands with --aux/--tex (check, fix,
    export): FILE_OR_DIR... may be left out when the .aux or .tex names its
    bibliography (see inputs_or_bibliographies)."""
    return _input_options(command, required=False)


def _input_options(command: F, required: bool) -> F:
    from refkit.readers import FORMATS

    return stack_options(command, [
        click.argument("inputs", nargs=-1, required=required, type=click.Path(),
                       metavar="FILE_OR_DIR..." if required else "[FILE_OR_DIR]..."),
        click.option("--from", "fmt", type=click.Choice(FORMATS),
                     help="Read every file as this format (default: sniffed from the content)."),
        click.option("--progress/--no-progress", default=None,
                     help="Show a progress bar on stderr (default: on a terminal, for long lists)."),
    ])


def provenance_option(command: F) -> F:
    """--provenance tags|notes|none, for every command that exports references."""
    from refkit.writers.provenance import DEFAULT_MODE, MODES

    return click.option(
        "--provenance", "provenance", type=click.Choice(MODES), default=DEFAULT_MODE, show_default=True,
        help="How each entry says where its metadata came from. tags: a status tag "
             "(refkit:verified, refkit:corrected, …) on every entry and a note only where refkit "
             "changed or flagged something; notes: a note on every entry too; none: neither.")(command)


def code_list(ctx: click.Context, param: click.Parameter, value: tuple[str, ...]) -> tuple[str, ...]:
    """click callback: finding codes, names or prefixes (comma lists), checked."""
    from refkit.report import code_selector

    try:
        return tuple(code_selector(value))
    except ValueError as exc:
        raise click.BadParameter(str(exc), ctx=ctx, param=param) from None


def report_options(command: F) -> F:
    """--format, --fail-on, --select and --ignore: how `check` and `zotero check` report."""
    return stack_options(command, [
        click.option("--format", "out_format", type=click.Choice(["table", "json", "github"]),
                     default="table", show_default=True,
                     help="table: for people; json: the documented report schema "
                          "(refkit/report-schema.json); github: GitHub Actions annotations."),
        click.option("--fail-on", type=click.Choice(["error", "warning", "info"]), default="error",
                     show_default=True,
                     help="Exit 1 when a finding of this severity or worse is reported."),
        click.option("--select", multiple=True, callback=code_list, metavar="CODES",
                     help="Report only these codes, names or prefixes "
                          "(RK103, doi-corrected, RK2; comma lists)."),
        click.option("--ignore", multiple=True, callback=code_list, metavar="CODES",
                     help="Do not report these codes, names or prefixes."),
    ])


def cited_options(command: F) -> F:
    """--aux and --tex: only the entries a LaTeX paper cites (check, fix, export)."""
    return stack_options(command, [
        click.option("--aux", multiple=True, type=click.Path(exists=True, dir_okay=False), metavar="FILE.aux",
                     help="Only the keys this .aux cites (\\citation, biblatex \\abx@aux@cite); "
                          "a cited key absent from the bibliography is RK405. Without FILE_OR_DIR: "
                          "the .bib files its \\bibdata names."),
        click.option("--tex", multiple=True, type=click.Path(exists=True, dir_okay=False), metavar="FILE.tex",
                     help="Only the keys this .tex cites (\\cite, \\citep, \\parencite, … "
                          "and \\input files). Without FILE_OR_DIR: the .bib files its "
                          "\\bibliography or \\addbibresource names."),
    ])


def inputs_or_bibliographies(inputs: tuple[str, ...], cited: Any) -> tuple[str, ...]:
    """FILE_OR_DIR... as given, else the bibliography files the --aux/--tex
    document names; a usage error when there is neither."""
    if inputs:
        return inputs
    if cited is not None and cited.bibliographies:
        return tuple(cited.bibliographies)
    raise click.UsageError("Missing argument 'FILE_OR_DIR...' (or an --aux/--tex naming its bibliography)")


def cited_from(kwargs: dict[str, Any]) -> Any:
    """The keys --aux/--tex name (removed from `kwargs`), or None when neither was given."""
    from refkit.readers.latex import cited_keys

    return cited_keys(tuple(kwargs.pop("aux", ()) or ()), tuple(kwargs.pop("tex", ()) or ()))
