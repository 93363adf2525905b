"""Writers: one module per output format, each turning resolutions into text.

Every writer module has `write(resolutions: list[Resolution], **options) -> str`.
`write_file` and `write_set` (refkit.writers.files) save the text atomically
and never over a file that was given as input.
"""

from __future__ import annotations

import importlib

from refkit.errors import RefkitError
from refkit.model import Resolution
from refkit.writers.files import write_file, write_set

__all__ = ["SUFFIXES", "WRITERS", "write", "write_file", "write_set"]

# format name -> module implementing write(resolutions, **options)
WRITERS: dict[str, str] = {
    "bibtex": "refkit.writers.bibtex",
    "ris": "refkit.writers.ris",
    "csljson": "refkit.writers.csljson",
}

# file name suffix for each format, for `-o` defaults and messages
SUFFIXES: dict[str, str] = {"bibtex": ".bib", "ris": ".ris", "csljson": ".json"}


def write(fmt: str, resolutions: list[Resolution], **options: object) -> str:
    """The text of `resolutions` in format `fmt` (one of WRITERS)."""
    if fmt not in WRITERS:
        raise RefkitError(f"unknown output format {fmt!r}; choose one of {', '.join(WRITERS)}")
    module = importlib.import_module(WRITERS[fmt])
    return module.write(resolutions, **options)
