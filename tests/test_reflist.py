"""read_reference_list on the seed review's PDF text (148 entries, bullets,
a page-split entry) and on hand-made lists with PDF artefacts and APA."""

from __future__ import annotations

import re

import pytest

from refkit.model import CitationKind, Name
from refkit.readers.reflist import join_lines, read_reference_list

from .conftest import EXAMPLES, FIXTURES

SEED = EXAMPLES / "ketamine-bpd-review.pdf.txt"
LISTS = FIXTURES / "lists"


@pytest.fixture(scope="module")
def seed() -> dict[str, object]:
    found = read_reference_list(SEED.read_text(encoding="utf-8"), str(SEED))
    citations, start = found.citations, found.start_line
    return {"citations": {c.label: c for c in citations}, "list": citations, "start": start}


def test_seed_yields_148_entries_numbered_1_to_148(seed) -> None:
    labels = [c.label for c in seed["list"]]
    assert labels == [str(n) for n in range(1, 149)]
    assert seed["start"] == 242
    assert all(c.kind is CitationKind.REFERENCE and c.source.file == str(SEED) for c in seed["list"])


def test_seed_bullets_get_numbers_1_to_4_restored(seed) -> None:
    first = [seed["citations"][str(n)] for n in range(1, 6)]
    assert [c.extra.get("label_restored", False) for c in first] == [True] * 4 + [False]
    assert first[0].raw.startswith("Rao S, Broadbear J. Borderline")
    assert [c.source.line for c in first] == [244, 245, 246, 247, 249]


def test_seed_entry_139_joins_its_page_split_continuation(seed) -> None:
    entry = seed["citations"]["139"]
    assert "correlates of NSSI in borderline personality disorder patients" in entry.raw
    assert entry.doi == "10.1080/15299732.2020.1719262"
    assert entry.container == "J Trauma Dissociation" and entry.pages == "520–35"
    assert "label_restored" not in entry.extra


def _printed_dois() -> dict[str, str]:
    """label -> the text after "doi: " of each entry, read straight from the file."""
    printed, label = {}, 0
    for line in SEED.read_text(encoding="utf-8").split("\n")[242:]:
        m = re.match(r"(\d+)\. ", line)
        if m or line.startswith("- ") and not line.startswith("- borderline"):
            label = int(m.group(1)) if m else label + 1
        doi = re.search(r"doi: (\S+)$", line)
        if doi and label:
            printed[str(label)] = doi.group(1)
    return printed


def test_every_printed_doi_is_kept_exactly_as_printed(seed) -> None:
    printed = _printed_dois()
    assert len(printed) == 143
    got = {label: c.doi for label, c in seed["citations"].items() if c.doi}
    assert got == printed
    assert all(c.doi_printed == f"doi: {c.doi}" for c in seed["list"] if c.doi)


def test_seed_spot_checks(seed) -> None:
    c = seed["citations"]
    assert c["61"].doi == "10.1002/da.2014.31.issue-4"  # an issue DOI, printed as such
    assert c["65"].doi == "10.1109/TBME.10"
    assert c["141"].doi is None and c["141"].doi_printed is None and c["141"].year == 2009
    assert (c["9"].csl_type, c["9"].year, c["9"].url) == ("webpage", 2023, "https://icd.who.int/en")
    assert c["54"].csl_type == "book" and c["54"].title.startswith("Borderline Personality Disorder")
    assert c["53"].authors == [Name(literal="American Psychiatric Association")] and c["53"].year == 2010
    assert c["1"].authors == [Name("Rao", "S"), Name("Broadbear", "J")]
    assert (c["1"].container, c["1"].year, c["1"].volume, c["1"].pages) == ("Australas Psychiatry", 2019, "27", "573–7")
    assert (c["90"].volume, c["90"].issue, c["90"].pages) == ("23", "20", "12196")
    assert c["81"].authors[0] == Name("Zarate", "CA", suffix="Jr") and c["81"].et_al
    assert c["60"].authors[5].family == "aan het Rot"
    assert c["13"].title.startswith("Borderline personality disorder, self-mutilation")


def test_seed_fields_present_for_matching(seed) -> None:
    """What the Crossref matcher leans on: title, first author, year, container, volume, first page."""
    journal = [c for c in seed["list"] if c.csl_type == "article-journal"]
    assert len(journal) >= 144
    for c in journal:
        assert c.title and c.authors and c.year and c.container and c.volume and c.pages, c.label


def test_pdf_artefacts_fixture() -> None:
    path = LISTS / "pdf-artefacts.txt"
    found = read_reference_list(path.read_text(encoding="utf-8"), str(path))
    citations, start = found.citations, found.start_line
    by_label = {c.label: c for c in citations}
    assert start == 7 and list(by_label) == [str(n) for n in range(1, 9)]
    assert by_label["1"].doi == "10.5555/jsr.2019.0012"  # digits after a cut DOI are not a page number
    assert by_label["2"].doi == "10.5555/fr-2020-0007-x" and by_label["2"].authors[3].suffix == "Jr"
    assert by_label["3"].pages == "573–7"
    assert "SYNTHETIC" not in by_label["4"].raw and by_label["4"].publisher == "Imaginary Press"
    assert by_label["5"].url == "https://example.org/a/very/long/path-that-continues/here.html"
    assert by_label["6"].title.endswith("continues on the next page")
    assert (by_label["7"].doi, by_label["7"].doi_printed) == (None, "doi: 10.555/broken")
    assert by_label["7"].extra["malformed_doi"] == ["doi: 10.555/broken"]
    assert by_label["8"].identifiers == {"PMID": "12345678", "PMCID": "PMC7654321", "arXiv": "2101.01234"}
    assert all("How to cite" not in c.raw for c in citations)


def test_apa_markdown_fixture() -> None:
    path = LISTS / "apa-markdown.md"
    found = read_reference_list(path.read_text(encoding="utf-8"), str(path))
    citations, start = found.citations, found.start_line
    assert start == 5 and [c.label for c in citations] == ["1", "2", "3", "4"]
    first = citations[0]
    assert first.doi == "10.5555/ip.2019.27.6" and first.doi_printed == "https://doi.org/10.5555/ip.2019.27.6"
    assert (first.container, first.volume, first.issue, first.pages) == ("Imaginary Psychiatry", "27", "6", "573–577")
    assert [a.family for a in citations[1].authors] == ["Doe", "Roe", "Moe", "van Dijk"]
    assert citations[2].csl_type == "book" and citations[3].csl_type == "webpage"


@pytest.mark.parametrize("heading", ["References", "REFERENCES", "## References", "7. References",
                                     "Bibliography", "Literature Cited", "Works Cited", "**References**"])
def test_headings_and_labels(heading: str) -> None:
    text = (f"Body text.\n\n{heading}\n[1] Doe J. First title here. J Test. 2001;1:1-2.\n"
            "[2] Roe R. Second title here. J Test. 2002;2:3-4.\n")
    found = read_reference_list(text, "x.txt", pages=[1, 1, 1, 2, 3])
    citations, start = found.citations, found.start_line
    assert start == 3 and [c.label for c in citations] == ["1", "2"]
    assert [c.source.page for c in citations] == [2, 3]


def test_parenthesised_labels_and_no_list() -> None:
    citations = read_reference_list("References\n1) Doe J. A. B. 2001;1:1.\n2) Roe R. C. D. 2002;2:2.", "x").citations
    assert [c.label for c in citations] == ["1", "2"]
    found = read_reference_list("Just prose, no list at all.\n1. A point.", "x")
    assert (found.citations, found.start_line) == ([], None)


def test_year_like_continuation_is_not_a_new_entry() -> None:
    text = "References\n1. Doe J. A title. Proc Conf, New York, NY, USA, Mar.-Apr.\n2011. https://doi.org/10.5555/a\n2. Roe R. B title. J. 2002;2:2."
    citations = read_reference_list(text, "x").citations
    assert [c.label for c in citations] == ["1", "2"]
    assert citations[0].doi == "10.5555/a"


def test_join_lines_rejoins_cut_dois_and_urls() -> None:
    assert join_lines(["doi:10.1109/", "MNET.2017.1"]) == "doi:10.1109/MNET.2017.1"
    assert join_lines(["https://doi.org/10.18429/JACoW ", "-HP071-WEPTY035"]) == "https://doi.org/10.18429/JACoW-HP071-WEPTY035"
    assert join_lines(["cyber-", "physical systems"]) == "cyber-physical systems"
    assert join_lines(["two  spaces", "next"]) == "two spaces next"


def test_a_list_of_one_reference_per_line_keeps_every_entry() -> None:
    """A bibliography pasted from a word processor or a web page: one line
    per reference, no blank lines or numbers. Entries whose author is not
    "Surname, I." (an organisation, a particle, a notice without author) were
    merged into the entry before, silently (found in review: 55 of 300 APA
    references from crossref-matching-eval lost)."""
    text = ("References\n"
            "Smith, J., & Jones, K. (2019). Sleep and memory in shift workers. Journal of Sleep Research, 28(3), 1–12.\n"
            "World Health Organization. (2020). Global report on sleep health. Geneva: WHO.\n"
            "van der Berg, A. (2018). Night work and cognition. Occupational Medicine, 68(2), 100–107.\n"
            "De Alwis, A., & Liyanage, S. (2008). Metformin in Prader-Willi syndrome. Sri Lanka J Child Health, 36(1), 24.\n"
            "Erratum. (1932). Journal of the Fuel Society of Japan, 11(2), 177c.\n"
            "Ochoa Nogales, B. (2018). Condiciones de grupos de población infantil. Estudios Sociales, 28(52), 1–20.\n")
    citations = read_reference_list(text, "x.txt").citations
    assert [c.raw.split(".")[0] for c in citations] == [
        "Smith, J", "World Health Organization", "van der Berg, A", "De Alwis, A", "Erratum", "Ochoa Nogales, B"]
    assert [c.year for c in citations] == [2019, 2020, 2018, 2008, 1932, 2018]


def test_a_wrapped_list_is_not_split_where_a_line_ends_after_a_full_stop() -> None:
    text = ("References\n"
            "Smith, J., & Jones, K. (2019). Sleep and memory in shift workers of a\n"
            "large hospital. Journal of Sleep Research, 28(3), 1–12.\n"
            "Roe, R. (2020). Global report on sleep health.\n"
            "Geneva: WHO Press.\n"
            "Doe, J. (2018). Night work and cognition: a cohort study of nurses and\n"
            "doctors. Occupational Medicine, 68(2), 100–107.\n")
    citations = read_reference_list(text, "x.txt").citations
    assert [c.raw[:5] for c in citations] == ["Smith", "Roe, ", "Doe, "]
    assert citations[1].raw.endswith("Geneva: WHO Press.")


def test_a_wrapped_list_starts_an_entry_after_a_doi_and_at_a_group_or_particle_author() -> None:
    """A wrapped author-year list without labels, blank lines or indents
    (text copied from a PDF or a word processor): an entry that ended with
    its DOI, one whose author is an organisation, and one whose family name
    opens with a particle were merged into the entry before (six
    references read as three). Synthetic: invented works."""
    text = ("References\n"
            "Abara, L. F., & Quist, W. G. (2004). Synaptic weather. Invented Nature, 431(7010),\n"
            "796-803. https://doi.org/10.5555/inv.0001\n"
            "American Association of Invented Studies. (2013). Manual of imagined\n"
            "disorders (5th ed.). Invented Press.\n"
            "Bello, Y., Corvin, A., & Vance, P. (2013). Representation of rivers: A review\n"
            "and new perspectives. Journal of Invented Rivers, 35(8), 1798-1828.\n"
            "https://doi.org/10.5555/inv.0002\n"
            "van der Molen, L., & Hale, G. (2008). Visualising towns. Journal of\n"
            "Invented Towns, 9, 2579-2605.\n"
            "World Invented Organization. (2020). Situation report on invented lakes,\n"
            "51. World Invented Organization.\n"
            "Zhu, C., Bello, S., & Hart, M. (2017). Understanding invented learning.\n"
            "In Proceedings of the Invented Conference, 2017. Invented Society.\n")
    citations = read_reference_list(text, "x.txt").citations
    assert [c.raw.split(" (")[0] for c in citations] == [
        "Abara, L. F., & Quist, W. G.", "American Association of Invented Studies.", "Bello, Y., Corvin, A., & Vance, P.",
        "van der Molen, L., & Hale, G.", "World Invented Organization.", "Zhu, C., Bello, S., & Hart, M."]
    assert citations[0].doi == "10.5555/inv.0001" and citations[2].doi == "10.5555/inv.0002"
    assert citations[-1].raw.endswith("2017. Invented Society.")


def test_a_wrapped_list_of_full_names_is_split_at_each_first_author() -> None:
    """MLA and Chicago print the first author "Family, Given." and the same
    author again as "---."; such a wrapped list without blank lines or
    indents was read as one reference (six as one, no warning). A place
    that looks like a name ("Berlin, Heidelberg:") stays in its entry.
    Synthetic: invented works."""
    text = ("Works Cited\n"
            "Abara, Lucinda. The Invented Lakes of the North. Invented Press, 1955.\n"
            "Quist, Toni. Playing in the Invented Dark: Essays on the Imagined\n"
            "River. Invented University Press, 1992.\n"
            "---. Invented Rivers. Invented University Press, 1994.\n"
            "Bello, Edward W. Imagined Towns. Invented Books, 1978.\n"
            "St. Ives, Marion. The Invented Reading Nation in the Imagined Period. Invented\n"
            "University Press, 2004.\n"
            "Hale, Bell, and Cornel Vance. Breaking Invented Bread: Essays. South\n"
            "Invented Press; Berlin, Heidelberg: Invented Verlag, 1991.\n"
            "Lima Neto, Adelino Soares, and Carla Zhu. \"Invented Gene Expression.\"\n"
            "Journal of Invented Biology, vol. 12, 2012, pp. 1-7.\n"
            "Yang, Yong, et al. \"Invented Cell Behaviour.\" Invented Engineering, vol. 3,\n"
            "2017, pp. 36-54.\n")
    citations = read_reference_list(text, "x.txt").citations
    assert [c.raw.split(".")[0] for c in citations] == [
        "Abara, Lucinda", "Quist, Toni", "---", "Bello, Edward W", "St", "Hale, Bell, and Cornel Vance",
        "Lima Neto, Adelino Soares, and Carla Zhu", "Yang, Yong, et al"]
    assert [c.year for c in citations] == [1955, 1992, 1994, 1978, 2004, 1991, 2012, 2017]
    assert citations[2].authors == citations[1].authors == [Name(family="Quist", given="Toni")]
    assert citations[4].authors == [Name(family="St. Ives", given="Marion")]
    assert "Berlin, Heidelberg" in citations[5].raw


def test_a_place_printed_like_a_full_name_starts_no_entry_in_an_apa_list() -> None:
    """A list whose authors are printed "Family, I." is not split at a lone
    line that opens "Place, Place." after a full stop. Synthetic."""
    text = ("References\n"
            "Abara, L. F. (2004). Synaptic weather: Essays on invented storms and\n"
            "the rains after them.\n"
            "Cambridge, Massachusetts. Invented Press.\n"
            "Bello, Y. (2013). Representation of rivers. Journal of Invented Rivers,\n"
            "35(8), 1-2.\n"
            "Hale, G. (2008). Visualising towns. Journal of Invented Towns, 9,\n"
            "2579-2605.\n")
    assert [c.raw[:5] for c in read_reference_list(text, "x.txt").citations] == ["Abara", "Bello", "Hale,"]


@pytest.mark.parametrize("heading, entries", [
    ("References", ["Abara, L. (2004). Synaptic weather of the invented north and the rivers\nthat run beside it. Invented Press.",
                    "Costa, C. (2012). Invented band structure of a thin film of invented metal.\nPhysical Review B, 85(3), 035401.",
                    "Hale, G. (2008). Visualising towns. Journal of Invented Towns, 9, 2579-2605."]),
    ("References", ["Abara L, Quist W. Synaptic weather of the invented north and the rivers\nthat run beside it. Invented Nature. 2004;431:796-803.",
                    "Costa C. Invented heart failure in an invented town of the invented north.\nEur Heart J. 2013;34:835-43.",
                    "St John RK. Visualising towns. J Invented Towns. 2008;9:2579-605."]),
    ("References", ["Abara, L., Quist, W., Hale, G., Bello, Y., Costa, C., & Ramos, A. (2004).\n"
                    "Vitamin D and the invented bones of the invented north. Journal of\nInvented Physics, 12, 1-7.",
                    "Hale, G. (2008). Visualising towns of the invented north and of the\n"
                    "invented south. Journal of Invented Towns, 9, 2579-2605."]),
    ("References", ["Abara, L. (2004). Synaptic weather in invented crystals of the invented north.\n"
                    "In Smith, J. (Ed.), Handbook of invented weather (pp. 1-7). Invented Press.",
                    "Hale, G. (2008). Visualising towns of the invented north and of the\n"
                    "invented south. Journal of Invented Towns, 9, 2579-2605."]),
    ("References", ["Abara, L. (2004). Synaptic weather of the north. In Invented Proceedings (pp. 1-7).\n"
                    "Springer, Berlin, Heidelberg. https://doi.org/10.5555/abc",
                    "Costa, C. (2012). Invented rivers of the north. In Invented Proceedings (pp. 1-7).\n"
                    "Springer, Berlin, Heidelberg. https://doi.org/10.5555/abd",
                    "Hale, G. (2008). Visualising towns of the invented north and of the\n"
                    "invented south. Journal of Invented Towns, 9, 2579-2605."]),
    ("Bibliography", ["Abara, Lucinda. 1955. The Invented Lakes of the North and the Rivers That\nRun Beside Them. 2nd ed.\n"
                      "New York, N.Y.: Invented Press.",
                      "Bello, Yara. 1997. \"Invented Voices.\" In Invented Voice, edited\nby Rosanna Hertz. 2nd ed.\n"
                      "Sage, Thousand Oaks, CA, 1997, 119-149.",
                      "Hale, Gordon. 2008. Visualising Towns of the Invented North. Chicago: Invented Books."]),
    ("References", ["Lee JW, Baker SR. Correction of invented septal deviation in the invented\nnose. Invented Surg. 2001;3:1-7.",
                    "Brigham CR, Talmage JB. Ratings based on invented function in the invented\ntowns. Guides Newsl. 2000;5:1-2.",
                    "Abara L, Quist W. Invented rivers of the north. In: Hale G, editor. Invented Handbook.\n"
                    "New York, NY, USA: Invented Press; 2004. p. 1-7.",
                    "Costa C. Invented towns of the invented north and the rivers beside\nthem. Invented J. 2008;9:1-9."]),
    ("Works Cited", ["Abara, Lucinda. Invented Weather. Invented Press, 1955.",
                     "Bello, Yara. Invented Rivers of the North and Other Long Stories, Volume\n3. Invented Press, 1971.",
                     "Costa, Carla. Invented Towns. Invented Books, 2008.",
                     "Hale, Gordon. Visualising Towns of the Invented North and of the Invented\nSouth. Invented Books, 2008."]),
])
def test_a_wrapped_line_that_opens_like_a_name_but_continues_its_entry_starts_none(
        heading: str, entries: list[str]) -> None:
    """Found in review: a journal ("Physical Review B,", "Eur Heart J."), a
    title ("Vitamin D and"), an editor's "In Smith, J.", places and
    publishers ("New York, N.Y.:", "Springer, Berlin, Heidelberg.", "Sage,
    Thousand Oaks, CA"), Vancouver names taken for "Family, Given", and a
    continuation's "3." taken for a label. Synthetic: invented works."""
    text = heading + "\n" + "\n".join(entries) + "\n"
    assert [c.raw for c in read_reference_list(text, "x.txt").citations] == [" ".join(e.split("\n")) for e in entries]


def test_dashes_for_a_repeated_author_take_the_last_named_authors() -> None:
    """"———, ed." and "———, and Jane Doe." stand for the last author printed
    by name (with Doe added); every dash form starts an entry. Synthetic."""
    text = ("Bibliography\n"
            "Said, Edward W. 1978. Invented Orientalism. New York: Invented Books.\n"
            "———, ed. 1995. Invented Essays. New York: Knopf.\n"
            "———, and Jane Doe. 1996. Invented Dialogues. New York: Knopf.\n"
            "———. 1999. Out of Place. New York: Knopf.\n"
            "⸻. 2000. Invented Rivers. New York: Knopf.\n"
            "----. 2001. Invented Lakes. New York: Knopf.\n"
            "Vance, Cornelia. 1988. Essays on the Invented Weather of the North and of\n"
            "the South. Chicago: Invented University Press.\n")
    citations = read_reference_list(text, "x.txt").citations
    assert [c.year for c in citations] == [1978, 1995, 1996, 1999, 2000, 2001, 1988]
    assert [[a.family for a in c.authors] for c in citations] == [
        ["Said"], ["Said"], ["Said", "Doe"], ["Said"], ["Said"], ["Said"], ["Vance"]]


def test_a_one_per_line_list_keeps_entries_that_end_with_a_semicolon() -> None:
    """References pasted one per line, some ending "(1974);", stay one each. Synthetic."""
    references = ["J. P. Abara, J. P. Quist and R. Hale. C. R. Invented Sci. 278, 129 (1974);",
                  "M. A. Bello, G. Costa and J. Ramos. J. Invented Chem. 98, 319 (1979).",
                  "C. P. Vance and J. M. Zhu. Bull. Soc. Invented Fr. 2090 (1973);",
                  "E. Lamy, L. Quist and J. M. Zhu. J. Invented Chem. 50, 141 (1974).",
                  "W. R. Hale and A. Costa. Can. J. Invented Chem. 59, 3256 (1981)."]
    text = "References\n" + "\n".join(references) + "\n"
    assert [c.raw for c in read_reference_list(text, "x.txt").citations] == references


def test_two_word_family_names_and_initials_before_the_year_start_entries() -> None:
    """Spanish and Portuguese double family names ("Lima Neto, A. S.") and
    Harvard's "Fleisher TL (1969)" were read as continuations of the entry
    before. Synthetic."""
    text = ("References\n"
            "Abara LF and Quist WG (2004) Synaptic weather. Invented Nature 431(7010):\n"
            "796-803.\n"
            "Fleisher TL (1969) Nevus inventus. Archives of Invented Dermatology 100(6):\n"
            "750-755.\n"
            "Lima Neto, A. S., & Costa, C. (2012). Invented gene expression. Journal of\n"
            "Invented Biology, 12, 1-7.\n"
            "Ramos Rodríguez, A. E. (2020). Invented science. Revista Inventada, 3, 1-9.\n")
    assert [c.raw[:8] for c in read_reference_list(text, "x.txt").citations] == [
        "Abara LF", "Fleisher", "Lima Net", "Ramos Ro"]


def test_a_line_after_one_ending_in_a_colon_or_comma_continues_a_one_per_line_list() -> None:
    """In a list of one reference per line, a wrapped entry's tail ("627-27.")
    became an entry of its own when the line before ended "112(5):". Synthetic."""
    references = ["Abara L. Synaptic weather. Invented Nature. 2004;431:796-803.",
                  "Bello Y. Representation of rivers. J Invented Rivers. 2013;35:1798-1828.",
                  "Hale G. Visualising towns. J Invented Towns. 2008;9:2579-2605."]
    text = ("References\n" + "\n".join(references[:2]) + "\n"
            + "Quist W. Invented lakes of the north. Archives of Invented Dermatology 112(5):\n627-27.\n"
            + references[2] + "\n")
    assert [c.raw[:5] for c in read_reference_list(text, "x.txt").citations] == ["Abara", "Bello", "Quist", "Hale "]


@pytest.mark.parametrize("line_before, continuation", [
    ("the towns beside them, by Abara, L. F., &", "K. (2014). Invented weather. Invented Journal, 3, 1-2."),
    ("the towns beside them.", "Abstract and Invented Analysis, 2015, 1–8."),  # the journal and its year
    ("the towns beside them.", "Invented Symposium on Lakes. 2006: 61–65."),  # proceedings without "In"
    ("the towns beside them.", "Cambridge, 2003, pp. 10-200."),  # a place and year
    ("the towns beside them.", "Harvard Invented Press, 2019."),  # a book's publisher
    ("the towns beside them. Ed. J. N.", "Quist, (1986). Invented Press."),  # after an editor's initial
])
def test_a_wrapped_line_that_only_looks_like_an_author_year_start_stays_in_its_entry(
        line_before: str, continuation: str) -> None:
    """Found in review on wrapped real APA lists: lines that continue an entry
    after a full stop but open with a capitalised name and a year. Synthetic."""
    text = ("References\n"
            "Abara, L. F., Quist, W. G., & Bello, Y. (2014). An invented study of invented lakes and of\n"
            f"{line_before}\n{continuation}\n"
            "Zhu, C. (2017). Understanding invented learning in invented schools of the north and\n"
            "the south. Invented Press.\n")
    assert [c.raw[:5] for c in read_reference_list(text, "x.txt").citations] == ["Abara", "Zhu, "]


@pytest.mark.parametrize("label", ["{n}.", "[{n}]", "({n})"])
def test_a_label_alone_on_its_line_numbers_the_text_that_follows(label: str) -> None:
    """Text copied from a PDF whose labels stand in a column of their own
    puts "12." on a line by itself. Each was read as an entry "12." and the
    reference after it joined to the entry before, or RK404 claimed the
    numbers were missing (found in review)."""
    references = ["Smith J. Sleep and memory. J Sleep Res. 2019;28:1-12.",
                  "Doe J, Roe R. Night work and cognition. Occup Med. 2018;68:100-7.",
                  "Roe R. Shift work. Lancet. 2017;1:2-3."]
    text = "References\n" + "".join(f"{label.format(n=n)}\n{ref}\n" for n, ref in enumerate(references, 1))
    found = read_reference_list(text, "x.txt")
    assert [(c.label, c.raw) for c in found.citations] == [(str(n), ref) for n, ref in enumerate(references, 1)]
    assert [c.source.line for c in found.citations] == [2, 4, 6] and found.findings == []


@pytest.mark.parametrize("text", ["References\n1. ", "References\n[1]\n\n",
                                  "References\n1. Smith J. Sleep. J Sleep Res. 2019;28:1-12.\n2.\n"])
def test_a_lone_label_with_nothing_after_it_is_no_reference(text: str) -> None:
    """Found by the hypothesis test: "1." alone at the end of a text became a
    citation with no text at all."""
    found = read_reference_list(text, "x.txt")
    assert all(c.raw.strip() for c in found.citations)
    assert (found.start_line is None) == (not found.citations)
