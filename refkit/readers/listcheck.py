"""Does a reference list look whole? A reader that found a list says so
(RK404 list-suspect, naming the page) when its numbering has gaps or starts
again, when the text cites far more numbers than the list holds, when
entries are far too long (several merged, or body text swallowed), or when
most entries show nothing a reference has (a table or body text taken for
the list). A partial list is never passed off as a whole one.
"""

from __future__ import annotations

import re
import statistics
from dataclasses import asdict, dataclass

from refkit import codes
from refkit.model import Citation, Finding, Location
from refkit.readers.markers import cites_by_number, numeric_markers
from refkit.refparse import YEAR

LONG_ENTRY = 1500  # characters: longer than any real reference but a few annotated ones
# a run of digits is tried from its first digit only ((?<!\d)): from every one
# of them, a 24,000-digit run cost 10 CPU-s (found by the fuzz benchmark)
_SHAPE = re.compile(rf"\b{YEAR}[a-z]?\b|10\.\d{{4,9}}/|(?<!\d)\d+\s*[-–]\s*\d+|\bpp?\.\s*\d|(?<!\d)\d+\s*\(\d+\)")


def looks_like_reference(text: str) -> bool:
    """Whether `text` shows something every reference has: a year, a DOI, a page range or volume(issue)."""
    return bool(_SHAPE.search(text))


@dataclass(frozen=True)
class StrayLabel:
    """A line inside the list that starts with a label out of sequence (read as
    part of the entry before it): where, which number, after which entry."""

    line: int
    label: int
    after: int


def list_findings(path: str, citations: list[Citation], start_line: int, pages: list[int] | None,
                  body: list[str], strays: list[StrayLabel]) -> list[Finding]:
    """RK404 findings about the list of `citations` that starts at `start_line`."""
    if not citations:
        return []
    where = _where(path, start_line, pages)
    findings = []
    for message, evidence in (_numbering(citations, strays), _markers(citations, body),
                              _lengths(citations), _shapes(citations)):
        if message:
            findings.append(Finding(codes.LIST_SUSPECT, f"reference list on {_page_words(where)}: {message}",
                                    source=where, evidence=evidence))
    return findings


def _where(path: str, line: int, pages: list[int] | None) -> Location:
    page = pages[line - 1] if pages and 0 < line <= len(pages) else None
    return Location(path, line, page)


def _page_words(where: Location) -> str:
    return f"page {where.page}" if where.page is not None else f"line {where.line}"


def _numbering(citations: list[Citation], strays: list[StrayLabel]) -> tuple[str, dict]:
    """Numbers missing from the sequence, and labels out of sequence (the
    numbering starting again, or jumping) that were read inside an entry."""
    printed = sorted(int(c.label) for c in citations if c.label.isdigit() and not c.extra.get("label_restored"))
    missing = sorted(set(range(printed[0], printed[-1] + 1)) - set(printed)) if len(printed) > 1 else []
    parts = []
    if missing:
        parts.append(f"numbers {_ranges(missing)} are missing from {printed[0]}–{printed[-1]}")
    if strays:
        first = strays[0]
        how = "starts again" if first.label <= first.after else "jumps"
        parts.append(f"the numbering {how} at {first.label} after entry {first.after} (line {first.line}); "
                     f"{len(strays)} line{'s' if len(strays) > 1 else ''} with such a label {'were' if len(strays) > 1 else 'was'} "
                     "read as part of the entry before")
    return "; ".join(parts), {"missing": missing, "strays": [asdict(s) for s in strays]}


def _markers(citations: list[Citation], body: list[str]) -> tuple[str, dict]:
    """Far more numbers cited in the text than the list has entries."""
    markers = numeric_markers(body, len(citations))
    if not markers or not cites_by_number(markers, len(citations)):
        return "", {}
    listed = {int(c.label) for c in citations if c.label.isdigit()}
    cited = sorted({int(m.label) for m in markers})
    unlisted = [n for n in cited if n not in listed]
    if len(unlisted) < max(3, 0.2 * len(citations)):
        return "", {}
    return (f"the text cites {len(cited)} reference numbers (up to {cited[-1]}) but the list has "
            f"{len(citations)} entr{'y' if len(citations) == 1 else 'ies'}; {_ranges(unlisted)} are not in it",
            {"cited": len(cited), "highest": cited[-1], "entries": len(citations), "unlisted": unlisted})


def _lengths(citations: list[Citation]) -> tuple[str, dict]:
    """Entries far longer than a reference: several merged, or body text taken in."""
    typical = statistics.median(len(c.raw) for c in citations)
    long = [c for c in citations if len(c.raw) > LONG_ENTRY or (len(c.raw) > 4 * typical and len(c.raw) > 600)]
    if not long:
        return "", {}
    first = long[0]
    return (f"{len(long)} entr{'y is' if len(long) == 1 else 'ies are'} far longer than a reference "
            f"(entry {first.label}: {len(first.raw):,} characters, typical {typical:,.0f}), "
            "as if entries were merged or other text was taken in",
            {"labels": [c.label for c in long], "lengths": [len(c.raw) for c in long], "typical": typical})


def _shapes(citations: list[Citation]) -> tuple[str, dict]:
    """Most entries show no year, DOI, page range or volume(issue): not a reference list."""
    shapeless = [c for c in citations if not looks_like_reference(c.raw)]
    if len(citations) < 3 or len(shapeless) <= len(citations) / 2:
        return "", {}
    return (f"{len(shapeless)} of {len(citations)} entries show no year, DOI or page range: "
            "a table or body text taken for the list?", {"labels": [c.label for c in shapeless]})


def _ranges(numbers: list[int]) -> str:
    """[5, 9, 10, 11] -> "5, 9–11" (at most ten ranges, then "…")."""
    ranges: list[list[int]] = []
    for n in numbers:
        if ranges and n == ranges[-1][1] + 1:
            ranges[-1][1] = n
        else:
            ranges.append([n, n])
    words = [str(a) if a == b else f"{a}–{b}" for a, b in ranges[:10]]
    return ", ".join(words) + (", …" if len(ranges) > 10 else "")
