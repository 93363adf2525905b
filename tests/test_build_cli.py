"""`refkit build` end to end on the seed examples: bib/ in the repository is
the golden output (what the build writes where Crossref cannot be reached),
so any change to readers or writers that changes it shows here."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from refkit.cli import cli

from .conftest import REPO

GOLDEN = REPO / "bib"
OUTPUTS = ("references.bib", "references.ris", "references.json")


def build(out: Path, *extra: str) -> object:
    """Run `refkit build examples -o OUT` from the repository, as README shows it."""
    return CliRunner().invoke(cli, ["build", "examples", "-o", str(out), *extra])


@pytest.fixture(scope="module")
def offline_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[object, Path]:
    out = tmp_path_factory.mktemp("bib")
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(REPO)
        patch.setenv("REFKIT_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
        patch.setenv("REFKIT_CONFIG", str(tmp_path_factory.mktemp("config") / "none.toml"))
        result = build(out, "--offline")
    return result, out


def test_offline_build_writes_the_golden_bibliography(offline_build) -> None:
    result, out = offline_build
    assert result.exit_code == 0, result.output
    for name in OUTPUTS:
        assert (out / name).read_text(encoding="utf-8") == (GOLDEN / name).read_text(encoding="utf-8"), name


def test_every_entry_is_marked_unverified_and_the_report_says_why(offline_build) -> None:
    _, out = offline_build
    items = json.loads((out / "references.json").read_text(encoding="utf-8"))
    assert len(items) == 157  # 148 listed + 8 page entries (the 9th is listed ref 44 too) + the orphan summary
    assert {item["custom"]["refkit"]["status"] for item in items[:-1]} == {"unverified"}
    assert items[-1]["custom"]["refkit"]["status"] == "unresolved"
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert report["summary"]["unverified"] == report["summary"]["references"] == 169
    codes = {f["code"] for f in report["document_findings"]}
    assert {"RK108", "RK401", "RK402"} <= codes


def test_the_page_summaries_are_notes_in_all_three_formats(offline_build) -> None:
    _, out = offline_build
    summary = "Demonstrates that low-dose buprenorphine improves mood"
    bib = (out / "references.bib").read_text(encoding="utf-8")
    ris = (out / "references.ris").read_text(encoding="utf-8")
    items = json.loads((out / "references.json").read_text(encoding="utf-8"))
    assert f"annote = \"{summary}" in bib
    assert f"N1  - {summary}" in ris
    assert any(summary in item.get("note", "") for item in items)


def test_the_orphan_summary_is_in_the_report_not_lost(offline_build) -> None:
    _, out = offline_build
    report = (out / "report.txt").read_text(encoding="utf-8")
    assert "RK401" in report and "citations-page-v2.txt" in report


def test_unreachable_crossref_exits_3_and_still_writes_everything(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "config.toml"
    config.write_text("[crossref]\nmax_retries = 0\ntimeout = 1\noutage_budget = 1\n", encoding="utf-8")
    monkeypatch.setenv("REFKIT_CONFIG", str(config))
    monkeypatch.chdir(REPO)
    result = build(tmp_path / "bib", "--crossref-url", "http://127.0.0.1:9", "--mailto", "t@example.org")
    assert result.exit_code == 3
    assert all((tmp_path / "bib" / name).is_file() for name in OUTPUTS)
    assert "could not be verified" in result.output


def test_report_json_keeps_the_whole_orphan_summary(offline_build) -> None:
    _, out = offline_build
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    [orphan] = [f for f in report["document_findings"] if f["code"] == "RK401"]
    assert orphan["printed"].startswith("Measured endogenous opioid levels")
    assert orphan["printed"].endswith("supporting pharmacological investigation of the opioid system.")
