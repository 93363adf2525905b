"""DOIs, web addresses and other identifiers printed in a reference.

`refkit.doi` stays the authority on DOIs; this module finds where each link
or identifier stands so the tokenizer keeps it whole and the fields leave it
out, and reads the identifiers' values.
"""

from __future__ import annotations

import re
from typing import Callable

from refkit.doi import find_dois

URL = re.compile(r"<?(?:https?://|ftp://|www\.)[^\s<>]+>?", re.IGNORECASE)
# A new-style ("2207.00507v2") or old-style ("hep-th/9901001") arXiv id
_ARXIV_ID = r"(?:\d{4}\.\d{4,5}(?:v\d+)?|[a-z-]+(?:\.[A-Z]{2})?/\d{7}(?:v\d+)?)"
_IDENTIFIERS = {
    "PMID": re.compile(r"\bPMID\s*:?\s*(\d{1,9})\b", re.IGNORECASE),
    "PMCID": re.compile(r"\b(PMC\d{4,})\b"),
    "arXiv": re.compile(rf"\barXiv\s*:?\s*({_ARXIV_ID})", re.IGNORECASE),
    "ISBN": re.compile(r"\bISBN(?:-1[03])?\s*:?\s*([\dX][\dX-]{8,16}[\dX])", re.IGNORECASE),
}
# Identifiers printed without their name: "hep-th/9901001", "1708.00380 [hep-ph]"
_BARE_ARXIV = re.compile(rf"(?<![\w./]){_ARXIV_ID}(?:\s*\[[\w.-]+\])?(?![\w/])")
_ISSN = re.compile(r"\bISSN\s*:?\s*\d{4}-\d{3}[\dX]\b", re.IGNORECASE)


def identifiers_in(text: str) -> dict[str, str]:
    """PMID, PMCID, arXiv id and ISBN printed in a reference, by name."""
    found = {}
    for name, pattern in _IDENTIFIERS.items():
        m = pattern.search(text)
        if m:
            found[name] = m.group(1)
    return found


def first_url(text: str) -> str:
    """The first web address that is not a DOI link, without <> and end punctuation."""
    if "://" not in text and "www." not in text.lower():
        return ""  # what every address holds: most references are spared the search
    for m in URL.finditer(text):
        url = m.group(0).strip("<>").rstrip(".,;)")
        if "doi.org/" not in url.lower():
            return url
    return ""


def link_spans(text: str) -> list[tuple[int, int]]:
    """Where DOIs (by `refkit.doi`), web addresses and named or bare
    identifiers stand in `text`: sorted, non-overlapping (start, end) pairs."""
    lower = text.lower() if text.isascii() else None
    spans = []
    for needs, find in _FINDERS:
        if lower is None or not needs or any(need in lower for need in needs):
            spans += find(text)
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _doi_spans(text: str) -> list[tuple[int, int]]:
    return [(f.start, f.end) for f in find_dois(text)]


def _matches(pattern: re.Pattern) -> Callable[[str], list[tuple[int, int]]]:
    return lambda text: [m.span() for m in pattern.finditer(text)]


# Each search of link_spans, after what it needs: one of these in the text
# (lower-cased), or nothing. A reference with none of them is spared the
# search, which costs far more than the test. The test is made on ASCII text
# only: ignoring case, the searches read "ı" and "İ" as "i" and "ſ" as "s".
_FINDERS = (
    (("10.", "doi"), _doi_spans),
    (("://", "www."), _matches(URL)),
    (("pmid",), _matches(_IDENTIFIERS["PMID"])),
    (("pmc",), _matches(_IDENTIFIERS["PMCID"])),
    (("arxiv",), _matches(_IDENTIFIERS["arXiv"])),
    (("isbn",), _matches(_IDENTIFIERS["ISBN"])),
    ((), _matches(_BARE_ARXIV)),
    (("issn",), _matches(_ISSN)),
)
