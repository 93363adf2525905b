"""`refkit zotero push` and `import-file` through the CLI, on the real
example documents, against the Zotero stand-in (tests/zotero_standin.py,
not Zotero) and the Crossref stub (synthetic seed records)."""

from __future__ import annotations

import re

import pytest
import rispy
from click.testing import CliRunner

from refkit.cli import cli
from tests.conftest import EXAMPLES
from tests.crossref_stub import crossref_stub
from tests.zotero_standin import API_KEY, closed_port_url, zotero_standin

__all__ = ["crossref_stub", "zotero_standin"]  # fixtures, imported for pytest
PDF_COPY = str(EXAMPLES / "ketamine-bpd-review.pdf.txt")
PAGES = [str(EXAMPLES / "citations-page-v1.txt"), str(EXAMPLES / "citations-page-v2.txt")]


@pytest.fixture
def run(tmp_path, crossref_stub, monkeypatch):
    """Run `refkit zotero …` against the stand-ins; `key=False` leaves the API key unset."""
    monkeypatch.setenv("REFKIT_CONFIG", str(tmp_path / "absent.toml"))
    monkeypatch.chdir(tmp_path)

    def invoke(standin_url: str, *args: str, key: bool = True):
        if key:
            monkeypatch.setenv("REFKIT_ZOTERO_API_KEY", API_KEY)
        else:
            monkeypatch.delenv("REFKIT_ZOTERO_API_KEY", raising=False)
        argv = ["zotero", *args, "--api-url", standin_url, "--local-url", standin_url,
                "--crossref-url", crossref_stub.url, "--cache-dir", str(tmp_path / "cache"),
                "--mailto", "test@example.org"]
        return CliRunner().invoke(cli, argv, catch_exceptions=False)
    return invoke


def test_push_the_pdf_copy_in_a_few_item_writes(zotero_standin, run, crossref_stub):
    result = run(zotero_standin.url, "push", PDF_COPY, "--collection", "Ketamine BPD")
    assert result.exit_code == 0, result.output
    created = int(re.search(r"created (\d+) items", result.stdout).group(1))
    skipped = int(re.search(r"(\d+) already in the library", result.stdout).group(1))
    assert created + skipped == 148 and created == len(zotero_standin.top_items())
    notes = int(re.search(r"and (\d+) child notes", result.stdout).group(1))
    requests = -(-(created + notes) // 50)  # parents and notes in ≤50-object writes
    assert requests <= 4 and len(zotero_standin.writes("items")) == requests
    assert f"in {requests} write requests" in result.stdout
    extras = [d["extra"] for d in zotero_standin.top_items()]
    # the stub's answers never pass for Crossref's
    assert sum(f"verified against the Crossref-compatible service at {crossref_stub.url}" in e
               for e in extras) > 120
    assert not any("verified against Crossref" in e for e in extras)
    again = run(zotero_standin.url, "push", PDF_COPY, "--collection", "Ketamine BPD")
    assert "created 0 items" in again.stdout and len(zotero_standin.top_items()) == created


def test_push_the_citation_pages_with_summaries_as_child_notes(zotero_standin, run):
    result = run(zotero_standin.url, "push", *PAGES, "--collection", "BPD pages")
    assert result.exit_code == 0, result.output
    items = zotero_standin.top_items()
    notes = [n for d in items for n in zotero_standin.children(d["key"])]
    assert items and len(notes) >= len(items) - 2  # nearly every title has its summary
    assert all(n["note"].startswith("<p>") and n["note"].endswith("</p>") for n in notes)
    assert all(d["collections"] for d in items) and not any(n["collections"] for n in notes)


def test_dry_run_lists_items_and_notes_and_writes_nothing(zotero_standin, run):
    result = run(zotero_standin.url, "push", *PAGES, "--dry-run")
    assert result.stdout.startswith("dry run: would create")
    assert "+ note:" in result.stdout and 'collection "refkit" (new)' in result.stdout
    assert not [r for r in zotero_standin.requests if r.method != "GET"]


def test_without_key_the_running_app_imports_the_ris(zotero_standin, run):
    target = zotero_standin.add_collection("BPD pages")
    result = run(zotero_standin.url, "push", *PAGES, "--collection", "BPD pages", key=False)
    assert result.exit_code == 0, result.output
    assert re.match(r"Zotero imported \d+ items into BPD pages", result.stdout)
    [imported] = [r for r in zotero_standin.requests if r.path == "/connector/import"]
    assert imported.headers["content-type"].startswith("text/plain")
    assert imported.query["session"] and rispy.loads(imported.body.decode("utf-8"))
    items = zotero_standin.top_items()
    assert items and all(d["collections"] == [target] for d in items)
    assert any(zotero_standin.children(d["key"]) for d in items)  # N1 became child notes
    assert not any("/items" in r.path and r.method == "POST" for r in zotero_standin.requests)


def test_without_key_or_app_the_ris_is_written_with_instructions(run, tmp_path):
    closed = closed_port_url()
    result = run(closed, "push", *PAGES, "--collection", "BPD pages", key=False)
    assert result.exit_code == 0, result.output
    assert "wrote" in result.stdout and "File → Import" in result.stdout
    entries = rispy.loads((tmp_path / "BPD pages.ris").read_text(encoding="utf-8"))
    assert entries and any(e.get("notes") for e in entries)


def test_import_file_hands_a_file_to_the_app(zotero_standin, tmp_path):
    ris = tmp_path / "refs.ris"
    ris.write_text("TY  - JOUR\nTI  - A made-up title\nAU  - Doe, Jane\nDO  - 10.5555/x.1\n"
                   "N1  - A summary\nER  - \n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["zotero", "import-file", str(ris),
                                      "--local-url", zotero_standin.url])
    assert result.exit_code == 0 and "imported 1 items" in result.stdout
    [item] = zotero_standin.top_items()
    assert item["DOI"] == "10.5555/x.1"
    assert [n["note"] for n in zotero_standin.children(item["key"])] == ["<p>A summary</p>"]


def test_zotero_help_explains_setup():
    result = CliRunner().invoke(cli, ["zotero", "--help"])
    assert "REFKIT_ZOTERO_API_KEY" in result.stdout and "push" in result.stdout
    push_help = CliRunner().invoke(cli, ["zotero", "push", "--help"]).stdout
    assert "--dry-run" in push_help and "--duplicates" in push_help and "--api-key" not in push_help



def test_offline_push_marks_items_unverified_and_says_so(zotero_standin, run):
    result = run(zotero_standin.url, "push", PAGES[0], "--offline")
    assert result.exit_code == 0, result.output
    assert "unverified (Crossref was not asked" in result.stdout
    assert all(d["extra"].startswith("refkit: unverified") for d in zotero_standin.top_items())


def test_push_of_a_bib_keeps_its_names_abstract_and_keywords(zotero_standin, run, tmp_path):
    """A .bib's full given names (the registry has initials), abstract and
    keywords reach the Zotero item as they reach every export file."""
    bib = tmp_path / "refs.bib"
    bib.write_text("@article{rao,\n  author = {Rao, Sathya and Broadbear, Jillian},\n"
                   "  title = {Borderline personality disorder and depressive disorder},\n"
                   "  journal = {Australasian Psychiatry}, year = {2019},\n"
                   "  doi = {10.1177/1039856219878643},\n  abstract = {We review the overlap.},\n"
                   "  keywords = {BPD, depression}\n}\n", encoding="utf-8")
    result = run(zotero_standin.url, "push", str(bib), "--collection", "Mine")
    assert result.exit_code == 0, result.output
    [item] = zotero_standin.top_items()
    assert [(c["firstName"], c["lastName"]) for c in item["creators"]] == [("Sathya", "Rao"), ("Jillian", "Broadbear")]
    assert item["abstractNote"] == "We review the overlap."
    assert [t["tag"] for t in item["tags"]] == ["BPD", "depression", "refkit:verified"]
