"""RK302 preprint-published: a cited preprint whose Crossref record links a
published article (`relation` "is-preprint-of") that matches it gets the
published DOI as a validated fix; `fix --select RK302` writes it."""

from __future__ import annotations

import json

from click.testing import CliRunner

from refkit.cli import cli

AUTHORS = [{"given": "Ana", "family": "Ferreira", "sequence": "first"},
           {"given": "Petr", "family": "Novak", "sequence": "additional"}]
PREPRINT = {"_fixture": "synthetic", "DOI": "10.1101/2020.05.01.000001", "type": "posted-content",
            "title": ["Sleep loss and reference recall in early-career researchers"], "author": AUTHORS,
            "publisher": "Cold Spring Harbor Laboratory", "institution": [{"name": "bioRxiv"}],
            "posted": {"date-parts": [[2020, 5, 3]]}, "issued": {"date-parts": [[2020, 5, 3]]},
            "relation": {"is-preprint-of": [{"id-type": "doi", "id": "10.5555/jsr.2021.0042",
                                             "asserted-by": "subject"}]}}
PUBLISHED = {"_fixture": "synthetic", "DOI": "10.5555/jsr.2021.0042", "type": "journal-article",
             "title": ["Sleep loss and reference recall in early-career researchers"], "author": AUTHORS,
             "container-title": ["Journal of Sleep Research"], "volume": "30", "page": "e13042",
             "issued": {"date-parts": [[2021, 2, 1]]},
             "relation": {"has-preprint": [{"id-type": "doi", "id": "10.1101/2020.05.01.000001",
                                            "asserted-by": "object"}]}}
OTHER = {**PUBLISHED, "DOI": "10.5555/other.1", "title": ["An unrelated editorial"],
         "author": [{"given": "X", "family": "Someone"}]}
BIB = """@article{ferreira2020,
  author = {Ferreira, Ana and Novak, Petr},
  title = {Sleep loss and reference recall in early-career researchers},
  journal = {bioRxiv}, year = {2020},
  doi = {10.1101/2020.05.01.000001}
}
"""


def run(stub, *args):
    return CliRunner().invoke(cli, [*args, "--crossref-url", stub.url])


def test_a_published_preprint_is_reported_with_the_published_doi(make_stub, tmp_path):
    stub = make_stub([PREPRINT, PUBLISHED])
    bib = tmp_path / "refs.bib"
    bib.write_text(BIB, encoding="utf-8")
    result = run(stub, "check", str(bib), "--format", "json")
    assert result.exit_code == 0, result.output  # info
    finding = json.loads(result.stdout)["citations"][0]["findings"][0]
    assert (finding["code"], finding["name"], finding["severity"]) == ("RK302", "preprint-published", "info")
    assert finding["fix"] == "10.5555/jsr.2021.0042"


def test_a_linked_record_that_does_not_match_is_not_offered(make_stub, tmp_path):
    preprint = {**PREPRINT, "relation": {"is-preprint-of": [{"id-type": "doi", "id": "10.5555/other.1"}]}}
    stub = make_stub([preprint, OTHER])
    bib = tmp_path / "refs.bib"
    bib.write_text(BIB, encoding="utf-8")
    report = json.loads(run(stub, "check", str(bib), "--format", "json").stdout)
    assert report["citations"][0]["findings"] == []


def test_fix_select_rk302_upgrades_the_entry_and_plain_fix_leaves_it(make_stub, tmp_path):
    stub = make_stub([PREPRINT, PUBLISHED])
    bib = tmp_path / "refs.bib"
    bib.write_text(BIB, encoding="utf-8")
    assert run(stub, "fix", str(bib)).exit_code == 0
    assert bib.read_text(encoding="utf-8") == BIB
    assert run(stub, "fix", str(bib), "--select", "RK302").exit_code == 0
    assert bib.read_text(encoding="utf-8") == BIB.replace("10.1101/2020.05.01.000001", "10.5555/jsr.2021.0042")
