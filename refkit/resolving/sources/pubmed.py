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
from refkit.settings import DEFAULT_URLS, Settings

BATCH_SIZE = 200  # ids per ESummary or ID-converter request (both take 200)
_INITIALS = re.compile(r"^[A-Z]{1,4}$")


class PubMedClient(Service):
    """Records of PMIDs (ESummary), and the PMIDs of PMCIDs (ID converter)."""

    name = "PubMed"

    def __init__(self, settings: Settings, cache: Cache | None = None, *, owns_cache: bool = False,
                 backoff: float = 0.5) -> None:
        super().__init__(settings, settings.pubmed_url, DEFAULT_URLS["pubmed_url"], cache,
                         limit=3, per=1.0, backoff=backoff, owns_cache=owns_cache)
        self.idconv = _IdConverter(settings, cache, backoff=backoff)

    def works(self, pmids: Iterable[str]) -> dict[str, Work | None]:
        """PubMed's record for each PMID (None: no such PMID; absent: not asked)."""
        answers = self.records([str(p) for p in pmids], self._summaries, BATCH_SIZE)
        return {pmid: (to_work(record, self, self.fetched_at(when)) if record else None)
                for pmid, (record, when) in answers.items()}

    def pmids_of(self, pmcids: Iterable[str]) -> dict[str, Record | None]:
        """{"pmid", "doi"} for each PMCID (None: unknown to PMC; absent: not asked)."""
        return {pmcid: record for pmcid, (record, _) in self.idconv.records(
            [p.upper() for p in pmcids], self.idconv.convert, BATCH_SIZE).items()}

    def _summaries(self, pmids: list[str]) -> dict[str, Record | None]:
        params = {"db": "pubmed", "id": ",".join(pmids), "retmode": "json", "tool": "refkit"}
        if self.settings.mailto:
            params["email"] = self.settings.mailto
        result = self.parsed(self.get("/esummary.fcgi", params), _result)
        return {pmid: (summary if isinstance(summary, dict) and not summary.get("error") else None)
                for pmid, summary in ((p, result.get(p)) for p in pmids)}

    def close(self) -> None:
        self.idconv.close()
        super().close()


class _IdConverter(Service):
    name = "PMC ID Converter"

    def __init__(self, settings: Settings, cache: Cache | None, backoff: float) -> None:
        super().__init__(settings, settings.pmc_idconv_url, DEFAULT_URLS["pmc_idconv_url"], cache,
                         limit=3, per=1.0, backoff=backoff)

    def convert(self, pmcids: list[str]) -> dict[str, Record | None]:
        params = {"ids": ",".join(pmcids), "format": "json", "tool": "refkit"}
        if self.settings.mailto:
            params["email"] = self.settings.mailto
        records = self.parsed(self.get("/", params), _converted)
        found: dict[str, Record | None] = {}
        for record in records:
            key = str(record.get("pmcid") or record.get("requested-id") or "").upper()
            ok = record.get("status") != "error" and record.get("pmid")
            found[key] = {"pmid": str(record["pmid"]), "doi": record.get("doi")} if ok else None
        return found


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
