"""Month and day of issue, and the end of a date range, as structured formats write them.

A .bib `month` ("mar", "March", "3"), a biblatex or RIS date ("2019-03-05",
"2019/03/05/", "2019/03//"), CSL date parts: read into numbers, checked
against the calendar, so an export keeps the month and day the user's file
gave instead of cutting every date down to its year. A range (biblatex
`date = {2019-03/2019-05}`, CSL date parts [[2019, 3], [2019, 5]], the end
refkit writes in the "other" part of a RIS date, `2019/03//2019-05`) keeps
its end, at the precision it was given.
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
# one end of an EDTF date or interval: "2019", "2019-03", "2019-03-05", qualified "2019?"
_EDTF_DAY = re.compile(r"\s*(-?\d{4})(?:-(\d\d)(?:-(\d\d))?)?[?~%]?\s*")

Date = tuple[int, int | None, int | None]  # year, month, day: parts not given None


def month_number(text: str | None) -> int | None:
    """The month a BibTeX `month` field names ("mar", "March", "Mar.", "3",
    "03"), or None."""
    word = (text or "").strip().rstrip(".").lower()
    if word.isdigit():
        return int(word) if 1 <= int(word) <= 12 else None
    return _MONTHS.get(word)


def numeric_date(text: str | None) -> Date | None:
    """(year, month, day) of a numeric date ("2019-03-05", "2019/03/05/",
    "2019/03//", RIS's "2019/03/05/other", "2019"), parts not written or not
    in the calendar None; None when `text` is no such date."""
    found = _NUMERIC_DATE.fullmatch(text or "")
    if not found:
        return None
    year, month, day = (int(part) if part else None for part in found.groups())
    return checked(year, month, day)


def from_parts(parts: Sequence) -> Date | None:
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


def csl_date(date: object) -> Date | None:
    """(year, month, day) of a CSL date variable ({"date-parts": [[2019, 3]]}
    or {"raw": "2019-03-05"}): its first date parts, else its raw date; None
    for anything else."""
    dates = csl_dates(date)
    return dates[0] if dates else None


def csl_dates(date: object) -> list[Date]:
    """The dates of a CSL date variable: one, or a range's start and end
    ({"date-parts": [[2019, 3], [2019, 5]]}, {"raw": "1998/2000"}); its
    date parts when the first of them is a date, else its raw date."""
    if not isinstance(date, dict):
        return []
    parts = date.get("date-parts")
    if isinstance(parts, list) and parts and isinstance(parts[0], list) and from_parts(parts[0]):
        return [found for part in parts[:2] if isinstance(part, list) and (found := from_parts(part))]
    raw = date.get("raw")
    if not isinstance(raw, str):
        return []
    found = numeric_date(raw)
    return edtf_dates(raw) or ([found] if found else [])


def edtf_dates(text: str) -> list[Date] | None:
    """The dates of an EDTF date or closed interval ("2019-03-05",
    "2019-03/2019-05", "1998/2000"), as biblatex's `date` and CSL's string
    dates write them: one, or a range's start and end; None for other text."""
    ends = [_EDTF_DAY.fullmatch(end) for end in text.split("/")]
    if len(ends) > 2 or not all(ends):
        return None
    return [checked(*(int(part) if part else None for part in end.groups())) for end in ends if end]


def ris_dates(text: str) -> list[Date] | None:
    """The dates of a RIS date ("2019/03/05/"), with the end of a range
    refkit writes in its "other" part ("2019/03//2019-05", "1998///2000";
    see refkit.writers.ris): one date, or the start and a numeric "other"
    part; None when `text` is no date."""
    start = numeric_date(text)
    if start is None:
        return None
    other = text.strip().split("/", 3)[3:]
    end = edtf_dates(other[0]) if other else None  # an ISO date alone, not "2020 reprint"
    return [start, end[0]] if end and len(end) == 1 else [start]


def in_parts(year: int | None, month: str, day: str = "") -> Date | None:
    """(year, month, day) of a date written in parts, as BibTeX's year,
    month and day fields write it; None without a year."""
    if not year:
        return None
    return checked(year, month_number(month), int(day) if day.strip().isdigit() else None)


def checked(year: int, month: int | None, day: int | None) -> Date:
    """The date as far as the calendar has it: a month outside 1-12 (CSL's
    seasons 21-24) is dropped with its day, a day the month lacks is dropped."""
    if month is None or not 1 <= month <= 12:
        return year, None, None
    if day is None or not 1 <= day <= calendar.monthrange(year, month)[1]:
        return year, month, None
    return year, month, day


def month_day(year: int | None, *dates: Date | None) -> tuple[int | None, int | None]:
    """Month and day from the first of `dates` of the year `year` that has a
    month: a date of another year says nothing of this one."""
    for date in dates:
        if date and year and date[0] == year and date[1]:
            return date[1], date[2]
    return None, None


def range_end(year: int | None, *ranges: Sequence[Date] | None) -> Date | None:
    """The end of the first of `ranges` (a start and an end date) that starts
    in the year `year` and ends after it starts, as far as both are given
    ("2019-03/2019-05", "1998/2000"); None when none does."""
    for dates in ranges:
        if dates and len(dates) == 2 and year and dates[0][0] == year and _later(dates[1], dates[0]):
            return dates[1]
    return None


def _later(end: Date, start: Date) -> bool:
    """Whether `end` comes after `start`, compared on the parts both give."""
    shared = [(e, s) for e, s in zip(end, start) if e is not None and s is not None]
    return [e for e, _ in shared] > [s for _, s in shared]


def iso(date: Date | Sequence[int]) -> str:
    """A date as ISO 8601 writes it to the precision it has: "2019", "2019-03", "2019-03-05"."""
    year, *rest = [part for part in date if part is not None]
    return "-".join([str(year)] + [f"{part:02d}" for part in rest])
