"""Month and day of issue as structured formats write them.

A .bib `month` ("mar", "March", "3"), a biblatex or RIS date ("2019-03-05",
"2019/03/05/", "2019/03//"), CSL date parts: read into numbers, checked
against the calendar, so an export keeps the month and day the user's file
gave instead of cutting every date down to its year.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Sequence

_MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
_MONTHS.update({name.lower(): number for number, name in enumerate(calendar.month_abbr) if name})
_MONTHS["sept"] = 9
_NUMERIC_DATE = re.compile(r"\s*(\d{4})(?:[-/](\d{1,2})?(?:[-/](\d{1,2})?)?)?(?:/.*|[T ].*)?\s*", re.DOTALL)
MONTH_MACROS = tuple(name.lower() for name in calendar.month_abbr if name)  # BibTeX's jan … dec


def month_number(text: str | None) -> int | None:
    """The month a BibTeX `month` field names ("mar", "March", "Mar.", "3",
    "03"), or None."""
    word = (text or "").strip().rstrip(".").lower()
    if word.isdigit():
        return int(word) if 1 <= int(word) <= 12 else None
    return _MONTHS.get(word)


def numeric_date(text: str | None) -> tuple[int, int | None, int | None] | None:
    """(year, month, day) of a numeric date ("2019-03-05", "2019/03/05/",
    "2019/03//", RIS's "2019/03/05/other", "2019"), parts not written or not
    in the calendar None; None when `text` is no such date."""
    found = _NUMERIC_DATE.fullmatch(text or "")
    if not found:
        return None
    year, month, day = (int(part) if part else None for part in found.groups())
    return checked(year, month, day)


def from_parts(parts: Sequence) -> tuple[int, int | None, int | None] | None:
    """(year, month, day) of CSL date parts ([2019, 3, 5], ["2019", "3"]),
    None without a numeric year; a part that is no whole number (1e400,
    "spring", true) ends the date there."""
    numbers: list = []
    for part in list(parts)[:3]:
        number = _whole_number(part)
        if number is None:
            break
        numbers.append(number)
    if not numbers:
        return None
    numbers += [None] * (3 - len(numbers))
    return checked(*numbers)


def _whole_number(part: object) -> int | None:
    if isinstance(part, bool):
        return None
    if isinstance(part, int):
        return part
    if isinstance(part, float):
        return int(part) if part.is_integer() else None
    if isinstance(part, str) and part.strip().isdigit():
        return int(part)
    return None


def csl_date(date: object) -> tuple[int, int | None, int | None] | None:
    """(year, month, day) of a CSL date variable ({"date-parts": [[2019, 3]]}
    or {"raw": "2019-03-05"}): its first date parts, else its raw date; None
    for anything else."""
    if not isinstance(date, dict):
        return None
    parts = date.get("date-parts")
    if isinstance(parts, list) and parts and isinstance(parts[0], list) and (found := from_parts(parts[0])):
        return found
    raw = date.get("raw")
    return numeric_date(raw) if isinstance(raw, str) else None


def in_parts(year: int | None, month: str, day: str = "") -> tuple[int, int | None, int | None] | None:
    """(year, month, day) of a date written in parts, as BibTeX's year,
    month and day fields write it; None without a year."""
    if not year:
        return None
    return checked(year, month_number(month), int(day) if day.strip().isdigit() else None)


def checked(year: int, month: int | None, day: int | None) -> tuple[int, int | None, int | None]:
    """The date as far as the calendar has it: a month outside 1-12 (CSL's
    seasons 21-24) is dropped with its day, a day the month lacks is dropped."""
    if month is None or not 1 <= month <= 12:
        return year, None, None
    if day is None or not 1 <= day <= calendar.monthrange(year, month)[1]:
        return year, month, None
    return year, month, day


def month_day(year: int | None, *dates: tuple[int, int | None, int | None] | None) -> tuple[int | None, int | None]:
    """Month and day from the first of `dates` of the year `year` that has a
    month: a date of another year says nothing of this one."""
    for date in dates:
        if date and year and date[0] == year and date[1]:
            return date[1], date[2]
    return None, None
