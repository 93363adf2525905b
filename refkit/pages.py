"""Page fields: split a range into its first and last page, writing an
abbreviated last page out in full ("573–7" → 573, 577), as readers print
ranges one way and Crossref, Zotero and BibTeX want them another."""

from __future__ import annotations

import re

_RANGE = re.compile(r"^([A-Za-z]*\d+[A-Za-z]?)\s*[-–—‐‑‒−]+\s*([A-Za-z]*\d+[A-Za-z]?)")


def page_range(pages: str) -> tuple[str, str] | None:
    """(first, last) of a page field, the last written out in full; last is
    "" for a single page or an e-locator; None for an empty field."""
    text = (pages or "").strip()
    if not text:
        return None
    m = _RANGE.match(text)
    if not m:
        return (text.split()[0].strip(".,;"), "")
    first, last = m.group(1), m.group(2)
    digits = re.search(r"\d+", first).group()  # "961" of "961a", "12" of "S12"
    if last.isdigit() and len(last) < len(digits):
        last = digits[: len(digits) - len(last)] + last
    return (first, last)


def expand(pages: str) -> str:
    """A page field with an abbreviated range written out ("573–7" → "573-577");
    anything that is not a simple range comes back unchanged."""
    parts = page_range(pages)
    if not parts or not parts[1] or not _RANGE.match(pages.strip()):
        return pages
    return f"{parts[0]}-{parts[1]}"
