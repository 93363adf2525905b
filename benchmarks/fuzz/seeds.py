"""Seed inputs for mutation, read at run time and never copied: the example
documents and test fixtures of the repository, and from ../shared/data
(when present) the JATS articles, PDFs, a few Crossref records written out
as BibTeX, RIS and CSL-JSON by refkit's writers, and reference strings from
the parser-training corpora laid out as a numbered list."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from lxml import etree

from refkit.csl import from_crossref
from refkit.model import Citation, Location, Note, Resolution, Status
from refkit.writers import write
from tests.test_pdf import ARTICLE, make_pdf

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared" / "data"
SYNTHETIC_RECORDS = REPO / "tests" / "fixtures" / "seed" / "works.jsonl"
FIXTURE_GLOBS = ("bib/*", "jats/*.xml", "lists/*.md", "lists/*.txt", "pages/*.html")
RECORDS = 40  # Crossref records turned into BibTeX/RIS/CSL-JSON seeds
REFERENCE_STRINGS = 120  # training-corpus reference strings in the list seed
PDF_GOLD = 2  # articles taken from pdf-gold (each a PDF and its JATS)


@dataclass(frozen=True)
class Seed:
    """One real input: a name for reports, its bytes, and a file suffix."""

    name: str
    data: bytes
    suffix: str


def load_seeds(shared: Path | None = SHARED) -> list[Seed]:
    """Every seed available: the repository's always, ../shared/data's when present."""
    seeds = [_file_seed(p, REPO) for p in sorted((REPO / "examples").glob("*")) if p.is_file()]
    fixtures = REPO / "tests" / "fixtures"
    seeds += [_file_seed(p, REPO) for pattern in FIXTURE_GLOBS for p in sorted(fixtures.glob(pattern))]
    seeds.append(Seed("synthetic.pdf", make_pdf(ARTICLE), ".pdf"))
    records = _records(shared / "crossref-works.jsonl" if shared and shared.is_dir() else SYNTHETIC_RECORDS)
    seeds += _written_seeds(records)
    if shared and shared.is_dir():
        seeds += _shared_seeds(shared)
    return seeds


def _file_seed(path: Path, root: Path) -> Seed:
    """A file as a seed, named by its path from the repository or from ../shared."""
    return Seed(str(path.relative_to(root.parent if root != REPO else REPO)), path.read_bytes(),
                path.suffix or ".txt")


def _records(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line) for line, _ in zip(lines, range(RECORDS))]


def _written_seeds(records: list[dict]) -> list[Seed]:
    """The records written by refkit's three writers, each entry with a summary note."""
    resolutions = []
    for index, record in enumerate(records):
        where = Location("seed.txt", index + 1, label=str(index + 1))
        citation = Citation(raw="", source=where, notes=[Note(f"Summary {index}: a < b & {{c}}.", where)])
        work = from_crossref(record, datetime(2024, 5, 1))
        resolutions.append(Resolution(citation, work, Status.DOI_VERIFIED, confidence=1.0))
    return [Seed(f"records.{suffix}", write(fmt, resolutions).encode("utf-8"), f".{suffix}")
            for fmt, suffix in (("bibtex", "bib"), ("ris", "ris"), ("csljson", "json"))]


def _shared_seeds(shared: Path) -> list[Seed]:
    seeds = [_file_seed(p, shared) for p in sorted((shared / "jats").glob("*.xml"))]
    seeds += [_file_seed(p, shared) for p in sorted((shared / "pdf").glob("*.pdf"))]
    for folder in sorted((shared / "pdf-gold").iterdir())[:PDF_GOLD]:
        seeds += [_file_seed(p, shared) for p in sorted(folder.iterdir()) if p.suffix in (".pdf", ".xml")]
    responses = shared / "crossref-list-responses"
    seeds += [_file_seed(p, shared) for p in sorted(responses.glob("works-*.json"))[:2]]
    cora = shared / "refstrings" / "anystyle-cora.xml"
    if cora.is_file():
        seeds.append(Seed("refstrings/anystyle-cora as a list", _numbered_list(cora), ".txt"))
    return seeds


def _numbered_list(corpus: Path) -> bytes:
    """Reference strings of a labelled corpus as a numbered 'References' list."""
    tree = etree.parse(str(corpus), etree.XMLParser(resolve_entities=False, no_network=True))
    strings = [" ".join("".join(s.itertext()).split()) for s in tree.iter("sequence")]
    lines = [f"{n}. {text}" for n, text in enumerate(strings[:REFERENCE_STRINGS], start=1)]
    return ("An article\n\nSome text [1].\n\nReferences\n\n" + "\n".join(lines) + "\n").encode("utf-8")
