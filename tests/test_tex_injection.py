"""BibTeX output cannot become TeX code: DOIs and URLs carrying TeX's `^^5c`
(backslash), `^^7b`/`^^7d` (braces), raw braces, `%`, `#` or control
characters arrive from RIS, BibTeX and CSL-JSON input alike, and the
exported .bib is run through bibtex and pdflatex (-shell-escape) with
natbib/plainnat when TeX is installed; without TeX, the bytes are checked
so that they cannot form a `^^` sequence, a control sequence or an
unbalanced brace."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote

import bibtexparser
import pytest
from pybtex.database.input.bibtex import Parser

from refkit.writers.texsafe import verbatim

READ_SECRET = "^^5cinput^^7bsecret^^7d"
RUN_SHELL = "^^5cimmediate^^5cwrite18^^7btouch pwned-{}^^7d"
DOIS = {"ris": "10.1000/r" + READ_SECRET, "bib": "10.1000/b" + READ_SECRET,
        "json": "10.1000/j" + READ_SECRET}
URLS = {"ris": "http://example.org/r#f" + RUN_SHELL.format("ris"),
        "bib": "http://example.org/b" + RUN_SHELL.format("bib"),
        "json": "http://example.org/j?q=%41%zz#a#b}\\input{secret}\x0b" + RUN_SHELL.format("json")}
# the three preambles: plainnat's fallback \doi{#1} reads the DOI as ordinary
# TeX input; with url.sty or hyperref it is read verbatim
PREAMBLES = {"plain": "", "url": r"\usepackage{url}", "hyperref": r"\usepackage{hyperref}"}


def _inputs(folder: Path) -> list[Path]:
    ris = folder / "in.ris"
    ris.write_text(f"TY  - JOUR\nAU  - Rao, Sam\nTI  - From RIS\nJO  - J\nPY  - 2020\n"
                   f"DO  - {DOIS['ris']}\nUR  - {URLS['ris']}\nER  - \n", encoding="utf-8")
    bib = folder / "in.bib"
    bib.write_text(f"@article{{b, author = {{Bo, Ann}}, title = {{From BibTeX}}, journal = {{J}},\n"
                   f"  year = {{2021}}, doi = {{{DOIS['bib']}}}, url = {{{URLS['bib']}}}}}\n",
                   encoding="utf-8")
    csl = folder / "in.json"
    csl.write_text(json.dumps([{"id": "j", "type": "article-journal", "title": "From CSL-JSON",
                                "author": [{"family": "Cho", "given": "Li"}],
                                "issued": {"date-parts": [[2022]]}, "container-title": "J",
                                "DOI": DOIS["json"], "URL": URLS["json"]}]), encoding="utf-8")
    return [ris, bib, csl]


def _export(folder: Path, *options: str) -> str:
    out = folder / "refs.bib"
    result = subprocess.run([sys.executable, "-c", "from refkit.cli import main; main()", "export",
                             *map(str, _inputs(folder)), "-t", "bibtex", "-o", str(out), "--offline",
                             "--cache-dir", str(folder / "cache"), *options],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return out.read_text(encoding="utf-8")


def _verbatim_values(bib: str) -> list[str]:
    return re.findall(r"^\s*(?:doi|url|eprint|file) = \{(.*)\},?$", bib, re.MULTILINE)


@pytest.mark.parametrize("ascii_output", [False, True], ids=["unicode", "latex"])
def test_exported_verbatim_fields_cannot_form_tex_code(tmp_path, ascii_output):
    bib = _export(tmp_path, *(["--latex"] if ascii_output else []))
    values = _verbatim_values(bib)
    assert len(values) == 6
    for value in values:
        assert not re.search(r"[\\{}^\x00-\x1f\x7f-\x9f]", value), value
    assert bib.count("{") == bib.count("}") and "^^" not in bib
    # two independent parsers see the three entries, no more, and every DOI and URL whole
    entries = Parser().parse_string(bib).entries
    assert len(entries) == 3 and len(bibtexparser.parse_string(bib).entries) == 3
    assert {unquote(e.fields["doi"]) for e in entries.values()} == set(DOIS.values())
    # (a control character in a value is a space, as in every other field)
    assert {unquote(e.fields["url"]) for e in entries.values()} == {
        unquote(url.replace("\x0b", " ")) for url in URLS.values()}


def test_refkit_reads_its_escaped_dois_back_unchanged(tmp_path):
    _export(tmp_path)
    result = subprocess.run([sys.executable, "-c", "from refkit.cli import main; main()", "extract",
                             str(tmp_path / "refs.bib"), "--format", "json"],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert {c["doi"] for c in json.loads(result.stdout)["citations"]} == {d.lower() for d in DOIS.values()}


@pytest.mark.skipif(not (shutil.which("pdflatex") and shutil.which("bibtex")),
                    reason="TeX (pdflatex, bibtex) is not installed")
@pytest.mark.parametrize("preamble", sorted(PREAMBLES))
def test_pdflatex_with_natbib_neither_reads_a_file_nor_runs_a_command(tmp_path, preamble):
    _export(tmp_path)
    (tmp_path / "secret.tex").write_text("SECRET-CONTENTS\n", encoding="utf-8")
    (tmp_path / "doc.tex").write_text(
        "\\documentclass{article}\\usepackage{natbib}" + PREAMBLES[preamble]
        + "\n\\begin{document}\\nocite{*}\\bibliographystyle{plainnat}\\bibliography{refs}\\end{document}\n",
        encoding="utf-8")
    latex = ["pdflatex", "-interaction=nonstopmode", "-shell-escape", "doc.tex"]
    subprocess.run(latex, cwd=tmp_path, capture_output=True, timeout=120)
    bibtex = subprocess.run(["bibtex", "doc"], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert bibtex.returncode == 0, bibtex.stdout
    final = subprocess.run(latex, cwd=tmp_path, capture_output=True, timeout=120)
    log = (tmp_path / "doc.log").read_text(encoding="latin-1")
    assert "secret.tex" not in log and "SECRET-CONTENTS" not in log
    assert not list(tmp_path.glob("pwned-*"))
    if preamble != "plain":  # read verbatim, every value prints as text
        assert final.returncode == 0 and "\n! " not in log, log[-2000:]
        assert "10.1000/r%5E%5E5cinput%5E%5E7bsecret%5E%5E7d" in (tmp_path / "doc.bbl").read_text()


@pytest.mark.parametrize("name, value, expected", [
    ("doi", "10.1000/a^b{c}\\d%e#f g", "10.1000/a%5Eb%7Bc%7D%5Cd%25e%23f g"),
    ("url", "https://x.org/a%20b%zz c#frag#more", "https://x.org/a%20b%25zz%20c#frag%23more"),
    ("file", "My Papers/a\tb.pdf", "My Papers/a%09b.pdf"),
    ("eprint", "2101.00001\x85", "2101.00001%C2%85"),
])
def test_verbatim_encoding_keeps_what_is_text(name, value, expected):
    assert verbatim(name, value) == expected


def test_ascii_output_encodes_non_ascii_in_verbatim_fields():
    assert verbatim("url", "https://x.org/café", ascii_only=True) == "https://x.org/caf%C3%A9"
    assert verbatim("url", "https://x.org/café") == "https://x.org/café"
