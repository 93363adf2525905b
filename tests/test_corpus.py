"""Merging documents into a corpus: copies of one article, versions of one
annotated page, duplicate works, and the findings about the documents."""

from __future__ import annotations

from pathlib import Path

import pytest

from refkit import codes
from refkit.corpus import expand_paths, join_duplicates, merge, read_corpus
from refkit.errors import InputError
from refkit.model import Citation, CitationKind, Document, Location, Name, Note

# Which v1 entry each v2 summary describes, read off the two files by hand:
# v2 line of the summary -> v1 line of the title. v2's line 36 (the CSF
# beta-endorphin / self-injury study) is new in v2 and has no v1 entry.
V2_TO_V1 = {14: 11, 23: 15, 30: 19, 44: 26, 52: 30, 70: 39, 72: 43, 80: 47, 83: 53}


def _pages(examples: Path):
    return read_corpus([examples / "citations-page-v1.txt", examples / "citations-page-v2.txt"])


def test_v2_summaries_land_on_the_right_v1_entries(examples: Path) -> None:
    corpus = _pages(examples)
    assert len(corpus.citations) == 9 and all(c.title for c in corpus.citations)
    landed = {n.source.line: c.source.line for c in corpus.citations for n in c.notes
              if n.source.file.endswith("v2.txt")}
    assert landed == V2_TO_V1
    assert all(len(c.notes) == 2 for c in corpus.citations)
    for citation in corpus.citations:  # the evidence: a score above the threshold for every pair
        (aligned,) = citation.extra["aligned_notes"]
        assert aligned["score"] > 15
    assert corpus.documents[1].extra["version_of"].endswith("v1.txt")


def test_the_csf_study_becomes_an_orphan_note_with_rk401(examples: Path) -> None:
    corpus = _pages(examples)
    (orphan,) = corpus.orphan_notes
    assert orphan.source.line == 36 and "CSF β-endorphin" in orphan.text
    (finding,) = [f for f in corpus.findings if f.code is codes.NOTE_ORPHANED]
    assert finding.source.line == 36 and finding.evidence["best_candidate"]["score"] < 15


def test_v2_alone_keeps_every_summary_as_an_orphan(examples: Path) -> None:
    corpus = read_corpus([examples / "citations-page-v2.txt"])
    assert corpus.citations == [] and len(corpus.orphan_notes) == 10
    assert sum(f.code is codes.NOTE_ORPHANED for f in corpus.findings) == 10


def test_html_and_pdf_copies_are_one_article_and_rk108_names_the_doi(examples: Path) -> None:
    corpus = read_corpus([examples / "ketamine-bpd-review.html.txt", examples / "ketamine-bpd-review.pdf.txt"])
    html, pdf = corpus.documents
    assert html.extra["copy_of"] == pdf.path
    (rk108,) = [f for f in corpus.findings if f.code is codes.COPIES_DISAGREE]
    assert rk108.evidence["field"] == "doi"
    printed = {(c["file"], c["line"], c["printed"]) for c in rk108.evidence["copies"]}
    assert printed == {(pdf.path, 34, "10.3389/fpsy.2024.1398859"), (html.path, 158, "10.3389/fpsyt.2024.1398859")}
    assert "10.3389/fpsy.2024.1398859" in rk108.message and "10.3389/fpsyt.2024.1398859" in rk108.message
    assert len(corpus.citations) == 148  # the PDF's list serves both copies
    assert html.extra["numeric_markers"]["unresolved"] == []  # the HTML's markers resolve in it
    assert not [f for f in corpus.findings if f.code is codes.CITATION_UNLISTED]


def test_a_list_less_article_alone_is_nothing_read_said_in_one_line(examples: Path) -> None:
    """Its 148 numeric markers are summed up in the one line, not listed; no
    reference was read, so the run is no pass (issue 8: exit 2)."""
    with pytest.raises(InputError) as exc:
        read_corpus([examples / "ketamine-bpd-review.html.txt"])
    assert "no references found in 1 document (read as article)" in exc.value.message
    assert "numeric citation markers (numbers up to 148) but no reference list" in exc.value.message


def test_essay_unlisted_citations_each_get_rk402_with_location(examples: Path) -> None:
    corpus = read_corpus([examples / "opioid-breakup-essay.txt"])
    rk402 = [f for f in corpus.findings if f.code is codes.CITATION_UNLISTED]
    assert len(rk402) == 13
    hsu = next(f for f in rk402 if f.source.label == "Hsu 2013")
    assert hsu.source.line == 54 and hsu.printed == "Hsu and colleagues (2013)"


def test_a_page_entry_and_a_reference_for_the_same_work_are_joined(examples: Path) -> None:
    corpus = read_corpus([examples])
    (prossin,) = [c for c in corpus.citations if c.title.startswith("Dysregulation of regional endogenous opioid")]
    assert prossin.kind is CitationKind.REFERENCE and prossin.label == "44" and prossin.doi
    assert {n.source.line for n in prossin.notes} == {28, 44}  # v1's summary and v2's aligned one
    assert any(place.endswith("citations-page-v1.txt:line 26") for place in prossin.extra["also_in"])


def test_duplicates_by_doi_keep_the_fuller_citation_and_all_notes() -> None:
    bare = Citation(raw="X", source=Location("a.txt", 1), doi="10.1000/ABC", kind=CitationKind.ANNOTATED,
                    notes=[Note("summary", Location("a.txt", 2))])
    full = Citation(raw="Y", source=Location("b.txt", 5), doi="10.1000/abc", title="A Work", year=2001,
                    authors=[Name(family="Doe")])
    (joined,) = join_duplicates([bare, full])
    assert joined is full and [n.text for n in joined.notes] == ["summary"]
    assert joined.extra["also_in"] == ["a.txt:line 1"]


def test_malformed_printed_doi_gives_rk101_with_its_location() -> None:
    citation = Citation(raw="doi: 10.12/", source=Location("r.txt", 7, label="3"))
    citation.extra["malformed_doi"] = ["10.12/"]  # the readers keep a list
    corpus = merge([Document(path="r.txt", format="article", citations=[citation])])
    (finding,) = corpus.findings
    assert finding.code is codes.DOI_MALFORMED and finding.source.line == 7 and finding.printed == "10.12/"


def test_directories_are_walked_sorted_without_hidden_files(tmp_path: Path) -> None:
    (tmp_path / "b.txt").write_text("b", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.txt").write_text("a", encoding="utf-8")
    (tmp_path / ".hidden").write_text("h", encoding="utf-8")
    assert expand_paths([tmp_path]) == [str(tmp_path / "b.txt"), str(tmp_path / "sub" / "a.txt")]


def test_a_walked_folder_skips_files_that_are_not_documents(tmp_path) -> None:
    from refkit.corpus import expand_paths

    (tmp_path / "refs.bib").write_text("@article{a, title={T}}\n", encoding="utf-8")
    (tmp_path / "figure.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    (tmp_path / ".hidden.txt").write_text("x", encoding="utf-8")
    assert expand_paths([tmp_path]) == [str(tmp_path / "refs.bib")]
    assert expand_paths([tmp_path / "figure.png"]) == [str(tmp_path / "figure.png")]  # named: read, and refused


def test_each_malformed_printed_doi_is_one_rk101_that_the_report_can_render(tmp_path) -> None:
    """A reviewer's crash: `refkit check` failed on a list printing a malformed DOI."""
    from refkit.corpus import read_corpus
    from refkit.report import Report
    from refkit.resolving.resolver import resolve

    refs = tmp_path / "refs.txt"
    refs.write_text("References\n\n1. Smith J. A title. Nature. 2020;1:1-2. doi:10.1000.abc\n"
                    "2. Jones K. B title. Science. 2019;2:3-4. doi: 10.1000-xyz\n", encoding="utf-8")
    corpus = read_corpus([refs])
    malformed = [f for f in corpus.findings if f.code.code == "RK101"]
    assert [f.printed for f in malformed] == ["doi:10.1000.abc", "doi: 10.1000-xyz"]
    report = Report(resolve(corpus.citations, None), corpus.findings)
    assert report.render_text().count("RK101") == 2 and report.exit_code() == 1
