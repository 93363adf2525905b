"""arXiv's API: the record of an arXiv id, as an Atom feed.

`GET /api/query?id_list=2101.00001,hep-th/9901001&max_results=N` answers an
Atom `<feed>` with one `<entry>` per paper: `<id>http://arxiv.org/abs/ID vN`,
`<title>`, `<summary>`, `<published>`, `<author><name>`, and in the arXiv
namespace `doi` (the published version's DOI) and `journal_ref` (entry shape
as recorded in CenterForOpenScience/SHARE providers/org/arxiv/__init__.py).
arXiv asks for no more than one request every three seconds. Every arXiv
paper also has a DataCite DOI, 10.48550/arXiv.ID, which becomes the record's DOI.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from lxml import etree

from refkit.model import Work, WorkSource, squash
from refkit.refparse import year_in
from refkit.resolving.sources.service import Record, Reply, Service, WrongShape, display_name

ATOM = "{http://www.w3.org/2005/Atom}"
ARXIV = "{http://arxiv.org/schemas/atom}"
DOI_PREFIX = "10.48550/arXiv."
_ABS_ID = re.compile(r"arxiv\.org/abs/(?P<id>.+?)(?:v\d+)?$")
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)


class ArxivClient(Service):
    """Records of arXiv ids."""

    name = "arXiv"
    url_setting = "arxiv_url"
    limit, per, batch = 1, 3.0, 50  # arXiv asks for one request every three seconds

    def fetch(self, arxiv_ids: list[str]) -> dict[str, Record | None]:
        params = {"id_list": ",".join(arxiv_ids), "max_results": len(arxiv_ids)}
        entries = self.parsed(self.get("/query", params, accept="application/atom+xml"), _feed)
        wanted = {i.lower(): i for i in arxiv_ids}
        return {wanted[e["id"].lower()]: e for e in entries if e["id"].lower() in wanted}

    def to_work(self, key: str, record: Record, fetched: datetime) -> Work:
        """One arXiv entry as a Work: a preprint (CSL "article") with arXiv's DOI."""
        arxiv_id = record["id"]
        item: dict[str, Any] = {"id": f"arxiv:{arxiv_id}", "type": "article", "title": record["title"],
                                "publisher": "arXiv", "number": f"arXiv:{arxiv_id}",
                                "DOI": DOI_PREFIX + arxiv_id, "URL": f"https://arxiv.org/abs/{arxiv_id}"}
        authors = [display_name(a) for a in record.get("authors") or [] if a]
        if authors:
            item["author"] = authors
        year = year_in(record.get("published"))
        if year:
            item["issued"] = {"date-parts": [[year]]}
        return Work(item, source=WorkSource.REGISTRY, fetched=fetched, raw={"arxiv": record},
                    service=self.service, agency=self.name)


def _feed(reply: Reply) -> list[dict[str, Any]]:
    """The entries of an Atom feed as plain records (cached as JSON)."""
    try:
        root = etree.fromstring(reply.body, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise WrongShape(f"not XML ({exc})") from None
    if reply.status != 200 or root.tag != f"{ATOM}feed":
        raise WrongShape("no Atom feed")
    return [record for record in map(_entry, root.iter(f"{ATOM}entry")) if record]


def _entry(entry: Any) -> dict[str, Any] | None:
    match = _ABS_ID.search(entry.findtext(f"{ATOM}id") or "")
    if not match or not (entry.findtext(f"{ATOM}title") or "").strip():
        return None  # arXiv's error entries have no abs/ id or no title
    return {
        "id": match.group("id"),
        "title": squash(entry.findtext(f"{ATOM}title") or ""),
        "authors": [squash(a.findtext(f"{ATOM}name") or "") for a in entry.iter(f"{ATOM}author")],
        "published": entry.findtext(f"{ATOM}published") or "",
        "doi": squash(entry.findtext(f"{ARXIV}doi") or ""),
        "journal_ref": squash(entry.findtext(f"{ARXIV}journal_ref") or ""),
    }
