"""The fault matrix: `refkit check` and `refkit build` against a Crossref
stand-in that answers wrongly, partly, endlessly, slowly or not at all.

Every run must end in bounded time, condemn no DOI the healthy service
would not, cache nothing the healthy service would not say, and a re-run
against the healed service must give the healthy result. Faults that pass
(a burst of 500s, a short 429 storm, dropped connections) must not cost a
single verdict. Each scenario has its own stand-in and cache, so the
scenarios run side by side (they mostly wait) and the matrix takes seconds.
"""

from __future__ import annotations

import json
import math
import sqlite3
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from refkit.cli import cli

from .crossref_stub import SEED_WORKS, CrossrefStub, index_of, read_records

# Small limits so that a broken service costs a second or two per run.
LIMITS = {"timeout": 1.0, "deadline": 1.5, "max_response_mb": 1, "max_retries": 1,
          "backoff": 0.02, "outage_budget": 1.0}
# Seconds any run may take: the outage budget, two deadlines, and the work
# itself slowed down by the other scenarios running beside it.
BOUND = LIMITS["outage_budget"] + 2 * LIMITS["deadline"] + 6.0
BURST = 0.3  # seconds a passing fault lasts
CONDEMNING = {"RK102", "RK103", "RK104", "RK105", "RK106", "RK109"}
DATACITE = "10.5061/dryad.refkit1"
NOWHERE = "10.5555/refkit.fixture.never-registered"
AGENCY_DEPENDENT = ("nowhere", "datacite")  # references whose verdict rests on the agency route
COMMANDS = ("check", "build")

# name: (standing faults as (fault, kind), for how long, what the run must give:
# "healthy" the healthy result, "unverified" every reference RK501,
# "agency-unverified" RK501 only where the agency route decides, "searched"
# RK501 but for the reference found by search; records a search returns are
# candidates the matcher judges, never verdicts, so only DOI lookups are broken)
SCENARIOS: dict[str, tuple[list[tuple[Any, str | None]], float, str]] = {
    "plain web server (HTML 404 everywhere)": ([("page404", None)], math.inf, "unverified"),
    "404 'Resource not found.' on the list route": (
        [("not-found", "batch"), ("not-found", "search")], math.inf, "unverified"),
    "work list without items": ([("no-items", None)], math.inf, "unverified"),
    "records for other DOIs": (
        [("other-dois", "batch"), ("other-dois", "single"), ("other-dois", "agency")], math.inf, "searched"),
    "HTML page with status 200": ([("html", None)], math.inf, "unverified"),
    "cut-off JSON": ([("malformed", None)], math.inf, "unverified"),
    "truncated body": ([("truncated", None)], math.inf, "unverified"),
    "endless body": ([("endless", None)], math.inf, "unverified"),
    "dripping body": ([("drip", None)], math.inf, "unverified"),
    "oversized answer": ([("huge", None)], math.inf, "unverified"),
    "connections dropped": ([("drop", None)], math.inf, "unverified"),
    "no answer within the timeout": ([("timeout", None)], math.inf, "unverified"),
    "every request refused (400)": ([("refuse", None)], math.inf, "unverified"),
    "429 storm for good": ([(429, None)], math.inf, "unverified"),
    "503 for good": ([(503, None)], math.inf, "unverified"),
    "agency route answers a web page": ([("page404", "agency")], math.inf, "agency-unverified"),
    "agency route answers about another DOI": ([("other-dois", "agency")], math.inf, "agency-unverified"),
    "short 429 storm": ([(429, None)], BURST, "healthy"),
    "burst of 500s": ([(500, None)], BURST, "healthy"),
    "burst of dropped connections": ([("drop", None)], BURST, "healthy"),
    "burst of wrong-shaped answers": ([("no-items", None)], BURST, "healthy"),
}


def _bibtex(records: list[dict[str, Any]]) -> str:
    """Eight references with the usual fates: verified, a transposed DOI,
    a DOI registered nowhere, one at DataCite, and one printed without a DOI."""
    def entry(key: str, record: dict[str, Any], doi: str | None) -> str:
        author = " and ".join(f"{a['family']}, {a.get('given', '')}" for a in record.get("author", []))
        fields = {"author": author, "title": record["title"][0],
                  "journal": (record.get("container-title") or [""])[0],
                  "year": str(record["issued"]["date-parts"][0][0]), "doi": doi}
        body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields.items() if value)
        return f"@article{{{key},\n{body}\n}}\n"

    first, second, third, fourth, typo, found = records
    transposed = typo["DOI"][:-2] + typo["DOI"][-1] + typo["DOI"][-2]
    nowhere = {**first, "title": ["Unfindable notes on nothing whatsoever"], "author": [{"family": "Nobody"}]}
    return "".join([
        entry("first", first, first["DOI"]), entry("second", second, second["DOI"]),
        entry("third", third, third["DOI"]), entry("fourth", fourth, fourth["DOI"]),
        entry("typo", typo, transposed), entry("nowhere", nowhere, NOWHERE),
        entry("datacite", {**third, "title": ["A data set"]}, DATACITE),
        entry("found", found, None),
    ])


def _records() -> list[dict[str, Any]]:
    """Six seed journal articles whose DOIs end in two different digits."""
    usable = [r for r in read_records(SEED_WORKS)
              if r.get("author") and r.get("issued") and r.get("container-title")
              and r["type"] == "journal-article" and r["DOI"][-2:].isdigit() and r["DOI"][-1] != r["DOI"][-2]]
    return usable[:6]


@dataclass
class Trial:
    """One command run against a faulty stand-in, then again after it healed."""

    verdicts: dict[str, Any]
    code: int
    seconds: float
    untrue_cache: list[tuple[str, str]]
    resumed: dict[str, Any]
    resumed_code: int


def verdicts(report: dict[str, Any]) -> dict[str, tuple[str, list[tuple[str, str | None]]]]:
    """Each reference's status and findings (code, fix), by its label."""
    return {c["label"]: (c["status"], sorted((f["code"], f["fix"]) for f in c["findings"]))
            for c in report["citations"]}


def cached(cache: Path) -> dict[tuple[str, str], Any]:
    """Every answer in the Crossref cache under `cache`: (kind, key) -> decoded value."""
    rows: dict[tuple[str, str], Any] = {}
    for path in cache.glob("crossref*.sqlite"):
        if "pacing" not in path.name:
            with sqlite3.connect(path) as db:
                rows.update({(kind, key): value and json.loads(value) for kind, key, value in
                             db.execute("SELECT kind, key, value FROM answers")})
    return rows


def untrue(rows: dict[tuple[str, str], Any], stub: CrossrefStub,
           searches: dict[tuple[str, str], Any]) -> list[tuple[str, str]]:
    """The cached answers the healthy stand-in would not give (`searches`:
    the healthy run's cached searches)."""
    def dois(records: list[dict[str, Any]]) -> list[str]:
        return [r["DOI"].lower() for r in records]

    def true(kind: str, key: str, value: Any) -> bool:
        if kind == "work":
            return (value is None) == (stub.record(key) is None) and (value is None or value["DOI"].lower() == key)
        if kind == "agency":
            return value == stub.agency_of(key)
        known = searches.get((kind, key))
        return dois(value) == dois(known) if known is not None else all(stub.record(d) for d in dois(value))

    return [key for key, value in rows.items() if not true(*key, value)]


class World:
    """The seed records, the input file and the settings every run shares."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.index = index_of(read_records(SEED_WORKS))
        self.source = folder / "refs.bib"
        self.source.write_text(_bibtex(_records()), encoding="utf-8")
        self.config = folder / "config.toml"
        self.config.write_text("[crossref]\n" + "".join(f"{k} = {v}\n" for k, v in LIMITS.items()),
                               encoding="utf-8")

    def stub(self) -> CrossrefStub:
        stub = CrossrefStub(self.index, drip=0.5, hang=3.0, huge_bytes=2_000_000).start()
        stub.agencies["10.5061"] = "datacite"
        return stub

    def run(self, command: str, stub: CrossrefStub, cache: Path) -> tuple[dict[str, Any], int, float]:
        """`refkit check|build` on the input: its report, exit status and seconds."""
        out = self.folder / f"{command}-{time.monotonic_ns()}"
        args = {"check": ["check", str(self.source), "--format", "json", "-o", str(out)],
                "build": ["build", str(self.source), "-o", str(out)]}[command]
        started = time.monotonic()
        try:
            code = cli.main([*args, "--crossref-url", stub.url, "--cache-dir", str(cache),
                             "--mailto", "tests@example.org"], standalone_mode=False) or 0
        except SystemExit as exc:
            code = int(exc.code or 0)
        seconds = time.monotonic() - started
        report = out / "report.json" if command == "build" else out
        return json.loads(report.read_text(encoding="utf-8")), code, seconds

    def trial(self, scenario: str, command: str, searches: dict[tuple[str, str], Any]) -> Trial:
        faults, seconds, _ = SCENARIOS[scenario]
        stub = self.stub()
        cache = self.folder / f"cache-{command}-{SCENARIOS_ORDER.index(scenario)}"
        try:
            for fault, kind in faults:
                stub.break_for(fault, seconds, kind)
            report, code, took = self.run(command, stub, cache)
            wrong = untrue(cached(cache), stub, searches)
            stub.heal()
            resumed, resumed_code, _ = self.run(command, stub, cache)
        finally:
            stub.stop()
        return Trial(verdicts(report), code, took, wrong, verdicts(resumed), resumed_code)


SCENARIOS_ORDER = list(SCENARIOS)


@pytest.fixture(scope="module")
def matrix(tmp_path_factory):
    """The healthy results per command, and every scenario's trial per command."""
    world = World(tmp_path_factory.mktemp("faults"))
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("REFKIT_CONFIG", str(world.config))
        healthy, searches = {}, {}
        for command in COMMANDS:
            stub = world.stub()
            cache = world.folder / f"healthy-{command}"
            try:
                report, code, _ = world.run(command, stub, cache)
                assert not untrue(cached(cache), stub, {})
            finally:
                stub.stop()
            healthy[command] = (verdicts(report), code)
            searches.update({key: value for key, value in cached(cache).items() if key[0] == "search"})
        keys = [(scenario, command) for scenario in SCENARIOS for command in COMMANDS]
        with ThreadPoolExecutor(max_workers=len(keys)) as pool:
            trials = dict(zip(keys, pool.map(lambda key: world.trial(*key, searches), keys)))
    return healthy, trials


def test_the_healthy_world_has_every_fate(matrix):
    healthy, _ = matrix
    found, code = healthy["check"]
    codes = {label: {c for c, _ in findings} for label, (_, findings) in found.items()}
    assert found["first"][0] == "doi-verified" and found["typo"][0] == "doi-corrected"
    assert "RK102" in codes["nowhere"] and "RK109" in codes["datacite"] and "RK106" in codes["found"]
    assert code == 1 and healthy["build"][1] == 0


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("scenario", SCENARIOS_ORDER)
def test_fault_matrix(matrix, scenario, command):
    healthy, trials = matrix
    truth, healthy_code = healthy[command]
    trial = trials[scenario, command]
    outcome = SCENARIOS[scenario][2]
    assert trial.seconds < BOUND, f"{trial.seconds:.1f} s"
    condemned = {(label, c, fix) for label, (_, findings) in trial.verdicts.items() for c, fix in findings
                 if c in CONDEMNING and (c, fix) not in truth[label][1]}
    assert not condemned, f"false verdicts {condemned}"
    assert not trial.untrue_cache, f"wrongly cached {trial.untrue_cache[:3]}"
    if outcome == "healthy":
        assert (trial.verdicts, trial.code) == (truth, healthy_code)
    elif outcome == "unverified":
        assert {status for status, _ in trial.verdicts.values()} == {"unverified"}, trial.verdicts
        assert trial.code == 3
    else:  # only what rests on the broken route is left unverified
        intact = set(truth) - set(AGENCY_DEPENDENT) if outcome == "agency-unverified" else {"found"}
        for label, (status, findings) in trial.verdicts.items():
            if label in intact:
                assert (status, findings) == truth[label], label
            else:
                assert "RK501" in {c for c, _ in findings}, (label, findings)
        assert trial.code == (1 if command == "check" and "typo" in intact else 3)  # RK103 outranks RK501
    assert (trial.resumed, trial.resumed_code) == (truth, healthy_code), "the resumed run"


def test_two_processes_on_one_cache_share_crossrefs_limits(tmp_path):
    """Found by running two `build`s at once: each took Crossref's whole
    allowance, and one ended with every reference unverified. Processes on
    one cache now pace themselves together: no 429, nothing unverified."""
    import os
    import subprocess
    import sys

    world = World(tmp_path)
    stub = CrossrefStub(world.index, latency={"single": 0.02, "list": 0.05},
                        limits={"single": (10, 1.0), "list": (3, 1.0)}, concurrency_limit=3).start()
    stub.agencies["10.5061"] = "datacite"
    env = {**os.environ, "REFKIT_CONFIG": str(tmp_path / "none.toml"), "REFKIT_MAILTO": "tests@example.org"}
    argv = [sys.executable, "-c", "from refkit.cli import main; main()", "check", str(world.source),
            "--crossref-url", stub.url, "--cache-dir", str(tmp_path / "cache"), "--format", "json"]
    try:
        runs = [subprocess.Popen([*argv, "-o", str(tmp_path / f"r{n}.json")], env=env, text=True,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE) for n in range(2)]
        outputs = [run.communicate(timeout=120) for run in runs]
    finally:
        stub.stop()
    assert [run.returncode for run in runs] == [1, 1], outputs
    for n in range(2):
        summary = json.loads((tmp_path / f"r{n}.json").read_text(encoding="utf-8"))["summary"]
        assert summary["unverified"] == 0 and summary["references"] == 8
    assert stub.throttled == 0 and stub.peak_in_flight <= 3
    assert stub.counts["batch"] + stub.counts["search"] > 6  # both asked: they met at Crossref


@pytest.mark.parametrize("fault", ["endless", "drip", "huge"])
def test_the_other_registries_answers_are_bounded_too(tmp_path, fault):
    """DataCite (and PubMed, arXiv, Open Library: one Service client) read
    their answers within the same deadline and size cap as Crossref's."""
    from refkit.resolving.sources.datacite import DataCiteClient
    from refkit.settings import Settings

    stub = CrossrefStub(index_of([]), drip=0.2, huge_bytes=2_000_000).start()
    stub.break_for(fault)
    settings = Settings(datacite_url=stub.url, cache_path=tmp_path / "c.sqlite", timeout=1.0,
                        deadline=0.8, max_response_mb=1, max_retries=1)
    client = DataCiteClient(settings, backoff=0.01)
    started = time.monotonic()
    try:
        assert client.works_by_doi(["10.5061/dryad.refkit1", "10.5061/dryad.refkit2"]) == {}
    finally:
        client.close()
        stub.stop()
    assert time.monotonic() - started < 5
    assert "MB" in client.unavailable_reason or "s to answer" in client.unavailable_reason
