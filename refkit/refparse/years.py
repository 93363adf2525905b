"""Publication years in printed text: which four digits can be one."""

from __future__ import annotations

import datetime
import re

YEAR = r"(?:1[5-9]|20)\d{2}"
LATEST_YEAR = datetime.date.today().year + 1  # in press: next year's volume
_FOUR_DIGITS = re.compile(r"(?<!\d)(\d{4})(?!\d)")


def year_in(text: str | None) -> int | None:
    """The first plausible publication year written anywhere in `text` (a
    date field such as "2019/03/15/", "March 2019", "2019-03")."""
    for match in _FOUR_DIGITS.finditer(text or ""):
        if plausible_year(match.group(1)):
            return int(match.group(1))
    return None


def plausible_year(text: str | None) -> int | None:
    """The year `text` starts with when it could be a publication year
    (1500 to next year), else None: a page or article number is no year."""
    if not text or not text[:4].isdigit():
        return None
    year = int(text[:4])
    return year if 1500 <= year <= LATEST_YEAR else None
