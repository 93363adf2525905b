"""Read a JATS XML article: its <ref-list> and the article's own identity.

Each <ref> holds an <element-citation> (tagged fields only) or a
<mixed-citation> (printed text with tags inside); both give a Citation with
authors (person-group/name or collab), title, source, year, volume, issue,
pages, DOI and PMID pub-ids and links. A mixed-citation that is plain text is
parsed like a printed reference.

XML from outside is parsed defensively: no DTD loading, no network, no entity
expansion, no huge trees, and any DOCTYPE that declares entities (billion
laughs, external entities) is refused before parsing.
"""

from __future__ import annotations

import html.entities
import re

from lxml import etree

from refkit.doi import clean, is_valid
from refkit.errors import InputError
from refkit.model import Citation, CitationKind, Document, Location, Name, squash
from refkit.readers.reflist import apply_dois
from refkit.readers.source import decoded
from refkit.refparse import parse_reference

_PARSER_OPTIONS = dict(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                       dtd_validation=False, remove_comments=True)
_ENTITY_DECLARATION = re.compile(r"<!ENTITY", re.IGNORECASE)
_XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
_DOI_LINK = re.compile(r"(?:^|/)(?:dx\.)?doi\.org/|^(?:doi:)?10\.\d{4,9}/", re.IGNORECASE)
_CSL_TYPES = {
    "journal": "article-journal", "book": "book", "confproc": "paper-conference", "conf-proc": "paper-conference",
    "conference": "paper-conference", "web": "webpage", "webpage": "webpage", "website": "webpage",
    "thesis": "thesis", "report": "report", "preprint": "article", "patent": "patent", "data": "dataset",
    "dataset": "dataset", "software": "software", "newspaper": "article-newspaper",
}
_IDENTIFIER_TYPES = {"pmid": "PMID", "pmcid": "PMCID", "pmc": "PMCID", "arxiv": "arXiv", "isbn": "ISBN"}


def read(path: str, data: bytes) -> Document:
    """The article's reference list as citations, and its identity."""
    root = parse_xml(path, data)
    citations = [_citation(path, ref, number) for number, ref in enumerate(_refs(root), start=1)]
    return Document(path=path, format="jats", citations=citations, identity=_identity(path, root))


def parse_xml(path: str, data: bytes) -> etree._Element:
    """The root of an XML document parsed safely; InputError for entity
    declarations and for malformed XML (with its line)."""
    if _ENTITY_DECLARATION.search(decoded(path, data).text):  # in whatever encoding the file is
        raise InputError(path, "the XML declares entities (<!ENTITY>); refusing it, since entity "
                               "expansion can exhaust memory or read local files")
    parser = etree.XMLParser(**_PARSER_OPTIONS)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        line = exc.position[0] if exc.position else exc.lineno
        raise InputError(path, f"malformed XML: {exc.msg}", f"line {line}") from None
    if root is None:
        raise InputError(path, "no XML content")
    _replace_entity_references(root)
    return root


def _replace_entity_references(root: etree._Element) -> None:
    """Entity references left unexpanded (no DTD is loaded) replaced by their
    character when they are standard named characters (&ndash;), and
    dropped otherwise, so no "&xxe;" text reaches an entry."""
    for entity in list(root.iter(etree.Entity)):
        text = html.entities.html5.get(f"{entity.name};", "") + (entity.tail or "")
        previous, parent = entity.getprevious(), entity.getparent()
        if previous is not None:
            previous.tail = (previous.tail or "") + text
        else:
            parent.text = (parent.text or "") + text
        parent.remove(entity)


def _local(tag: object) -> str:
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def _refs(root: etree._Element) -> list[etree._Element]:
    """The <ref> elements of the article's own <back> reference lists
    (not those of sub-articles such as decision letters)."""
    return [ref for ref in root.iter("{*}ref")
            if any(_local(a.tag) == "ref-list" for a in ref.iterancestors())
            and not any(_local(a.tag) == "sub-article" for a in ref.iterancestors())]


def _text(element: etree._Element | None) -> str:
    return squash("".join(element.itertext())) if element is not None else ""


def _child_text(element: etree._Element, name: str) -> str:
    return _text(element.find(f".//{{*}}{name}"))


def _citation(path: str, ref: etree._Element, number: int) -> Citation:
    """One <ref> as a Citation; labelled by its <label> or its position."""
    cite = next((c for c in ref.iter("{*}element-citation", "{*}mixed-citation", "{*}citation", "{*}nlm-citation")), ref)
    label = _child_text(ref, "label").strip("[]().") or str(number)
    source = Location(file=path, line=ref.sourceline, label=label)
    printed_text = "".join(cite.xpath("text()")).strip(" \n\t.,;")
    raw = _text(cite) if printed_text or len(cite) == 0 else _compose(cite)
    citation = Citation(raw=raw or _text(ref), source=source, kind=CitationKind.REFERENCE)
    if cite.find(".//{*}article-title") is None and cite.find(".//{*}source") is None:
        for key, value in parse_reference(citation.raw).items():  # untagged printed text
            setattr(citation, key, value)
    else:
        _fill_from_tags(citation, cite)
    _set_identifiers(citation, cite)
    citation.extra["jats_id"] = ref.get("id", "")
    return citation


def _fill_from_tags(citation: Citation, cite: etree._Element) -> None:
    """Citation fields from the tagged elements of a citation."""
    citation.authors, citation.et_al = _authors(cite)
    citation.editors = _editors(cite)
    article_title = _child_text(cite, "article-title") or _child_text(cite, "chapter-title")
    source_title = _child_text(cite, "source")
    citation.title = article_title or source_title
    citation.container = source_title if article_title else ""
    year = re.search(r"\d{4}", _child_text(cite, "year"))
    citation.year = int(year.group(0)) if year else None
    citation.volume = _child_text(cite, "volume")
    citation.issue = _child_text(cite, "issue")
    first, last = _child_text(cite, "fpage"), _child_text(cite, "lpage")
    citation.pages = f"{first}-{last}" if first and last and last != first else first or _child_text(cite, "elocation-id")
    citation.publisher = _child_text(cite, "publisher-name")
    kind = (cite.get("publication-type") or cite.get("citation-type") or "journal").lower()
    citation.csl_type = _CSL_TYPES.get(kind, "article-journal")
    if citation.csl_type == "book" and article_title:
        citation.csl_type = "chapter"


def _authors(cite: etree._Element) -> tuple[list[Name], bool]:
    """The authors: the author person-group (or the first group, or names
    placed directly in the citation); collab as a literal name."""
    groups = cite.findall(".//{*}person-group")
    group = next((g for g in groups if g.get("person-group-type", "author") == "author"), None)
    holder = group if group is not None else cite
    return _names_in(holder, grouped=group is not None), holder.find(".//{*}etal") is not None


def _editors(cite: etree._Element) -> list[Name]:
    """The editors: the editor person-group, when there is one."""
    group = next((g for g in cite.findall(".//{*}person-group") if g.get("person-group-type") == "editor"), None)
    return _names_in(group, grouped=True) if group is not None else []


def _names_in(holder: etree._Element, grouped: bool) -> list[Name]:
    """The names under `holder`; not `grouped` (the citation itself), those
    of no person-group (an editor group, with the authors' names placed
    straight in the citation)."""
    names = []
    for element in holder.iter("{*}name", "{*}collab", "{*}string-name"):
        if not grouped and any(_local(a.tag) == "person-group" for a in element.iterancestors()):
            continue
        if _local(element.tag) == "collab":
            names.append(Name(literal=_text(element)))
        else:
            names.append(Name(family=_child_text(element, "surname"), given=_child_text(element, "given-names"),
                              suffix=_child_text(element, "suffix")))
    return [n for n in names if n.family or n.literal]


def _set_identifiers(citation: Citation, cite: etree._Element) -> None:
    """DOI, PMID/PMCID and links. The DOI is the first of: a DOI pub-id (as
    printed), a link to doi.org (ext-link, uri, any xlink:href; publishers
    print DOIs so as often as pub-ids), a DOI in the citation's text."""
    for pub_id in cite.iter("{*}pub-id", "{*}object-id"):
        kind, value = (pub_id.get("pub-id-type") or "").lower(), _text(pub_id)
        if kind == "doi" and citation.doi_printed is None:
            cleaned = clean(value) or value
            citation.doi_printed = value
            if is_valid(cleaned):
                citation.doi = cleaned
            else:
                citation.extra["malformed_doi"] = [value]
        elif kind in _IDENTIFIER_TYPES:
            citation.identifiers[_IDENTIFIER_TYPES[kind]] = value
    links = [(link.get(_XLINK_HREF) or _text(link), (link.get("ext-link-type") or "").lower())
             for link in cite.iter() if link.get(_XLINK_HREF) or _local(link.tag) in ("ext-link", "uri")]
    if citation.doi_printed is None:
        doi_link = next((href for href, kind in links if kind == "doi" or _DOI_LINK.search(href)), None)
        apply_dois(citation, doi_link if doi_link and clean(doi_link) else _text(cite))
        if citation.doi is None and citation.raw != _text(cite):
            apply_dois(citation, citation.raw)
    citation.url = citation.url or next((href for href, kind in links if href and kind != "doi"
                                         and not _DOI_LINK.search(href)), "")


def _compose(cite: etree._Element) -> str:
    """A printed form of an element-citation ("Authors. Title. Source. 2014;5(2):1-9."),
    so searches and reports have a whole reference string."""
    authors = ", ".join(f"{_child_text(n, 'surname')} {_child_text(n, 'given-names')}".strip()
                        if _local(n.tag) != "collab" else _text(n)
                        for n in cite.iter("{*}name", "{*}collab"))
    if cite.find(".//{*}etal") is not None:
        authors += ", et al"
    locator = _child_text(cite, "year")
    if _child_text(cite, "volume"):
        locator += f";{_child_text(cite, 'volume')}"
    if _child_text(cite, "issue"):
        locator += f"({_child_text(cite, 'issue')})"
    pages = "-".join(p for p in (_child_text(cite, "fpage"), _child_text(cite, "lpage")) if p)
    if pages or _child_text(cite, "elocation-id"):
        locator += f":{pages or _child_text(cite, 'elocation-id')}"
    parts = [authors, _child_text(cite, "article-title") or _child_text(cite, "chapter-title"),
             _child_text(cite, "source"), _child_text(cite, "publisher-name"), locator]
    dois = [f"doi:{_text(p)}" for p in cite.iter("{*}pub-id") if (p.get("pub-id-type") or "").lower() == "doi"]
    return " ".join(f"{p.rstrip('.')}." for p in parts + dois if p)


def _identity(path: str, root: etree._Element) -> Citation | None:
    """The article's own record from <article-meta>: DOI, title, authors, journal, date."""
    meta = root.find(".//{*}front/{*}article-meta")
    if meta is None:
        return None
    identity = Citation(raw=_child_text(meta, "article-title"), source=Location(file=path, line=meta.sourceline))
    identity.title = _child_text(meta.find("{*}title-group") if meta.find("{*}title-group") is not None else meta,
                                 "article-title")
    contribs = [c for c in meta.iter("{*}contrib") if c.get("contrib-type", "author") == "author"
                and not any(_local(a.tag) == "sub-article" for a in c.iterancestors())]
    identity.authors = [
        Name(literal=_child_text(c, "collab")) if c.find(".//{*}name") is None
        else Name(family=_child_text(c, "surname"), given=_child_text(c, "given-names"))
        for c in contribs
    ]
    identity.container = _child_text(root.find(".//{*}journal-meta") if root.find(".//{*}journal-meta") is not None
                                      else meta, "journal-title")
    years = [re.search(r"\d{4}", _child_text(d, "year")) for d in meta.findall("{*}pub-date")]
    identity.year = min((int(y.group(0)) for y in years if y), default=None)
    identity.volume, identity.issue = _child_text(meta, "volume"), _child_text(meta, "issue")
    identity.pages = _child_text(meta, "elocation-id") or _child_text(meta, "fpage")
    for article_id in meta.findall("{*}article-id"):
        kind, value = (article_id.get("pub-id-type") or "").lower(), _text(article_id)
        if kind == "doi":
            identity.doi, identity.doi_printed = clean(value) or value, value
        elif kind in _IDENTIFIER_TYPES:
            identity.identifiers[_IDENTIFIER_TYPES[kind]] = value
    return identity
