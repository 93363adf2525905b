"""DataCite's REST API: records of the DOIs DataCite registers (Zenodo and
figshare software and data, arXiv's 10.48550 DOIs, Dryad, …).

Records come as JSON:API documents — `{"data": {"id", "type": "dois",
"attributes": {…}}}` for GET /dois/{doi}, `{"data": [...], "meta": {...}}`
for GET /dois?query=… (shapes as recorded in ropensci/rdatacite's
tests/fixtures/dc_dois.yml). DOIs are asked 50 at a time with one query,
`doi:("a" OR "b" …)`; a DOI the answer lacks is not DataCite's. The record
becomes a CSL item here, once, so the resolver matches it exactly as a
Crossref record.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Iterable
from urllib.parse import quote

from refkit.csl import CSL_TYPES, plain_text
from refkit.doi import doi_url, is_valid, normalize
from refkit.model import Work
from refkit.resolving.sources.service import Record, Reply, Service, WrongShape

# resourceTypeGeneral (DataCite schema 4) -> CSL type, when `types.citeproc` gives none usable
_GENERAL_TYPES = {
    "dataset": "dataset", "software": "software", "text": "document", "journalarticle": "article-journal",
    "preprint": "article", "book": "book", "bookchapter": "chapter", "conferencepaper": "paper-conference",
    "dissertation": "thesis", "report": "report", "image": "graphic", "audiovisual": "motion_picture",
    "sound": "song", "standard": "standard", "peerreview": "review", "collection": "collection",
}


class DataCiteClient(Service):
    """Ask DataCite about DOIs, in batches, through its own cache."""

    name = "DataCite"
    url_setting = "datacite_url"
    limit, per, batch = 10, 1.0, 50  # DataCite allows about 3,000 requests in 5 minutes per address

    def works_by_doi(self, dois: Iterable[str]) -> dict[str, Work | None]:
        """Records for `dois` keyed by normalised DOI; None: not a DataCite
        DOI; absent: DataCite could not be asked."""
        return self.works(d for d in dict.fromkeys(normalize(d) for d in dois) if is_valid(d))

    def to_work(self, key: str, record: Record, fetched: datetime) -> Work:
        return from_datacite(record, fetched, self.service)

    def fetch(self, dois: list[str]) -> dict[str, Record | None]:
        """One query for `dois` (single lookups for DOIs a query cannot quote)."""
        quotable = [d for d in dois if '"' not in d and "\\" not in d]
        found: dict[str, Record | None] = {}
        if len(quotable) > 1:
            terms = " OR ".join(f'"{doi}"' for doi in quotable)
            reply = self.get("/dois", {"query": f"doi:({terms})", "page[size]": len(quotable)},
                             accept="application/vnd.api+json")
            for attributes in self.parsed(reply, _listed):
                found[normalize(str(attributes.get("doi", "")))] = attributes
        for doi in (d for d in dois if d not in quotable or len(quotable) == 1):
            reply = self.get(f"/dois/{quote(doi, safe='/()')}", accept="application/vnd.api+json")
            found[doi] = None if reply.status == 404 else self.parsed(reply, _single)
        return found


def _listed(reply: Reply) -> list[dict[str, Any]]:
    """The attributes of every record in a list answer."""
    body = reply.json()
    if reply.status != 200 or not isinstance(body, dict) or not isinstance(body.get("data"), list):
        raise WrongShape("no JSON:API 'data' list")
    return [_attributes(item) for item in body["data"]]


def _single(reply: Reply) -> dict[str, Any]:
    body = reply.json()
    if not isinstance(body, dict) or not isinstance(body.get("data"), dict):
        raise WrongShape("no JSON:API 'data' object")
    return _attributes(body["data"])


def _attributes(item: Any) -> dict[str, Any]:
    if not isinstance(item, dict) or item.get("type") != "dois" or not isinstance(item.get("attributes"), dict):
        raise WrongShape("a 'data' item is not a DataCite DOI record")
    return item["attributes"]


def from_datacite(attributes: dict[str, Any], fetched: datetime | None = None, service: str = "") -> Work:
    """One DataCite record's attributes as a Work holding a CSL item."""
    doi = str(attributes.get("doi") or "").strip()
    item: dict[str, Any] = {"id": doi, "type": _csl_type(attributes.get("types") or {})}
    titles = [t for t in attributes.get("titles") or [] if isinstance(t, dict) and t.get("title")]
    main = [t for t in titles if not t.get("titleType")] or titles
    if main:
        item["title"] = plain_text(str(main[0]["title"]))
    authors = [_name(c) for c in attributes.get("creators") or [] if isinstance(c, dict)]
    if authors:
        item["author"] = authors
    year = attributes.get("publicationYear")
    if str(year or "").strip().isdigit():
        item["issued"] = {"date-parts": [[int(str(year).strip())]]}
    publisher = attributes.get("publisher")
    publisher = publisher.get("name") if isinstance(publisher, dict) else publisher
    if publisher:
        item["publisher"] = str(publisher)
    _container(item, attributes.get("container") or {})
    if attributes.get("version"):
        item["version"] = str(attributes["version"])
    abstract = next((d.get("description") for d in attributes.get("descriptions") or []
                     if isinstance(d, dict) and d.get("descriptionType") == "Abstract"), None)
    if abstract:
        item["abstract"] = plain_text(str(abstract))
    if doi:
        item["DOI"], item["URL"] = doi, doi_url(doi)
    work = Work(item, fetched=fetched, raw={"datacite": attributes}, service=service, agency="DataCite")
    item["source"] = work.registry[:1].upper() + work.registry[1:]
    return work


def _csl_type(types: dict[str, Any]) -> str:
    citeproc = str(types.get("citeproc") or "")
    if citeproc in CSL_TYPES:
        return citeproc
    return _GENERAL_TYPES.get(str(types.get("resourceTypeGeneral") or "").lower(), "document")


def _name(creator: dict[str, Any]) -> dict[str, str]:
    family, given = str(creator.get("familyName") or ""), str(creator.get("givenName") or "")
    if family and creator.get("nameType") != "Organizational":
        return {"family": family, "given": given} if given else {"family": family}
    name = str(creator.get("name") or family)
    if creator.get("nameType") == "Personal" and "," in name:
        family, given = (part.strip() for part in name.split(",", 1))
        return {"family": family, "given": given}
    return {"literal": name}


def _container(item: dict[str, Any], container: dict[str, Any]) -> None:
    """A record's container (journal, series) with its volume, issue and pages."""
    if not isinstance(container, dict):
        return
    for source, target in (("title", "container-title"), ("volume", "volume"), ("issue", "issue")):
        if container.get(source):
            item[target] = str(container[source])
    first, last = container.get("firstPage"), container.get("lastPage")
    if first:
        item["page"] = f"{first}-{last}" if last else str(first)
