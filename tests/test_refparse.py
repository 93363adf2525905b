"""parse_reference on printed reference strings: the seed review's Frontiers
style, AMA, APA, IEEE and ACM forms, and (shared_data) real strings from the
Crossref reference-matching evaluation."""

from __future__ import annotations

import json
import random
import re

import pytest

from refkit.model import Name
from refkit.refparse import parse_reference

from .conftest import SHARED_DATA


def test_frontiers_vancouver_with_markdown_italics() -> None:
    f = parse_reference("Rao S, Broadbear J. Borderline personality disorder and depressive disorder. "
                        "*Australas Psychiatry*. (2019) 27:573–7. doi: 10.1177/1039856219878643")
    assert f["authors"] == [Name("Rao", "S"), Name("Broadbear", "J")]
    assert (f["title"], f["container"]) == ("Borderline personality disorder and depressive disorder", "Australas Psychiatry")
    assert (f["year"], f["volume"], f["pages"], f["csl_type"]) == (2019, "27", "573–7", "article-journal")


def test_et_al_suffix_and_particles() -> None:
    f = parse_reference("Zarate CA Jr., Singh JB, van der Berg PF, aan het Rot M, et al. A randomized trial. "
                        "*Arch Gen Psychiatry*. (2006) 63:856–64.")
    assert f["et_al"] is True
    assert f["authors"][0] == Name("Zarate", "CA", suffix="Jr")
    assert [a.family for a in f["authors"][1:]] == ["Singh", "van der Berg", "aan het Rot"]


def test_ama_with_issue_and_question_mark_in_title() -> None:
    f = parse_reference("Törngren M, Grogan P. How to deal with the complexity of future cyber-physical systems? "
                        "Designs. 2018;2(4):40. doi:10.3390/designs2040040")
    assert f["title"] == "How to deal with the complexity of future cyber-physical systems?"
    assert (f["container"], f["year"], f["volume"], f["issue"], f["pages"]) == ("Designs", 2018, "2", "4", "40")


def test_apa_with_ampersand_and_doi_url() -> None:
    f = parse_reference("Rao, S., & Broadbear, J. (2019). Borderline personality disorder. "
                        "Australasian Psychiatry, 27(6), 573–577. https://doi.org/10.1177/1039856219878643")
    assert [a.family for a in f["authors"]] == ["Rao", "Broadbear"]
    assert f["authors"][0].given == "S."
    assert (f["title"], f["container"]) == ("Borderline personality disorder", "Australasian Psychiatry")
    assert (f["year"], f["volume"], f["issue"], f["pages"], f["url"]) == (2019, "27", "6", "573–577", "")


def test_ieee_quoted_title_and_proceedings() -> None:
    f = parse_reference("R. Paparella et al., “Coaxial Blade Tuner for European XFEL 3.9 GHz Cavities”, "
                        "in Proc. SRF’13, Paris, France, Sep. 2013, THP077.")
    assert f["authors"] == [Name("Paparella", "R.")] and f["et_al"]
    assert f["title"] == "Coaxial Blade Tuner for European XFEL 3.9 GHz Cavities"
    assert f["year"] == 2013 and f["csl_type"] == "paper-conference"


def test_ieee_vol_no_pp() -> None:
    f = parse_reference('A. B. Smith and C. Jones, "A study of invented signals," IEEE Trans. Fict., '
                        "vol. 12, no. 3, pp. 100–110, 2019.")
    assert [a.family for a in f["authors"]] == ["Smith", "Jones"]
    assert (f["volume"], f["issue"], f["pages"], f["year"]) == ("12", "3", "100–110", 2019)
    assert f["container"] == "IEEE Trans. Fict"


def test_acm_year_after_authors() -> None:
    f = parse_reference("Steiner, C. J. 1998. Educating for innovation and management. "
                        "IEEE Transactions on Education 41, 1 (1998), 1--7.")
    assert f["authors"] == [Name("Steiner", "C. J.")]
    assert (f["year"], f["title"]) == (1998, "Educating for innovation and management")
    assert (f["container"], f["volume"], f["issue"], f["pages"]) == ("IEEE Transactions on Education", "41", "1", "1--7")


def test_springer_year_in_parentheses_after_authors() -> None:
    f = parse_reference("West MJ (1993) New stereological methods for counting neurons. Neurobiol Ageing 14:275–285")
    assert f["authors"] == [Name("West", "MJ")]
    assert (f["year"], f["title"], f["container"], f["volume"], f["pages"]) == (
        1993, "New stereological methods for counting neurons", "Neurobiol Ageing", "14", "275–285")


def test_organisation_author_and_book_with_place_and_publisher() -> None:
    f = parse_reference("National Collaborating Centre for Mental Health (UK). *Borderline Personality Disorder: "
                        "Treatment and Management*. Leicester (UK: British Psychological Society (UK (2009)).")
    assert f["authors"] == [Name(literal="National Collaborating Centre for Mental Health (UK)")]
    assert f["title"] == "Borderline Personality Disorder: Treatment and Management"
    assert (f["csl_type"], f["year"], f["publisher"]) == ("book", 2009, "British Psychological Society")


def test_ama_book_and_chapter() -> None:
    book = parse_reference("Wohlin C, Runeson P. Experimentation in Software Engineering. Springer; 2012.")
    assert (book["title"], book["publisher"], book["year"], book["csl_type"]) == (
        "Experimentation in Software Engineering", "Springer", 2012, "book")
    chapter = parse_reference("Seaman CB. Qualitative methods. Guide to Advanced Empirical Software Engineering. "
                              "Springer; 2008:35-62.")
    assert (chapter["title"], chapter["container"], chapter["pages"], chapter["csl_type"]) == (
        "Qualitative methods", "Guide to Advanced Empirical Software Engineering", "35-62", "chapter")


def test_web_page_without_authors_or_title() -> None:
    f = parse_reference("(2023). Available online at: <https://icd.who.int/en>.")
    assert f["authors"] == [] and f["title"] == ""
    assert (f["year"], f["url"], f["csl_type"]) == (2023, "https://icd.who.int/en", "webpage")


def test_bracketed_translated_title_loses_its_brackets() -> None:
    f = parse_reference("Oumaya M, Friedman S. [Borderline personality disorder, self-mutilation and suicide: "
                        "literature review]. *Encephale*. (2008) 34:452–8.")
    assert f["title"] == "Borderline personality disorder, self-mutilation and suicide: literature review"
    assert f["container"] == "Encephale"


@pytest.mark.parametrize("text", ["", "   ", "*", "doi: 10.1000/x", "(", "et al.", "1999"])
def test_degenerate_strings_give_empty_fields(text: str) -> None:
    f = parse_reference(text)
    assert set(f) == {"authors", "et_al", "title", "container", "year", "volume", "issue", "pages",
                      "publisher", "url", "csl_type"}


def _sample(name: str, size: int) -> list[str]:
    data = json.loads((SHARED_DATA / "crossref-matching-eval" / name).read_text(encoding="utf-8"))["dataset"]
    return [item["ref_string"] for item in random.Random(7).sample(data, size)]


@pytest.mark.shared_data
def test_real_apa_strings_from_crossref_eval() -> None:
    """400 artificial APA strings from CrossRef/reference-matching-evaluation
    (analyses/2_unstructured_artificial_evaluation/data/datasets/dataset-apa.json)."""
    strings = _sample("dataset-apa.json", 400)
    parsed = [parse_reference(s) for s in strings]
    with_year = [(s, f) for s, f in zip(strings, parsed) if re.search(r"\((?:19|20)\d\d\)", s)]
    assert sum(str(f["year"]) in s for s, f in with_year) >= 0.97 * len(with_year)
    assert sum(len(f["title"]) > 10 for f in parsed) >= 0.93 * len(parsed)
    assert sum(bool(f["authors"]) for f in parsed) >= 0.88 * len(parsed)
    assert sum(bool(f["container"]) for f in parsed) >= 0.8 * len(parsed)


@pytest.mark.shared_data
def test_real_unstructured_strings_from_crossref_eval() -> None:
    """400 real reference strings from CrossRef/reference-matching-evaluation
    (analyses/3_unstructured_real_evaluation/data/unstructured_orig.json):
    mixed styles, OCR noise; the year and a title should still come out."""
    strings = _sample("unstructured_orig.json", 400)
    parsed = [parse_reference(s) for s in strings]
    dated = [(s, f) for s, f in zip(strings, parsed) if re.search(r"\b(?:19|20)\d\d\b", s)]
    assert sum(f["year"] is not None and str(f["year"]) in s for s, f in dated) >= 0.95 * len(dated)
    assert sum(len(f["title"]) > 10 for f in parsed) >= 0.9 * len(parsed)
    assert sum(bool(f["authors"]) for f in parsed) >= 0.75 * len(parsed)
