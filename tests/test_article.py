"""Articles as text and HTML: identity, reference list hand-off, in-text
markers. Real inputs from examples/, plus hand-written HTML in tests/fixtures/pages/."""

from __future__ import annotations

from pathlib import Path

from refkit.model import CitationKind
from refkit.readers import read
from refkit.readers.article import read_article_text
from refkit.readers.markers import expand_numbers, numeric_markers

PAGES = Path(__file__).parent / "fixtures" / "pages"


def test_html_copy_of_review_identity_from_citation_line(examples: Path) -> None:
    document = read(examples / "ketamine-bpd-review.html.txt")
    identity = document.identity
    assert identity is not None and identity.extra["identity_from"] == "citation line"
    assert identity.doi == "10.3389/fpsyt.2024.1398859" and identity.source.line == 158
    assert identity.title == ("Depression with comorbid borderline personality disorder - "
                              "could ketamine be a treatment catalyst?")
    assert (identity.year, identity.container, identity.volume, identity.pages) == (
        2024, "Front. Psychiatry", "15", "1398859")
    assert [a.family for a in identity.authors][:2] == ["Więdłocha", "Marcinowicz"]
    assert len(identity.authors) == 7


def test_numeric_markers_without_a_list_are_summed_up_not_listed(examples: Path) -> None:
    document = read(examples / "ketamine-bpd-review.html.txt")
    assert document.citations == []  # no list, and no flood of 140+ unlisted numbers
    markers = document.extra["numeric_markers"]
    assert markers["highest"] == 148 and markers["first_line"] == 17
    assert markers["occurrences"] > 100 and markers["unsplit"] == []


def test_pdf_copy_identity_from_citation_block(examples: Path) -> None:
    document = read(examples / "ketamine-bpd-review.pdf.txt")
    identity = document.identity
    assert identity is not None and identity.extra["identity_from"] == "CITATION block"
    assert identity.doi == "10.3389/fpsy.2024.1398859" and identity.source.line == 34
    assert identity.doi_printed == "doi: 10.3389/fpsy.2024.1398859"
    references = [c for c in document.citations if c.kind is CitationKind.REFERENCE]
    assert len(references) == 148  # from refkit.readers.reflist
    assert "numeric_markers" not in document.extra
    assert not [c for c in document.citations if c.kind is CitationKind.UNLISTED]


def test_essay_markers_and_mentions_become_unlisted_citations(examples: Path) -> None:
    path = examples / "opioid-breakup-essay.txt"
    document = read(path)
    assert document.identity is None and document.format == "article"
    assert all(c.kind is CitationKind.UNLISTED for c in document.citations)
    labels = [c.label for c in document.citations]
    assert sorted(labels[:9]) == ["S001", "S002", "S004", "S005", "S007", "S008", "S013", "S014", "S015"]
    assert labels[9:] == ["Hsu 2013", "Emery 2020", "Elman 2016", "Monroe 2023"]
    s001 = document.citations[0]
    assert s001.source.line == 2 and s001.extra["occurrences"] == [2, 4, 60, 91, 92]
    assert s001.context.startswith("The endogenous opioid system is a network") and s001.context.endswith("(S008).")
    hsu = document.citations[9]
    assert (hsu.source.line, hsu.year, hsu.authors[0].family) == (54, 2013, "Hsu")
    assert hsu.raw == "Hsu and colleagues (2013)" and hsu.context.startswith("A study by Hsu and colleagues")


def test_a_mention_that_the_list_resolves_is_not_unlisted() -> None:
    text = ("Hsu and colleagues (2013) saw it (1). (Smith et al., 2020) did not (2; 3).\n\n"
            "References\n\n"
            "1. Hsu DT, Sanford BJ, Meyers KK. Response of the opioid system to social rejection. "
            "Mol Psychiatry. 2013;18:1211-7.\n")
    document = read_article_text("t.txt", text, "article")
    unlisted = {c.label for c in document.citations if c.kind is CitationKind.UNLISTED}
    assert unlisted == {"Smith 2020", "2", "3"}


def test_html_article_meta_identity_links_and_source_lines() -> None:
    document = read(PAGES / "article.html")
    identity = document.identity
    assert identity is not None and identity.extra["identity_from"] == "meta tags"
    assert (identity.doi, identity.year, identity.title) == (
        "10.1000/jse.2021.0042", 2021, "Night shifts and memory: a cohort study")
    references = [c for c in document.citations if c.kind is CitationKind.REFERENCE]
    assert [c.doi for c in references] == ["10.1000/jse.2015.003", "10.1000/oe.2017.8", None]
    assert references[1].identifiers["PMID"] == "2222222"
    assert [c.source.line for c in references] == [22, 24, 26]  # lines of the HTML source
    unlisted = [c for c in document.citations if c.kind is CitationKind.UNLISTED]
    assert [(c.label, c.source.line) for c in unlisted] == [("4", 18)]  # Okafor et al. (2019) is ref 3


def test_ranges_whose_dash_was_lost_are_restored() -> None:
    assert expand_numbers("1719", 148) == [17, 18, 19]
    assert expand_numbers("104108", 148) == [104, 105, 106, 107, 108]
    assert expand_numbers("13", 148) == [13]  # ambiguous without the list's copy: read as printed
    assert expand_numbers("1–3, 7", 148) == [1, 2, 3, 7]
    years = numeric_markers(["Shown in 2019 (2019) and before (12)."])
    assert [m.label for m in years] == ["12"]


def test_counts_in_parentheses_of_a_paper_citing_by_superscript_are_not_citations() -> None:
    """Like the Fritzsch 2022 PDF (shared/data/pdf): "deployment (44) and
    operation (31)" are paper counts in a 43-entry list cited by superscripts."""
    entries = "".join(f"{n}. Author{n} A. Title number {n}. J Test. 2019;{n}:1-2.\n" for n in range(1, 44))
    text = ("Design was the major focus (mentions in 127 papers), followed by deployment (44) "
            "and operation (31). Security (9) and safety (10) also mattered.\n\nReferences\n\n" + entries)
    document = read_article_text("t.txt", text, "article")
    assert [c.label for c in document.citations if c.kind is CitationKind.UNLISTED] == []
    assert len(document.citations) == 43


def test_a_wrapped_how_to_cite_line_and_a_header_doi_give_the_articles_identity() -> None:
    """Like the Fritzsch 2022 PDF (shared/data/pdf): the citation wraps over
    three lines in AMA style; the DOI also stands in the page header."""
    text = ("DOI: 10.5555/spe.9999\n\nRESEARCH ARTICLE\n\nBody text.\n\n"
            "How to cite this article: Okafor A, Lindqvist S, Brandt T. Night shifts and\n"
            "memory: a rapid review. Softw Pract Exper. 2023;53(3):790-810.\n"
            "doi:10.5555/spe.9999\n\nReferences\n\n1. Hsu DT. Response of the opioid system. "
            "Mol Psychiatry. 2013;18:1211-7.\n")
    identity = read_article_text("t.txt", text, "article").identity
    assert identity is not None
    assert (identity.title, identity.year, identity.doi) == (
        "Night shifts and memory: a rapid review", 2023, "10.5555/spe.9999")
    assert [a.family for a in identity.authors] == ["Okafor", "Lindqvist", "Brandt"]

    no_doi_line = text.replace("\ndoi:10.5555/spe.9999", "")
    assert read_article_text("t.txt", no_doi_line, "article").identity.doi == "10.5555/spe.9999"


def test_counts_and_specimen_numbers_in_parentheses_are_not_unlisted_citations() -> None:
    """Like PMC6289780 and PMC6150305 (shared/data/pdf-gold): "the cell (8,590)
    and cell part (8,553)" are counts grouped in thousands, "voucher specimen
    (117693)" an accession number; neither is a reference of a 12-entry list
    cited by number, while a marker just past the list still is."""
    entries = "".join(f"{n}. Author{n} A. Title number {n}. J Test. 2019;{n}:1-2.\n" for n in range(1, 13))
    text = ("Assembly was shown before (1-10) and (11, 12). The cell (8,590) and cell part (8,553) "
            "were enriched, and binding (13,723) too (1,000). The specimen (117693) is deposited. "
            "Later work (40) agrees.\n\nReferences\n\n" + entries)
    document = read_article_text("t.txt", text, "article")
    assert [c.label for c in document.citations if c.kind is CitationKind.UNLISTED] == ["40"]
    assert [m.label for m in numeric_markers(["refs (1,2) and (3,4,5)"], 12)] == ["1", "2", "3", "4", "5"]
