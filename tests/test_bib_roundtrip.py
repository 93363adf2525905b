"""A .bib given as input comes back from `export -t bibtex` with every entry,
field and block it had, as written (LaTeX, math, macros, concatenations,
@string, @preamble, @comment, crossref), in its order; refkit only adds.
Checked with bibtexparser (the values as written) and pybtex (the meaning)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import bibtexparser
import pytest
from pybtex.database.input.bibtex import Parser

from . import zotero_import
from .conftest import FIXTURES
from .crossref_stub import SEED_WORKS
from .pandoc_run import biber_check

REAL_SHAPED = FIXTURES / "bib" / "real-shaped.bib"
REFKIT_FIELDS = {"keywords", "refkit-status"}


def export(source: Path, tmp_path: Path, *extra: str) -> str:
    """`refkit export SOURCE -t bibtex` (offline unless `extra` names a Crossref) as text."""
    out = tmp_path / "out.bib"
    where = list(extra) if "--crossref-url" in extra else ["--offline", *extra]
    run = subprocess.run([sys.executable, "-c", "from refkit.cli import main; main()", "export", str(source),
                          "-t", "bibtex", "-o", str(out), "--cache-dir", str(tmp_path / "cache"), *where],
                         capture_output=True, text=True, check=False, cwd=tmp_path, timeout=120)
    assert run.returncode == 0, run.stderr
    return out.read_text(encoding="utf-8")


def written(text: str) -> bibtexparser.Library:
    return bibtexparser.parse_string(text, parse_stack=[])


def test_every_entry_field_and_block_comes_back_as_written(tmp_path):
    before, after = written(REAL_SHAPED.read_text(encoding="utf-8")), written(export(REAL_SHAPED, tmp_path))
    assert not after.failed_blocks
    assert [e.key for e in after.entries] == [e.key for e in before.entries]  # the input's order
    for old, new in zip(before.entries, after.entries):
        assert new.entry_type == old.entry_type
        new_fields = {f.key: f.value for f in new.fields}
        for f in old.fields:
            if f.key == "keywords":
                assert new_fields["keywords"].startswith(f.value[:-1]), old.key  # tag appended
            else:
                assert new_fields.get(f.key) == f.value, (old.key, f.key)
        assert set(new_fields) - {f.key for f in old.fields} <= REFKIT_FIELDS
    for kind in ("strings", "preambles", "comments"):
        assert [b.raw for b in getattr(after, kind)] == [b.raw for b in getattr(before, kind)], kind


def test_with_provenance_none_the_file_comes_back_field_for_field(tmp_path):
    before, after = written(REAL_SHAPED.read_text(encoding="utf-8")), written(
        export(REAL_SHAPED, tmp_path, "--provenance", "none"))
    assert [(e.key, [(f.key, f.value) for f in e.fields]) for e in after.entries] == \
        [(e.key, [(f.key, f.value) for f in e.fields]) for e in before.entries]


def test_the_output_means_what_the_input_meant(tmp_path):
    """pybtex expands macros and crossref alike in both: same fields, same values."""
    text = export(REAL_SHAPED, tmp_path)
    before, after = Parser().parse_file(str(REAL_SHAPED)), Parser().parse_string(text)
    for key, entry in before.entries.items():
        fields = {k: v for k, v in after.entries[key].fields.items() if k.lower() not in REFKIT_FIELDS}
        assert fields == {k: v for k, v in entry.fields.items() if k.lower() != "keywords"}
        assert after.entries[key].persons == entry.persons
    assert after.entries["Fava2020"].fields["journal"] == "Psychological Medicine (Supplement)"


def test_a_second_export_changes_nothing(tmp_path):
    first = export(REAL_SHAPED, tmp_path)
    again = tmp_path / "again.bib"
    again.write_text(first, encoding="utf-8")
    assert export(again, tmp_path) == first


def test_zotero_reads_the_user_fields_and_the_tag(tmp_path):
    [fava, *_] = zotero_import.from_bibtex(export(REAL_SHAPED, tmp_path))
    assert fava["tags"] == ["ketamine", "depression", "TRD", "refkit:unverified"]
    assert fava["notes"] == ["Read for the journal club on 3 May", "Dose-ranging; 0.5 mg/kg was the sweet spot."]


def test_a_doi_refkit_corrects_replaces_the_printed_one_in_place(tmp_path, seed_stub):
    """The seed record 10.1177/0269881117711712 printed with two digits swapped."""
    work = next(json.loads(line) for line in SEED_WORKS.read_text(encoding="utf-8").splitlines()
                if "10.1177/0269881117711712" in line)
    author = work["author"][0]
    source = tmp_path / "wrong.bib"
    source.write_text(
        f"@article{{ket,\n  author = {{{author['family']}, {author['given']}}},\n  title = {{{work['title'][0]}}},\n"
        f"  journal = {{{work['container-title'][0]}}},\n  year = {{{work['issued']['date-parts'][0][0]}}},\n"
        f"  volume = {{{work['volume']}}},\n  pages = {{{work['page'].replace('-', '--')}}},\n"
        "  doi = {10.1177/0269881117117172},\n  foo = {kept},\n}\n", encoding="utf-8")
    text = export(source, tmp_path, "--crossref-url", seed_stub.url, "--mailto", "t@example.org")
    [entry] = written(text).entries
    fields = {f.key: f.value for f in entry.fields}
    assert fields["doi"] == "{10.1177/0269881117711712}" and fields["foo"] == "{kept}"
    assert fields["keywords"] == '"refkit:corrected"'
    assert "10.1177/0269881117117172" in fields["annote"] and "[refkit]" in fields["annote"]


def test_biber_reads_the_output_without_a_warning(tmp_path):
    out = tmp_path / "out.bib"
    out.write_text(export(REAL_SHAPED, tmp_path), encoding="utf-8")
    run = biber_check(out)
    assert run.returncode == 0 and "WARN" not in run.stdout and "ERROR" not in run.stdout, run.stdout


def test_a_doi_written_for_classic_bibtex_is_the_doi_it_stands_for(tmp_path, seed_stub):
    """`\\_` in a doi or url field (pybtex writes it so; so do files kept for
    classic BibTeX) is the `_` it escapes: the DOI verifies, and the export
    gives the DOI and URL themselves, not `%5C_`."""
    work = next(json.loads(line) for line in SEED_WORKS.read_text(encoding="utf-8").splitlines()
                if "10.1521/pedi_2020_34_495" in line)
    source = tmp_path / "classic.bib"
    source.write_text(
        f"@article{{goldstein,\n  author = {{Goldstein, KE}},\n  title = {{{work['title'][0]}}},\n"
        f"  journal = {{{work['container-title'][0]}}},\n  year = {{{work['issued']['date-parts'][0][0]}}},\n"
        "  doi = {10.1521/pedi\\_2020\\_34\\_495},\n  url = {https://example.org/a\\_b?x=1\\&y=2},\n}\n",
        encoding="utf-8")
    text = export(source, tmp_path, "--crossref-url", seed_stub.url, "--mailto", "t@example.org")
    fields = {f.key: f.value for f in written(text).entries[0].fields}
    assert fields["doi"] == "{10.1521/pedi_2020_34_495}" and fields["url"] == "{https://example.org/a_b?x=1&y=2}"
    assert fields["keywords"] == '"refkit:verified"'
