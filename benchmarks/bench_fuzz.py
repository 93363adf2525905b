"""Fuzzing benchmark: thousands of mutated and generated inputs through
`refkit extract` and `refkit export`, each case in a forked child with a
CPU-time and memory cap (benchmarks/fuzz/harness.py). Prints the cases by
reader, writer and origin, internal errors, cases over the CPU cap, peak
memory, and the re-parse of every export by independent parsers (each
under its own CPU budget, apart from refkit's cap, its time printed
separately). Targets: 0 internal errors, 0 cases over 10 CPU-s, 0 over 1 GiB, 0 re-parse failures.

Seeds are read at run time from examples/, tests/fixtures/ and, when
present, ../shared/data (never copied); without ../shared the run uses
fewer seeds. Cases are reproducible: case N of seed S is always the same.

    nice -n 10 python3 benchmarks/bench_fuzz.py [--cases 10000] [--jobs 2] [--seed 1]
    python3 benchmarks/bench_fuzz.py --case 1234 --keep /tmp/case   # replay a case (repeatable)

Exit status 0 when every target is met, 1 otherwise (the failing cases'
inputs, outputs and messages are kept for replay).
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import random
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from benchmarks.fuzz.grammars import GENERATORS  # noqa: E402
from benchmarks.fuzz.harness import UNFINISHED, Case, Caps, Outcome, Running, as_dict, remove, warm_up  # noqa: E402
from benchmarks.fuzz.mutate import MAX_BYTES, mutate  # noqa: E402
from benchmarks.fuzz.seeds import SHARED, Seed, load_seeds  # noqa: E402
from refkit.readers import FORMATS  # noqa: E402

CSL_SCHEMA = SHARED / "csl" / "csl-data.json"
GENERATED_SHARE = 0.35  # the rest are mutations of seeds
FORCED_SHARE = 0.15  # cases read with --from a random reader instead of the sniffed one
LARGE_SEED = 300_000  # bytes: seeds this large (real PDFs) are picked less often
LARGE_WEIGHT = 0.15
WRITERS = ("bibtex", "ris", "csljson")


def plan(number: int, run_seed: int, seeds: list[Seed]) -> Case:
    """Case `number` of run `run_seed`: always the same input and commands."""
    rng = random.Random(f"{run_seed}:{number}")
    if rng.random() < GENERATED_SHARE:
        grammar = rng.choice(sorted(GENERATORS))
        data, suffix = GENERATORS[grammar](rng)
        data = data[:MAX_BYTES]
        origin, steps = f"grammar {grammar}", []
        if rng.random() < 0.2:
            data, steps = mutate(data, rng, rng.choice(seeds).data)
    else:
        weights = [LARGE_WEIGHT if len(s.data) > LARGE_SEED else 1.0 for s in seeds]
        seed = rng.choices(seeds, weights)[0]
        data, steps = mutate(seed.data, rng, rng.choice(seeds).data)
        origin, suffix = f"seed {seed.name}", seed.suffix
    forced = rng.choice(FORMATS) if rng.random() < FORCED_SHARE else None
    return Case(number, origin, steps, data, suffix, forced, WRITERS[number % len(WRITERS)],
                ("table", "json")[number // len(WRITERS) % 2])


def run(cases: Iterator[Case], jobs: int, caps: Caps, work: Path, keep: Path | None,
        schema: dict | None, progress_every: int = 500) -> list[Outcome]:
    """Run every case, `jobs` children at a time; failing cases' folders are
    kept under `keep` (input, outputs, stderr) for replay."""
    running: dict[int, Running] = {}
    outcomes: list[Outcome] = []
    pending = iter(cases)
    exhausted = False
    while running or not exhausted:
        while not exhausted and len(running) < jobs:
            case = next(pending, None)
            if case is None:
                exhausted = True
                break
            child = Running(case, work / f"case-{case.number:06d}", caps, schema)
            running[child.pid] = child
        done = _reap(running, caps, keep)
        outcomes += done
        if progress_every and done and len(outcomes) // progress_every > (len(outcomes) - len(done)) // progress_every:
            print(f"  … {len(outcomes)} cases", file=sys.stderr, flush=True)
    return sorted(outcomes, key=lambda o: o.number)


def _reap(running: dict[int, Running], caps: Caps, keep: Path | None) -> list[Outcome]:
    """Outcomes of the children that have ended (killing any past the wall-clock cap)."""
    done = []
    for pid, child in list(running.items()):
        killed = None
        if time.monotonic() - child.started > caps.wall_seconds:
            os.kill(pid, 9)
            killed = "wall"
        ended, status, usage = os.wait4(pid, 0 if killed else os.WNOHANG)
        if ended == 0:
            continue
        outcome = child.finish(status, usage, caps, killed)
        del running[pid]
        if keep is not None and _failed(outcome, caps):
            target = keep / child.folder.name
            remove(target)
            child.folder.rename(target)
            (target / "outcome.json").write_text(json.dumps(as_dict(outcome), indent=1), encoding="utf-8")
        remove(child.folder)
        done.append(outcome)
    if not done:
        time.sleep(0.005)
    return done


def _over_time(outcome: Outcome, caps: Caps) -> bool:
    return bool(outcome.over_cap) or outcome.killed in ("cpu", "wall") or outcome.max_cpu > caps.cpu_seconds


def _failed(outcome: Outcome, caps: Caps) -> bool:
    return bool(outcome.internal or outcome.killed or _over_time(outcome, caps)
                or outcome.not_one_line or outcome.escapes
                or any(v != "ok" for v in outcome.reparse.values()))


def summary(outcomes: list[Outcome], caps: Caps, seeds: list[Seed], schema: dict | None) -> str:
    """The figures, as printed."""
    lines = [f"cases: {len(outcomes)} ({sum(o.origin.startswith('seed') for o in outcomes)} mutated from "
             f"{len(seeds)} seeds, {sum(o.origin.startswith('grammar') for o in outcomes)} generated; "
             f"{sum(o.forced is not None for o in outcomes)} read with --from)"]
    lines.append("by reader:  " + _counts(o.reader for o in outcomes))
    lines.append("by writer:  " + _counts(o.writer for o in outcomes))
    lines.append("by origin:  " + _counts(o.origin.split(" ")[0] + " " + o.origin.split(" ")[1].split("/")[0]
                                          for o in outcomes if o.origin.startswith("grammar")))
    lines.append("mutations:  " + _counts(step for o in outcomes for step in o.steps))
    lines.append("exits:      extract " + _counts(str(o.exits.get("extract")) for o in outcomes)
                 + "; export " + _counts(str(o.exits.get("export")) for o in outcomes))
    internal = [o for o in outcomes if o.internal or (o.killed or "").startswith("signal")]
    lines.append(f"internal errors: {len(internal)}")
    for message, count in Counter(m for o in internal for m in o.internal or [o.killed]).most_common(15):
        example = next(o.number for o in internal if message in (o.internal or [o.killed]))
        lines.append(f"  {count:5d} × {message}  (e.g. case {example})")
    slow = [o for o in outcomes if _over_time(o, caps)]
    finished = [o for o in outcomes if not _over_time(o, caps)]
    lines.append(f"over {caps.cpu_seconds:g} CPU-s in a command: {len(slow)}"
                 + (f" (cases {', '.join(str(o.number) for o in slow[:12])})" if slow else ""))
    if finished:
        slowest = max(finished, key=lambda o: o.max_cpu)
        lines.append(f"  slowest within the cap: {slowest.max_cpu:.2f} CPU-s (case {slowest.number}, "
                     f"{slowest.origin}); median {sorted(o.max_cpu for o in finished)[len(finished) // 2]:.2f}")
    biggest = max(outcomes, key=lambda o: o.rss_mb, default=None)
    heavy = [o for o in outcomes if o.rss_mb > caps.memory_mb or o.killed == "memory"]
    lines.append(f"peak RSS: {biggest.rss_mb:.0f} MB (case {biggest.number}, {biggest.origin})"
                 f"; over {caps.memory_mb} MB: {len(heavy)}" if biggest else "peak RSS: -")
    lines.append(f"messages not one line: {sum(bool(o.not_one_line) for o in outcomes)}; "
                 f"terminal escapes in output: {sum(bool(o.escapes) for o in outcomes)}")
    lines.append("re-parse of exports (failed/checked): " + "; ".join(
        f"{parser} {sum(o.reparse.get(parser, 'ok') != 'ok' for o in outcomes)}/"
        f"{sum(parser in o.reparse for o in outcomes)}"
        for parser in ("pybtex", "bibtexparser", "tex-safe", "rispy", "json", "jsonschema", "extract-json")))
    lines.append(_reparse_time(outcomes, caps))
    lines.append(f"  TeX code (^^5c, \\input, braces) in exported doi/url/eprint values, encoded: "
                 f"{sum(o.tex_payloads for o in outcomes)} values in "
                 f"{sum(o.tex_payloads > 0 for o in outcomes)} exports")
    if schema is None:
        lines.append("  (no CSL-JSON schema: ../shared/data/csl is absent, CSL-JSON checked as JSON only)")
    for parser, message in Counter((p, v) for o in outcomes for p, v in o.reparse.items() if v != "ok").most_common(8):
        lines.append(f"  {message:5d} × {parser[0]}: {parser[1]}")
    return "\n".join(lines)


def _reparse_time(outcomes: list[Outcome], caps: Caps) -> str:
    """The checkers' own CPU time, apart from refkit's (each re-parse has its own budget)."""
    times = [(seconds, o.number, parser) for o in outcomes for parser, seconds in o.reparse_cpu.items()]
    if not times:
        return "  re-parse CPU: -"
    seconds, number, parser = max(times)
    unfinished = sum(v.startswith(UNFINISHED) for o in outcomes for v in o.reparse.values())
    return (f"  re-parse CPU (the checkers' own, not counted in refkit's): {sum(t[0] for t in times):.0f} s in all, "
            f"slowest {seconds:.1f} s ({parser}, case {number}); not finished within "
            f"{caps.reparse_cpu_seconds:g} CPU-s: {unfinished}")


def _counts(values) -> str:
    return ", ".join(f"{name} {count}" for name, count in sorted(Counter(values).items()))


def load_schema() -> dict | None:
    return json.loads(CSL_SCHEMA.read_text(encoding="utf-8")) if CSL_SCHEMA.is_file() else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--first", type=int, default=0, help="number of the first case")
    parser.add_argument("--case", type=int, action="append", help="run only this case (replay; repeatable)")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--cpu", type=float, default=Caps.cpu_seconds, help="CPU-s cap per command")
    parser.add_argument("--reparse-cpu", type=float, default=Caps.reparse_cpu_seconds,
                        help="CPU-s budget of each independent parser's re-parse of an export (the checker's own)")
    parser.add_argument("--memory-mb", type=int, default=Caps.memory_mb)
    parser.add_argument("--no-shared", action="store_true", help="use only the repository's seeds")
    parser.add_argument("--max-bytes", type=int, help="skip cases whose input is larger (a quick run)")
    parser.add_argument("--keep", type=Path, help="folder for failing cases (default: a temporary folder)")
    args = parser.parse_args()
    if os.nice(0) < 10:
        os.nice(10 - os.nice(0))  # the machine is shared
    caps = Caps(cpu_seconds=args.cpu, reparse_cpu_seconds=args.reparse_cpu, memory_mb=args.memory_mb)
    seeds = load_seeds(None if args.no_shared else SHARED)
    schema = load_schema()
    keep = args.keep or Path(tempfile.mkdtemp(prefix="refkit-fuzz-failures-"))
    keep.mkdir(parents=True, exist_ok=True)
    numbers = args.case or itertools.count(args.first)
    cases = (plan(n, args.seed, seeds) for n in numbers)
    if args.max_bytes:
        cases = (case for case in cases if len(case.data) <= args.max_bytes)
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="refkit-fuzz-") as work:
        warm_up(seeds, Path(work) / "warm-up")
        outcomes = run(itertools.islice(cases, len(args.case) if args.case else args.cases), args.jobs, caps,
                       Path(work), keep, schema)
    print(summary(outcomes, caps, seeds, schema))
    load = os.getloadavg()[0]
    print(f"wall time {time.monotonic() - started:.0f} s with {args.jobs} jobs at nice {os.nice(0)}; "
          f"load average {load:.1f} on {os.cpu_count()} CPUs (others' work inflates CPU-s when high)")
    kept = sorted(p.name for p in keep.iterdir())
    print(f"failing cases kept in {keep}: {len(kept)}" + (f" ({', '.join(kept[:10])})" if kept else ""))
    sys.exit(1 if kept else 0)


if __name__ == "__main__":
    main()
