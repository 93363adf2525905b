"""The `refkit` command line: a click group whose subcommands live one per
module in this package and are imported only when used (fast `--help`).

No logic lives here beyond turning every failure into one line and exit 2
(refkit.cli.messages says how).
"""

from __future__ import annotations

import gc
import importlib
import os
import sys

import click

from refkit.cli.messages import QUIET_ENV, VERBOSE_ENV, route_library_messages
from refkit.console import configure
from refkit import __version__
from refkit.errors import RefkitError
from refkit.terminal import say

# command name -> "module:attribute" of its click command
COMMANDS: dict[str, str] = {
    "add": "refkit.cli.add:add",
    "extract": "refkit.cli.extract:extract",
    "fix": "refkit.cli.fix:fix",
    "check": "refkit.cli.check:check",
    "export": "refkit.cli.export:export",
    "format": "refkit.cli.export:format_bibliography",
    "build": "refkit.cli.build:build",
    "zotero": "refkit.cli.zotero:zotero",
    "index": "refkit.cli.index:index",
    "batch": "refkit.cli.batch:batch",
}


class LazyGroup(click.Group):
    """A group that imports a subcommand's module only when it is needed."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        target = COMMANDS.get(name)
        if target is None:
            return None
        module_name, attr = target.split(":")
        return getattr(importlib.import_module(module_name), attr)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(version=__version__, prog_name="refkit",
                      message="%(prog)s %(version)s (distribution refkit-doi)")
@click.option("-v", "--verbose", is_flag=True, envvar=VERBOSE_ENV,
              help=f"Also show what libraries report (citeproc-py, pypdfium2, lxml) and refkit's notes (env {VERBOSE_ENV}=1).")
@click.option("-q", "--quiet", is_flag=True, envvar=QUIET_ENV,
              help=f"Only errors on stderr: no warnings, notes, summaries or progress (env {QUIET_ENV}=1).")
@click.option("--color", type=click.Choice(["auto", "always", "never"]), default="auto", show_default=True,
              help="Colour severities on a terminal; NO_COLOR in the environment means never.")
@click.pass_context
def cli(ctx: click.Context, verbose: bool, quiet: bool, color: str) -> None:
    """refkit: read the references in your documents, verify their DOIs
    against Crossref, and export clean BibTeX, RIS and CSL-JSON with notes.

    \b
    Typical use:
      refkit extract paper.pdf            what was read from a document
      refkit check paper.pdf              flag missing, wrong and mismatched DOIs
      refkit build examples -o bib        resolve and export a folder of documents
      refkit add doi:10.1016/j.jad.2020.09.071 --to refs.bib
      refkit fix refs.bib --diff          the validated DOI fixes, in place

    \b
    Settings come from, first to last: options, REFKIT_* environment
    variables, [tool.refkit] in the nearest pyproject.toml, refkit's
    config.toml, defaults (see README, "Settings").
    """
    route_library_messages(verbose)
    configure(quiet=quiet, color=color)
    ctx.default_map = project_defaults(list(COMMANDS))


def main() -> None:
    """Console entry point: runs the CLI; every failure is one line on stderr
    with exit 2 (70 for a bug in refkit, 130 when interrupted)."""
    gc.set_threshold(200_000, 20, 100)  # a large run makes objects by the million: collect less often
    route_library_messages(verbose=False)
    try:
        cli.main(prog_name="refkit", standalone_mode=False)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        say("error", _usage_error(exc))
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
        say("error", "aborted")
        sys.exit(130)
    except RefkitError as exc:
        say("error", str(exc))
        sys.exit(2)
    except BrokenPipeError:  # the reader of our output went away (| head): nothing to say
        _silence_stdout()
        sys.exit(141)
    except OSError as exc:  # the system refused a file, a folder or the disk
        where = f"{exc.filename}: " if exc.filename else ""
        say("error", f"{where}{exc.strerror or exc}")
        sys.exit(2)
    except Exception as exc:  # a bug: say so in one line, traceback only on request
        if os.environ.get("REFKIT_DEBUG"):
            raise
        say("internal error", f"{type(exc).__name__}: {exc} "
                              "(set REFKIT_DEBUG=1 for a traceback and please report it)")
        sys.exit(70)


def project_defaults(commands: list[str]) -> dict[str, dict[str, object]]:
    """Option defaults from [tool.refkit] of the nearest pyproject.toml."""
    from refkit.project import command_defaults, project_table
    from refkit.settings import SETTING_NAMES

    return command_defaults(project_table(), commands, SETTING_NAMES)


def _usage_error(exc: click.ClickException) -> str:
    """A click usage error as one message pointing to the command's help."""
    message = exc.format_message()
    ctx = getattr(exc, "ctx", None)
    if ctx is not None:
        message += f" (see '{ctx.command_path} --help')"
    return message


def _silence_stdout() -> None:
    """Point stdout at /dev/null so Python's exit-time flush cannot fail again."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
