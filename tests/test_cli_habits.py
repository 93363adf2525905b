"""Command-line habits: `-` for stdin, -q, --color/NO_COLOR, [tool.refkit]
in pyproject.toml and its precedence, per-entry acceptance of a finding,
--ignore RK501, the contact-address warning once per machine, a malformed
--crossref-url refused at once, a URL that is not Crossref's API said so."""

from __future__ import annotations

import json
import time

import bibtexparser
import pytest
from click.testing import CliRunner

from refkit.cli import cli
from refkit.errors import RefkitError
from refkit.settings import Settings

from .crossref_stub import refused_url

JAD = "10.1016/j.jad.2020.09.071"
BIB = """@article{rao2019,
  author = {Rao, S and Broadbear, J},
  title = {Borderline personality disorder and depressive disorder},
  journal = {Australas Psychiatry}, year = {2019}, volume = {27}, pages = {573-7},
  doi = {10.1177/1039856219878643}
}
@article{unoka2022,
  author = {Unoka, Z and Csaky-Pallavicini, K},
  title = {The Inventory of Personality Organization: a valid instrument to detect the severity of personality dysfunction},
  journal = {Frontiers in Psychiatry}, year = {2022}, volume = {13}, pages = {995726},
  doi = {10.3389/fpsy.2022.995726}
}
"""


def invoke(*args: str, stdin: str | None = None, env: dict[str, str] | None = None):
    return CliRunner().invoke(cli, list(args), input=stdin, env=env)


@pytest.fixture
def stub_env(seed_stub, monkeypatch):
    monkeypatch.setenv("REFKIT_CROSSREF_URL", seed_stub.url)
    monkeypatch.setenv("REFKIT_MAILTO", "tests@example.org")
    return seed_stub


def test_dash_reads_stdin_for_check_export_fix_and_add(stub_env):
    checked = invoke("check", "-", "--format", "json", stdin=BIB)
    assert [c["label"] for c in json.loads(checked.stdout)["citations"]] == ["rao2019", "unoka2022"]
    exported = invoke("export", "-", "-t", "bibtex", stdin=f"{JAD}\n")
    assert bibtexparser.parse_string(exported.stdout).entries[0]["doi"] == JAD
    fixed = invoke("fix", "-", stdin=BIB)
    assert fixed.exit_code == 0, fixed.output
    assert fixed.stdout == BIB.replace("10.3389/fpsy.2022.995726", "10.3389/fpsyt.2022.995726")
    added = invoke("add", "-", "-t", "csljson", stdin=f"# mine\ndoi:{JAD}\n")
    assert json.loads(added.stdout)[0]["DOI"] == JAD


def test_quiet_keeps_only_errors_and_color_follows_no_color(stub_env, tmp_path):
    bib = tmp_path / "refs.bib"
    bib.write_text(BIB, encoding="utf-8")
    loud = invoke("export", str(bib), "--offline")
    assert "references written" in loud.stderr and "could not be verified" in loud.stderr
    quiet = invoke("-q", "export", str(bib), "--offline")
    assert quiet.stderr == "" and quiet.stdout == loud.stdout
    coloured = invoke("--color", "always", "check", str(bib))
    assert "\x1b[31merror\x1b[0m" in coloured.stdout
    plain = invoke("--color", "auto", "check", str(bib), env={"NO_COLOR": "1"})
    assert "\x1b[" not in plain.stdout and "error" in plain.stdout


def test_ignore_rk501_really_ignores_it(tmp_path, monkeypatch):
    monkeypatch.setenv("REFKIT_MAILTO", "tests@example.org")
    bib = tmp_path / "refs.bib"
    bib.write_text(BIB, encoding="utf-8")
    assert invoke("check", str(bib), "--offline").exit_code == 3
    assert invoke("check", str(bib), "--offline", "--ignore", "RK501").exit_code == 0


def test_a_malformed_crossref_url_is_a_usage_error_at_once(tmp_path):
    bib = tmp_path / "refs.bib"
    bib.write_text(BIB, encoding="utf-8")
    start = time.monotonic()
    result = invoke("check", str(bib), "--crossref-url", "api.crossref.org")
    assert time.monotonic() - start < 5
    assert isinstance(result.exception, RefkitError)  # exit 2 through the console entry point
    assert "--crossref-url 'api.crossref.org' is not an http(s) URL" in str(result.exception)


def test_a_url_that_is_not_crossrefs_api_is_said_so(make_stub, tmp_path, monkeypatch):
    monkeypatch.setenv("REFKIT_CONFIG", str(tmp_path / "config.toml"))
    (tmp_path / "config.toml").write_text("[crossref]\nmax_retries = 1\ntimeout = 1\n", encoding="utf-8")
    stub = make_stub([], always="malformed")
    bib = tmp_path / "refs.bib"
    bib.write_text(BIB, encoding="utf-8")
    result = invoke("check", str(bib), "--crossref-url", stub.url, "--mailto", "t@example.org")
    assert result.exit_code == 3
    assert f"{stub.url} does not answer like Crossref's REST API" in result.stderr


def test_the_contact_warning_comes_once_per_machine_or_never_when_configured(tmp_path, monkeypatch):
    bib = tmp_path / "refs.bib"
    bib.write_text(BIB, encoding="utf-8")
    url = refused_url()
    first = invoke("check", str(bib), "--crossref-url", url)
    second = invoke("check", str(bib), "--crossref-url", url)
    assert "no contact address" in first.stderr
    assert "no contact address" not in second.stderr
    monkeypatch.setenv("REFKIT_CACHE_DIR", str(tmp_path / "other-machine"))
    config = tmp_path / "config.toml"
    config.write_text("contact_warning = false\n", encoding="utf-8")
    monkeypatch.setenv("REFKIT_CONFIG", str(config))
    assert "no contact address" not in invoke("check", str(bib), "--crossref-url", url).stderr


def test_pyproject_settings_and_option_defaults_with_their_precedence(stub_env, tmp_path, monkeypatch):
    project = tmp_path / "paper"
    (project / "chapters").mkdir(parents=True)
    (project / "pyproject.toml").write_text(
        '[project]\nname = "paper"\n\n[tool.refkit]\nmailto = "project@example.org"\n'
        'ignore = ["RK103"]\n\n[tool.refkit.check]\nfail-on = "warning"\n', encoding="utf-8")
    (project / "refs.bib").write_text(BIB, encoding="utf-8")
    monkeypatch.chdir(project / "chapters")  # the nearest pyproject.toml upwards applies
    monkeypatch.delenv("REFKIT_MAILTO")
    assert Settings.load().mailto == "project@example.org"
    monkeypatch.setenv("REFKIT_MAILTO", "env@example.org")
    assert Settings.load().mailto == "env@example.org"  # environment beats pyproject
    assert Settings.load(mailto="cli@example.org").mailto == "cli@example.org"
    report = invoke("check", "../refs.bib", "--format", "json")
    codes = [f["code"] for c in json.loads(report.stdout)["citations"] for f in c["findings"]]
    assert "RK103" not in codes  # ignore from [tool.refkit]
    assert invoke("check", "../refs.bib", "--ignore", "RK2").exit_code == 1  # the option beats it


def test_a_finding_accepted_for_one_entry_is_not_reported(stub_env, tmp_path, monkeypatch):
    accepted = BIB.replace("  doi = {10.3389/fpsy.2022.995726}",
                           "  doi = {10.3389/fpsy.2022.995726},\n  refkit-ignore = {RK103, author-differs}")
    bib = tmp_path / "refs.bib"
    bib.write_text(accepted, encoding="utf-8")
    result = invoke("check", str(bib), "--format", "json")
    assert result.exit_code == 0, result.output
    assert all(c["findings"] == [] for c in json.loads(result.stdout)["citations"])
    ris = tmp_path / "refs.ris"
    ris.write_text("TY  - JOUR\nAU  - Unoka, Z\nTI  - The Inventory of Personality Organization: a valid "
                   "instrument to detect the severity of personality dysfunction\nT2  - Frontiers in "
                   "Psychiatry\nPY  - 2022\nVL  - 13\nSP  - 995726\nDO  - 10.3389/fpsy.2022.995726\n"
                   "U1  - refkit-ignore: doi-corrected\nER  - \n", encoding="utf-8")
    assert invoke("check", str(ris)).exit_code == 0
    plain = tmp_path / "plain.bib"
    plain.write_text(BIB, encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text(
        '[tool.refkit.per-entry-ignores]\n"10.3389/fpsy.2022.995726" = ["RK1"]\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert invoke("check", str(plain)).exit_code == 0


def test_messages_say_what_was_asked_offline_and_on_stdout(tmp_path, monkeypatch):
    """Under --offline the advice is to drop --offline (a re-run would resume
    nothing), and output to stdout is not said to be written "to -"."""
    monkeypatch.setenv("REFKIT_MAILTO", "tests@example.org")
    bib = tmp_path / "refs.bib"
    bib.write_text(BIB, encoding="utf-8")
    result = invoke("export", str(bib), "--offline", "--cache-dir", str(tmp_path / "cache"), "-o", "-")
    assert result.exit_code == 0
    assert "2 references written\n" in result.stderr and "to -" not in result.stderr
    assert "Run without --offline to verify them." in result.stderr and "re-run" not in result.stderr
