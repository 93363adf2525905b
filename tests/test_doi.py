"""DOI finding, cleaning and validation (refkit.doi) on the forms printed in
real reference lists: the seed PDF copy's list and hand-written variants."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from refkit.doi import clean, find_dois, is_valid, normalize, split_concatenated, strip_trailing

from .conftest import EXAMPLES


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("doi: 10.1177/1039856219878643", "10.1177/1039856219878643"),
        ("https://doi.org/10.1000/ABC", "10.1000/ABC"),
        ("http://dx.doi.org/10.1000/abc.", "10.1000/abc"),
        ("doi: doi: 10.1000/x", "10.1000/x"),
        ("https://doi.org/https://doi.org/10.1000/x", "10.1000/x"),
        ("https://doi.org/10.1000%2Fabc", "10.1000/abc"),
        ("DOI:10.1016/S0140-6736(21)00476-1.", "10.1016/S0140-6736(21)00476-1"),
        ("(doi:10.1000/xyz)", "10.1000/xyz"),
        ("urn:doi:10.1000/xyz", "10.1000/xyz"),
        ("no doi here", None),
    ],
)
def test_clean_strips_prefixes_and_sentence_punctuation(text: str, expected: str | None) -> None:
    assert clean(text) == expected


def test_normalize_is_case_insensitive_comparison_form() -> None:
    assert normalize("https://doi.org/10.1016/J.PSC.2018.07.009") == "10.1016/j.psc.2018.07.009"


def test_parenthesis_kept_only_when_balanced() -> None:
    assert strip_trailing("10.1016/S0140-6736(21)00476-1)") == "10.1016/S0140-6736(21)00476-1"
    assert strip_trailing("10.1002/(SICI)1097-0258") == "10.1002/(SICI)1097-0258"


def test_doi_split_across_line_break_is_rejoined() -> None:
    [found] = find_dois("Psychiatry Res. (2017) 249:321-6. doi: 10.1016/j.psychres.\n2017.01.011\n")
    assert found.doi == "10.1016/j.psychres.2017.01.011"
    assert found.printed == "doi: 10.1016/j.psychres.\n2017.01.011"


def test_doi_split_by_stray_space_before_hyphen_is_rejoined() -> None:
    """The IPAC2018 PDF prints "10.18429/JACoW -HP071-WEPTY035" (shared/data/README.md)."""
    [found] = find_dois("doi:10.18429/JACoW -HP071-WEPTY035 and more")
    assert found.doi == "10.18429/JACoW-HP071-WEPTY035"


def test_doi_ending_a_list_entry_does_not_swallow_the_next_number() -> None:
    text = "27:573-7. doi: 10.1177/1039856219878643.\n6. Newton-Howes G"
    assert [f.doi for f in find_dois(text)] == ["10.1177/1039856219878643"]
    assert [f.doi for f in find_dois("x 10.1000/abc.\n[7] Foo")] == ["10.1000/abc"]


def test_sentence_after_doi_is_not_joined() -> None:
    assert [f.doi for f in find_dois("doi: 10.1000/abc. Next sentence")] == ["10.1000/abc"]


def test_malformed_doi_after_marker_is_reported_invalid() -> None:
    [found] = find_dois("J Affect Disord. doi: 10.1016j.jad.2020.11.111")
    assert not found.valid
    assert found.doi == "10.1016j.jad.2020.11.111"


def test_two_dois_in_one_text_are_both_found_in_order() -> None:
    found = find_dois("see doi:10.1000/a1 and https://doi.org/10.2000/b2.")
    assert [f.doi for f in found] == ["10.1000/a1", "10.2000/b2"]


def test_concatenated_dois_are_split() -> None:
    assert split_concatenated("10.1016/j.jad.2019.04.05010.1016/j.jad.2019.04.050") == [
        "10.1016/j.jad.2019.04.050",
        "10.1016/j.jad.2019.04.050",
    ]
    assert split_concatenated("10.1000/abc") == ["10.1000/abc"]


@pytest.mark.parametrize(
    ("doi", "valid"),
    [
        ("10.1000/abc", True),
        ("10.1002/1096-9861(20010212)430:3<283::aid-cne1031>3.0.co;2-v", True),
        ("10.123/abc", False),
        ("10.1000/", False),
        ("10.1000/a b", False),
        ("11.1000/abc", False),
    ],
)
def test_is_valid(doi: str, valid: bool) -> None:
    assert is_valid(doi) is valid


def test_every_printed_doi_of_the_seed_pdf_copy_is_found_exactly() -> None:
    """Each `doi: …` of the seed's reference list comes back character for character."""
    text = (EXAMPLES / "ketamine-bpd-review.pdf.txt").read_text(encoding="utf-8")
    refs = text[text.index("\nReferences\n"):]
    printed = re.findall(r"doi: (\S+?)\.?$", refs, flags=re.MULTILINE)
    found = [f.doi for f in find_dois(refs)]
    assert len(printed) >= 140
    assert found == printed


@given(st.text())
def test_find_dois_never_raises_and_returns_cleaned_forms(text: str) -> None:
    for found in find_dois(text):
        assert found.doi == strip_trailing(found.doi)
        assert found.start < found.end


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('<a href="https://doi.org/10.1000/abc">Title</a>', ["10.1000/abc"]),
        ("doi:10.1000/abc\u200b and more", ["10.1000/abc"]),
        ("https://doi.org/10.1000/xyz?via=ihub", ["10.1000/xyz"]),
        ("doi:10.1000/abc,doi:10.1000/def", ["10.1000/abc", "10.1000/def"]),
        ("https://onlinelibrary.wiley.com/doi/10.1002/%28SICI%291097-0061%28199807%2914:10%3C953::"
         "AID-YEA293%3E3.0.CO;2-A", ["10.1002/(SICI)1097-0061(199807)14:10<953::AID-YEA293>3.0.CO;2-A"]),
        ("doi:10.1002/1096-9861(20010212)430:3<283::aid-cne1031>3.0.co;2-v.",
         ["10.1002/1096-9861(20010212)430:3<283::aid-cne1031>3.0.co;2-v"]),
    ],
)
def test_dois_in_web_text_end_where_the_markup_or_query_begins(text: str, expected: list[str]) -> None:
    """Forms a reviewer found in pasted web text: markup, zero-width spaces,
    query strings, comma-joined DOIs, %-encoded SICI DOIs."""
    found = find_dois(text)
    assert [f.doi for f in found] == expected and all(f.valid for f in found)


def test_doi_url_encodes_what_urls_cannot_hold():
    from refkit.doi import doi_url

    assert doi_url("10.1177/1039856219878643") == "https://doi.org/10.1177/1039856219878643"
    assert doi_url("10.1175/1520-0493(1974)102<0736:WACOJ>2.0.CO;2") == (
        "https://doi.org/10.1175/1520-0493(1974)102%3C0736:WACOJ%3E2.0.CO;2")


@pytest.mark.parametrize("text, doi", [
    ("doi:10.15585/mmwr.mm6609e1.PMID:28278147", "10.15585/mmwr.mm6609e1"),
    ("doi: 10.1093/ije/dyx151,arXiv:1703.00001", "10.1093/ije/dyx151"),
    ("https://doi.org/10.1371/journal.pone.0033693[PubMed]", "10.1371/journal.pone.0033693"),
    ("doi:10.1002/(SICI)1097-0061(199807)14:10<953::AID-YEA293>3.0.CO;2-U", None),
])
def test_a_doi_ends_where_an_identifier_or_word_is_run_into_it(text, doi):
    [found] = find_dois(text)
    assert found.doi == (doi or text[4:])

