"""Formatted bibliographies: citeproc-py renders refkit's CSL-JSON and
BibTeX-derived output without errors or warnings; pandoc's citeproc reads
the CSL-JSON too when pypandoc's bundled pandoc is available."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import pytest
from pybtex.database.input.bibtex import Parser

from refkit.errors import RefkitError
from refkit.formatting import format_bibliography, render
from refkit.pybtex_plugin import citations_of, unchecked
from refkit.writers import bibtex, csljson
from tests.test_writers import sample

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


def test_pandoc_citeproc_reads_csljson(tmp_path):
    pypandoc = pytest.importorskip("pypandoc")
    try:
        pypandoc.get_pandoc_version()
    except OSError:
        pytest.skip("no pandoc binary")
    refs = tmp_path / "refs.json"
    refs.write_text(csljson.write(sample()), encoding="utf-8")
    out = pypandoc.convert_text("See [@rao2019borderlinea; @world2020opioids].", "plain", format="markdown",
                                extra_args=["--citeproc", f"--bibliography={refs}"])
    assert "Rao, S, and J Broadbear. 2019." in out and "borderline personality disorder" in out.lower()
