"""The resolver asks each question as soon as it can (refkit.resolving.scheduler
and the resolver's flow), in bulk where it can, and the cost of a run grows
with its size, not its square."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from refkit.model import Citation, Location, Status
from refkit.resolving import corrections
from refkit.resolving.cache import WORK, Cache
from refkit.resolving.pacing import LocalLedger, Pacer, SharedLedger
from refkit.resolving.resolver import resolve
from refkit.resolving.scheduler import Scheduler
from refkit.resolving.sources.crossref import CrossrefClient
from refkit.settings import Settings

from .crossref_stub import SEED_WORKS, read_records

RECORDS = [r for r in read_records(SEED_WORKS) if r.get("author") and r.get("title") and r.get("issued")]


def citation(n: int, record: dict, doi: str | None) -> Citation:
    return Citation(raw=f"{record['author'][0]['family']} {record['title'][0]} {record['issued']['date-parts'][0][0]}",
                    source=Location("refs.txt", n, label=str(n)), title=record["title"][0],
                    year=record["issued"]["date-parts"][0][0], doi=doi, doi_printed=doi)


def test_the_most_urgent_task_goes_first_and_tasks_may_queue_more():
    done: list[str] = []
    scheduler = Scheduler(workers=1)

    def later() -> None:
        done.append("later")
        scheduler.submit(0, lambda: done.append("queued by a task"))

    scheduler.submit(2, later)
    scheduler.submit(1, lambda: done.append("sooner"))
    scheduler.submit(1, lambda: done.append("sooner, second"))
    scheduler.run()
    assert done == ["sooner", "sooner, second", "later", "queued by a task"]


def test_a_failing_task_stops_the_run_and_its_error_reaches_the_caller():
    scheduler = Scheduler(workers=3)
    ran = []
    scheduler.submit(0, lambda: (_ for _ in ()).throw(KeyError("broken")))
    for n in range(20):
        scheduler.submit(1, lambda n=n: (time.sleep(0.01), ran.append(n)))
    with pytest.raises(KeyError, match="broken"):
        scheduler.run()
    assert len(ran) < 20


def test_searches_for_missing_dois_start_beside_the_batches(make_stub, tmp_path):
    """Found by the cold benchmark: no search started until every batch had
    answered. A reference without a DOI needs nothing from them."""
    stub = make_stub(RECORDS, latency={"single": 0.0, "list": 0.2})
    cites = [citation(n, r, r["DOI"] if n % 3 else None) for n, r in enumerate(RECORDS[:120])]
    settings = Settings(crossref_url=stub.url, mailto="tests@example.org", cache_path=tmp_path / "c.sqlite")
    with CrossrefClient(settings, Cache(settings.cache_path)) as client:
        resolutions = resolve(cites, client)
    assert len(resolutions) == 120
    first_batch = min(entry.at for entry in stub.log if entry.kind == "batch")
    first_search = min(entry.at for entry in stub.log if entry.kind == "search")
    assert first_search < first_batch + 0.2  # before any batch could answer
    assert stub.counts["batch"] == 2  # 80 printed DOIs, 50 to a request


def test_dois_at_hand_are_answered_at_once_and_the_rest_asked_in_full_batches(make_stub, tmp_path):
    """Found by the snapshot's chained source: batches formed before the
    cache or snapshot answered asked for a few DOIs each."""
    stub = make_stub(RECORDS)
    settings = Settings(crossref_url=stub.url, mailto="tests@example.org", cache_path=tmp_path / "c.sqlite")
    cites = [citation(n, r, r["DOI"]) for n, r in enumerate(RECORDS[:120])]
    with CrossrefClient(settings, Cache(settings.cache_path)) as client:
        resolve([c for n, c in enumerate(cites) if n % 6], client)  # 100 of them, one in six left out
        stub.counts.clear()
        resolutions = resolve(cites, client)
    assert stub.counts["batch"] == 1  # the 20 left out, scattered through the list, in one request
    assert [r.status for r in resolutions] == [Status.DOI_VERIFIED] * 120


def test_journal_codes_are_looked_up_by_prefix():
    codes = corrections.JournalCodes(["10.3389/fpsyt.2022.1", "10.3389/fpsyg.2020.2", "10.1186/s12888.1",
                                      "10.3389/FPSYT.2019.3"])
    assert codes.near("10.3389/", "fpsy") == ["FPSYT", "fpsyg", "fpsyt"]
    assert codes.near("10.1186/", "fpsy") == []
    found = corrections.candidates("10.3389/fpsy.2022.995726", codes)
    assert [c.doi for c in found if c.kind == "journal-code"] == [  # one per DOI, case aside
        "10.3389/FPSYT.2022.995726", "10.3389/fpsyg.2022.995726"]


def test_corrections_cost_the_same_whatever_the_number_of_dois_seen():
    """Found at 20,000 references: each wrong DOI scanned every DOI of the run."""
    def seconds(known: int) -> float:
        codes = corrections.JournalCodes(f"10.{1000 + n % 500}/jx{n % 97}.{n}" for n in range(known))
        started = time.process_time()
        for n in range(200):
            corrections.candidates(f"10.1003/jx{n % 90}q.{n}", codes)
        return time.process_time() - started

    assert seconds(200_000) < 4 * seconds(2_000) + 0.2


def test_cached_answers_are_read_in_bulk(tmp_path):
    with Cache(tmp_path / "c.sqlite") as cache:
        cache.put_works({r["DOI"]: r for r in RECORDS})
        cache.put_works({"10.5555/gone": None})
        keys = [r["DOI"].lower() for r in RECORDS] + ["10.5555/gone", "10.5555/never.asked"]
        hits = cache.get_many(WORK, keys)
    assert set(hits) == set(keys) - {"10.5555/never.asked"}
    assert hits["10.5555/gone"].value is None
    assert hits[RECORDS[0]["DOI"].lower()].value["title"] == RECORDS[0]["title"]


@pytest.mark.parametrize("ledger", ["local", "shared"])
def test_a_start_counts_from_when_the_request_leaves(tmp_path, ledger):
    """A request held up between the pacer and the socket (threads, a busy
    machine) must not let the next ones bunch up behind it."""
    books = LocalLedger() if ledger == "local" else SharedLedger(tmp_path / "pacing.sqlite")
    pacer = Pacer(1, 0.3, kind="list", ledger=books)
    first = pacer.wait()
    time.sleep(0.2)  # held up before it was sent
    pacer.sent(first)
    started = time.monotonic()
    pacer.wait()
    assert time.monotonic() - started >= 0.25  # a window after it left, not after it was let start


def test_records_are_cached_without_what_refkit_never_reads(seed_stub, tmp_path):
    settings = Settings(crossref_url=seed_stub.url, mailto="tests@example.org", cache_path=tmp_path / "c.sqlite")
    seed_stub.index.records[RECORDS[0]["DOI"].lower()] = {**RECORDS[0], "reference": [{"key": "r1"}] * 500,
                                                          "license": [{"URL": "x"}], "relation": {}}
    with CrossrefClient(settings, Cache(settings.cache_path)) as client:
        work = client.works_by_doi([RECORDS[0]["DOI"]])[RECORDS[0]["DOI"].lower()]
        cached = client.cache.get_work(RECORDS[0]["DOI"]).value
    assert "reference" not in cached and "license" not in cached and "relation" in cached
    assert work.title == RECORDS[0]["title"][0]
