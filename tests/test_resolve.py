"""The resolver's decisions (refkit.resolving.resolver) with an in-memory client that
answers like CrossrefClient (works_by_doi, search, agency) over the
synthetic records of tests/fixtures/seed and tests/fixtures/resolve.
End-to-end runs over HTTP are in test_seed_resolution.py."""

from __future__ import annotations

import json

from rapidfuzz import fuzz

from refkit import codes
from refkit.resolving.sources.crossref import CrossrefUnavailable
from refkit.csl import from_crossref
from refkit.doi import normalize
from refkit.resolving.match import fold
from refkit.model import Citation, CitationKind, Location, Name, Status
from refkit.resolving.resolver import resolve, search_query

from .conftest import FIXTURES


class MemoryClient:
    """A test double with CrossrefClient's three questions, counting calls."""

    def __init__(self, agencies=None, down=False):
        self.works = {}
        for path in (FIXTURES / "seed" / "works.jsonl", FIXTURES / "resolve" / "works.jsonl"):
            for line in path.read_text(encoding="utf-8").splitlines():
                record = json.loads(line)
                self.works[record["DOI"].lower()] = from_crossref(record)
        self.agencies = agencies or {}
        self.down = down
        self.batches, self.searches = [], []
        self.unavailable_reason = "the test says Crossref is down" if down else None

    def works_by_doi(self, dois):
        self.batches.append(list(dois))
        return {} if self.down else {normalize(d): self.works.get(normalize(d)) for d in dois}

    def search(self, query, rows=5, filters=None):
        self.searches.append(query)
        if self.down:
            raise CrossrefUnavailable("down")
        ranked = sorted(self.works.values(), reverse=True,
                        key=lambda w: fuzz.token_set_ratio(fold(f"{w.title} {w.container}"), fold(query)))
        return ranked[:rows]

    def agency(self, doi):
        if self.down:
            raise CrossrefUnavailable("down")
        return self.agencies.get(normalize(doi))


def ref(raw="", label="1", **fields) -> Citation:
    return Citation(raw=raw or fields.get("title", ""), source=Location("refs.txt", line=int(label) if label.isdigit() else None,
                                                                       label=label), **fields)


PRICE = dict(title="Effects of ketamine on explicit and implicit suicidal cognition: a randomized controlled "
                   "trial in treatment-resistant depression",
             authors=[Name("Price", "RB"), Name("Iosifescu", "DV"), Name("Murrugh", "JW")], et_al=True,
             container="Depress Anxiety", year=2014, volume="31", pages="335–43")
CAO = dict(title="Identifying ketamine responses in treatment-resistant depression using a wearable forehead EEG",
           authors=[Name("Zehong", "C"), Name("Chin-Teng", "L")], container="IEEE Trans BioMed Eng",
           year=2019, volume="66", pages="1668–79")
UNOKA = dict(title="The Inventory of Personality Organization: A valid instrument to detect the severity of "
                   "personality dysfunction", authors=[Name("Unoka", "Z")], et_al=True,
             container="Front Psychiatry", year=2022, volume="13", pages="995726")
RAO = dict(title="Borderline personality disorder and depressive disorder", authors=[Name("Rao", "S"),
           Name("Broadbear", "J")], container="Australas Psychiatry", year=2019, volume="27", pages="573–7")


def codes_of(resolution) -> list[str]:
    return [f.code.code for f in resolution.findings]


def only(resolution, code):
    [finding] = [f for f in resolution.findings if f.code.code == code]
    return finding


def test_a_correct_doi_is_verified_without_findings():
    [r] = resolve([ref(doi="10.1177/1039856219878643", **RAO)], MemoryClient())
    assert r.status is Status.DOI_VERIFIED and r.findings == []
    assert r.work.doi == "10.1177/1039856219878643" and r.confidence > 0.8


def test_an_issue_doi_is_flagged_with_the_article_as_fix():
    [r] = resolve([ref(doi="10.1002/da.2014.31.issue-4", **PRICE)], MemoryClient())
    assert r.status is Status.DOI_CORRECTED and r.work.doi == "10.1002/da.22253"
    finding = only(r, "RK105")
    assert finding.fix == "10.1002/da.22253" and finding.printed == "10.1002/da.2014.31.issue-4"
    assert "journal-issue" in finding.registered and finding.evidence["relation"] == "issue-doi"
    assert "Murrugh (registered: Murrough)" in only(r, "RK201").message


def test_a_truncated_doi_is_completed_from_search_results():
    [r] = resolve([ref(doi="10.1109/TBME.10", **CAO)], MemoryClient())
    finding = only(r, "RK103")
    assert finding.fix == "10.1109/TBME.2018.2877651"
    assert finding.evidence["relation"] == "truncated" and finding.evidence["via"] == "search"
    assert "swapped" in only(r, "RK201").message


def test_a_wrong_journal_code_is_corrected_by_a_generated_candidate_when_search_fails_to_find_it():
    client = MemoryClient()
    client.search = lambda query, rows=5, filters=None: []  # search finds nothing useful
    r, _article = resolve([ref(doi="10.3389/fpsy.2022.995726", **UNOKA),
                   ref(label="2", doi="10.3389/fpsyt.2024.1398859",
                       title="Ketamine in borderline personality disorder")], client)
    finding = only(r, "RK103")
    assert finding.fix == "10.3389/fpsyt.2022.995726"
    assert finding.evidence["via"] == "doi-edit" and finding.evidence["relation"] == "journal-code"
    assert len(client.batches) == 2  # printed DOIs, then every generated candidate at once


def test_a_doi_of_another_work_is_flagged_and_the_right_one_proposed():
    [r] = resolve([ref(doi="10.1093/brain/awq010", **RAO)], MemoryClient())
    finding = only(r, "RK104")
    assert finding.fix == "10.1177/1039856219878643"
    assert "default-mode" in finding.registered.lower()


def test_an_unregistered_doi_without_correction_asks_the_agency():
    citation = dict(title="A dataset of nothing in particular", year=2020)
    [gone] = resolve([ref(doi="10.99999/nothing.here", **citation)], MemoryClient())
    assert codes_of(gone) == ["RK102"] and gone.status is Status.DOCUMENT_ONLY
    [elsewhere] = resolve([ref(doi="10.99999/nothing.here", **citation)],
                          MemoryClient(agencies={"10.99999/nothing.here": "datacite"}))
    assert codes_of(elsewhere) == ["RK109"]
    assert only(elsewhere, "RK109").severity is codes.Severity.INFO


def test_missing_dois_are_found_or_reported_with_the_best_rejected_candidate():
    found, missing = resolve([
        ref(raw="Rao S, Broadbear J. Borderline personality disorder and depressive disorder. "
                "Australas Psychiatry. (2019) 27:573-7.", **RAO),
        ref(label="2", raw="National Collaborating Centre for Mental Health. Borderline Personality Disorder: "
                           "Treatment and Management. Leicester (2009).",
            title="Borderline Personality Disorder: Treatment and Management", year=2009, csl_type="book"),
    ], MemoryClient())
    assert found.status is Status.FOUND_BY_SEARCH and only(found, "RK106").fix == "10.1177/1039856219878643"
    assert missing.status is Status.DOCUMENT_ONLY and codes_of(missing) == ["RK107"]
    assert missing.findings[0].evidence["best_candidate"]  # what was considered and rejected
    assert missing.work.title.startswith("Borderline Personality Disorder")


def test_titled_entries_of_a_citations_page_resolve_by_title_and_year():
    title = "Differential methylation of OPRK1 in borderline personality disorder is associated with childhood trauma"
    hit, miss = resolve([ref(title=title, year=2024, kind=CitationKind.ANNOTATED),
                         ref(label="2", title=title, year=2016, kind=CitationKind.ANNOTATED)], MemoryClient())
    assert hit.status is Status.FOUND_BY_SEARCH
    assert hit.work.doi == "10.5555/refkit.fixture.oprk1-2024"
    assert miss.status is Status.DOCUMENT_ONLY  # the year contradicts: not accepted


def test_an_unlisted_mention_that_resolves_to_nothing_is_reported_without_a_candidate():
    [r] = resolve([ref(raw="Prossin and colleagues (2031)", kind=CitationKind.UNLISTED,
                       authors=[Name("Prossin")], year=2031)], MemoryClient())
    assert r.status is Status.DOCUMENT_ONLY
    [unlisted] = r.findings
    assert unlisted.code is codes.CITATION_UNLISTED and unlisted.evidence["best_candidate"] is None


def test_retractions_are_errors_and_corrections_warnings():
    retracted, corrected = resolve([
        ref(doi="10.5555/rk.retracted.1", title="Ketamine cures everything in one afternoon",
            authors=[Name("Nobody", "A")], year=2019),
        ref(label="2", doi="10.5555/rk.corrected.1", title="Opioid receptor density in the anterior cingulate",
            authors=[Name("Lindqvist", "B")], year=2018),
    ], MemoryClient())
    assert only(retracted, "RK301").severity is codes.Severity.ERROR
    assert only(corrected, "RK301").severity is codes.Severity.WARNING


def test_a_malformed_doi_is_reported_and_repaired():
    [r] = resolve([ref(doi="10,1177/1039856219878643", doi_printed="doi: 10,1177/1039856219878643", **RAO)],
                  MemoryClient())
    assert codes_of(r)[:2] == ["RK101", "RK103"] and only(r, "RK103").fix == "10.1177/1039856219878643"


def test_requests_are_batched_and_searches_limited_to_what_needs_one():
    client = MemoryClient()
    citations = [ref(doi="10.1177/1039856219878643", **RAO), ref(label="2", doi="10.1002/da.2014.31.issue-4", **PRICE),
                 ref(label="3", doi="10.1109/TBME.10", **CAO), ref(label="4", **RAO)]
    resolve(citations, client)
    assert len(client.batches) == 1  # search found every fix, no generated candidates to check
    assert len(client.searches) == 3


def test_without_a_client_or_crossref_everything_is_unverified():
    citations = [ref(doi="10.1177/1039856219878643", **RAO), ref(label="2", **RAO)]
    for client in (None, MemoryClient(down=True)):
        results = resolve(citations, client)
        assert [r.status for r in results] == [Status.UNVERIFIED] * 2
        assert all(codes_of(r) == ["RK501"] for r in results)
        assert results[0].work.doi == "10.1177/1039856219878643"  # the document's own account


def test_progress_is_reported_once_per_citation():
    ticks = []
    citations = [ref(doi="10.1177/1039856219878643", **RAO), ref(label="2", doi="10.1109/TBME.10", **CAO),
                 ref(label="3", **RAO)]
    resolve(citations, MemoryClient(), progress=ticks.append)
    assert sum(ticks) == 3


def test_the_search_query_leaves_out_the_printed_doi():
    citation = ref(raw="Rao S. Borderline. Australas Psychiatry. 2019. doi: 10.1177/1039856219878643")
    assert "10.1177" not in search_query(citation)
    assert search_query(citation).startswith("Rao S. Borderline")


def test_a_dataset_cited_by_its_own_doi_is_verified_not_a_component():
    """Found in review: datasets were always RK105 'names a dataset, not the cited work'."""
    [r] = resolve([ref(raw="Okafor A. Sleep diaries of night-shift nurses, 2015-2019. Test Data Archive; 2020. "
                           "doi:10.5555/rk.dataset.1", doi="10.5555/rk.dataset.1",
                       title="Sleep diaries of night-shift nurses, 2015-2019", authors=[Name("Okafor", "A")],
                       year=2020, csl_type="dataset")], MemoryClient())
    assert r.status is Status.DOI_VERIFIED and not [f for f in r.findings if f.severity is codes.Severity.ERROR]


def test_the_doi_of_a_correction_notice_printed_for_the_article_is_rk104_with_the_articles_doi():
    """Found in review: 'Correction to: …' records were accepted as the article."""
    [r] = resolve([ref(raw="Le H. Choriocapillaris blood flow after half-fluence photodynamic therapy. "
                           "Arch Test Ophthalmol. 2022;260:2475-2483. doi:10.5555/rk.correction.notice",
                       doi="10.5555/rk.correction.notice",
                       title="Choriocapillaris blood flow after half-fluence photodynamic therapy",
                       authors=[Name("Le", "H")], container="Arch Test Ophthalmol", year=2022,
                       volume="260", pages="2475-2483")], MemoryClient())
    assert r.status is Status.DOI_CORRECTED
    [finding] = [f for f in r.findings if f.code is codes.DOI_OTHER_WORK]
    assert finding.fix == "10.5555/rk.corrected.article"
