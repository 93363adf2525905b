"""`refkit extract`: show what refkit read from documents, before any
Crossref lookup: every citation with its parsed fields, printed DOI and
notes, the findings about the documents themselves, and a summary.

JSON shape (version 1, stable; keys are only ever added):
  {"version": 1,
   "documents": [{"path", "format", "identity": CITATION|null, "copy_of", "version_of",
                  "numeric_markers"}],
   "citations": [CITATION], "orphan_notes": [NOTE], "findings": [FINDING],
   "summary": {"documents", "citations", "with_doi", "notes_attached", "orphan_notes",
               "copies_recognised", "unlisted"}}
  CITATION = {"file", "line", "page", "label", "section", "kind", "authors": [str], "et_al",
              "editors": [str], "year", "title", "container", "volume", "issue", "pages", "doi", "doi_printed",
              "identifiers", "raw", "context", "notes": [NOTE], "also_in": [str],
              "aligned_notes": [{"from", "section", "score", "best_other_score"}]}
  NOTE = {"text", "file", "line", "label", "section"};  FINDING = Finding.to_dict()
"""

from __future__ import annotations

import json
import re
import textwrap
from typing import Any

import click

from refkit.cli.options import input_options
from refkit.corpus import expand_paths, read_corpus
from refkit.model import Citation, CitationKind, Corpus, Document, Note
from refkit.pipeline import progress_bar, say_how_read
from refkit.terminal import json_escaped, printable
from refkit.writers import write_file

WIDTH = 100
_LINE_BREAKS = re.compile(r"[\r\n\v\f\x85\u2028\u2029]+")
JSON_VERSION = 1


@click.command()
@click.option("--format", "out_format", type=click.Choice(["table", "json"]), default="table", show_default=True,
              help="table: for people (100 columns); json: every field and full notes.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write to this file instead of stdout.")
@input_options
def extract(inputs: tuple[str, ...], fmt: str | None, out_format: str, output: str | None,
            progress: bool | None) -> None:
    """Show what was read from FILE_OR_DIR... (directories are walked):
    citations with authors, year, title, journal, volume/issue/pages, the
    DOI as printed and attached notes; copies of one article and versions of
    one annotated page are merged, and summaries that fit no entry are
    reported as orphan notes. Nothing is looked up online.

    \b
    Examples:
      refkit extract examples/citations-page-v1.txt
      refkit extract examples --format json -o extracted.json
    """
    with progress_bar(len(expand_paths(inputs)), progress, "reading") as tick:
        corpus = read_corpus(inputs, fmt, progress=(lambda _path: tick(1)) if tick else None)
    say_how_read(corpus)
    text = render_json(corpus) if out_format == "json" else render_table(corpus)
    if output:
        write_file(output, text, inputs=corpus.files)
    else:
        click.echo(text, nl=False)


# --- summary --------------------------------------------------------------------------------

def summary(corpus: Corpus) -> dict[str, int]:
    """The counts shown under the table and in JSON."""
    return {
        "documents": len(corpus.documents),
        "citations": len(corpus.citations),
        "with_doi": sum(1 for c in corpus.citations if c.doi),
        "notes_attached": sum(len(c.notes) for c in corpus.citations),
        "orphan_notes": len(corpus.orphan_notes),
        "copies_recognised": sum(1 for d in corpus.documents if "copy_of" in d.extra or "version_of" in d.extra),
        "unlisted": sum(1 for c in corpus.citations if c.kind is CitationKind.UNLISTED),
    }


# --- JSON -----------------------------------------------------------------------------------

def render_json(corpus: Corpus) -> str:
    """The corpus in the documented JSON shape."""
    data = {
        "version": JSON_VERSION,
        "documents": [_document_dict(d) for d in corpus.documents],
        "citations": [citation_dict(c) for c in corpus.citations],
        "orphan_notes": [_note_dict(n) for n in corpus.orphan_notes],
        "findings": [f.to_dict() for f in corpus.findings],
        "summary": summary(corpus),
    }
    return json_escaped(json.dumps(data, ensure_ascii=False, indent=2)) + "\n"


def _document_dict(document: Document) -> dict[str, Any]:
    return {
        "path": document.path, "format": document.format,
        "identity": citation_dict(document.identity) if document.identity else None,
        "copy_of": document.extra.get("copy_of"), "version_of": document.extra.get("version_of"),
        "numeric_markers": document.extra.get("numeric_markers"),
    }


def citation_dict(citation: Citation) -> dict[str, Any]:
    """One citation as JSON: where it was read, every parsed field, notes."""
    source = citation.source
    return {
        "file": source.file, "line": source.line, "page": source.page, "label": source.label,
        "section": source.section, "kind": citation.kind.value,
        "authors": [str(a) for a in citation.authors], "et_al": citation.et_al,
        "editors": [str(e) for e in citation.editors],
        "year": citation.year, "title": citation.title, "container": citation.container,
        "volume": citation.volume, "issue": citation.issue, "pages": citation.pages,
        "doi": citation.doi, "doi_printed": citation.doi_printed, "identifiers": citation.identifiers,
        "raw": citation.raw, "context": citation.context,
        "notes": [_note_dict(n) for n in citation.notes],
        "also_in": citation.extra.get("also_in", []),
        "aligned_notes": citation.extra.get("aligned_notes", []),
    }


def _note_dict(note: Note) -> dict[str, Any]:
    return {"text": note.text, "file": note.source.file, "line": note.source.line,
            "label": note.source.label, "section": note.source.section}


# --- table ----------------------------------------------------------------------------------

def render_table(corpus: Corpus) -> str:
    """Per document its citations (two lines each at most, WIDTH columns),
    then the findings and the summary."""
    out: list[str] = []
    for document in corpus.documents:
        out += _document_header(document)
        for citation in (c for c in corpus.citations if c.source.file == document.path):
            out += _citation_rows(citation)
        out.append("")
    if corpus.orphan_notes:
        out.append("orphan notes (summaries no entry took):")
        out += [_clip(f"  {n.source}  {n.text}") for n in corpus.orphan_notes]
        out.append("")
    if corpus.findings:
        out.append("findings:")
        out += [_clip(f"  {f.code.code} {f.source or ''}  {f.message}") for f in corpus.findings]
        out.append("")
    counts = summary(corpus)
    line = "summary: " + ", ".join(f"{value} {name.replace('_', ' ')}" for name, value in counts.items())
    out += textwrap.wrap(line, width=WIDTH, subsequent_indent="  ")
    return printable("\n".join(out)) + "\n"


def _document_header(document: Document) -> list[str]:
    head = f"{document.path}  [{document.format}]"
    if "copy_of" in document.extra:
        head += f"  copy of {document.extra['copy_of']}"
    if "version_of" in document.extra:
        head += f"  version of {document.extra['version_of']}"
    lines = [_clip(head)]
    identity = document.identity
    if identity is not None:
        doi = f"  doi {identity.doi_printed or identity.doi}" if identity.doi else ""
        lines.append(_clip(f"  is: {identity.title}{doi}"))
    markers = document.extra.get("numeric_markers")
    if markers:
        resolved = f", resolved by {markers['resolved_by']}" if "resolved_by" in markers else ", no reference list"
        lines.append(_clip(f"  {markers['occurrences']} numeric citation markers, numbers up to "
                           f"{markers['highest']}{resolved}"))
    return lines


def _citation_rows(citation: Citation) -> list[str]:
    label = (citation.label or "")[:11]
    year = str(citation.year or "")
    notes = f"{len(citation.notes)}n" if citation.notes else ""
    first = f"  {label:>11} {year:<4} "
    if citation.kind is CitationKind.UNLISTED:
        first += "unlisted "
        body = f"{citation.raw}: {citation.context}"
    else:
        first += f"{_authors(citation):<20.20} " if citation.authors or citation.editors else ""
        body = citation.title or citation.raw
    room = WIDTH - len(first) - len(notes) - 1
    rows = [_clip(f"{first}{_fit(body, room):<{room}} {notes}".rstrip())]
    detail = "  ".join(part for part in (_locator(citation), _doi(citation)) if part)
    if detail:
        rows.append(_clip(" " * 19 + detail))
    return rows


def _authors(citation: Citation) -> str:
    """The first author's family name ("et al." after it when there are
    more), or the first editor's with "(ed.)" when no author is printed."""
    names = citation.authors or citation.editors
    if not names:
        return ""
    first = names[0].family or str(names[0])
    more = " et al." if len(names) > 1 or citation.et_al and citation.authors else ""
    return first + more + ("" if citation.authors else " (eds.)" if len(names) > 1 else " (ed.)")


def _locator(citation: Citation) -> str:
    where = citation.container
    if citation.volume:
        where += f" {citation.volume}" + (f"({citation.issue})" if citation.issue else "")
    if citation.pages:
        where += f":{citation.pages}"
    return where.strip()


def _doi(citation: Citation) -> str:
    if citation.doi:
        return f"doi {citation.doi}"
    malformed = citation.extra.get("malformed_doi")
    return f"doi (malformed) {'; '.join(malformed)}" if malformed else ""


def _fit(text: str, width: int) -> str:
    """`text` cut at a word to fit `width` columns (a few at least, whatever
    else the row holds); only the start of a huge value is looked at."""
    width = max(width, 8)
    if len(text) <= width:
        return text
    return textwrap.shorten(text[: width * 8], width=width, placeholder="…")


def _clip(line: str) -> str:
    """One table row: line breaks inside a value become spaces, and what
    passes WIDTH is cut with an ellipsis."""
    line = _LINE_BREAKS.sub(" ", line)
    return line if len(line) <= WIDTH else line[: WIDTH - 1] + "…"
