"""Initials run together are spelled out, so BibTeX and citeproc-py keep
every one ("RS" is two initials, not a name to shorten to "R.")."""

import pytest

from refkit.initials import spelled_out


@pytest.mark.parametrize("given, spelled", [
    ("RS", "R. S."), ("MCG", "M. C. G."), ("J-H", "J.-H."), ("R", "R."), ("A B", "A. B."),
    ("John", "John"), ("Li", "Li"), ("ABCD", "ABCD"), ("John RS", "John R. S."), ("John S", "John S"), ("", ""),
])
def test_runs_of_initials_are_spelled_out_and_names_kept(given, spelled):
    assert spelled_out(given) == spelled
