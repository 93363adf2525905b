"""`refkit add` and identifier lists, end to end against the local Crossref
stub (tests/crossref_stub.py) and the stand-in for DataCite, PubMed, arXiv
and Open Library (tests/registry_standin.py). Entries are read back with
independent readers (bibtexparser, rispy)."""

from __future__ import annotations

import json

import bibtexparser
import pytest
import rispy
from click.testing import CliRunner

from refkit.cli import cli
from refkit.identifiers import ARXIV, DOI, ISBN, PMCID, PMID, isbn13, parse

JAD = "10.1016/j.jad.2020.09.071"


@pytest.fixture
def refkit(tmp_path, monkeypatch, seed_stub):
    """Invoke refkit against the seed stub with a private cache and quick retries."""
    config = tmp_path / "config.toml"
    config.write_text("[crossref]\ntimeout = 2\nmax_retries = 1\n", encoding="utf-8")
    monkeypatch.setenv("REFKIT_CONFIG", str(config))
    monkeypatch.setenv("REFKIT_MAILTO", "tests@example.org")
    monkeypatch.setenv("REFKIT_CROSSREF_URL", seed_stub.url)

    def invoke(*args: str, stdin: str | None = None):
        return CliRunner().invoke(cli, list(args), input=stdin)

    return invoke


@pytest.mark.parametrize("text, kind, value", [
    ("doi:10.1016/j.jad.2020.09.071", DOI, JAD),
    ("https://doi.org/10.1016%2Fj.jad.2020.09.071", DOI, JAD),
    ("PMID: 32980001", PMID, "32980001"),
    ("https://pubmed.ncbi.nlm.nih.gov/32980001/", PMID, "32980001"),
    ("pmcid:PMC7700001", PMCID, "PMC7700001"),
    ("https://arxiv.org/abs/2101.00001v2", ARXIV, "2101.00001"),
    ("arXiv:hep-th/9901001", ARXIV, "hep-th/9901001"),
    ("ISBN 0-19-852663-6", ISBN, "9780198526636"),
])
def test_identifiers_are_recognised_in_the_forms_they_are_printed(text, kind, value):
    identifier = parse(text)
    assert identifier is not None and (identifier.kind, identifier.value) == (kind, value)


def test_free_text_and_bad_check_digits_are_no_identifiers():
    assert parse("Comparative efficacy of racemic ketamine") is None
    assert parse("ISBN 0-19-852663-7") is None
    assert isbn13("0-19-852663-6") == "9780198526636"


def test_add_a_doi_prints_the_registered_work(refkit):
    result = refkit("add", f"doi:{JAD}", "-t", "bibtex")
    assert result.exit_code == 0, result.output
    entry = bibtexparser.parse_string(result.stdout).entries[0]
    assert entry["doi"] == JAD
    assert "Comparative efficacy of racemic ketamine" in entry["title"]
    assert entry["journal"] == "Journal of Affective Disorders"


def test_add_to_a_file_twice_adds_the_work_once(refkit, tmp_path):
    target = tmp_path / "refs.bib"
    target.write_text("% my references\n@book{mine, title = {Mine}, year = {2000}}\n", encoding="utf-8")
    first = refkit("add", JAD, "--to", str(target))
    assert first.exit_code == 0, first.output
    after_first = target.read_text(encoding="utf-8")
    second = refkit("add", f"https://doi.org/{JAD}", "--to", str(target))
    assert second.exit_code == 0
    assert "already in" in second.stderr
    assert target.read_text(encoding="utf-8") == after_first
    assert after_first.startswith("% my references\n@book{mine, title = {Mine}, year = {2000}}\n")
    keys = [e.key for e in bibtexparser.parse_string(after_first).entries]
    assert keys == ["mine", "bahji2021comparative"]


def test_a_key_the_file_already_uses_is_not_reused(refkit, tmp_path):
    target = tmp_path / "refs.bib"
    target.write_text("@article{bahji2021comparative, title = {Another paper}, year = {2021}}\n",
                      encoding="utf-8")
    assert refkit("add", JAD, "--to", str(target)).exit_code == 0
    keys = [e.key for e in bibtexparser.parse_string(target.read_text(encoding="utf-8")).entries]
    assert keys == ["bahji2021comparative", "bahji2021comparativea"]


def test_add_to_ris_and_csljson_keeps_what_was_there(refkit, tmp_path):
    ris = tmp_path / "lib.ris"
    ris.write_text("TY  - BOOK\r\nTI  - Kept\r\nER  - \r\n", encoding="utf-8")
    assert refkit("add", JAD, "--to", str(ris)).exit_code == 0
    data = ris.read_bytes()
    assert data.startswith(b"TY  - BOOK\r\nTI  - Kept\r\nER  - \r\n")
    assert b"\n" not in data.replace(b"\r\n", b"")  # the file's CRLF kept for the new record
    assert [r.get("doi") for r in rispy.loads(data.decode())] == [None, JAD]
    csl = tmp_path / "lib.json"
    csl.write_text('[\n    {"id": "x", "type": "book", "title": "Kept"}\n]\n', encoding="utf-8")
    assert refkit("add", JAD, "--to", str(csl)).exit_code == 0
    text = csl.read_text(encoding="utf-8")
    assert text.startswith('[\n    {"id": "x", "type": "book", "title": "Kept"},\n')
    assert [item.get("DOI") for item in json.loads(text)] == [None, JAD]


def test_free_text_is_added_only_when_it_validates_else_candidates_are_shown(refkit):
    full = ("Bahji A, Vazquez GH, Zarate CA. Comparative efficacy of racemic ketamine and esketamine "
            "for depression: a systematic review and meta-analysis. J Affect Disord. 2021;278:542-555.")
    found = refkit("add", full, "-t", "csljson")
    assert found.exit_code == 0, found.output
    assert json.loads(found.stdout)[0]["DOI"] == JAD
    vague = refkit("add", "ketamine esketamine depression")
    assert vague.exit_code == 1
    assert vague.stdout == ""
    assert "candidate: 10." in vague.stderr


def test_an_unregistered_doi_is_not_added(refkit, registries):
    result = refkit("add", "10.1016/j.jad.2099.99.999")
    assert result.exit_code == 1
    assert "not added" in result.stderr and result.stdout == ""


def test_pmid_pmcid_arxiv_isbn_and_datacite_through_their_registries(refkit, registries):
    result = refkit("add", "PMID:32980001", "PMC7700001", "arXiv:2101.00001v2", "ISBN 0-19-852663-6",
                    "10.5281/zenodo.4000001", "PMID 30000002", "-t", "csljson")
    assert result.exit_code == 0, result.output
    items = json.loads(result.stdout)
    by_title = {item["title"]: item for item in items}
    assert [i["DOI"] for i in items[:2]] == [JAD, JAD]  # PubMed's DOI, verified against Crossref
    assert by_title["Sparse attention for long reference lists"]["DOI"].lower() == "10.48550/arxiv.2101.00001"
    book = by_title["Bibliographic control: a practical handbook"]
    assert (book["type"], book["ISBN"], book["publisher"]) == ("book", "9780198526636", "Oxford University Press")
    software = by_title["refscan: reference list parsing toolkit"]
    assert "DataCite" in software["custom"]["refkit"]["service"] or "datacite" in software["custom"]["refkit"]["service"]
    assert by_title["Indexing practices in early medical bibliographies"]["PMID"] == "30000002"
    assert registries.counts["eutils"] == 1 and registries.counts["idconv"] == 1  # batched


def test_an_unknown_pmid_is_reported_and_a_registry_down_is_unverified(refkit, registries, monkeypatch):
    unknown = refkit("add", "PMID:99999999")
    assert unknown.exit_code == 1
    assert "has no record of PMID 99999999" in unknown.stderr
    monkeypatch.setenv("REFKIT_ARXIV_URL", "http://127.0.0.1:9/arxiv")
    down = refkit("add", "arXiv:2101.00001")
    assert down.exit_code == 3
    assert "could not be looked up" in down.stderr


def test_a_url_that_is_not_the_registry_api_is_said_so(refkit, registries):
    registries.broken.add("openlibrary")
    result = refkit("add", "ISBN 9780198526636")
    assert result.exit_code == 3
    assert "does not answer like Open Library's API" in result.stderr


def test_a_file_of_identifiers_is_read_as_those_works(refkit, tmp_path):
    listing = tmp_path / "dois.txt"
    listing.write_text(f"# reading list\n{JAD}\ndoi:10.1177/1039856219878643\n", encoding="utf-8")
    check = refkit("check", str(listing))
    assert check.exit_code == 0, check.output
    assert "2 references: 2 verified" in check.stdout
    export = refkit("export", str(listing), "-t", "bibtex")
    dois = [e["doi"] for e in bibtexparser.parse_string(export.stdout).entries]
    assert dois == [JAD, "10.1177/1039856219878643"]


def test_a_datacite_doi_is_verified_against_datacite(refkit, registries, tmp_path):
    bib = tmp_path / "soft.bib"
    bib.write_text("@software{refscan, author = {Lindqvist, Maja and Okafor, Chidi}, "
                   "title = {refscan: reference list parsing toolkit}, year = {2021}, "
                   "doi = {10.5281/zenodo.4000001}}\n", encoding="utf-8")
    result = refkit("check", str(bib), "--format", "json")
    assert result.exit_code == 0, result.output
    citation = json.loads(result.stdout)["citations"][0]
    assert citation["status"] == "doi-verified" and citation["findings"] == []
    export = refkit("export", str(bib), "-t", "ris", "--provenance", "notes")
    assert "DataCite" in export.stdout
