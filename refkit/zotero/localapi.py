"""The Zotero desktop app on this computer (127.0.0.1:23119).

- The local API of Zotero 7+ (`/api/`): the Web API's read endpoints over the
  local database, read-only, no key; user id 0 is the logged-in user. It must
  be switched on in Zotero: Settings → Advanced → "Allow other applications
  on this computer to communicate with Zotero".
- The connector server (`/connector/…`), which the browser connectors use:
  `POST /connector/import` takes a raw RIS/BibTeX body and imports it with
  Zotero's own translators into the collection selected in Zotero;
  `POST /connector/updateSession` then moves that import session's items to
  another collection (by its tree id "C<n>" from `/connector/getSelectedCollection`).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

from refkit.zotero.config import Library, ZoteroConfig
from refkit.zotero.http import Transport, ZoteroError
from refkit.zotero.webapi import WebAPI

# sent by refkit (not a browser), so Zotero's guard against web pages does not apply;
# Zotero-Allowed-Request makes that explicit
_CONNECTOR_HEADERS = {"Zotero-Allowed-Request": "1"}
_ENABLE_HINT = ("switch it on in Zotero: Settings → Advanced → "
                "\"Allow other applications on this computer to communicate with Zotero\"")


def open_local(config: ZoteroConfig, **transport_options: Any) -> WebAPI:
    """A read-only client for the local API (the user library, or the configured group)."""
    options = {"max_attempts": 1, **transport_options}  # local: no rate limits, no outages
    transport = Transport(config.local_url + "/api", extra_headers={"Zotero-API-Version": "3"},
                          **options)
    library = Library("groups", config.group_id) if config.group_id else Library("users", "0")
    try:
        reply = transport.request("GET", "/")
    except ZoteroError:
        raise ZoteroError(f"Zotero is not running at {config.local_url}: start it, or set "
                          "REFKIT_ZOTERO_API_KEY to use the Web API") from None
    if reply.status == 403:
        raise ZoteroError(f"Zotero's local API is not enabled: {_ENABLE_HINT}", 403)
    transport.raise_for(reply, "GET /api/")
    return WebAPI(transport, library)


@dataclass
class ImportOutcome:
    """What the desktop app did with a handed-over file."""

    items: int
    target: str  # the collection (or library) the items landed in
    moved: bool  # whether they were moved into the requested collection


class Connector:
    """The connector endpoints of a running Zotero desktop app."""

    def __init__(self, config: ZoteroConfig, **transport_options: Any) -> None:
        options = {"max_attempts": 1, "timeout": 10.0, **transport_options}
        self.transport = Transport(config.local_url, extra_headers=_CONNECTOR_HEADERS, **options)

    def running(self) -> bool:
        """Whether Zotero answers /connector/ping."""
        try:
            return self.transport.request("GET", "/connector/ping").status == 200
        except ZoteroError:
            return False

    def import_text(self, text: str, collection: str | None = None) -> ImportOutcome:
        """Import `text` (RIS or BibTeX) into the collection selected in Zotero,
        then move it into `collection` when Zotero has a collection by that name."""
        selected = self._selected()
        session = secrets.token_hex(8)
        reply = self.transport.request("POST", "/connector/import", params={"session": session},
                                       data=text.encode("utf-8"),
                                       headers={"Content-Type": "text/plain; charset=utf-8"})
        if reply.status == 400:
            raise ZoteroError("Zotero found no import translator for the file refkit sent", 400)
        self.transport.raise_for(reply, "POST /connector/import", ok=(201,))
        count = len(reply.json(list))
        target = next((t for t in selected.get("targets", [])
                       if collection and t.get("name") == collection and t["id"].startswith("C")),
                      None)
        if target is None:
            return ImportOutcome(count, str(selected.get("name") or selected.get("libraryName")),
                                 False)
        moved = self.transport.request("POST", "/connector/updateSession",
                                       json_body={"sessionID": session, "target": target["id"]})
        self.transport.raise_for(moved, "POST /connector/updateSession")
        return ImportOutcome(count, collection or "", True)

    def _selected(self) -> dict[str, Any]:
        reply = self.transport.request("POST", "/connector/getSelectedCollection", json_body={})
        self.transport.raise_for(reply, "POST /connector/getSelectedCollection")
        selected = reply.json(dict)
        if selected.get("libraryEditable") is False:
            raise ZoteroError(f"the library selected in Zotero ({selected.get('libraryName')}) "
                              "is read-only: select My Library or a writable group and run again")
        return selected
