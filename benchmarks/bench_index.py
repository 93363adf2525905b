"""Benchmark of the snapshot index (`refkit index build`, `--source INDEX`):
build records/s, size, DOI lookups/s, searches/s, recall@10, and no false
accept for references whose work is absent; FTS5 against tantivy on the
same queries. Prints figures; it is not a test.

Data: the 8,016 real Crossref records of ../shared/data/crossref-works.jsonl
and the synthetic seed fixtures, laid out as data-file chunks (both layouts:
`N.json.gz` of {"items": [...]} and JSON Lines), minus a held-out set whose
references must find nothing. Then a SYNTHETIC scale-up to --scale records
(default 1,000,000): records generated here from the real ones' words,
names and journals (DOIs 10.99999/synthetic.N), mixed with the real ones.
References are rendered from real records with citeproc-py styles, as
benchmarks/bench_accuracy.py does; recall@10 asks whether the cited record
is among the first 10 search results.

    nice -n 10 python benchmarks/bench_index.py [--scale 1000000] [--queries 1000] [--no-tantivy]
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from benchmarks.bench_accuracy import STYLES, eligible, render  # noqa: E402
from refkit.csl import from_crossref  # noqa: E402
from refkit.model import Citation, Location, Status  # noqa: E402
from refkit.refparse import parse_reference  # noqa: E402
from refkit.resolving.resolver import resolve  # noqa: E402
from refkit.resolving.snapshot.build import build_index  # noqa: E402
from refkit.resolving.snapshot.datafile import files_of, records_of  # noqa: E402
from refkit.resolving.snapshot.slim import reference_words, search_words, slim, words  # noqa: E402
from refkit.resolving.sources.snapshot import SnapshotSource  # noqa: E402
from tests.crossref_stub import SEED_WORKS, SHARED_WORKS  # noqa: E402

CHUNK = 5000  # records per data file, as in Crossref's own files
HELD_OUT = 300


class Clock:
    """Wall time and CPU time (this process and its finished workers) of a step.
    On a shared machine the CPU time says what an idle one would do: a
    one-process step runs at work / cpu; the build, whose processes overlap
    on the cores, no faster than the busiest process or all of them spread
    over the cores allow."""

    def __enter__(self) -> "Clock":
        self.wall, self.cpu = time.perf_counter(), _cpu()
        return self

    def __exit__(self, *exc: object) -> None:
        self.wall = time.perf_counter() - self.wall
        now = _cpu()
        self.own, self.workers = now[0] - self.cpu[0], now[1] - self.cpu[1]

    def idle_seconds(self, cores: int) -> float:
        """The time this step would take alone on `cores` cores."""
        return max(self.own, (self.own + self.workers) / cores)

    def rates(self, count: int, cores: int = 1) -> str:
        return (f"{count / self.wall:,.0f}/s wall, {count / self.idle_seconds(cores):,.0f}/s "
                f"by CPU time (an idle machine)")


def _cpu() -> tuple[float, float]:
    own, workers = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime, workers.ru_utime + workers.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=1_000_000, help="records of the synthetic index (0: skip)")
    parser.add_argument("--queries", type=int, default=1000, help="references searched for recall")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--no-tantivy", action="store_true")
    parser.add_argument("--keep", help="folder to keep the dumps and indexes in (default: a temporary one)")
    parser.add_argument("--spark", type=int, default=20, metavar="FILES",
                        help="also run refkit batch on local[2] over the real dump and this many "
                             "synthetic data files (0: skip)")
    parser.add_argument("--reuse", action="store_true",
                        help="with --keep: measure the indexes already built there, without rebuilding")
    args = parser.parse_args()
    if not SHARED_WORKS.is_file():
        sys.exit(f"{SHARED_WORKS} is absent: this benchmark needs the real records")
    print(f"load average at start: {os.getloadavg()[0]:.2f} ({os.cpu_count()} cores; figures are "
          "inflated when other jobs run)")
    rng = random.Random(args.seed)
    real = [json.loads(line) for line in SHARED_WORKS.read_text(encoding="utf-8").splitlines()]
    seed = [json.loads(line) for line in SEED_WORKS.read_text(encoding="utf-8").splitlines()]
    pool = [r for r in real if eligible(r)]
    held = {r["DOI"] for r in rng.sample(pool, HELD_OUT)}
    indexed = [r for r in real if r["DOI"] not in held] + seed
    cited = rng.sample([r for r in pool if r["DOI"] not in held], min(args.queries, len(pool) - HELD_OUT))
    absent = [r for r in pool if r["DOI"] in held]
    references = [(r["DOI"].lower(), render(from_crossref(r).data, STYLES[n % len(STYLES)]))
                  for n, r in enumerate(cited)]
    missing = [_citation(n, render(from_crossref(r).data, STYLES[n % len(STYLES)]))
               for n, r in enumerate(absent)]
    root = Path(args.keep or tempfile.mkdtemp(prefix="bench-index-"))
    try:
        real_dump = root / "real"
        if not (args.reuse and real_dump.is_dir()):
            write_chunks(real_dump, indexed, layouts=("items", "jsonl"))
        print(f"\n== real + seed: {len(indexed):,} records ({len(real) - HELD_OUT:,} real, "
              f"{len(seed)} synthetic seed fixtures), {HELD_OUT} real records held out ==")
        measure(real_dump, [real_dump], root / "real.idx", references, missing, args, tantivy=False)
        if args.scale > len(indexed):
            synthetic_dump = root / "synthetic"
            started = time.perf_counter()
            made = args.scale - len(indexed)
            if not (args.reuse and synthetic_dump.is_dir()):
                write_chunks(synthetic_dump, synthetic_records(real, made, rng), layouts=("jsonl",))
            print(f"\n== SYNTHETIC scale-up: {len(indexed) + made:,} records ({made:,} synthetic records "
                  f"generated from the real ones in {time.perf_counter() - started:.0f} s, plus the "
                  f"{len(indexed):,} above) ==")
            measure(real_dump, [real_dump, synthetic_dump], root / "scaled.idx", references, missing,
                    args, tantivy=not args.no_tantivy)
        if args.spark:
            spark_throughput(root, real_dump, args.spark, references, missing)
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)
    print(f"\nload average at end: {os.getloadavg()[0]:.2f}")


def measure(real_dump: Path, dumps: list[Path], index: Path, references: list[tuple[str, str]],
            missing: list[Citation], args: argparse.Namespace, tantivy: bool) -> None:
    """Build the index from `dumps`, then time lookups and searches and count recall."""
    if index.exists() and args.reuse:
        print(f"build: reusing {index} (--reuse)")
        records = SnapshotSource(index).records
    else:
        with Clock() as clock:
            result = build_index([str(d) for d in dumps], index, workers=args.workers)
        records = result.added + result.replaced
        print(f"build: {records:,} records in {clock.wall:.1f} s: {clock.rates(records, os.cpu_count() or 2)} "
              f"({args.workers} workers)")
    size = index.stat().st_size
    print(f"index: {size / 1e6:,.1f} MB = {size / records:,.0f} bytes/record = "
          f"{size / records * 1e6 / 1e9:,.2f} GB per million records")
    source = SnapshotSource(index)
    dois = [doi for doi, _ in references]
    lookups = (dois * (20000 // max(len(dois), 1) + 1))[:20000]
    with Clock() as clock:
        for start in range(0, len(lookups), 50):
            source.store.records_by_doi(lookups[start:start + 50])
    as_records = clock.rates(len(lookups))
    with Clock() as clock:
        for start in range(0, len(lookups), 50):
            source.works_by_doi(lookups[start:start + 50])
    print(f"DOI lookups (batches of 50): {as_records} as slim records; {clock.rates(len(lookups))} as Works "
          "(CSL conversion included)")
    hits = 0
    with Clock() as clock:
        for doi, text in references:
            hits += doi in {r["DOI"].lower() for r in source.store.search(reference_words(text), 10)}
    engine = clock.rates(len(references))
    with Clock() as clock:
        for _, text in references:
            source.search(text, rows=5)
    print(f"FTS5 search: {engine} (10 slim records each); recall@10 {hits}/{len(references)} = "
          f"{hits / len(references):.1%}; as the resolver asks (5 Works each): {clock.rates(len(references))}")
    started = time.perf_counter()
    resolutions = resolve(missing, source)
    accepted = [r for r in resolutions if r.status is Status.FOUND_BY_SEARCH]
    print(f"absent works: {len(missing)} references to held-out records resolved in "
          f"{time.perf_counter() - started:.1f} s; false accepts: {len(accepted)}"
          + "".join(f"\n   {r.citation.raw[:90]} -> {r.work.doi}" for r in accepted[:5]))
    if tantivy:
        compare_engines(source, dumps, references)
    source.close()


def spark_throughput(root: Path, real_dump: Path, files: int, references: list[tuple[str, str]],
                     missing: list[Citation]) -> None:
    """`refkit batch` on local[2] over the references (as a JSONL of strings) and a
    dump of the real records plus `files` synthetic data files, against the
    embedded index on the same references."""
    dump = root / "spark-dump"
    shutil.rmtree(dump, ignore_errors=True)
    dump.mkdir()
    for path in real_dump.iterdir():
        shutil.copy(path, dump / path.name)
    synthetic = sorted((root / "synthetic").glob("*.jsonl.gz"), key=lambda p: int(p.name.split(".")[0]))
    for path in synthetic[:files]:
        shutil.copy(path, dump / f"s{path.name}")
    records = sum(len(records_of(part).items) for part in files_of(dump))
    lines = root / "references.jsonl"
    texts = [text for _, text in references] + [c.raw for c in missing]
    lines.write_text("".join(json.dumps({"id": str(n), "reference": t}) + "\n" for n, t in enumerate(texts)),
                     encoding="utf-8")
    out = root / "spark-out"
    with Clock() as clock:
        done = subprocess.run([sys.executable, "-c", "from refkit.cli import main; main()", "batch", str(lines),
                               "--dump", str(dump), "-o", str(out), "--master", "local[2]"],
                              capture_output=True, text=True)
    if done.returncode not in (0, 1):
        print(f"refkit batch failed: {done.stderr.strip().splitlines()[-1:]}")
        return
    print(f"refkit batch, local[2]: {len(texts):,} references against a dump of {records:,} records "
          f"({files} synthetic files) in {clock.wall:.0f} s wall = {len(texts) / clock.wall:,.1f} references/s, "
          f"{records / clock.wall:,.0f} dump records/s; CPU {clock.own + clock.workers:,.0f} s "
          f"(driver, JVM and Python workers)")
    index = root / "spark.idx"
    with Clock() as building:
        build_index([str(dump)], index, workers=2)
    source = SnapshotSource(index)
    citations = [_citation(n, t) for n, t in enumerate(texts)]
    with Clock() as clock:
        resolve(citations, source)
    source.close()
    print(f"embedded index on the same: build {building.rates(records, os.cpu_count() or 2)}, then "
          f"{clock.rates(len(texts))} references resolved")


def compare_engines(source: SnapshotSource, dumps: list[Path], references: list[tuple[str, str]]) -> None:
    """FTS5 with every word of the reference, and tantivy (BM25, block-max WAND) on the same words."""
    sample = references[:10]  # each scores most of the index: slow
    hits = 0
    with Clock() as clock:
        for doi, text in sample:
            expression = " OR ".join(f'"{w}"' for w in words(text))
            ids = [r[0] for r in source.store._db.execute(
                "SELECT rowid FROM search WHERE search MATCH ? ORDER BY rank LIMIT 10", (expression,))]
            found = {d for (d,) in source.store._db.execute(
                f"SELECT doi FROM works WHERE id IN ({','.join('?' * len(ids))})", ids)} if ids else set()
            hits += doi in found
    print(f"FTS5, every word OR-ed (no pruning): {clock.rates(len(sample))}; recall@10 {hits}/{len(sample)} "
          f"= {hits / len(sample):.1%}")
    try:
        import tantivy
    except ImportError:
        print("tantivy: not installed (pip install tantivy) — skipped")
        return
    folder = Path(tempfile.mkdtemp(prefix="tantivy-"))
    try:
        schema = tantivy.SchemaBuilder().add_text_field("words", stored=False) \
            .add_text_field("doi", stored=True, tokenizer_name="raw").build()
        index = tantivy.Index(schema, path=str(folder))
        writer = index.writer(heap_size=256_000_000, num_threads=2)
        count = 0
        with Clock() as building:
            for record in _records(dumps):
                small = slim(record)
                writer.add_document(tantivy.Document(words=" ".join(search_words(small)),
                                                     doi=str(record["DOI"]).lower()))
                count += 1
            writer.commit()
            writer.wait_merging_threads()
        size = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())
        index.reload()
        searcher = index.searcher()
        hits = 0
        with Clock() as clock:
            for doi, text in references:
                query = index.parse_query(" OR ".join(f'"{w}"' for w in words(text)), ["words"])
                found = {searcher.doc(address)["doi"][0] for _, address in searcher.search(query, 10).hits}
                hits += doi in found
        print(f"tantivy: build {count / building.wall:,.0f} records/s wall ({building.own:,.0f} CPU s, "
              f"JSON parse and slimming included), search index {size / 1e6:,.1f} MB (records not "
              f"stored); search {clock.rates(len(references))} (DOIs only); recall@10 "
              f"{hits}/{len(references)} = {hits / len(references):.1%}")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _records(dumps: list[Path]):
    for dump in dumps:
        for part in files_of(dump):
            yield from records_of(part).items


def _citation(n: int, raw: str) -> Citation:
    fields = parse_reference(raw)
    authors = fields.pop("authors", [])
    fields = {k: v for k, v in fields.items() if k in Citation.__dataclass_fields__}
    return Citation(raw=raw, source=Location("bench", line=n, label=str(n)), authors=authors, **fields)


def write_chunks(folder: Path, records, layouts: tuple[str, ...]) -> int:
    """Lay records out as Crossref data files of CHUNK records, alternating `layouts`."""
    folder.mkdir(parents=True, exist_ok=True)
    chunk: list[dict] = []
    written = 0
    number = 0

    def flush() -> None:
        nonlocal number
        layout = layouts[number % len(layouts)]
        if layout == "items":
            with gzip.open(folder / f"{number}.json.gz", "wt", encoding="utf-8", compresslevel=1) as out:
                json.dump({"items": chunk}, out, ensure_ascii=False)
        else:
            with gzip.open(folder / f"{number}.jsonl.gz", "wt", encoding="utf-8", compresslevel=1) as out:
                out.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in chunk)
        number += 1

    for record in records:
        chunk.append({k: v for k, v in record.items() if not k.startswith("_")})
        written += 1
        if len(chunk) == CHUNK:
            flush()
            chunk = []
    if chunk:
        flush()
    return written


def synthetic_records(real: list[dict], count: int, rng: random.Random):
    """SYNTHETIC work records shaped like Crossref's: titles drawn from the real
    titles' words (with their frequencies, plus invented words so the vocabulary
    grows as a real one does), real surnames and journals, random locators."""
    title_words = [w for r in real for t in r.get("title") or [] for w in t.split()]
    surnames = [a["family"] for r in real for a in r.get("author") or [] if a.get("family")]
    givens = [a["given"] for r in real for a in r.get("author") or [] if a.get("given")]
    journals = [r["container-title"] for r in real if r.get("container-title")]
    syllables = "ba ce di fo gu ka le mi no pu ra se ti vo zu tra ple cri mon dex".split()
    for n in range(count):
        size = rng.randint(4, 16)
        title = " ".join(
            "".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))) if rng.random() < 0.08
            else rng.choice(title_words) for _ in range(size))
        year = rng.randint(1950, 2025)
        first = rng.randint(1, 3000)
        yield {
            "DOI": f"10.99999/synthetic.{n}", "type": "journal-article", "_fixture": "synthetic",
            "title": [title], "container-title": rng.choice(journals),
            "author": [{"given": rng.choice(givens), "family": rng.choice(surnames)}
                       for _ in range(rng.randint(1, 6))],
            "issued": {"date-parts": [[year]]}, "volume": str(rng.randint(1, 300)),
            "issue": str(rng.randint(1, 12)), "page": f"{first}-{first + rng.randint(1, 30)}",
            "indexed": {"date-time": "2024-01-01T00:00:00Z"},
        }


if __name__ == "__main__":
    main()
