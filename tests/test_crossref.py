"""CrossrefClient against the local Crossref stub: batches and their fallback,
404 vs agency, 429 storms, 5xx, timeouts, malformed bodies, the circuit
breaker, pacing by advertised limits, the polite pool and the secret token."""

from __future__ import annotations

import json
import logging
import time
from pathlib import Path

import pytest

from refkit.resolving.cache import Cache
from refkit.resolving.sources.crossref import CrossrefClient, CrossrefUnavailable
from refkit.settings import Settings
from tests.crossref_stub import SEED_WORKS, read_records, refused_url

ODD_WORKS = Path(__file__).parent / "fixtures" / "crossref" / "works.jsonl"
SEED_DOIS = [r["DOI"] for r in read_records(SEED_WORKS)]
FIRST = SEED_DOIS[0]  # 10.1177/1039856219878643, "Borderline personality disorder and depressive disorder"


def client_for(url: str, tmp_path: Path | None = None, **settings) -> CrossrefClient:
    """A client for the stub at `url`, with tiny retry delays and a half-second
    outage budget; a cache when tmp_path is given."""
    options = {"mailto": "tests@example.org", "max_retries": 3, "timeout": 2.0,
               "outage_budget": 0.5, **settings}
    config = Settings(crossref_url=url, cache_path=Path(tmp_path or ".") / "cache.sqlite", **options)
    cache = Cache(config.cache_path, config.ttl_days) if tmp_path else None
    return CrossrefClient(config, cache, backoff=0.01)


# -- batches -------------------------------------------------------------------------
def test_seed_dois_are_verified_in_batches(seed_stub):
    client = client_for(seed_stub.url)
    answers = client.works_by_doi(SEED_DOIS)
    assert len(answers) == len(SEED_DOIS)
    assert all(work is not None for work in answers.values())
    assert seed_stub.counts == {"batch": -(-len(SEED_DOIS) // 50)}
    work = answers[FIRST.lower()]
    assert work.title == "Borderline personality disorder and depressive disorder"
    assert work.data["type"] == "article-journal" and work.raw["DOI"] == FIRST


def test_keys_are_normalised_and_unknown_dois_are_none(seed_stub):
    client = client_for(seed_stub.url)
    answers = client.works_by_doi([f"https://doi.org/{FIRST.upper()}", "10.1000/never.registered"])
    assert set(answers) == {FIRST.lower(), "10.1000/never.registered"}
    assert answers["10.1000/never.registered"] is None
    assert answers[FIRST.lower()].doi == FIRST


def test_invalid_dois_are_not_asked(seed_stub):
    client = client_for(seed_stub.url)
    assert client.works_by_doi(["10.12/too-short-prefix", "not a doi"]) == {
        "10.12/too-short-prefix": None, "not a doi": None}
    assert seed_stub.requests == 0


def test_odd_dois_are_looked_up_singly(make_stub):
    records = list(read_records(ODD_WORKS))
    stub = make_stub(records)
    client = client_for(stub.url)
    answers = client.works_by_doi([r["DOI"] for r in records])
    assert all(answers[r["DOI"].lower()] is not None for r in records)
    assert stub.counts["single"] == 2  # the comma DOI and the SICI one with <, >, ;
    assert stub.counts["batch"] == 1


def test_refused_batch_falls_back_to_single_lookups(seed_stub):
    seed_stub.add_faults("refuse", kind="batch")
    client = client_for(seed_stub.url)
    dois = SEED_DOIS[:5] + ["10.1000/never.registered"]
    answers = client.works_by_doi(dois)
    assert [answers[d.lower()] is not None for d in dois] == [True] * 5 + [False]
    assert client.stats.batch_fallbacks == 1
    assert seed_stub.counts == {"batch": 1, "single": 6}


# -- 404 is not the whole story ------------------------------------------------------
def test_404_then_agency_tells_other_agencies_apart(seed_stub):
    seed_stub.agencies["10.5061"] = "datacite"
    client = client_for(seed_stub.url)
    assert client.works_by_doi(["10.5061/dryad.abc123"]) == {"10.5061/dryad.abc123": None}
    assert client.agency("10.5061/dryad.abc123") == "datacite"
    assert client.agency(FIRST) == "crossref"
    assert client.agency("10.1000/never.registered") is None
    assert client.agency("no doi at all") is None
    assert seed_stub.counts["agency"] == 3


# -- search ----------------------------------------------------------------------------
def test_search_ranks_the_cited_work_first(crossref_stub):
    client = client_for(crossref_stub.url)
    found = client.search("Rao S, Broadbear J. Borderline personality disorder and depressive "
                          "disorder. Australas Psychiatry 2019;27:573-7", rows=3)
    assert len(found) == 3
    assert found[0].doi == FIRST
    assert isinstance(found[0].raw["score"], float)
    assert crossref_stub.log[0].params["query.bibliographic"][0].startswith("Rao S")
    assert crossref_stub.log[0].params["rows"] == ["3"]


def test_search_passes_filters_in_crossrefs_syntax(seed_stub):
    client = client_for(seed_stub.url)
    found = client.search("depression anxiety", filters={"type": "journal-issue"})
    assert [w.raw["type"] for w in found] == ["journal-issue"]
    assert seed_stub.log[0].params["filter"] == ["type:journal-issue"]


# -- being polite ---------------------------------------------------------------------
def test_requests_carry_the_contact_address_and_the_plus_token(seed_stub, caplog):
    caplog.set_level(logging.DEBUG)
    client = client_for(seed_stub.url, plus_token="s3cret-token")
    client.works_by_doi(SEED_DOIS[:2])
    request = seed_stub.log[0]
    assert request.headers["User-Agent"].startswith("refkit/")
    assert "(mailto:tests@example.org)" in request.headers["User-Agent"]
    assert request.params["mailto"] == ["tests@example.org"]
    assert request.headers["Crossref-Plus-API-Token"] == "Bearer s3cret-token"
    seed_stub.always = 401
    with pytest.raises(CrossrefUnavailable) as failure:
        client.search("anything")
    shown = [repr(client), repr(client.settings), str(client.settings), str(failure.value),
             client.unavailable_reason, caplog.text]
    assert not any("s3cret" in text for text in shown)


def test_pacing_follows_the_advertised_limits(seed_stub):
    seed_stub.limits = {"single": (20, 0.2), "list": (3, 0.2)}
    seed_stub.concurrency_limit = 3
    seed_stub.latency["list"] = 0.02
    client = client_for(seed_stub.url)
    client.works_by_doi(SEED_DOIS)  # 4 list requests: more than one window of 3
    assert seed_stub.throttled == 0 and client.stats.http_429 == 0
    assert seed_stub.peak_in_flight <= 3


def test_advertised_concurrency_lowers_the_clients(seed_stub):
    seed_stub.concurrency_limit = 1
    seed_stub.latency["list"] = 0.02
    client = client_for(seed_stub.url)
    client.works_by_doi(SEED_DOIS[:50])  # one request teaches the limit
    client.works_by_doi(SEED_DOIS[50:])
    assert seed_stub.peak_in_flight == 1


# -- trouble ---------------------------------------------------------------------------
def test_429_storm_is_ridden_out_with_retry_after(seed_stub):
    seed_stub.retry_after = 0.1
    seed_stub.add_faults(429, 429, 429)
    client = client_for(seed_stub.url)
    started = time.monotonic()
    answers = client.works_by_doi(SEED_DOIS[:3])
    assert all(answers.values())
    assert client.stats.http_429 == 3 and client.stats.retries == 3
    assert 0.3 <= time.monotonic() - started < 3


def test_endless_429_gives_up_within_the_outage_budget(seed_stub):
    seed_stub.always = 429
    client = client_for(seed_stub.url, max_retries=2)
    started = time.monotonic()
    with pytest.raises(CrossrefUnavailable, match="429"):
        client.search("anything")
    assert time.monotonic() - started < 2
    assert seed_stub.counts["search"] >= 3


def test_a_retry_after_beyond_reason_is_not_waited_for(seed_stub):
    seed_stub.retry_after = 3600
    seed_stub.add_faults(429)
    client = client_for(seed_stub.url)
    started = time.monotonic()
    assert client.works_by_doi(SEED_DOIS[:2]) == {}  # could not ask: absent, not "not found"
    assert time.monotonic() - started < 1
    assert "429" in client.unavailable_reason


def test_server_errors_are_retried(seed_stub):
    seed_stub.add_faults(503, 502)
    client = client_for(seed_stub.url)
    assert client.agency(FIRST) == "crossref"
    assert client.stats.http_5xx == 2 and client.stats.retries == 2


def test_timeouts_are_retried(seed_stub):
    seed_stub.hang = 1.0
    seed_stub.add_faults("timeout")
    client = client_for(seed_stub.url, timeout=0.2)
    assert client.works_by_doi([FIRST])[FIRST.lower()] is not None
    assert client.stats.timeouts == 1


def test_malformed_bodies_are_retried_then_give_up(seed_stub):
    seed_stub.add_faults("malformed")
    client = client_for(seed_stub.url)
    assert len(client.search("borderline", rows=2)) == 2
    assert client.stats.malformed == 1
    seed_stub.always = "malformed"
    with pytest.raises(CrossrefUnavailable, match="malformed"):
        client.search("ketamine")


def test_breaker_turns_an_outage_into_fast_failures(seed_stub):
    seed_stub.always = 503
    client = client_for(seed_stub.url)
    assert client.works_by_doi(SEED_DOIS) == {}  # four batches fail: an outage, not one bad request
    asked = seed_stub.requests
    assert asked >= 4  # attempts and retries, then a probe after each cool-down
    assert "503" in client.unavailable_reason and "did not recover" in client.unavailable_reason
    started = time.monotonic()
    assert client.works_by_doi(SEED_DOIS[3:40] + ["10.1000/x.y"]) == {}
    with pytest.raises(CrossrefUnavailable):
        client.search("borderline")
    with pytest.raises(CrossrefUnavailable):
        client.agency(FIRST)
    assert seed_stub.requests == asked
    assert time.monotonic() - started < 0.5


def test_connection_refused_is_an_outage():
    client = client_for(refused_url(), max_retries=1)
    started = time.monotonic()
    assert client.works_by_doi([FIRST]) == {}
    assert "could not be reached" in client.unavailable_reason
    assert time.monotonic() - started < 2


def test_a_server_that_goes_down_mid_run(seed_stub):
    client = client_for(seed_stub.url)
    assert client.agency(FIRST) == "crossref"
    seed_stub.go_down()
    with pytest.raises(CrossrefUnavailable, match="could not be reached"):
        client.agency(SEED_DOIS[1])


# -- the cache ----------------------------------------------------------------------------
def test_warm_rerun_makes_no_requests(seed_stub, tmp_path):
    query = "Borderline personality disorder and depressive disorder"
    with client_for(seed_stub.url, tmp_path) as first:
        cold = first.works_by_doi(SEED_DOIS + ["10.1000/never.registered"])
        first.search(query)
        first.agency(FIRST)
    asked = seed_stub.requests
    with client_for(seed_stub.url, tmp_path) as second:
        warm = second.works_by_doi(SEED_DOIS + ["10.1000/never.registered"])
        assert [w.doi for w in second.search(query)] == [w.doi for w in first.search(query)]
        assert second.agency(FIRST) == "crossref"
    assert seed_stub.requests == asked
    assert {k: v and v.data for k, v in warm.items()} == {k: v and v.data for k, v in cold.items()}
    assert second.stats.requests == 0 and second.stats.cache_hits == len(warm) + 2


def test_search_results_answer_later_doi_lookups(seed_stub, tmp_path):
    client = client_for(seed_stub.url, tmp_path)
    found = client.search("ketamine borderline", rows=3)
    asked = seed_stub.requests
    assert set(client.works_by_doi([w.doi for w in found])) == {w.doi.lower() for w in found}
    assert seed_stub.requests == asked


def test_offline_reads_only_the_cache(seed_stub, tmp_path):
    client_for(seed_stub.url, tmp_path).works_by_doi(SEED_DOIS[:2] + ["10.1000/never.registered"])
    asked = seed_stub.requests
    offline = client_for(seed_stub.url, tmp_path, offline=True)
    answers = offline.works_by_doi(SEED_DOIS[:3] + ["10.1000/never.registered"])
    assert set(answers) == {d.lower() for d in SEED_DOIS[:2]} | {"10.1000/never.registered"}
    assert answers["10.1000/never.registered"] is None
    with pytest.raises(CrossrefUnavailable, match="offline"):
        offline.search("not cached")
    assert offline.unavailable_reason.startswith("offline")
    assert seed_stub.requests == asked


def test_refresh_and_expiry_ask_again(seed_stub, tmp_path):
    client_for(seed_stub.url, tmp_path).works_by_doi([FIRST])
    client_for(seed_stub.url, tmp_path, refresh=True).works_by_doi([FIRST])
    client_for(seed_stub.url, tmp_path, ttl_days=0).works_by_doi([FIRST])
    assert seed_stub.counts["batch"] + seed_stub.counts["single"] == 3


def test_outage_answers_are_not_cached(seed_stub, tmp_path):
    seed_stub.always = 503
    client_for(seed_stub.url, tmp_path, max_retries=0).works_by_doi([FIRST])
    seed_stub.always = None
    answers = client_for(seed_stub.url, tmp_path).works_by_doi([FIRST])
    assert answers[FIRST.lower()] is not None


def test_fixture_records_are_marked_synthetic():
    for line in ODD_WORKS.read_text(encoding="utf-8").splitlines():
        assert json.loads(line)["_fixture"] == "synthetic"


# -- what is not Crossref's answer is no answer ------------------------------------------
def test_a_redirect_is_not_followed_so_the_token_stays_with_the_configured_url(seed_stub, make_stub):
    elsewhere = make_stub(read_records(SEED_WORKS))
    seed_stub.redirect_to = elsewhere.url
    seed_stub.break_for("redirect")
    client = client_for(seed_stub.url, plus_token="s3cret-token")
    assert client.works_by_doi(SEED_DOIS[:3]) == {}
    with pytest.raises(CrossrefUnavailable, match="redirected refkit elsewhere"):
        client.agency(FIRST)
    assert elsewhere.requests == 0
    assert seed_stub.requests == 1  # a redirect is not worth retrying


@pytest.mark.parametrize("fault", ["page404", "not-found", "no-items", "other-dois", "html", "truncated"])
def test_a_list_answer_not_shaped_like_crossrefs_is_no_answer(seed_stub, tmp_path, fault):
    seed_stub.break_for(fault, kind="batch")
    client = client_for(seed_stub.url, tmp_path, max_retries=1)
    assert client.works_by_doi(SEED_DOIS[:5] + ["10.1000/never.registered"]) == {}
    assert client.cache.count() == 0
    assert "malformed" in client.unavailable_reason or "broke off" in client.unavailable_reason


@pytest.mark.parametrize("fault", ["page404", "other-dois", "no-items", "html"])
def test_an_agency_route_not_answering_like_crossrefs_is_no_verdict(seed_stub, tmp_path, fault):
    seed_stub.break_for(fault, kind="agency")
    client = client_for(seed_stub.url, tmp_path, max_retries=1)
    with pytest.raises(CrossrefUnavailable):
        client.agency("10.1000/never.registered")
    assert client.cache.count() == 0


def test_crossrefs_own_404_is_a_verdict_and_is_cached(seed_stub, tmp_path):
    client = client_for(seed_stub.url, tmp_path)
    assert client.works_by_doi(["10.1000/never.registered", "10.1000/nor.this"]) == {
        "10.1000/never.registered": None, "10.1000/nor.this": None}
    assert client.agency("10.1000/never.registered") is None
    assert client.cache.count() == 3


@pytest.mark.parametrize("fault, limit", [("endless", "1 MB"), ("huge", "1 MB"), ("drip", "0.5 s")])
def test_every_answer_is_bounded_in_size_and_time(seed_stub, fault, limit):
    seed_stub.drip, seed_stub.huge_bytes = 0.2, 2_000_000
    seed_stub.break_for(fault)
    client = client_for(seed_stub.url, max_response_mb=1, deadline=0.5, timeout=0.4, max_retries=1)
    started = time.monotonic()
    assert client.works_by_doi(SEED_DOIS[:5]) == {}
    assert time.monotonic() - started < 4
    assert limit in client.unavailable_reason and client.stats.unbounded >= 1


def test_a_short_outage_is_waited_out_not_the_end_of_the_run(seed_stub):
    seed_stub.break_for(500, seconds=0.3)
    client = client_for(seed_stub.url, outage_budget=3.0)
    answers = client.works_by_doi(SEED_DOIS)
    assert len(answers) == len(SEED_DOIS) and all(answers.values())
    assert client.unavailable_reason is None and client.stats.outages == 1
    assert client.search("borderline")


def test_one_request_that_keeps_failing_does_not_end_the_run(seed_stub):
    seed_stub.break_for(503, kind="search")
    client = client_for(seed_stub.url, max_retries=2)
    with pytest.raises(CrossrefUnavailable, match="503"):
        client.search("borderline")
    assert client.works_by_doi(SEED_DOIS[:3])  # the list route still answers
    assert client.agency(FIRST) == "crossref"


def test_clients_sharing_a_cache_share_crossrefs_limits(seed_stub, tmp_path):
    seed_stub.limits = {"single": (10, 1.0), "list": (2, 1.0)}  # Crossref's windows are seconds long
    seed_stub.concurrency_limit = 2
    seed_stub.latency = {"single": 0.02, "list": 0.05}
    # The clients pace 10% under the window; on a loaded test machine a request
    # can reach the stub a few hundred ms after its client let it go.
    seed_stub.arrival_slack = 0.25
    clients = [client_for(seed_stub.url, tmp_path) for _ in range(2)]
    for client, doi in zip(clients, SEED_DOIS):  # each asks (no cache hit) and learns the advertised limits
        client.agency(doi)
    assert seed_stub.counts["agency"] == 2
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(2) as pool:
        found = list(pool.map(lambda c: [c.search(f"borderline {n}") for n in range(3)], clients))
    assert all(len(results) == 3 for results in found)
    assert seed_stub.throttled == 0 and seed_stub.peak_in_flight <= 2
