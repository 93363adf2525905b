"""`refkit check` on the command line against the local Crossref stub over
HTTP (tests/crossref_stub.py): findings, formats, exit codes, and what
happens when Crossref is down, throttling, failing, slow or garbled."""

from __future__ import annotations

import json
import time

import jsonschema
import pytest
from click.testing import CliRunner

from refkit.cli import cli
from refkit.errors import InputError
from refkit.report import SCHEMA_PATH

from .conftest import EXAMPLES

PDF = str(EXAMPLES / "ketamine-bpd-review.pdf.txt")
REFERENCES = 148


@pytest.fixture
def run(tmp_path, monkeypatch):
    """Invoke `refkit check` with a private cache and config, fast retries."""
    config = tmp_path / "config.toml"
    config.write_text("[crossref]\ntimeout = 0.5\nmax_retries = 1\nbackoff = 0.05\n"
                      "outage_budget = 1\n", encoding="utf-8")
    monkeypatch.setenv("REFKIT_CONFIG", str(config))
    monkeypatch.setenv("REFKIT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("REFKIT_MAILTO", "tests@example.org")

    def invoke(stub, *args: str):
        url = stub if isinstance(stub, str) else stub.url
        return CliRunner().invoke(cli, ["check", *args, "--crossref-url", url])

    return invoke


def test_the_pdf_copy_is_checked_with_fixes_and_exit_1(seed_stub, run):
    result = run(seed_stub, PDF)
    assert result.exit_code == 1, result.output
    assert "10.3389/fpsyt.2022.995726" in result.stdout
    assert "148 references: 139 verified, 4 corrected, 0 found, 5 missing, 0 unverified" in \
        " ".join(line.strip() for line in result.stdout.splitlines())


def test_json_report_validates_and_github_annotations_point_at_lines(seed_stub, run, tmp_path):
    out = tmp_path / "report.json"
    result = run(seed_stub, PDF, "--format", "json", "-o", str(out), "--select", "RK1")
    assert result.exit_code == 1
    data = json.loads(out.read_text(encoding="utf-8"))
    jsonschema.validate(data, json.loads(SCHEMA_PATH.read_text(encoding="utf-8")))
    codes = sorted(f["code"] for c in data["citations"] for f in c["findings"])
    assert codes == ["RK103"] * 3 + ["RK105"] + ["RK107"] * 5
    assert "148 references" in result.stderr  # the summary line still reaches the terminal
    github = run(seed_stub, PDF, "--format", "github", "--ignore", "RK107,RK2")
    assert github.stdout.count("::error file=") == 4
    assert "line=" in github.stdout


def test_fail_on_and_ignore_set_the_exit_code(seed_stub, run):
    assert run(seed_stub, PDF, "--ignore", "RK1").exit_code == 0
    assert run(seed_stub, PDF, "--ignore", "RK1", "--fail-on", "warning").exit_code == 1


def test_usage_errors_exit_2_with_one_line(seed_stub, run, tmp_path):
    bad = run(seed_stub, PDF, "--select", "RK999")
    assert bad.exit_code == 2 and "RK999" in bad.output
    missing = run(seed_stub, str(tmp_path / "nope.txt"))  # main() makes this one line and exit 2
    assert isinstance(missing.exception, InputError) and "no such file" in str(missing.exception)


@pytest.mark.parametrize("fault", ["down", 429, 503, "timeout", "malformed"])
def test_crossref_trouble_means_unverified_and_exit_3_never_a_hang(seed_stub, run, fault):
    seed_stub.hang = 3.0
    url = seed_stub.url
    if fault == "down":
        seed_stub.go_down()
    else:
        seed_stub.always = fault
    started = time.monotonic()
    result = run(url, PDF)
    assert time.monotonic() - started < 30
    assert result.exit_code == 3, result.output
    assert f"{REFERENCES} unverified" in " ".join(result.stdout.split())
    assert "could not be verified" in result.stderr
    assert "Traceback" not in result.output and result.exception is None or isinstance(result.exception, SystemExit)


def test_a_rerun_after_an_outage_resumes_from_the_cache(seed_stub, run):
    seed_stub.add_faults(*[503] * 20, kind="search")  # the batch lookups work, the searches fail
    first = run(seed_stub, PDF)
    assert first.exit_code == 1 and "9 of 148 references could not be verified" in first.stderr
    batches = seed_stub.counts["batch"]
    seed_stub.faults.clear()
    second = run(seed_stub, PDF)
    assert second.exit_code == 1 and "0 unverified" in " ".join(second.stdout.split())
    assert seed_stub.counts["batch"] == batches  # printed DOIs came from the cache
    asked = seed_stub.requests
    assert run(seed_stub, PDF).exit_code == 1 and seed_stub.requests == asked  # warm: no requests


def test_a_document_with_no_references_is_no_pass(tmp_path):
    """Found in review: an unparsed list passed as a clean check with no word."""
    from click.testing import CliRunner

    from refkit.cli import cli

    empty = tmp_path / "paper.txt"
    empty.write_text("References\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", str(empty), "--offline"])
    assert isinstance(result.exception, InputError) and "no references found in 1 document" in str(result.exception)


def test_a_30000_character_doi_costs_no_more_than_any_other(seed_stub, run, tmp_path):
    """Found by fuzzing: guessing corrections of a 30,000-character "DOI"
    took 126 CPU-s and 925 MB; it is no plausible DOI, so none are guessed."""
    bib = tmp_path / "long.bib"
    bib.write_text("@article{a, title={A title of some sort}, author={Doe, J}, year={2020}, "
                   "doi={10.1234/" + "ab" * 15_000 + "}}\n", encoding="utf-8")
    started = time.process_time()
    result = run(seed_stub, str(bib), "--format", "json")
    assert time.process_time() - started < 5
    [citation] = json.loads(result.stdout)["citations"]
    assert [f["code"] for f in citation["findings"]][0] == "RK101"
