"""Reading order of a PDF page from its glyphs: lines, columns, page furniture.

Whatever library reads the PDF hands over glyphs (a character and its box, in
the order the page draws them). Here they become runs of text (split where a
gap is wider than a word space), the runs become lines, and the page's column
gutters are found from where no run crosses: lines that cross a gutter (a
title, a full-width table or caption) cut the page into bands, and each band
is read column by column. So a two-column reference list reads down the left
column, then the right, and an entry broken by the column break stays whole.
Line numbers in the margin are dropped here; running headers and footers are
dropped across pages by the reader.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

_SPACE_GAP = 0.12  # a gap wider than this share of the line height is a word space
_RUN_GAP = 0.9  # a gap wider than this share of the line height may be a gutter: the run ends
_GUTTER_MIN = 4.0  # points: the narrowest gap between columns
# ligatures as their letters, PDFium's soft hyphen as U+00AD, the hyphens that
# look like "-" as "-" (a non-breaking hyphen in a page range or DOI), zero-width spaces dropped
_LIGATURES = {"ﬀ": "ff", "ﬁ": "fi", "ﬂ": "fl", "ﬃ": "ffi", "ﬄ": "ffl", "ﬅ": "st", "ﬆ": "st",
              "\x02": "\u00ad", "\u2010": "-", "\u2011": "-", "\u200b": "", "\ufeff": ""}


@dataclass(slots=True)
class Glyph:
    """One character as drawn: its text and box (PDF points, y upwards)."""

    text: str
    x0: float
    y0: float
    x1: float
    y1: float


@dataclass(slots=True)
class Run:
    """Glyphs of one line that follow each other with no gap wider than a word space."""

    glyphs: list[Glyph]
    spaced: list[bool]  # spaced[i]: a word space comes before glyphs[i]
    x0: float = 0.0
    y0: float = 0.0
    x1: float = 0.0
    y1: float = 0.0

    def __post_init__(self) -> None:
        self.x0 = min(g.x0 for g in self.glyphs)
        self.x1 = max(g.x1 for g in self.glyphs)
        self.y0 = min(g.y0 for g in self.glyphs)
        self.y1 = max(g.y1 for g in self.glyphs)

    @property
    def height(self) -> float:
        return self.y1 - self.y0

    def text(self) -> str:
        return "".join((" " if space else "") + g.text for g, space in zip(self.glyphs, self.spaced)).strip()

    def split_at(self, x: float) -> tuple["Run", "Run"] | None:
        """The run cut at the first word space at or after `x`, or None."""
        for i in range(1, len(self.glyphs)):
            if self.glyphs[i].x0 >= x and self.spaced[i]:
                return Run(self.glyphs[:i], self.spaced[:i]), Run(self.glyphs[i:], self.spaced[i:])
        return None


@dataclass
class Line:
    """A line of text in reading order: where it starts, its height, which column."""

    text: str
    x0: float
    y0: float
    x1: float
    y1: float
    column_left: float = 0.0  # the left edge of the column the line sits in
    runs: list[Run] = field(default_factory=list, repr=False)

    @property
    def indent(self) -> float:
        """How far the line starts right of its column's edge, in line heights."""
        return (self.x0 - self.column_left) / max(self.y1 - self.y0, 1.0)


def document_lines(pages: list[list[Glyph]]) -> list[list[Line]]:
    """The lines of each page in reading order, line numbers dropped. A page
    whose columns are too short to show their gutter (a list ending with a
    line or two at the top of the next column) takes the gutter most other
    pages show, when that strip is clear on it."""
    runs = [_without_line_numbers(_runs(glyphs)) for glyphs in pages]
    gutters = [_gutters(page) if page else [] for page in runs]
    common = Counter(tuple(round(x) for x in g[0]) for g in gutters if len(g) == 1).most_common(1)
    lines = []
    for page, found in zip(runs, gutters):
        if not found and common and _clear(page, common[0][0]):
            found = [common[0][0]]
        lines.append(_read_bands(_split_across(page, found), found) if page else [])
    return lines


def _clear(runs: list[Run], gutter: tuple[float, float]) -> bool:
    """Whether text sits on both sides of `gutter` on this page and hardly any crosses it."""
    x0, x1 = gutter
    crossing = sum(1 for r in runs if r.x0 < x0 and r.x1 > x1)
    return (crossing <= max(2, len(runs) // 50) and any(r.x1 <= x1 for r in runs)
            and any(r.x0 >= x0 for r in runs))


# --- glyphs to runs ---------------------------------------------------------------------------

def _runs(glyphs: list[Glyph]) -> list[Run]:
    """Glyphs in drawing order grouped into runs; spaces become flags, not glyphs."""
    runs: list[Run] = []
    current: list[Glyph] = []
    spaced: list[bool] = []
    space_pending = False
    for glyph in glyphs:
        text = _LIGATURES.get(glyph.text, glyph.text)
        if not text.strip():
            space_pending = bool(current)
            continue
        glyph.text = text
        if current and _continues(current[-1], glyph):
            gap = glyph.x0 - current[-1].x1
            spaced.append(space_pending or gap > _SPACE_GAP * _height(current[-1], glyph))
            current.append(glyph)
        else:
            if current:
                runs.append(Run(current, spaced))
            current, spaced = [glyph], [False]
        space_pending = False
    if current:
        runs.append(Run(current, spaced))
    return runs


def _height(a: Glyph, b: Glyph) -> float:
    return max(a.y1 - a.y0, b.y1 - b.y0, 1.0)


def _continues(last: Glyph, glyph: Glyph) -> bool:
    """Whether `glyph` follows `last` on the same line, close enough to be one run."""
    height = _height(last, glyph)
    overlap = min(last.y1, glyph.y1) - max(last.y0, glyph.y0)
    gap = glyph.x0 - last.x1
    # a ligature's letters share one box, so a glyph may start where the last one did
    return (overlap > 0.4 * min(last.y1 - last.y0, glyph.y1 - glyph.y0)
            and glyph.x0 >= last.x0 - 0.25 * height and gap < _RUN_GAP * height)


# --- margins: line numbers ---------------------------------------------------------------------

def _without_line_numbers(runs: list[Run]) -> list[Run]:
    """Drop a manuscript's line numbers: many runs of bare digits left or right of all the text."""
    digits = [r for r in runs if re.fullmatch(r"\d{1,4}", r.text())]
    text = [r for r in runs if r not in digits]
    if len(digits) < 5 or not text:
        return runs
    left, right = min(r.x0 for r in text), max(r.x1 for r in text)
    margin = [r for r in digits if r.x1 <= left or r.x0 >= right]
    if len(margin) < 5:
        return runs
    dropped = set(map(id, margin))
    return [r for r in runs if id(r) not in dropped]


# --- columns ----------------------------------------------------------------------------------

def _gutters(runs: list[Run]) -> list[tuple[float, float]]:
    """The x-ranges between columns: wide strips in the page's middle that no
    run crosses but a minority of full-width ones, with columns of text on both sides."""
    left_edge, right_edge = _percentile([r.x0 for r in runs], 0.05), _percentile([r.x1 for r in runs], 0.95)
    width = right_edge - left_edge
    if width <= 0:
        return []
    found = _widest_clear_strip(runs, left_edge + 0.2 * width, right_edge - 0.2 * width)
    if found is None:
        return []
    x0, x1 = found
    left = [r for r in runs if r.x1 <= x0 + 1]
    right = [r for r in runs if r.x0 >= x1 - 1]
    if len(left) < 4 or len(right) < 4 or not _side_by_side(left, right):
        return []
    return [found]


def _widest_clear_strip(runs: list[Run], low: float, high: float) -> tuple[float, float] | None:
    """The widest x-range within [low, high] crossed by the fewest runs (a sweep over run edges)."""
    if high - low < _GUTTER_MIN:
        return None
    events = sorted([(r.x0, 1) for r in runs] + [(r.x1, -1) for r in runs])
    covering, previous, strips = 0, None, []
    for x, change in events:
        if previous is not None and x > previous:
            a, b = max(previous, low), min(x, high)
            if b > a:
                strips.append((covering, a, b))
        covering += change
        previous = x
    if previous is not None and previous < high:
        strips.append((0, max(previous, low), high))
    if not strips:
        return None
    fewest = min(c for c, _, _ in strips)
    if fewest > 0.3 * len(runs):
        return None
    allowed = fewest + max(2, len(runs) // 50)  # a page number or two may sit in the gutter
    merged: list[tuple[float, float]] = []
    for count, a, b in strips:
        if count > allowed:
            continue
        if merged and abs(merged[-1][1] - a) < 0.01:
            merged[-1] = (merged[-1][0], b)
        else:
            merged.append((a, b))
    best = max(merged, key=lambda s: s[1] - s[0])
    return best if best[1] - best[0] >= _GUTTER_MIN else None


def _side_by_side(left: list[Run], right: list[Run]) -> bool:
    """Whether runs left and right of a strip share a vertical stretch (columns, not a caption beside a figure)."""
    lo = max(min(r.y0 for r in left), min(r.y0 for r in right))
    hi = min(max(r.y1 for r in left), max(r.y1 for r in right))
    tallest = max(r.height for r in left + right)
    return hi - lo > 3 * tallest


def _split_across(runs: list[Run], gutters: list[tuple[float, float]]) -> list[Run]:
    """Cut runs that bridge a gutter at a word space inside it (two columns' lines drawn as one)."""
    out: list[Run] = []
    for run in runs:
        for x0, x1 in gutters:
            if run.x0 < x0 and run.x1 > x1:
                parts = _split_in_gutter(run, x0, x1)
                if parts:
                    out.extend(parts)
                    break
        else:
            out.append(run)
    return out


def _split_in_gutter(run: Run, x0: float, x1: float) -> tuple[Run, Run] | None:
    for i in range(1, len(run.glyphs)):
        before, after = run.glyphs[i - 1], run.glyphs[i]
        if before.x1 <= x1 and after.x0 >= x0 and after.x0 - before.x1 >= 0.5 * (x1 - x0):
            return Run(run.glyphs[:i], run.spaced[:i]), Run(run.glyphs[i:], [False] + run.spaced[i + 1:])
    return None


def _column_of(run: Run, gutters: list[tuple[float, float]]) -> int | None:
    """0 for the leftmost column, 1 for the next...; None for a run that
    reaches across a gutter into the next column (a line running into the
    gutter, as justified text may, stays in its column)."""
    column = 0
    for x0, x1 in gutters:
        if run.x1 <= x1:
            return column
        if run.x0 < x0:
            return None
        column += 1
    return column


# --- bands to lines ---------------------------------------------------------------------------

def _read_bands(runs: list[Run], gutters: list[tuple[float, float]]) -> list[Line]:
    """Top to bottom: rows with a run across a gutter cut the page into bands,
    and each band is read column by column."""
    columns = [_column_of(r, gutters) for r in runs]
    spanning_rows = _rows(sorted((r for r, c in zip(runs, columns) if c is None), key=lambda r: -r.y1))
    bounds = [(max(r.y1 for r in row), min(r.y0 for r in row)) for row in spanning_rows]
    bands: list[dict[int, list[Run]]] = [{} for _ in range(len(spanning_rows) + 1)]
    for run, column in zip(runs, columns):
        if column is None:
            continue
        row = next((k for k, (top, bottom) in enumerate(bounds)
                    if min(top, run.y1) - max(bottom, run.y0) > 0.5 * run.height), None)
        if row is not None:
            spanning_rows[row].append(run)
        else:
            middle = (run.y0 + run.y1) / 2
            bands[sum(1 for top, bottom in bounds if (top + bottom) / 2 > middle)].setdefault(column, []).append(run)
    lefts = _column_lefts(runs, columns)
    lines: list[Line] = []
    for k, band in enumerate(bands):
        for column in sorted(band):
            lines.extend(_lines_of(band[column], lefts[column]))
        if k < len(spanning_rows):
            lines.extend(_lines_of(spanning_rows[k], lefts[None]))
    return lines


def _column_lefts(runs: list[Run], columns: list[int | None]) -> dict[int | None, float]:
    """The left edge of each column (and, under None, of the page's text)."""
    lefts: dict[int | None, float] = {None: _percentile([r.x0 for r in runs], 0.02)}
    for column in set(columns) - {None}:
        lefts[column] = _percentile([r.x0 for r, c in zip(runs, columns) if c == column], 0.02)
    return lefts


def _rows(runs: list[Run]) -> list[list[Run]]:
    """Runs (sorted top-down) grouped into rows that share a baseline band."""
    rows: list[list[Run]] = []
    for run in runs:
        if rows and _same_row(rows[-1], run):
            rows[-1].append(run)
        else:
            rows.append([run])
    return rows


def _same_row(row: list[Run], run: Run) -> bool:
    top, bottom = max(r.y1 for r in row), min(r.y0 for r in row)
    overlap = min(top, run.y1) - max(bottom, run.y0)
    return overlap > 0.5 * min(run.height, top - bottom)


def _lines_of(runs: list[Run], left: float) -> list[Line]:
    """Runs of one column (or one spanning row) joined into lines, top to bottom."""
    lines = []
    for row in _rows(sorted(runs, key=lambda r: (-r.y1, r.x0))):
        row.sort(key=lambda r: r.x0)
        text = " ".join(t for t in (r.text() for r in row) if t)
        lines.append(Line(text, row[0].x0, min(r.y0 for r in row), max(r.x1 for r in row),
                          max(r.y1 for r in row), left, row))
    return lines


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]
