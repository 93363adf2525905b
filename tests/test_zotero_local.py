"""Reading libraries page by page, Zotero 7's read-only local API, and the
connector hand-off, against the Zotero stand-in (tests/zotero_standin.py,
real HTTP on 127.0.0.1, not Zotero)."""

from __future__ import annotations

import pytest

from refkit.zotero.config import ApiKey, ZoteroConfig
from refkit.zotero.http import ZoteroError
from refkit.zotero.localapi import Connector, open_local
from refkit.zotero.webapi import WebAPI
from tests.zotero_standin import API_KEY, closed_port_url, zotero_standin

__all__ = ["zotero_standin"]  # the fixture, imported for pytest
RIS = "TY  - JOUR\nTI  - A made-up title\nAU  - Doe, Jane\nN1  - A summary\nER  - \n"


def test_a_large_library_is_read_page_by_page(zotero_standin):
    for n in range(230):
        zotero_standin.add_item({"itemType": "journalArticle", "title": f"Paper {n}"})
    zotero_standin.add_item({"itemType": "note", "note": "<p>child</p>",
                             "parentItem": next(iter(zotero_standin.user.items))})
    api = WebAPI.connect(ZoteroConfig(api_key=ApiKey(API_KEY), api_url=zotero_standin.url))
    items = list(api.items())
    assert len(items) == 230 and len({o["key"] for o in items}) == 230
    pages = [r for r in zotero_standin.requests if r.path.endswith("/items/top")]
    assert [(r.query["start"], r.query["limit"]) for r in pages] == \
        [("0", "100"), ("100", "100"), ("200", "100")]


def test_local_api_reads_the_user_library_without_a_key(zotero_standin):
    zotero_standin.add_item({"itemType": "journalArticle", "title": "Local paper"})
    api = open_local(ZoteroConfig(local_url=zotero_standin.url))
    assert [o["data"]["title"] for o in api.items()] == ["Local paper"]
    assert str(api.library) == "zotero:users/0"
    assert all(r.path.startswith("/api/") and "zotero-api-key" not in r.headers
               for r in zotero_standin.requests)


def test_local_api_switched_off_says_how_to_switch_it_on(zotero_standin):
    zotero_standin.local_api_enabled = False
    with pytest.raises(ZoteroError, match="Settings → Advanced"):
        open_local(ZoteroConfig(local_url=zotero_standin.url))


def test_local_api_refuses_writes(zotero_standin):
    api = open_local(ZoteroConfig(local_url=zotero_standin.url))
    with pytest.raises(ZoteroError, match="400"):
        api.ensure_collection("new")
    assert zotero_standin.user.collections == {}


def test_connector_knows_when_zotero_is_not_running():
    assert not Connector(ZoteroConfig(local_url=closed_port_url())).running()


def test_connector_import_lands_in_the_selected_collection(zotero_standin):
    selected = zotero_standin.add_collection("Inbox")
    zotero_standin.selected_collection = selected
    connector = Connector(ZoteroConfig(local_url=zotero_standin.url))
    assert connector.running()
    outcome = connector.import_text(RIS, "No such collection")
    assert (outcome.items, outcome.target, outcome.moved) == (1, "Inbox", False)
    [item] = zotero_standin.top_items()
    assert item["collections"] == [selected]
    assert not any(r.path == "/connector/updateSession" for r in zotero_standin.requests)


def test_connector_import_of_something_zotero_cannot_read(zotero_standin):
    with pytest.raises(ZoteroError, match="no import translator"):
        Connector(ZoteroConfig(local_url=zotero_standin.url)).import_text("just words")


def test_local_api_when_zotero_is_not_running_says_what_to_do():
    with pytest.raises(ZoteroError, match="not running.*REFKIT_ZOTERO_API_KEY"):
        open_local(ZoteroConfig(local_url=closed_port_url()))
