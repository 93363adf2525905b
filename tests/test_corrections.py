"""Candidate corrections of wrong printed DOIs (refkit.resolving.corrections), on the
error kinds the seed PDF copy shows and the ones references commonly carry."""

from __future__ import annotations

import pytest

from refkit.resolving.corrections import candidates, relation


def dois(printed: str, known=()) -> list[str]:
    return [c.doi for c in candidates(printed, known)]


@pytest.mark.parametrize(("printed", "meant"), [
    ("10.1016/j.jad.2020.11.111.pdf", "10.1016/j.jad.2020.11.111"),
    ("10.1002/hbm.23085/full", "10.1002/hbm.23085"),
    ("10.1002/hbm.23085/abstract", "10.1002/hbm.23085"),
    ("10.1101/2020.01.01.123456v2", "10.1101/2020.01.01.123456"),
    ("10.1371/journal.pone.0033693.g001", "10.1371/journal.pone.0033693"),
    ("10.1016/j.jad.2020.11.11110.1016/j.jad.2020.11.111", "10.1016/j.jad.2020.11.111"),
    ("10.1038/npp.2016.18610.1093/ijnp/pyaa089", "10.1093/ijnp/pyaa089"),
    ("10.1016/j.jad.2o20.11.111", "10.1016/j.jad.2020.11.111"),  # letter o among digits
    ("10.1016/j.jad.2020.11.1111", "10.1016/j.jad.2020.11.111"),  # doubled digit
    ("10.1016/j.jad.2020.11.11l", "10.1016/j.jad.2020.11.111"),  # l for 1 beside digits
    ("10.1177/0269881117171172", "10.1177/0269881117711172"),  # adjacent transposition
    ("10,1016/j.jad.2020.11.111", "10.1016/j.jad.2020.11.111"),  # comma in the prefix
    ("10.1002/1096-9861(20010212)430:3283::aid-cne1031>3.0.co;2-v",
     "10.1002/1096-9861(20010212)430:3<283::aid-cne1031>3.0.co;2-v"),  # SICI lost its "<"
])
def test_the_meant_doi_is_among_the_candidates(printed, meant):
    assert meant.lower() in [d.lower() for d in dois(printed)]


def test_journal_codes_are_learnt_from_other_dois_under_the_prefix():
    known = ["10.3389/fpsyt.2024.1398859", "10.3389/fnins.2020.00687"]
    found = candidates("10.3389/fpsy.2022.995726", known)
    assert found[0].doi == "10.3389/fpsyt.2022.995726" and found[0].kind == "journal-code"
    assert "10.3389/fnins.2022.995726" not in dois("10.3389/fpsy.2022.995726", known)


def test_candidates_are_bounded_valid_and_never_the_printed_doi():
    printed = "10.1016/j.psychres.2017.01.011"
    found = dois(printed)
    assert 0 < len(found) <= 60
    assert printed not in found
    assert all(d.startswith("10.") and "/" in d for d in found)


@pytest.mark.parametrize(("printed", "candidate", "kind"), [
    ("10.1109/TBME.10", "10.1109/TBME.2018.2877651", "truncated"),
    ("10.3389/fpsy.2022.995726", "10.3389/fpsyt.2022.995726", "journal-code"),
    ("10.1002/da.2014.31.issue-4", "10.1002/da.22253", "issue-doi"),
    ("10.1177/0269881117171172", "10.1177/0269881117711172", "transposition"),
    ("10.1016/j.jad.2020.11.112", "10.1016/j.jad.2020.11.111", "single-character"),
    ("10.1000/a10.1000/b", "10.1000/b", "concatenated"),
    ("10.1002/hbm.23085/full", "10.1002/hbm.23085", "extra-characters"),
    ("10.1016/j.jad.2020.11.111", "10.1093/brain/awq010", "different-doi"),
])
def test_relation_names_the_error(printed, candidate, kind):
    assert relation(printed, candidate) == kind
