"""A Zotero Web API v3 client for one library (a user's or a group's).

Reads page through results (start/limit, Total-Results). Creations go in
batches of at most 50 objects, each batch with its own Zotero-Write-Token so
that a retry after a lost response cannot create anything twice: when the
retry is refused with 412 (token already used), the batch's client-made keys
are looked up to learn what the first attempt created. Updates carry
If-Unmodified-Since-Version, so a concurrent edit is never overwritten.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from typing import Any, Iterator

from refkit.zotero.config import Library, ZoteroConfig
from refkit.zotero.http import PreconditionFailed, Reply, Transport, ZoteroError, api_object
from refkit.zotero.items import keyed

MAX_WRITE = 50  # objects per write request (Web API limit)


@dataclass
class WriteResult:
    """What a series of write requests did: created keys -> versions, and
    failures as key -> message; `requests` counts the write requests sent."""

    created: dict[str, int] = field(default_factory=dict)
    failed: dict[str, str] = field(default_factory=dict)
    requests: int = 0

    def merge(self, other: "WriteResult") -> None:
        self.created.update(other.created)
        self.failed.update(other.failed)
        self.requests += other.requests


class WebAPI:
    """Reads and writes one Zotero library through the Web API v3."""

    def __init__(self, transport: Transport, library: Library) -> None:
        self.transport = transport
        self.library = library
        self._templates: dict[str, dict[str, Any]] = {}

    @classmethod
    def connect(cls, config: ZoteroConfig, **transport_options: Any) -> "WebAPI":
        """A client for the configured library; asks Zotero whose key it is
        when no user or group id was given."""
        if config.api_key is None:
            raise ZoteroError("no Zotero API key: set REFKIT_ZOTERO_API_KEY or api_key in "
                              "zotero.ini (create one at https://www.zotero.org/settings/keys)")
        transport = Transport(config.api_url, api_key=config.api_key,
                              extra_headers={"Zotero-API-Version": "3"}, **transport_options)
        user_id = ""
        if not (config.user_id or config.group_id):
            user_id = str(transport.get_json("/keys/current").get("userID") or "")
        return cls(transport, config.library(user_id))

    # reading ---------------------------------------------------------------
    def items(self, collection: str | None = None) -> Iterator[dict[str, Any]]:
        """Every top-level item (attachments left out) of the library, or of
        one collection, as API objects (key, version, data)."""
        scope = f"/collections/{collection}" if collection else ""
        yield from self.transport.paginate(f"{self.library.prefix}{scope}/items/top",
                                           {"format": "json", "itemType": "-attachment"})

    def existing_keys(self, kind: str, keys: list[str]) -> set[str]:
        """Which of `keys` exist among the library's `kind` ("items"/"collections")."""
        param = "itemKey" if kind == "items" else "collectionKey"
        reply = self.transport.request("GET", f"{self.library.prefix}/{kind}",
                                       params={param: ",".join(keys), "format": "keys",
                                               "limit": MAX_WRITE})
        self.transport.raise_for(reply, f"GET {kind}")
        return set(reply.text.split())

    def item(self, key: str) -> dict[str, Any]:
        """One item as an API object (key, version, data)."""
        path = f"{self.library.prefix}/items/{key}"
        return api_object(self.transport.get_json(path, {"format": "json"}), f"GET {path}")

    def template(self, item_type: str) -> dict[str, Any]:
        """The server's empty template for `item_type` (GET /items/new), cached:
        it lists exactly the fields the server's schema allows."""
        if item_type not in self._templates:
            self._templates[item_type] = self.transport.get_json("/items/new",
                                                                 {"itemType": item_type})
        return self._templates[item_type]

    # collections -----------------------------------------------------------
    def find_collection(self, name: str) -> str | None:
        """The key of the collection called `name` (a top-level one preferred)."""
        matches = [c for c in self.transport.paginate(self.library.prefix + "/collections")
                   if c.get("data", {}).get("name") == name]
        matches.sort(key=lambda c: bool(c["data"].get("parentCollection")))
        return matches[0]["key"] if matches else None

    def ensure_collection(self, name: str) -> tuple[str, bool]:
        """The key of collection `name`, created at the top level if missing;
        and whether it was created."""
        key = self.find_collection(name)
        if key:
            return key, False
        collection = keyed({"name": name, "parentCollection": False})
        key = collection["key"]
        result = self.write_batch("collections", [collection])
        if key not in result.created:
            raise ZoteroError(f"could not create collection {name!r}: "
                              f"{result.failed.get(key, 'no reason given')}")
        return key, True

    # writing ---------------------------------------------------------------
    def create(self, kind: str, objects: list[dict[str, Any]]) -> WriteResult:
        """Create `objects` (each with a client-made "key") in batches of ≤50."""
        total = WriteResult()
        for start in range(0, len(objects), MAX_WRITE):
            total.merge(self.write_batch(kind, objects[start:start + MAX_WRITE]))
        return total

    def write_batch(self, kind: str, batch: list[dict[str, Any]]) -> WriteResult:
        """One POST of ≤50 new objects with a fresh Zotero-Write-Token; safe to retry."""
        if not 0 < len(batch) <= MAX_WRITE:
            raise ValueError(f"a write batch holds 1 to {MAX_WRITE} objects, not {len(batch)}")
        token = secrets.token_hex(16)
        reply = self.transport.request("POST", f"{self.library.prefix}/{kind}", json_body=batch,
                                       headers={"Zotero-Write-Token": token})
        if reply.status == 412 and reply.replayed:
            return self._recover_replayed(kind, batch)
        self.transport.raise_for(reply, f"POST {kind}")
        return _parse_write(reply, batch)

    def patch(self, key: str, version: int, changes: dict[str, Any]) -> int:
        """Change fields of item `key` only if it is still at `version`;
        returns the new version. Raises PreconditionFailed (412) if it changed."""
        reply = self.transport.request("PATCH", f"{self.library.prefix}/items/{key}",
                                       json_body=changes,
                                       headers={"If-Unmodified-Since-Version": str(version)})
        if reply.status == 412 and reply.replayed:
            current = self.item(key)  # did the lost first attempt already apply it?
            if all(current["data"].get(k) == v for k, v in changes.items()):
                return _version(current.get("version"), version)
        self.transport.raise_for(reply, f"PATCH item {key}", ok=(204, 200))
        return _version(reply.headers.get("Last-Modified-Version"), version)

    def _recover_replayed(self, kind: str, batch: list[dict[str, Any]]) -> WriteResult:
        """The first attempt reached the server (its token is spent): count what exists."""
        keys = [obj["key"] for obj in batch]
        present = self.existing_keys(kind, keys)
        return WriteResult(created={k: 0 for k in keys if k in present},
                           failed={k: "not created (response lost; run again)"
                                   for k in keys if k not in present},
                           requests=1)


def _parse_write(reply: Reply, batch: list[dict[str, Any]]) -> WriteResult:
    """A multi-object write response: successful / unchanged / failed by index
    (a reply of another shape is a ZoteroError, never a crash)."""
    body = reply.json(dict)
    result = WriteResult(requests=1)
    for obj, sent in _by_index(body, "successful", batch):
        result.created[str(obj.get("key") or sent["key"])] = _version(obj.get("version"), 0)
    for key, sent in _by_index(body, "unchanged", batch):
        result.created.setdefault(str(key or sent["key"]), 0)
    for failure, sent in _by_index(body, "failed", batch):
        key = str(failure.get("key") or sent.get("key", ""))
        result.failed[key] = f"{failure.get('code', '?')} {failure.get('message', '')}".strip()
    return result


def _by_index(body: dict[str, Any], part: str, batch: list[dict[str, Any]]) -> list[tuple[Any, dict[str, Any]]]:
    """(answer, object sent) for each index of a write reply's `part`; a
    ZoteroError when the part, an index or an answer is not what Zotero sends."""
    entries = body.get(part) or {}
    wanted = str if part == "unchanged" else dict
    if not isinstance(entries, dict) or not all(
            str(index).isdigit() and int(index) < len(batch) and isinstance(answer, wanted)
            for index, answer in entries.items()):
        raise ZoteroError(f"Zotero's reply to a write is malformed ('{part}'); "
                          "check the library in Zotero and run again")
    return [(answer, batch[int(index)]) for index, answer in entries.items()]


def _version(value: Any, default: int) -> int:
    """A library version from a reply (a number or digits), else `default`."""
    text = str(value if value is not None else "")
    return int(text) if text.isdigit() else default


__all__ = ["MAX_WRITE", "PreconditionFailed", "WebAPI", "WriteResult", "ZoteroError"]
