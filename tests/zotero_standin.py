"""A STAND-IN for Zotero's servers, for tests: real HTTP on 127.0.0.1.

This is NOT Zotero and holds no Zotero data. It imitates, from Zotero's
documentation and the desktop app's published source, what refkit relies on:

Web API v3 (api.zotero.org)
- auth by `Zotero-API-Key` (or `Authorization: Bearer`); 403 otherwise;
  `GET /keys/current` names the key's user.
- reads: `start`/`limit` (default 25, max 100), `Total-Results`, `Link`
  rel="next", `Last-Modified-Version`, `itemKey`/`collectionKey`,
  `itemType=-attachment`, `format=keys`, `/items/top`.
- `GET /items/new?itemType=…`: an empty template listing the type's fields.
- `POST …/items|collections`: a JSON array of at most 50 objects (413 above),
  `Zotero-Write-Token` (a used token -> 412), `If-Unmodified-Since-Version`
  (stale -> 412); answer 200 with successful/success/unchanged/failed by
  index; invalid fields, unknown parents, child notes in collections and
  unknown collections fail per object; client-made keys accepted.
- `PATCH …/items/<key>`: needs `If-Unmodified-Since-Version` (or `version`)
  -> 428 without, 412 when stale, 204 + `Last-Modified-Version` when applied.
- `Backoff` and 429/503 + `Retry-After` on demand (see `fail_next`, `backoff`).

Local API of Zotero 7 (`/api/…`): the same reads, no key, user id 0,
no default page limit, read-only (writes -> 400 "Endpoint does not support
method"), 403 "Local API is not enabled" when switched off.

Connector server: `GET /connector/ping`, `POST /connector/getSelectedCollection`,
`POST /connector/import?session=…` (RIS body, items into the selected
collection, 201 with the items), `POST /connector/updateSession`.

Stand-in assumptions where the documentation is silent are marked
"assumption". The item templates are a subset of Zotero's schema with the
older (v29) placement of DOI: book, bookSection, report and webpage have no
DOI field, so refkit's Extra fallback is exercised.
"""

from __future__ import annotations

import json
import re
import socket
import threading
from collections import deque
from dataclasses import dataclass, field
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Callable, Iterator
from urllib.parse import parse_qs, urlsplit

import pytest
import rispy

from refkit.csl import from_crossref
from refkit.model import Citation, Location, Note, Resolution, Status, Work, WorkSource

API_KEY = "StandinKey0123456789abcd"  # made up; what a 24-character Zotero key looks like
USER_ID = "475425"
GROUP_ID = "98765"
KEY_RE = re.compile(r"^[23456789ABCDEFGHIJKLMNPQRSTUVWXYZ]{8}$")

_COMMON = ["title", "creators", "abstractNote"]
_TAIL = ["language", "shortTitle", "url", "accessDate", "archive", "archiveLocation",
         "libraryCatalog", "callNumber", "rights", "extra"]
TEMPLATE_FIELDS: dict[str, list[str]] = {
    "journalArticle": _COMMON + ["publicationTitle", "volume", "issue", "pages", "date", "series",
                                 "seriesTitle", "seriesText", "journalAbbreviation", "DOI", "ISSN"],
    "book": _COMMON + ["series", "seriesNumber", "volume", "numberOfVolumes", "edition", "place",
                       "publisher", "date", "numPages", "ISBN"],
    "bookSection": _COMMON + ["bookTitle", "series", "seriesNumber", "volume", "numberOfVolumes",
                              "edition", "place", "publisher", "date", "pages", "ISBN"],
    "conferencePaper": _COMMON + ["date", "proceedingsTitle", "conferenceName", "place",
                                  "publisher", "volume", "pages", "series", "DOI", "ISBN"],
    "report": _COMMON + ["reportNumber", "reportType", "seriesTitle", "place", "institution",
                         "date", "pages"],
    "thesis": _COMMON + ["thesisType", "university", "place", "date", "numPages"],
    "webpage": _COMMON + ["websiteTitle", "websiteType", "date"],
    "document": _COMMON + ["publisher", "date"],
    "preprint": _COMMON + ["genre", "repository", "archiveID", "place", "date", "series",
                           "seriesNumber", "DOI"],
}
RIS_TYPES = {"JOUR": "journalArticle", "BOOK": "book", "CHAP": "bookSection", "RPRT": "report",
             "GEN": "journalArticle", "ELEC": "webpage", "CONF": "conferencePaper"}


def template(item_type: str) -> dict[str, Any] | None:
    """The empty editable JSON of a new item of `item_type` (None if unknown)."""
    if item_type == "note":
        return {"itemType": "note", "note": "", "tags": [], "collections": [], "relations": {}}
    if item_type not in TEMPLATE_FIELDS:
        return None
    fields = TEMPLATE_FIELDS[item_type] + _TAIL
    out: dict[str, Any] = {"itemType": item_type}
    for name in fields:
        out[name] = [{"creatorType": "author", "firstName": "", "lastName": ""}] \
            if name == "creators" else ""
    out.update({"tags": [], "collections": [], "relations": {}})
    return out


@dataclass
class Recorded:
    """One request the stand-in received."""

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]  # lower-cased names
    body: bytes


@dataclass
class Fault:
    """A scripted misbehaviour for the next request matching `method` and `path_part`."""

    method: str
    path_part: str
    status: int = 0  # answer this status instead of processing
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b"stand-in fault"  # what that answer says
    drop: bool = False  # process the request, then close without answering
    before: Callable[[], None] | None = None  # run just before processing (a concurrent edit)


@dataclass
class StandinLibrary:
    """One library's state: version counter, items and collections by key."""

    version: int = 0
    items: dict[str, dict[str, Any]] = field(default_factory=dict)
    collections: dict[str, dict[str, Any]] = field(default_factory=dict)


class ZoteroStandin:
    """The stand-in server and its state; use as a context manager."""

    def __init__(self) -> None:
        self.libraries = {f"/users/{USER_ID}": StandinLibrary(),
                          f"/groups/{GROUP_ID}": StandinLibrary()}
        self.requests: list[Recorded] = []
        self.faults: deque[Fault] = deque()
        self.used_tokens: set[str] = set()
        self.backoff: str | None = None
        self.echo_key_in_errors = False
        self.local_api_enabled = True
        self.selected_collection: str | None = None  # connector's selected collection key
        self.sessions: dict[str, list[str]] = {}
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,),
                                        daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self) -> "ZoteroStandin":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    # test helpers ----------------------------------------------------------
    @property
    def user(self) -> StandinLibrary:
        return self.libraries[f"/users/{USER_ID}"]

    def fail_next(self, method: str, path_part: str, *, status: int = 0,
                  headers: dict[str, str] | None = None, drop: bool = False, times: int = 1,
                  before: Callable[[], None] | None = None, body: bytes = b"stand-in fault") -> None:
        """Script the next `times` matching requests: answer `status` (with
        `headers` and `body`), or drop the answer, or run `before` just before
        processing them."""
        for _ in range(times):
            self.faults.append(Fault(method, path_part, status, headers or {}, body, drop, before))

    def add_item(self, data: dict[str, Any], library: str = "") -> str:
        """Put an item straight into a library (as if made elsewhere); returns its key."""
        lib = self.libraries[library or f"/users/{USER_ID}"]
        key = data.get("key") or _key(len(lib.items) + len(lib.collections) + 1000)
        lib.version += 1
        full = {**template(data["itemType"]), **data, "key": key, "version": lib.version}
        lib.items[key] = {"key": key, "version": lib.version, "data": full}
        return key

    def add_collection(self, name: str, library: str = "") -> str:
        lib = self.libraries[library or f"/users/{USER_ID}"]
        key = _key(len(lib.items) + len(lib.collections) + 5000)
        lib.version += 1
        lib.collections[key] = _collection_object(key, lib.version, name, False)
        return key

    def edit_item(self, key: str, changes: dict[str, Any], library: str = "") -> None:
        """Change an item as another client would (new version)."""
        lib = self.libraries[library or f"/users/{USER_ID}"]
        lib.version += 1
        obj = lib.items[key]
        obj["data"].update(changes)
        obj["version"] = obj["data"]["version"] = lib.version

    def writes(self, kind: str = "items") -> list[Recorded]:
        """The write requests (POST/PATCH) received for `kind` of the Web API."""
        return [r for r in self.requests if r.method in ("POST", "PATCH")
                and not r.path.startswith(("/connector", "/api"))
                and f"/{kind}" in r.path]

    def children(self, parent: str, library: str = "") -> list[dict[str, Any]]:
        lib = self.libraries[library or f"/users/{USER_ID}"]
        return [o["data"] for o in lib.items.values() if o["data"].get("parentItem") == parent]

    def top_items(self, library: str = "") -> list[dict[str, Any]]:
        lib = self.libraries[library or f"/users/{USER_ID}"]
        return [o["data"] for o in lib.items.values() if not o["data"].get("parentItem")]

    # request handling ------------------------------------------------------
    def handle(self, method: str, raw_path: str, headers: dict[str, str],
               body: bytes) -> tuple[int, dict[str, str], bytes] | None:
        """The response to one request, or None to close without answering."""
        parts = urlsplit(raw_path)
        query = {k: v[-1] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
        with self._lock:
            self.requests.append(Recorded(method, parts.path, query, headers, body))
            fault = self._take_fault(method, parts.path)
            if fault and fault.before:
                fault.before()
            if fault and fault.status:
                return fault.status, {"Zotero-API-Version": "3", **fault.headers}, fault.body
            response = self._route(method, parts.path, query, headers, body)
            if self.backoff and not parts.path.startswith("/connector"):
                response[1]["Backoff"] = self.backoff
            return None if fault and fault.drop else response

    def _take_fault(self, method: str, path: str) -> Fault | None:
        for fault in self.faults:
            if fault.method == method and fault.path_part in path:
                self.faults.remove(fault)
                return fault
        return None

    def _route(self, method: str, path: str, query: dict[str, str], headers: dict[str, str],
               body: bytes) -> tuple[int, dict[str, str], bytes]:
        if path.startswith("/connector/"):
            return self._connector(path, query, body)
        if path.startswith("/api/"):
            return self._local(method, path[4:], query, headers)
        if path != "/items/new":
            given = headers.get("zotero-api-key") or headers.get("authorization", "")[7:]
            if given != API_KEY:
                text = f"Invalid key {given}" if self.echo_key_in_errors else "Forbidden"
                return _text(403, text)
        return self._web(method, path, query, headers, body, web=True)

    def _local(self, method: str, path: str, query: dict[str, str],
               headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
        if not self.local_api_enabled:
            return _text(403, "Local API is not enabled")
        if method != "GET":
            return _text(400, "Endpoint does not support method\n")
        if path in ("", "/"):
            return _text(200, "Nothing to see here.")
        path = path.replace("/users/0/", f"/users/{USER_ID}/", 1)
        return self._web(method, path, query, headers, b"", web=False)

    def _web(self, method: str, path: str, query: dict[str, str], headers: dict[str, str],
             body: bytes, web: bool) -> tuple[int, dict[str, str], bytes]:
        if path == "/keys/current" and method == "GET":
            return _json(200, {"key": API_KEY, "userID": int(USER_ID), "username": "standin",
                               "access": {"user": {"library": True, "notes": True, "write": True}}})
        if path == "/items/new" and method == "GET":
            tpl = template(query.get("itemType", ""))
            return _json(200, tpl) if tpl else _text(400, f"Invalid item type '{query.get('itemType')}'")
        m = re.match(r"^(/(?:users|groups)/\d+)(?:/collections/([A-Z0-9]{8}))?"
                     r"/(items|collections)(/top|/[A-Z0-9]{8})?$", path)
        if not m or m.group(1) not in self.libraries:
            return _text(404 if not m else 403, "Not found" if not m else "Forbidden")
        lib = self.libraries[m.group(1)]
        within, kind, rest = m.group(2), m.group(3), m.group(4) or ""
        if within and within not in lib.collections:
            return _text(404, "Collection not found")
        if method == "GET" and rest in ("", "/top"):
            return _list(lib, kind, rest == "/top", query, web, within)
        if method == "GET" and kind == "items":
            obj = lib.items.get(rest[1:])
            return _json(200, obj, {"Last-Modified-Version": str(obj["version"])}) if obj \
                else _text(404, "Not found")
        if method == "POST" and rest == "":
            return self._post(lib, kind, headers, body)
        if method == "PATCH" and kind == "items" and rest.startswith("/"):
            return _patch(lib, rest[1:], headers, body)
        return _text(405, "Method not allowed")

    def _post(self, lib: StandinLibrary, kind: str, headers: dict[str, str],
              body: bytes) -> tuple[int, dict[str, str], bytes]:
        try:
            objects = json.loads(body or b"null")
        except ValueError:
            return _text(400, "Invalid JSON")
        if not isinstance(objects, list):
            return _text(400, "Uploaded data must be a JSON array")
        if len(objects) > 50:
            return _text(413, "Only 50 objects can be saved in a single request")
        token = headers.get("zotero-write-token")
        if token and token in self.used_tokens:
            return _text(412, "Write token already used")
        since = headers.get("if-unmodified-since-version")
        if since is not None and int(since) != lib.version:
            return _text(412, f"Library has been modified since specified version "
                              f"(expected {since}, found {lib.version})")
        new_version = lib.version + 1
        result: dict[str, dict[str, Any]] = {"successful": {}, "success": {}, "unchanged": {},
                                             "failed": {}}
        for index, obj in enumerate(objects):
            error = (_check_item if kind == "items" else _check_collection)(lib, obj)
            if error:
                result["failed"][str(index)] = {"key": obj.get("key", ""), "code": error[0],
                                                "message": error[1]}
                continue
            key = obj.get("key") or _key(len(lib.items) + len(lib.collections) + 9000)
            stored = _store(lib, kind, key, new_version, obj)
            result["successful"][str(index)] = stored
            result["success"][str(index)] = key
        if result["success"]:
            lib.version = new_version
        if token:
            self.used_tokens.add(token)
        return _json(200, result, {"Last-Modified-Version": str(lib.version)})

    def _connector(self, path: str, query: dict[str, str],
                   body: bytes) -> tuple[int, dict[str, str], bytes]:
        lib = self.user
        collection_ids = {key: n for n, key in enumerate(lib.collections, start=1)}
        if path == "/connector/ping":
            return 200, {"Content-Type": "text/html"}, \
                b"<!DOCTYPE html><html><body>Zotero is running</body></html>"
        if path == "/connector/getSelectedCollection":
            selected = self.selected_collection
            targets = [{"id": "L1", "name": "My Library", "level": 0}] + [
                {"id": f"C{n}", "name": lib.collections[k]["data"]["name"], "level": 1}
                for k, n in collection_ids.items()]
            return _json(200, {"libraryID": 1, "libraryName": "My Library",
                               "libraryEditable": True, "filesEditable": True, "editable": True,
                               "id": collection_ids.get(selected),
                               "name": lib.collections[selected]["data"]["name"] if selected
                               else "My Library", "targets": targets})
        if path == "/connector/import":
            return self._import(lib, query.get("session", ""), body)
        if path == "/connector/updateSession":
            data = json.loads(body or b"{}")
            if data.get("sessionID") not in self.sessions:
                return _json(400, {"error": "SESSION_NOT_FOUND"})
            by_id = {f"C{n}": key for key, n in collection_ids.items()}
            if data.get("target", "").startswith("C") and data["target"] not in by_id:
                return _json(400, {"error": "COLLECTION_NOT_FOUND"})
            target = by_id.get(data.get("target", ""))
            for key in self.sessions[data["sessionID"]]:
                lib.items[key]["data"]["collections"] = [target] if target else []
            return _json(200, {})
        return _text(404, "No endpoint found\n")

    def _import(self, lib: StandinLibrary, session: str,
                body: bytes) -> tuple[int, dict[str, str], bytes]:
        """Import RIS as Zotero's RIS translator would, for the fields refkit writes."""
        try:
            entries = rispy.loads(body.decode("utf-8"))
        except Exception:  # not RIS: Zotero finds no translator
            entries = []
        if not entries:
            return 400, {}, b""
        if session in self.sessions:
            return _json(409, {"error": "SESSION_EXISTS"})
        keys, saved = [], []
        for entry in entries:
            data = _from_ris(entry, self.selected_collection)
            key = self.add_item(data)
            keys.append(key)
            saved.append(data)
            for note in entry.get("notes", []):
                self.add_item({"itemType": "note", "note": f"<p>{note}</p>", "parentItem": key,
                               "collections": []})
        self.sessions[session] = keys
        return _json(201, saved)


def _from_ris(entry: dict[str, Any], collection: str | None) -> dict[str, Any]:
    item_type = RIS_TYPES.get(entry.get("type_of_reference", ""), "document")
    data: dict[str, Any] = {"itemType": item_type,
                            "title": entry.get("title") or entry.get("primary_title", ""),
                            "creators": [_ris_creator(a) for a in entry.get("authors", [])],
                            "collections": [collection] if collection else []}
    pages = "-".join(p for p in (entry.get("start_page"), entry.get("end_page")) if p)
    for name, value in (("publicationTitle", entry.get("secondary_title") or entry.get("journal_name")),
                        ("volume", entry.get("volume")), ("issue", entry.get("number")),
                        ("pages", pages), ("date", entry.get("year")), ("DOI", entry.get("doi"))):
        if value and name in TEMPLATE_FIELDS[item_type]:
            data[name] = value
        elif value and name == "DOI":
            data["extra"] = f"DOI: {value}"
    return data


def _ris_creator(name: str) -> dict[str, str]:
    family, _, given = name.partition(",")
    return {"creatorType": "author", "lastName": family.strip(), "firstName": given.strip()}


def _check_item(lib: StandinLibrary, obj: dict[str, Any]) -> tuple[int, str] | None:
    """Why Zotero would refuse this new item (code, message), or None."""
    if obj.get("key") and not KEY_RE.match(obj["key"]):
        return 400, f"'{obj['key']}' is not a valid item key"
    if obj.get("key") in lib.items:
        # assumption: an existing key without a version is a key-based write without precondition
        return 428, ("Either If-Unmodified-Since-Version or object version property must be "
                     "provided for key-based writes")
    tpl = template(obj.get("itemType", ""))
    if tpl is None:
        return 400, f"'{obj.get('itemType')}' is not a valid itemType"
    for name in obj:
        if name not in tpl and name not in ("key", "version", "parentItem", "itemType"):
            return 400, f"'{name}' is not a valid field for type '{obj['itemType']}'"
    for creator in obj.get("creators", []):
        if not creator.get("creatorType") or not (creator.get("name") or creator.get("lastName")):
            return 400, "Creator must have a creatorType and a name or lastName"
    parent = obj.get("parentItem")
    if parent and parent not in lib.items:
        return 400, f"Parent item {parent} not found"
    if parent and obj.get("collections"):
        return 400, "Child items cannot be assigned to collections"
    missing = [c for c in obj.get("collections", []) if c not in lib.collections]
    if missing:
        return 409, f"Collection {missing[0]} doesn't exist"
    return None


def _check_collection(lib: StandinLibrary, obj: dict[str, Any]) -> tuple[int, str] | None:
    if not str(obj.get("name") or "").strip():
        return 400, "Collection name cannot be empty"
    if obj.get("key") and not KEY_RE.match(obj["key"]):
        return 400, f"'{obj['key']}' is not a valid collection key"
    parent = obj.get("parentCollection")
    if parent and parent not in lib.collections:
        return 409, f"Parent collection {parent} doesn't exist"
    return None


def _store(lib: StandinLibrary, kind: str, key: str, version: int,
           obj: dict[str, Any]) -> dict[str, Any]:
    if kind == "collections":
        stored = _collection_object(key, version, obj["name"], obj.get("parentCollection", False))
        lib.collections[key] = stored
        return stored
    data = {**template(obj["itemType"]), **obj, "key": key, "version": version}
    stored = {"key": key, "version": version, "library": {"type": "user"}, "data": data}
    lib.items[key] = stored
    return stored


def _collection_object(key: str, version: int, name: str, parent: Any) -> dict[str, Any]:
    return {"key": key, "version": version,
            "data": {"key": key, "version": version, "name": name, "parentCollection": parent,
                     "relations": {}}}


def _patch(lib: StandinLibrary, key: str, headers: dict[str, str],
           body: bytes) -> tuple[int, dict[str, str], bytes]:
    obj = lib.items.get(key)
    if obj is None:
        return _text(404, "Not found")
    changes = json.loads(body or b"{}")
    since = headers.get("if-unmodified-since-version") or changes.get("version")
    if since is None:
        return _text(428, "If-Unmodified-Since-Version not provided")
    if int(since) != obj["version"]:
        return _text(412, f"Item has been modified since specified version "
                          f"(expected {since}, found {obj['version']})")
    tpl = template(obj["data"]["itemType"])
    bad = [n for n in changes if n not in tpl and n not in ("key", "version")]
    if bad:
        return _text(400, f"'{bad[0]}' is not a valid field for type '{obj['data']['itemType']}'")
    lib.version += 1
    obj["data"].update({k: v for k, v in changes.items() if k != "version"})
    obj["version"] = obj["data"]["version"] = lib.version
    return 204, {"Last-Modified-Version": str(lib.version)}, b""


def _list(lib: StandinLibrary, kind: str, top: bool, query: dict[str, str],
          web: bool, within: str | None = None) -> tuple[int, dict[str, str], bytes]:
    pool = list((lib.items if kind == "items" else lib.collections).values())
    if within:
        pool = [o for o in pool if within in o["data"].get("collections", [])]
    if kind == "items":
        pool = [o for o in pool if not (top and o["data"].get("parentItem"))]
        wanted = query.get("itemType", "")
        if wanted.startswith("-"):
            pool = [o for o in pool if o["data"]["itemType"] != wanted[1:]]
        elif wanted:
            pool = [o for o in pool if o["data"]["itemType"] == wanted]
    keys = query.get("itemKey") or query.get("collectionKey")
    if keys:
        pool = [o for o in pool if o["key"] in keys.split(",")]
    total = len(pool)
    start = int(query.get("start") or 0)
    default = 25 if web else total
    limit = min(int(query.get("limit") or default), 100 if web else max(total, 1))
    page = pool[start:start + limit]
    headers = {"Total-Results": str(total), "Last-Modified-Version": str(lib.version)}
    if start + limit < total:
        headers["Link"] = f'<?start={start + limit}&limit={limit}>; rel="next"'
    if query.get("format") == "keys":
        return 200, {**headers, "Content-Type": "text/plain"}, \
            "\n".join(o["key"] for o in page).encode()
    return _json(200, page, headers)


def _key(n: int) -> str:
    chars = "23456789ABCDEFGHIJKLMNPQRSTUVWXYZ"
    out = ""
    for _ in range(8):
        out += chars[n % len(chars)]
        n //= len(chars)
    return out


def _json(status: int, body: Any, headers: dict[str, str] | None = None
          ) -> tuple[int, dict[str, str], bytes]:
    return status, {"Content-Type": "application/json", **(headers or {})}, \
        json.dumps(body).encode("utf-8")


def _text(status: int, text: str) -> tuple[int, dict[str, str], bytes]:
    return status, {"Content-Type": "text/plain"}, text.encode("utf-8")


def _handler_for(standin: ZoteroStandin) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            headers = {k.lower(): v for k, v in self.headers.items()}
            response = standin.handle(self.command, self.path, headers, body)
            if response is None:  # a dropped response: close without a word
                self.close_connection = True
                return
            status, out_headers, payload = response
            self.send_response(status)
            out_headers.setdefault("Zotero-API-Version", "3")
            for name, value in out_headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        do_GET = do_POST = do_PATCH = do_PUT = do_DELETE = _serve

        def log_message(self, *args: Any) -> None:  # keep test output quiet
            pass

    return Handler


@pytest.fixture
def zotero_standin() -> Iterator[ZoteroStandin]:
    """A running stand-in for Zotero's servers (not Zotero)."""
    with ZoteroStandin() as standin:
        yield standin


# --------------------------------------------------------------------------
# Fixtures for refkit's tests: resolutions from synthetic works, a fake clock.
# --------------------------------------------------------------------------
FIXTURES = Path(__file__).resolve().parent / "fixtures"


class FakeTime:
    """A clock whose sleep only advances it, recording every wait."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def resolution_of(csl: dict[str, Any], status: str = "doi-verified", notes: list[str] = (),
                  printed: str | None = None, label: str = "1") -> Resolution:
    """A Resolution of a synthetic CSL work, as the resolver would return it."""
    citation = Citation(raw=csl.get("title", ""), source=Location("paper.pdf", line=3, label=label),
                        title=csl.get("title", ""), doi=printed or csl.get("DOI"),
                        doi_printed=printed or csl.get("DOI"))
    citation.notes = [Note(text, Location("page.html", line=9)) for text in notes]
    work_source = WorkSource.DOCUMENT if status in ("unverified", "document-only") else WorkSource.CROSSREF
    return Resolution(citation, Work(dict(csl), source=work_source), Status(status),
                      checked_at=datetime(2026, 5, 4, tzinfo=timezone.utc))


def synthetic_resolutions() -> list[Resolution]:
    """The five made-up works of tests/fixtures/zotero/works.json."""
    spec = json.loads((FIXTURES / "zotero" / "works.json").read_text(encoding="utf-8"))
    return [resolution_of(w["csl"], w["status"], w["notes"], w.get("printed"), str(n))
            for n, w in enumerate(spec["works"], start=1)]


def seed_resolutions() -> list[Resolution]:
    """One resolution per synthetic seed record (tests/fixtures/seed/works.jsonl)."""
    lines = (FIXTURES / "seed" / "works.jsonl").read_text(encoding="utf-8").splitlines()
    return [resolution_of(from_crossref(json.loads(line)).data, label=str(n))
            for n, line in enumerate(lines, start=1) if line.strip()]


def closed_port_url() -> str:
    """The URL of a local port nothing listens on (Zotero not running)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"
