"""The `refkit` command line: a click group whose subcommands live one per
module in this package and are imported only when used (fast `--help`).

No logic lives here beyond turning refkit's errors into one line and exit 2.
"""

from __future__ import annotations

import importlib
import os
import sys

import click

from refkit.errors import RefkitError

# command name -> "module:attribute" of its click command
COMMANDS: dict[str, str] = {
    "add": "refkit.cli.add:add",
    "extract": "refkit.cli.extract:extract",
    "check": "refkit.cli.check:check",
    "export": "refkit.cli.export:export",
    "format": "refkit.cli.export:format_bibliography",
    "build": "refkit.cli.build:build",
    "zotero": "refkit.cli.zotero:zotero",
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
@click.version_option(package_name="refkit")
def cli() -> None:
    """refkit: read the references in your documents, verify their DOIs
    against Crossref, and export clean BibTeX, RIS and CSL-JSON with notes.

    \b
    Typical use:
      refkit extract paper.pdf            what was read from a document
      refkit check paper.pdf              flag missing, wrong and mismatched DOIs
      refkit build examples -o bib        resolve and export a folder of documents
    """


def main() -> None:
    """Console entry point: runs the CLI, turning refkit errors into one line."""
    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
        click.echo("refkit: aborted", err=True)
        sys.exit(130)
    except RefkitError as exc:
        click.echo(f"refkit: error: {exc}", err=True)
        sys.exit(2)
    except Exception as exc:  # a bug: say so in one line, traceback only on request
        if os.environ.get("REFKIT_DEBUG"):
            raise
        click.echo(f"refkit: internal error: {type(exc).__name__}: {exc} "
                   "(set REFKIT_DEBUG=1 for a traceback and please report it)", err=True)
        sys.exit(70)
