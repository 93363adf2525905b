"""PubMed through NCBI's E-utilities, and PMC's ID converter for PMCIDs.

- ESummary, `esummary.fcgi?db=pubmed&id=1,2&retmode=json`, answers
  `{"header": …, "result": {"uids": [...], "<pmid>": {title, authors: [{name}],
  fulljournalname, source, pubdate, volume, issue, pages, articleids:
  [{idtype, value}]}}}`; an unknown PMID's summary holds only `error`.
- The ID converter, `…/idconv/…/?ids=PMC1,PMC2&format=json`, answers
  `{"status": "ok", "records": [{"pmcid", "pmid", "doi"}]}`; an unknown id's
  record carries `"status": "error"`.
NCBI asks for at most 3 requests a second without an API key, and for the
tool's name and a contact address in every request (`tool`, `email`).
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any, Iterable

from refkit.model import Work, WorkSource
from refkit.refparse import year_in
from refkit.resolving.cache import Cache
from refkit.resolving.sources.service import Record, Reply, Service, WrongShape
from refkit.settings import Settings

_INITIALS = re.compile(r"^[A-Z]{1,4}$")


class PubMedClient(Service):
    """Records of PMIDs (ESummary), and the PMIDs of PMCIDs (ID converter)."""

    name = "PubMed"
    url_setting = "pubmed_url"
    limit, per, batch = 3, 1.0, 200  # NCBI: 3 requests a second without an API key; 200 ids a request

    def __init__(self, settings: Settings, cache: Cache | None = None, *, owns_cache: bool = False,
                 backoff: float = 0.5) -> None:
        super().__init__(settings, cache, owns_cache=owns_cache, backoff=backoff)
        self.idconv = _IdConverter(settings, cache, backoff=backoff)

    def pmids_of(self, pmcids: Iterable[str]) -> dict[str, Record | None]:
        """{"pmid", "doi"} for each PMCID (None: unknown to PMC; absent: not asked)."""
        return {pmcid: record for pmcid, (record, _) in self.idconv.records(
            [p.upper() for p in pmcids], self.idconv.fetch, self.idconv.batch).items()}

    def fetch(self, pmids: list[str]) -> dict[str, Record | None]:
        result = self.parsed(self.get("/esummary.fcgi", _polite(self, {"db": "pubmed", "id": ",".join(pmids),
                                                                     "retmode": "json"})), _result)
        return {pmid: (summary if isinstance(summary, dict) and not summary.get("error") else None)
                for pmid, summary in ((p, result.get(p)) for p in pmids)}

    def to_work(self, pmid: str, summary: Record, fetched: datetime) -> Work:
        return to_work(summary, self, fetched)

    def close(self) -> None:
        self.idconv.close()
        super().close()


class _IdConverter(Service):
    name = "PMC ID Converter"
    url_setting = "pmc_idconv_url"
    limit, per, batch = 3, 1.0, 200

    def fetch(self, pmcids: list[str]) -> dict[str, Record | None]:
        records = self.parsed(self.get("/", _polite(self, {"ids": ",".join(pmcids), "format": "json"})),
                              _converted)
        found: dict[str, Record | None] = {}
        for record in records:
            key = str(record.get("pmcid") or record.get("requested-id") or "").upper()
            ok = record.get("status") != "error" and record.get("pmid")
            found[key] = {"pmid": str(record["pmid"]), "doi": record.get("doi")} if ok else None
        return found


def _polite(service: Service, params: dict[str, Any]) -> dict[str, Any]:
    """`params` with the tool name and contact address NCBI asks every request to carry."""
    contact = {"email": service.settings.mailto} if service.settings.mailto else {}
    return {**params, "tool": "refkit", **contact}


def _result(reply: Reply) -> dict[str, Any]:
    body = reply.json()
    if reply.status != 200 or not isinstance(body, dict) or not isinstance(body.get("result"), dict):
        raise WrongShape("no ESummary 'result' object")
    return body["result"]


def _converted(reply: Reply) -> list[dict[str, Any]]:
    body = reply.json()
    if reply.status != 200 or not isinstance(body, dict) or not isinstance(body.get("records"), list):
        raise WrongShape("no ID-converter 'records' list")
    return [r for r in body["records"] if isinstance(r, dict)]


def to_work(summary: dict[str, Any], service: Service, fetched: datetime | None = None) -> Work:
    """One ESummary document summary as a Work holding a CSL item."""
    pmid = str(summary.get("uid") or "")
    ids = {str(a.get("idtype")): str(a.get("value")) for a in summary.get("articleids") or []
           if isinstance(a, dict)}
    item: dict[str, Any] = {"id": f"pmid:{pmid}", "type": "article-journal", "PMID": pmid}
    title = str(summary.get("title") or "").strip()
    if title:
        item["title"] = title[:-1] if title.endswith(".") and not title.endswith("..") else title
    authors = [_name(str(a.get("name") or "")) for a in summary.get("authors") or []
               if isinstance(a, dict) and a.get("authtype", "Author") == "Author" and a.get("name")]
    if authors:
        item["author"] = authors
    for source, target in (("fulljournalname", "container-title"), ("source", "container-title-short"),
                           ("volume", "volume"), ("issue", "issue"), ("pages", "page")):
        if summary.get(source):
            item[target] = str(summary[source])
    year = year_in(str(summary.get("pubdate") or summary.get("epubdate") or ""))
    if year:
        item["issued"] = {"date-parts": [[year]]}
    if ids.get("doi"):
        item["DOI"] = ids["doi"]
    pmcid = ids.get("pmc") or ids.get("pmcid", "").split(";")[0].replace("pmc-id: ", "")
    if pmcid.upper().startswith("PMC"):
        item["PMCID"] = pmcid.upper()
    item["URL"] = f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/"
    return Work(item, source=WorkSource.REGISTRY, fetched=fetched, raw={"pubmed": summary}, service=service.service,
                agency=service.name)


def _name(name: str) -> dict[str, str]:
    """PubMed's "Family AB" as a CSL name; an organisation stays literal."""
    parts = name.split()
    if len(parts) >= 2 and _INITIALS.match(parts[-1]):
        return {"family": " ".join(parts[:-1]), "given": parts[-1]}
    return {"literal": name}
