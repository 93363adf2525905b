"""Page ranges as the seed list prints them (Frontiers/Vancouver "573–7")."""

from __future__ import annotations

import pytest

from refkit.pages import expand, page_range


@pytest.mark.parametrize(
    ("pages", "expected"),
    [
        ("573–7", ("573", "577")),
        ("1528–40", ("1528", "1540")),
        ("218-227", ("218", "227")),
        ("e24632", ("e24632", "")),
        ("S12–S19", ("S12", "S19")),
        ("335", ("335", "")),
        ("99–101", ("99", "101")),
        ("961a–1", ("961a", "961")),  # Crossref's 961a-961, as citeproc prints it
    ],
)
def test_page_range_writes_abbreviated_ends_out(pages: str, expected: tuple[str, str]) -> None:
    assert page_range(pages) == expected


def test_expand_keeps_what_is_not_a_simple_range() -> None:
    assert expand("925–33") == "925-933"
    assert expand("e2317130") == "e2317130"
    assert expand("") == ""
    assert page_range("") is None


def test_every_dash_a_page_range_is_printed_with_splits_it() -> None:
    """Non-breaking hyphen (Medknow PDFs: "291‑306"), hyphen, figure dash and minus sign as well as - – —."""
    for dash in "-–—‐‑‒−":
        assert page_range(f"291{dash}306") == ("291", "306")
        assert expand(f"161{dash}71") == "161-171"
