"""How well an unlabelled reference list wrapped over lines is split into its entries.

Text copied from a PDF or a word processor often keeps a list's line breaks
but loses its indents and blank lines; then only an entry's first author tells
where it starts. This benchmark prints real Crossref records
(../shared/data/crossref-works.jsonl, the half whose DOI hash is odd, which
the parser was not trained on) as a bibliography in author-first CSL styles
with refkit's own formatter, wraps each entry at 70, 80 or 95 characters,
reads the list back with `read_reference_list` and counts, per style, the
lists split exactly and the entries whose start was found (a missed start
merges two entries; a false one cuts an entry in two).

    python benchmarks/bench_wrapped_lists.py                 # 30 lists of 12 per style
    python benchmarks/bench_wrapped_lists.py --lists 100 --seed 2
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
import textwrap
import warnings
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from refkit.csl import from_crossref  # noqa: E402
from refkit.formatting import render  # noqa: E402
from refkit.readers.reflist import read_reference_list  # noqa: E402

WORKS = REPO.parent / "shared" / "data" / "crossref-works.jsonl"
STYLES = ("apa", "chicago-author-date", "modern-language-association", "harvard-cite-them-right",
          "elsevier-harvard", "sage-harvard", "american-sociological-association",
          "american-political-science-association")
WIDTHS = (70, 80, 95)


def records(full_names: bool) -> list[dict]:
    """Untrained-on records with a title and authors; `full_names`, only
    those whose first author's given name is written out ("Toni", not "T.")."""
    out = []
    for line in WORKS.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        if hashlib.sha1(record["DOI"].lower().encode()).digest()[0] % 2 == 0:
            continue
        if not (record.get("title") and record.get("author")):
            continue
        given = (record["author"][0].get("given") or "").split()
        if full_names and not (given and len(given[0]) > 3 and not given[0].endswith(".")):
            continue
        out.append(record)
    return out


def wrapped_list(entries: list[str], width: int) -> str:
    """The entries under a heading, each wrapped at `width` with no indent."""
    return "References\n" + "".join(textwrap.fill(entry, width) + "\n" for entry in entries)


def score(printed: list[str], found: list[str]) -> tuple[int, int]:
    """(starts found, false starts): an entry's start is found when an entry
    read begins where it does."""
    flat = [" ".join(text.split()) for text in found]
    starts = {entry[:40] for entry in printed}
    hit = sum(1 for text in flat if text[:40] in starts)
    return hit, len(flat) - hit


def measure(style: str, pool: list[dict], lists: int, size: int, rng: random.Random) -> dict:
    exact = printed_total = hits = false = 0
    for _ in range(lists):
        items = [from_crossref(record).data for record in rng.sample(pool, size)]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            printed = [line for line in render(items, style).splitlines() if line.strip()]
        found = [c.raw for c in read_reference_list(wrapped_list(printed, rng.choice(WIDTHS)), "list.txt").citations]
        hit, wrong = score(printed, found)
        exact += hit == len(printed) and not wrong
        printed_total, hits, false = printed_total + len(printed), hits + hit, false + wrong
    return {"exact": exact, "lists": lists, "entries": printed_total, "starts": hits, "false": false}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lists", type=int, default=30, help="lists per style (default 30)")
    parser.add_argument("--size", type=int, default=12, help="entries per list (default 12)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--styles", default=",".join(STYLES), help="comma-separated CSL style names")
    args = parser.parse_args()
    if not WORKS.exists():
        sys.exit(f"needs {WORKS} (the shared data beside the repository)")
    for full_names in (False, True):
        pool = records(full_names)
        rng = random.Random(args.seed)
        print(f"\nfirst authors {'with given names written out' if full_names else 'as Crossref holds them'}"
              f" ({len(pool):,} records)")
        print(f"{'style':<40} {'lists exact':>12} {'starts found':>14} {'false starts':>13}")
        totals = {"exact": 0, "lists": 0, "entries": 0, "starts": 0, "false": 0}
        for style in args.styles.split(","):
            result = measure(style, pool, args.lists, args.size, rng)
            totals = {key: totals[key] + result[key] for key in totals}
            print(f"{style:<40} {result['exact']:>5}/{result['lists']:<6} "
                  f"{result['starts']:>6}/{result['entries']:<7} {result['false']:>13}")
        print(f"{'all':<40} {totals['exact']:>5}/{totals['lists']:<6} "
              f"{totals['starts']:>6}/{totals['entries']:<7} {totals['false']:>13}")


if __name__ == "__main__":
    main()
