"""RIS and CSL-JSON as pybtex formats: in-process through the plugin classes,
and `pybtex-convert` as a user runs it (needs refkit installed, so that its
entry points are registered: `pip install -e .`)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from importlib.metadata import entry_points
from pathlib import Path

import pytest
import rispy
from pybtex.database import parse_file
from pybtex.database.input.bibtex import Parser

from refkit.pybtex_plugin import CslJsonParser, CslJsonWriter, RisParser, RisWriter

BIB = Path(__file__).parent / "fixtures" / "bib"


def test_ris_and_csljson_parse_into_pybtex_entries():
    ris = RisParser().parse_file(str(BIB / "annotated.ris"))
    rao = ris.entries["rao2019borderline"]
    assert rao.type == "article" and rao.fields["doi"] == "10.1177/1039856219878643"
    assert rao.fields["annote"].startswith("First summary.")
    csl = CslJsonParser().parse_file(str(BIB / "annotated.json"))
    assert list(csl.entries) == ["rao2019", "who2020"] and csl.entries["who2020"].type == "techreport"


def test_pybtex_data_written_as_ris_and_csljson(tmp_path):
    bib = Parser().parse_file(str(BIB / "annotated.bib"))
    RisWriter().write_file(bib, str(tmp_path / "out.ris"))
    records = rispy.loads((tmp_path / "out.ris").read_text(encoding="utf-8"))
    assert records[0]["notes"] == ["A summary of the paper.", "Second summary, from annote."]
    CslJsonWriter().write_file(bib, str(tmp_path / "out.json"))
    items = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    assert [i["id"] for i in items] == ["rao2019borderline", "smith2001book"]
    assert "custom" not in items[0]  # nothing was checked: no provenance claimed


def _pybtex_convert() -> str | None:
    """pybtex-convert of the Python running the tests (its venv need not be on
    PATH), when refkit's entry points are installed there."""
    names = {ep.name for ep in entry_points(group="pybtex.database.output")}
    script = Path(sys.executable).parent / "pybtex-convert"
    found = str(script) if script.exists() else shutil.which("pybtex-convert")
    return found if found and {"ris", "csljson"} <= names else None


def test_pybtex_convert_between_bib_ris_and_csljson(tmp_path):
    program = _pybtex_convert()
    if program is None:
        if os.environ.get("CI"):
            pytest.fail("refkit's pybtex entry points are not installed in CI's virtualenv")
        pytest.skip("refkit's pybtex entry points are not installed (pip install -e .)")

    def convert(source: Path, target: Path) -> None:
        subprocess.run([program, str(source), str(target)], check=True, capture_output=True, timeout=60)

    convert(BIB / "annotated.bib", tmp_path / "a.ris")
    convert(tmp_path / "a.ris", tmp_path / "b.json")
    convert(tmp_path / "b.json", tmp_path / "c.bib")
    final = parse_file(str(tmp_path / "c.bib"))
    rao = final.entries["rao2019borderline"]
    assert rao.fields["doi"] == "10.1177/1039856219878643" and rao.fields["pages"] == "573--577"
    assert "A summary of the paper." in rao.fields["annote"]
    assert len(parse_file(str(tmp_path / "a.ris")).entries) == 2  # keys regenerated: RIS has none
