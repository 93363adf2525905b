"""How refkit speaks on stderr: one line per message ("refkit: error: …",
"refkit: warning: …", "refkit: note: …"), with control characters from
documents shown, never interpreted by the terminal.

refkit's own log records and warnings come out that way. What libraries log
or warn (citeproc-py on fields a style cannot use, pypdfium2, lxml, urllib3) is
only shown with --verbose (or REFKIT_VERBOSE=1), as notes naming the
library: it is about their internals, and what it means for the user is
already in refkit's own message or finding.
"""

from __future__ import annotations

import logging
import re
import warnings
from pathlib import Path

import click

from refkit.console import is_quiet, use_color
from refkit.terminal import COLORS, say

VERBOSE_ENV = "REFKIT_VERBOSE"
_REFKIT_DIR = str(Path(__file__).resolve().parent.parent)


QUIET_ENV = "REFKIT_QUIET"
_SEVERITY_CELL = re.compile(r"(?m)^(\s+\S.{0,20}?\s)(RK\d{3})(\s+)(error|warning|info)\b")


def info(text: str) -> None:
    """A line of progress or summary on stderr, left out with -q."""
    if not is_quiet():
        click.echo(text, err=True, color=use_color())


def paint_severities(table: str) -> str:
    """A findings table with each severity coloured (shown only where colour is wanted)."""
    return _SEVERITY_CELL.sub(lambda m: m.group(1) + m.group(2) + m.group(3)
                              + click.style(m.group(4), fg=COLORS[m.group(4)]), table)


def route_library_messages(verbose: bool) -> None:
    """Send log records and warnings through `say` (library ones only when
    `verbose`); calling it again replaces the earlier set-up."""
    root = logging.getLogger()
    for handler in [h for h in root.handlers if isinstance(h, _OneLineHandler)]:
        root.removeHandler(handler)
    root.addHandler(_OneLineHandler(verbose))
    root.setLevel(logging.WARNING)
    logging.getLogger("refkit").setLevel(logging.DEBUG if verbose else logging.WARNING)
    warnings.showwarning = _warning_shower(verbose)


class _OneLineHandler(logging.Handler):
    """Log records as one `say` line each; libraries' only when verbose."""

    def __init__(self, verbose: bool) -> None:
        super().__init__(logging.DEBUG)
        self.verbose = verbose

    def emit(self, record: logging.LogRecord) -> None:
        own = record.name == "refkit" or record.name.startswith("refkit.")
        if not (own or self.verbose):
            return
        try:
            text = record.getMessage()
        except (TypeError, ValueError):  # a library's badly formatted record
            text = str(record.msg)
        kind = "warning" if own and record.levelno >= logging.WARNING else "note"
        say(kind, text if own else f"{record.name}: {text}")


def _warning_shower(verbose: bool):
    """A `warnings.showwarning` that prints refkit's warnings and, when
    verbose, libraries' as one line each."""

    def show(message, category, filename, lineno, file=None, line=None) -> None:  # noqa: ARG001
        if str(Path(filename).resolve()).startswith(_REFKIT_DIR):
            say("warning", str(message))
        elif verbose:
            say("note", f"{_library(filename)}: {category.__name__}: {message}")

    return show


def _library(filename: str) -> str:
    """The package a warning came from (its folder under site-packages), or the file's name."""
    parts = Path(filename).parts
    for marker in ("site-packages", "dist-packages"):
        if marker in parts[:-1]:
            return Path(parts[parts.index(marker) + 1]).stem
    return Path(filename).name
