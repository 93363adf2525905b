"""Initials written run together ("RS", "J-H", as Vancouver lists print
them) spelled out as separate initials ("R. S.", "J.-H.").

BibTeX and citeproc-py read "RS" as one given name and abbreviate it to
"R."; citeproc-js alone knows such a run is initials. Spelled out, every
style gives them back as it wants them: "R. S." (APA), "RS" (AMA).
"""

from __future__ import annotations

import re

# a given name that is nothing but 2-3 capitals, or capitals joined by hyphens
_RUN = re.compile(r"^(?:[A-Z]{2,3}|[A-Z](?:-[A-Z])+)$")
_INITIAL = re.compile(r"^[A-Z]\.?$")


def spelled_out(given: str) -> str:
    """`given` with each run of initials spelled out ("RS" -> "R. S.",
    "J-H" -> "J.-H."); a given name of nothing but initials gets a period
    after each ("R" -> "R."), so a list reads alike; other words unchanged."""
    words = given.split()
    only_initials = bool(words) and all(_RUN.match(w) or _INITIAL.match(w) for w in words)
    return " ".join(_spelled(w) if _RUN.match(w) or (only_initials and _INITIAL.match(w)) else w for w in words)


def _spelled(run: str) -> str:
    letters = run.replace(".", "")
    if "-" in letters:
        return "-".join(f"{letter}." for letter in letters.split("-"))
    return " ".join(f"{letter}." for letter in letters)
