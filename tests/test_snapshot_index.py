"""`refkit index build/info` and `--source INDEX`: the public data file read
in every layout, resumed after a kill, extended by newer records, and
answering `refkit check` exactly as the local Crossref stand-in does.

The data files are made here from the synthetic seed world
(tests/fixtures/seed/works.jsonl), plus the real records of
../shared/data/crossref-works.jsonl when present, the world the stub serves.
"""

from __future__ import annotations

import gzip
import io
import json
import sqlite3
import subprocess
import sys
import tarfile
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from refkit.cli import cli
from refkit.resolving.snapshot.store import SnapshotStore
from refkit.resolving.sources.snapshot import SnapshotSource

from .conftest import EXAMPLES
from .crossref_stub import SEED_WORKS, SHARED_WORKS, read_records

PDF = str(EXAMPLES / "ketamine-bpd-review.pdf.txt")
SEED = list(read_records(SEED_WORKS))


def write_items(path: Path, records: list[dict]) -> None:
    """A data file as Crossref shipped them up to 2024: {"items": [...]}, gzipped."""
    with gzip.open(path, "wt", encoding="utf-8") as out:
        json.dump({"items": records}, out)


def write_lines(path: Path, records: list[dict], zipped: bool = True) -> None:
    """A data file as shipped from 2025: JSON Lines, gzipped or not."""
    text = "".join(json.dumps(r) + "\n" for r in records)
    if zipped:
        with gzip.open(path, "wt", encoding="utf-8") as out:
            out.write(text)
    else:
        path.write_text(text, encoding="utf-8")


def dump_folder(folder: Path, records: list[dict], size: int = 40) -> Path:
    """`records` as numbered data files of `size` records, the layouts alternating."""
    folder.mkdir(parents=True, exist_ok=True)
    for number, start in enumerate(range(0, len(records), size)):
        chunk = records[start:start + size]
        if number % 3 == 0:
            write_items(folder / f"{number}.json.gz", chunk)
        else:
            write_lines(folder / f"{number}.jsonl{'.gz' if number % 3 == 1 else ''}", chunk, number % 3 == 1)
    return folder


def as_tar(folder: Path, target: Path, mode: str = "w") -> Path:
    with tarfile.open(target, mode) as tar:
        for path in sorted(folder.iterdir(), key=lambda p: int(p.name.split(".")[0])):
            tar.add(path, arcname=f"April 2024 Public Data File from Crossref/{path.name}")
    return target


def index_cmd(*args: str):
    return CliRunner().invoke(cli, ["index", *args])


def refkit(*args: str) -> subprocess.CompletedProcess:
    """The real command line, for what main() does with errors (one line, exit 2)."""
    return subprocess.run([sys.executable, "-c", "from refkit.cli import main; main()", *args],
                          capture_output=True, text=True, timeout=120)


def contents(index: Path) -> dict:
    """Everything an index holds that a reader can see, for comparing two indexes."""
    with sqlite3.connect(index) as db:
        return {"works": db.execute("SELECT id, doi, stamp, record FROM works ORDER BY id").fetchall(),
                "terms": db.execute("SELECT term, df FROM terms WHERE df > 0 ORDER BY term").fetchall(),
                "parts": db.execute("SELECT key, records FROM parts ORDER BY key").fetchall(),
                "meta": db.execute("SELECT * FROM meta ORDER BY key").fetchall()}


def searches(index: Path) -> list[list[str]]:
    source = SnapshotSource(index)
    try:
        return [[w.doi for w in source.search(r["title"][0] + " " + r.get("container-title", [""])[0], rows=5)]
                for r in SEED[:40] if r.get("title")]
    finally:
        source.close()


def test_folder_files_and_tar_layouts_give_the_same_index(tmp_path):
    folder = dump_folder(tmp_path / "dump", SEED)
    by_folder, by_files, by_tar = tmp_path / "a.idx", tmp_path / "b.idx", tmp_path / "c.idx"
    assert index_cmd("build", str(folder), "-o", str(by_folder), "-j", "2").exit_code == 0
    files = sorted(str(p) for p in folder.iterdir())
    assert index_cmd("build", *files, "-o", str(by_files), "-j", "1").exit_code == 0
    tar = as_tar(folder, tmp_path / "dump.tar.gz", "w:gz")
    result = index_cmd("build", str(tar), "-o", str(by_tar))
    assert result.exit_code == 0, result.output
    assert f"{len(SEED)} records added" in result.stderr
    records = {i: {doi: blob for _, doi, _, blob in contents(i)["works"]} for i in (by_folder, by_files, by_tar)}
    assert len(records[by_folder]) == len(SEED)
    assert records[by_folder] == records[by_files] == records[by_tar]
    info = index_cmd("info", str(by_tar))
    assert f"records:   {len(SEED)}" in info.stdout and "dump date:" in info.stdout


def test_a_bad_record_costs_only_itself_and_is_named(tmp_path):
    folder = tmp_path / "dump"
    folder.mkdir()
    good = SEED[:3]
    (folder / "0.jsonl").write_text(json.dumps(good[0]) + "\n{\"DOI\": \"10.1/x\", broken\n"
                                    + json.dumps(good[1]) + "\n" + json.dumps({"title": ["no DOI"]}) + "\n",
                                    encoding="utf-8")
    write_items(folder / "1.json.gz", [good[2]])
    result = index_cmd("build", str(folder), "-o", str(tmp_path / "i.idx"))
    assert result.exit_code == 0
    assert "3 records added" in result.stderr
    assert "2 unreadable records skipped" in result.stderr
    assert "0.jsonl, line 2: not JSON" in result.stderr and "0.jsonl, line 4: not a work record" in result.stderr


def test_nothing_to_read_is_an_error_not_an_empty_success(tmp_path):
    (tmp_path / "empty").mkdir()
    result = refkit("index", "build", str(tmp_path / "empty"), "-o", str(tmp_path / "i.idx"))
    assert result.returncode == 2 and "no data files found" in result.stderr
    missing = refkit("index", "build", str(tmp_path / "nowhere"), "-o", str(tmp_path / "i.idx"))
    assert missing.returncode == 2 and missing.stderr.count("\n") == 1 and "no such file or folder" in missing.stderr


def test_a_newer_dump_extends_the_index_and_the_newer_copy_wins(tmp_path):
    first = [dict(r, indexed={"date-time": "2024-04-01T00:00:00Z"}) for r in SEED]
    index = tmp_path / "i.idx"
    assert index_cmd("build", str(dump_folder(tmp_path / "2024", first)), "-o", str(index)).exit_code == 0
    renamed = dict(first[0], title=["Quasiperiodic lattice tunnelling in borderline zebrafish"],
                   indexed={"date-time": "2025-03-01T00:00:00Z"})
    stale = dict(first[1], title=["An older copy that must not win"], indexed={"date-time": "2023-01-01T00:00:00Z"})
    added = {"DOI": "10.5555/refkit.fixture.delta", "type": "journal-article", "title": ["A work new in the delta"],
             "indexed": {"date-time": "2025-03-02T00:00:00Z"}, "_fixture": "synthetic"}
    delta = tmp_path / "delta"
    delta.mkdir()
    write_lines(delta / "0.jsonl.gz", [renamed, stale, added])
    result = index_cmd("build", str(delta), "-o", str(index))
    assert "1 records added, 1 replaced by newer copies, 1 older copies ignored" in result.stderr
    source = SnapshotSource(index)
    try:
        assert source.snapshot_date == "2025-03-02"
        works = source.works_by_doi([first[0]["DOI"], first[1]["DOI"], added["DOI"]])
        assert [w.title for w in works.values()] == [renamed["title"][0], first[1]["title"][0], added["title"][0]]
        assert source.search("quasiperiodic zebrafish tunnelling", rows=3)[0].doi == first[0]["DOI"]
        old_words = " ".join(first[0]["title"][0].split()[:6])
        assert first[0]["DOI"] not in [w.doi for w in source.search(old_words, rows=20)]
    finally:
        source.close()


def test_a_killed_build_resumes_and_ends_with_the_same_index(tmp_path):
    """The tar comes on standard input, half of it; once the index has stored
    a data file the build is killed (SIGKILL, mid-stream). Run again on the
    whole tar, it skips what was stored and ends as an uninterrupted build."""
    folder = dump_folder(tmp_path / "dump", SEED, size=12)
    tar = as_tar(folder, tmp_path / "dump.tar").read_bytes()
    killed = tmp_path / "killed.idx"
    command = [sys.executable, "-c", "from refkit.cli import main; main()", "index", "build", "-",
               "-o", str(killed), "-j", "1"]
    process = subprocess.Popen(command, stdin=subprocess.PIPE, stderr=subprocess.PIPE)
    process.stdin.write(tar[:len(tar) // 2])
    process.stdin.flush()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not _stored_parts(killed):
        time.sleep(0.05)
    process.kill()
    process.wait()
    stored = _stored_parts(killed)
    assert 0 < stored < len(list(folder.iterdir()))
    (tmp_path / "dump.tar").write_bytes(tar)
    resumed = index_cmd("build", str(tmp_path / "dump.tar"), "-o", str(killed))
    assert f"({stored} already read)" in resumed.stderr
    whole = tmp_path / "whole.idx"
    assert index_cmd("build", str(tmp_path / "dump.tar"), "-o", str(whole)).exit_code == 0
    assert contents(killed) == contents(whole)
    assert searches(killed) == searches(whole)


def _stored_parts(index: Path) -> int:
    try:
        with sqlite3.connect(f"{index.as_uri()}?mode=ro", uri=True) as db:
            return db.execute("SELECT COUNT(*) FROM parts").fetchone()[0]
    except sqlite3.Error:
        return 0


@pytest.fixture(scope="module")
def world_index(tmp_path_factory) -> Path:
    """The stub's world as an index: the seed records, and the real ones when present."""
    folder = tmp_path_factory.mktemp("world")
    records = SEED + list(read_records(SHARED_WORKS))
    dump_folder(folder / "dump", records, size=1000)
    index = folder / "world.idx"
    result = CliRunner().invoke(cli, ["index", "build", str(folder / "dump"), "-o", str(index)])
    assert result.exit_code == 0, result.output
    return index


def verdicts(report: dict) -> list[tuple]:
    return [(c["label"], c["status"], sorted((f["code"], f.get("fix") or "") for f in c["findings"]))
            for c in report["citations"]]


def test_check_against_the_snapshot_gives_the_stub_verdicts_without_network(
        crossref_stub, world_index, tmp_path, monkeypatch):
    monkeypatch.setenv("REFKIT_CROSSREF_URL", "http://127.0.0.1:9")  # nothing listens: no network
    by_stub = CliRunner().invoke(cli, ["check", PDF, "--format", "json", "--crossref-url", crossref_stub.url,
                                       "--mailto", "t@example.org"])
    by_index = CliRunner().invoke(cli, ["check", PDF, "--format", "json", "--source", str(world_index)])
    assert by_index.exit_code == by_stub.exit_code == 1, by_index.output
    stub_report, index_report = json.loads(by_stub.stdout), json.loads(by_index.stdout)
    assert verdicts(index_report) == verdicts(stub_report)
    assert index_report["summary"] == stub_report["summary"]
    assert index_report["summary"]["corrected"] == 4 and index_report["summary"]["missing"] == 5
    snapshot = index_report["crossref"]["snapshot"]
    assert snapshot["index"] == str(world_index) and "requests" not in index_report["crossref"]
    assert "warning: no contact address" not in by_index.stderr
    table = CliRunner().invoke(cli, ["check", PDF, "--source", str(world_index)])
    assert f"(answers from the Crossref snapshot of {snapshot['date']} at {world_index}, not Crossref's " \
           "live API)" in table.stdout
    fixes = [f for c in index_report["citations"] for f in c["findings"] if f["code"] == "RK103"]
    assert all(f"is not in the Crossref snapshot of {snapshot['date']}" in f["message"] for f in fixes)


def test_exports_name_the_snapshot_and_its_date(world_index, tmp_path):
    out = tmp_path / "bib"
    result = CliRunner().invoke(cli, ["build", PDF, "-o", str(out), "--source", str(world_index)])
    assert result.exit_code == 0, result.output
    date = SnapshotStore(world_index).meta()["dump-date"][:10]
    items = json.loads((out / "references.json").read_text(encoding="utf-8"))
    verified = [i for i in items if i["custom"]["refkit"]["status"] == "doi-verified"]
    assert verified and all(i["custom"]["refkit"]["snapshot"] == date for i in verified)
    bibtex = (out / "references.bib").read_text(encoding="utf-8")
    assert f"verified against the Crossref snapshot of {date}" in bibtex
    assert "against Crossref on" not in bibtex


def test_a_doi_the_snapshot_lacks_is_not_called_unregistered(world_index, tmp_path, crossref_stub):
    refs = tmp_path / "refs.txt"
    refs.write_text("References\n1. Nobody A. A work no registry holds at all. J Nowhere. 2020;1:1-2. "
                    "doi:10.5555/refkit.absent.1\n", encoding="utf-8")
    alone = CliRunner().invoke(cli, ["check", str(refs), "--format", "json", "--source", str(world_index)])
    [finding] = json.loads(alone.stdout)["citations"][0]["findings"]
    assert finding["code"] == "RK501" and "is not in the Crossref snapshot of" in finding["message"]
    assert "add ',api' to --source" in finding["message"] and alone.exit_code == 3
    assert "the Crossref snapshot of" in alone.stderr and "lacks their DOIs" in alone.stderr
    chained = CliRunner().invoke(cli, ["check", str(refs), "--format", "json", "--source", f"{world_index},api",
                                       "--crossref-url", crossref_stub.url, "--mailto", "t@example.org"])
    codes = [f["code"] for f in json.loads(chained.stdout)["citations"][0]["findings"]]
    assert codes == ["RK102"]  # the API, asked for what the snapshot lacks, says: registered nowhere


def test_snapshot_then_api_asks_the_api_only_for_what_the_snapshot_lacks(tmp_path, seed_stub):
    half = tmp_path / "half.idx"
    dump_folder(tmp_path / "dump", SEED[::2])
    assert index_cmd("build", str(tmp_path / "dump"), "-o", str(half)).exit_code == 0
    by_stub = CliRunner().invoke(cli, ["check", PDF, "--format", "json", "--crossref-url", seed_stub.url,
                                       "--mailto", "t@example.org", "--cache-dir", str(tmp_path / "c1")])
    asked_alone = seed_stub.counts.copy()
    seed_stub.counts.clear()
    chained = CliRunner().invoke(cli, ["check", PDF, "--format", "json", "--source", f"{half},api",
                                       "--crossref-url", seed_stub.url, "--mailto", "t@example.org",
                                       "--cache-dir", str(tmp_path / "c2")])
    assert verdicts(json.loads(chained.stdout)) == verdicts(json.loads(by_stub.stdout))
    report = json.loads(chained.stdout)["crossref"]
    assert report["found"] > 0 and report["requests"] > 0
    assert seed_stub.counts["batch"] < asked_alone["batch"]  # half the DOIs came from the snapshot


def test_a_bad_source_is_a_one_line_error(tmp_path):
    result = refkit("check", PDF, "--source", str(tmp_path / "none.idx"))
    assert result.returncode == 2 and "no such snapshot index" in result.stderr
    (tmp_path / "junk.idx").write_text("not sqlite", encoding="utf-8")
    junk = refkit("check", PDF, "--source", str(tmp_path / "junk.idx"))
    assert junk.returncode == 2 and "not a refkit snapshot index" in junk.stderr
