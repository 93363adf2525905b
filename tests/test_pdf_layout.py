"""PDF reference lists from real layouts, on synthetic PDFs written by hand
(tests.test_pdf.make_pdf; every text here is made up): two columns read in
order with an entry broken by the column break, running headers, footers and
line numbers dropped, an author-year list split by its hanging indent, and
RK404 when a list looks wrong (numbering gaps, restarts, too few entries for
the markers, entries that are not references). Then the limits that keep a
hostile PDF bounded (REFKIT_PDF_MAX_INFLATE_MB, REFKIT_DOC_SECONDS,
REFKIT_PDF_MAX_PAGE_CHARS), through refkit.read and the CLI."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import zlib
from pathlib import Path

import pytest
import refkit
from refkit.errors import InputError
from refkit.readers import pdf as pdf_reader

from .test_pdf import make_pdf

LEFT, RIGHT, TOP, BOTTOM, STEP, SIZE = 50, 320, 700, 80, 11, 9
HEADER = (50, 760, "Synthetic Journal of Layout Tests 2024;1:1-12", 8)


def entry_lines(label: str, text: str, width: int = 46) -> list[str]:
    """An entry's printed lines: the label, then the text wrapped at `width` characters."""
    words, lines, line = f"{label} {text}".split(), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return lines + [line]


def numbered(n: int) -> str:
    return (f"Author{n} A, Writer{n} B. A made-up study number {n} of synthetic layouts. "
            f"J Synth Res. {2000 + n};{n}:{10 * n}-{10 * n + 5}.")


def column_pages(blocks: list[list[str]], indent: float = 0, hanging: float = 0) -> list[list[tuple]]:
    """Place blocks of lines down the left column, then the right, then on a
    new page, breaking wherever a column fills (inside a block too). A block's
    first line sits at `indent`, the rest at `hanging` (points right of the
    column edge). Every page gets the running header and a page number."""
    pages: list[list[tuple]] = [[]]
    column, y = 0, TOP
    for block in blocks:
        for i, text in enumerate(block):
            if y < BOTTOM:
                column, y = column + 1, TOP
                if column == 2:
                    pages.append([])
                    column = 0
            x = (LEFT, RIGHT)[column] + (indent if i == 0 else hanging)
            pages[-1].append((x, y, text, SIZE))
            y -= STEP
    return [[HEADER, *page, (300, 40, str(number), 8)] for number, page in enumerate(pages, start=2)]


def two_columns(blocks: list[list[str]], indent: float = 0, hanging: float = 0) -> list[tuple]:
    """One page of `column_pages`."""
    first, = column_pages(blocks, indent, hanging)
    return first


def write(tmp_path: Path, pages: list[list[tuple]], name: str = "made.pdf") -> Path:
    path = tmp_path / name
    path.write_bytes(make_pdf(pages))
    return path


def run_cli(*args: str | Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """The refkit command in a new process, as a user runs it."""
    return subprocess.run([sys.executable, "-c", "from refkit.cli import main; main()", *map(str, args)],
                          capture_output=True, text=True, encoding="utf-8",
                          env={**os.environ, **(env or {})}, timeout=120)


def references(path: Path):
    return [c for c in refkit.read([path]).citations if c.kind.value == "reference"]


def list_warnings(path: Path) -> list:
    return [f for f in refkit.read([path]).findings if f.code.code == "RK404"]


def body_page(cited: range) -> list[tuple]:
    """A first page: a full-width title over two columns of body text citing `cited`."""
    lines = [(LEFT, 730, "A synthetic article on reading two-column reference lists", 14)]
    text = [f"Body sentence citing [{n}] in the synthetic text." for n in cited]
    return [*lines, *two_columns([[t] for t in text])[:-1], (300, 40, "1", 8)]


def test_two_column_list_reads_down_each_column_and_keeps_an_entry_broken_by_the_column_break(tmp_path) -> None:
    blocks = [["References"]] + [entry_lines(f"{n}.", numbered(n)) for n in range(1, 25)]
    placed = two_columns(blocks)
    left_last = max(i for i, p in enumerate(placed) if p[0] == LEFT)
    broken = next(n for n in range(1, 25) if placed[left_last][2] in entry_lines(f"{n}.", numbered(n))[1:-1]
                  or placed[left_last][2] == entry_lines(f"{n}.", numbered(n))[0])
    margin_numbers = [(20, y, str(k), 7) for k, y in enumerate(range(TOP, BOTTOM - 1, -STEP), start=1)]
    path = write(tmp_path, [body_page(range(1, 25)), [*placed, *margin_numbers]])
    found = references(path)
    assert [c.label for c in found] == [str(n) for n in range(1, 25)]
    for c in found:
        n = int(c.label)
        assert c.raw == numbered(n), c.raw  # nothing from the other column, the header or the margin
        assert (c.year, c.volume, c.pages) == (2000 + n, str(n), f"{10 * n}-{10 * n + 5}")
        assert c.source.page == 2
    assert found[broken - 1].raw == numbered(broken)  # the entry the column break cut in two
    assert list_warnings(path) == []


def test_entry_broken_by_a_page_break_loses_the_running_header_and_page_number(tmp_path) -> None:
    blocks = [["References"]] + [entry_lines(f"[{n}]", numbered(n)) for n in range(1, 40)]
    path = write(tmp_path, [body_page(range(1, 40)), *column_pages(blocks)])
    found = references(path)
    assert [c.label for c in found] == [str(n) for n in range(1, 40)]
    assert all(c.raw == numbered(int(c.label)) for c in found)
    assert {c.source.page for c in found} == {2, 3}


def author_year(n: int) -> str:
    """An author-year entry; every fifth by an organisation, whose name does not read as an author's."""
    author = "World Synthetic Organization" if n % 5 == 0 else f"Surname{chr(64 + n)}, A. and Other, B."
    return (f"{author} ({1990 + n}) A made-up author-year reference "
            f"that runs over several lines of the column. Synth Rev, {n}, {n}-{n + 9}.")


def test_author_year_list_is_split_by_its_hanging_indent(tmp_path) -> None:
    blocks = [["References"]] + [entry_lines("", author_year(n), 44) for n in range(1, 23)]
    path = write(tmp_path, [body_page(range(1, 3)), [*two_columns(blocks, hanging=12)]])
    found = references(path)
    assert [c.raw for c in found] == [author_year(n) for n in range(1, 23)]
    assert [c.year for c in found] == [1990 + n for n in range(1, 23)]


def test_numbering_gap_is_reported_with_its_page(tmp_path) -> None:
    kept = [n for n in range(1, 21) if n not in (7, 8, 9)]
    blocks = [["References"]] + [entry_lines(f"{n}.", numbered(n)) for n in kept]
    path = write(tmp_path, [body_page(range(1, 21)), [*two_columns(blocks)]])
    assert [c.label for c in references(path)] == [str(n) for n in kept]
    warning, = list_warnings(path)
    assert "page 2" in warning.message and "7–9" in warning.message and warning.source.page == 2
    assert warning.evidence["missing"] == [7, 8, 9]


def test_list_stopping_after_its_first_entry_is_reported(tmp_path) -> None:
    """Labels the reader cannot take as the next entry (here the numbering
    starts again) leave one long entry: never a silent partial list."""
    blocks = [["References"]] + [entry_lines(f"{n}.", numbered(n)) for n in (1, 13, 14, 15, 16, 17, 18, 19)]
    path = write(tmp_path, [body_page(range(1, 9)), [*two_columns(blocks)]])
    assert [c.label for c in references(path)] == ["1"]
    messages = " | ".join(f.message for f in list_warnings(path))
    assert "page 2" in messages and "jumps at 13 after entry 1" in messages
    assert "the text cites 8 reference numbers (up to 8) but the list has 1 entry; 2–8 are not in it" in messages


def test_numbering_that_starts_again_is_reported(tmp_path) -> None:
    blocks = [["References"]] + [entry_lines(f"{n}.", numbered(n)) for n in (1, 2, 3, 4, 5, 1, 2, 3)]
    path = write(tmp_path, [body_page(range(1, 6)), [*two_columns(blocks)]])
    assert [c.label for c in references(path)] == ["1", "2", "3", "4", "5"]
    warning, = list_warnings(path)
    assert "the numbering starts again at 1 after entry 5" in warning.message


def test_table_taken_for_the_list_is_reported(tmp_path) -> None:
    rows = [[f"{n}. Plant extract {n} mouthwash group and placebo controlled arm"] for n in range(1, 12)]
    path = write(tmp_path, [[HEADER, (LEFT, 720, "References", 10), *two_columns(rows)]])
    warnings = list_warnings(path)
    assert any("entries show no year, DOI or page range" in w.message for w in warnings)


def test_cli_shows_the_list_warning(tmp_path) -> None:
    blocks = [["References"]] + [entry_lines(f"{n}.", numbered(n)) for n in range(1, 21) if n != 12]
    path = write(tmp_path, [body_page(range(1, 21)), [*two_columns(blocks)]])
    result = run_cli("extract", path)
    assert result.returncode == 0, result.stderr
    assert "RK404" in result.stdout and "12" in result.stdout


# --- limits ------------------------------------------------------------------------------------

def test_decompression_bomb_is_refused_in_one_line(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(pdf_reader, "MAX_INFLATE_BYTES", 1024 * 1024)
    bomb = zlib.compress(b"0 0 m\n" * (2 * 1024 * 1024 // 6 + 1), 9)
    path = tmp_path / "bomb.pdf"
    path.write_bytes(make_pdf([[]], streams=[bomb]))
    with pytest.raises(InputError, match="inflates past 1 MB.*REFKIT_PDF_MAX_INFLATE_MB"):
        refkit.read([path])
    result = run_cli("extract", path, env={"REFKIT_PDF_MAX_INFLATE_MB": "1"})
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        f"refkit: error: {path}: a stream at byte 267 inflates past 1 MB (a decompression bomb?); "
        "set REFKIT_PDF_MAX_INFLATE_MB to raise the limit"]


def test_document_time_budget_is_one_line(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(pdf_reader, "DOC_SECONDS", 0.0)
    path = write(tmp_path, [body_page(range(1, 3))])
    with pytest.raises(InputError, match="REFKIT_DOC_SECONDS"):
        refkit.read([path])


def test_page_over_the_character_limit_is_skipped_and_reported(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(pdf_reader, "MAX_PAGE_CHARS", 2000)
    crowded = [(LEFT, 780 - 7 * i, f"line {i} " + "abcdefghij" * 8, 6) for i in range(100)]
    blocks = [["References"]] + [entry_lines(f"{n}.", numbered(n)) for n in range(1, 6)]
    path = write(tmp_path, [crowded, [*two_columns(blocks)]])
    corpus = refkit.read([path])
    assert [c.label for c in corpus.citations if c.kind.value == "reference"] == ["1", "2", "3", "4", "5"]
    skipped, = [f for f in corpus.findings if f.code.code == "RK403"]
    assert skipped.source.page == 1 and "REFKIT_PDF_MAX_PAGE_CHARS" in skipped.message


def test_list_goes_on_after_a_table_placed_inside_it(tmp_path) -> None:
    """A table (caption and numbered rows) printed at the top of a page
    between two entries of the list: not entries, and not the list's end."""
    first, = column_pages([["References"]] + [entry_lines(f"{n}.", numbered(n)) for n in range(1, 37)])
    table = [(LEFT, 745, "Table 3. Synthetic measurements by group", 9)] + [
        (x, 735 - 10 * row, cell, 8) for row in range(1, 6)
        for x, cell in ((LEFT, f"{row}. Group {row}"), (150, f"{row * 7} mg"), (220, f"{row * 3}%"))]
    rest, = column_pages([entry_lines(f"{n}.", numbered(n)) for n in range(37, 46)])
    rest = [(x, y - 80, t, s) if y < 750 and (x, y) != (300, 40) else (x, y, t, s) for x, y, t, s in rest]
    path = write(tmp_path, [body_page(range(1, 46)), first, [*table, *rest]])
    found = references(path)
    assert [c.label for c in found] == [str(n) for n in range(1, 46)]
    assert all(c.raw == numbered(int(c.label)) for c in found)
    assert list_warnings(path) == []


def test_page_of_millions_of_text_operators_is_refused_in_one_line(tmp_path) -> None:
    """A small PDF whose one page draws 9 MB of text operators (issue 9 saw
    20 MB): the page is over the character limit and nothing else is there to read."""
    operators = "".join(f"BT /F1 1 Tf {i % 600} {i // 600 % 790} Td (x) Tj ET\n" for i in range(250_000)).encode()
    path = tmp_path / "operators.pdf"
    path.write_bytes(make_pdf([[]], streams=[zlib.compress(operators, 9)]))
    result = run_cli("extract", path)
    assert result.returncode == 2
    [line] = result.stderr.strip().splitlines()
    assert re.fullmatch(rf"refkit: error: {re.escape(str(path))}: nothing read: page 1 not read: [\d,]+ "
                        r"characters, over the 200,000 limit \(REFKIT_PDF_MAX_PAGE_CHARS\)", line), line
