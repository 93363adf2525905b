"""Scaling benchmark: does refkit stay linear, and near the floor Crossref's limits allow?

Prints, for `refkit export` of 1k/10k/100k BibTeX entries and `refkit check`
of 1k/5k/20k references: CPU seconds, wall seconds, peak memory, requests,
and the growth exponent of CPU time between sizes (1.0 is linear). Targets
(issue 14): exponent <= 1.1; warm check <= 1 ms CPU per reference at 20k;
100k-entry BibTeX export < 60 s CPU and < 500 MB; cold check at Crossref's
polite limits <= 1.15x the floor of the minimal plan at 1k and 5k, no 429.
It is not a test.

Each measured run is its own `refkit` process (its CPU time from getrusage
and its peak RSS from /proc/self/status's VmHWM are its own); the Crossref stand-in (tests/crossref_stub.py)
runs in this process. Records are the 8,016 real Crossref records of
../shared/data/crossref-works.jsonl (never copied anywhere; the synthetic
seed records on a fresh clone), cloned with suffixed DOIs and numbered
titles where a size needs more works than there are: every entry names a
work of its own, as in a real library.

The check references mix the fates of a real list: most print their right
DOI, some none (searched), some a transposed DOI (corrected), some another
work's DOI, some a DOI registered nowhere (asked of /agency).

    nice python benchmarks/bench_scaling.py                 # everything (about 20 minutes)
    python benchmarks/bench_scaling.py --export 1000,10000 --check 1000 --no-cold
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from benchmarks.bench_speed import floor_seconds  # noqa: E402
from refkit.resolving.cache import Cache  # noqa: E402
from refkit.settings import Settings  # noqa: E402
from tests.crossref_stub import (SEED_WORKS, SHARED_WORKS, CrossrefStub, index_of, read_records,  # noqa: E402
                                 refused_url)

# what Crossref's polite pool is like (bench_speed.py): latency per request
# kind, and the limits the stand-in advertises and enforces
LATENCY = {"single": 0.3, "list": 0.8}
POLITE = {"single": (10, 1.0), "list": (3, 1.0)}
IN_FLIGHT = 3
BATCH = 50
# the fates of check references, in parts per hundred
FATES = {"right": 88, "no-doi": 5, "transposed": 3, "other-work": 2, "nowhere": 2}
_BATCHABLE = re.compile(r"10\.[0-9.]+/[A-Za-z0-9._()\[\]/-]+")

# run refkit in a child process, then report its own CPU time and peak RSS.
# The peak is the kernel's high-water mark of this process's own memory
# (VmHWM): getrusage's ru_maxrss would also count the benchmark's memory,
# which the child held for an instant between fork and exec.
_CHILD = """
import json, os, resource, sys, time
started = time.perf_counter()
code = 0
try:
    from refkit.cli import main
    sys.argv = ["refkit", *sys.argv[1:]]
    main()
except SystemExit as exit:
    code = exit.code if isinstance(exit.code, int) else 1
finally:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    with open("/proc/self/status") as status:
        peak_kb = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
    with open(os.environ["BENCH_STATS"], "w") as out:
        json.dump({"cpu": usage.ru_utime + usage.ru_stime, "wall": time.perf_counter() - started,
                   "rss_mb": peak_kb / 1024, "code": code}, out)
"""


@dataclass
class Figures:
    """One measured run."""

    size: int
    cpu: float
    wall: float
    rss_mb: float
    requests: int
    code: int
    throttled: int = 0
    floor: float = 0.0


def works(count: int) -> list[dict[str, Any]]:
    """`count` distinct work records: the real ones first, then numbered clones."""
    source = SHARED_WORKS if SHARED_WORKS.is_file() else SEED_WORKS
    base = [r for r in read_records(source)
            if r.get("title") and r["title"][0].strip() and _BATCHABLE.fullmatch(r["DOI"])
            and r.get("author") and r.get("issued")]
    out = []
    for n in range(count):
        record = dict(base[n % len(base)])
        copy = n // len(base)
        if copy:
            record["DOI"] = f"{record['DOI']}.c{copy}"
            record["title"] = [f"{record['title'][0]} (part {copy + 1})"]
        out.append(record)
    return out


def bibtex(records: list[dict[str, Any]], dois: list[str | None]) -> str:
    """BibTeX articles for `records`, each printing the DOI given for it (None:
    none), written as people write them (a DOI's underscore left as it is)."""
    def value(text: Any) -> str:
        return "".join(ch for ch in str(text) if ch not in "{}\\")

    entries = []
    for n, (record, doi) in enumerate(zip(records, dois)):
        authors = " and ".join(f"{value(a['family'])}, {value(a.get('given', ''))}"
                               for a in (record.get("author") or [])[:6] if a.get("family"))
        fields = {"author": authors, "title": record["title"][0],
                  "journal": (record.get("container-title") or ["Unknown"])[0] or "Unknown",
                  "year": ((record.get("issued") or {}).get("date-parts") or [[2000]])[0][0] or 2000,
                  "volume": record.get("volume"), "pages": record.get("page"), "doi": doi}
        body = ",\n".join(f"  {name} = {{{value(text)}}}" for name, text in fields.items() if text)
        entries.append(f"@article{{ref{n},\n{body}\n}}\n")
    return "\n".join(entries)


def nowhere(n: int) -> dict[str, Any]:
    """A reference to a work no registry holds: words no record has."""
    words = ["quarvel", "plindrous", "zeptal", "morquine", "vasselt", "glimbric", "tornevax", "skelvish"]
    title = " ".join(words[(n + k * 3) % len(words)] for k in range(6)) + f" {n}"
    return {"DOI": f"10.5555/refkit.bench.nowhere.{n}", "title": [title.capitalize()],
            "author": [{"family": "Nobody", "given": "N"}], "container-title": ["Journal of Nothing"],
            "issued": {"date-parts": [[2001]]}}


def check_dois(records: list[dict[str, Any]]) -> tuple[list[str | None], dict[str, int]]:
    """The DOI each check reference prints, following FATES spread evenly
    through the list (a "nowhere" reference's record is replaced by a made-up
    one, in `records` itself), and how many of each fate."""
    fates = [fate for fate, share in FATES.items() for _ in range(share)]
    counts = {fate: 0 for fate in FATES}
    dois: list[str | None] = []
    for n, record in enumerate(records):
        fate = fates[n % len(fates)]
        counts[fate] += 1
        doi = record["DOI"]
        if fate == "no-doi":
            dois.append(None)
        elif fate == "transposed":
            cut = len(doi) - 2
            dois.append(doi[:cut] + doi[cut + 1] + doi[cut] if doi[cut] != doi[cut + 1] else doi + "x")
        elif fate == "other-work":
            dois.append(records[(n + 7) % len(records)]["DOI"])
        elif fate == "nowhere":  # a made-up work (see `nowhere`): only /agency can settle it
            dois.append(f"10.5555/refkit.bench.nowhere.{n}")
            records[n] = nowhere(n)
        else:
            dois.append(doi)
    return dois, counts


def run(args: list[str], stub: CrossrefStub, env: dict[str, str], size: int) -> Figures:
    """`refkit ARGS` in a child process against `stub`: its figures."""
    stats = Path(env["BENCH_TMP"]) / f"stats-{time.monotonic_ns()}.json"
    before, throttled = stub.requests, stub.throttled
    subprocess.run([sys.executable, "-c", _CHILD, *args, "--crossref-url", stub.url],
                   env={**env, "BENCH_STATS": str(stats)}, capture_output=True, text=True)
    got = json.loads(stats.read_text())
    return Figures(size, got["cpu"], got["wall"], got["rss_mb"], stub.requests - before, got["code"],
                   stub.throttled - throttled)


def exponent(rows: list[Figures], attribute: str = "cpu") -> list[str]:
    """The growth exponent of `attribute` from each size to the next."""
    out = [""]
    for small, big in zip(rows, rows[1:]):
        a, b = getattr(small, attribute), getattr(big, attribute)
        out.append(f"{math.log(b / a) / math.log(big.size / small.size):.2f}" if a > 0 and b > 0 else "-")
    return out


def table(title: str, rows: list[Figures], per: str = "entry") -> None:
    print(f"\n{title}")
    print(f"  {'size':>7} {'CPU s':>8} {'ms/' + per:>10} {'wall s':>8} {'peak MB':>8} {'requests':>9} "
          f"{'429':>4} {'exit':>4} {'exponent':>8}")
    for row, growth in zip(rows, exponent(rows)):
        print(f"  {row.size:>7} {row.cpu:>8.2f} {1000 * row.cpu / row.size:>10.3f} {row.wall:>8.2f} "
              f"{row.rss_mb:>8.0f} {row.requests:>9} {row.throttled:>4} {row.code:>4} {growth:>8}")


def environment(folder: Path) -> dict[str, str]:
    """The child's environment: a private cache and config, big inputs allowed,
    and DataCite at a closed port (it refuses at once, as offline DNS would not)."""
    folder.mkdir(parents=True, exist_ok=True)
    return {**os.environ, "REFKIT_CACHE_DIR": str(folder / "cache"), "REFKIT_MAILTO": "bench@example.org",
            "REFKIT_CONFIG": str(folder / "none.toml"), "REFKIT_MAX_INPUT_MB": "1000",
            "REFKIT_DATACITE_URL": refused_url(), "PYTHONPATH": str(REPO), "BENCH_TMP": str(folder)}


def prime(records: list[dict[str, Any]], url: str, env: dict[str, str]) -> None:
    """Put every record into the cache a run against `url` reads, as the
    client would have stored it when asked before."""
    try:
        from refkit.resolving.sources.crossref import slim  # records as the client keeps them
    except ImportError:  # a client that keeps them whole
        def slim(record: dict[str, Any]) -> dict[str, Any]:
            return record
    settings = Settings.load(env=env, crossref_url=url)
    with Cache(settings.service_cache_path) as cache:
        for start in range(0, len(records), 5000):
            cache.put_works({r["DOI"]: slim(r) for r in records[start:start + 5000]})


def bench_export(sizes: list[int], formats: list[str]) -> None:
    """Warm export (every record cached): CPU, memory, growth."""
    for fmt in formats:
        rows = []
        for size in sizes:
            with tempfile.TemporaryDirectory() as tmp:
                folder, records = Path(tmp), works(size)
                env = environment(folder)
                stub = CrossrefStub(index_of([])).start()  # answers nothing: every request would show
                try:
                    prime(records, stub.url, env)
                    source = folder / "library.bib"
                    source.write_text(bibtex(records, [r["DOI"] for r in records]), encoding="utf-8")
                    rows.append(run(["export", str(source), "-t", fmt, "-o", str(folder / "out")], stub, env, size))
                finally:
                    stub.stop()
        table(f"refkit export -t {fmt}, warm cache (every DOI cached)", rows)


def bench_check(sizes: list[int], cold_sizes: list[int]) -> None:
    """Warm check at each size (cache primed by a cold run at unlimited speed),
    and cold check at the polite limits for `cold_sizes`."""
    warm_rows, cold_rows = [], []
    for size in sorted(set(sizes) | set(cold_sizes)):
        records = works(size)
        index = index_of(records)  # before check_dois makes up the works no registry holds
        dois, fates = check_dois(records)
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            source = folder / "references.bib"
            source.write_text(bibtex(records, dois), encoding="utf-8")
            args = ["check", str(source), "--format", "json", "-o", str(folder / "report.json")]
            if size in cold_sizes:
                stub = CrossrefStub(index, latency=dict(LATENCY)).start()
                stub.polite_limits(concurrency=IN_FLIGHT)
                try:
                    row = run(args, stub, environment(folder / "cold"), size)
                    row.floor = minimal_floor(fates, stub)
                    cold_rows.append((row, dict(stub.counts)))
                finally:
                    stub.stop()
            if size in sizes:
                stub = CrossrefStub(index).start()
                try:
                    env = environment(folder / "warm")
                    run(args, stub, env, size)  # cold, unlimited: fills the cache
                    warm_rows.append(run(args, stub, env, size))
                finally:
                    stub.stop()
    table("refkit check, warm cache", warm_rows, per="ref")
    if cold_rows:
        print("\nrefkit check, cold, at the polite pool's limits "
              f"({POLITE['single'][0]}/s single, {POLITE['list'][0]}/s list, {IN_FLIGHT} in flight; "
              f"latency {LATENCY['single']} s / {LATENCY['list']} s)")
        print(f"  {'size':>7} {'wall s':>8} {'floor s':>8} {'ratio':>6} {'CPU s':>7} {'429':>4} requests made")
        for row, counts in cold_rows:
            print(f"  {row.size:>7} {row.wall:>8.1f} {row.floor:>8.1f} {row.wall / row.floor:>6.2f} "
                  f"{row.cpu:>7.1f} {row.throttled:>4} {', '.join(f'{k} {v}' for k, v in sorted(counts.items()))}")


def minimal_floor(fates: dict[str, int], stub: CrossrefStub) -> float:
    """The floor of the minimal plan (bench_speed.floor_seconds): one list
    request per 50 printed DOIs, one search per reference whose DOI is
    missing or wrong, the generated candidates the client asked about in
    full batches of 50, and one agency question per DOI registered nowhere."""
    printed = sum(n for fate, n in fates.items() if fate != "no-doi")
    searches = sum(n for fate, n in fates.items() if fate != "right")
    asked = {doi for entry in stub.log if entry.kind == "batch"
             for part in entry.params.get("filter", [""])[0].split(",") if part.startswith("doi:")
             for doi in [part[4:]]}
    candidates = max(0, len(asked) - printed)
    lists = math.ceil(printed / BATCH) + math.ceil(candidates / BATCH)
    return floor_seconds({"batch": lists, "search": searches, "agency": fates["nowhere"]})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--export", default="1000,10000,100000", help="entry counts for export")
    parser.add_argument("--formats", default="bibtex", help="export formats (bibtex,ris,csljson)")
    parser.add_argument("--check", default="1000,5000,20000", help="reference counts for warm check")
    parser.add_argument("--cold", default="1000,5000", help="reference counts for cold check at polite limits")
    parser.add_argument("--no-cold", action="store_true", help="skip the cold runs (minutes each)")
    args = parser.parse_args()
    sizes = [int(n) for n in args.export.split(",") if n]
    load = os.getloadavg()
    print(f"load average at start: {load[0]:.1f} {load[1]:.1f} {load[2]:.1f} on {os.cpu_count()} cores "
          "(CPU time is the figure to trust on a shared machine)")
    if sizes:
        bench_export(sizes, args.formats.split(","))
    check = [int(n) for n in args.check.split(",") if n]
    cold = [] if args.no_cold else [int(n) for n in args.cold.split(",") if n]
    if check or cold:
        bench_check(check, cold)
    load = os.getloadavg()
    print(f"\nload average at the end: {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}")


if __name__ == "__main__":
    main()
