"""refkit <-> Zotero item JSON (refkit.zotero.items), and the Zotero
config: pure functions, no server."""

from __future__ import annotations

import warnings

import pytest

from refkit.model import Name
from refkit.zotero.config import ZoteroConfig
from refkit.zotero.items import (fit_to_template, item_doi, keyed, note_html, to_citation,
                                 to_item)
from tests.zotero_standin import API_KEY, resolution_of, synthetic_resolutions, template


def test_csl_types_map_to_zotero_item_types_and_fields():
    article, book, chapter, page, paper = (to_item(r) for r in synthetic_resolutions())
    assert [i["itemType"] for i in (article, book, chapter, page, paper)] == \
        ["journalArticle", "book", "bookSection", "webpage", "conferencePaper"]
    assert chapter["bookTitle"] == "A Synthetic Handbook" and chapter["pages"] == "10-20"
    assert [c["creatorType"] for c in chapter["creators"]] == ["author", "editor"]
    assert book["publisher"] == "Made-up Press" and book["place"] == "Nowhere"
    assert page["websiteTitle"] == "WSO website"
    assert page["creators"] == [{"creatorType": "author", "name": "World Synthetic Organization"}]
    assert paper["proceedingsTitle"].startswith("Proceedings") and paper["DOI"]
    assert article["abstractNote"] == "We tested nothing real."
    assert to_item(resolution_of({"type": "dataset", "title": "t"}))["itemType"] == "document"


def test_extra_records_provenance():
    article, book, _, page, _ = (to_item(r) for r in synthetic_resolutions())
    assert article["extra"].splitlines() == ["refkit: verified against Crossref 2026-05-04",
                                             "refkit source: paper.pdf:line 3 [1]"]
    assert "printed DOI 10.5555/synth.bk.O1 corrected" in book["extra"]
    assert page["extra"].startswith("refkit: unverified (from document)")
    pmid = to_item(resolution_of({"type": "article-journal", "title": "t", "PMID": "123"}))
    assert "PMID: 123" in pmid["extra"].splitlines()


def test_notes_are_escaped_html_paragraphs():
    assert note_html("a < b & c") == "<p>a &lt; b &amp; c</p>"
    assert note_html("one\ntwo\n\nthree") == "<p>one<br/>two</p><p>three</p>"
    assert note_html('<b>not markup</b> "q"') == "<p>&lt;b&gt;not markup&lt;/b&gt; &quot;q&quot;</p>"


def test_fields_the_schema_lacks_move_to_extra():
    item = {"itemType": "book", "title": "T", "DOI": "10.5555/b", "extra": "refkit: x",
            "journalAbbreviation": ""}
    fitted = fit_to_template(item, template("book"))
    assert "DOI" not in fitted and fitted["extra"] == "refkit: x\nDOI: 10.5555/b"
    assert "journalAbbreviation" not in fitted  # empty: simply dropped
    assert fit_to_template(item, template("journalArticle"))["DOI"] == "10.5555/b"


def test_client_made_keys_follow_zoteros_alphabet():
    keys = {keyed({})["key"] for _ in range(200)}
    assert len(keys) == 200
    assert all(len(k) == 8 and set(k) <= set("23456789ABCDEFGHIJKLMNPQRSTUVWXYZ") for k in keys)


def test_zotero_item_reads_back_as_a_citation():
    obj = {"key": "ABCD2345", "version": 7, "data": {
        "itemType": "bookSection", "title": "A chapter", "bookTitle": "A book",
        "creators": [{"creatorType": "author", "lastName": "Lee", "firstName": "Kim"},
                     {"creatorType": "editor", "lastName": "Stone", "firstName": "Ed"},
                     {"creatorType": "author", "name": "Some Group"}],
        "date": "June 2019", "pages": "10-20", "publisher": "P",
        "extra": "note\ndoi: https://doi.org/10.5555/ABC.1.\nPMID: 99"}}
    citation = to_citation(obj, "zotero:users/1")
    assert citation.source.label == "ABCD2345" and citation.source.file == "zotero:users/1"
    assert citation.authors == [Name(family="Lee", given="Kim"), Name(literal="Some Group")]
    assert (citation.title, citation.container, citation.year, citation.pages) == \
        ("A chapter", "A book", 2019, "10-20")
    assert citation.doi == "10.5555/ABC.1" and citation.doi_printed == "https://doi.org/10.5555/ABC.1."
    assert citation.csl_type == "chapter" and citation.identifiers["PMID"] == "99"
    assert citation.raw == "Lee, Kim, Some Group. A chapter. A book. 2019:10-20. doi:https://doi.org/10.5555/ABC.1."
    assert citation.extra["zotero_version"] == 7


def test_doi_field_wins_over_extra():
    assert item_doi({"DOI": " 10.1/a ", "extra": "DOI: 10.1/b"}) == ("DOI", "10.1/a")
    assert item_doi({"DOI": "", "extra": "x\nDOI: 10.1/b"}) == ("extra", "10.1/b")
    assert item_doi({"title": "t"}) == ("", "")


def test_config_precedence_and_file(tmp_path, monkeypatch):
    path = tmp_path / "config.toml"
    path.write_text('[crossref]\nmailto = "a@b.c"\n[zotero]\napi_key = "FromFile"\n'
                    'user_id = "11"\ngroup-id = "22"\n', encoding="utf-8")
    path.chmod(0o600)
    monkeypatch.setenv("REFKIT_CONFIG", str(path))
    monkeypatch.delenv("REFKIT_ZOTERO_API_KEY", raising=False)
    monkeypatch.setenv("REFKIT_ZOTERO_USER_ID", "33")
    config = ZoteroConfig.load(group_id=None)
    assert config.api_key.reveal() == "FromFile" and config.user_id == "33"
    assert str(config.library()) == "zotero:groups/22"
    assert ZoteroConfig.load(group_id="44").library().prefix == "/groups/44"
    monkeypatch.setenv("REFKIT_ZOTERO_API_KEY", API_KEY)
    assert ZoteroConfig.load().api_key.reveal() == API_KEY


def test_a_key_in_a_world_readable_config_file_is_warned_about(tmp_path, monkeypatch):
    path = tmp_path / "config.toml"
    path.write_text('[zotero]\napi_key = "FromFile"\n', encoding="utf-8")
    path.chmod(0o644)
    monkeypatch.setenv("REFKIT_CONFIG", str(path))
    with pytest.warns(UserWarning, match="chmod 600"):
        ZoteroConfig.load()
    path.chmod(0o600)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ZoteroConfig.load()
