"""--aux / --tex: only the entries a LaTeX paper cites are checked, fixed or
exported; a cited key no bibliography holds is RK405 (key-undefined)."""

from __future__ import annotations

import json

import bibtexparser
import pytest
from click.testing import CliRunner

from refkit.cli import cli
from refkit.readers.latex import cited_keys

BIB = """@article{rao2019,
  author = {Rao, S and Broadbear, J},
  title = {Borderline personality disorder and depressive disorder},
  journal = {Australas Psychiatry}, year = {2019}, volume = {27}, pages = {573-7},
  doi = {10.1177/1039856219878643}
}
@article{Unused2022,
  author = {Unoka, Z}, title = {The Inventory of Personality Organization}, year = {2022},
  doi = {10.3389/fpsy.2022.995726}
}
"""


@pytest.fixture
def files(tmp_path):
    (tmp_path / "refs.bib").write_text(BIB, encoding="utf-8")
    (tmp_path / "paper.aux").write_text(
        "\\relax\n\\citation{rao2019}\n\\abx@aux@cite{0}{rao2019}\n\\citation{ghost2020}\n"
        "\\@input{chap1.aux}\n", encoding="utf-8")
    (tmp_path / "chap1.aux").write_text("\\citation{rao2019,alsoghost}\n", encoding="utf-8")
    (tmp_path / "paper.tex").write_text(
        "\\documentclass{article}\n% \\cite{Unused2022}\n\\begin{document}\n"
        "As \\citet[p.~3]{rao2019} and \\parencites[see][]{ghost2020}{rao2019} show.\n"
        "\\input{part}\n\\end{document}\n", encoding="utf-8")
    (tmp_path / "part.tex").write_text("\\autocite*{rao2019}\n", encoding="utf-8")
    return tmp_path


def test_keys_are_read_from_aux_files_and_their_included_chapters(files):
    cited = cited_keys(aux=(str(files / "paper.aux"),))
    assert list(cited.places) == ["rao2019", "ghost2020", "alsoghost"]
    assert cited.places["alsoghost"].file.endswith("chap1.aux")


def test_keys_are_read_from_tex_commands_outside_comments(files):
    cited = cited_keys(tex=(str(files / "paper.tex"),))
    assert list(cited.places) == ["rao2019", "ghost2020"]
    assert cited_keys(tex=()) is None
    (files / "all.aux").write_text("\\citation{*}\n", encoding="utf-8")
    assert cited_keys(aux=(str(files / "all.aux"),)).everything


def test_check_with_aux_checks_only_cited_entries_and_reports_undefined_keys(files, seed_stub, monkeypatch):
    monkeypatch.setenv("REFKIT_CROSSREF_URL", seed_stub.url)
    result = CliRunner().invoke(cli, ["check", str(files / "refs.bib"), "--aux", str(files / "paper.aux"),
                                      "--format", "json"])
    report = json.loads(result.stdout)
    assert [c["label"] for c in report["citations"]] == ["rao2019"]
    undefined = [f for f in report["document_findings"] if f["code"] == "RK405"]
    assert [f["printed"] for f in undefined] == ["ghost2020", "alsoghost"]
    assert undefined[0]["severity"] == "warning"
    assert result.exit_code == 0  # warnings only; the wrong DOI of the uncited entry is not looked at


def test_export_with_tex_exports_only_cited_entries(files, seed_stub, monkeypatch):
    monkeypatch.setenv("REFKIT_CROSSREF_URL", seed_stub.url)
    result = CliRunner().invoke(cli, ["export", str(files / "refs.bib"), "--tex", str(files / "paper.tex")])
    assert [e.key for e in bibtexparser.parse_string(result.stdout).entries] == ["rao2019"]


def test_the_bibliography_an_aux_or_tex_names_is_read_when_no_file_is_given(files, seed_stub, monkeypatch):
    """`refkit check --aux paper.aux` alone: the .bib files its \\bibdata
    names (BibTeX) or the .tex's \\bibliography / \\addbibresource (biblatex)."""
    monkeypatch.setenv("REFKIT_CROSSREF_URL", seed_stub.url)
    monkeypatch.chdir(files.parent)  # names are found beside the .aux/.tex, not in the working folder
    aux = files / "paper.aux"
    aux.write_text(aux.read_text(encoding="utf-8") + "\\bibdata{refs,refs.bib}\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", "--aux", str(aux), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert [c["label"] for c in json.loads(result.stdout)["citations"]] == ["rao2019"]
    tex = files / "paper.tex"
    tex.write_text(tex.read_text(encoding="utf-8").replace(
        "\\begin{document}", "\\addbibresource[label=main]{refs.bib}\n% \\bibliography{gone}\n\\begin{document}"),
        encoding="utf-8")
    assert cited_keys(tex=(str(tex),)).bibliographies == [str(files / "refs.bib")]
    result = CliRunner().invoke(cli, ["export", "--tex", str(tex)])
    assert [e.key for e in bibtexparser.parse_string(result.stdout).entries] == ["rao2019"]
    (files / "bare.aux").write_text("\\citation{rao2019}\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["fix", "--aux", str(files / "bare.aux")])
    assert result.exit_code == 2 and "FILE_OR_DIR" in result.stderr
