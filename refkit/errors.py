"""The one exception family refkit raises for problems a user can act on.

The CLI turns these into a single line naming the file and place, and exit 2;
anything else escaping is a bug.
"""

from __future__ import annotations


class RefkitError(Exception):
    """A problem the user can fix: bad input, bad option, unreachable service."""


class InputError(RefkitError):
    """An input file cannot be read as what it claims to be.

    `where` is a human place inside the file ("line 12", "page 3", "entry 7"),
    or empty when the problem concerns the whole file.
    """

    def __init__(self, path: str, message: str, where: str = "") -> None:
        self.path = str(path)
        self.where = where
        self.message = message
        super().__init__(str(self))

    def __str__(self) -> str:
        place = f"{self.path}:{self.where}" if self.where else self.path
        return f"{place}: {self.message}"
