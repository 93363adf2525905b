"""The local Crossref stub speaks Crossref's JSON: envelopes shaped like the
recorded responses, plain-text 404s, filters, ranked search, agencies, limits
and faults. Checked with plain urllib, independently of refkit's client."""

from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.request
from urllib.parse import quote, urlencode

import pytest

from .conftest import SHARED_DATA
from .crossref_stub import SEED_WORKS, read_records, refused_url

RECORDED = SHARED_DATA / "crossref-list-responses"
FIRST = next(read_records(SEED_WORKS))["DOI"]


def get(stub, path: str, **params) -> tuple[int, dict[str, str], bytes]:
    url = stub.url + path + ("?" + urlencode(params) if params else "")
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, dict(response.headers.items()), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers.items()), error.read()


def test_single_work_and_plain_text_404(seed_stub):
    status, headers, body = get(seed_stub, f"/works/{quote(FIRST)}")
    envelope = json.loads(body)
    assert status == 200 and headers["Content-Type"].startswith("application/json")
    assert envelope["message-type"] == "work" and envelope["message"]["DOI"] == FIRST
    assert not any(key.startswith("_") for key in envelope["message"])
    status, headers, body = get(seed_stub, "/works/10.1371/notarealdoi")
    assert (status, headers["Content-Type"], body) == (404, "text/plain", b"Resource not found.")


def test_doi_filter_lists(seed_stub):
    dois = [r["DOI"] for r in read_records(SEED_WORKS)][:3] + ["10.1000/absent"]
    status, _, body = get(seed_stub, "/works", filter=",".join(f"doi:{d}" for d in dois), rows=4)
    message = json.loads(body)["message"]
    assert status == 200 and message["total-results"] == 3
    assert sorted(i["DOI"] for i in message["items"]) == sorted(dois[:3])
    assert get(seed_stub, "/works", filter="colour:blue")[0] == 400
    assert get(seed_stub, "/works", rows=5000)[0] == 400


def test_search_ranks_with_float_scores(seed_stub):
    _, _, body = get(seed_stub, "/works", **{"query.bibliographic": "ketamine borderline", "rows": 4})
    message = json.loads(body)["message"]
    scores = [item["score"] for item in message["items"]]
    assert len(scores) == 4 and all(isinstance(s, float) for s in scores)
    assert scores == sorted(scores, reverse=True)
    assert "ketamine" in message["items"][0]["title"][0].lower()
    assert message["query"] == {"start-index": 0, "search-terms": "ketamine borderline"}


@pytest.mark.shared_data
def test_envelopes_have_the_recorded_shape(crossref_stub):
    """Compare with real bodies recorded in ../shared/data/crossref-list-responses
    (habanero test/cassettes/test-works/*.yaml, commonmeta-py cassettes)."""
    recorded_list = json.loads((RECORDED / "works-query-ecology-rows2.json").read_text())
    recorded_work = json.loads((RECORDED / "work-10.1371_journal.pone.0033693.json").read_text())
    ours_list = json.loads(get(crossref_stub, "/works", **{"query.bibliographic": "ecology",
                                                            "rows": 2})[2])
    ours_work = json.loads(get(crossref_stub, f"/works/{FIRST}")[2])
    for ours, real in ((ours_list, recorded_list), (ours_work, recorded_work)):
        assert set(ours) == set(real) and ours["message-type"] == real["message-type"]
    assert set(ours_list["message"]) == set(recorded_list["message"])
    assert crossref_stub.has_shared_data
    assert len(crossref_stub.index.records) > 8000


def test_agency_route(seed_stub):
    seed_stub.agencies["10.5061"] = "datacite"
    message = json.loads(get(seed_stub, f"/works/{FIRST}/agency")[2])["message"]
    assert message["agency"]["id"] == "crossref" and message["DOI"] == FIRST.lower()
    assert json.loads(get(seed_stub, "/works/10.5061/x/agency")[2])["message"]["agency"]["id"] == "datacite"
    assert get(seed_stub, "/works/10.1000/absent/agency")[0] == 404
    assert seed_stub.counts == {"agency": 3}


def test_rate_limits_are_advertised_and_enforced(seed_stub):
    seed_stub.limits = {"single": (2, 10.0), "list": (1, 10.0)}
    seed_stub.concurrency_limit = 3
    seed_stub.retry_after = 7
    answers = [get(seed_stub, f"/works/{FIRST}") for _ in range(3)]
    assert [status for status, _, _ in answers] == [200, 200, 429]
    headers = answers[0][1]
    assert (headers["x-rate-limit-limit"], headers["x-rate-limit-interval"],
            headers["x-concurrency-limit"]) == ("2", "10s", "3")
    assert answers[2][1]["Retry-After"] == "7"
    assert seed_stub.throttled == 1 and seed_stub.counts["single"] == 3


def test_scripted_faults_then_normal_service(seed_stub):
    seed_stub.add_faults(503, "malformed", kind="single")
    assert get(seed_stub, f"/works/{FIRST}")[0] == 503
    body = get(seed_stub, f"/works/{FIRST}")[2]
    with pytest.raises(json.JSONDecodeError):
        json.loads(body)
    assert get(seed_stub, f"/works/{FIRST}")[0] == 200


def test_down_means_connection_refused(seed_stub):
    url = seed_stub.url
    seed_stub.go_down()
    for dead in (url, refused_url()):
        with pytest.raises(urllib.error.URLError, match="refused"):
            urllib.request.urlopen(dead + "/works", timeout=2)


def test_a_request_is_counted_when_it_arrives_not_when_a_busy_stub_reads_it(seed_stub):
    # Crossref counts requests at its edge; a stand-in whose threads are held
    # up (here all of them, on its lock) must not see them later, and so
    # further apart, than they were sent.
    seed_stub.limits = {"single": (1, 0.5), "list": (1, 0.5)}
    assert get(seed_stub, f"/works/{FIRST}")[0] == 200
    answers = []
    with seed_stub._lock:
        time.sleep(0.1)
        sent_at = time.monotonic()
        second = threading.Thread(target=lambda: answers.append(get(seed_stub, f"/works/{FIRST}")))
        second.start()
        time.sleep(0.6)  # past the window, counted from when the stub gets to it
    second.join()
    assert answers[0][0] == 429
    assert abs(seed_stub.log[1].at - sent_at) < 0.05 < seed_stub.log[1].admitted - sent_at
