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
from typing import Any, Iterable

from lxml import etree

from refkit.model import Work, WorkSource, squash
from refkit.refparse import year_in
from refkit.resolving.cache import Cache
from refkit.resolving.sources.service import Record, Reply, Service, WrongShape, display_name
from refkit.settings import DEFAULT_URLS, Settings

BATCH_SIZE = 50
ATOM = "{http://www.w3.org/2005/Atom}"
ARXIV = "{http://arxiv.org/schemas/atom}"
DOI_PREFIX = "10.48550/arXiv."
_ABS_ID = re.compile(r"arxiv\.org/abs/(?P<id>.+?)(?:v\d+)?$")
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)


class ArxivClient(Service):
    """Records of arXiv ids."""

    name = "arXiv"

    def __init__(self, settings: Settings, cache: Cache | None = None, *, owns_cache: bool = False,
                 backoff: float = 0.5) -> None:
        super().__init__(settings, settings.arxiv_url, DEFAULT_URLS["arxiv_url"], cache,
                         limit=1, per=3.0, backoff=backoff, owns_cache=owns_cache)

    def works(self, arxiv_ids: Iterable[str]) -> dict[str, Work | None]:
        """arXiv's record for each id (None: no such paper; absent: not asked)."""
        answers = self.records(list(arxiv_ids), self._entries, BATCH_SIZE)
        return {key: (to_work(record, self, self.fetched_at(when)) if record else None)
                for key, (record, when) in answers.items()}

    def _entries(self, arxiv_ids: list[str]) -> dict[str, Record | None]:
        params = {"id_list": ",".join(arxiv_ids), "max_results": len(arxiv_ids)}
        entries = self.parsed(self.get("/query", params, accept="application/atom+xml"), _feed)
        wanted = {i.lower(): i for i in arxiv_ids}
        return {wanted[e["id"].lower()]: e for e in entries if e["id"].lower() in wanted}


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


def to_work(record: dict[str, Any], service: Service, fetched: datetime | None = None) -> Work:
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
    return Work(item, source=WorkSource.REGISTRY, fetched=fetched, raw={"arxiv": record}, service=service.service,
                agency=service.name)

