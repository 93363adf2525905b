"""Recognise the identifiers people paste: DOI, PMID, PMCID, arXiv id, ISBN.

Each is accepted in the forms it is printed and linked in (`doi:10.…`,
`https://doi.org/…`, `PMID: 123`, `pubmed.ncbi.nlm.nih.gov/123/`, `PMC123`,
`arXiv:2101.00001v2`, `arxiv.org/abs/hep-th/9901001`, `ISBN 978-0-…`), with
the prefixes manubot's citation keys use (`doi:`, `pmid:`, `pmcid:`,
`arxiv:`, `isbn:`). `parse` gives one `Identifier` in a normalised form, or
None for anything else (free text, a title).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import unquote

from refkit import doi as doilib

DOI, PMID, PMCID, ARXIV, ISBN = "doi", "pmid", "pmcid", "arxiv", "isbn"
# the CSL variable (and Citation.identifiers key) each kind is kept under
CSL_KEYS = {PMID: "PMID", PMCID: "PMCID", ARXIV: "arXiv", ISBN: "ISBN", DOI: "DOI"}
LABELS = {DOI: "DOI", PMID: "PMID", PMCID: "PMCID", ARXIV: "arXiv", ISBN: "ISBN"}

_PMID = re.compile(r"(?:pmid\s*[:=]?\s*|(?:https?://)?(?:www\.)?(?:pubmed\.ncbi\.nlm\.nih\.gov/"
                   r"|ncbi\.nlm\.nih\.gov/pubmed/))?(?P<id>\d{1,9})/?", re.IGNORECASE)
_PMCID = re.compile(r"(?:pmcid\s*[:=]?\s*|(?:https?://)?(?:www\.)?(?:ncbi\.nlm\.nih\.gov/pmc/articles/"
                    r"|pmc\.ncbi\.nlm\.nih\.gov/articles/))?(?P<id>PMC\d{1,9})/?", re.IGNORECASE)
_ARXIV_ID = r"(?P<id>\d{4}\.\d{4,5}|[a-z-]+(?:\.[A-Za-z]{2})?/\d{7})(?P<version>v\d+)?"
_ARXIV = re.compile(r"(?:arxiv\s*[:=]?\s*|(?:https?://)?(?:www\.|export\.)?arxiv\.org/(?:abs|pdf)/)?"
                    + _ARXIV_ID + r"(?:\.pdf)?/?", re.IGNORECASE)
_ARXIV_MARKED = re.compile(r"(?:arxiv\s*[:=]?\s*|(?:https?://)?(?:www\.|export\.)?arxiv\.org/)", re.IGNORECASE)
_ISBN = re.compile(r"(?:isbn(?:-1[03])?\s*[:=]?\s*)?(?P<id>(?:97[89][-\s]?)?\d[\d\s-]{7,15}[\dXx])",
                   re.IGNORECASE)
_ISBN_MARKED = re.compile(r"isbn", re.IGNORECASE)
_DOI_MARKED = re.compile(r"^(?:doi\s*[:=]|(?:https?://)?(?:dx\.|www\.)?doi\.org/|10\.)", re.IGNORECASE)


@dataclass(frozen=True)
class Identifier:
    """One identifier: its `kind` (DOI, PMID, …), the `value` in normal form
    (a cleaned DOI, digits, PMC123, an arXiv id without version, an ISBN-13),
    and the `text` as given."""

    kind: str
    value: str
    text: str
    version: str = ""  # an arXiv id's "v2"

    @property
    def label(self) -> str:
        """How a person writes it: "PMID 123", "arXiv:2101.00001", "DOI 10.1000/x"."""
        sep = ":" if self.kind == ARXIV else " "
        return f"{LABELS[self.kind]}{sep}{self.value}{self.version}"


def parse(text: str) -> Identifier | None:
    """The identifier `text` is (nothing else around it), or None."""
    text = text.strip().strip("<>").strip()
    if not text:
        return None
    if _DOI_MARKED.match(text) or "doi.org" in text.lower():
        cleaned = doilib.whole(unquote(text))  # a doi.org link may %-encode the slash
        return Identifier(DOI, cleaned, text) if cleaned and doilib.is_valid(cleaned) else None
    for kind, pattern in ((PMCID, _PMCID), (ARXIV, _ARXIV), (PMID, _PMID)):
        m = pattern.fullmatch(text)
        if m and (kind != ARXIV or _arxiv_plausible(text, m)):
            value = m.group("id")
            value = value.upper() if kind == PMCID else value
            return Identifier(kind, value, text, m.groupdict().get("version") or "")
    m = _ISBN.fullmatch(text)
    if m:
        isbn = isbn13(m.group("id"))
        if isbn and (_ISBN_MARKED.match(text) or len(re.sub(r"\D", "", text)) >= 10):
            return Identifier(ISBN, isbn, text)
    return None


def _arxiv_plausible(text: str, m: re.Match[str]) -> bool:
    """An old-style id (hep-th/9901001) or a marked one always; a bare
    new-style id (2101.00001) when its yymm is a real month."""
    if _ARXIV_MARKED.match(text) or "/" in m.group("id"):
        return True
    month = int(m.group("id")[2:4])
    return 1 <= month <= 12


def isbn13(text: str) -> str | None:
    """`text` (ISBN-10 or -13, hyphens and spaces allowed) as a checked
    ISBN-13; None when the check digit is wrong."""
    digits = re.sub(r"[\s-]", "", text).upper()
    if re.fullmatch(r"\d{9}[\dX]", digits):
        total = sum((10 - i) * (10 if c == "X" else int(c)) for i, c in enumerate(digits))
        if total % 11:
            return None
        digits = "978" + digits[:9]
        return digits + _isbn13_check(digits)
    if re.fullmatch(r"97[89]\d{10}", digits):
        return digits if _isbn13_check(digits[:12]) == digits[12] else None
    return None


def _isbn13_check(first12: str) -> str:
    total = sum(int(c) * (1 if i % 2 == 0 else 3) for i, c in enumerate(first12))
    return str((10 - total % 10) % 10)


def split_identifiers(line: str) -> list[Identifier] | None:
    """Every identifier on a line that holds nothing else (separated by white
    space, commas or semicolons; "doi: 10.…" and "PMID: 123" kept together);
    None when anything on it is not an identifier."""
    whole = parse(line)
    if whole is not None:
        return [whole]
    tokens = [t for t in re.split(r"[\s,;]+", line.strip()) if t]
    found: list[Identifier] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token.endswith(":") and index + 1 < len(tokens):  # "PMID: 123", "doi: 10.…"
            token, index = token + tokens[index + 1], index + 1
        identifier = parse(token)
        if identifier is None:
            return None
        found.append(identifier)
        index += 1
    return found or None
