"""A whole printed reference held in one field of a structured record.

Reference managers and converters often leave a reference they could not
split in one field: a RIS record with only TI (or N1), a BibTeX @misc whose
title, note or howpublished is the entire "Rao S, Broadbear J. Title.
Journal. 2019;27:573-7." The record's own fields stay as they are; only
those it lacks are read from that text by the reference parser.
"""

from __future__ import annotations

from refkit.model import Citation
from refkit.refparse.fields import parse_reference
from refkit.refparse.years import year_in

_MIN_WORDS = 6
_FIELDS = ("authors", "et_al", "editors", "title", "container", "year", "volume", "issue", "pages", "publisher", "url")


def holds_whole_reference(citation: Citation, text: str) -> bool:
    """Whether `text`, a field of a record with no authors and no year,
    reads as a whole printed reference: long enough, with a year."""
    return (not citation.authors and citation.year is None and len(text.split()) >= _MIN_WORDS
            and year_in(text) is not None)


def complete_from_printed(citation: Citation, text: str) -> bool:
    """Fill the fields `citation` lacks from `text` when it holds a whole
    printed reference (see holds_whole_reference); True when it did. The
    field's text is kept in extra["printed_reference"]."""
    if not holds_whole_reference(citation, text):
        return False
    fields = parse_reference(text)
    if not fields["authors"] or not (fields["title"] or fields["container"]):
        return False
    if citation.title == text:
        citation.title = ""
    for key in _FIELDS:
        if fields[key] and not getattr(citation, key):
            setattr(citation, key, fields[key])
    citation.extra["printed_reference"] = text
    return True
