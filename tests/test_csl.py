"""Crossref records -> CSL-JSON items: type mapping, titles and markup, names,
dates, identifiers; and every one of the real records validating against the
official CSL-JSON schema."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from refkit.csl import CROSSREF_TO_CSL, CSL_TYPES, csl_type, from_crossref, plain_text
from refkit.model import WorkSource

from .conftest import SHARED_DATA

ODD_WORKS = Path(__file__).parent / "fixtures" / "crossref" / "works.jsonl"
FIXTURES = {r["DOI"]: r for r in map(json.loads, ODD_WORKS.read_text(encoding="utf-8").splitlines())}


def fixture(doi: str):
    return from_crossref(FIXTURES[doi])


def test_every_crossref_type_maps_to_a_csl_type():
    assert set(CROSSREF_TO_CSL.values()) <= CSL_TYPES
    assert len(CSL_TYPES) == 45
    assert csl_type("journal-article") == "article-journal"
    assert csl_type("proceedings-article") == "paper-conference"
    assert csl_type("Book-Chapter") == "chapter"
    assert csl_type("something-new") == "document"
    assert csl_type(None) == "document"


def test_titles_lose_markup_and_keep_the_subtitle_in_raw():
    work = fixture("10.5555/refkit.markup")
    assert work.title == "Growth of Escherichia coli at 37°C"
    assert work.data["title-short"] == "E. coli growth"
    assert work.raw["subtitle"] == ["a <scp>TEST</scp> subtitle"]
    assert work.data["abstract"] == "We grew E. coli at p < 0.05."
    assert work.container == "Journal of Markup Studies"
    assert work.data["container-title-short"] == "J Markup Stud"
    assert work.raw["container-title"][1] == "J Markup Stud Series"


def test_names_dates_and_identifiers():
    work = fixture("10.5555/refkit.markup")
    assert work.data["author"] == [
        {"family": "de Markup", "given": "Carla", "suffix": "Jr."},
        {"literal": "The Refkit Consortium"}]
    assert work.data["editor"] == [{"family": "Editor", "given": "Dan"}]
    assert work.data["issued"] == {"date-parts": [[2018, 11, 30]]}
    assert work.data["available-date"] == {"date-parts": [[2018, 11, 30]]}
    assert work.raw["published-print"] == {"date-parts": [[2019, 3]]}
    assert work.data["ISSN"] == "1234-5678, 8765-4321"
    assert work.data["URL"] == "https://doi.org/10.5555/refkit.markup"
    assert (work.data["volume"], work.data["issue"], work.data["page"], work.data["number"]) == (
        "12", "4", "101-119", "e101")
    assert work.raw["update-to"][0]["type"] == "correction"
    assert work.source is WorkSource.CROSSREF and work.year == 2018


def test_chapter_preprint_and_component():
    chapter = fixture("10.5555/refkit.chapter")
    assert chapter.data["type"] == "chapter"
    assert chapter.data["ISBN"] == "9780000000002, 9780000000019"
    assert (chapter.data["publisher-place"], chapter.data["edition"]) == ("Nowhere", "2")
    preprint = fixture("10.5555/refkit.preprint")
    assert preprint.data["type"] == "article"
    assert preprint.data["issued"] == {"date-parts": [[2017, 6, 1]]}  # from "posted"
    component = fixture("10.5555/refkit.component")
    assert component.data["type"] == "document"
    assert "title" not in component.data and "container-title" not in component.data
    assert component.data["id"] == "10.5555/refkit.component"


def test_fixture_markers_never_reach_the_item_or_raw():
    work = fixture("10.5555/refkit.chapter")
    assert not any(key.startswith("_") for key in [*work.data, *work.raw])


@pytest.mark.parametrize("markup, text", [
    ("A &lt;scp&gt;DNA&lt;/scp&gt; test", "A DNA test"),
    ("Title<subtitle>With subtitle</subtitle>", "Title With subtitle"),
    ("<mml:math><mml:mi>x</mml:mi></mml:math>-rays", "x-rays"),
    ("plain", "plain"),
])
def test_plain_text(markup, text):
    assert plain_text(markup) == text


@pytest.mark.shared_data
def test_all_real_records_validate_against_the_csl_schema():
    """Every record of ../shared/data/crossref-works.jsonl (8,016 real Crossref
    records collected from rcrossref, habanero, serrano, commonmeta-py,
    oc_ds_converter and other repos' fixtures; see shared/data/README.md)
    converts to an item that the official CSL-JSON schema
    (../shared/data/csl/csl-data.json) accepts."""
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads((SHARED_DATA / "csl" / "csl-data.json").read_text(encoding="utf-8"))
    with (SHARED_DATA / "crossref-works.jsonl").open(encoding="utf-8") as lines:
        works = [from_crossref(json.loads(line)) for line in lines]
    items = [w.data for w in works]
    assert len(items) == 8016
    assert {item["type"] for item in items} <= CSL_TYPES
    errors = list(jsonschema.Draft7Validator(schema).iter_errors(items))
    assert errors == []
    with_titles = [w for w in works if w.raw.get("title") and w.raw["title"][0].strip()]
    assert all(w.title and "<" not in w.title.replace(" < ", "") for w in with_titles)


def test_mathml_in_a_title_keeps_the_words_around_it_apart():
    """Found in review on 10.1103/PhysRevC.91.057301: "theN=88nucleusTb153"."""
    from refkit.csl import plain_text

    title = ('Band structure at high spin in the<mml:math xmlns:mml="http://www.w3.org/1998/Math/MathML">'
             "<mml:mi>N</mml:mi><mml:mo>=</mml:mo><mml:mn>88</mml:mn></mml:math>nucleus")
    assert plain_text(title) == "Band structure at high spin in the N=88 nucleus"
