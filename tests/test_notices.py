"""Update notices (corrections, errata, retraction notices, expressions of
concern) cited as themselves verify; a notice's DOI printed for the article
it is about, or the article's for its notice, is RK104 with the other's DOI
as fix (refkit.resolving.notices). Through `refkit check` against the local
Crossref stand-in over synthetic records, and over the real notices of
../shared/data."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from refkit.cli import cli

JOURNAL = {"container-title": ["Journal of Test Studies"], "short-container-title": ["J Test Stud"]}


def _record(doi: str, title: str, year: int, volume: str, page: str, authors=("Okonkwo",), **more) -> dict:
    return {"_fixture": "synthetic", "DOI": doi, "type": "journal-article", "title": [title],
            "author": [{"given": "A", "family": name, "sequence": "additional"} for name in authors],
            **JOURNAL, "issued": {"date-parts": [[year]]}, "volume": volume, "issue": "1", "page": page, **more}


def _updates(doi: str, kind: str) -> list[dict]:
    return [{"DOI": doi, "type": kind, "label": kind.replace("_", " ").title(),
             "updated": {"date-parts": [[2020, 5, 1]]}}]


# (notice title with {} for the article's title, kind of update, notice authors)
SHAPES = {
    "corrigendum": ("Corrigendum to “{}” [J Test Stud 12 (2019) 1–10]", "correction", ("Okonkwo",)),
    "correction": ("Correction: {}", "correction", ()),
    "erratum": ("Erratum to: {}", "erratum", ("Okonkwo",)),
    "retraction": ("Retraction notice to “{}”", "retraction", ()),
    "retracted": ("Retracted: {}", "retraction", ()),
    "concern": ("Expression of concern: {}", "expression_of_concern", ()),
    "bare": ("Erratum", "erratum", ()),
}
SUBJECTS = {
    "corrigendum": "Prime-boost vaccination with chemokine-fused envelope DNA activates memory responses",
    "correction": "Soil moisture memory shapes the timing of alpine flowering",
    "erratum": "A ledger of river ferries in the eighteenth-century Rhine valley",
    "retraction": "Gut microbial transfer restores nocturnal activity in aged mice",
    "retracted": "Machine reading of handwritten parish registers with sparse supervision",
    "concern": "Transcranial stimulation improves verbal recall after mild stroke",
    "bare": "Seasonal variation of tick burden on red deer in the Scottish Highlands",
}


def _world() -> tuple[dict[str, dict], dict[str, dict]]:
    """An article and its notice for every shape, linked both ways."""
    articles, notices = {}, {}
    for n, (shape, (title, kind, authors)) in enumerate(SHAPES.items(), start=1):
        article_doi, notice_doi = f"10.5555/rk.art.{shape}", f"10.5555/rk.notice.{shape}"
        articles[shape] = _record(article_doi, SUBJECTS[shape], 2019, "12", f"{n}01-{n}10",
                                  **{"updated-by": _updates(notice_doi, kind)})
        notices[shape] = _record(notice_doi, title.format(SUBJECTS[shape]), 2020, "13", f"{n}44",
                                 authors, **{"update-to": _updates(article_doi, kind)})
    return articles, notices


ARTICLES, NOTICES = _world()
# A retracted article re-titled by its publisher: the article itself, not a notice.
MARKED = _record("10.5555/rk.art.marked", "RETRACTED: Dietary nitrate and sprint performance in rowers",
                 2018, "11", "77-85", **{"updated-by": _updates("10.5555/rk.notice.marked", "retraction")})


def _reference(record: dict, title: str | None = None, doi: str | None = None) -> str:
    """The record printed in AMA style: authors, title, journal, year;volume(issue):pages, DOI."""
    names = ", ".join(a.get("name") or f"{a.get('family', '')} {a.get('given', '')[:1]}".strip()
                      for a in record.get("author", [])[:6])
    journal = (record.get("short-container-title") or record.get("container-title") or [""])[0]
    year = record["issued"]["date-parts"][0][0]
    locator = "".join([f";{record['volume']}" if record.get("volume") else "",
                       f"({record['issue']})" if record.get("issue") else "",
                       f":{record['page']}" if record.get("page") else ""])
    parts = [f"{names}." if names else "", f"{title or record['title'][0]}.", f"{journal}. {year}{locator}.",
             f"doi:{doi or record['DOI']}"]
    return " ".join(p for p in parts if p)


def _check(stub, tmp_path, references: list[str]) -> list[dict]:
    text = "References\n\n" + "\n".join(f"{n}. {ref}" for n, ref in enumerate(references, start=1)) + "\n"
    path = tmp_path / "paper.txt"
    path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", str(path), "--crossref-url", stub.url, "--format", "json"])
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)["citations"]


def _codes(citation: dict, *severities: str) -> set[str]:
    return {f["code"] for f in citation["findings"] if not severities or f["severity"] in severities}


def test_every_shape_of_notice_cited_as_itself_verifies_and_names_what_it_updates(make_stub, tmp_path):
    stub = make_stub([*ARTICLES.values(), *NOTICES.values()])
    cited = _check(stub, tmp_path, [_reference(notice) for notice in NOTICES.values()])
    assert len(cited) == len(NOTICES)
    for shape, citation in zip(NOTICES, cited):
        assert citation["status"] == "doi-verified", (shape, citation["findings"])
        assert not _codes(citation, "error", "warning"), (shape, citation["findings"])
        [note] = [f for f in citation["findings"] if f["code"] == "RK301"]
        assert note["severity"] == "info" and note["registered"] == ARTICLES[shape]["DOI"], shape


def test_a_notice_printed_in_ieee_style_with_nested_quotes_is_cited_as_itself(make_stub, tmp_path):
    notice = NOTICES["corrigendum"]
    stub = make_stub([*ARTICLES.values(), notice])
    [citation] = _check(stub, tmp_path, [
        f"A. Okonkwo, “{notice['title'][0]}”, J Test Stud, vol. 13, no. 1, p. 144, 2020, doi: {notice['DOI']}"])
    assert citation["status"] == "doi-verified" and "RK104" not in _codes(citation)


def test_a_notices_doi_printed_for_its_article_is_rk104_with_the_articles_doi(make_stub, tmp_path):
    stub = make_stub([*ARTICLES.values(), *NOTICES.values()])
    cited = _check(stub, tmp_path, [_reference(ARTICLES[shape], doi=NOTICES[shape]["DOI"]) for shape in SHAPES])
    for shape, citation in zip(SHAPES, cited):
        [other] = [f for f in citation["findings"] if f["code"] == "RK104"]
        assert other["fix"] == ARTICLES[shape]["DOI"], shape
        assert citation["status"] == "doi-corrected"


def test_an_articles_doi_printed_for_its_notice_is_rk104_with_the_notices_doi(make_stub, tmp_path):
    stub = make_stub([*ARTICLES.values(), *NOTICES.values()])
    shapes = [shape for shape in SHAPES if shape != "bare"]  # "Erratum" alone names no article
    cited = _check(stub, tmp_path, [_reference(NOTICES[shape], doi=ARTICLES[shape]["DOI"]) for shape in shapes])
    for shape, citation in zip(shapes, cited):
        [other] = [f for f in citation["findings"] if f["code"] == "RK104"]
        assert other["fix"] == NOTICES[shape]["DOI"], shape


def test_an_article_its_publisher_marked_retracted_is_the_article_itself(make_stub, tmp_path):
    """Elsevier re-titles a retracted article "RETRACTED: …" under its own DOI:
    cited by its original title it verifies, and the retraction is an error."""
    stub = make_stub([MARKED])
    [citation] = _check(stub, tmp_path, [_reference(MARKED, title="Dietary nitrate and sprint performance in rowers")])
    assert citation["status"] == "doi-verified"
    [retraction] = [f for f in citation["findings"] if f["code"] == "RK301"]
    assert retraction["severity"] == "error" and "RK104" not in _codes(citation)


@pytest.mark.shared_data
def test_the_real_notices_cited_as_themselves_verify_and_printed_for_their_articles_are_rk104(crossref_stub, tmp_path):
    """The records of ../shared/data that update another work (`update-to`):
    PLOS and Springer corrections, a bare "Corrigendum"."""
    from refkit.resolving.notices import subject

    from .crossref_stub import SHARED_WORKS, read_records

    real = [r for r in read_records(SHARED_WORKS)
            if any(u["DOI"].lower() != r["DOI"].lower() for u in r.get("update-to", []))]
    assert len(real) >= 15
    as_themselves = _check(crossref_stub, tmp_path, [_reference(r) for r in real])
    for record, citation in zip(real, as_themselves):
        assert citation["status"] == "doi-verified", (record["DOI"], citation["findings"])
        assert not _codes(citation, "error", "warning"), (record["DOI"], citation["findings"])
        targets = {u["DOI"].lower() for u in record["update-to"]}
        assert {f["registered"].lower() for f in citation["findings"] if f["code"] == "RK301"} == targets
    about = [r for r in real if subject(r["title"][0])]  # a bare "Corrigendum" names no article
    as_articles = _check(crossref_stub, tmp_path, [_reference(r, title=subject(r["title"][0])) for r in about])
    for record, citation in zip(about, as_articles):
        assert "RK104" in _codes(citation), (record["DOI"], citation["findings"])


@pytest.mark.parametrize("title, kind, about", [
    ("Correction: Soil moisture memory", "notice", "Soil moisture memory"),
    ("Correction to: Optical coherence tomography", "notice", "Optical coherence tomography"),
    ("Erratum to: A ledger of river ferries", "notice", "A ledger of river ferries"),
    ("Corrigendum to “Prime-Boost Vaccination” [Vaccine 12 (2019) 1–10]", "notice", "Prime-Boost Vaccination"),
    ("Retraction notice to “Gut microbial transfer” [Cell Rep 3 (2013) 5–9]", "notice", "Gut microbial transfer"),
    ("Retraction Note: Gut microbial transfer", "notice", "Gut microbial transfer"),
    ("Notice of Retraction Gut microbial transfer", "notice", "Gut microbial transfer"),
    ("Expression of concern: Transcranial stimulation", "notice", "Transcranial stimulation"),
    ("Editorial Expression of Concern: Transcranial stimulation", "notice", "Transcranial stimulation"),
    ("Author Correction: Soil moisture memory", "notice", "Soil moisture memory"),
    ("Erratum", "notice", ""),
    ("Corrigendum", "notice", ""),
    ("RETRACTED: Dietary nitrate", "marked", "Dietary nitrate"),
    ("Retracted: Dietary nitrate", "marked", "Dietary nitrate"),
    ("Correction of hallux valgus deformity", None, None),
    ("Corrections to scaling in the Ising model", None, None),
    ("Correction-based learning in rats", None, None),
    ("Retraction of gingival tissue before impressions", None, None),
    ("Withdrawal of antidepressants: a review", None, None),
])
def test_notice_titles_are_told_by_their_opening_words_in_general(title, kind, about):
    from refkit.resolving.notices import lead_kind, subject

    assert lead_kind(title) == kind
    assert subject(title) == (title if about is None else about)
