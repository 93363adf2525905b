"""Regressions found by benchmarks/bench_fuzz.py, each through the CLI or
the public API: the smallest input that showed the failure, and what must
hold instead."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from pybtex.database.input.bibtex import Parser

from refkit.refparse.fields import MAX_REFERENCE_CHARS, parse_reference

from .conftest import REPO


def refkit(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", "from refkit.cli import main; main()", *map(str, args)],
                          capture_output=True, text=True, timeout=120, env={**os.environ, "PYTHONPATH": str(REPO)})


def test_free_text_with_an_at_sign_between_entries_is_not_given_back(tmp_path):
    """A damaged "@com<U+2028>ment{…}" block came back verbatim and made the
    exported .bib unreadable to pybtex and BibTeX."""
    source = tmp_path / "in.bib"
    source.write_text("@string{j = {J}}\n\n@com\u2028ment{jabref-meta: x;}\n\n"
                      "@article{k, author = {Rao, S}, title = {T}, journal = j, year = 2020}\n", encoding="utf-8")
    out = tmp_path / "out.bib"
    result = refkit("export", source, "-t", "bibtex", "-o", out, "--offline", "--cache-dir", tmp_path / "cache")
    assert result.returncode == 0, result.stderr
    exported = out.read_text(encoding="utf-8")
    assert list(Parser().parse_string(exported).entries) == ["k"]
    assert "@string{j = {J}}" in exported


def test_an_entry_that_cannot_be_read_takes_neither_the_strings_before_it_nor_leaves_debris(tmp_path):
    """A broken first entry took the @string before it out of the export,
    leaving the next entry's macro undefined, and its remains were written
    back as free text with braces."""
    source = tmp_path / "in.bib"
    source.write_text('@string{jcp = "PLoS One"}\n\n@article{k0,\n  title = {T},\n  doi = {11.1}000/a b},\n'
                      '  eprint = {x}\n}\n\n@book{k1, title = {U}, annote = jcp # " more", year = 2020}\n',
                      encoding="utf-8")
    out = tmp_path / "out.bib"
    result = refkit("export", source, "-t", "bibtex", "-o", out, "--offline", "--cache-dir", tmp_path / "cache")
    assert result.returncode == 0, result.stderr
    exported = out.read_text(encoding="utf-8")
    assert list(Parser().parse_string(exported).entries) == ["k1"]
    assert "11.1}000" not in exported and exported.startswith('@string{jcp = "PLoS One"}')


def test_only_the_start_of_an_overlong_reference_is_parsed():
    """A megabyte 'reference' (a line of a damaged list) made the CRF
    labeller use over a gigabyte; only the first MAX_REFERENCE_CHARS are read."""
    head = "Rao S, Broadbear J. Borderline personality disorder and depression. Australas Psychiatry. "
    fields = parse_reference(head + "word " * (MAX_REFERENCE_CHARS // 5) + "(2019) 27:573-7.")
    # the head is read (how the model labels a thousand "word"s after it is its own affair), the year is not
    assert [a.family for a in fields["authors"]] == ["Rao", "Broadbear"] and fields["year"] is None
    assert parse_reference(head + "(2019) 27:573-7.")["year"] == 2019


def test_an_rk110_finding_names_a_few_of_the_entries_sharing_a_doi_and_counts_the_rest(tmp_path):
    """A file printing one DOI in thousands of entries made each RK110 name
    all the others: gigabytes of messages and notes. Each names ten."""
    record = ("TY  - JOUR\nAU  - Rao, S\nTI  - Borderline personality disorder and depressive disorder\n"
              "PY  - 2019\nDO  - 10.1177/1039856219878643\nER  - \n\n")
    ris = tmp_path / "copies.ris"
    ris.write_text(record * 30, encoding="utf-8")
    result = refkit("check", ris, "--offline", "--format", "json")
    findings = [f for c in json.loads(result.stdout)["citations"] for f in c["findings"] if f["code"] == "RK110"]
    assert len(findings) == 30
    assert all(f["message"].count("entry ") == 10 and " and 19 more: " in f["message"] for f in findings)
    assert {f["evidence"]["sharing"] for f in findings} == {30} and len(findings[0]["evidence"]["entries"]) == 10


def test_a_damaged_string_or_preamble_is_reported_and_the_export_stays_readable(tmp_path):
    """A stray character after an @string's value: pybtex reads the value
    and stops, and export gave the block back as written, so pybtex could
    not read the exported file (fuzz case 7026). The definition as read is
    given back, a damaged @preamble is left out, and both are RK403 findings."""
    source = tmp_path / "in.bib"
    source.write_text('@preamble{"\\providecommand{\\noopsort}[1]{}" x}\n\n'
                      '@string{jad = "Journal of Affective Disorders"\ufffd}\n\n'
                      '@article{k, title = {T}, journal = jad, year = 2020}\n', encoding="utf-8")
    out = tmp_path / "out.bib"
    result = refkit("export", source, "-t", "bibtex", "-o", out, "--offline", "--cache-dir", tmp_path / "cache")
    assert result.returncode == 0, result.stderr
    exported = Parser().parse_string(out.read_text(encoding="utf-8"))
    assert exported.entries["k"].fields["journal"] == "Journal of Affective Disorders"
    assert "noopsort" not in out.read_text(encoding="utf-8")
    listed = refkit("extract", source, "--format", "json")
    findings = [(f["source"], f["message"]) for f in json.loads(listed.stdout)["findings"] if f["code"] == "RK403"]
    assert [where for where, _ in findings] == [f"{source}:line 1", f"{source}:line 3"]
    assert findings[0][1].startswith("@preamble skipped") and findings[1][1].startswith("@string 'jad' damaged")


def test_a_list_with_a_megabyte_line_of_one_character_is_read(tmp_path):
    """Whether a line ends as a reference can was a pattern searched over the
    whole line, quadratic on a megabyte of '(' (fuzz case 47 and six others
    of the first 1,500: minutes of CPU); the entries around it are read."""
    source = tmp_path / "essay.txt"
    source.write_text("Some essay text.\n\nReferences\n"
                      "1. Rao S, Broadbear J. Borderline personality disorder. Australas Psychiatry. 2019;27:573-7.\n"
                      "2. " + "(" * 1_000_000 + "\n"
                      "3. Smith J, Jones K. Ketamine in depression. J Affect Disord. 2020;12:1-9.\n", encoding="utf-8")
    result = refkit("extract", source, "--format", "json")
    assert result.returncode == 0, result.stderr
    titles = [c["title"] for c in json.loads(result.stdout)["citations"]]
    assert titles == ["Borderline personality disorder", "", "Ketamine in depression"]


def test_each_repeated_cite_key_is_reported_at_its_own_line(tmp_path):
    """Each finding about a repeated key scanned every entry of the file for
    its line (9,390 repeats in a 3 MB file: 35 CPU-s; fuzz case 6794): the
    entries are indexed by key once, and each finding still names the line
    of the repeat."""
    entry = "@article{{k{n},\n  title = {{T{n}}},\n  year = 2020\n}}\n\n"
    text = "".join(entry.format(n=n % 300) for n in range(900))
    source = tmp_path / "repeats.bib"
    source.write_text(text, encoding="utf-8")
    result = refkit("extract", source, "--format", "json")
    assert result.returncode == 0, result.stderr
    repeats = [f["source"] for f in json.loads(result.stdout)["findings"] if "second entry" in f["message"]]
    assert len(repeats) == 600 and repeats[0] == f"{source}:line {300 * 5 + 1}"
    assert len(json.loads(result.stdout)["citations"]) == 300
