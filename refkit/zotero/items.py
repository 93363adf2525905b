"""Translate between refkit and Zotero's item JSON.

`to_item` turns a Resolution into the editable JSON of a Zotero item (CSL
type -> Zotero item type, CSL variables -> Zotero fields, provenance as a
status tag and in Extra) and `note_html` turns a summary into a child note's
HTML.
`fit_to_template` moves fields the server's schema lacks for a type into
Extra ("DOI: 10…"), which is where Zotero itself keeps them.
`to_citation` reads a Zotero item back as a refkit Citation, so the
resolver can check a library; DOIs hidden in Extra count.
"""

from __future__ import annotations

import html
import re
import secrets
from datetime import datetime, timezone
from typing import Any

from refkit import doi as doi_tools
from refkit.model import Citation, CitationKind, Location, Name, Resolution, Status
from refkit.refparse import year_in
from refkit.writers import provenance
from refkit.writers.entry import ExportEntry, export_item, keywords

# CSL type -> Zotero item type (Zotero's own CSL mappings; the rest become "document")
ZOTERO_TYPES: dict[str, str] = {
    "article-journal": "journalArticle", "review": "journalArticle",
    "review-book": "journalArticle", "article": "preprint",
    "article-magazine": "magazineArticle", "article-newspaper": "newspaperArticle",
    "book": "book", "chapter": "bookSection", "paper-conference": "conferencePaper",
    "report": "report", "thesis": "thesis", "webpage": "webpage", "post-weblog": "blogPost",
    "entry-encyclopedia": "encyclopediaArticle", "entry-dictionary": "dictionaryEntry",
    "manuscript": "manuscript", "legislation": "statute", "patent": "patent",
}
# Zotero item type -> CSL type: the inverse, with each Zotero type's own CSL type
CSL_TYPES: dict[str, str] = {zotero: csl for csl, zotero in ZOTERO_TYPES.items()
                             if csl not in ("review", "review-book")}
# the field that holds the container title, by item type (default publicationTitle)
CONTAINER_FIELDS: dict[str, str] = {
    "bookSection": "bookTitle", "conferencePaper": "proceedingsTitle",
    "webpage": "websiteTitle", "blogPost": "blogTitle",
    "encyclopediaArticle": "encyclopediaTitle", "dictionaryEntry": "dictionaryTitle",
    "preprint": "repository", "report": "seriesTitle", "book": "series",
}
PUBLISHER_FIELDS: dict[str, str] = {
    "report": "institution", "thesis": "university", "preprint": "repository",
}
# plain CSL variable -> Zotero field
SIMPLE_FIELDS: dict[str, str] = {
    "title": "title", "container-title-short": "journalAbbreviation", "volume": "volume",
    "issue": "issue", "page": "pages", "DOI": "DOI", "URL": "url", "ISSN": "ISSN",
    "ISBN": "ISBN", "language": "language", "publisher-place": "place", "edition": "edition",
    "number": "reportNumber", "genre": "thesisType", "event-title": "conferenceName",
}
CREATOR_ROLES = {"author": "author", "editor": "editor", "translator": "translator",
                 "container-author": "bookAuthor"}
# Zotero fields that hold a container title, for reading items back
_CONTAINER_READ = ("publicationTitle", "bookTitle", "proceedingsTitle", "websiteTitle",
                   "blogTitle", "encyclopediaTitle", "dictionaryTitle", "seriesTitle")
_EXTRA_DOI = re.compile(r"^\s*DOI:\s*(\S.*?)\s*$", re.IGNORECASE | re.MULTILINE)
_EXTRA_ID = re.compile(r"^\s*(PMID|PMCID):\s*(\S+)\s*$", re.IGNORECASE | re.MULTILINE)
_KEY_CHARS = "23456789ABCDEFGHIJKLMNPQRSTUVWXYZ"


def to_item(resolution: Resolution, collection_key: str | None = None,
            provenance_mode: str = provenance.DEFAULT_MODE) -> dict[str, Any]:
    """The editable JSON of a new Zotero item for `resolution` (no key yet):
    with a status tag and Extra's provenance lines unless `provenance_mode`
    is "none". Fields as in every export (writers.entry.export_item); the
    input's keywords become tags, as Zotero's own importers make them."""
    data = export_item(resolution)
    item_type = ZOTERO_TYPES.get(data.get("type", ""), "document")
    item: dict[str, Any] = {"itemType": item_type, "creators": _creators(data)}
    for variable, zotero_field in SIMPLE_FIELDS.items():
        _put(item, zotero_field, data.get(variable))
    _put(item, "title", data.get("title") or resolution.citation.raw)  # never an untitled item
    _put(item, CONTAINER_FIELDS.get(item_type, "publicationTitle"), data.get("container-title"))
    _put(item, PUBLISHER_FIELDS.get(item_type, "publisher"), data.get("publisher"))
    _put(item, "date", _date(data))
    _put(item, "abstractNote", data.get("abstract"))
    lines = extra_lines(resolution)
    if provenance_mode == "none":
        lines = [line for line in lines if not line.startswith("refkit")]
    item["extra"] = "\n".join(lines)
    tags = [] if provenance_mode == "none" else [provenance.tag(resolution)]
    item["tags"] = [{"tag": tag} for tag in keywords(ExportEntry("", data, tags=tags, resolution=resolution))]
    item["collections"] = [collection_key] if collection_key else []
    item["relations"] = {}
    return item


def note_html(text: str) -> str:
    """A summary as Zotero note HTML: escaped, <p> per paragraph, <br/> per line."""
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text.strip()) if p.strip()]
    return "".join("<p>" + "<br/>".join(html.escape(line.strip()) for line in p.splitlines())
                   + "</p>" for p in paragraphs)


def note_item(text: str, parent_key: str) -> dict[str, Any]:
    """A child note of `parent_key` holding `text` (child items take no collections)."""
    return {"itemType": "note", "note": note_html(text), "parentItem": parent_key,
            "tags": [], "collections": [], "relations": {}}


def standalone_note(text: str, collection_key: str | None, tags: list[str]) -> dict[str, Any]:
    """A note of its own (no parent item), filed in the collection, with `tags`."""
    return {"itemType": "note", "note": note_html(text), "tags": [{"tag": t} for t in tags],
            "collections": [collection_key] if collection_key else [], "relations": {}}


def extra_lines(resolution: Resolution) -> list[str]:
    """Provenance for Extra: how refkit verified the work (against whom: a
    mirror, snapshot or stand-in never passes for Crossref), and where it was cited."""
    when = resolution.checked_at or resolution.work.fetched or datetime.now(timezone.utc)
    day = when.date().isoformat()
    printed = resolution.citation.doi_printed or resolution.citation.doi
    verified = f"refkit: verified against {resolution.work.registry} {day}"
    verdict = {
        Status.DOI_VERIFIED: verified,
        Status.DOI_CORRECTED: f"{verified}; printed DOI {printed} corrected",
        Status.FOUND_BY_SEARCH: f"{verified}; DOI found by search",
        Status.DOCUMENT_ONLY: f"refkit: unverified (from document; no Crossref match validated {day})",
        Status.UNVERIFIED: "refkit: unverified (from document)",
    }[resolution.status]
    lines = [verdict]
    source = resolution.citation.source
    label = f" [{source.label}]" if source.label else ""
    lines.append(f"refkit source: {source}{label}")
    for key in ("PMID", "PMCID"):
        value = resolution.work.data.get(key) or resolution.citation.identifiers.get(key)
        if value:
            lines.append(f"{key}: {value}")
    return lines


def fit_to_template(item: dict[str, Any], template: dict[str, Any]) -> dict[str, Any]:
    """`item` with fields the type's template lacks moved into Extra as
    "field: value" lines (DOI included), so the server accepts it."""
    fitted: dict[str, Any] = {}
    moved: list[str] = []
    for name, value in item.items():
        if name in template or name in ("key", "version", "parentItem"):
            fitted[name] = value
        elif value not in ("", [], {}, None):
            moved.append(f"{name}: {value}")
    if moved:
        fitted["extra"] = "\n".join(filter(None, [fitted.get("extra", "")] + moved))
    return fitted


def new_key() -> str:
    """A fresh 8-character Zotero object key, made on the client so that
    children can name their parent in the same write and retries can be checked."""
    return "".join(secrets.choice(_KEY_CHARS) for _ in range(8))


def keyed(obj: dict[str, Any]) -> dict[str, Any]:
    """`obj` with a fresh client-made key."""
    return {"key": new_key(), **obj}


def item_doi(data: dict[str, Any]) -> tuple[str, str]:
    """The DOI an item holds and where: ("DOI", text) from the field, else
    ("extra", text) from a "DOI: …" line of Extra, else ("", "")."""
    if str(data.get("DOI") or "").strip():
        return "DOI", str(data["DOI"]).strip()
    found = _EXTRA_DOI.search(str(data.get("extra") or ""))
    return ("extra", found.group(1)) if found else ("", "")


def to_citation(obj: dict[str, Any], library_label: str) -> Citation:
    """A Zotero item (API object with key, version, data) as a refkit Citation,
    labelled with the item key so findings point back at it."""
    data = obj.get("data", obj)
    key = str(obj.get("key") or data.get("key") or "")
    authors = [_name(c) for c in data.get("creators", []) if c.get("creatorType") == "author"]
    _, printed = item_doi(data)
    citation = Citation(
        raw="", source=Location(file=library_label, label=key), kind=CitationKind.REFERENCE,
        authors=authors, title=str(data.get("title") or ""),
        container=next((str(data[f]) for f in _CONTAINER_READ if data.get(f)), ""),
        year=year_in(str(data.get("date") or "")),
        volume=str(data.get("volume") or ""), issue=str(data.get("issue") or ""),
        pages=str(data.get("pages") or ""),
        publisher=str(data.get("publisher") or data.get("institution") or ""),
        doi=doi_tools.clean(printed) if printed else None, doi_printed=printed or None,
        url=str(data.get("url") or ""),
        identifiers=_identifiers(data),
        csl_type=CSL_TYPES.get(str(data.get("itemType")), "document"),
        extra={"zotero_key": key, "zotero_version": obj.get("version", data.get("version"))},
    )
    citation.raw = reference_string(citation)
    return citation


def reference_string(citation: Citation) -> str:
    """A Vancouver-like reference string for a citation read from fields."""
    names = ", ".join(str(a) for a in citation.authors[:6])
    parts = [names, citation.title, citation.container]
    locator = str(citation.year or "")
    if citation.volume:
        locator += f";{citation.volume}" + (f"({citation.issue})" if citation.issue else "")
    if citation.pages:
        locator += f":{citation.pages}"
    parts.append(locator)
    if citation.doi_printed:
        parts.append(f"doi:{citation.doi_printed}")
    return ". ".join(p.strip(" .") for p in parts if p and p.strip(" .")) + "."


def _put(item: dict[str, Any], name: str, value: Any) -> None:
    if isinstance(value, list):
        value = ", ".join(str(v) for v in value if v)
    if value not in (None, ""):
        item[name] = str(value)


def _creators(data: dict[str, Any]) -> list[dict[str, str]]:
    creators = []
    for role, creator_type in CREATOR_ROLES.items():
        for person in data.get(role, []) or []:
            if person.get("literal") or not person.get("family"):
                name = person.get("literal") or person.get("given") or ""
                if name:
                    creators.append({"creatorType": creator_type, "name": name})
            else:
                creators.append({"creatorType": creator_type, "firstName": person.get("given", ""),
                                 "lastName": person["family"]})
    return creators


def _date(data: dict[str, Any]) -> str:
    issued = data.get("issued") or {}
    parts = (issued.get("date-parts") or [[]])[0]
    if parts and parts[0]:
        return "-".join(f"{int(p):02d}" if i else str(int(p)) for i, p in enumerate(parts[:3]))
    return str(issued.get("raw") or issued.get("literal") or "")


def _name(creator: dict[str, Any]) -> Name:
    if creator.get("name"):
        return Name(literal=str(creator["name"]))
    return Name(family=str(creator.get("lastName") or ""), given=str(creator.get("firstName") or ""))


def _identifiers(data: dict[str, Any]) -> dict[str, str]:
    found = {key.upper(): value for key, value in _EXTRA_ID.findall(str(data.get("extra") or ""))}
    for name in ("ISSN", "ISBN", "PMID", "PMCID"):
        if data.get(name):
            found[name] = str(data[name])
    return found
