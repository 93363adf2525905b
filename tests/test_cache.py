"""The SQLite cache of Crossref answers: positive and negative records, agencies,
searches, freshness, persistence and concurrent use."""

from __future__ import annotations

import multiprocessing
import sqlite3
import threading
import time

import pytest

from refkit.resolving.cache import AGENCY, SEARCH, WORK, Cache, search_key
from refkit.errors import RefkitError
from refkit.resolving.pacing import SharedLedger

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


@pytest.mark.parametrize("stored", ["{not json", '"a string"', '{"no": "DOI"}', "[" * 10_000 + "]" * 10_000])
def test_a_row_that_does_not_decode_is_a_miss_and_is_replaced(tmp_path, stored):
    path = tmp_path / "c.sqlite"
    with Cache(path) as cache:
        cache.put_works({"10.5555/refkit.cache": RECORD})
    with sqlite3.connect(path) as db:
        db.execute("UPDATE answers SET value = ?", (stored,))
    with Cache(path) as cache:
        assert cache.get_work("10.5555/refkit.cache") is None
        cache.put_works({"10.5555/refkit.cache": RECORD})
        assert cache.get_work("10.5555/refkit.cache").value == RECORD


def test_a_bad_row_on_the_command_line_is_asked_again(seed_stub, tmp_path, monkeypatch):
    from click.testing import CliRunner

    from refkit.cli import cli

    monkeypatch.setenv("REFKIT_CONFIG", str(tmp_path / "none.toml"))
    bib = tmp_path / "one.bib"
    bib.write_text("@article{a, title={Borderline personality disorder and depressive disorder},"
                   " author={Rao, S}, year={2019}, doi={10.1177/1039856219878643}}\n", encoding="utf-8")
    argv = ["check", str(bib), "--crossref-url", seed_stub.url, "--cache-dir", str(tmp_path / "c")]
    assert CliRunner().invoke(cli, argv).exit_code == 0
    [path] = [p for p in (tmp_path / "c").glob("crossref-*.sqlite") if "pacing" not in p.name]
    with sqlite3.connect(path) as db:
        db.execute("UPDATE answers SET value = '{broken'")
    asked = seed_stub.requests
    result = CliRunner().invoke(cli, argv)
    assert result.exit_code == 0 and result.exception is None, result.output
    assert seed_stub.requests == asked + 1


def test_a_cache_locked_by_another_process_is_done_without(tmp_path, caplog):
    path = tmp_path / "c.sqlite"
    with Cache(path) as cache:
        cache.put_works({"10.5555/refkit.cache": RECORD})
    cache = Cache(path, busy_timeout=0.2)
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")  # another process writing for as long as it likes
    try:
        started = time.monotonic()
        assert cache.get_work("10.5555/refkit.cache").value == RECORD  # WAL: reading goes on
        cache.put_works({"10.5555/other": RECORD})  # waits out the busy timeout once, not saved
        cache.put_works({"10.5555/third": RECORD})
        assert cache.get_work("10.5555/other") is None
        assert time.monotonic() - started < 2
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert caplog.text.count("going on without it") == 1
    cache.close()


def test_a_cache_locked_when_opened_is_one_clear_error(tmp_path):
    path = tmp_path / "c.sqlite"
    Cache(path).close()
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("PRAGMA locking_mode = EXCLUSIVE")
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(RefkitError, match="cannot open the Crossref cache.*--cache-dir"):
            Cache(path, busy_timeout=0.2)
    finally:
        holder.close()


def _open_and_write(path: str, start_at: float) -> str:
    """One process's first use of a cache folder, at `start_at`: open the cache
    and its ledger, write."""
    time.sleep(max(0.0, start_at - time.time()))
    try:
        with Cache(path) as cache:
            cache.put_works({"10.5555/refkit.cache": RECORD})
        ledger = SharedLedger(path + ".pacing")
        return "shared" if ledger._db is not None else "fell back"
    except RefkitError as exc:
        return str(exc)


def test_processes_creating_one_cache_at_once_all_open_it(tmp_path):
    """Found when two runs started together on a fresh cache folder: switching a
    new file to WAL fails at once with "database is locked" (no busy wait)."""
    with multiprocessing.get_context("fork").Pool(4) as pool:
        for round_ in range(30):
            path, start_at = str(tmp_path / f"round{round_}" / "c.sqlite"), time.time() + 0.05
            outcomes = pool.starmap(_open_and_write, [(path, start_at)] * 4)
            assert outcomes == ["shared"] * 4
