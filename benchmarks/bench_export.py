"""Time to export 10,000 entries in each format (target: seconds).

Entries come from ../shared/data/crossref-works.jsonl (real Crossref records,
converted with refkit.csl.from_crossref) when present, otherwise from the
synthetic seed fixtures in tests/fixtures/seed/works.jsonl, repeated with
varied titles until there are 10,000. Each entry carries one summary note.

    python3 benchmarks/bench_export.py [N]
"""

from __future__ import annotations

import json
import sys
import time
from datetime import datetime
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from refkit.csl import from_crossref  # noqa: E402
from refkit.formatting import format_bibliography  # noqa: E402
from refkit.model import Citation, Location, Note, Resolution, Status  # noqa: E402
from refkit.writers import write  # noqa: E402

REAL = REPO.parent / "shared" / "data" / "crossref-works.jsonl"
SYNTHETIC = REPO / "tests" / "fixtures" / "seed" / "works.jsonl"


def resolutions(count: int) -> tuple[list[Resolution], str]:
    """`count` resolutions built from the best available records."""
    source = REAL if REAL.is_file() else SYNTHETIC
    records = [json.loads(line) for line in source.read_text(encoding="utf-8").splitlines() if line.strip()]
    out = []
    for index in range(count):
        record = dict(records[index % len(records)])
        if index >= len(records):  # a repeated record: vary it so keys must be told apart
            record["title"] = [f"{(record.get('title') or ['Untitled'])[0]} (copy {index // len(records)})"]
        where = Location("bench.txt", index + 1, label=str(index + 1))
        citation = Citation(raw="", source=where, notes=[Note(f"Summary {index}: a < b & c.", where)])
        work = from_crossref(record, datetime(2024, 5, 1))
        out.append(Resolution(citation, work, Status.DOI_VERIFIED, confidence=1.0))
    return out, str(source.relative_to(REPO.parent))


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    entries, source = resolutions(count)
    print(f"{count} entries from {source}")
    for fmt in ("bibtex", "ris", "csljson"):
        start = time.perf_counter()
        text = write(fmt, entries)
        elapsed = time.perf_counter() - start
        print(f"  {fmt:8s} {elapsed:6.2f} s  {len(text) / 1e6:6.1f} MB  {count / elapsed:8.0f} entries/s")
    start = time.perf_counter()
    format_bibliography(entries[:1000], style="apa")
    print(f"  apa text {time.perf_counter() - start:6.2f} s for 1000 entries (citeproc-py)")


if __name__ == "__main__":
    main()
