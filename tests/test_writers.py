"""The three writers, each checked by an independent reader: pybtex and
bibtexparser (v2) for BibTeX, rispy for RIS, jsonschema with the official
CSL schema for CSL-JSON; citation keys; atomic, input-safe file writing."""

from __future__ import annotations

import json
import random
import re
import unicodedata
from datetime import datetime

import bibtexparser
import lxml.html
import pytest
import rispy
from hypothesis import HealthCheck, given, settings, strategies as st
from pybtex.bibtex.utils import change_case
from pybtex.database import BibliographyData, Entry
from pybtex.database.input.bibtex import Parser

from refkit.errors import RefkitError
from refkit.model import Citation, Location, Note, Resolution, Status, Work, WorkSource
from refkit.readers.bibtex import latex_to_text
from refkit.writers import bibtex, csljson, ris, write_file
from refkit.writers.citekeys import assign_keys, base_key
from tests.conftest import SHARED_DATA

FETCHED = datetime(2024, 5, 1, 12, 0)
# Zotero desktop's Extra "Key: value" line pattern (utilities_internal.js extractExtraFields)
ZOTERO_FIELD_LINE = re.compile(r"^([a-z][a-z -_]+):(.+)|^{:([a-z -_]+):(.+)}", re.IGNORECASE)


def resolution(item: dict, notes=(), status=Status.DOI_VERIFIED, printed=None) -> Resolution:
    """A resolution built by hand (synthetic data, as a resolver would give it)."""
    where = Location("doc.txt", 7, label="3")
    citation = Citation(raw="raw", source=where, notes=[Note(n, where) for n in notes],
                        doi=printed, doi_printed=printed)
    source = WorkSource.CROSSREF if status in (Status.DOI_VERIFIED, Status.DOI_CORRECTED,
                                              Status.FOUND_BY_SEARCH) else WorkSource.DOCUMENT
    return Resolution(citation, Work(item, source=source, fetched=FETCHED), status, confidence=0.9)


RAO = {"type": "article-journal", "title": "Borderline personality disorder and depressive disorder in BPD and fMRI",
       "author": [{"family": "Rao", "given": "S"}, {"family": "Broadbear", "given": "J"}],
       "container-title": "Australasian Psychiatry", "container-title-short": "Australas Psychiatry",
       "issued": {"date-parts": [[2019, 3, 15]]}, "volume": "27", "issue": "6", "page": "573-577",
       "DOI": "10.1177/1039856219878643", "URL": "https://doi.org/10.1177/1039856219878643"}
CHAPTER = {"type": "chapter", "title": "Opioids & attachment: a <review>", "author": [{"literal": "World Health Organization"}],
           "editor": [{"family": "Berg", "given": "Jan", "non-dropping-particle": "van der"}],
           "container-title": "Handbook of {Things}", "publisher": "Pub", "issued": {"date-parts": [[2020]]},
           "ISBN": "9780306406157", "DOI": "10.5555/chap_1<2>"}
SUMMARIES = ["Type: book", "Dose < 5 mg & more.\n\nSecond paragraph.", "PMID: 12345 is not an identifier here."]


def sample() -> list[Resolution]:
    return [resolution(RAO, SUMMARIES, printed="10.1177/1039856219878643"),
            resolution(CHAPTER, ["Plain summary."], Status.UNVERIFIED),
            resolution(dict(RAO, title="Borderline personality disorder revisited"), [], Status.DOI_CORRECTED,
                       printed="10.1177/103985621987864")]


# --- BibTeX -------------------------------------------------------------

def test_bibtex_read_back_by_pybtex_and_bibtexparser():
    text = bibtex.write(sample())
    entries = Parser().parse_string(text).entries
    library = bibtexparser.parse_string(text)
    assert not library.failed_blocks
    assert list(entries) == [e.key for e in library.entries] == ["rao2019borderlinea", "world2020opioids", "rao2019borderlineb"]
    rao = entries["rao2019borderlinea"]
    assert rao.type == "article" and rao.fields["journal"] == "Australasian Psychiatry"
    assert rao.fields["pages"] == "573--577" and rao.fields["doi"] == "10.1177/1039856219878643"
    assert "{BPD}" in rao.fields["title"] and "{fMRI}" in rao.fields["title"]
    assert [str(p) for p in rao.persons["author"]] == ["Rao, S.", "Broadbear, J."]
    assert "url" not in rao.fields  # only the DOI link: the doi field says it
    chapter = entries["world2020opioids"]
    assert chapter.type == "incollection" and chapter.fields["booktitle"] == r"Handbook of \textbraceleft{}Things\textbraceright{}"
    assert chapter.fields["doi"] == "10.5555/chap_1<2>"  # verbatim: no \_
    assert str(chapter.persons["author"][0]) == "{World Health Organization}"
    editor = chapter.persons["editor"][0]
    assert (editor.prelast_names, editor.last_names) == (["van", "der"], ["Berg"])


def test_bibtex_one_field_per_summary_as_zotero_makes_one_note_each():
    """Zotero's BibTeX.js pushes one child note per annote/comment/review/notes
    field and runs a field's paragraphs together; pybtex and bibtexparser
    must still read the file (no repeated field)."""
    text = bibtex.write(sample())
    assert not bibtexparser.parse_string(text).failed_blocks
    rao = Parser().parse_string(text).entries["rao2019borderlinea"]
    assert "note" not in rao.fields  # never note: styles print it, PMID-first notes go to Extra
    notes = [latex_to_text(rao.fields[name]) for name in bibtex.NOTE_FIELDS if name in rao.fields]
    assert notes == ["Type: book", "Dose < 5 mg & more. Second paragraph.", "PMID: 12345 is not an identifier here."]
    assert rao.fields["keywords"] == "refkit:verified" and rao.fields["refkit-status"] == "doi-verified"
    corrected = Parser().parse_string(text).entries["rao2019borderlineb"]
    assert corrected.fields["keywords"] == "refkit:corrected"
    assert "printed DOI 10.1177/103985621987864 was wrong" in corrected.fields["annote"]


def test_bibtex_notes_beyond_the_four_fields_share_the_last():
    text = bibtex.write([resolution(RAO, [f"Summary {n}." for n in range(1, 7)])])
    fields = {f.key: f.value for f in bibtexparser.parse_string(text).entries[0].fields}
    assert [fields[name] for name in bibtex.NOTE_FIELDS[:3]] == ["Summary 1.", "Summary 2.", "Summary 3."]
    assert fields["notes"] == "Summary 4.\n\nSummary 5.\n\nSummary 6."


def test_bibtex_never_writes_markup_zotero_garbles():
    item = dict(RAO, title="CO2 and H₂O in x^2 with \\emph{y} and \\relax")
    text = bibtex.write([resolution(item)])
    title = Parser().parse_string(text).entries["rao2019co2"].fields["title"]
    assert "\\emph" not in title.replace("\\textbackslash{}emph", "")
    assert "\\textsubscript" not in title and not re.search(r"\\relax\b", title)


def test_bibtex_latex_mode_is_ascii():
    text = bibtex.write([resolution(dict(RAO, author=[{"family": "Müller", "given": "Zoë"}]))], unicode=False)
    assert text.isascii()
    person = Parser().parse_string(text).entries["muller2019borderline"].persons["author"][0]
    assert latex_to_text(str(person)) == "Müller, Zoë"


CAPITALS_TITLE = ("Non-Ketamine N-Methyl-D-Aspartate antagonists, S(+)- and R(-)-Ketamine "
                  "in the U.S. Population: lessons from C. elegans and H_2O")


def test_bibtex_title_braces_whole_words_that_keep_their_case_not_letters():
    """Styles sentence-case what is not braced (BibTeX's change.case$, biblatex,
    pandoc): a title-case title's ordinary words are left to them, while
    initials, acronyms and single capitals keep theirs — N-methyl-D-aspartate,
    U.S., R(-), C. elegans — and nothing is braced letter by letter."""
    text = bibtex.write([resolution(dict(RAO, title=CAPITALS_TITLE))])
    title = Parser().parse_string(text).entries["rao2019non"].fields["title"]
    assert bibtexparser.parse_string(text).entries[0]["title"] == title
    for protected in ("{N}-Methyl-{D}-Aspartate", "{R}(-)-Ketamine", "{U.S.} Population", "{C}. {elegans}"):
        assert protected in title
    assert title.startswith("Non-Ketamine")  # the first letter is never lowered by a style
    assert change_case(title, "t") == ("Non-ketamine {N}-methyl-{D}-aspartate antagonists, {S}(+)- and "
                                       "{R}(-)-ketamine in the {U.S.} population: lessons from {C}. {elegans} and "
                                       "{H}\\_{2O}")
    assert latex_to_text(title) == CAPITALS_TITLE


@pytest.mark.parametrize("title, written", [
    ("Data-Driven Microstructure of DNA Repair", "Data-Driven Microstructure of {DNA} Repair"),
    ("Effects of fMRI and H2O on p53 in Vitamin D Deficiency",
     "Effects of {fMRI} and {H2O} on {p53} in Vitamin {D} Deficiency"),
    ("Ketamine in Parkinson disease: a comprehensive review",  # sentence case: the capitals are meant
     "Ketamine in {Parkinson} disease: a comprehensive review"),
    ("Depression: A systematic review", "Depression: {A} systematic review"),
])
def test_bibtex_titles_as_people_write_them(title, written):
    entry = Parser().parse_string(bibtex.write([resolution(dict(RAO, title=title))])).entries
    assert next(iter(entry.values())).fields["title"] == written


def test_bibtex_title_case_keeps_names_the_bibliography_writes_capitalised():
    """Parkinson is capitalised inside a sentence-case title of the same
    export, so a title-case title keeps it too; Disease it leaves to the style."""
    titles = ["Ketamine in Parkinson disease: a review", "The Course of Parkinson Disease in Adults"]
    text = bibtex.write([resolution(dict(RAO, title=t, DOI=f"10.5555/{n}")) for n, t in enumerate(titles)])
    second = list(Parser().parse_string(text).entries.values())[1]
    assert second.fields["title"] == "The Course of {Parkinson} Disease in Adults"


def test_bibtex_title_protection_keeps_non_ascii_capitals_in_latex_mode():
    """ASCII output writes É as {\\'E}, which BibTeX lowercases unless braced twice."""
    text = bibtex.write([resolution(dict(RAO, title="Vivre à Évry"))], unicode=False)
    title = Parser().parse_string(text).entries["rao2019vivre"].fields["title"]
    assert "{{\\'Evry}}" in title and latex_to_text(title) == "Vivre à Évry"


def test_bibtex_latex_mode_writes_angle_brackets_as_commands_but_not_in_doi():
    """OT1 fonts print a bare < and > as ¡ and ¿; DOIs and URLs stay verbatim."""
    item = dict(RAO, title="Risk in patients aged <65 versus >75 years",
                DOI="10.1175/1520-0493(1974)102<0736:WACOJ>2.0.CO;2")
    entry = Parser().parse_string(bibtex.write([resolution(item)], unicode=False)).entries["rao2019risk"]
    assert r"\textless{}65 versus \textgreater{}75" in entry.fields["title"]
    assert entry.fields["doi"] == item["DOI"]
    assert latex_to_text(entry.fields["title"]) == item["title"]


def _meaning(text: str) -> str:
    return " ".join(re.sub(r"[\x00-\x1f\x7f-\x9f]", " ", text).split())


def _round_trip_title(title: str, unicode: bool) -> list[str]:
    """The title as pybtex and bibtexparser read it back, decoded to text."""
    bib = BibliographyData({"k": Entry("article", fields=[("title", bibtex.protect_title(bibtex.latex_text(title)))])})
    text = bibtex.write_bibliography(bib, unicode=unicode)
    library = bibtexparser.parse_string(text)
    assert not library.failed_blocks, text
    values = [Parser().parse_string(text).entries["k"].fields["title"], library.entries[0].fields_dict["title"].value]
    return [" ".join(latex_to_text(v).split()) for v in values]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(min_size=1, max_size=60))
def test_any_unicode_title_survives_bibtex_round_trip(title):
    for decoded in _round_trip_title(title, unicode=True):
        assert decoded == _meaning(title)


LATIN = st.characters(codec="latin-1", categories=("L", "N", "P", "Zs", "Sm", "Sc")) | st.characters(
    min_codepoint=0x100, max_codepoint=0x17F)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(LATIN, min_size=1, max_size=60))
def test_latin_titles_survive_ascii_latex_round_trip(title):
    """Classic BibTeX (--latex): Latin-script text written as ASCII LaTeX
    reads back as the same text (compatibility-normalised: ﬁ is fi)."""
    expected = unicodedata.normalize("NFKC", _meaning(title))
    for decoded in _round_trip_title(title, unicode=False):
        assert unicodedata.normalize("NFKC", decoded) == expected


# --- citation keys --------------------------------------------------------

def test_keys_follow_surname_year_first_significant_word():
    assert base_key(RAO) == "rao2019borderline"
    assert base_key({"title": "The Ärzte of Łódź", "author": [{"family": "Ødegård"}], "issued": {"date-parts": [[2001]]}}) == "odegard2001arzte"
    assert base_key(RAO, "{Auth}_{year}") == "Rao_2019"
    assert base_key({}) == "ref"
    with pytest.raises(RefkitError, match="unknown citation key field"):
        assign_keys(sample(), "{author}{year}")


def test_keys_are_stable_whatever_the_order():
    resolutions = sample() + [resolution(dict(RAO, title="Borderline personality disorder: the third"))]
    keys = dict(zip((id(r) for r in resolutions), assign_keys(resolutions)))
    shuffled = resolutions[:]
    random.Random(4).shuffle(shuffled)
    assert dict(zip((id(r) for r in shuffled), assign_keys(shuffled))) == keys
    assert len(set(keys.values())) == len(keys)


def test_key_from_input_file_is_kept():
    res = resolution(RAO)
    res.citation.extra["citation-key"] = "Rao:2019 x"
    assert assign_keys([res]) == ["Rao:2019x"]


# --- RIS -------------------------------------------------------------------

def test_ris_read_back_by_rispy():
    text = ris.write(sample())
    records = rispy.loads(text)
    rao, chapter, _ = records
    assert rao["type_of_reference"] == "JOUR" and rao["authors"] == ["Rao, S", "Broadbear, J"]
    assert (rao["title"], rao["secondary_title"], rao["alternate_title1"]) == (RAO["title"], "Australasian Psychiatry", "Australas Psychiatry")
    assert (rao["start_page"], rao["end_page"], rao["doi"], rao["year"]) == ("573", "577", RAO["DOI"], "2019")
    assert rao["date"] == "2019/03/15/"
    assert chapter["type_of_reference"] == "CHAP" and chapter["issn"] == "9780306406157"
    assert chapter["authors"] == ["World Health Organization"]
    assert chapter["secondary_authors"] == ["van der Berg, Jan"]


def test_ris_puts_a_books_editors_where_zotero_reads_editors() -> None:
    """Zotero's RIS translator reads A2 as editor on a chapter but as series
    editor on a book (its fieldMap: A2 seriesEditor for book, A3 editor)."""
    book = dict(CHAPTER, type="book")
    book.pop("container-title")
    record = rispy.loads(ris.write([resolution(book, [], Status.UNVERIFIED)]))[0]
    assert record["type_of_reference"] == "BOOK"
    assert record["tertiary_authors"] == ["van der Berg, Jan"] and "secondary_authors" not in record


def test_ris_one_n1_per_summary_escaped_when_zotero_would_read_html():
    notes = rispy.loads(ris.write(sample()))[0]["notes"]
    assert notes[0] == "Type: book"
    assert notes[1] == "<p>Dose &lt; 5 mg &amp; more.</p><p>Second paragraph.</p>"
    assert notes[2] == "PMID: 12345 is not an identifier here."
    assert len(notes) == 3  # verified and unchanged: no refkit note


def _zotero_text(value: str) -> str:
    """What Zotero's RIS importer keeps of a non-note tag: the value parsed as
    HTML, tags dropped and entities decoded (ZOTERO-IMPORT.md)."""
    return lxml.html.fragment_fromstring(value, create_parent="div").text_content()


def test_ris_angle_brackets_and_ampersands_survive_zotero_html_stripping():
    doi = "10.1175/1520-0493(1974)102<0736:WACOJ>2.0.CO;2"
    item = dict(RAO, title="Risk in patients aged <65 versus >75 years & AT&amp;T", DOI=doi,
                URL="https://example.org/a?x=<1>&y=2", abstract="AB is kept as it is: a < b")
    record = rispy.loads(ris.write([resolution(item)]))[0]
    assert _zotero_text(record["title"]) == item["title"]
    assert _zotero_text(record["doi"]) == doi
    assert record["urls"] == ["https://example.org/a?x=%3C1%3E&y=2"]  # no entity: rispy splits UR at ;
    assert _zotero_text(record["urls"][0]) == record["urls"][0]
    assert record["abstract"] == item["abstract"]
    entity_like = "https://example.org/a?x=1&copy=2"
    ur_line = ris.write([resolution(dict(item, URL=entity_like))]).split("UR  - ")[1].splitlines()[0]
    assert _zotero_text(ur_line) == entity_like


def test_ris_line_endings_are_consistent():
    crlf = ris.write(sample(), crlf=True)
    assert "\n" not in crlf.replace("\r\n", "")
    assert "\r" not in ris.write(sample())
    assert len(rispy.loads(crlf)) == 3


# --- CSL-JSON --------------------------------------------------------------

def test_csljson_core_shape():
    items = json.loads(csljson.write(sample()))
    assert [i["id"] for i in items] == [i["citation-key"] for i in items]
    assert all(i["type"] in ("article-journal", "chapter") for i in items)
    assert items[0]["custom"] == {"refkit": {"status": "doi-verified", "checked": "2024-05-01"}}
    assert items[2]["custom"]["refkit"]["printed-doi"] == "10.1177/103985621987864"


def test_csljson_note_lines_cannot_become_zotero_fields():
    note = json.loads(csljson.write(sample()))[0]["note"]
    assert not [line for line in note.splitlines() if ZOTERO_FIELD_LINE.match(line)]
    assert csljson.split_note(note) == SUMMARIES


def test_csljson_maps_crossref_types_and_drops_non_csl_keys():
    item = dict(RAO, type="journal-article", reference=[{"key": "x"}], indexed={"x": 1})
    out = json.loads(csljson.write([resolution(item)]))[0]
    assert out["type"] == "article-journal" and "reference" not in out and "indexed" not in out


@pytest.fixture(scope="module")
def csl_schema():
    import jsonschema
    schema = json.loads((SHARED_DATA / "csl" / "csl-data.json").read_text())
    return jsonschema.Draft7Validator(schema)


@pytest.mark.shared_data
def test_csljson_valid_against_official_schema(csl_schema):
    """Schema: citation-style-language/schema schemas/input/csl-data.json
    (copy in ../shared/data/csl, commit e3ce254)."""
    errors = list(csl_schema.iter_errors(json.loads(csljson.write(sample()))))
    assert not errors, errors[0].message


def _real_crossref_resolutions(limit: int) -> list[Resolution]:
    """Real records from ../shared/data/crossref-works.jsonl (collected from the
    public test fixtures listed in its README), converted with refkit.csl."""
    from refkit.csl import from_crossref
    out = []
    with open(SHARED_DATA / "crossref-works.jsonl", encoding="utf-8") as handle:
        for line in handle:
            work = from_crossref(json.loads(line), FETCHED)
            out.append(Resolution(Citation("raw", Location("x")), work, Status.DOI_VERIFIED))
            if len(out) >= limit:
                break
    return out


@pytest.mark.shared_data
def test_real_crossref_metadata_round_trips_through_all_writers(csl_schema):
    """8,016 real Crossref records (first 1,500 here): odd characters, markup,
    DOIs with < > ; ( ) survive every writer and its independent reader."""
    resolutions = _real_crossref_resolutions(1500)
    items = json.loads(csljson.write(resolutions))
    assert not list(csl_schema.iter_errors(items))
    text = bibtex.write(resolutions)
    parsed = Parser().parse_string(text).entries
    library = bibtexparser.parse_string(text)
    assert len(parsed) == len(library.entries) == len(resolutions) and not library.failed_blocks
    for item, (key, entry) in zip(items, parsed.items()):
        assert key == item["id"]
        if item.get("title"):
            assert " ".join(latex_to_text(entry.fields["title"]).split()) == " ".join(item["title"].split())
        if item.get("DOI"):
            assert entry.fields["doi"] == item["DOI"]
    records = rispy.loads(ris.write(resolutions))
    assert [r.get("doi") for r in records] == [i.get("DOI") for i in items]


# --- files -----------------------------------------------------------------

def test_write_file_is_atomic_and_refuses_inputs(tmp_path):
    source = tmp_path / "refs.bib"
    source.write_text("@article{a, title={x}}\n")
    with pytest.raises(RefkitError, match="refusing to overwrite an input"):
        write_file(tmp_path / "." / "refs.bib", "new", inputs=[source])
    assert source.read_text() == "@article{a, title={x}}\n"
    target = tmp_path / "out.ris"
    write_file(target, "TY  - JOUR\nER  - \n", inputs=[source])
    assert target.read_text() == "TY  - JOUR\nER  - \n"
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []
    with pytest.raises(RefkitError, match="does not exist"):
        write_file(tmp_path / "missing" / "x.bib", "x")


def test_writers_are_deterministic():
    for writer in (bibtex, ris, csljson):
        assert writer.write(sample()) == writer.write(sample())


def test_a_work_without_authors_is_keyed_by_its_title_words_not_its_year() -> None:
    from refkit.writers.citekeys import base_key

    item = {"type": "article-journal", "title": "Borderline Personality Disorder: A Dysregulation",
            "issued": {"date-parts": [[2010]]}}
    assert base_key(item) == "borderline2010personality"


def test_abbreviated_printed_page_range_is_written_out_in_every_format():
    """The seed list prints "925–33"; Zotero and BibTeX must get 925 to 933."""
    citation = Citation(raw="ref 44", source=Location("paper.txt", line=288, label="44"),
                        title="Dysregulation of regional endogenous opioid function",
                        year=2010, volume="167", pages="925–33")
    unverified = Resolution(citation, citation.to_work(), Status.UNVERIFIED)
    assert citation.pages == "925–33"  # the citation keeps what was printed
    [record] = rispy.loads(ris.write([unverified]))
    assert (record["start_page"], record["end_page"]) == ("925", "933")
    assert "pages = \"925--933\"" in bibtex.write([unverified])
    assert json.loads(csljson.write([unverified]))[0]["page"] == "925-933"


def test_ris_plain_ampersand_is_written_as_it_is():
    """Zotero decodes entities and strips tags; a bare "&" survives both, so
    other RIS readers (EndNote, rispy) get "R&D", not "R&amp;D"."""
    item = dict(RAO, title="Research & Development of R&D", **{"container-title": "Law & Economics"})
    text = ris.write([resolution(item)])
    assert "TI  - Research & Development of R&D" in text
    assert "T2  - Law & Economics" in text
    record = rispy.loads(text)[0]
    assert _zotero_text(record["title"]) == record["title"] == item["title"]
