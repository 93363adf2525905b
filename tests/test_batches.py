"""A large BibTeX file exported in batches (refkit.batches) gives exactly the
output of exporting it whole: same entries, keys, notes and line numbers,
in every format; files that need to be seen whole are exported whole."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from refkit import batches
from refkit.cli import cli

from .crossref_stub import SEED_WORKS, read_records

RECORDS = [r for r in read_records(SEED_WORKS) if r.get("author") and r.get("issued") and r.get("title")]


def library(count: int, extra: str = "") -> str:
    """`count` BibTeX entries (synthetic seed works, with and without DOIs,
    a journal macro, notes), an entry pybtex cannot read, then `extra`."""
    parts = ["% a library exported by hand\n", '@preamble{"\\newcommand{\\noop}[1]{#1}"}\n',
             '@string{ap = "Australasian Psychiatry"}\n', "% a comment between entries\n"]
    for n in range(count):
        record = RECORDS[n % len(RECORDS)]
        author = " and ".join(f"{a['family']}, {a.get('given', '')}" for a in record["author"][:3])
        doi = f"  doi = {{{record['DOI']}}},\n" if n % 4 and n < len(RECORDS) else ""
        note = f"  annote = {{Summary {n}: read it.}},\n" if n % 5 == 0 else ""
        journal = "ap" if n % 7 == 0 else "jn" if n > 22 and n % 5 == 1 else \
            "{" + (record.get("container-title") or ["J"])[0] + "}"
        parts.append(f"@article{{key{n},\n  author = {{{author}}},\n  title = {{{record['title'][0]}}},\n"
                     f"  journal = {journal},\n  year = {record['issued']['date-parts'][0][0]},\n{doi}{note}}}\n")
        if n == 11:
            parts.append("@article{broken,\n  title = {Never closed,\n  year = {2001}\n}\n")
        if n == 15:
            parts.append("@comment{entries below were added later}\nFree text between entries.\n")
        if n == 20:
            parts.append('@string{jn = "Journal of Names"}\n')
    return "\n".join(parts) + extra + "% the end\n"


@pytest.fixture
def small_batches(monkeypatch):
    """Batches of 7 from 20 entries on, so a small file shows every seam."""
    monkeypatch.setattr(batches, "STREAM_FROM", 20)
    monkeypatch.setattr(batches, "BATCH", 7)


def export(path, out, *args: str) -> str:
    result = CliRunner().invoke(cli, ["export", str(path), "-o", str(out), "--offline", *args])
    assert result.exit_code == 0, result.output
    return out.read_text(encoding="utf-8")


@pytest.mark.parametrize("args", [["-t", "bibtex"], ["-t", "bibtex", "--latex"], ["-t", "ris"],
                                  ["-t", "csljson"], ["-t", "bibtex", "--provenance", "notes"]])
def test_a_file_exported_in_batches_is_the_file_exported_whole(tmp_path, monkeypatch, small_batches, args):
    source = tmp_path / "library.bib"
    source.write_text(library(60), encoding="utf-8")
    assert batches.plan((str(source),), None) is not None
    batched = export(source, tmp_path / "batched", *args)
    monkeypatch.setattr(batches, "STREAM_FROM", 10**9)
    assert batches.plan((str(source),), None) is None
    assert export(source, tmp_path / "whole", *args) == batched
    if args == ["-t", "csljson"]:
        assert len(json.loads(batched)) == 60


def test_lines_read_in_a_batch_are_the_files_lines(tmp_path, small_batches):
    source = tmp_path / "library.bib"
    source.write_text(library(30), encoding="utf-8")
    plan = batches.plan((str(source),), None)
    documents = list(batches._documents(plan))
    assert len(documents) == 5  # 30 entries, 7 to a batch
    lines = source.read_text(encoding="utf-8").splitlines()
    for citation in (c for d in documents for c in d.citations):
        assert lines[citation.source.line - 1].startswith(f"@article{{{citation.label},")
    [broken] = [f for d in documents for f in d.findings]
    assert lines[broken.source.line - 1].startswith("@article{broken")


@pytest.mark.parametrize("extra", [
    "@article{key3, title = {A second key3}, year = {2001}}\n",  # BibTeX keeps the first
    "@inproceedings{part, title = {Part}, crossref = {key5}}\n",  # inherits from key5
])
def test_files_that_need_seeing_whole_are_exported_whole(tmp_path, small_batches, extra):
    source = tmp_path / "library.bib"
    source.write_text(library(30, extra), encoding="utf-8")
    assert batches.plan((str(source),), None) is None


def test_two_entries_printing_one_doi_are_exported_whole(tmp_path, small_batches):
    source = tmp_path / "library.bib"
    doi = RECORDS[1]["DOI"]
    source.write_text(library(30, f"@article{{again, title = {{Again}}, doi = {{{doi.upper()}}}}}\n"),
                      encoding="utf-8")
    assert batches.plan((str(source),), None) is None
