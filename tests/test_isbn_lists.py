"""Several ISBNs printed for one work (a .bib field with "," ";" or " / "
between them, several RIS SN lines, a CSL-JSON ISBN array) all survive
`refkit export` into every format, each as printed, read back by pybtex,
rispy and json. Every fixture here is synthetic (made up for these tests)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import rispy
from pybtex.database.input.bibtex import Parser

from refkit.standard_numbers import joined, kind, split

PRINT, EBOOK = "978-3-16-148410-0", "0-306-40615-2"  # as printed: hyphens kept, never corrected
BOTH = f"{PRINT}, {EBOOK}"

# Synthetic records: one book with two ISBNs, as each format writes them.
_BOOKS = {
    "comma.bib": f"@book{{b, author={{Doe, Jane}}, title={{Synthetic book}}, year={{2019}}, isbn={{{PRINT}, {EBOOK}}}}}\n",
    "semicolon.bib": f"@book{{b, title={{Synthetic book}}, year={{2019}}, isbn={{{PRINT}; {EBOOK}}}}}\n",
    "slash.bib": f"@book{{b, title={{Synthetic book}}, year={{2019}}, isbn={{{PRINT} / {EBOOK}}}}}\n",
    "lines.ris": f"TY  - BOOK\nTI  - Synthetic book\nPY  - 2019\nSN  - {PRINT}\nSN  - {EBOOK}\nER  - \n",
    "array.json": json.dumps([{"id": "b", "type": "book", "title": "Synthetic book", "ISBN": [PRINT, EBOOK],
                               "_fixture": "synthetic"}]),
    "spaced.json": json.dumps([{"id": "b", "type": "book", "title": "Synthetic book", "ISBN": f"{PRINT} {EBOOK}",
                                "_fixture": "synthetic"}]),
}


def export(tmp_path: Path, source: str, text: str, fmt: str) -> str:
    """`refkit export SOURCE -t FMT` offline, as text."""
    (tmp_path / source).write_text(text, encoding="utf-8")
    out = tmp_path / f"out.{fmt}"
    run = subprocess.run([sys.executable, "-c", "from refkit.cli import main; main()", "export", source, "-t", fmt,
                          "-o", str(out), "--offline", "--cache-dir", str(tmp_path / "cache")],
                         cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    return out.read_text(encoding="utf-8")


@pytest.mark.parametrize("source", sorted(_BOOKS))
@pytest.mark.parametrize("fmt", ["bibtex", "ris", "csljson"])
def test_every_isbn_survives_export(tmp_path, source, fmt):
    """Each ISBN comes out as printed: RIS in one SN line (Zotero keeps the
    first SN of a record), CSL-JSON in its ISBN string, BibTeX in one isbn
    field (a .bib's own field given back as written)."""
    text = export(tmp_path, source, _BOOKS[source], fmt)
    if fmt == "bibtex":
        isbn = next(iter(Parser().parse_string(text).entries.values())).fields["isbn"]
    elif fmt == "ris":
        isbn = rispy.loads(text)[0]["issn"]  # rispy's name for SN
        assert text.count("SN  - ") == 1
    else:
        isbn = json.loads(text)[0]["ISBN"]
    assert split(isbn) == [PRINT, EBOOK]
    if not source.endswith(".bib") or fmt != "bibtex":
        assert isbn == BOTH


def test_a_conference_papers_isbn_reaches_ris(tmp_path):
    """Zotero reads a CONF record's SN as its ISBN; it was left out before."""
    text = export(tmp_path, "conf.bib", "@inproceedings{c, title={Synthetic paper}, booktitle={Proc.}, "
                                        f"year={{2016}}, isbn={{{PRINT}}}}}\n", "ris")
    assert rispy.loads(text)[0]["issn"] == PRINT


def test_a_books_isbns_and_series_issn_both_survive_ris(tmp_path):
    """The ISBNs take the first SN (Zotero's ISBN); the series ISSN a second
    SN, which refkit's reader tells apart by its shape."""
    bib = f"@book{{s, title={{Synthetic series book}}, year={{2019}}, isbn={{{BOTH}}}, issn={{2049-3630}}}}\n"
    text = export(tmp_path, "series.bib", bib, "ris")
    assert [line for line in text.splitlines() if line.startswith("SN")] == [f"SN  - {BOTH}", "SN  - 2049-3630"]
    again = export(tmp_path, "again.ris", text, "csljson")
    assert (json.loads(again)[0]["ISBN"], json.loads(again)[0]["ISSN"]) == (BOTH, "2049-3630")


@pytest.mark.parametrize("ris_type, number", [("JOUR", PRINT), ("BOOK", "2049-3630"), ("CONF", "0302-9743")])
def test_an_sn_of_the_other_kind_survives_ris_to_ris(tmp_path, ris_type, number):
    """An article's ISBN, a book's or a paper's series ISSN alone: written
    back (RIS to RIS and through CSL-JSON), not dropped for its kind."""
    ris = f"TY  - {ris_type}\nTI  - Synthetic work\nPY  - 2019\nSN  - {number}\nER  - \n"
    again = export(tmp_path, "other.ris", ris, "ris")
    assert [line for line in again.splitlines() if line.startswith("SN")] == [f"SN  - {number}"]
    item = json.loads(export(tmp_path, "other2.ris", again, "csljson"))[0]
    assert number in (item.get("ISBN"), item.get("ISSN"))


def test_empty_and_null_isbns_in_a_csl_array_are_passed_over(tmp_path):
    item = {"id": "b", "type": "book", "title": "Synthetic book", "ISBN": ["", None, EBOOK, ["x"]],
            "_fixture": "synthetic"}
    assert json.loads(export(tmp_path, "nulls.json", json.dumps([item]), "csljson"))[0]["ISBN"] == EBOOK


@pytest.mark.parametrize("printed, numbers", [
    (f"{PRINT}, {EBOOK}", [PRINT, EBOOK]),
    (f"{PRINT}/{EBOOK}", [PRINT, EBOOK]),
    ("9780306406157 (hbk.) ; 0306406152 (pbk.)", ["9780306406157 (hbk.)", "0306406152 (pbk.)"]),
    ("ISBN 978-3-16-148410-1; ISBN 0-306-40615-2", ["ISBN 978-3-16-148410-1", "ISBN 0-306-40615-2"]),
    ("978 3 16 148410 0", ["978 3 16 148410 0"]),  # one ISBN printed with spaces
    ("vol. 1/2", ["vol. 1/2"]),  # no list of numbers: kept whole
    (f"see {PRINT}, {EBOOK}", [f"see {PRINT}, {EBOOK}"]),
])
def test_split_keeps_each_number_as_printed(printed, numbers):
    assert split(printed) == numbers


def test_joined_drops_repeats_and_kind_tells_issn_from_isbn():
    assert joined([PRINT, f"{EBOOK}; {PRINT}"]) == BOTH
    assert (kind("2049-3630"), kind(EBOOK), kind("TR-17")) == ("ISSN", "ISBN", None)
