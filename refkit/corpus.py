"""Several documents read together into one `Corpus`.

- Copies of one article (same DOI, or the same title when the DOIs disagree)
  are one article: the copy with the reference list supplies it, entries are
  merged by number, and what the copies print differently about the article
  itself becomes an RK108 finding with both printed values.
- Versions of one annotated page (same title, or high overlap): summaries of
  a version without titles are aligned to the titled entries of another by
  order and text similarity (`refkit.align`) and attached as further notes;
  a summary no entry takes is an orphan note with an RK401 finding.
- The same work cited in several documents (same DOI and no title, first
  author or year that disagrees; or same title, year ±1 and first author)
  becomes one citation, its notes combined, its other places in
  extra["also_in"]. Entries of one list or file are never joined.
- RK101 (malformed printed DOI) and RK402 (cited, but in no list) findings
  carry their source locations.
"""

from __future__ import annotations

import heapq
import os
import re
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from rapidfuzz import fuzz
from rapidfuzz.distance import Indel

from refkit import align, codes, identifiers, readers
from refkit import doi as doilib
from refkit.errors import InputError
from refkit.resolving.match import fold
from refkit.model import (
    Citation,
    CitationKind,
    Corpus,
    Document,
    Finding,
    Location,
    Note,
)
from refkit.readers.markers import PLAUSIBLE_MAX, expand_numbers, in_list
from refkit.readers.source import STDIN, unreadable

# file name endings taken when a directory is walked (a file named explicitly is always read)
DOCUMENT_SUFFIXES = frozenset({".pdf", ".txt", ".text", ".md", ".html", ".htm", ".xhtml", ".xml",
                               ".nxml", ".jats", ".bib", ".bibtex", ".ris", ".json", ".csl", ".csljson"})
SAME_TITLE = 95  # rapidfuzz ratio of normalised titles above which two copies are one article
GLYPH_LOSS = 2  # characters a PDF extraction may drop from a name or title without a real difference
SAME_WORK_TITLE = 90  # rapidfuzz ratio of folded titles for two citations of one DOI to be one work
PAGE_OVERLAP = 0.5  # share of a page version's summaries that must align for "the same page"


def read_corpus(paths: Sequence[str | Path], fmt: str | None = None,
                progress: Callable[[str], None] | None = None,
                skip: Sequence[str | Path] = ()) -> Corpus:
    """Read every file (directories walked, their files sorted; hidden files
    and the files in `skip` passed over) and merge the documents into one
    Corpus. A file that cannot be read costs only itself (an RK403 finding)
    when others can; InputError when no citation and no note was read (a
    document whose text cites numbers but has no list is no pass either)."""
    files = expand_paths(paths, skip)
    documents: list[Document] = []
    problems: list[InputError] = []
    for path in files:
        if progress:
            progress(path)
        try:
            documents.append(readers.read(path, fmt))
        except InputError as exc:
            problems.append(exc)
    corpus = merge(documents)
    if not (corpus.citations or corpus.orphan_notes):
        raise _nothing_read(paths, files, documents, problems, corpus.findings)
    corpus.files = files
    corpus.findings[:0] = [unreadable(exc.path, _line_of(exc), f"file skipped: {exc.message}") for exc in problems]
    return corpus


def expand_paths(paths: Sequence[str | Path], skip: Sequence[str | Path] = ()) -> list[str]:
    """Files as given, and the document files under each directory in sorted
    order (hidden files, files of other kinds — images, office files — and
    the files in `skip`, such as a build's own outputs, passed over: a folder
    of papers often holds more than papers; so are pipes, devices and broken
    links found there). A path that does not exist (and is no link) is an
    InputError, pointing an identifier given for a file at `refkit add`."""
    leave_out = {Path(os.path.realpath(p)) for p in skip}  # a loop of links: no RuntimeError
    files: list[str] = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            files.extend(str(p) for p in sorted(path.rglob("*"))
                         if p.is_file() and p.suffix.lower() in DOCUMENT_SUFFIXES and p.resolve() not in leave_out
                         and not any(part.startswith(".") for part in p.relative_to(path).parts))
        elif path.exists() or path.is_symlink() or str(given) == STDIN:
            files.append(str(given) if str(given) == STDIN else str(path))
        else:
            raise InputError(str(given), _not_a_file(str(given)))
    return files


def _not_a_file(text: str) -> str:
    """Why a path that does not exist was not read: an identifier given where
    a file was expected is pointed at the command that takes identifiers."""
    kind = identifier_kind(text)
    if kind:
        return f"no such file; this looks like {kind}: look it up with `refkit add {text}`"
    if len(text.split()) >= 4:
        return ("no such file; this looks like a pasted reference: save it in a .txt file and give that, "
                "or look it up with `refkit add`")
    return "no such file"


def identifier_kind(text: str) -> str | None:
    """"a DOI", "a PMID", "an arXiv identifier" … when `text` is one of
    those rather than a file name; None otherwise."""
    identifier = identifiers.parse(text)
    return _KIND_NAMES[identifier.kind] if identifier else None


_KIND_NAMES = {identifiers.DOI: "a DOI", identifiers.PMID: "a PMID", identifiers.PMCID: "a PMCID",
               identifiers.ARXIV: "an arXiv identifier", identifiers.ISBN: "an ISBN"}


def _line_of(error: InputError) -> int | None:
    found = re.match(r"line (\d+)", error.where)
    return int(found.group(1)) if found else None


def _nothing_read(paths: Sequence[str | Path], files: list[str], documents: list[Document],
                  problems: list[InputError], findings: Sequence[Finding] = ()) -> InputError:
    """The one line for a run that read no reference at all: what was looked
    at, what was seen instead (numbers cited with no list), and what to do."""
    given = ", ".join(map(str, paths)) or "(no input)"
    if len(problems) == 1 and not documents:
        return problems[0]
    if not files:
        return InputError(given, "no document files here (looked for "
                                 f"{' '.join(sorted(DOCUMENT_SUFFIXES))}); give a PDF, text, HTML, JATS, "
                                 "BibTeX, RIS or CSL-JSON file, or `refkit add DOI` for identifiers")
    if problems:
        return InputError(given, f"none of the {len(files)} files could be read; first: {problems[0]}")
    formats = ", ".join(sorted({d.format for d in documents}))
    seen = "".join(f": {f.source.file + ': ' if len(documents) > 1 else ''}{f.message}" for f in findings[:1])
    return InputError(given, f"no references found in {len(documents)} document"
                             f"{'s' if len(documents) > 1 else ''} (read as {formats}){seen}; if that format is "
                             "wrong, name it with --from; a document without a reference list gives none")


def merge(documents: list[Document]) -> Corpus:
    """One Corpus from documents read separately (see the module docstring)."""
    corpus = Corpus(documents=documents)
    pages = [d for d in documents if d.format == "citations-page"]
    articles = [d for d in documents if d.format != "citations-page"]
    citations: list[Citation] = []
    for group in _groups(articles, _same_article):
        citations += _merge_copies(group, corpus)
    for group in _groups(pages, _same_page):
        citations += _merge_page_versions(group, corpus)
    corpus.citations = join_duplicates(citations)
    for document in documents:
        corpus.findings += document.findings
        corpus.orphan_notes += document.orphan_notes
    corpus.findings += _citation_findings(corpus.citations)
    for document in documents:
        corpus.findings += _numeric_marker_findings(document)
    return corpus


# --- copies of one article ------------------------------------------------------------------

def _same_article(a: Document, b: Document) -> bool:
    x, y = a.identity, b.identity
    if x is None or y is None:
        return False
    if x.doi and y.doi and doilib.normalize(x.doi) == doilib.normalize(y.doi):
        return True
    same_year = not (x.year and y.year) or x.year == y.year
    return bool(x.title and y.title) and same_year and fuzz.ratio(fold(x.title), fold(y.title)) >= SAME_TITLE


def _merge_copies(group: list[Document], corpus: Corpus) -> list[Citation]:
    """The citations of one article given its copies: the copy with the
    longest reference list leads; the others add entries it lacks (by
    number), and their unlisted citations are re-checked against its list."""
    lead = max(group, key=lambda d: len(_references(d)))
    references = _references(lead)
    by_label = {c.label: c for c in references}
    unlisted = [c for c in lead.citations if c.kind is CitationKind.UNLISTED]
    for copy in (d for d in group if d is not lead):
        copy.extra["copy_of"] = lead.path
        corpus.findings += _compare_identities(lead, copy)
        for citation in _references(copy):
            if citation.label in by_label:
                by_label[citation.label].extra.setdefault("also_in", []).append(str(citation.source))
            else:
                by_label[citation.label] = citation
                references.append(citation)
        unlisted += [c for c in copy.citations if c.kind is CitationKind.UNLISTED and not _resolved(c, references)]
        _resolve_numeric_markers(copy, lead, references)
    return references + unlisted


def _references(document: Document) -> list[Citation]:
    return [c for c in document.citations if c.kind is CitationKind.REFERENCE]


def _resolved(citation: Citation, references: list[Citation]) -> bool:
    if citation.year and citation.authors:
        return in_list(citation.authors[0].family, citation.year, references)
    return any(r.label == citation.label for r in references)


def _resolve_numeric_markers(copy: Document, lead: Document, references: list[Citation]) -> None:
    """Numbers a list-less copy cites, looked up in the lead copy's list."""
    summary = copy.extra.get("numeric_markers")
    if not summary or not references:
        return
    labels = {r.label for r in references}
    numbers = set(summary["numbers"])
    for printed in summary["unsplit"]:
        numbers.update(expand_numbers(printed.strip("()[]"), len(references)))
    summary["resolved_by"] = lead.path
    summary["unresolved"] = sorted(n for n in numbers if n <= PLAUSIBLE_MAX and str(n) not in labels)


# Fields of an article's own record compared between copies: DOIs exactly
# (one character matters), text with tolerance for glyphs a PDF extraction drops.
_IDENTITY_FIELDS = ("doi", "title", "year", "container", "volume", "issue", "pages", "authors")


def _compare_identities(lead: Document, copy: Document) -> list[Finding]:
    a, b = lead.identity, copy.identity
    assert a is not None and b is not None
    findings = []
    for name in _IDENTITY_FIELDS:
        x, y = _identity_value(a, name), _identity_value(b, name)
        if x and y and not _same_value(name, x, y):
            findings.append(Finding(
                codes.COPIES_DISAGREE,
                f"copies disagree on the article's {name}: {x!r} in {a.source} vs {y!r} in {b.source}",
                source=a.source, printed=x,
                evidence={"field": name, "copies": [
                    {"file": a.source.file, "line": a.source.line, "from": a.extra.get("identity_from"), "printed": x},
                    {"file": b.source.file, "line": b.source.line, "from": b.extra.get("identity_from"), "printed": y},
                ]},
            ))
    return findings


def _identity_value(citation: Citation, name: str) -> str:
    if name == "doi":
        return citation.doi or ""
    if name == "authors":
        return "; ".join(str(n) for n in citation.authors)
    value = getattr(citation, name)
    return str(value) if value else ""


def _same_value(name: str, x: str, y: str) -> bool:
    if name == "doi":
        return doilib.normalize(x) == doilib.normalize(y)
    a, b = fold(x), fold(y)
    return Indel.distance(a, b) <= GLYPH_LOSS and abs(len(a) - len(b)) == Indel.distance(a, b)


# --- versions of one annotated page ---------------------------------------------------------

def _same_page(a: Document, b: Document) -> bool:
    if a.identity and b.identity and fold(a.identity.title) == fold(b.identity.title):
        return True
    titled, untitled = _titled(a) or _titled(b), _untitled(a) or _untitled(b)
    if not titled or not untitled:
        return False
    return len(_alignment(titled, untitled)) >= PAGE_OVERLAP * min(len(titled), len(untitled))


def _merge_page_versions(group: list[Document], corpus: Corpus) -> list[Citation]:
    """The titled entries of all versions; each untitled summary attached to
    the titled entry it aligns with, or kept as an orphan note (RK401)."""
    lead = max(group, key=lambda d: len(_titled(d)))
    entries = _titled(lead)
    others = [d for d in group if d is not lead]
    for version in others:
        version.extra["version_of"] = lead.path
    citations = list(entries) + [c for d in others for c in _titled(d)]
    for version in [lead] + others:
        untitled = _untitled(version)
        pairs = {p.right_index: p for p in _alignment(entries, untitled)}
        for index, entry in enumerate(untitled):
            pair = pairs.get(index)
            if pair is None:
                _orphan(entry, entries, corpus)
            else:
                _attach(entries[pair.left_index], entry, pair)
    return citations


def _titled(document: Document) -> list[Citation]:
    return [c for c in document.citations if c.kind is CitationKind.ANNOTATED and not c.extra.get("untitled")]


def _untitled(document: Document) -> list[Citation]:
    return [c for c in document.citations if c.extra.get("untitled")]


def _alignment(entries: list[Citation], untitled: list[Citation]) -> list[align.Pair]:
    if not entries or not untitled:
        return []
    return align.align([_entry_text(e) for e in entries], [_entry_text(u) for u in untitled])


def _entry_text(citation: Citation) -> str:
    return " ".join([citation.title] + [n.text for n in citation.notes])


def _attach(entry: Citation, untitled: Citation, pair: align.Pair) -> None:
    entry.notes.extend(untitled.notes)
    entry.extra.setdefault("aligned_notes", []).append({
        "from": str(untitled.source), "section": untitled.source.section,
        "score": pair.score, "best_other_score": pair.best_other,
    })


def _orphan(untitled: Citation, entries: list[Citation], corpus: Corpus) -> None:
    note = untitled.notes[0]
    corpus.orphan_notes.extend(untitled.notes)
    scores = align.similarity_matrix([_entry_text(e) for e in entries], [_entry_text(untitled)]) if entries else []
    best = max(range(len(entries)), key=lambda i: scores[i][0]) if entries else None
    evidence: dict = {"section": untitled.source.section, "position": untitled.label,
                      "threshold": align.THRESHOLD}
    if best is not None:
        evidence["best_candidate"] = {"title": entries[best].title, "label": entries[best].label,
                                      "score": round(scores[best][0], 1)}
    reason = ("no entry of a titled version of this page matches it in order and wording" if entries
              else "no version of this page prints titles to attach it to")
    corpus.findings.append(Finding(codes.NOTE_ORPHANED, f"summary kept as an orphan note: {reason}",
                                   source=note.source, printed=note.text, evidence=evidence))  # whole: report.json keeps it


# --- the same work in several documents -----------------------------------------------------

def join_duplicates(citations: list[Citation]) -> list[Citation]:
    """One citation per work cited in several documents. Two citations are
    joined only when they come from different documents and the evidence
    agrees: the same DOI and no title, first author or year that differs, or
    (when one prints no DOI) the same title, year ±1 and first author.
    Only what both print is compared: a bare DOI joins a full record.
    Entries of one list or file are never joined, whatever they share: two
    entries printing one DOI are two works, one of them misprinted (RK110
    after resolution), and letters, replies and abstracts share titles. The
    fullest citation stays; the others' notes join it and their places go to
    extra["also_in"]."""
    kept: list[Citation] = []
    files: list[set[str]] = []  # files each kept citation stands for
    first_file: list[str] = []  # the file each kept citation was first read from
    by_key: dict[tuple, dict[str, list[int]]] = {}  # work key -> first file -> positions in `kept`
    indexed: set[tuple[tuple, int]] = set()
    for citation in citations:
        here = citation.source.file
        at = next((i for key in _work_keys(citation) for i in _read_elsewhere(by_key.get(key, {}), here)
                   if here not in files[i] and same_work(kept[i], citation)), None)
        if at is None:
            kept.append(citation)
            files.append(set())
            first_file.append(here)
            at = len(kept) - 1
        else:
            kept[at] = _join(kept[at], citation)
        files[at].add(here)
        for key in _work_keys(citation):
            if (key, at) not in indexed:
                indexed.add((key, at))
                by_key.setdefault(key, {}).setdefault(first_file[at], []).append(at)
    return kept


def _read_elsewhere(by_file: dict[str, list[int]], file: str) -> Iterator[int]:
    """The positions of kept citations first read from another file than
    `file` (one of its own file is never joined): thousands of entries of one
    file printing one DOI were each compared with all the others (quadratic;
    found by the fuzz benchmark)."""
    return heapq.merge(*(positions for first, positions in by_file.items() if first != file))


def same_work(a: Citation, b: Citation) -> bool:
    """Whether two citations from different documents name the same work: a
    shared DOI and nothing that disagrees (title, first author, year ±1), or,
    without two DOIs to compare, the same title and year (±1) and no first
    authors that differ. Two different DOIs are two works."""
    if a.doi and b.doi:
        if doilib.normalize(a.doi) != doilib.normalize(b.doi):
            return False
        titles_differ = bool(a.title and b.title) and not _similar_titles(a, b)
        return not titles_differ and _same_first_author(a, b) is not False and _near_years(a, b)
    return (bool(a.title and b.title) and fold(a.title) == fold(b.title) and _near_years(a, b)
            and _same_first_author(a, b) is not False)


def _similar_titles(a: Citation, b: Citation) -> bool:
    return bool(a.title and b.title) and fuzz.ratio(fold(a.title), fold(b.title)) >= SAME_WORK_TITLE


def _near_years(a: Citation, b: Citation) -> bool:
    return not (a.year and b.year) or abs(a.year - b.year) <= 1


def _same_first_author(a: Citation, b: Citation) -> bool | None:
    """True/False when both name a first author; None when one does not."""
    if not (a.authors and b.authors):
        return None
    x, y = (fold(n.family or n.literal) for n in (a.authors[0], b.authors[0]))
    return bool(x and y) and (x == y or Indel.distance(x, y) <= GLYPH_LOSS)


def _join(a: Citation, b: Citation) -> Citation:
    lead, other = (a, b) if _fullness(a) >= _fullness(b) else (b, a)
    lead.notes = _unique_notes(lead.notes + other.notes)
    lead.extra.setdefault("also_in", []).extend([str(other.source)] + other.extra.get("also_in", []))
    for key, value in other.extra.items():
        lead.extra.setdefault(key, value)  # e.g. the alignment evidence of the other's notes
    return lead


def _work_keys(citation: Citation) -> list[tuple]:
    if citation.kind is CitationKind.UNLISTED:
        return []
    keys = []
    if citation.doi:
        keys.append(("doi", doilib.normalize(citation.doi)))
    if citation.title:
        keys.append(("title", fold(citation.title)))
    return keys


def _fullness(citation: Citation) -> tuple:
    return (citation.doi is not None, len(citation.authors), citation.kind is CitationKind.REFERENCE)


def _unique_notes(notes: list[Note]) -> list[Note]:
    seen: set[tuple[str, Location]] = set()
    unique = []
    for note in notes:
        if (note.text, note.source) not in seen:
            seen.add((note.text, note.source))
            unique.append(note)
    return unique


# --- findings about citations and markers ---------------------------------------------------

def _citation_findings(citations: list[Citation]) -> list[Finding]:
    findings = []
    for citation in citations:
        for printed in citation.extra.get("malformed_doi", []):
            findings.append(Finding(codes.DOI_MALFORMED, f"printed DOI {printed!r} is not a valid DOI",
                                    source=citation.source, printed=printed))
        if citation.kind is CitationKind.UNLISTED:
            findings.append(Finding(
                codes.CITATION_UNLISTED,
                f"{citation.label} is cited in the text but no reference list entry resolves it",
                source=citation.source, printed=citation.raw,
                evidence={"occurrences": citation.extra.get("occurrences", []), "context": citation.context},
            ))
    return findings


def _numeric_marker_findings(document: Document) -> list[Finding]:
    """One RK402 for all numeric markers of a document that no list resolves."""
    summary = document.extra.get("numeric_markers")
    if not summary:
        return []
    source = Location(document.path, summary["first_line"])
    if "resolved_by" in summary:
        missing = summary["unresolved"]
        if not missing:
            return []
        message = (f"{len(missing)} reference numbers cited here are not in the list of its copy "
                   f"{summary['resolved_by']}: {', '.join(map(str, missing[:10]))}")
    else:
        message = (f"{summary['occurrences']} numeric citation markers (numbers up to {summary['highest']}) "
                   "but no reference list in this document or a copy of it")
    return [Finding(codes.CITATION_UNLISTED, message, source=source, evidence=summary)]


# --- helpers --------------------------------------------------------------------------------

def _groups(documents: list[Document], same: Callable[[Document, Document], bool]) -> list[list[Document]]:
    """Documents grouped so that each group holds the ones `same` links (transitively)."""
    groups: list[list[Document]] = []
    for document in documents:
        linked = [g for g in groups if any(same(document, other) for other in g)]
        merged = [document] + [d for g in linked for d in g]
        groups = [g for g in groups if g not in linked] + [merged]
    return [sorted(g, key=documents.index) for g in sorted(groups, key=lambda g: min(map(documents.index, g)))]


