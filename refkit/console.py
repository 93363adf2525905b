"""How much refkit says on stderr in this run, and whether in colour: set
once by the command line (-q, --color, NO_COLOR), read by whatever prints."""

from __future__ import annotations

import os

_style = {"quiet": False, "color": "auto"}


def configure(quiet: bool = False, color: str = "auto") -> None:
    """-q (only errors on stderr) and --color auto|always|never for this run."""
    _style.update(quiet=quiet, color=color)


def is_quiet() -> bool:
    """Whether warnings, notes, summaries and progress are left out."""
    return bool(_style["quiet"])


def use_color() -> bool | None:
    """True: colour; False: none (--color never, or NO_COLOR set); None:
    click decides by whether the stream is a terminal."""
    if _style["color"] == "always":
        return True
    if _style["color"] == "never" or os.environ.get("NO_COLOR"):
        return False
    return None
