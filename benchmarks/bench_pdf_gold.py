"""Score refkit's PDF reader against ../shared/data/pdf-gold: 20 real article
PDFs, each with the publisher's JATS as the gold reference list.

Each extracted reference is matched to at most one gold <ref> (one-to-one,
greedily by word-overlap F1 of the reference text, at least MATCH_MIN), and
then scored per field as GROBID's end-to-end benchmark does with "soft"
matching (case, accents, punctuation and spaces ignored): precision over the
extracted references that give the field, recall over the gold references
that have it, F1. "refs found" is the F1 of the matching itself.

    python benchmarks/bench_pdf_gold.py [--details PMC4889806] [--misses]
    python benchmarks/bench_pdf_gold.py --compare

Prints one row per PDF and the overall row (micro-averaged over every
reference), the issue 10 table row for refkit on real PDFs. --compare scores
the PDF libraries refkit could build on (needs pdfminer.six and pdfplumber
installed): each one's characters laid out by refkit's own reading order,
and each one's own text order ("native"), all read by the same list reader.
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
from refkit.readers import pdf as pdf_reader  # noqa: E402
from refkit.readers.pdf import PageLine, PdfText, lay_out, read_laid_out  # noqa: E402
from refkit.readers.pdflayout import Glyph  # noqa: E402

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


# --- PDF libraries -------------------------------------------------------------------------------

def pdfium_lines(path: Path) -> PdfText:
    """refkit's reader: PDFium's characters in refkit's reading order."""
    return pdf_reader.extract_lines(str(path), path.read_bytes())


def pdfminer_lines(path: Path) -> PdfText:
    """pdfminer.six's characters (no layout analysis) in refkit's reading order."""
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LTChar, LTContainer

    def glyphs(container) -> list[Glyph]:
        out = []
        for item in container:
            if isinstance(item, LTChar):
                if item.upright:
                    out.append(Glyph(item.get_text(), item.x0, item.y0, item.x1, item.y1))
            elif isinstance(item, LTContainer):
                out.extend(glyphs(item))
        return out

    return lay_out(str(path), ((glyphs(page), page.height) for page in extract_pages(str(path), laparams=None)))


def pdfplumber_lines(path: Path) -> PdfText:
    """pdfplumber's characters in refkit's reading order."""
    import pdfplumber

    with pdfplumber.open(str(path)) as pdf:
        pages = [([Glyph(c["text"], c["x0"], c["y0"], c["x1"], c["y1"]) for c in page.chars if c.get("upright", True)],
                  float(page.height)) for page in pdf.pages]
    return lay_out(str(path), pages)


def pdfminer_native(path: Path) -> PdfText:
    """pdfminer.six's own layout analysis and box order (refkit's reader before PDFium)."""
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LAParams, LTTextBoxHorizontal, LTTextLine

    layout = LAParams(all_texts=True, char_margin=6.0, detect_vertical=True)
    lines = []
    for number, page in enumerate(extract_pages(str(path), laparams=layout), start=1):
        for box in page:
            if isinstance(box, LTTextBoxHorizontal):
                lines += [PageLine(item.get_text().strip(), number, False) for item in box if isinstance(item, LTTextLine)]
    return PdfText(lines)


def pdfplumber_native(path: Path) -> PdfText:
    """pdfplumber's extract_text(): lines by position across the page."""
    import pdfplumber

    with pdfplumber.open(str(path)) as pdf:
        return PdfText([PageLine(text, number, False) for number, page in enumerate(pdf.pages, start=1)
                        for text in (page.extract_text() or "").split("\n")])


def pdfium_native(path: Path) -> PdfText:
    """PDFium's own text order (FPDFText_GetText)."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(path))
    lines = [PageLine(text, number, False) for number, page in enumerate(document, start=1)
             for text in page.get_textpage().get_text_range().splitlines()]
    return PdfText(lines)


ENGINES = {"pdfium": pdfium_lines, "pdfminer": pdfminer_lines, "pdfplumber": pdfplumber_lines,
           "pdfium-native": pdfium_native, "pdfminer-native": pdfminer_native, "pdfplumber-native": pdfplumber_native}


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


def row(label: str, tally: Tally, width: int = 14) -> str:
    cells = "".join(f"{tally.f1(c):12.1f}" for c in COLUMNS)
    return f"{label:<{width}}{tally.expected['refs']:>5}{tally.given['refs']:>5}{cells}"


@dataclass
class Scored:
    """One PDF read and scored: the tally, what was matched, time, list warnings (RK404)."""

    tally: Tally
    extracted: list[Reference]
    gold: list[Reference]
    pairs: list[tuple[int, int]]
    seconds: float
    warnings: int


def score_pdf(folder: Path, engine: str = "pdfium") -> Scored:
    gold = gold_references(folder / "gold.jats.xml")
    path = folder / "article.pdf"
    start = time.perf_counter()
    document = read_laid_out(str(path), ENGINES[engine](path))
    seconds = time.perf_counter() - start
    extracted = extracted_references(document.citations)
    pairs = match(extracted, gold)
    tally = Tally()
    tally.add(extracted, gold, pairs)
    warnings = sum(1 for f in document.findings if f.code.code == "RK404")
    return Scored(tally, extracted, gold, pairs, seconds, warnings)


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


def folders() -> list[Path]:
    return sorted(p for p in GOLD.iterdir() if p.is_dir())


def score_engine(engine: str, details: list[str] | None = None, misses: bool = False,
                 quiet: bool = False) -> tuple[Tally, float, int]:
    """Score one engine over every PDF; print a row per PDF unless `quiet`."""
    total, seconds, warned = Tally(), 0.0, 0
    for folder in folders():
        scored = score_pdf(folder, engine)
        total += scored.tally
        seconds += scored.seconds
        warned += scored.warnings > 0
        if not quiet:
            flag = f"  RK404 x{scored.warnings}" if scored.warnings else ""
            print(row(folder.name, scored.tally) + f"{scored.seconds:8.1f}s{flag}")
        if details is not None and (not details or folder.name in details):
            show_details(scored.extracted, scored.gold, scored.pairs, misses)
    return total, seconds, warned


def compare() -> None:
    """Every engine's overall row, time, and how many PDFs got a list warning."""
    print(f"{'engine':<18}" + HEAD[14:] + "   seconds  PDFs with RK404")
    for engine in ENGINES:
        total, seconds, warned = score_engine(engine, quiet=True)
        print(row(engine, total, 18) + f"{seconds:10.1f}  {warned:>5}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--details", nargs="*", help="PMC ids to print reference by reference")
    parser.add_argument("--misses", action="store_true", help="with --details: only wrong fields and misses")
    parser.add_argument("--engine", choices=list(ENGINES), default="pdfium", help="the PDF library to score")
    parser.add_argument("--compare", action="store_true", help="score every PDF library")
    args = parser.parse_args()
    if not GOLD.is_dir():
        sys.exit(f"{GOLD} is absent: nothing to score")
    if args.compare:
        compare()
        return
    print(HEAD)
    total, seconds, _ = score_engine(args.engine, args.details, args.misses)
    print(row("all (micro)", total) + f"{seconds:8.1f}s")
    print(f"{'GROBID 0.8.2':<24}" + "".join(f"{GROBID[c]:12.1f}" for c in COLUMNS) + "  (1,943 PMC PDFs)")
    print(f"{'targets':<24}" + "".join(f"{TARGETS[c]:12.1f}" for c in COLUMNS))
    print("\n| | refs found F1 | first author | title | year | journal | volume | first page |")
    print("|---|---|---|---|---|---|---|---|")
    print("| refkit, pdf-gold (20 PDFs) | " + " | ".join(f"{total.f1(c):.1f}" for c in COLUMNS) + " |")


if __name__ == "__main__":
    main()
