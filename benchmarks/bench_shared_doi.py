"""Nothing lost, nothing merged away: one reference list of real Crossref
records in which several entries print the same (wrong) DOI, letters and
replies share titles, and some DOIs carry typos. Prints how many entries
reach the report and each export, and how RK110 (doi-shared) judged the
entries that share a DOI: right owner, right fix, false alarms. Not a test
(tests/test_shared_doi.py runs it on the same data with assertions).

Data: real records from ../shared/data/crossref-works.jsonl rendered with
citeproc-py (as benchmarks/bench_accuracy.py does), written as a numbered
list, read and resolved through refkit's pipeline against the local Crossref
stub (tests/crossref_stub.py) serving all of the file's records.

    python benchmarks/bench_shared_doi.py [--records 400] [--seed 3]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import rispy
from pybtex.database import parse_string

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from benchmarks.bench_accuracy import STYLES, eligible, mutate_doi, render  # noqa: E402
from refkit.csl import from_crossref  # noqa: E402
from refkit.pipeline import exportable, read_and_resolve  # noqa: E402
from refkit.settings import Settings  # noqa: E402
from refkit.writers import write  # noqa: E402
from tests.crossref_stub import SHARED_WORKS, CrossrefStub, load_index  # noqa: E402

SHARED_GROUPS = 8  # groups of three entries printing the first one's DOI
LETTER_PAIRS = 6  # pairs of entries printing the same title


@dataclass
class Plan:
    """What the list prints: per entry (1-based) its record and printed DOI;
    which entries share whose DOI, and which pairs share a title."""

    records: list[dict]
    printed: list[str]
    owner_of: dict[int, int] = field(default_factory=dict)  # victim -> owner entry
    letters: list[tuple[int, int]] = field(default_factory=list)


def plan(records: int, seed: int) -> Plan:
    """A list of `records` real records with shared DOIs, shared titles and typos."""
    rng = random.Random(seed)
    pool = [r for r in map(json.loads, SHARED_WORKS.read_text(encoding="utf-8").splitlines()) if eligible(r)]
    sample = rng.sample(pool, records)
    made = Plan(sample, [r["DOI"] for r in sample])
    entries = list(range(1, records + 1))
    rng.shuffle(entries)
    for group in range(SHARED_GROUPS):
        owner, *victims = entries[group * 3:group * 3 + 3]
        for victim in victims:
            made.owner_of[victim] = owner
            made.printed[victim - 1] = made.printed[owner - 1]
    rest = entries[SHARED_GROUPS * 3:]
    made.letters = [(rest[2 * k], rest[2 * k + 1]) for k in range(LETTER_PAIRS)]
    for number in rest[2 * LETTER_PAIRS::7]:  # a typo in every seventh other entry
        made.printed[number - 1] = mutate_doi("typo", made.printed[number - 1], "", rng) or made.printed[number - 1]
    return made


def write_list(made: Plan, folder: Path) -> Path:
    """The numbered reference list, as a paper's text prints it."""
    titles = {second: first for first, second in made.letters}
    lines = ["References", ""]
    for number, (record, printed) in enumerate(zip(made.records, made.printed), start=1):
        item = dict(from_crossref(record).data)
        if number in titles:  # a reply printed with the title of the letter it answers
            item["title"] = made.records[titles[number] - 1]["title"][0]
        lines.append(f"{number}. {render(item, STYLES[number % len(STYLES)])} doi: {printed}")
    path = folder / "references.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def measure(records: int = 400, seed: int = 3) -> dict:
    """Build the list, resolve it against the stub, and count what came out."""
    made = plan(records, seed)
    stub = CrossrefStub(load_index()).start()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            path = write_list(made, Path(tmp))
            settings = Settings.load(crossref_url=stub.url, mailto="bench@example.org",
                                     cache_dir=str(Path(tmp) / "cache"))
            started = time.perf_counter()
            run = read_and_resolve([path], None, settings, progress=False)
            elapsed = time.perf_counter() - started
    finally:
        stub.stop()
    by_entry = {int(r.citation.label): r for r in run.resolutions if r.citation.label.isdigit()}
    exported = exportable(run.resolutions)
    shared = {n: [f for f in r.findings if f.code.code == "RK110"] for n, r in by_entry.items()}
    victims = made.owner_of
    return {
        "entries": records,
        "in_report": len(by_entry),
        "in_bibtex": len(parse_string(write("bibtex", exported), "bibtex").entries),
        "in_ris": len(rispy.loads(write("ris", exported))),
        "in_csljson": len({item["id"] for item in json.loads(write("csljson", exported))}),
        "letters_kept_apart": sum(1 for a, b in made.letters if a in by_entry and b in by_entry),
        "sharing_entries": len(victims),
        "rk110_on_victims": sum(1 for v in victims if shared.get(v)),
        "right_owner": sum(1 for v, o in victims.items() if shared.get(v)
                           and (shared[v][0].evidence.get("owner") or {}).get("label") == str(o)),
        "right_fix": sum(1 for v in victims if shared.get(v) and shared[v][0].fix
                         and shared[v][0].fix.lower() == made.records[v - 1]["DOI"].lower()),
        "wrong_fix": sum(1 for v in victims if shared.get(v) and shared[v][0].fix
                         and shared[v][0].fix.lower() != made.records[v - 1]["DOI"].lower()),
        "rk110_false_alarms": sum(1 for n, found in shared.items() if found and n not in victims),
        "seconds": round(elapsed, 1),
        "requests": run.crossref_stats.get("requests"),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=400)
    parser.add_argument("--seed", type=int, default=3)
    args = parser.parse_args()
    if not SHARED_WORKS.is_file():
        sys.exit(f"{SHARED_WORKS} is absent: this benchmark needs the real records")
    for name, value in measure(args.records, args.seed).items():
        print(f"{name:>20}: {value}")


if __name__ == "__main__":
    main()
