"""DOIs as PDFs print them: a space inside a DOI ("10.1021/jf03 0345") is
read whole only when the joined DOI is registered and matches the reference
while the cut one does not, and the finding says so; the reference's year
run into a DOI ("…0345.2013") is a correction candidate, fixed only when it
validates. Through `refkit check` against the local Crossref stand-in."""

from __future__ import annotations

import json

from click.testing import CliRunner

from refkit.cli import cli
from refkit.doi import find_dois
from refkit.model import Location
from refkit.readers.reflist import citation_from_text
from refkit.resolving.cache import Cache
from refkit.resolving.resolver import resolve
from refkit.resolving.sources.crossref import CrossrefClient
from refkit.settings import Settings


def _record(doi: str, title: str, family: str, year: int = 2013) -> dict:
    return {"_fixture": "synthetic", "DOI": doi, "type": "journal-article", "title": [title],
            "author": [{"given": "Mei", "family": family, "sequence": "first"}],
            "container-title": ["Journal of Agricultural and Food Chemistry"],
            "short-container-title": ["J Agric Food Chem"], "issued": {"date-parts": [[year]]},
            "volume": "61", "issue": "4", "page": "812-820"}


WHOLE = _record("10.5555/jf030345", "Polyphenol oxidase activity in stored apple slices", "Chen")
CUT = _record("10.5555/jf03", "Lipid oxidation in frozen mackerel fillets", "Ortega")
SUFFIXED = _record("10.5555/jf041177", "Volatile esters of ripening pears under controlled atmosphere", "Varga")


def _printed(record: dict, doi: str) -> str:
    author = record["author"][0]
    return (f"{author['family']} {author['given'][0]}. {record['title'][0]}. J Agric Food Chem. "
            f"{record['issued']['date-parts'][0][0]};61(4):812-820. doi:{doi}")


def _check(stub, tmp_path, *references: str) -> list[dict]:
    path = tmp_path / "paper.txt"
    path.write_text("References\n\n" + "\n".join(f"{n}. {r}" for n, r in enumerate(references, 1)) + "\n",
                    encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", str(path), "--crossref-url", stub.url, "--format", "json"])
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)["citations"]


def test_the_reader_keeps_the_cut_doi_and_offers_the_joined_one_as_a_candidate():
    [found] = find_dois("Chen M. Polyphenol oxidase. J Agric Food Chem. 2013;61:812. doi:10.1021/jf03 0345.")
    assert (found.doi, found.joined, found.joined_printed) == ("10.1021/jf03", "10.1021/jf030345",
                                                               "doi:10.1021/jf03 0345")
    [labelled, following] = find_dois("doi:10.1000/abc 12. Next, doi:10.1000/def")
    assert labelled.joined is None and following.doi == "10.1000/def"


def test_a_doi_cut_by_a_space_is_read_whole_when_only_the_joined_one_validates(make_stub, tmp_path):
    stub = make_stub([WHOLE])
    [citation] = _check(stub, tmp_path, _printed(WHOLE, "10.5555/jf03 0345"))
    assert citation["status"] == "doi-corrected"
    [finding] = citation["findings"]
    assert (finding["code"], finding["severity"], finding["fix"]) == ("RK103", "warning", "10.5555/jf030345")
    assert finding["evidence"]["relation"] == "split-by-space"
    assert finding["evidence"]["read_as"] == "10.5555/jf03" and not finding["evidence"]["read_as_registered"]
    assert "space" in finding["message"] and finding["printed"] == "doi:10.5555/jf03 0345"
    assert stub.counts["single"] == 0 and stub.counts["batch"] == 1  # the candidate went with the printed DOIs


def test_the_cut_doi_stays_when_it_is_registered_and_matches(make_stub, tmp_path):
    """The piece after the space was the next word: 10.5555/jf03 names the
    cited work, so the joined DOI, registered to another, is not taken."""
    other = _record("10.5555/jf030345", "Polyphenol oxidase activity in stored apple slices", "Chen")
    stub = make_stub([CUT, other])
    [citation] = _check(stub, tmp_path, _printed(CUT, "10.5555/jf03 0345"))
    assert citation["status"] == "doi-verified" and citation["findings"] == []


def test_a_joined_doi_that_names_another_work_is_not_taken(make_stub, tmp_path):
    stub = make_stub([CUT, WHOLE])
    cited = _record("10.5555/none", "Thermal stability of anthocyanins in cherry juice", "Ito")
    [citation] = _check(stub, tmp_path, _printed(cited, "10.5555/jf03 0345"))
    assert citation["status"] != "doi-corrected"
    assert all(f["fix"] != WHOLE["DOI"] for f in citation["findings"])
    assert "RK104" in {f["code"] for f in citation["findings"]}  # 10.5555/jf03 is another work


def test_the_references_year_run_into_its_doi_is_corrected_when_the_doi_without_it_validates(make_stub, tmp_path):
    stub = make_stub([SUFFIXED])
    [citation] = _check(stub, tmp_path, _printed(SUFFIXED, "10.5555/jf041177.2013"))
    [finding] = [f for f in citation["findings"] if f["code"] == "RK103"]
    assert finding["fix"] == "10.5555/jf041177" and finding["evidence"]["relation"] == "year-run-in"


class _SearchFindsNothing(CrossrefClient):
    """The real client, but a search that finds nothing: a fix can then come
    only from the printed DOI's own candidates, looked up by DOI."""

    def search(self, query, rows=5, filters=None):
        return []


def _resolve_without_search(stub, tmp_path, printed: str):
    settings = Settings(crossref_url=stub.url, mailto="tests@example.org", cache_path=tmp_path / "c.sqlite")
    client = _SearchFindsNothing(settings, Cache(settings.cache_path), backoff=0.01)
    citation = citation_from_text(_printed(SUFFIXED, printed), Location("paper.txt", 3, label="1"))
    [resolution] = resolve([citation], client)
    return resolution


def test_the_year_run_in_candidate_is_checked_by_doi_when_search_cannot_find_the_work(make_stub, tmp_path):
    stub = make_stub([SUFFIXED])
    resolution = _resolve_without_search(stub, tmp_path, "10.5555/jf041177.2013")
    [finding] = [f for f in resolution.findings if f.code.code == "RK103"]
    assert finding.fix == "10.5555/jf041177" and finding.evidence["via"] == "doi-edit"
    assert finding.evidence["relation"] == "year-run-in"


def test_another_year_is_no_candidate(make_stub, tmp_path):
    stub = make_stub([SUFFIXED])
    resolution = _resolve_without_search(stub, tmp_path, "10.5555/jf041177.2011")
    assert resolution.work.doi != SUFFIXED["DOI"] and all(f.fix is None for f in resolution.findings)
