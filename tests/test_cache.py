"""The SQLite cache of Crossref answers: positive and negative records, agencies,
searches, freshness, persistence and concurrent use."""

from __future__ import annotations

import sqlite3
import threading
import time

import pytest

from refkit.resolving.cache import AGENCY, SEARCH, WORK, Cache, search_key
from refkit.errors import RefkitError

RECORD = {"DOI": "10.5555/Refkit.Cache", "type": "journal-article", "title": ["Cached"],
          "_fixture": "synthetic"}


def test_records_and_not_found_are_kept_by_normalised_doi(tmp_path):
    with Cache(tmp_path / "c.sqlite") as cache:
        cache.put_works({"https://doi.org/10.5555/Refkit.Cache": RECORD, "10.5555/GONE": None})
        assert cache.get_work("10.5555/refkit.cache").value == RECORD
        gone = cache.get_work("doi:10.5555/gone")
        assert gone is not None and gone.value is None and gone.fresh
        assert cache.get_work("10.5555/never.asked") is None
        assert cache.count(WORK) == 2


def test_agencies_and_searches(tmp_path):
    with Cache(tmp_path / "c.sqlite") as cache:
        cache.put_agency("10.5061/DRYAD.X", "datacite")
        cache.put_agency("10.5555/nowhere", None)
        assert cache.get_agency("10.5061/dryad.x").value == "datacite"
        assert cache.get_agency("10.5555/nowhere").value is None
        cache.put_search(search_key("Borderline  Personality", 5), [RECORD])
        assert cache.get_search(search_key("borderline personality", 5)).value == [RECORD]
        assert cache.get_search(search_key("borderline personality", 3)) is None
        assert cache.get_search(search_key("borderline personality", 5, {"type": "book"})) is None
        assert (cache.count(AGENCY), cache.count(SEARCH), cache.count()) == (2, 1, 3)


def test_answers_persist_and_go_stale(tmp_path):
    path = tmp_path / "deep" / "folder" / "c.sqlite"
    with Cache(path) as cache:
        cache.put_works({"10.5555/refkit.cache": RECORD})
    with Cache(path, ttl_days=30) as again:
        assert again.get_work("10.5555/refkit.cache").fresh
    time.sleep(0.01)
    with Cache(path, ttl_days=0) as stale:
        hit = stale.get_work("10.5555/refkit.cache")
        assert hit.value == RECORD and not hit.fresh
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_threads_share_one_cache(tmp_path):
    cache = Cache(tmp_path / "c.sqlite")
    errors: list[BaseException] = []

    def work(n: int) -> None:
        try:
            for i in range(50):
                cache.put_works({f"10.5555/t{n}.{i}": {**RECORD, "DOI": f"10.5555/t{n}.{i}"}})
                assert cache.get_work(f"10.5555/t{n}.{i}") is not None
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [] and cache.count(WORK) == 200
    cache.close()


def test_unusable_location_is_a_clear_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(RefkitError, match="--cache-dir"):
        Cache(blocker / "c.sqlite")
