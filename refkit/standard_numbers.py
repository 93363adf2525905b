"""Several ISBNs (or ISSNs) printed in one field, one list in the model.

A book's print and electronic ISBNs come in one BibTeX field
(`isbn = {978-3-16-148410-0, 0-306-40615-2}`, or with ";" or " / " between
them), in one CSL-JSON `ISBN` (a string, or an array as Crossref gives it)
or in several RIS `SN` lines. refkit keeps each number exactly as printed
(hyphens, a qualifier such as "(pbk.)", a wrong check digit: never
corrected) and holds the list as one string joined with ", ", which is how
Crossref-derived CSL items join them and one of the separators Zotero splits
its ISBN field at (commas, semicolons, spaces). Text that is not a list of
such numbers is kept whole, as one value.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

SEPARATOR = ", "
# an ISBN-13 or ISBN-10 and an ISSN as printed (hyphens or spaces between
# digits), and the qualifier that may follow one: "(pbk.)"
_ISBN_DIGITS = r"(?:97[89](?:[-\s]?\d){9}|\d(?:[-\s]?\d){8})[-\s]?[\dXx]"
_ISSN_DIGITS = r"\d{4}-?\d{3}[\dXx]"
_QUALIFIER = r"(?:\s*\([^()]*\))?"
# one number in a list, with an optional "ISBN"/"ISSN" label before it
_NUMBER = re.compile(rf"(?:IS[BS]N(?:-1[03])?:?\s*)?(?<![\dXx])(?:{_ISBN_DIGITS}|{_ISSN_DIGITS})(?![\dXx]){_QUALIFIER}",
                     re.IGNORECASE)
_BETWEEN = re.compile(r"[\s,;/]*")
_ISSN = re.compile(rf"(?:ISSN:?\s*)?{_ISSN_DIGITS}{_QUALIFIER}", re.IGNORECASE)
_ISBN = re.compile(rf"(?:ISBN(?:-1[03])?:?\s*)?{_ISBN_DIGITS}{_QUALIFIER}", re.IGNORECASE)


def split(text: str) -> list[str]:
    """The numbers printed in one field, each as printed: ["978-3-16-148410-0",
    "0-306-40615-2"] for "978-3-16-148410-0 / 0-306-40615-2"; the whole text as
    one value when it is not a list of ISBNs or ISSNs; [] when it is empty."""
    text = text.strip()
    numbers = list(_NUMBER.finditer(text))
    if len(numbers) > 1 and _only_separators(text, numbers):
        return [number.group(0).strip() for number in numbers]
    return [text] if text else []


def _only_separators(text: str, numbers: list[re.Match[str]]) -> bool:
    """Whether `numbers` fill `text` but for separators between them (, ; / spaces)."""
    gaps = [text[a.end():b.start()] for a, b in zip(numbers, numbers[1:])]
    edges = text[:numbers[0].start()] + text[numbers[-1].end():]
    return not edges.strip() and all(_BETWEEN.fullmatch(gap) for gap in gaps)


def joined(values: Iterable[object]) -> str:
    """Numbers from one or several fields or lines as one value: each split
    (see `split`), repeats dropped, in order, joined with SEPARATOR; values
    that are no text or number (null, a nested list) are passed over."""
    printed = (str(value) for value in values if isinstance(value, (str, int)) and not isinstance(value, bool))
    unique = dict.fromkeys(number for value in printed for number in split(value))
    return SEPARATOR.join(unique)


def kind(number: str) -> str | None:
    """"ISSN" or "ISBN" when `number` is printed as one (eight characters,
    "1234-5679"; ten or thirteen, "0-306-40615-2"), None when its shape does not say."""
    if _ISSN.fullmatch(number.strip()):
        return "ISSN"
    return "ISBN" if _ISBN.fullmatch(number.strip()) else None


def listed(identifiers: dict[str, str]) -> dict[str, str]:
    """`identifiers` (CSL keys) with the ISBN and ISSN lists among them
    joined as the model holds them (see `joined`); the others as given."""
    return {key: joined([value]) if key in ("ISBN", "ISSN") else value for key, value in identifiers.items()}
