"""Annotated citation pages: the two real versions in examples/ (text
renderings) and hand-written HTML pages in tests/fixtures/pages/."""

from __future__ import annotations

from pathlib import Path

import pytest

from refkit.errors import InputError
from refkit.model import CitationKind
from refkit.readers import read, sniff
from refkit.readers.citation_page import is_page_prose, looks_like_citation_page

PAGES = Path(__file__).parent / "fixtures" / "pages"

V1_ENTRIES = [  # (line of the title, title, year, line of the summary) read off citations-page-v1.txt
    (11, "Borderline Personality Disorder: A Dysregulation of the Endogenous Opioid System?", 2010, 13),
    (15, "The Interpersonal Dimension of Borderline Personality Disorder: Toward a Neuropeptide Model", 2010, 17),
    (19, "An Opioid Deficit in Borderline Personality Disorder: Self-Cutting, Substance Abuse, "
         "and Social Dysfunction", 2010, 21),
    (26, "Dysregulation of regional endogenous opioid function in borderline personality disorder", 2010, 28),
    (30, "Differential methylation of OPRK1 in borderline personality disorder is associated with "
         "childhood trauma", 2024, 32),
    (39, "Safety, Tolerability, and Clinical Effect of Low-Dose Buprenorphine for Treatment-Resistant "
         "Depression in Midlife and Older Adults", 2014, 41),
    (43, "Ultra-Low-Dose Buprenorphine as a Time-Limited Treatment for Severe Suicidal Ideation: "
         "A Randomized Controlled Trial", 2015, 45),
    (47, "Use of Buprenorphine in Treatment of Refractory Depression — A Review of Current Literature", 2017, 49),
    (53, "The Use of Buprenorphine/Naloxone to Treat Borderline Personality Disorder: A Case Report", 2022, 55),
]


def test_v1_yields_its_nine_titled_entries_with_summaries(examples: Path) -> None:
    path = examples / "citations-page-v1.txt"
    document = read(path)
    lines = path.read_text(encoding="utf-8").split("\n")
    assert document.format == "citations-page"
    assert document.identity is not None and document.identity.title == "Research Citations"
    got = [(c.source.line, c.title, c.year, c.notes[0].source.line) for c in document.citations]
    assert got == V1_ENTRIES
    for citation in document.citations:
        assert citation.kind is CitationKind.ANNOTATED
        assert [n.text for n in citation.notes] == [lines[citation.notes[0].source.line - 1]]
    sections = [c.source.section for c in document.citations]
    assert sections == ["Borderline Personality Disorder & the Endogenous Opioid System"] * 5 + [
        "Buprenorphine for Depression & Suicidality"] * 3 + ["Case Reports Related to BPD"]


def test_commentary_between_entries_is_attached_nowhere(examples: Path) -> None:
    notes = [n.text for c in read(examples / "citations-page-v1.txt").citations for n in c.notes]
    assert not any(t.startswith(("Some of the studies below", "Taken together")) for t in notes)
    assert not any("Always use your own judgment" in t for t in notes)


def test_v2_without_titles_keeps_each_summary_as_an_untitled_entry(examples: Path) -> None:
    document = read(examples / "citations-page-v2.txt")
    entries = document.citations
    assert all(c.extra.get("untitled") and not c.title for c in entries)
    # the paragraphs that start at these lines are summaries; commentary (9, 43, 58)
    # and the advice under "Accessing Full Text" (93-97) are page prose
    assert [c.source.line for c in entries] == [14, 23, 30, 36, 44, 52, 70, 72, 80, 83]
    assert [c.label for c in entries] == [str(i) for i in range(1, 11)]
    assert entries[0].source.section == "The Endogenous Opioid System, Trauma, & Emotional Dysregulation"
    assert entries[-1].source.section == "Case Reports"
    oprk1 = entries[5].notes[0].text  # a full stop at a line end did not split this summary
    assert oprk1.startswith("This study found") and oprk1.endswith("dysphoria and aversive emotional states.")


@pytest.mark.parametrize("name, expected", [
    ("citations-page-v1.txt", True),
    ("citations-page-v2.txt", True),
    ("ketamine-bpd-review.html.txt", False),
    ("ketamine-bpd-review.pdf.txt", False),
    ("opioid-breakup-essay.txt", False),
])
def test_sniffing_the_seed_documents(examples: Path, name: str, expected: bool) -> None:
    assert looks_like_citation_page((examples / name).read_text(encoding="utf-8")) is expected


def test_not_a_page_bibtex_or_a_titled_list_with_references() -> None:
    assert not looks_like_citation_page("@article{a, title={X (2010)}, year={2010}}\n")
    text = ("A Study of Things (2010)\n\nIt found that things happen in most of the cases.\n\n"
            "Another Study (2011)\n\nIt found that other things happen in many cases.\n\nReferences\n\n1. A B.\n")
    assert not looks_like_citation_page(text)


def test_html_page_titles_links_and_sections() -> None:
    path = PAGES / "citations-page.html"
    assert sniff(str(path), path.read_bytes()) == "citations-page"
    document = read(path)
    assert [(c.title, c.year, c.source.section) for c in document.citations] == [
        ("Sleep spindles and the replay of learned sequences", 2004, "Consolidation During Sleep"),
        ("Targeted memory reactivation with odour cues in slow-wave sleep", 2007, "Consolidation During Sleep"),
        ("One night without sleep impairs hippocampal encoding", 2010, "Sleep Loss"),
    ]
    spindles, odour, loss = document.citations
    assert spindles.doi == "10.1000/sleep.2004.001"
    assert odour.identifiers == {"PMID": "12345678"} and odour.doi is None
    assert loss.doi == "10.1000/loss.2010.7"  # %-encoded dx.doi.org link, cleaned
    assert [len(c.notes) for c in document.citations] == [1, 1, 1]  # commentary attached nowhere
    assert spindles.notes[0].text.startswith("Shows that spindle density")
    assert spindles.source.line == 16 and spindles.notes[0].source.line == 17  # HTML source lines


def test_html_line_breaks_and_link_labels_after_titles() -> None:
    """A <br> inside a summary is a line break in one note (two <br> a new
    paragraph); "doi", "[PubMed]" or a URL linked after a title is not part
    of the title, and the links' targets are kept as identifiers."""
    document = read(PAGES / "citations-page-breaks.html")
    assert [(c.title, c.year) for c in document.citations] == [
        ("A First Invented Study of Things", 2014), ("Second Invented Study of Things", 2016),
        ("Third & Final Study of Things", 2015), ("A Fourth Invented Study", 2017)]
    first, second, third, fourth = document.citations
    assert [n.text for n in first.notes] == ["Shows that invented things happen in most of the invented cases.\n"
                                             "A second line of the same summary explains why they happen."]
    assert [n.text for n in second.notes] == ["Finds that other invented things happen in many invented cases."]
    assert (third.doi, third.identifiers) == ("10.5555/third.2015", {"PMID": "11111111"})
    assert len(fourth.notes) == 2


def test_forcing_a_page_reader_on_text_without_entries_fails_clearly(tmp_path: Path) -> None:
    path = tmp_path / "plain.txt"
    path.write_text("Just a paragraph of prose that is not a list of papers at all.\n", encoding="utf-8")
    with pytest.raises(InputError, match="no annotated entries"):
        read(path, "citations-page")


@pytest.mark.parametrize("text, prose", [
    ("Some of the studies below use specialized neuroimaging methods.", True),
    ("Taken together, these findings support a model of dysregulation.", True),
    ("If you have trouble accessing full-text versions of these papers:", True),
    ("- Search the title on PubMed or Google Scholar.", True),
    ("Using PET imaging, this study found higher receptor availability. These findings matter.", False),
    ("Demonstrates that low-dose buprenorphine improves mood in resistant depression.", False),
])
def test_page_prose_rule(text: str, prose: bool) -> None:
    assert is_page_prose(text) is prose
