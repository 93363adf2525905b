"""Warm-cache benchmark: a re-run of `refkit check` must make no requests
and be quick, and a 10,000-entry BibTeX file with a warm cache must check
in under 10 s and 400 MB. Prints figures; it is not a test.

The BibTeX file is generated in a temporary folder from the records the
stub serves (the synthetic seed records, plus the real records of
../shared/data/crossref-works.jsonl when present, never copied anywhere).
Each measured run is a separate `refkit check` process, so its peak memory
is its own.

    python benchmarks/bench_warm.py [--entries 10000]
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from pybtex.database import BibliographyData, Entry, Person  # noqa: E402

from tests.crossref_stub import CrossrefStub, load_index  # noqa: E402


def bibtex_for(records: list[dict], entries: int) -> str:
    """`entries` BibTeX articles cycling through `records` (with their DOIs)."""
    data = BibliographyData()
    for n in range(entries):
        record = records[n % len(records)]
        fields = {"title": (record.get("title") or ["Untitled"])[0], "doi": record["DOI"],
                  "journal": (record.get("container-title") or [""])[0] or "Unknown",
                  "year": str(((record.get("issued") or {}).get("date-parts") or [[2000]])[0][0] or 2000)}
        people = [Person(last=a["family"], first=a.get("given", "")) for a in record.get("author") or []
                  if a.get("family")][:5]
        data.add_entry(f"ref{n}", Entry("article", fields=fields, persons={"author": people} if people else {}))
    return data.to_string("bibtex")


def check(path: Path, stub: CrossrefStub, env: dict[str, str], out: Path) -> tuple[float, int, int, float]:
    """Run `refkit check` in a child process: seconds, requests, exit status, peak MB."""
    before = stub.requests
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", "from refkit.cli import main; main()", "check", str(path),
                           "--crossref-url", stub.url, "--format", "json", "-o", str(out)],
                          env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return seconds, stub.requests - before, done.returncode, peak_mb


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=10_000)
    args = parser.parse_args()
    index = load_index()
    stub = CrossrefStub(index).start()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            env = {**os.environ, "REFKIT_CACHE_DIR": str(folder / "cache"), "REFKIT_MAILTO": "bench@example.org",
                   "REFKIT_CONFIG": str(folder / "none.toml"), "PYTHONPATH": str(REPO)}
            pdf = REPO / "examples" / "ketamine-bpd-review.pdf.txt"
            cold = check(pdf, stub, env, folder / "r1.json")
            warm = check(pdf, stub, env, folder / "r2.json")
            print(f"PDF copy, cold: {cold[0]:.2f} s, {cold[1]} requests, exit {cold[2]}")
            print(f"PDF copy, warm: {warm[0]:.2f} s, {warm[1]} requests, exit {warm[2]} (target: 0 requests, < 1 s)")

            records = [r for r in index.records.values() if r.get("DOI") and r.get("title")]
            bib = folder / "big.bib"
            bib.write_text(bibtex_for(records, args.entries), encoding="utf-8")
            cold = check(bib, stub, env, folder / "b1.json")
            warm = check(bib, stub, env, folder / "b2.json")
            print(f"{args.entries} BibTeX entries ({len(records)} distinct records), cold: {cold[0]:.1f} s, "
                  f"{cold[1]} requests, exit {cold[2]}")
            print(f"{args.entries} BibTeX entries, warm: {warm[0]:.1f} s, {warm[1]} requests, exit {warm[2]}, "
                  f"peak memory of the runs so far {warm[3]:.0f} MB (target: < 10 s, < 400 MB)")
    finally:
        stub.stop()


if __name__ == "__main__":
    main()
