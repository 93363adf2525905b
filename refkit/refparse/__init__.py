"""Parse one printed reference string into Citation fields.

A learned sequence labeller (a CRF trained on GROBID's and AnyStyle's
labelled reference strings, see `labeller`) marks each token as author,
title, container, date, volume, issue, pages, publisher, place, editor,
note or identifier, in whatever style the reference is printed (Vancouver,
AMA, APA, Harvard, IEEE, ACM, Chicago, physics styles without titles);
`fields` reads the values from the labelled text and `names` splits the
author list into names. It never corrects: page ranges, names and titles
stay as printed. DOIs stay with `refkit.doi`. `complete_from_printed` serves
structured records (RIS, BibTeX) whose one field holds a whole reference.
"""

from refkit.refparse.fields import parse_reference
from refkit.refparse.links import identifiers_in
from refkit.refparse.whole import complete_from_printed
from refkit.refparse.years import YEAR, plausible_year, year_in

__all__ = ["YEAR", "complete_from_printed", "identifiers_in", "parse_reference", "plausible_year", "year_in"]
