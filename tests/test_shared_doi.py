"""One work, one entry, never two works in one: entries of one list or file
are never joined, whatever they share; two that print one DOI get RK110
(doi-shared) saying which owns it and the validated fix for the other;
across documents only citations whose evidence agrees are joined."""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner

from refkit.cli import cli
from refkit.corpus import join_duplicates, read_corpus
from refkit.model import Citation, Location, Name, Resolution, Status, Work
from refkit.resolving.shared import flag_shared_dois

TWO_KEYS_ONE_DOI = """@article{rao2019,
  author = {Rao, S and Broadbear, J},
  title = {Borderline personality disorder and depressive disorder},
  journal = {Australas Psychiatry}, year = {2019},
  doi = {10.1177/1039856219878643}
}
@article{bislin2014,
  author = {Bislin, RS and Zanarini, MC},
  title = {Pain in patients with borderline personality disorder},
  journal = {Pers Ment Health}, year = {2014},
  doi = {10.1177/1039856219878643}
}
"""


def _citation(file: str, label: str, title: str, doi: str | None = None, year: int = 2010,
              author: str = "Adams") -> Citation:
    return Citation(raw=title, source=Location(file, int(label), label=label), title=title, doi=doi,
                    year=year, authors=[Name(family=author)])


def test_entries_of_one_list_are_never_joined():
    """A list where 8 entries print one truncated DOI, two letters share a
    title, and an abstract stands beside its paper: every entry is kept."""
    same_doi = [_citation("list.txt", str(n), f"Paper {n} on skin", "10.1001/archderm", author=f"A{n}")
                for n in range(1, 9)]
    letters = [_citation("list.txt", "9", "Ketamine for depression"),
               _citation("list.txt", "10", "Ketamine for depression")]
    assert len(join_duplicates(same_doi + letters)) == 10


def test_across_documents_only_agreeing_evidence_joins():
    page = _citation("page.txt", "1", "Borderline personality disorder and depressive disorder", year=2019,
                     author="Rao")
    listed = _citation("paper.pdf", "4", "Borderline personality disorder and depressive disorder",
                       "10.1177/1039856219878643", 2019, "Rao")
    other_work_same_doi = _citation("refs.bib", "7", "Pain in patients with borderline personality disorder",
                                    "10.1177/1039856219878643", 2014, "Bislin")
    emsley = _citation("x.txt", "2", "Acta Cryst. D66", year=2010, author="Emsley")
    adams = _citation("y.txt", "3", "Acta Cryst. D66", year=2010, author="Adams")
    joined = join_duplicates([page, listed, other_work_same_doi, emsley, adams])
    assert len(joined) == 4 and listed in joined and page not in joined
    assert listed.extra["also_in"] == ["page.txt:line 1"]


def test_bib_with_two_entries_sharing_a_doi_keeps_both_keys_and_check_fails(tmp_path):
    bib = tmp_path / "refs.bib"
    bib.write_text(TWO_KEYS_ONE_DOI, encoding="utf-8")
    runner = CliRunner()
    check = runner.invoke(cli, ["check", str(bib), "--offline", "--format", "json"])
    assert check.exit_code == 1, check.output
    report = json.loads(check.stdout)
    shared = [f for c in report["citations"] for f in c["findings"] if f["code"] == "RK110"]
    assert len(shared) == 2 and all("Crossref could not be asked which" in f["message"] for f in shared)
    out = tmp_path / "out.bib"
    runner.invoke(cli, ["export", str(bib), "-t", "bibtex", "-o", str(out), "--offline"])
    text = out.read_text(encoding="utf-8")
    assert re.findall(r"^@article\{(\w+),", text, re.MULTILINE) == ["rao2019", "bislin2014"]


def test_rk110_names_the_owner_and_the_validated_fix_for_the_other(seed_stub, tmp_path):
    bib = tmp_path / "refs.bib"
    bib.write_text(TWO_KEYS_ONE_DOI, encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", str(bib), "--crossref-url", seed_stub.url, "--format", "json"])
    report = json.loads(result.stdout)
    findings = {c["label"]: c["findings"] for c in report["citations"]}
    assert not [f for f in findings["rao2019"] if f["code"] == "RK110"]  # the DOI is its own
    [shared] = [f for f in findings["bislin2014"] if f["code"] == "RK110"]
    assert shared["evidence"]["owner"]["label"] == "rao2019"
    assert shared["fix"] == "10.1002/pmh.1265" and "whose work it is" in shared["message"]


def test_the_same_work_listed_twice_is_said_as_such():
    work = Work({"type": "article-journal", "DOI": "10.5555/x", "title": "T"})
    twins = [Resolution(_citation("l.txt", str(n), "T", "10.5555/x"), work, Status.DOI_VERIFIED) for n in (1, 2)]
    flag_shared_dois(twins)
    assert all("listed more than once" in r.findings[0].message for r in twins)


@pytest.mark.shared_data
def test_a_list_of_real_records_keeps_every_entry_and_judges_shared_dois():
    """Real Crossref records as one printed list (benchmarks/bench_shared_doi.py):
    entries printing another's DOI, replies printing a letter's title, typos."""
    from benchmarks.bench_shared_doi import measure

    figures = measure(records=150, seed=5)
    assert figures["in_report"] == figures["in_bibtex"] == figures["in_ris"] == figures["in_csljson"] == 150
    assert figures["letters_kept_apart"] == 6
    assert figures["rk110_on_victims"] == figures["right_owner"] == figures["sharing_entries"] == 16
    assert figures["right_fix"] >= 15 and figures["wrong_fix"] == 0 and figures["rk110_false_alarms"] == 0
