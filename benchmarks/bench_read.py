"""Time refkit's reference-list readers on the seed list and the real PDFs
and JATS files; prints figures (target: the 148-entry seed list well under a
second). Run: python3 benchmarks/bench_read.py"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path
from typing import Callable

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from refkit.readers import read  # noqa: E402
from refkit.readers.pdf import extract_text  # noqa: E402
from refkit.readers.reflist import find_reference_list  # noqa: E402

SEED = REPO / "examples" / "ketamine-bpd-review.pdf.txt"
SHARED = REPO.parent / "shared" / "data"


def timed(label: str, work: Callable[[], int], repeat: int) -> None:
    """Run `work` `repeat` times; print the median and best time and the count it returned."""
    times, count = [], 0
    for _ in range(repeat):
        start = time.perf_counter()
        count = work()
        times.append(time.perf_counter() - start)
    print(f"{label:<58} {count:>5}  median {statistics.median(times) * 1000:8.1f} ms"
          f"  best {min(times) * 1000:8.1f} ms  ({repeat} runs)")


def main() -> None:
    text = SEED.read_text(encoding="utf-8")
    timed("seed list entries: ketamine-bpd-review.pdf.txt",
          lambda: len(find_reference_list(text, str(SEED))[0]), repeat=10)
    for pdf in sorted((SHARED / "pdf").glob("*.pdf")):
        data = pdf.read_bytes()
        timed(f"pdf text lines: {pdf.name[:30]}", lambda: len(extract_text(str(pdf), data)[1]), repeat=3)
        timed(f"pdf citations (read): {pdf.name[:30]}", lambda: len(read(pdf, "pdf").citations), repeat=3)
    for xml in sorted((SHARED / "jats").glob("*.xml")):
        timed(f"jats references: {xml.name}", lambda: len(read(xml, "jats").citations), repeat=5)
    if not SHARED.is_dir():
        print(f"({SHARED} is absent: only the seed list was timed)")


if __name__ == "__main__":
    main()
