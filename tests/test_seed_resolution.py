"""End to end on the seed documents: read with refkit.corpus, resolve with
the real CrossrefClient over HTTP against the local Crossref stub
(tests/crossref_stub.py) serving the synthetic seed world
(tests/fixtures/seed/works.jsonl; real distractors from ../shared/data join
it when present).

The expected findings come from the `_basis` notes of the seed records: the
printed DOIs believed wrong and the names believed misspelt.
"""

from __future__ import annotations

import pytest

from refkit.resolving.cache import Cache
from refkit.corpus import read_corpus
from refkit.resolving.sources.crossref import CrossrefClient
from refkit.model import CitationKind, Status
from refkit.resolving.resolver import resolve
from refkit.settings import Settings

from .conftest import EXAMPLES

# reference number in the PDF copy -> (code, the DOI believed registered), from `_basis`
EXPECTED_FIXES = {
    "61": ("RK105", "10.1002/da.22253"),  # printed the journal issue's DOI 10.1002/da.2014.31.issue-4
    "65": ("RK103", "10.1109/TBME.2018.2877651"),  # printed truncated: 10.1109/TBME.10
    "138": ("RK103", "10.1177/0269881117711712"),  # printed transposed: 10.1177/0269881117117172
    "146": ("RK103", "10.3389/fpsyt.2022.995726"),  # printed journal code fpsy for fpsyt
}
# printed Murrugh for Murrough (60, 61, 79, 107); given-name-first names (65)
EXPECTED_AUTHOR_FINDINGS = {"60", "61", "65", "79", "107"}
# printed without DOI: a website, two guidelines, a book, one article (no record in the world)
NO_DOI = {"9", "50", "53", "54", "141"}
# titles on the citations page -> DOI of the seed record made for them
PAGE_TITLES = {
    "An Opioid Deficit in Borderline Personality Disorder": "10.5555/refkit.fixture.opioid-deficit-2010",
    "Differential methylation of OPRK1": "10.5555/refkit.fixture.oprk1-2024",
    "Ultra-Low-Dose Buprenorphine": "10.1176/appi.ajp.2015.15040535",
}


# Read timeouts as generous as refkit's own default: on a loaded machine the
# stub's search over 8,000 records can take seconds, and a retried request
# is not what these tests are about.
TIMEOUT = 10.0


def client_for(stub, tmp_path, **settings) -> CrossrefClient:
    options = dict(crossref_url=stub.url, mailto="tests@example.org", cache_path=tmp_path / "cache.sqlite",
                   timeout=TIMEOUT, max_retries=2)
    options.update(settings)
    config = Settings(**options)
    return CrossrefClient(config, Cache(config.cache_path), backoff=0.01)


@pytest.fixture(scope="module")
def pdf_corpus():
    return read_corpus([EXAMPLES / "ketamine-bpd-review.pdf.txt"])


def distinct_requests(stub, kind: str | None = None) -> int:
    """How many different requests (of `kind`) the stub received, retries not counted again."""
    return len({(logged.path, repr(sorted(logged.params.items()))) for logged in stub.log
                if kind in (None, logged.kind)})


def by_label(resolutions):
    return {r.citation.label: r for r in resolutions}


def test_every_wrong_doi_in_the_pdf_copy_gets_the_right_finding_and_fix(crossref_stub, tmp_path, pdf_corpus):
    assert len(pdf_corpus.citations) == 148
    results = by_label(resolve(pdf_corpus.citations, client_for(crossref_stub, tmp_path)))
    for label, (code, fix) in EXPECTED_FIXES.items():
        [finding] = [f for f in results[label].findings if f.code.code == code]
        assert finding.fix == fix, label
        assert results[label].status is Status.DOI_CORRECTED and results[label].work.doi == fix
    errors = {label for label, r in results.items()
              if any(f.severity.value == "error" for f in r.findings)}
    assert errors == set(EXPECTED_FIXES)  # no error on a correctly printed reference
    authors = {label for label, r in results.items() if any(f.code.code == "RK201" for f in r.findings)}
    assert authors == EXPECTED_AUTHOR_FINDINGS
    assert "Murrough" in next(f for f in results["60"].findings if f.code.code == "RK201").message
    for label in NO_DOI:
        assert {f.code.code for f in results[label].findings} & {"RK106", "RK107"}, label
    verified = [r for label, r in results.items() if label not in set(EXPECTED_FIXES) | NO_DOI]
    assert all(r.status is Status.DOI_VERIFIED for r in verified)
    # Requests the resolver made (a retry after a timeout on a loaded machine is the same request).
    assert distinct_requests(crossref_stub, "search") <= len(EXPECTED_FIXES) + len(NO_DOI)
    assert crossref_stub.counts["single"] == 0
    assert distinct_requests(crossref_stub) < 30  # batched: far fewer requests than references


def test_the_citation_pages_titled_entries_resolve_by_title(seed_stub, tmp_path):
    corpus = read_corpus([EXAMPLES / "citations-page-v1.txt", EXAMPLES / "citations-page-v2.txt"])
    annotated = [c for c in corpus.citations if c.kind is CitationKind.ANNOTATED]
    results = resolve(annotated, client_for(seed_stub, tmp_path))
    found = {r.citation.title: r for r in results if r.status is Status.FOUND_BY_SEARCH}
    assert len(found) == len(annotated)
    for start, doi in PAGE_TITLES.items():
        [hit] = [r for title, r in found.items() if title.startswith(start)]
        assert hit.work.doi == doi
        assert [f.code.code for f in hit.findings] == ["RK106"] and hit.notes  # summaries travel along


def test_when_crossref_is_down_everything_is_unverified_and_a_rerun_resumes(seed_stub, tmp_path, pdf_corpus):
    citations = pdf_corpus.citations[:20]
    seed_stub.always = 503
    first = resolve(citations, client_for(seed_stub, tmp_path, outage_budget=0.5))
    assert {r.status for r in first} == {Status.UNVERIFIED}
    assert all([f.code.code for f in r.findings] == ["RK501"] for r in first)
    assert all(r.work.doi == r.citation.doi for r in first)
    seed_stub.always = None
    second = resolve(citations, client_for(seed_stub, tmp_path))
    assert Status.UNVERIFIED not in {r.status for r in second}
    asked = seed_stub.requests
    third = resolve(citations, client_for(seed_stub, tmp_path))
    assert seed_stub.requests == asked  # everything came from the cache
    assert [r.status for r in third] == [r.status for r in second]


def test_essay_mentions_are_searched_and_offered_only_when_author_and_year_agree(crossref_stub, tmp_path):
    """The essay cites "Hsu and colleagues (2013)": the seed world holds Hsu's
    2013 paper (10.1038/mp.2013.96, `_basis` "publisher metadata as best
    known"), which is offered as a candidate but never accepted; a bare
    "(S001)" marker gets no candidate at all."""
    corpus = read_corpus([EXAMPLES / "opioid-breakup-essay.txt"])
    results = by_label(resolve(corpus.citations, client_for(crossref_stub, tmp_path)))
    hsu = results["Hsu 2013"]
    assert hsu.status is Status.DOCUMENT_ONLY
    [unlisted] = [f for f in hsu.findings if f.code.code == "RK402"]
    assert unlisted.evidence["best_candidate"] == "10.1038/mp.2013.96" and unlisted.fix is None
    [marker] = [f for f in results["S001"].findings if f.code.code == "RK402"]
    assert marker.evidence["best_candidate"] is None
    assert all(r.status is not Status.FOUND_BY_SEARCH for r in results.values())


def test_the_copies_dispute_over_the_articles_doi_is_settled_by_the_registry(crossref_stub, tmp_path):
    """The review's PDF copy prints 10.3389/fpsy.2024.1398859, its HTML copy
    10.3389/fpsyt.2024.1398859; the seed world registers only the latter
    (`_basis`: "the article itself, as printed on its HTML copy")."""
    from refkit.pipeline import read_and_resolve

    settings = Settings(crossref_url=crossref_stub.url, mailto="tests@example.org",
                        cache_path=tmp_path / "cache.sqlite", timeout=TIMEOUT, max_retries=2)
    run = read_and_resolve([EXAMPLES / "ketamine-bpd-review.html.txt", EXAMPLES / "ketamine-bpd-review.pdf.txt"],
                           None, settings)
    [dispute] = [f for f in run.corpus.findings if f.code.code == "RK108"]
    assert dispute.fix == dispute.registered == "10.3389/fpsyt.2024.1398859"
    assert {c["printed"]: c["registered"] for c in dispute.evidence["copies"]} == {
        "10.3389/fpsy.2024.1398859": False, "10.3389/fpsyt.2024.1398859": True}
