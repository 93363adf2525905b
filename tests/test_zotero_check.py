"""`refkit zotero check` (and --apply) end to end: a made-up library in the
Zotero stand-in (tests/zotero_standin.py, not Zotero), checked against the
Crossref stub (tests/crossref_stub.py, synthetic seed records), through the
real CLI."""

from __future__ import annotations

import copy
import json
import logging
import os
import subprocess
import sys

import pytest
from click.testing import CliRunner

from refkit.cli import cli
from refkit.zotero.config import ZoteroConfig
from tests.crossref_stub import crossref_stub
from tests.zotero_standin import API_KEY, FIXTURES, zotero_standin

__all__ = ["crossref_stub", "zotero_standin"]  # fixtures, imported for pytest
LIBRARY = json.loads((FIXTURES / "zotero" / "library.json").read_text(encoding="utf-8"))


@pytest.fixture
def library(zotero_standin):
    for item in LIBRARY["items"]:
        zotero_standin.add_item({k: v for k, v in item.items() if not k.startswith("_")})
    return zotero_standin


@pytest.fixture
def run(tmp_path, crossref_stub, monkeypatch):
    """Run `refkit zotero …` with the key in the environment and both stand-ins."""
    monkeypatch.setenv("REFKIT_ZOTERO_API_KEY", API_KEY)
    monkeypatch.setenv("REFKIT_CONFIG", str(tmp_path / "absent.toml"))

    def invoke(standin, *args: str, input: str | None = None):
        argv = ["zotero", *args, "--api-url", standin.url, "--crossref-url", crossref_stub.url,
                "--cache-dir", str(tmp_path / "cache"), "--mailto", "test@example.org"]
        return CliRunner().invoke(cli, argv, input=input, catch_exceptions=False)
    return invoke


def test_check_reports_like_refkit_check(library, run):
    result = run(library, "check", "--format", "json")
    assert result.exit_code == 1  # errors found (RK103)
    report = json.loads(result.stdout)
    by_key = {c["label"]: c for c in report["citations"]}
    assert set(by_key) == {"RAOBRD19", "BSLNPAIN", "SHAHCMRB", "JCPMOOD4", "EDITEDME"}
    codes = {k: {f["code"]: f["fix"] for f in c["findings"]} for k, c in by_key.items()}
    assert codes["BSLNPAIN"]["RK103"] == "10.1002/pmh.1265"
    assert codes["SHAHCMRB"]["RK106"] == "10.1016/j.psc.2018.07.009"
    assert codes["JCPMOOD4"]["RK103"] == "10.4088/JCP.13m08972"  # found in Extra
    assert codes["EDITEDME"]["RK103"] == "10.1192/bjp.188.1.13"
    assert not any(f.startswith("RK1") for f in codes["RAOBRD19"])
    assert report["summary"]["references"] == 5


def test_check_table_names_item_keys(library, run):
    result = run(library, "check", "--select", "RK103")
    assert "BSLNPA" in result.stdout and "RK103" in result.stdout
    assert "RK106" not in result.stdout


def test_apply_changes_exactly_the_reported_dois(library, run):
    before = copy.deepcopy(library.user.items)
    library.fail_next("PATCH", "/items/EDITEDME",  # someone edits it in Zotero meanwhile
                      before=lambda: library.edit_item("EDITEDME", {"title": "Edited title"}))
    result = run(library, "check", "--apply", "--yes")
    assert result.exit_code == 1
    after = library.user.items
    changed = {"BSLNPAIN": {"DOI": "10.1002/pmh.1265"},
               "SHAHCMRB": {"DOI": "10.1016/j.psc.2018.07.009"},
               "JCPMOOD4": {"extra": "Read in 2020\nDOI: 10.4088/JCP.13m08972\nkeep this line"},
               "EDITEDME": {"title": "Edited title"}}  # the other client's edit, kept
    for key, obj in before.items():
        expected = {**obj["data"], **changed.get(key, {})}
        got = {k: v for k, v in after[key]["data"].items()}
        expected.pop("version"), got.pop("version")
        assert got == expected, key
    assert after["EDITEDME"]["data"]["DOI"] == "10.1192/bjp.188.1.31"  # not overwritten
    notes = {n["parentItem"]: n["note"] for n in (o["data"] for o in after.values())
             if n_is_note(n) and n.get("parentItem")}
    assert set(notes) == {"BSLNPAIN", "SHAHCMRB", "JCPMOOD4"}
    assert "10.1002/pmh.1256 → 10.1002/pmh.1265" in notes["BSLNPAIN"]
    assert "RK103 doi-corrected" in notes["BSLNPAIN"]
    assert "-DOI: 10.1002/pmh.1256\n+DOI: 10.1002/pmh.1265" in result.stderr
    assert "1 skipped because the item changed" in result.stderr
    patches = [r for r in library.requests if r.method == "PATCH"]
    assert all("if-unmodified-since-version" in r.headers for r in patches)
    assert all(set(json.loads(r.body)) <= {"DOI", "extra"} for r in patches)


def n_is_note(data) -> bool:
    return data.get("itemType") == "note"


def test_apply_asks_first_and_no_means_no(library, run):
    before = copy.deepcopy(library.user.items)
    result = run(library, "check", "--apply", input="n\n")
    assert "apply 4 DOI changes" in result.stderr and "nothing changed" in result.stderr
    assert library.user.items == before
    assert not [r for r in library.requests if r.method in ("PATCH", "POST")]


def test_check_a_collection_only(library, run):
    key = library.add_collection("to check")
    library.user.items["SHAHCMRB"]["data"]["collections"] = [key]
    report = json.loads(run(library, "check", "--collection", "to check", "--format", "json").stdout)
    assert [c["label"] for c in report["citations"]] == ["SHAHCMRB"]


def test_local_api_check_is_read_only(library, run):
    result = run(library, "check", "--local", "--local-url", library.url, "--format", "json")
    assert {c["label"] for c in json.loads(result.stdout)["citations"]} >= {"BSLNPAIN"}
    assert all(r.path.startswith("/api/") for r in library.requests)
    refused = run(library, "check", "--local", "--local-url", library.url, "--apply")
    assert refused.exit_code == 2 and "read-only" in refused.stderr


def test_api_key_never_appears_in_output_logs_or_errors(library, run, caplog, tmp_path):
    caplog.set_level(logging.DEBUG)
    library.echo_key_in_errors = True  # the stand-in's 403 body repeats the key it was sent
    ok = run(library, "check", "--apply", "--yes", "--format", "json")
    wrong_key = API_KEY[:-1] + "X"
    wrong = subprocess.run([sys.executable, "-c", "from refkit.cli import main; main()",
                            "zotero", "check", "--api-url", library.url, "--offline"],
                           capture_output=True, text=True, timeout=60,
                           env={**os.environ, "REFKIT_ZOTERO_API_KEY": wrong_key,
                                "REFKIT_CONFIG": str(tmp_path / "absent.toml")})
    assert wrong.returncode == 2 and "Invalid key ********" in wrong.stderr
    assert len(wrong.stderr.strip().splitlines()) == 1  # one line, no traceback
    everything = ok.stdout + ok.stderr + wrong.stdout + wrong.stderr + caplog.text
    assert API_KEY not in everything and wrong_key not in everything
    assert "Zotero-API-Key" not in caplog.text


def test_config_repr_hides_the_key(monkeypatch, tmp_path):
    monkeypatch.setenv("REFKIT_ZOTERO_API_KEY", API_KEY)
    monkeypatch.setenv("REFKIT_CONFIG", str(tmp_path / "absent.toml"))
    config = ZoteroConfig.load()
    assert config.api_key.reveal() == API_KEY
    assert API_KEY not in repr(config) + str(config) + repr(config.api_key) + f"{config.api_key}"
