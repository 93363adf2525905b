"""Time refkit's readers on the seed list, the real PDFs and JATS files, and
two generated 10,000-entry BibTeX files; prints figures (targets: the
148-entry seed list well under a second, 10,000 BibTeX entries in seconds).
The BibTeX files are built in a temporary folder the way bench_warm.py
(plain pybtex output) and bench_export.py (refkit's writer: braces, LaTeX
escapes, notes) build theirs. Run: python3 benchmarks/bench_read.py"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
import tracemalloc
from functools import partial
from pathlib import Path
from typing import Callable

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench_export import resolutions  # noqa: E402
from bench_warm import bibtex_for  # noqa: E402
from refkit.readers import read  # noqa: E402
from refkit.readers.pdf import extract_text  # noqa: E402
from refkit.readers.reflist import read_reference_list  # noqa: E402
from refkit.writers import write  # noqa: E402
from tests.crossref_stub import load_index  # noqa: E402

SEED = REPO / "examples" / "ketamine-bpd-review.pdf.txt"
SHARED = REPO.parent / "shared" / "data"
BIBTEX_ENTRIES = 10_000


def timed(label: str, work: Callable[[], int], repeat: int) -> None:
    """Run `work` `repeat` times; print the median and best time and the count it returned."""
    times, count = [], 0
    for _ in range(repeat):
        start = time.perf_counter()
        count = work()
        times.append(time.perf_counter() - start)
    print(f"{label:<58} {count:>5}  median {statistics.median(times) * 1000:8.1f} ms"
          f"  best {min(times) * 1000:8.1f} ms  ({repeat} runs)")


def peak_mb(work: Callable[[], int]) -> float:
    """The peak memory Python allocates while `work` runs, in MB."""
    tracemalloc.start()
    try:
        work()
        return tracemalloc.get_traced_memory()[1] / 1e6
    finally:
        tracemalloc.stop()


def bibtex_files(folder: Path) -> dict[str, Path]:
    """The two generated BibTeX files, by the name of the generator."""
    records = [r for r in load_index().records.values() if r.get("DOI") and r.get("title")]
    texts = {"pybtex-written": bibtex_for(records, BIBTEX_ENTRIES),
             "refkit-written": write("bibtex", resolutions(BIBTEX_ENTRIES)[0])}
    paths = {}
    for name, text in texts.items():
        paths[name] = folder / f"{name}.bib"
        paths[name].write_text(text, encoding="utf-8")
    return paths


def bibtex_count(path: Path) -> int:
    """How many citations the BibTeX reader finds in `path`."""
    return len(read(path, "bibtex").citations)


def time_bibtex() -> None:
    """Time and measure reading each generated 10,000-entry BibTeX file."""
    with tempfile.TemporaryDirectory() as tmp:
        for name, path in bibtex_files(Path(tmp)).items():
            work = partial(bibtex_count, path)
            timed(f"bibtex entries: {name} ({path.stat().st_size / 1e6:.1f} MB)", work, repeat=3)
            print(f"{'':<58}        peak Python memory {peak_mb(work):6.0f} MB (tracemalloc)")


def main() -> None:
    text = SEED.read_text(encoding="utf-8")
    timed("seed list entries: ketamine-bpd-review.pdf.txt",
          lambda: len(read_reference_list(text, str(SEED)).citations), repeat=10)
    for pdf in sorted((SHARED / "pdf").glob("*.pdf")):
        data = pdf.read_bytes()
        timed(f"pdf text lines: {pdf.name[:30]}", lambda: len(extract_text(str(pdf), data)[1]), repeat=3)
        timed(f"pdf citations (read): {pdf.name[:30]}", lambda: len(read(pdf, "pdf").citations), repeat=3)
    for xml in sorted((SHARED / "jats").glob("*.xml")):
        timed(f"jats references: {xml.name}", lambda: len(read(xml, "jats").citations), repeat=5)
    time_bibtex()
    if not SHARED.is_dir():
        print(f"({SHARED} is absent: only the seed list and the generated BibTeX files were timed)")


if __name__ == "__main__":
    main()
