"""The BibTeX, RIS and CSL-JSON readers on synthetic fixtures (tests/fixtures/bib)
and on malformed input: citations, notes, DOIs as printed and cleaned; one
bad record is an RK403 finding naming its line and the rest is read; a file
with nothing readable is one InputError naming file and line."""

from __future__ import annotations

import codecs
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
    """latex_to_text with its plain-text shortcut, its cache and its decoding
    of only the stretches around LaTeX's specials turned off, so every piece
    of `value` goes through latexcodec whole."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(bibtex, "_is_plain", lambda text: False)
        patch.setattr(bibtex, "_decode_around_specials", lambda text: codecs.decode(text, "ulatex"))
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


@settings(max_examples=500, deadline=None)
@given(st.text(st.sampled_from(list("aZ1ü -'`,!?~#.\t\n\r\xa0")), max_size=40))
def test_decoding_only_around_specials_agrees_with_decoding_the_whole_text(value):
    """Plain text is given to latexcodec only where it would change it (a
    4 MB abstract with one ~ took 50 CPU-s decoded whole: fuzz case 5016)."""
    assert latex_to_text(value) == _decoded_in_full(value)


def test_entry_lines_counted_across_many_entries(tmp_path):
    text = "@comment{x}\n" + "".join(f"@article{{k{n},\n  title = {{T{n}}}\n}}\n" + "\n" * (n % 3)
                                     for n in range(50))
    doc = read(_write(tmp_path, "many.bib", text), "bibtex")
    expected = [number for number, line in enumerate(text.splitlines(), start=1) if line.startswith("@article")]
    assert [c.source.line for c in doc.citations] == expected


def _rk403(document) -> list[tuple[int, str, str]]:
    return [(f.source.line, f.severity.value, f.message) for f in document.findings if f.code.code == "RK403"]


@pytest.mark.parametrize("bad, line, says", [
    ("@article{x,\n  title={Unclosed, year=2020\n\n", 2, "brace opened in it is never closed"),
    ("@article{x, title={A}, year=}\n", 2, "field value expected"),
    ("@article{x, title={A} year={2020}}\n", 2, "expected"),
    ("@article{w, title={Again}}\n", 2, "second entry with the cite key 'w'"),
    # a name pybtex cannot split breaks only its entry: read in one parse, not again entry by entry
    ("@article{x,\n  author = {Rodgers, Elton E., Belt, Ed, },\n  title={A}}\n", 2, "Too many commas"),
])
def test_one_bad_bibtex_entry_costs_only_itself(tmp_path, bad, line, says):
    text = "@article{w, title={Fine}}\n" + bad + "@article{y, title={Fine}, year=2021}\n@article{z, title={Fine}}\n"
    document = read(_write(tmp_path, "one-bad.bib", text), "bibtex")
    assert [c.label for c in document.citations] == ["w", "y", "z"]
    [(where, severity, message)] = _rk403(document)
    assert where == line and severity == "error" and says in message


def test_zotero_export_with_one_entry_holding_two_dois_reads_every_entry(tmp_path):
    """The shape of a real Zotero .bib export (54 entries, one with the doi
    field twice): BibTeX keeps the first value and warns; so does refkit."""
    entries = [f"@article{{author{n}_title_2020,\n\ttitle = {{Invented title {n}}},\n\tvolume = {{{n}}},\n"
               f"\tdoi = {{10.5555/inv.{n}}},\n\tjournal = {{Journal of Inventions}},\n"
               f"\tauthor = {{Author{n}, Ann and Other, Bo}},\n\tyear = {{2020}},\n}}\n" for n in range(54)]
    entries[17] = entries[17].replace("\tyear", "\tdoi = {10.5555/inv.second},\n\tyear")
    document = read(_write(tmp_path, "zotero.bib", "\n".join(entries)), "bibtex")
    assert len(document.citations) == 54
    assert document.citations[17].doi == "10.5555/inv.17"
    [(line, severity, message)] = _rk403(document)
    assert (line, severity) == (17 * 9 + 1, "warning")
    assert "'doi' 2 times" in message and "'10.5555/inv.second'" in message


def test_a_bibtex_file_with_nothing_readable_names_its_line(tmp_path):
    path = _write(tmp_path, "bad.bib", "@article{a,\n  title = {unclosed,\n  year = 2019\n")
    with pytest.raises(InputError) as exc:
        read(path, "bibtex")
    assert exc.value.path == path and exc.value.where == "line 1" and "'a'" in exc.value.message


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


def _record(n: int, extra: str = "") -> str:
    return (f"TY  - JOUR\nAU  - Author{n}, A.\nTI  - Invented title {n}\nT2  - Journal of Inventions\n"
            f"PY  - 2020\nDO  - 10.5555/inv.{n}\n{extra}ER  - \n")


@pytest.mark.parametrize("shape, text", [
    # Ovid (Medline/Embase) RIS: a record number on its own line before each record
    ("ovid", "".join(f"{n}. \n{_record(n, 'DB  - Embase' + chr(10) + 'M3  - Article' + chr(10))}\n"
                     for n in range(1, 7))),
    # Web of Science / ProQuest / EBSCO: a header of Provider/Database/Content lines
    ("header", 'Provider: Clarivate\nDatabase: Web of Science Core Collection\nContent: text/plain; '
               'charset="UTF-8"\n\n' + "\n".join(_record(n) for n in range(1, 7))),
    # Scopus: byte-order mark, CRLF, "ER  -" without a trailing space, an N1 export note
    ("scopus", "\ufeff" + "".join(_record(n, "N1  - Export Date: 1 June 2020; Cited By: 3\n").replace(
        "ER  - ", "ER  -") for n in range(1, 7)).replace("\n", "\r\n")),
    # Embase.com: Y1 dates as 2019//, one space before the hyphen in some tools
    ("one-space", "".join(_record(n).replace("  - ", " - ").replace("PY - 2020", "Y1 - 2020//")
                          for n in range(1, 7))),
    # Zotero's export of PubMed records: blank lines between records, L2 links
    ("zotero", "\n\n".join(_record(n, "L2  - https://pubmed.ncbi.nlm.nih.gov/3210/\n") for n in range(1, 7))),
])
def test_vendor_ris_exports_read_completely(tmp_path, shape, text):
    path = tmp_path / f"{shape}.ris"
    path.write_bytes(text.encode("utf-8"))
    document = read(path)
    assert document.format == "ris"
    assert [c.title for c in document.citations] == [f"Invented title {n}" for n in range(1, 7)]
    assert [c.doi for c in document.citations] == [f"10.5555/inv.{n}" for n in range(1, 7)]
    assert all(c.year == 2020 for c in document.citations) and not _rk403(document)


def test_ris_record_without_er_and_stray_tags_are_said(tmp_path):
    text = _record(1).replace("ER  - \n", "") + _record(2) + "AU  - Stray, A\nTI  - orphan\n\n" + _record(3)[:-7]
    document = read(_write(tmp_path, "loose.ris", text), "ris")
    assert [c.title for c in document.citations] == [f"Invented title {n}" for n in (1, 2, 3)]
    assert [(line, severity) for line, severity, _ in _rk403(document)] == [(14, "error"), (17, "warning")]


def test_a_ris_file_with_no_record_is_refused(tmp_path):
    with pytest.raises(InputError) as exc:
        read(_write(tmp_path, "bad.ris", "AU  - Stray, A\nTI  - x\n"), "ris")
    assert exc.value.where == "line 1" and "outside any record" in exc.value.message


def test_csljson_items_and_single_object(tmp_path):
    doc = read(BIB / "annotated.json")
    rao, who = doc.citations
    assert (rao.source.line, rao.source.label) == (2, "rao2019")
    assert rao.doi == "10.1177/1039856219878643"
    assert [n.text for n in rao.notes] == ["A free-text summary.\nPMCID: PMC123456"]
    assert who.csl_type == "report" and who.authors[0].literal == "World Health Organization"
    single = read(_write(tmp_path, "one.json", '{"type": "book", "title": "Alone", "id": "x"}'), "csljson")
    assert [c.title for c in single.citations] == ["Alone"]


@pytest.mark.parametrize("bad, message", [
    ('{"type": "book",\n  "title": oops}', "malformed JSON"),
    ('{"type": "journal-article", "id": "a"}', "'article-journal'"),
    ("42", "must be an object"),
    ('{"title": "no type"}', "no \"type\""),
    ('{"type": "book", "author": "Smith"}', "list of name objects"),
    ('{"type": "book", "author": [{"family": ["Smith"]}]}', "not text"),
    ('{"type": "book", "custom": ' + "[" * 200 + "]" * 200 + "}", "nested more than"),
    ("[" * 100000 + "]" * 100000, "nested more than"),
])
def test_one_bad_csljson_item_costs_only_itself(tmp_path, bad, message):
    text = '[\n{"type": "book", "id": "a", "title": "A"},\n' + bad + ',\n{"type": "book", "id": "c", "title": "C"}\n]'
    document = read(_write(tmp_path, "one-bad.json", text), "csljson")
    assert [c.label for c in document.citations] == ["a", "c"]
    [(line, severity, said)] = _rk403(document)
    assert line in (3, 4) and severity == "error" and message in said and "item 2" in said


def test_csljson_with_nothing_readable_names_item_and_line(tmp_path):
    with pytest.raises(InputError) as exc:
        read(_write(tmp_path, "bad.json", '[\n 42]\n'), "csljson")
    assert "must be an object" in exc.value.message and exc.value.where == "line 2"


@pytest.mark.parametrize("issued", ['{"date-parts": [[NaN]]}', '{"date-parts": [["spring"]]}',
                                    '{"date-parts": [[1e400]]}', '{"date-parts": [[]]}'])
def test_csljson_year_that_is_no_year_is_none(tmp_path, issued):
    text = f'[{{"type": "book", "id": "a", "title": "A", "issued": {issued}}}]'
    assert read(_write(tmp_path, "year.json", text), "csljson").citations[0].year is None


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


@pytest.mark.parametrize("issued, year", [('"2019-03-12"', 2019), ('"2019/2020"', 2019), ('"2019-21"', 2019),
                                          ('"ca. 1850"', 1850), ('{"date-parts": [["2017", "5"]]}', 2017)])
def test_csljson_dates_written_as_edtf_text_are_read(tmp_path, issued, year):
    """The CSL schema prefers an EDTF string for a date ("issued": "2019-03-12");
    such an item was skipped whole as unreadable (found in review)."""
    text = f'[{{"type": "book", "id": "a", "title": "A", "issued": {issued}}}]'
    document = read(_write(tmp_path, "edtf.json", text), "csljson")
    assert [c.year for c in document.citations] == [year] and _rk403(document) == []


@pytest.mark.parametrize("issued, year, said", [
    ('{"date-parts": [2019, 3]}', 2019, "read as [[2019, 3]]"),
    ('{"date-parts": "2019"}', 2019, "read as a date"),
    ("2019", 2019, "read as the year 2019"),
    ('{"date-parts": {"year": 2019}}', None, "ignored"),
])
def test_csljson_date_of_a_wrong_shape_keeps_the_item_and_says_how_it_was_read(tmp_path, issued, year, said):
    text = ('[\n{"type": "book", "id": "a", "title": "A"},\n'
            f'{{"type": "book", "id": "b", "title": "B", "issued": {issued}}}\n]')
    document = read(_write(tmp_path, "dates.json", text), "csljson")
    assert [(c.label, c.year) for c in document.citations] == [("a", None), ("b", year)]
    [(line, severity, message)] = _rk403(document)
    assert (line, severity) == (3, "warning") and "item 2" in message and '"issued"' in message and said in message
