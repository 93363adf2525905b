"""`refkit zotero push` machinery against the Zotero stand-in (real HTTP on
127.0.0.1; tests/zotero_standin.py, not Zotero): items, child notes,
collections, duplicates, write tokens, 412, 429/Backoff, batch sizes."""

from __future__ import annotations

import json

import pytest

from refkit.zotero.config import ApiKey, ZoteroConfig
from refkit.zotero.http import PreconditionFailed, ZoteroError
from refkit.zotero.push import push
from refkit.zotero.webapi import MAX_WRITE, WebAPI
from tests.zotero_standin import (API_KEY, GROUP_ID, USER_ID, FakeTime, resolution_of,
                                  seed_resolutions, synthetic_resolutions, zotero_standin)

__all__ = ["zotero_standin"]  # the fixture, imported for pytest


def connect(standin, time: FakeTime | None = None, **config) -> WebAPI:
    time = time or FakeTime()
    cfg = ZoteroConfig(api_key=ApiKey(API_KEY), api_url=standin.url, **config)
    return WebAPI.connect(cfg, sleep=time.sleep, clock=time.clock)


def test_push_creates_items_with_child_notes_in_a_new_collection(zotero_standin):
    api = connect(zotero_standin)
    outcome = push(api, synthetic_resolutions(), "Ketamine review")

    [(coll_key, coll)] = zotero_standin.user.collections.items()
    assert coll["data"]["name"] == "Ketamine review" and outcome.collection_created
    items = {d["title"]: d for d in zotero_standin.top_items()}
    assert len(items) == 5 and all(d["collections"] == [coll_key] for d in items.values())
    article = items["A synthetic trial of ketamine & depression"]
    assert article["itemType"] == "journalArticle"
    assert article["creators"][0] == {"creatorType": "author", "firstName": "Anna", "lastName": "Müller"}
    assert (article["publicationTitle"], article["journalAbbreviation"]) == \
        ("Journal of Synthetic Psychiatry", "J Synth Psychiatry")
    assert (article["volume"], article["issue"], article["pages"], article["date"]) == \
        ("12", "3", "101-110", "2021-03-05")
    assert article["DOI"] == "10.5555/SYNTH.2021.001" and article["ISSN"] == "1234-5678"
    assert article["extra"].startswith("refkit: verified against Crossref 2026-05-04")
    notes = [n["note"] for n in zotero_standin.children(article["key"])]
    assert sorted(notes) == sorted([
        "<p>Ketamine reduced scores by 40% in patients with BPD &amp; MDD (n &lt; 30).</p>",
        "<p>Second paragraph one.</p><p>Second paragraph two,<br/>with a line break.</p>"])
    # the stand-in's book has no DOI field (older schema): the DOI goes to Extra, as Zotero does
    book = items["A Synthetic Handbook"]
    assert "DOI" not in book and "DOI: 10.5555/synth.bk.01" in book["extra"]
    assert "printed DOI 10.5555/synth.bk.O1 corrected" in book["extra"]
    assert items["Synthetic guidance on depression"]["extra"].startswith("refkit: unverified")
    assert items["Synthetic proceedings paper"]["conferenceName"] == "SynthConf 2022"
    assert article["tags"] == [{"tag": "refkit:verified"}] and book["tags"] == [{"tag": "refkit:corrected"}]
    [book_note] = [n["note"] for n in zotero_standin.children(book["key"])]
    assert book_note.startswith("<p>[refkit] Metadata from Crossref") and "was wrong; corrected to" in book_note
    # summaries (4) and a note only where refkit changed something: the corrected book, the found chapter
    assert len(outcome.created_items) == 5 and len(outcome.created_notes) == 6
    assert outcome.write_requests == 1 and len(zotero_standin.writes("items")) == 1


def test_every_write_request_carries_key_version_and_write_token(zotero_standin):
    push(connect(zotero_standin), synthetic_resolutions(), "c")
    posts = [r for r in zotero_standin.requests if r.method == "POST"]
    assert posts and all(r.headers["zotero-api-key"] == API_KEY for r in posts)
    assert all(r.headers["zotero-api-version"] == "3" for r in posts)
    tokens = [r.headers["zotero-write-token"] for r in posts]
    assert len(set(tokens)) == len(tokens) and all(len(t) == 32 for t in tokens)


def test_existing_collection_is_reused(zotero_standin):
    key = zotero_standin.add_collection("Ketamine review")
    outcome = push(connect(zotero_standin), synthetic_resolutions()[:1], "Ketamine review")
    assert not outcome.collection_created and len(zotero_standin.user.collections) == 1
    assert zotero_standin.top_items()[0]["collections"] == [key]


def test_works_already_in_the_library_are_skipped_unless_asked(zotero_standin):
    zotero_standin.add_item({"itemType": "journalArticle", "title": "Old copy",
                             "DOI": "10.5555/synth.2021.001"})  # other case: same DOI
    zotero_standin.add_item({"itemType": "book", "title": "Old book",
                             "extra": "DOI: 10.5555/SYNTH.BK.01"})  # DOI hidden in Extra
    api = connect(zotero_standin)
    outcome = push(api, synthetic_resolutions(), "c")
    assert len(outcome.skipped) == 2 and len(outcome.created_items) == 3
    again = push(api, synthetic_resolutions(), "c")
    assert again.created_items == [] and len(again.skipped) == 5  # DOI-less ones by title+year
    forced = push(api, synthetic_resolutions()[:1], "c", duplicates=True)
    assert len(forced.created_items) == 1


def test_dry_run_writes_nothing(zotero_standin):
    outcome = push(connect(zotero_standin), synthetic_resolutions(), "New one", dry_run=True)
    assert len(outcome.planned) == 5 and outcome.collection_created  # would be created
    assert zotero_standin.writes("items") == zotero_standin.writes("collections") == []
    assert zotero_standin.top_items() == []


def test_group_library(zotero_standin):
    api = connect(zotero_standin, group_id=GROUP_ID)
    push(api, synthetic_resolutions()[:2], "c")
    assert len(zotero_standin.top_items(f"/groups/{GROUP_ID}")) == 2
    assert zotero_standin.top_items() == []
    assert not any(r.path == "/keys/current" for r in zotero_standin.requests)


def test_a_retried_write_with_the_same_token_creates_nothing_twice(zotero_standin):
    """The first POST is processed but its response is lost; the retry with
    the same token is refused (412) and refkit counts what the first made."""
    api = connect(zotero_standin)
    api.ensure_collection("c")
    zotero_standin.fail_next("POST", "/items", drop=True)
    outcome = push(api, synthetic_resolutions(), "c")
    posts = [r for r in zotero_standin.writes("items")]
    assert len(posts) == 2
    assert posts[0].headers["zotero-write-token"] == posts[1].headers["zotero-write-token"]
    assert posts[0].body == posts[1].body
    assert len(zotero_standin.top_items()) == 5 and len(zotero_standin.user.items) == 11
    assert len(outcome.created_items) == 5 and len(outcome.created_notes) == 6
    assert outcome.failed == []


def test_429_with_retry_after_is_waited_out_and_retried(zotero_standin):
    time = FakeTime()
    api = connect(zotero_standin, time)
    zotero_standin.fail_next("POST", "/items", status=429, headers={"Retry-After": "7"})
    outcome = push(api, synthetic_resolutions(), "c")
    assert 7.0 in time.sleeps and len(outcome.created_items) == 5
    assert len(zotero_standin.top_items()) == 5
    assert api.transport.stats["http 429"] == 1


def test_503_then_success(zotero_standin):
    time = FakeTime()
    api = connect(zotero_standin, time)
    zotero_standin.fail_next("GET", "/items/top", status=503, headers={"Retry-After": "3"})
    outcome = push(api, synthetic_resolutions(), "c")
    assert time.sleeps[0] == 3.0 and len(outcome.created_items) == 5


def test_backoff_header_delays_the_next_request(zotero_standin):
    time = FakeTime()
    api = connect(zotero_standin, time)
    zotero_standin.backoff = "5"
    api.find_collection("c")
    assert time.sleeps == []  # nothing waited for yet
    api.find_collection("c")
    assert time.sleeps == [5.0]


def test_endless_429_gives_up_with_a_clear_error(zotero_standin):
    api = connect(zotero_standin)
    zotero_standin.fail_next("GET", "/collections", status=429, headers={"Retry-After": "1"},
                             times=10)
    with pytest.raises(ZoteroError, match="kept answering 429"):
        api.find_collection("c")
    assert len([r for r in zotero_standin.requests if r.path.endswith("/collections")]) == 5


def test_stale_library_version_gives_412(zotero_standin):
    api = connect(zotero_standin)
    zotero_standin.add_item({"itemType": "book", "title": "x"})
    reply = api.transport.request("POST", f"/users/{USER_ID}/items", json_body=[],
                                  headers={"If-Unmodified-Since-Version": "0"})
    assert reply.status == 412


def test_148_references_take_three_item_write_requests(zotero_standin):
    """143 synthetic seed records mirroring the PDF's reference list plus the
    five references that have no DOI: three writes of ≤50 objects."""
    seeds = [r for r in seed_resolutions()][:143]
    doc_only = [resolution_of({"type": "book", "title": f"Guideline {n}",
                               "issued": {"date-parts": [[2010 + n]]}}, "document-only")
                for n in range(5)]
    api = connect(zotero_standin)
    outcome = push(api, seeds + doc_only, "ketamine")
    writes = zotero_standin.writes("items")
    assert len(outcome.created_items) == 148 - outcome_duplicates(seeds)
    assert len(writes) == outcome.write_requests == 3
    assert all(len(json.loads(w.body)) <= MAX_WRITE for w in writes)


def outcome_duplicates(resolutions) -> int:
    dois = [r.work.doi.lower() for r in resolutions if r.work.doi]
    return len(dois) - len(set(dois))


def test_notes_follow_their_parent_across_batches(zotero_standin):
    many = [resolution_of({"type": "article-journal", "title": f"Paper {n}",
                           "DOI": f"10.5555/many.{n}"}, notes=[f"summary {n}a", f"summary {n}b"])
            for n in range(30)]
    outcome = push(connect(zotero_standin), many, "c")
    bodies = [json.loads(w.body) for w in zotero_standin.writes("items")]
    assert [len(b) for b in bodies] == [50, 40]
    assert len(outcome.created_items) == 30 and len(outcome.created_notes) == 60
    for item in zotero_standin.top_items():
        assert sorted(n["note"] for n in zotero_standin.children(item["key"])) == \
            [f"<p>summary {item['title'][6:]}a</p>", f"<p>summary {item['title'][6:]}b</p>"]


def test_wrong_key_is_a_clear_error(zotero_standin):
    cfg = ZoteroConfig(api_key=ApiKey("WrongKey0000000000000000"), api_url=zotero_standin.url)
    with pytest.raises(ZoteroError, match="403.*settings/keys"):
        WebAPI.connect(cfg)


def test_a_patch_whose_answer_was_lost_is_not_taken_for_a_conflict(zotero_standin):
    key = zotero_standin.add_item({"itemType": "journalArticle", "title": "t", "DOI": "10.5555/old"})
    version = zotero_standin.user.items[key]["version"]
    zotero_standin.fail_next("PATCH", f"/items/{key}", drop=True)
    api = connect(zotero_standin)
    new_version = api.patch(key, version, {"DOI": "10.5555/new"})
    patches = [r for r in zotero_standin.requests if r.method == "PATCH"]
    assert len(patches) == 2 and new_version == zotero_standin.user.items[key]["version"]
    assert zotero_standin.user.items[key]["data"]["DOI"] == "10.5555/new"


def test_a_patch_of_an_item_edited_meanwhile_is_refused(zotero_standin):
    key = zotero_standin.add_item({"itemType": "journalArticle", "title": "t", "DOI": "10.5555/old"})
    version = zotero_standin.user.items[key]["version"]
    zotero_standin.edit_item(key, {"title": "edited elsewhere"})
    with pytest.raises(PreconditionFailed):
        connect(zotero_standin).patch(key, version, {"DOI": "10.5555/new"})
    assert zotero_standin.user.items[key]["data"]["DOI"] == "10.5555/old"


def test_orphan_summary_becomes_a_standalone_note_in_the_collection(zotero_standin):
    from refkit.model import Location, Note

    orphan = Note("A summary no reference took.", Location("page.txt", 36, label="4"))
    outcome = push(connect(zotero_standin), synthetic_resolutions()[:1], "c", orphans=[orphan])
    [coll_key] = zotero_standin.user.collections
    standalone = [d["data"] for d in zotero_standin.user.items.values()
                  if d["data"].get("itemType") == "note" and not d["data"].get("parentItem")]
    assert len(standalone) == 1 and standalone[0]["collections"] == [coll_key]
    assert standalone[0]["note"].startswith("<p>A summary no reference took.</p><p>[refkit] Unresolved (RK401)")
    assert standalone[0]["tags"] == [{"tag": "refkit:unresolved"}]
    assert standalone[0]["key"] in outcome.created_notes


def test_provenance_none_pushes_no_tags_no_refkit_notes_no_refkit_extra(zotero_standin):
    push(connect(zotero_standin), synthetic_resolutions(), "c", provenance_mode="none")
    items = zotero_standin.top_items()
    assert all(d["tags"] == [] and "refkit" not in d["extra"] for d in items)
    notes = [n["note"] for d in items for n in zotero_standin.children(d["key"])]
    assert len(notes) == 4 and not any("[refkit]" in n for n in notes)
