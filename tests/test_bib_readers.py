"""The BibTeX, RIS and CSL-JSON readers on synthetic fixtures (tests/fixtures/bib)
and on malformed input: citations, notes, DOIs as printed and cleaned, and
one InputError naming file and line for every kind of breakage."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from refkit.errors import InputError
from refkit.readers import bibtex, read
from refkit.readers.bibtex import latex_to_text

BIB = Path(__file__).parent / "fixtures" / "bib"


def _write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_bibtex_entries_become_citations_with_notes_and_decoded_latex():
    doc = read(BIB / "annotated.bib")
    rao, smith = doc.citations
    assert doc.format == "bibtex"
    assert rao.source.label == "rao2019borderline" and rao.source.line == 2
    assert rao.title == "Borderline personality disorder and BPD: Müller's view & 50% — fMRI"
    assert [str(a) for a in rao.authors] == ["Rao, S.", "Broadbear, J. H.", "World Health Organization"]
    assert rao.et_al
    assert (rao.doi, rao.doi_printed) == ("10.1177/1039856219878643", "https://doi.org/10.1177/1039856219878643")
    assert [n.text for n in rao.notes] == ["A summary of the paper.", "Second summary, from annote."]
    assert (rao.pages, rao.issue, rao.year) == ("573-577", "6", 2019)
    assert rao.extra["abstract"] == "An abstract."
    assert smith.csl_type == "book" and smith.source.line == 16
    assert (smith.authors[0].family, smith.authors[1].suffix) == ("van der Berg", "Jr.")


@pytest.mark.parametrize("latex, text", [
    (r"{\"O}sterreich \textit{und} \'{e}t\'e", "Österreich und été"),
    (r"\textbackslash{} \textbraceleft{}x\textbraceright{} \$5 \#1 a\_b", "\\ {x} $5 #1 a_b"),
    (r"$\alpha$-synuclein 1--2", "α-synuclein 1–2"),
    (r"50% off", "50% off"),
])
def test_latex_decoding(latex, text):
    assert latex_to_text(latex) == text


def _decoded_in_full(value: str) -> str:
    """latex_to_text with its plain-text shortcut and its cache turned off, so
    every piece of `value` goes through latexcodec."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(bibtex, "_is_plain", lambda text: False)
        patch.setattr(bibtex, "_decode_latex", bibtex._decode_latex.__wrapped__)
        return bibtex.latex_to_text(value)


@pytest.mark.parametrize("value, text", [
    (r'M{\"u}ller', "Müller"),
    ("{BPD} in adolescents", "BPD in adolescents"),
    ("pages 1--2 and 3---4", "pages 1–2 and 3—4"),
    (r"Research \& Practice", "Research & Practice"),
    ("Plain ASCII: a study (2019)", "Plain ASCII: a study (2019)"),
    ("Łukasz Müller — ünïcode, 50 µg", "Łukasz Müller — ünïcode, 50 µg"),
    ("it's ``quoted''", "it's “quoted”"),
    (",,low", "„low"),
    ("?`Qu\u00e9? !`Ah!", "¿Qué? ¡Ah!"),
    ("a~b", "a\xa0b"),
    ("two  spaces", "two spaces"),
    ("line\nbreak", "line break"),
])
def test_plain_text_shortcut_agrees_with_full_latex_decoding(value, text):
    assert latex_to_text(value) == _decoded_in_full(value) == text


@settings(max_examples=300, deadline=None)
@given(st.text(st.sampled_from(list("aZü -'`,!?~%#&.\t\n{}$\\\"")), max_size=30))
def test_plain_text_shortcut_never_changes_a_decoding(value):
    assert latex_to_text(value) == _decoded_in_full(value)


def test_entry_lines_counted_across_many_entries(tmp_path):
    text = "@comment{x}\n" + "".join(f"@article{{k{n},\n  title = {{T{n}}}\n}}\n" + "\n" * (n % 3)
                                     for n in range(50))
    doc = read(_write(tmp_path, "many.bib", text), "bibtex")
    expected = [number for number, line in enumerate(text.splitlines(), start=1) if line.startswith("@article")]
    assert [c.source.line for c in doc.citations] == expected


@pytest.mark.parametrize("text, where", [
    ("@article{a,\n  title = {unclosed,\n  year = 2019\n", "line"),
    ("@article{a, title={x}}\n\n@article{a, title={y}}\n", "line 3"),
])
def test_malformed_bibtex_names_the_line(tmp_path, text, where):
    path = _write(tmp_path, "bad.bib", text)
    with pytest.raises(InputError) as exc:
        read(path, "bibtex")
    assert exc.value.path == path and exc.value.where.startswith(where)


@pytest.mark.parametrize("text, where", [
    ("@article{x, title={Unclosed, year=2020\n\n@article{y, title={Fine}, year=2021}\n", "line 1"),
    ("@article{w, title={Fine}}\n@article{x,\n  title={Unclosed}, year={2020}\n\n"
     "@article{y, title={Fine}, year=2021}\n@article{z, title={Fine}}\n", "line 2"),
])
def test_unclosed_brace_names_the_entry_that_opened_it(tmp_path, text, where):
    with pytest.raises(InputError) as exc:
        read(_write(tmp_path, "open.bib", text), "bibtex")
    assert exc.value.where == where and "'x'" in exc.value.message


_PROCEEDINGS = """@proceedings{proc1,
  title = {Proceedings of the Invented Conference},
  publisher = {ACM}, address = {New York}, year = {2019},
  doi = {10.5555/invented.proc}, isbn = {978-0-00-000000-2},
  note = {A summary of the whole volume.}
}
"""


@pytest.mark.parametrize("child", [
    "@inproceedings{key2, author = {Okafor, J.}, title = {An invented paper}, pages = {1--5}, crossref = {proc1}}\n",
    "@INPROCEEDINGS{key2, author = {Okafor, J.}, title = {An invented paper}, pages = {1--5}, crossref = {PROC1}}\n",
])
def test_crossref_fields_are_inherited_from_the_parent_entry(tmp_path, child):
    paper, volume = read(_write(tmp_path, "xref.bib", child + _PROCEEDINGS), "bibtex").citations
    assert (paper.title, paper.container, paper.publisher, paper.year, paper.pages) == (
        "An invented paper", "Proceedings of the Invented Conference", "ACM", 2019, "1-5")
    assert paper.identifiers == {"ISBN": "978-0-00-000000-2"}
    # the volume's own DOI and summary are not the paper's
    assert (paper.doi, paper.doi_printed, paper.notes) == (None, None, [])
    assert volume.doi == "10.5555/invented.proc"


def test_crossref_child_keeps_its_own_fields(tmp_path):
    child = ("@inproceedings{key2, title = {An invented paper}, booktitle = {Invented Conf. '19}, year = 2018, "
             "crossref = {proc1}}\n")
    paper = read(_write(tmp_path, "xref.bib", child + _PROCEEDINGS), "bibtex").citations[0]
    assert (paper.container, paper.year, paper.publisher) == ("Invented Conf. '19", 2018, "ACM")


@pytest.mark.parametrize("printed", ["10.5555/invented y", "doi: 10.5555/invented extra words", "not a doi",
                                     "10.5555/a, 10.5555/b"])
def test_bibtex_doi_that_is_not_one_whole_doi_is_malformed_not_cut(tmp_path, printed):
    text = f"@article{{a, title = {{An invented paper}}, doi = {{{printed}}}}}\n"
    citation = read(_write(tmp_path, "doi.bib", text), "bibtex").citations[0]
    assert (citation.doi, citation.doi_printed) == (None, printed)
    assert citation.extra["malformed_doi"] == [printed]


@pytest.mark.parametrize("printed", ["10.5555/invented", "doi:10.5555/invented.", "https://doi.org/10.5555/invented",
                                     "DOI 10.5555/invented", "<10.5555/invented>"])
def test_bibtex_doi_with_only_a_prefix_around_it_is_clean(tmp_path, printed):
    text = f"@article{{a, title = {{An invented paper}}, doi = {{{printed}}}}}\n"
    citation = read(_write(tmp_path, "doi.bib", text), "bibtex").citations[0]
    assert (citation.doi, citation.doi_printed) == ("10.5555/invented", printed)
    assert "malformed_doi" not in citation.extra


def test_ris_records_notes_abstract_and_dois():
    doc = read(BIB / "annotated.ris")
    rao, who = doc.citations
    assert rao.source.line == 1 and rao.source.label == "1"
    assert [n.text for n in rao.notes] == ["First summary.", "Second summary continues on a second line."]
    assert rao.notes[1].source.line == 13
    assert rao.extra["abstract"] == "A synthetic abstract."
    assert (rao.doi, rao.doi_printed, rao.pages) == ("10.1177/1039856219878643", "doi:10.1177/1039856219878643", "573-577")
    assert who.authors[0].literal == "World Health Organization" and who.csl_type == "book"
    assert who.doi == "10.5555/GUIDE.1"
    assert [n.text for n in who.notes] == ["Dose < 5 mg & more"]


@pytest.mark.parametrize("text, where", [
    ("TY  - JOUR\nTI  - x\n", "line 1"),
    ("TY  - JOUR\nTI  - x\nTY  - BOOK\nER  - \n", "line 3"),
    ("TY  - JOUR\nER  - \nAU  - Stray, A\n", "line 3"),
])
def test_malformed_ris_names_the_line(tmp_path, text, where):
    with pytest.raises(InputError) as exc:
        read(_write(tmp_path, "bad.ris", text), "ris")
    assert exc.value.where == where


def test_csljson_items_and_single_object(tmp_path):
    doc = read(BIB / "annotated.json")
    rao, who = doc.citations
    assert (rao.source.line, rao.source.label) == (2, "rao2019")
    assert rao.doi == "10.1177/1039856219878643"
    assert [n.text for n in rao.notes] == ["A free-text summary.\nPMCID: PMC123456"]
    assert who.csl_type == "report" and who.authors[0].literal == "World Health Organization"
    single = read(_write(tmp_path, "one.json", '{"type": "book", "title": "Alone", "id": "x"}'), "csljson")
    assert [c.title for c in single.citations] == ["Alone"]


@pytest.mark.parametrize("text, message, where", [
    ('[{"type": "book",\n  "title": oops}]', "malformed JSON", "line 2 column 12"),
    ('[{"type": "journal-article", "id": "a"}]', "'article-journal'", "line 1 (item 1)"),
    ('[{"type": "book"},\n 42]', "must be an object", "line 2 (item 2)"),
    ('[{"title": "no type"}]', "no \"type\"", "line 1 (item 1)"),
    ('[{"type": "book", "author": "Smith"}]', "list of name objects", "line 1 (item 1)"),
])
def test_malformed_csljson_names_item_and_line(tmp_path, text, message, where):
    with pytest.raises(InputError) as exc:
        read(_write(tmp_path, "bad.json", text), "csljson")
    assert message in exc.value.message and exc.value.where == where


def test_a_ris_or_csljson_doi_field_that_is_not_one_whole_doi_is_rk101_not_cut(tmp_path):
    """Found in review: "10.1000/x y" was cut to 10.1000/x and looked up."""
    from refkit.readers import read

    ris = tmp_path / "a.ris"
    ris.write_text("TY  - JOUR\nTI  - A title\nDO  - 10.1000/x y\nER  - \n", encoding="utf-8")
    csl = tmp_path / "a.json"
    csl.write_text('[{"id": "a", "type": "article-journal", "title": "T", "DOI": "10.1000/x y"}]',
                   encoding="utf-8")
    for path in (ris, csl):
        [citation] = read(path).citations
        assert citation.doi is None and citation.extra["malformed_doi"] == ["10.1000/x y"]
