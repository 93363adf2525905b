"""`refkit extract` end to end through the console entry point (a real
subprocess, so exit codes and stderr are what a user sees)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path


def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", "from refkit.cli import main; main()", "extract", *map(str, args)],
                          capture_output=True, text=True, encoding="utf-8", timeout=120)


def test_table_for_v1_lists_nine_entries_with_year_and_note_count(examples: Path) -> None:
    result = run(examples / "citations-page-v1.txt")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    rows = [line for line in lines if line.rstrip().endswith(" 1n")]
    assert [row.split()[:2] for row in rows] == [
        [str(i), year] for i, year in enumerate("2010 2010 2010 2010 2024 2014 2015 2017 2022".split(), 1)]
    assert max(map(len, lines)) <= 100
    assert "9 citations" in result.stdout and "9 notes attached" in result.stdout


def test_json_for_all_examples_has_the_documented_shape_and_summary(examples: Path) -> None:
    result = run(examples, "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["version"] == 1
    assert set(data) == {"version", "documents", "citations", "orphan_notes", "findings", "summary"}
    summary = data["summary"]
    assert summary.pop("with_doi") > 130  # how many DOIs the PDF's list prints is the reflist reader's business
    assert summary == {"documents": 5, "citations": 169, "notes_attached": 18, "orphan_notes": 1,
                       "copies_recognised": 2, "unlisted": 13}
    codes = sorted(f["code"] for f in data["findings"])
    assert codes.count("RK108") == 1 and codes.count("RK401") == 1 and codes.count("RK402") == 13
    first = data["citations"][0]
    assert {"authors", "year", "title", "container", "volume", "issue", "pages", "doi_printed", "notes"} <= set(first)
    noted = next(c for c in data["citations"] if c["notes"])
    assert noted["notes"][0]["text"] and noted["notes"][0]["line"]


def test_output_file_is_written_and_inputs_are_never_overwritten(examples: Path, tmp_path: Path) -> None:
    out = tmp_path / "extracted.json"
    assert run(examples / "citations-page-v1.txt", "--format", "json", "-o", out).returncode == 0
    assert len(json.loads(out.read_text(encoding="utf-8"))["citations"]) == 9
    page = tmp_path / "page.txt"
    page.write_bytes((examples / "citations-page-v1.txt").read_bytes())
    result = run(page, "-o", page)
    assert result.returncode != 0 and page.read_bytes() == (examples / "citations-page-v1.txt").read_bytes()


def test_bad_input_is_one_line_and_exit_2(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    result = run(empty)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [f"refkit: error: {empty}: file is empty"]


def test_from_forces_a_reader(tmp_path: Path) -> None:
    prose = tmp_path / "prose.txt"
    prose.write_text("Nothing here is a titled entry, only a sentence of prose.\n", encoding="utf-8")
    result = run(prose, "--from", "citations-page")
    assert result.returncode == 2 and "no annotated entries" in result.stderr
    sniffed = run(prose)  # read as an article that cites nothing: nothing read is no success
    assert sniffed.returncode == 2 and "no references found in 1 document (read as article)" in sniffed.stderr


def test_editors_are_shown_in_the_table_and_the_json(tmp_path: Path) -> None:
    """An edited book names its editors only; they were dropped from both
    views (synthetic list, invented works)."""
    listing = tmp_path / "list.txt"
    listing.write_text("References\n\n"
                       "1. Brandt T, Yi S, editors. Invented handbook of lakes. New York: Fictional Press; 2010.\n"
                       "2. Okafor A, Lindqvist B. An invented chapter on lakes. In: Brandt T, Yi S, editors. "
                       "Invented Handbook of Lakes. Fictional Press; 2010. p. 12-30.\n", encoding="utf-8")
    table = run(listing)
    assert table.returncode == 0, table.stderr
    assert "Brandt et al. (eds.)" in table.stdout
    data = json.loads(run(listing, "--format", "json").stdout)
    assert [(c["authors"], c["editors"]) for c in data["citations"]] == [
        ([], ["Brandt, T", "Yi, S"]), (["Okafor, A", "Lindqvist, B"], ["Brandt, T", "Yi, S"])]
