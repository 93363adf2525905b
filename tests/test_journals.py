"""Printed journal abbreviations are told from full names (refkit.journals,
with the ISSN Centre's LTWA from bibiso4) and never stored as the full name."""

from __future__ import annotations

import json

import pytest
import rispy

from refkit.journals import is_abbreviation
from refkit.model import Citation, Location, Resolution, Status, Work, WorkSource
from refkit.writers import csljson, ris

from .conftest import FIXTURES, SHARED_DATA


@pytest.mark.parametrize("name", ["Australas Psychiatry", "J Clin Psychiatry", "Pers Ment Health",
                                  "Psychiatr Clin North Am", "N Engl J Med", "J. Affect. Disord.",
                                  "Neuropsychiatr Dis Treat", "Front Psychiatry"])
def test_abbreviations_are_recognised(name):
    assert is_abbreviation(name)


@pytest.mark.parametrize("name", ["Australasian Psychiatry", "Journal of Clinical Psychiatry", "Lancet",
                                  "JAMA Psychiatry", "World Psychiatry", "Pain Medicine", "Cell Reports",
                                  "New England Journal of Medicine", "Molecular Psychiatry", "Pain"])
def test_full_names_one_word_names_and_acronyms_are_not(name):
    assert not is_abbreviation(name)


def test_the_seed_records_full_names_are_never_taken_for_abbreviations():
    records = [json.loads(line) for line in (FIXTURES / "seed" / "works.jsonl").open(encoding="utf-8")]
    full = {name for r in records for name in r.get("container-title", [])}
    short = {name for r in records for name in r.get("short-container-title", [])} - full
    assert not [name for name in full if is_abbreviation(name)]
    assert sum(map(is_abbreviation, short)) >= 0.9 * len(short)


@pytest.mark.shared_data
def test_few_real_crossref_full_names_read_as_abbreviations():
    names = [name for line in (SHARED_DATA / "crossref-works.jsonl").open(encoding="utf-8")
             for name in json.loads(line).get("container-title", [])]
    assert len(names) > 5000
    assert sum(map(is_abbreviation, names)) < 0.005 * len(names)


def printed(container: str, status: Status = Status.UNVERIFIED, work: dict | None = None) -> Resolution:
    where = Location("paper.txt", 3, label="1")
    citation = Citation(raw="raw", source=where, title="A title", container=container, year=2019)
    if work is None:
        return Resolution(citation, citation.to_work(), status)
    return Resolution(citation, Work(work, source=WorkSource.CROSSREF), status)


def test_offline_a_printed_abbreviation_is_the_abbreviation_not_the_full_name():
    [record] = rispy.loads(ris.write([printed("Australas Psychiatry")]))
    assert record["alternate_title1"] == "Australas Psychiatry" and "secondary_title" not in record
    [item] = json.loads(csljson.write([printed("Australas Psychiatry")]))
    assert item["journalAbbreviation"] == "Australas Psychiatry" and "container-title" not in item
    [item] = json.loads(csljson.write([printed("Australasian Psychiatry")]))
    assert item["container-title"] == "Australasian Psychiatry" and "journalAbbreviation" not in item


def test_crossref_full_name_with_the_printed_abbreviation_when_crossref_has_none():
    work = {"type": "article-journal", "title": "A title", "container-title": "Australasian Psychiatry"}
    [item] = json.loads(csljson.write([printed("Australas Psychiatry", Status.DOI_VERIFIED, work)]))
    assert item["container-title"] == "Australasian Psychiatry"
    assert item["journalAbbreviation"] == item["container-title-short"] == "Australas Psychiatry"
