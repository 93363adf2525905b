"""A local stand-in for the registries besides Crossref, on one HTTP server
on 127.0.0.1, each under its own path, speaking that service's response
format:

- /datacite: DataCite REST API, JSON:API — GET /dois/{doi} and
  /dois?query=doi:("a" OR "b") (shapes as recorded in ropensci/rdatacite
  tests/fixtures/dc_dois.yml; 404 as `{"errors": [{"status": "404", …}]}`).
- /eutils: NCBI E-utilities ESummary, `esummary.fcgi?db=pubmed&id=…&retmode=json`
  (`{"header", "result": {"uids", "<pmid>": {…}}}`; an unknown PMID gets
  `{"uid", "error": "cannot get document summary"}`).
- /idconv: PMC ID converter, `?ids=PMC…&format=json` (`{"status": "ok", "records": [...]}`).
- /arxiv: arXiv API, `query?id_list=…`, an Atom feed (entry shape as in
  CenterForOpenScience/SHARE providers/org/arxiv/__init__.py).
- /openlibrary: Open Library Books API, `api/books?bibkeys=ISBN:…&jscmd=data`.

Every record it serves is synthetic (tests/fixtures/registries, each marked
"_fixture": "synthetic"). `registries` is the pytest fixture: it starts the
server and points refkit's settings at it through the REFKIT_*_URL variables.
"""

from __future__ import annotations

import json
import re
import threading
from collections import Counter
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Iterator
from urllib.parse import parse_qs, unquote, urlsplit
from xml.sax.saxutils import escape

import pytest

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "registries"
ROUTES = {"datacite": "REFKIT_DATACITE_URL", "eutils": "REFKIT_PUBMED_URL",
          "idconv": "REFKIT_PMC_IDCONV_URL", "arxiv": "REFKIT_ARXIV_URL", "openlibrary": "REFKIT_ISBN_URL"}
_JSON = "application/json; charset=utf-8"


def _lines(name: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in (FIXTURES / name).read_text(encoding="utf-8").splitlines() if line.strip()]


@dataclass
class RegistryStandIn:
    """The records served, request counts by route, and a switch to break a route."""

    datacite: dict[str, dict[str, Any]] = field(default_factory=dict)
    pubmed: dict[str, Any] = field(default_factory=dict)
    arxiv: dict[str, dict[str, Any]] = field(default_factory=dict)
    openlibrary: dict[str, Any] = field(default_factory=dict)
    counts: Counter[str] = field(default_factory=Counter)
    broken: set[str] = field(default_factory=set)  # routes answering HTML instead of the API
    log: list[str] = field(default_factory=list)

    @classmethod
    def from_fixtures(cls) -> "RegistryStandIn":
        return cls(datacite={r["id"].lower(): r for r in _lines("datacite.jsonl")},
                   pubmed=json.loads((FIXTURES / "pubmed.json").read_text(encoding="utf-8")),
                   arxiv={r["id"]: r for r in _lines("arxiv.jsonl")},
                   openlibrary=json.loads((FIXTURES / "openlibrary.json").read_text(encoding="utf-8")))

    def start(self) -> "RegistryStandIn":
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def url(self, route: str) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/{route}"

    def answer(self, path: str, query: str) -> tuple[int, str, bytes]:
        route, _, rest = path.lstrip("/").partition("/")
        params = {k: v[0] for k, v in parse_qs(query, keep_blank_values=True).items()}
        self.counts[route] += 1
        self.log.append(f"{path}?{query}")
        if route in self.broken:
            return 200, "text/html", b"<html><body>Welcome to our portal</body></html>"
        handler = getattr(self, f"_{route}", None)
        return handler(unquote(rest), params) if handler else (404, "text/plain", b"no such route")

    def _datacite(self, rest: str, params: dict[str, str]) -> tuple[int, str, bytes]:
        if rest.startswith("dois/"):
            record = self.datacite.get(rest[len("dois/"):].lower())
            if record is None:
                body = {"errors": [{"status": "404", "title": "The resource you are looking for doesn't exist."}]}
                return 404, _JSON, json.dumps(body).encode()
            return 200, _JSON, json.dumps({"data": _public(record)}).encode()
        wanted = [d.lower() for d in re.findall(r'"([^"]+)"', params.get("query", ""))]
        found = [_public(self.datacite[d]) for d in wanted if d in self.datacite]
        body = {"data": found, "meta": {"total": len(found), "totalPages": 1, "page": 1}, "links": {}}
        return 200, _JSON, json.dumps(body).encode()

    def _eutils(self, rest: str, params: dict[str, str]) -> tuple[int, str, bytes]:
        ids = [i for i in params.get("id", "").split(",") if i]
        summaries = self.pubmed["summaries"]
        result: dict[str, Any] = {"uids": [i for i in ids if i in summaries]}
        for pmid in ids:
            result[pmid] = summaries.get(pmid) or {"uid": pmid, "error": "cannot get document summary"}
        body = {"header": {"type": "esummary", "version": "0.3"}, "result": result}
        return 200, _JSON, json.dumps(body).encode()

    def _idconv(self, rest: str, params: dict[str, str]) -> tuple[int, str, bytes]:
        records = []
        for asked in (i for i in params.get("ids", "").split(",") if i):
            known = self.pubmed["idconv"].get(asked.upper())
            records.append(known or {"requested-id": asked, "status": "error", "errmsg": "invalid article id"})
        body = {"status": "ok", "responseDate": "2026-01-01 00:00:00", "request": "synthetic", "records": records}
        return 200, _JSON, json.dumps(body).encode()

    def _arxiv(self, rest: str, params: dict[str, str]) -> tuple[int, str, bytes]:
        entries = [_atom_entry(self.arxiv[i]) for i in params.get("id_list", "").split(",") if i in self.arxiv]
        feed = ('<?xml version="1.0" encoding="UTF-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom" '
                'xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/" xmlns:arxiv="http://arxiv.org/schemas/atom">\n'
                f'  <title type="html">ArXiv Query: id_list={escape(params.get("id_list", ""))}</title>\n'
                f'  <opensearch:totalResults>{len(entries)}</opensearch:totalResults>\n'
                + "".join(entries) + "</feed>\n")
        return 200, "application/atom+xml; charset=utf-8", feed.encode()

    def _openlibrary(self, rest: str, params: dict[str, str]) -> tuple[int, str, bytes]:
        keys = [k for k in params.get("bibkeys", "").split(",") if k]
        body = {k: self.openlibrary[k] for k in keys if k in self.openlibrary}
        return 200, _JSON, json.dumps(body).encode()


def _public(record: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in record.items() if not k.startswith("_")}


def _atom_entry(r: dict[str, Any]) -> str:
    authors = "".join(f"    <author><name>{escape(a)}</name></author>\n" for a in r["authors"])
    doi = f'    <arxiv:doi>{escape(r["doi"])}</arxiv:doi>\n' if r.get("doi") else ""
    ref = f'    <arxiv:journal_ref>{escape(r["journal_ref"])}</arxiv:journal_ref>\n' if r.get("journal_ref") else ""
    return (f'  <entry>\n    <id>http://arxiv.org/abs/{r["id"]}{r["version"]}</id>\n'
            f'    <updated>{r["updated"]}</updated>\n    <published>{r["published"]}</published>\n'
            f'    <title>{escape(r["title"])}</title>\n    <summary>{escape(r["summary"])}</summary>\n'
            f'{authors}{doi}{ref}'
            f'    <link href="http://arxiv.org/abs/{r["id"]}{r["version"]}" rel="alternate" type="text/html"/>\n'
            f'    <arxiv:primary_category term="{r["category"]}" scheme="http://arxiv.org/schemas/atom"/>\n'
            '  </entry>\n')


def _handler(standin: RegistryStandIn) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
            parts = urlsplit(self.path)
            status, content_type, body = standin.answer(parts.path, parts.query)
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            pass

    return Handler


@pytest.fixture
def registries(monkeypatch: pytest.MonkeyPatch) -> Iterator[RegistryStandIn]:
    """The running stand-in, with refkit's registry URLs pointing at it."""
    standin = RegistryStandIn.from_fixtures().start()
    for route, variable in ROUTES.items():
        monkeypatch.setenv(variable, standin.url(route))
    yield standin
    standin.stop()
