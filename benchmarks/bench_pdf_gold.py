"""Score refkit's PDF reader against ../shared/data/pdf-gold: 20 real article
PDFs, each with the publisher's JATS as the gold reference list.

Each extracted reference is matched to at most one gold <ref> (one-to-one,
greedily by word-overlap F1 of the reference text, at least MATCH_MIN), and
then scored per field as GROBID's end-to-end benchmark does with "soft"
matching (case, accents, punctuation and spaces ignored): precision over the
extracted references that give the field, recall over the gold references
that have it, F1. "refs found" is the F1 of the matching itself.

    python benchmarks/bench_pdf_gold.py [--details PMC4889806] [--misses]

Prints one row per PDF and the overall row (micro-averaged over every
reference), the issue 10 table row for refkit on real PDFs.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from refkit.model import Citation, CitationKind  # noqa: E402
from refkit.pages import page_range  # noqa: E402
from refkit.readers import read  # noqa: E402

GOLD = REPO.parent / "shared" / "data" / "pdf-gold"
FIELDS = ("first_author", "title", "year", "journal", "volume", "first_page")
MATCH_MIN = 0.6  # word-overlap F1 at which an extracted string is taken for a gold reference
GROBID = {"refs": 94.5, "first_author": 86.0, "title": 88.7, "year": 88.9, "journal": 84.0,
          "volume": 92.6, "first_page": 88.6}
TARGETS = {"refs": 95, "first_author": 92, "title": 90, "year": 95, "journal": 88, "volume": 93, "first_page": 92}


@dataclass
class Reference:
    """One reference's scored fields (soft-normalised) and its words for matching."""

    text: str
    fields: dict[str, str]
    words: Counter = field(default_factory=Counter)


def soft(text: object) -> str:
    """Case, accents, punctuation and spaces ignored, as GROBID's soft matching."""
    folded = unicodedata.normalize("NFKD", str(text or "")).casefold()
    return "".join(ch for ch in folded if ch.isalnum())


def words(text: str) -> Counter:
    folded = unicodedata.normalize("NFKD", text).casefold()
    return Counter(w for w in re.findall(r"[^\W_]+", folded) if len(w) > 1 or w.isdigit())


# --- gold ---------------------------------------------------------------------------------------

def gold_references(xml_path: Path) -> list[Reference]:
    """The <ref>s of the article's main <ref-list> (not a nested pseudo-list)."""
    data = re.sub(rb"<!DOCTYPE[^>]*>", b"", xml_path.read_bytes(), count=1)
    root = etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))
    refs = [ref for ref in root.iter("ref") if ref.getparent().getparent().tag != "ref-list"]
    return [_gold_reference(ref) for ref in refs]


def _gold_reference(ref: etree._Element) -> Reference:
    citation = next((c for c in ref if c.tag in ("element-citation", "mixed-citation", "citation")), ref)

    def text(tag: str) -> str:
        node = citation.find(f".//{tag}")
        return " ".join("".join(node.itertext()).split()) if node is not None else ""

    first = citation.find(".//person-group/name/surname")
    if first is None:
        first = citation.find(".//name/surname")
    collab = citation.find(".//collab")
    author = "".join(first.itertext()) if first is not None else ("".join(collab.itertext()) if collab is not None else "")
    title, source = text("article-title") or text("chapter-title"), text("source")
    if not title:
        title, source = source, ""
    year = re.search(r"\d{4}", text("year"))
    fields = {"first_author": soft(author), "title": soft(title), "year": year.group() if year else "",
              "journal": soft(source), "volume": soft(text("volume")), "first_page": soft(text("fpage"))}
    whole = " ".join(" ".join(citation.itertext()).split())
    return Reference(whole, fields, words(whole))


# --- extracted ------------------------------------------------------------------------------------

def extracted_references(citations: list[Citation]) -> list[Reference]:
    return [_extracted(c) for c in citations if c.kind is CitationKind.REFERENCE]


def _extracted(citation: Citation) -> Reference:
    first = citation.authors[0] if citation.authors else None
    author = (first.family or first.literal) if first else ""
    pages = page_range(citation.pages)
    fields = {"first_author": soft(author), "title": soft(citation.title), "year": str(citation.year or ""),
              "journal": soft(citation.container), "volume": soft(citation.volume),
              "first_page": soft(pages[0] if pages else "")}
    return Reference(citation.raw, fields, words(citation.raw))


# --- matching and scoring -------------------------------------------------------------------------

def overlap(a: Counter, b: Counter) -> float:
    """F1 of the two word bags."""
    common = sum((a & b).values())
    if not common:
        return 0.0
    precision, recall = common / sum(a.values()), common / sum(b.values())
    return 2 * precision * recall / (precision + recall)


def match(extracted: list[Reference], gold: list[Reference]) -> list[tuple[int, int]]:
    """One-to-one pairs (extracted index, gold index), best overlaps first."""
    scored = sorted(((overlap(e.words, g.words), i, j) for i, e in enumerate(extracted)
                     for j, g in enumerate(gold)), reverse=True)
    used_e, used_g, pairs = set(), set(), []
    for score, i, j in scored:
        if score < MATCH_MIN:
            break
        if i not in used_e and j not in used_g:
            used_e.add(i), used_g.add(j), pairs.append((i, j))
    return pairs


@dataclass
class Tally:
    """Counts for precision/recall per field ("refs" for the matching itself)."""

    correct: Counter = field(default_factory=Counter)
    given: Counter = field(default_factory=Counter)  # fields the reader gave
    expected: Counter = field(default_factory=Counter)  # fields the gold has

    def add(self, extracted: list[Reference], gold: list[Reference], pairs: list[tuple[int, int]]) -> None:
        self.correct["refs"] += len(pairs)
        self.given["refs"] += len(extracted)
        self.expected["refs"] += len(gold)
        for name in FIELDS:
            self.given[name] += sum(1 for e in extracted if e.fields[name])
            self.expected[name] += sum(1 for g in gold if g.fields[name])
            self.correct[name] += sum(1 for i, j in pairs
                                      if gold[j].fields[name] and extracted[i].fields[name] == gold[j].fields[name])

    def __iadd__(self, other: "Tally") -> "Tally":
        self.correct += other.correct
        self.given += other.given
        self.expected += other.expected
        return self

    def f1(self, name: str) -> float:
        if not self.expected[name]:
            return float("nan")
        p = self.correct[name] / self.given[name] if self.given[name] else 0.0
        r = self.correct[name] / self.expected[name]
        return 100 * 2 * p * r / (p + r) if p + r else 0.0


COLUMNS = ("refs", *FIELDS)
HEAD = f"{'':<14}{'gold':>5}{'got':>5}" + "".join(f"{c:>12}" for c in
                                               ("refs F1", "1st author", "title", "year", "journal", "volume", "1st page"))


def row(label: str, tally: Tally) -> str:
    cells = "".join(f"{tally.f1(c):12.1f}" for c in COLUMNS)
    return f"{label:<14}{tally.expected['refs']:>5}{tally.given['refs']:>5}{cells}"


def score_pdf(folder: Path) -> tuple[Tally, list[Reference], list[Reference], list[tuple[int, int]], float]:
    gold = gold_references(folder / "gold.jats.xml")
    start = time.perf_counter()
    extracted = extracted_references(read(folder / "article.pdf", "pdf").citations)
    seconds = time.perf_counter() - start
    pairs = match(extracted, gold)
    tally = Tally()
    tally.add(extracted, gold, pairs)
    return tally, extracted, gold, pairs, seconds


def show_details(extracted: list[Reference], gold: list[Reference], pairs: list[tuple[int, int]],
                 misses_only: bool) -> None:
    paired = dict(pairs)
    for i, e in enumerate(extracted):
        if i in paired:
            g = gold[paired[i]]
            wrong = [n for n in FIELDS if g.fields[n] and e.fields[n] != g.fields[n]]
            if wrong or not misses_only:
                print(f"  ok   {e.text[:150]}")
                for n in wrong:
                    print(f"         {n}: got {e.fields[n]!r} want {g.fields[n]!r}")
        else:
            print(f"  XTRA {e.text[:200]}")
    for j in sorted(set(range(len(gold))) - {j for _, j in pairs}):
        print(f"  MISS {gold[j].text[:200]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--details", nargs="*", help="PMC ids to print reference by reference")
    parser.add_argument("--misses", action="store_true", help="with --details: only wrong fields and misses")
    args = parser.parse_args()
    if not GOLD.is_dir():
        sys.exit(f"{GOLD} is absent: nothing to score")
    total, seconds = Tally(), 0.0
    print(HEAD)
    for folder in sorted(p for p in GOLD.iterdir() if p.is_dir()):
        tally, extracted, gold, pairs, took = score_pdf(folder)
        total += tally
        seconds += took
        print(row(folder.name, tally) + f"{took:8.1f}s")
        if args.details is not None and (not args.details or folder.name in args.details):
            show_details(extracted, gold, pairs, args.misses)
    print(row("all (micro)", total) + f"{seconds:8.1f}s")
    print(f"{'GROBID 0.8.2':<24}" + "".join(f"{GROBID[c]:12.1f}" for c in COLUMNS) + "  (1,943 PMC PDFs)")
    print(f"{'targets':<24}" + "".join(f"{TARGETS[c]:12.1f}" for c in COLUMNS))
    print("\n| | refs found F1 | first author | title | year | journal | volume | first page |")
    print("|---|---|---|---|---|---|---|---|")
    print("| refkit, pdf-gold (20 PDFs) | " + " | ".join(f"{total.f1(c):.1f}" for c in COLUMNS) + " |")


if __name__ == "__main__":
    main()
