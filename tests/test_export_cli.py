"""`refkit export` and `refkit format` end to end, offline (an empty cache:
every entry rests on its file's own data and says so)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import rispy
from pybtex.database.input.bibtex import Parser

BIB = Path(__file__).parent / "fixtures" / "bib"


def refkit(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", "from refkit.cli import main; main()", *args],
                          cwd=cwd, capture_output=True, text=True, timeout=120)


@pytest.fixture
def offline(tmp_path) -> list[str]:
    return ["--offline", "--cache-dir", str(tmp_path / "cache")]


@pytest.mark.parametrize("fmt", ["bibtex", "ris", "csljson"])
def test_export_offline_keeps_notes_and_says_unverified(tmp_path, offline, fmt):
    out = tmp_path / f"out.{fmt}"
    result = refkit("export", str(BIB / "annotated.ris"), "-t", fmt, "-o", str(out), *offline, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "could not be verified" in result.stderr
    text = out.read_text(encoding="utf-8")
    if fmt == "bibtex":
        entry = Parser().parse_string(text).entries["rao2019borderline"]
        assert "First summary." in entry.fields["annote"] and entry.fields["refkit-status"] == "unverified"
        assert entry.fields["keywords"] == "refkit:unverified"
    elif fmt == "ris":
        record = rispy.loads(text)[0]
        assert record["notes"] == ["First summary.", "Second summary continues on a second line."]
        assert record["keywords"] == ["refkit:unverified"]
    else:
        item = json.loads(text)[0]
        assert item["note"].startswith("• First summary.") and item["custom"]["refkit"]["status"] == "unverified"


def test_export_refuses_to_overwrite_its_input(tmp_path, offline):
    source = tmp_path / "refs.bib"
    source.write_bytes((BIB / "annotated.bib").read_bytes())
    result = refkit("export", str(source), "-t", "bibtex", "-o", str(source), *offline, cwd=tmp_path)
    assert result.returncode == 2
    assert "refusing to overwrite an input file" in result.stderr and "Traceback" not in result.stderr
    assert source.read_bytes() == (BIB / "annotated.bib").read_bytes()


def test_format_prints_a_bibliography(tmp_path, offline):
    result = refkit("format", str(BIB / "annotated.json"), "--style", "apa", *offline, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Rao, S., & Broadbear, J. (2019). Borderline personality disorder")


def test_help_explains_commands(tmp_path):
    for command in ("export", "format"):
        result = refkit(command, "--help", cwd=tmp_path)
        assert result.returncode == 0 and "Examples:" in result.stdout


def test_records_from_a_stub_never_pass_for_crossref(tmp_path, crossref_stub):
    """Against the local stub (tests/crossref_stub.py), the citation page's
    titles are found by search; every export must name the stub, not Crossref."""
    from .conftest import EXAMPLES

    out = tmp_path / "page.json"
    result = refkit("export", str(EXAMPLES / "citations-page-v1.txt"), "-t", "csljson", "-o", str(out),
                    "--crossref-url", crossref_stub.url, "--cache-dir", str(tmp_path / "cache"),
                    "--mailto", "tests@example.org", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    found = [item for item in json.loads(out.read_text(encoding="utf-8"))
             if item["custom"]["refkit"]["status"] == "found-by-search"]
    assert found
    for item in found:
        assert item["custom"]["refkit"]["service"] == crossref_stub.url
        assert f"the Crossref-compatible service at {crossref_stub.url}" in item["note"]
        assert "Crossref-compatible service" in item["source"]


@pytest.mark.parametrize("pattern", ["{auth", "auth}", "{auth:d}"])
def test_malformed_key_pattern_is_one_line_and_exit_2(tmp_path, offline, pattern):
    result = refkit("export", str(BIB / "annotated.bib"), "-t", "bibtex", "-o", str(tmp_path / "out.bib"),
                    "--keys", pattern, *offline, cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert "malformed citation key pattern" in result.stderr and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "out.bib").exists()


@pytest.mark.parametrize("fmt", ["bibtex", "ris", "csljson"])
def test_a_ris_files_keywords_come_out_as_keywords(tmp_path, offline, fmt):
    """Each KW line of a RIS file is one keyword in every output (a MeSH term
    may hold a comma), never the text of a list."""
    source = tmp_path / "kw.ris"
    source.write_text("TY  - JOUR\nTI  - Borderline personality disorder and depressive disorder\n"
                      "AU  - Rao, S\nPY  - 2019\nKW  - Humans\nKW  - Depressive Disorder, Major\nER  - \n",
                      encoding="utf-8")
    out = tmp_path / f"out.{fmt}"
    result = refkit("export", str(source), "-t", fmt, "-o", str(out), *offline, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    text = out.read_text(encoding="utf-8")
    if fmt == "bibtex":
        entry = next(iter(Parser().parse_string(text).entries.values()))
        assert entry.fields["keywords"] == "Humans, Depressive Disorder, Major, refkit:unverified"
    elif fmt == "ris":
        assert rispy.loads(text)[0]["keywords"] == ["Humans", "Depressive Disorder, Major", "refkit:unverified"]
    else:
        assert json.loads(text)[0]["keyword"] == "Humans, Depressive Disorder, Major"


@pytest.mark.parametrize("fmt", ["ris", "csljson"])
def test_given_names_a_bib_spelled_out_survive_a_registry_of_initials(tmp_path, seed_stub, fmt):
    """The registry gives Rao and Broadbear only initials ("S", "J"); the
    .bib spelled Rao's given name out, so the export keeps it. Broadbear's
    given name in the .bib has other initials than the registry's: the
    registry's stands."""
    source = tmp_path / "refs.bib"
    source.write_text("@article{rao,\n  author = {Rao, Sathya and Broadbear, Priya},\n"
                      "  title = {Borderline personality disorder and depressive disorder},\n"
                      "  journal = {Australasian Psychiatry}, year = {2019},\n"
                      "  doi = {10.1177/1039856219878643}\n}\n", encoding="utf-8")
    out = tmp_path / f"out.{fmt}"
    result = refkit("export", str(source), "-t", fmt, "-o", str(out), "--crossref-url", seed_stub.url,
                    "--cache-dir", str(tmp_path / "cache"), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    text = out.read_text(encoding="utf-8")
    if fmt == "ris":
        assert rispy.loads(text)[0]["authors"] == ["Rao, Sathya", "Broadbear, J"]
    else:
        authors = json.loads(text)[0]["author"]
        assert [(a["family"], a["given"]) for a in authors] == [("Rao", "Sathya"), ("Broadbear", "J")]


# Synthetic records: one work dated 5 March 2019, as each format writes a date.
_DATED = {
    "dated.bib": "@article{dated, author={Smith, Jo}, title={Dated work}, journal={J}, year={2019}, "
                 "month=mar, day={5}}\n",
    "dated.ris": "TY  - JOUR\nAU  - Smith, Jo\nTI  - Dated work\nT2  - J\nPY  - 2019\nDA  - 2019/03/05/\nER  - \n",
    "dated.json": json.dumps([{"id": "dated", "type": "article-journal", "title": "Dated work",
                               "author": [{"family": "Smith", "given": "Jo"}], "container-title": "J",
                               "issued": {"date-parts": [[2019, 3, 5]]}, "_fixture": "synthetic"}]),
}


@pytest.mark.parametrize("source", sorted(_DATED))
@pytest.mark.parametrize("fmt", ["bibtex", "ris", "csljson"])
def test_month_and_day_of_issue_survive_export(tmp_path, offline, source, fmt):
    """An export keeps the month and day a structured file gives, in each
    format's own way (BibTeX has no day field), read back by an independent reader."""
    (tmp_path / source).write_text(_DATED[source], encoding="utf-8")
    out = tmp_path / f"out.{fmt}"
    result = refkit("export", source, "-t", fmt, "-o", str(out), *offline, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    text = out.read_text(encoding="utf-8")
    if fmt == "bibtex":
        fields = next(iter(Parser().parse_string(text).entries.values())).fields
        assert (fields["year"], fields["month"]) == ("2019", "March")
        assert fields.get("day") == ("5" if source == "dated.bib" else None)  # a .bib is given back as written
    elif fmt == "ris":
        assert rispy.loads(text)[0]["date"] == "2019/03/05/"
    else:
        assert json.loads(text)[0]["issued"] == {"date-parts": [[2019, 3, 5]]}


def test_a_csl_raw_date_keeps_its_month_and_day(tmp_path, offline):
    (tmp_path / "raw.json").write_text(json.dumps([{"id": "r", "type": "article-journal", "title": "Raw",
                                                    "issued": {"raw": "2019-03-05"}, "_fixture": "synthetic"}]),
                                       encoding="utf-8")
    result = refkit("export", "raw.json", "-t", "ris", "-o", "out.ris", *offline, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert rispy.loads((tmp_path / "out.ris").read_text(encoding="utf-8"))[0]["date"] == "2019/03/05/"


@pytest.mark.parametrize("written", ["2019/13//", "2019/02/30/", "spring 2019"])
def test_a_date_outside_the_calendar_keeps_only_what_is_real(tmp_path, offline, written):
    (tmp_path / "odd.ris").write_text(f"TY  - JOUR\nTI  - Odd date\nPY  - 2019\nDA  - {written}\nER  - \n",
                                      encoding="utf-8")
    result = refkit("export", "odd.ris", "-t", "csljson", "-o", "out.json", *offline, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    parts = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))[0]["issued"]["date-parts"]
    assert parts == ([[2019, 2]] if written == "2019/02/30/" else [[2019]])


def test_export_names_each_record_it_had_to_skip(tmp_path, offline):
    """A skipped record is said on stderr (file, line, what), not lost
    quietly: the first five one by one, then how many more (synthetic .bib)."""
    good = "@article{ok, title={Fine}, year=2001}\n\n"
    damaged = "".join(f"@article{{same, title={{Repeat {i}}}, year=2002}}\n\n" for i in range(7))
    (tmp_path / "refs.bib").write_text(good + "@article{same, title={First}, year=2002}\n\n" + damaged,
                                       encoding="utf-8")
    result = refkit("export", "refs.bib", "-t", "ris", "-o", "out.ris", *offline, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    skipped = [line for line in result.stderr.splitlines() if "RK403" in line]
    assert skipped[0] == ("refkit: warning: refs.bib:line 5: a second entry with the cite key 'same' skipped "
                          "(a key must be unique; BibTeX uses the first) (RK403)")
    assert len(skipped) == 6 and skipped[-1].startswith("refkit: warning: 2 more records skipped")
    assert len(rispy.loads((tmp_path / "out.ris").read_text(encoding="utf-8"))) == 2
    check = refkit("check", "refs.bib", *offline, cwd=tmp_path)
    assert "RK403)" not in check.stderr  # check's report lists them; not said twice
