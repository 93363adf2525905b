"""`refkit fix` on real-shaped, hand-written (synthetic) .bib, .ris and
CSL-JSON files against the local Crossref stub: exactly the wrong DOI values
change, byte for byte; everything else — comments, @string, field case,
spacing, CRLF, order — stays; --diff changes nothing; exit codes as check."""

from __future__ import annotations

import json
import os

import pytest
from click.testing import CliRunner

from pybtex.database.input.bibtex import Parser

from refkit import readers
from refkit.cli import cli
from refkit.errors import InputError

from .crossref_stub import SEED_WORKS, read_records

BIB = """\
% Reading list -- hand kept; do not reformat
@string{ jpsy = "Journal of Psychopharmacology" }

@Article{Unoka2022,
  AUTHOR    = {Unoka, Z. and Csaky-Pallavicini, K. and Horvath, Z. and Demetrovics, Z. and Maraz, A.},
  TITLE     = {The {Inventory of Personality Organization}: a valid instrument to detect the severity of personality dysfunction},
  JOURNAL   = {Front Psychiatry},
  YEAR      = 2022,
  VOLUME    = {13},
  PAGES     = {995726},
  DOI       = {10.3389/fpsy.2022.995726},
}

@article{wagner2017therapeutic,
	author = "Wagner, M. T. and Mithoefer, M. C. and Mithoefer, A. T. and MacAulay, R. K. and Jerome, L. and Yazar-Klosinski, B.",
	title = "Therapeutic effect of increased openness: investigating mechanism of action in {MDMA}-assisted psychotherapy",
	journal = jpsy, year = "2017", volume = "31", pages = "967--974",
	doi = "https://doi.org/10.1177/0269881117117172"
}

@comment{ keep me too }
@article{rao2019,
  author = {Rao, S and Broadbear, J},
  title = {Borderline personality disorder and depressive disorder},
  journal = {Australas Psychiatry}, year = {2019}, volume = {27}, pages = {573-7},
  doi = {10.1177/1039856219878643}
}
"""

RIS = ("TY  - JOUR\r\nAU  - Unoka, Z\r\nAU  - Csaky-Pallavicini, K\r\n"
       "TI  - The Inventory of Personality Organization: a valid instrument to detect the severity of "
       "personality dysfunction\r\nT2  - Front Psychiatry\r\nPY  - 2022\r\nVL  - 13\r\nSP  - 995726\r\n"
       "DO  - 10.3389/fpsy.2022.995726\r\nER  - \r\n\r\n"
       "TY  - JOUR\r\nAU  - Rao, S\r\nAU  - Broadbear, J\r\n"
       "TI  - Borderline personality disorder and depressive disorder\r\nT2  - Australas Psychiatry\r\n"
       "PY  - 2019\r\nVL  - 27\r\nSP  - 573\r\nEP  - 577\r\nER  - \r\n")

CSL = """[
  {"id": "unoka", "type": "article-journal",
   "author": [{"family": "Unoka", "given": "Z"}, {"family": "Csaky-Pallavicini", "given": "K"}],
   "title": "The Inventory of Personality Organization: a valid instrument to detect the severity of personality dysfunction",
   "container-title": "Frontiers in Psychiatry", "issued": {"date-parts": [[2022]]}, "volume": "13",
   "page": "995726", "DOI": "10.3389/fpsy.2022.995726"},
  {
    "id": "rao",
    "type": "article-journal",
    "author": [{"family": "Rao", "given": "S"}, {"family": "Broadbear", "given": "J"}],
    "title": "Borderline personality disorder and depressive disorder",
    "container-title": "Australas Psychiatry",
    "issued": {"date-parts": [[2019]]},
    "volume": "27",
    "page": "573-7"
  }
]
"""


@pytest.fixture
def refkit(tmp_path, monkeypatch, seed_stub):
    monkeypatch.setenv("REFKIT_MAILTO", "tests@example.org")
    monkeypatch.setenv("REFKIT_CROSSREF_URL", seed_stub.url)
    return lambda *args: CliRunner().invoke(cli, list(args))


def write(path, text: str) -> bytes:
    path.write_bytes(text.encode("utf-8"))
    return path.read_bytes()


def test_fix_changes_exactly_the_wrong_doi_values_of_a_bib(refkit, tmp_path):
    bib = tmp_path / "refs.bib"
    before = write(bib, BIB)
    os.chmod(bib, 0o640)
    result = refkit("fix", str(bib))
    assert result.exit_code == 0, result.output
    expected = BIB.replace("{10.3389/fpsy.2022.995726}", "{10.3389/fpsyt.2022.995726}").replace(
        "https://doi.org/10.1177/0269881117117172", "https://doi.org/10.1177/0269881117711712")
    assert bib.read_bytes() == expected.encode("utf-8")
    assert bib.read_bytes() != before
    assert oct(bib.stat().st_mode & 0o777) == "0o640"
    assert "RK103" in result.stderr


def test_diff_prints_the_change_and_changes_nothing(refkit, tmp_path):
    bib = tmp_path / "refs.bib"
    before = write(bib, BIB)
    result = refkit("fix", str(bib), "--diff")
    assert result.exit_code == 1  # the errors are still in the file
    assert bib.read_bytes() == before
    assert "-  DOI       = {10.3389/fpsy.2022.995726}," in result.stdout
    assert "+  DOI       = {10.3389/fpsyt.2022.995726}," in result.stdout
    assert f"refkit: {bib}: 2 DOIs would be fixed; nothing else to report" in result.stderr
    assert not list(tmp_path.glob("*.orig"))


def test_select_applies_only_the_chosen_fixes_and_backup_keeps_the_original(refkit, tmp_path):
    bib = tmp_path / "refs.bib"
    before = write(bib, BIB)
    result = refkit("fix", str(bib), "--select", "RK105", "--backup")
    assert result.exit_code == 1  # RK103 left unfixed
    assert bib.read_bytes() == before
    assert refkit("fix", str(bib), "--select", "doi-corrected", "--backup").exit_code == 0
    assert (tmp_path / "refs.bib.orig").read_bytes() == before


def test_fix_a_ris_file_keeps_crlf_and_adds_a_missing_doi(refkit, tmp_path):
    ris = tmp_path / "lib.ris"
    write(ris, RIS)
    result = refkit("fix", str(ris))
    assert result.exit_code == 0, result.output
    expected = RIS.replace("DO  - 10.3389/fpsy.2022.995726", "DO  - 10.3389/fpsyt.2022.995726").replace(
        "EP  - 577\r\nER  - ", "EP  - 577\r\nDO  - 10.1177/1039856219878643\r\nER  - ")
    assert ris.read_bytes() == expected.encode("utf-8")


def test_fix_a_csl_json_file_in_place(refkit, tmp_path):
    csl = tmp_path / "lib.json"
    write(csl, CSL)
    result = refkit("fix", str(csl))
    assert result.exit_code == 0, result.output
    expected = CSL.replace('"DOI": "10.3389/fpsy.2022.995726"', '"DOI": "10.3389/fpsyt.2022.995726"').replace(
        '  {\n    "id": "rao",', '  {\n    "DOI": "10.1177/1039856219878643",\n    "id": "rao",')
    assert csl.read_text(encoding="utf-8") == expected
    assert json.loads(expected)[1]["DOI"] == "10.1177/1039856219878643"


def test_fix_refuses_a_document_that_is_not_a_bibliography(refkit, tmp_path):
    text = tmp_path / "paper.txt"
    text.write_text("References\n1. Rao S. Borderline personality disorder. 2019.\n", encoding="utf-8")
    result = refkit("fix", str(text))
    assert isinstance(result.exception, InputError)  # the console entry point makes it exit 2
    assert "edits only BibTeX, RIS and CSL-JSON" in str(result.exception)


def test_fix_of_a_one_line_csl_json_file_changes_the_item_that_holds_the_wrong_doi(refkit, tmp_path):
    """Several items on one line (JSON written without indentation): the fix
    goes into the item it belongs to, never into the first item of the line."""
    items = json.loads(CSL)
    items[1]["DOI"] = "10.1177/1039856219878643"  # right, and on the same line as the wrong one
    items.reverse()
    csl = tmp_path / "lib.json"
    text = json.dumps(items, ensure_ascii=False)
    write(csl, text)
    result = refkit("fix", str(csl))
    assert result.exit_code == 0, result.output
    assert csl.read_text(encoding="utf-8") == text.replace("10.3389/fpsy.2022.995726", "10.3389/fpsyt.2022.995726")


def test_fix_passes_over_a_commented_out_copy_of_the_entry(refkit, tmp_path):
    """A `%` line is a comment to the readers: the fix goes into the entry they read."""
    bib = tmp_path / "refs.bib"
    old = "% @Article{Unoka2022,\n%  DOI = {10.3389/fpsy.2022.995726},\n% }\n"
    write(bib, old + BIB)
    result = refkit("fix", str(bib), "--select", "RK103")
    assert result.exit_code == 0, result.output
    assert bib.read_text(encoding="utf-8") == old + BIB.replace(
        "{10.3389/fpsy.2022.995726}", "{10.3389/fpsyt.2022.995726}").replace(
        "https://doi.org/10.1177/0269881117117172", "https://doi.org/10.1177/0269881117711712")


def test_fix_says_what_it_fixed_and_what_is_left(refkit, tmp_path):
    """An exit status of 1 is never unexplained: each file gets one line
    saying how many DOIs were fixed and which findings are left; --ignore
    leaves a code out of the exit status, as in `refkit check`."""
    bib = tmp_path / "refs.bib"
    unknown = "@article{nowhere,\n  title = {Nothing anyone registered},\n  doi = {10.5555/no.such.work.1}\n}\n"
    write(bib, BIB + unknown)
    result = refkit("fix", str(bib))
    assert result.exit_code == 1
    assert f"refkit: {bib}: 2 DOIs fixed; still left: 1 error (`refkit check {bib}` lists them)" in result.stderr
    again = refkit("fix", str(bib), "--diff", "--ignore", "RK102")
    assert again.exit_code == 0 and again.stdout == ""
    assert f"refkit: {bib}: no DOI to fix; nothing else to report" in again.stderr


def test_fix_refuses_text_that_is_not_utf8_before_asking_anything(seed_stub, monkeypatch):
    """Latin-1 on stdin is refused in one line, as a Latin-1 file is (it was an internal error)."""
    monkeypatch.setenv("REFKIT_CROSSREF_URL", seed_stub.url)
    latin1 = "@article{a, title = {Café au lait}, doi = {10.1177/1039856219878643}}\n".encode("latin-1")
    result = CliRunner().invoke(cli, ["fix", "-"], input=latin1)
    assert isinstance(result.exception, InputError) and "is not UTF-8" in str(result.exception)
    assert sum(seed_stub.counts.values()) == 0


@pytest.mark.parametrize("name, text, link_before, other_link", [
    ("refs.bib", BIB.replace("  DOI       = {10.3389/fpsy.2022.995726},\n",
                             "  DOI       = {10.3389/fpsy.2022.995726},\n"
                             "  URL       = {https://doi.org/10.3389/fpsy.2022.995726},\n"),
     "https://doi.org/10.3389/fpsy.2022.995726", None),
    ("lib.ris", RIS.replace("DO  - 10.3389/fpsy.2022.995726\r\n",
                            "DO  - 10.3389/fpsy.2022.995726\r\nUR  - http://dx.doi.org/10.3389/FPSY.2022.995726\r\n"
                            "UR  - https://example.org/10.3389/fpsy.2022.995726\r\n"),
     "http://dx.doi.org/10.3389/FPSY.2022.995726", "https://example.org/10.3389/fpsy.2022.995726"),
    ("lib.json", CSL.replace('"DOI": "10.3389/fpsy.2022.995726"',
                             '"DOI": "10.3389/fpsy.2022.995726", "URL": "https://doi.org/10.3389/fpsy.2022.995726"'),
     "https://doi.org/10.3389/fpsy.2022.995726", None),
])
def test_a_doi_org_link_to_the_wrong_doi_is_fixed_with_it(refkit, tmp_path, name, text, link_before, other_link):
    """An entry's URL that is a doi.org link to the DOI being replaced names
    the wrong work too, so it follows the DOI; any other URL stays."""
    path = tmp_path / name
    write(path, text)
    result = refkit("fix", str(path))
    assert result.exit_code == 0, result.output
    after = path.read_text(encoding="utf-8")
    assert link_before not in after
    assert link_before[:link_before.index("10.")] + "10.3389/fpsyt.2022.995726" in after
    if other_link:
        assert other_link in after
    assert after.count("fpsy.") == (1 if other_link else 0)


def test_a_doi_two_findings_name_is_fixed_once_and_neither_is_left(refkit, tmp_path):
    """Entry b prints entry a's DOI: RK104 (another work's DOI) and RK110
    (shared with a) both name b's own DOI. Writing it settles both: exit 0
    and nothing said to be left, as `refkit check` then agrees."""
    bib = tmp_path / "refs.bib"
    write(bib, BIB.split("@comment")[1].split("\n", 1)[1] + """
@article{b,
  author = {Bahji, A and Vazquez, GH and Zarate, CA},
  title = {Comparative efficacy of racemic ketamine and esketamine for depression: A systematic review and meta-analysis},
  journal = {J Affect Disord}, year = {2021}, volume = {278}, pages = {542-555},
  doi = {10.1177/1039856219878643}
}
""")
    before = refkit("check", str(bib), "--format", "json")
    codes = sorted(f["code"] for c in json.loads(before.stdout)["citations"] for f in c["findings"])
    assert codes == ["RK104", "RK110"]
    result = refkit("fix", str(bib))
    assert "{10.1016/j.jad.2020.09.071}" in bib.read_text(encoding="utf-8")
    assert f"refkit: {bib}: 1 DOI fixed; nothing else to report" in result.stderr
    assert result.exit_code == 0 == refkit("check", str(bib)).exit_code


HOSTILE_DOI = "10.1177/1039856219878643}^^5cinput^^7b/etc/hostname^^7d"


def test_fix_writes_a_registry_doi_into_a_bib_as_text_never_as_tex_code(tmp_path, monkeypatch, make_stub):
    """A registry answering with a crafted DOI (a wrong mirror, a hostile
    stand-in) cannot close the entry or form TeX's ^^ escapes in the user's
    file: the DOI goes through the encoding export uses, and reads back."""
    records = [dict(r, DOI=HOSTILE_DOI) if r["DOI"] == "10.1177/1039856219878643" else r
               for r in read_records(SEED_WORKS)]
    monkeypatch.setenv("REFKIT_CROSSREF_URL", make_stub(records).url)
    bib = tmp_path / "refs.bib"
    write(bib, BIB[BIB.index("@article{rao2019"):].replace("  doi = {10.1177/1039856219878643}\n", ""))
    result = CliRunner().invoke(cli, ["fix", str(bib)])
    fixed = bib.read_text(encoding="utf-8")
    assert result.exit_code == 0 and "10.1177/1039856219878643%7D%5E%5E5cinput" in fixed, result.output
    assert "^" not in fixed and fixed.count("{") == fixed.count("}")
    entries = Parser().parse_string(fixed).entries
    assert list(entries) == ["rao2019"] and entries["rao2019"].fields["doi"].endswith("%5E%5E7d")
    assert readers.read(str(bib)).citations[0].doi == HOSTILE_DOI.lower()


def test_fix_writes_no_doi_that_is_not_one(tmp_path, monkeypatch, make_stub):
    """A 'DOI' holding a line break would start a new RIS record: it is not written."""
    records = [dict(r, DOI="10.1177/1039856219878643\nER  - ") if r["DOI"] == "10.1177/1039856219878643" else r
               for r in read_records(SEED_WORKS)]
    monkeypatch.setenv("REFKIT_CROSSREF_URL", make_stub(records).url)
    ris = tmp_path / "lib.ris"
    before = write(ris, RIS)
    result = CliRunner().invoke(cli, ["fix", str(ris), "--select", "RK106"])
    assert ris.read_bytes() == before and "not a valid DOI" in result.stderr
