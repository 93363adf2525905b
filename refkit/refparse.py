"""Parse one printed reference string into Citation fields.

Reference lists come in a handful of families: Vancouver/NLM and AMA
("Rao S, Broadbear J. Title. J Abbr. 2019;27:573-7."), the Frontiers variant
with the year in parentheses after the journal, Springer's "Rao S (2019) Title.
J 27:573-7", APA/Harvard ("Rao, S., & Broadbear, J. (2019). Title. Journal,
27(6), 573-577."), IEEE with a quoted title and ACM with a bare year after the
authors. The parser finds the authors, then the year, then the locator
(volume, issue, pages) and reads title and container from what lies between.
It never corrects: page ranges, names and titles stay as printed, only markup
(markdown *italics*) and links are taken out of the fields.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

from refkit.doi import find_dois
from refkit.model import Name, squash

YEAR = r"(?:1[5-9]|20)\d{2}"
LATEST_YEAR = datetime.date.today().year + 1  # in press: next year's volume
_PAGES = r"[A-Za-z]*\d+[A-Za-z\d]*(?:\s*[-–—‐]+\s*[A-Za-z]*\d+[A-Za-z\d]*)?"
# "4–7, 9, 11": ranges after the first never a bare year, which may follow the pages
_PAGE_LIST = rf"{_PAGES}(?:,\s*(?!{YEAR}\b){_PAGES})*"
_VOLUME = r"[A-Za-z]?\d+[A-Za-z]?(?:[-–]\d+)?"

_ITALIC = re.compile(r"(?<![\w*])([*_])(?=[^\s*_])(.+?)(?<=[^\s*_])\1(?![\w*])")
_URL = re.compile(r"<?(?:https?://|www\.)[^\s<>]+>?")
# A new-style ("2207.00507v2") or old-style ("hep-th/9901001") arXiv id, never a bare year
_ARXIV_ID = r"(?:\d{4}\.\d{4,5}(?:v\d+)?|[a-z-]+(?:\.[A-Z]{2})?/\d{7})"
# "arXiv preprint arXiv:2207.00507 [cs.LG]", or the repository's name alone before a year or the end
_ARXIV_WORDS = (rf"\barXiv(?:\s+(?:preprint|e-?prints?))?"
                rf"(?:\s*:?\s*(?:arXiv\s*:?\s*)?{_ARXIV_ID}(?:\s*\[[\w.-]+\])?|(?=[\s.,;:]*(?:{YEAR}\b|$)))")
_LINK_WORDS = re.compile(
    r"(?:\bAvailable\s+(?:online\s+)?(?:at|from)\s*:?|\bURL\s*:?|\[?\b(?:Accessed|Retrieved|Last accessed)\b[^.\]]*[.\]]?"
    r"|\[cited[^\]]*\]"
    rf"|\bPMID\s*:?\s*\d+|\bPMCID\s*:?\s*PMC\d+|\bPMC\d{{4,}}|{_ARXIV_WORDS}|\bISBN(?:-1[03])?\s*:?\s*[\dX-]{{10,17}})",
    re.IGNORECASE,
)
_IDENTIFIERS = {
    "PMID": re.compile(r"\bPMID\s*:?\s*(\d{1,9})\b", re.IGNORECASE),
    "PMCID": re.compile(r"\b(PMC\d{4,})\b"),
    "arXiv": re.compile(rf"\barXiv\s*:?\s*({_ARXIV_ID})", re.IGNORECASE),
    "ISBN": re.compile(r"\bISBN(?:-1[03])?\s*:?\s*([\dX][\dX-]{8,16}[\dX])", re.IGNORECASE),
}

_PARTICLES = {"van", "von", "de", "der", "den", "del", "della", "di", "da", "dos", "das", "du", "la", "le",
              "ten", "ter", "aan", "het", "op", "bin", "ibn", "al", "el", "st"}
_SUFFIX = r"(?:Jr|Sr|II|III|IV|2nd|3rd)\.?"
_ORG_WORDS = re.compile(
    r"\b(?:Association|Organi[sz]ation|Institute|Institut|Society|Centre|Center|Committee|Council|Group|"
    r"Consortium|Collaborat\w*|Agency|Department|Ministry|Universit\w*|Universidad|Foundation|Network|Board|Office|"
    r"Administration|Academy|Commission|Service|Panel|Team|Initiative|Trust|Federation|College|Inc|Ltd)\b"
)
# A capital letter of any alphabet up to Armenian, so "Bolikowski Ł" and "Туберозова М" have initials.
_CAPITAL = "[" + "".join(ch for ch in map(chr, range(0x41, 0x530)) if ch.isupper()) + "]"
_NAME_WORD = r"[^\W\d_][\w'’‐-]*"  # a letter, then letters, apostrophes and hyphens
# An initial, perhaps with the rest of a hyphenated given name: "S.", "Th.", "J.-sung", "J.-. sung ."
_INITIAL = rf"{_CAPITAL}[a-z]?\.(?:-\.?\s?[a-z]+\s?\.?)?"
_INITIALS_ONLY = re.compile(rf"(?:{_INITIAL}[\s-]*){{1,4}}(?:{_SUFFIX})?")  # "S. J.", "Z.-Z." after "Rao,"
# What shows an author list goes on after a full stop: another initial, "&", "and", "et al."
_LIST_GOES_ON = re.compile(rf"{_INITIAL}(?:[\s,;:.]|$)|[&,;]|(?:and|et\s*al)\b")
# Vancouver's initials: "SE", "S.E.", or hyphenated given names "H-F", "J-HK"
_VANCOUVER_NAME = re.compile(rf"^(?P<family>\S.*?)\s+"
                             rf"(?P<given>{_CAPITAL}(?:-?{_CAPITAL}){{0,3}}|(?:{_CAPITAL}\.\s?){{1,4}})"
                             rf"(?:\s+(?P<suffix>{_SUFFIX}))?\.?$")
_INITIALS_FIRST = re.compile(rf"^(?P<given>(?:{_INITIAL}[\s-]*|{_CAPITAL}\s)+)\s*(?P<family>\S.*)$")
# A quoted title; curly quotes may hold straight ones (“"Rudimentary polydactyly": a neuroma”).
_QUOTED_TITLES = [re.compile(rf"(?:^|[\s,.:]){opening}(?P<title>[^{closing}]{{8,}}?)(?P<inner>[,.]?){closing}"
                             rf"(?P<outer>[,.]?)\s*(?P<rest>.*)$") for opening, closing in (("“", "”"), ('"', '"'))]
# A nickname inside a name: Liu W, “Grace” Guo W
_NICKNAME = re.compile(r"[“\"][^\W\d_][\w.-]*[”\"]\s+")
_ET_AL = re.compile(r"(?:,?\s*(?:et\s*al\.?|and\s+others|…|\.\.\.)\s*)$", re.IGNORECASE)

# Where the locator (year, volume, issue, pages) sits, per style; the text
# before it holds title and container.
_LOCATORS = [
    # Frontiers: "J Abbr. (2019) 27:573–7" / "(2022) 23(20):12196"
    re.compile(rf"\((?P<year>{YEAR})\)\s*(?P<volume>{_VOLUME})(?:\s*\((?P<issue>[^)]+)\))?(?:\s*:\s*(?P<pages>{_PAGE_LIST}))?"),
    # Vancouver/AMA: "2014;6(4):239-242" / "2019 Mar 5;21:132" / "2010;94:211–20"
    re.compile(rf"(?<![\w(])(?P<year>{YEAR})[a-z]?(?:\s+[A-Z][a-z]{{2,8}}\.?(?:\s+\d{{1,2}})?)?\s*;\s*(?P<volume>{_VOLUME})?"
               rf"(?:\s*\((?P<issue>[^)]+)\))?(?:\s*:\s*(?P<pages>{_PAGE_LIST}))?"),
    # ACM: "41, 1 (1998), 1--7" / Nature: "7, 13116 (2016)"
    re.compile(rf"(?<![\w(])(?P<volume>{_VOLUME}),\s*(?:(?P<issue>\w+)\s*)?\((?:[A-Z][a-z]+\.?\s+)?(?P<year>{YEAR})\)(?:,\s*(?P<pages>{_PAGE_LIST}))?"),
    re.compile(rf"(?<![\w(])(?P<volume>{_VOLUME}),\s*(?P<pages>{_PAGE_LIST})\s*\((?P<year>{YEAR})\)"),
    # Springer: "Org Geochem 23:329–341" / "28(9):1596–1605"
    re.compile(rf"(?<![\w(;:])(?<!;\s)(?P<volume>{_VOLUME})(?:\s*\((?P<issue>[^)]+)\))?\s*:\s*(?P<pages>{_PAGE_LIST})\s*[.,;]?\s*$"),
    # APA: "Journal, 27(6), 573–577" / "Journal, 3, 41–62"
    re.compile(rf",\s*(?P<volume>{_VOLUME})(?:\s*\((?P<issue>[^)]+)\))?(?:,\s*(?:pp?\.\s*)?(?P<pages>{_PAGE_LIST}))?\s*\.?\s*$"),
]
# AMA proceedings: "Proceedings of the 2019 IEEE Conf (ICSA); 2019:51-60; IEEE." / "; June 2018:1-4; IEEE."
# (the publisher, after any place, is optional: "EASE’08; 2008:68-77.")
_PROCEEDINGS_LOCATOR = re.compile(rf";\s*(?:[A-Z][a-z]{{2,8}}\.?\s+)?(?P<year>{YEAR})\s*:\s*(?P<pages>{_PAGE_LIST})"
                                  rf"(?:\s*;\s*(?:[^;,:]+[,:]\s*)?(?P<publisher>[^;,:]+?))?\s*\.?$")
_IEEE_PARTS = {
    "volume": re.compile(r"\b(?:vol\.|volume\b)\s*(\w+)", re.IGNORECASE),
    "issue": re.compile(r"\b(?:no\.|nr\.|issue\b|number\b)\s*(\w+)", re.IGNORECASE),
    "pages": re.compile(rf"\bpp?\.\s*({_PAGE_LIST})"),
}
_PUBLISHER = [
    # "Leicester: Publisher" / "Leicester (UK): Publisher; 2009"
    re.compile(r"(?:^|[.,]\s)[A-Z][\w .()/-]*?\s*:\s*(?P<publisher>[A-Z][^:;()]+?)\s*(?:[;,(.]|$)"),
    # AMA: "Springer; 2012" / "Elsevier; 2016:137-141"
    re.compile(rf"(?P<publisher>[A-Z][^.;:]+?)\s*;\s*(?:{YEAR})"),
]
# A sentence that says only where or when: "Online; 2020.", "2019.", "[Internet]."
_BARE_SENTENCE = re.compile(rf"(?:\[?(?:online|internet|web)\]?\s*[;,.]?\s*)?(?:{YEAR}[a-z]?)?\s*[.;,]?", re.IGNORECASE)
# AMA's date of an article not yet in an issue: "Published online January 5, 2026."
_PUBLISHED_ONLINE = re.compile(rf"\bPublished online(?:\s+[A-Z][a-z]+\.?)?(?:\s+\d{{1,2}},?)?\s+(?P<year>{YEAR})\b\.?")
_SENTENCE_END = re.compile(rf"(?<=[^\s.][.?!])\s+(?=[\"“‘'(\[]?(?:{_CAPITAL}|[0-9]))")  # "Ärztebl", "Čas"
_BOOK_HINT = re.compile(r"\b(?:ed(?:ition)?\.|eds?\.|Press|Publish\w*|Verlag|Springer|Wiley|Elsevier|Books?)\b")
_CONFERENCE_HINT = re.compile(r"\b(?:Proc|Proceedings|Conference|Conf|Symposium|Workshop|Congress|Meeting)\b", re.IGNORECASE)
_REPORT_HINT = re.compile(r"\b(?:Technical report|Tech\. Rep\.|Report|Working paper|White paper)\b", re.IGNORECASE)
_THESIS_HINT = re.compile(r"\b(?:thesis|dissertation)\b", re.IGNORECASE)


def parse_reference(raw: str) -> dict[str, Any]:
    """Citation fields read from one printed reference: authors (list of
    Name), et_al, title, container, year, volume, issue, pages, publisher,
    url, csl_type. Missing fields are empty; nothing is corrected."""
    fields: dict[str, Any] = {
        "authors": [], "et_al": False, "title": "", "container": "", "year": None, "volume": "",
        "issue": "", "pages": "", "publisher": "", "url": "", "csl_type": "article-journal",
    }
    text, italics = _strip_italics(squash(raw))
    fields["url"] = _first_url(text)
    body = _remove_links(text)
    if not body:
        fields["csl_type"] = "webpage" if fields["url"] else "article-journal"
        return fields
    authors_text, year, title, rest = _split_head(body)
    names, et_al = parse_authors(authors_text)
    fields.update(authors=names, et_al=et_al)
    fields["year"] = plausible_year(year)
    _read_body(fields, title, rest, italics)
    if fields["year"] is None:
        fields["year"] = _any_year(body)
    fields["csl_type"] = _csl_type(fields, body, text)
    return fields


def year_in(text: str | None) -> int | None:
    """The first plausible publication year written anywhere in `text` (a
    date field such as "2019/03/15/", "March 2019", "2019-03")."""
    for match in re.finditer(r"(?<!\d)(\d{4})(?!\d)", text or ""):
        if plausible_year(match.group(1)):
            return int(match.group(1))
    return None


def plausible_year(text: str | None) -> int | None:
    """The year `text` starts with when it could be a publication year
    (1500 to next year), else None: a page or article number is no year."""
    if not text or not text[:4].isdigit():
        return None
    year = int(text[:4])
    return year if 1500 <= year <= LATEST_YEAR else None


def identifiers_in(text: str) -> dict[str, str]:
    """PMID, PMCID, arXiv id and ISBN printed in a reference, by name."""
    found = {}
    for name, pattern in _IDENTIFIERS.items():
        m = pattern.search(text)
        if m:
            found[name] = m.group(1)
    return found


# --- markup and links -------------------------------------------------------

def _strip_italics(text: str) -> tuple[str, list[str]]:
    """The text without markdown emphasis markers, and the emphasised spans."""
    spans: list[str] = []

    def keep(m: re.Match[str]) -> str:
        spans.append(m.group(2).strip())
        return m.group(2)

    return _ITALIC.sub(keep, text), spans


def _first_url(text: str) -> str:
    """The first web address that is not a DOI link, without <> and end punctuation."""
    for m in _URL.finditer(text):
        url = m.group(0).strip("<>").rstrip(".,;)")
        if "doi.org/" not in url.lower():
            return url
    return ""


def _remove_links(text: str) -> str:
    """The reference without DOIs, URLs, identifiers and "Available at" phrases."""
    for found in reversed(find_dois(text)):
        text = text[: found.start] + text[found.end:]
    text = _URL.sub(" ", text)
    text = _LINK_WORDS.sub(" ", text)
    text = re.sub(r"\bdoi\s*:?\s*$", "", text.strip(), flags=re.IGNORECASE)
    text = re.sub(r"\(\s*\)|\[\s*\]", " ", text)
    text = re.sub(r"([.,;:])(?:\s+[.,;:])+", r"\1", squash(text))
    text = re.sub(r"\s+([.,;:])", r"\1", text)
    return text.strip(" ,;:")


# --- authors and year ---------------------------------------------------------

def _split_head(body: str) -> tuple[str, str, str, str]:
    """(authors text, year, title, rest) at the head of a reference; title is
    set only when quoted or placed by the style, year only when printed
    straight after the authors."""
    m = re.match(rf"^\((?P<year>{YEAR})[a-z]?\)\.?\s*(?P<rest>.*)$", body)
    if m:  # no authors: "(2023). Available online at ..."
        return "", m.group("year"), "", m.group("rest")
    m = re.match(rf"^(?P<authors>[^()]{{2,}}?),?\s*\((?P<year>{YEAR}[a-z]?|n\.\s?d\.)(?:,[^)]*)?\)[.,:]?\s*(?P<rest>.*)$", body)
    if m and _looks_like_authors(m.group("authors")):  # APA, Harvard, Springer
        return m.group("authors"), _digits(m.group("year")), "", m.group("rest")
    for quoted in _QUOTED_TITLES:  # IEEE and kin
        m = quoted.search(body)
        if m and _quoted_title_follows_authors(body[: m.start() + 1], m.group("title"),
                                               closed=bool(m.group("inner") or m.group("outer"))):
            return body[: m.start()].strip(" ,.:"), "", m.group("title").strip(), m.group("rest")
    m = re.match(rf"^(?P<authors>.+?)(?:,|(?<=\.))\s+(?P<year>{YEAR})[a-z]?\.\s+(?P<rest>.*)$", body)
    if m and _looks_like_authors(m.group("authors")):  # ACM: "Authors. 2019. Title."
        return m.group("authors"), m.group("year"), "", m.group("rest")
    for end in re.finditer(r"[.:](?:\s+|$)", body):  # Vancouver/AMA: "Rao S, Broadbear J. Title."
        candidate = body[: end.start()]
        goes_on = _LIST_GOES_ON.match(body, end.end())  # "Veenstra, T| D.; Johnson, K. L."
        if _looks_like_authors(candidate, vancouver=True) and not goes_on:
            return candidate, "", "", body[end.end():]
        if _is_organisation(candidate) and end.end() < len(body) and (
                not candidate.isupper() or _reads_as_title(body[end.end():])):  # "WHO. World report"
            return candidate, "", "", body[end.end():]
        if not _could_grow_into_authors(candidate):
            break
    return "", "", "", body


def _reads_as_title(text: str) -> bool:
    """Whether `text` starts like a title: a capitalised word, then another word."""
    return bool(re.match(rf"[\"“‘]?{_CAPITAL}[^\W\d_]*[\s:,-]+[\"“‘]?[^\W\d_]", text))


def _quoted_title_follows_authors(head: str, title: str, closed: bool) -> bool:
    """Whether a quoted `title` is the reference's title: three words or more
    after an author list (or nothing), or a shorter one straight after
    "Authors," and `closed` by a comma or full stop as IEEE prints it (a
    short quote elsewhere is a phrase or a nickname)."""
    authors = head.strip(" ,.:")
    if len(title.split()) >= 3:
        return not authors or _looks_like_authors(authors)
    return closed and head.rstrip().endswith(",") and bool(authors) and _looks_like_authors(authors)


def _digits(year: str) -> str:
    return year[:4] if year[:1].isdigit() else ""


def _could_grow_into_authors(text: str) -> bool:
    """Whether a full stop here may still sit inside the author list ("Jr.", "J. R.")."""
    last = text.rsplit(None, 1)[-1] if text.strip() else ""
    return bool(re.fullmatch(rf"(?:[A-Z][a-z]?|{_SUFFIX[:-3]}|al|[A-Z]\.[A-Z])", last.rstrip(".")))


def _looks_like_authors(text: str, vancouver: bool = False) -> bool:
    """Whether `text` reads as a list of personal names or one organisation."""
    text = _NICKNAME.sub("", text.strip())
    if not text or len(text) > 2000 or re.search(r"[?!\"“”]|\d{2}", text):
        return False
    core = _ET_AL.sub("", text).strip(" ,")
    if not core:
        return False
    parts = _split_name_list(core)
    with_initials = sum(1 for p in parts if _has_initials(p))
    if vancouver:
        if not all(_has_initials(p) or re.fullmatch(rf"{_CAPITAL}[\w'’-]+", p) for p in parts):
            return False
        if len(parts) > 1 and re.fullmatch(rf"(?:{_CAPITAL}(?:\.[\s-]*|[\s-]+))*{_CAPITAL}\.?", parts[-1]):
            return False  # "Lacroix, D., J. A" stops inside the name "J. A. Planell"
        return with_initials >= max(1, len(parts) - 1)
    if re.search(r",\s*(?:[A-Z][a-z]?\.\s?){1,4}", core) or with_initials == len(parts):
        return True
    inverted = re.fullmatch(r"[A-Z][\w'’ -]+,\s*[A-Z][\w'’-]+(?:\s+[A-Z]\.?)*\.?", core)  # "Kulik, Liat"
    return bool(inverted) or _is_organisation(core) or all(
        _is_full_name(p) or (_ORG_WORDS.search(p) and _is_organisation(p)) for p in parts)


def _has_initials(part: str) -> bool:
    return bool(_VANCOUVER_NAME.match(part) or _INITIALS_FIRST.match(part) or re.search(rf",\s*{_CAPITAL}", part))


def _is_full_name(part: str) -> bool:
    words = part.split()
    return 2 <= len(words) <= 4 and all(w[:1].isupper() or w.lower() in _PARTICLES for w in words)


def _is_organisation(text: str) -> bool:
    """A corporate author: capitalised words, an organisation word or an
    acronym ("WHO"; a shorter capitalised word is no organisation), no sentence."""
    words = text.split()
    if not words or len(words) > 14 or re.search(r"[.?!;]\s", text):
        return False
    if _ORG_WORDS.search(text):
        return True
    capitalised = [w for w in words if w[:1].isupper()]
    return len(words) == 1 and len(capitalised) == 1 and (len(text) > 3 or bool(re.fullmatch(r"[A-Z]{2,3}", text)))


def parse_authors(text: str) -> tuple[list[Name], bool]:
    """The names in a printed author list, and whether it ends in "et al."."""
    text = _NICKNAME.sub("", text).strip(" ,;")
    if not text.strip("."):
        return [], False
    et_al = bool(_ET_AL.search(text) or re.search(r"\bet\s*al\b|…|\.\.\.", text))
    core = re.sub(r",?\s*\bet\s*al\b\.?,?", "", _ET_AL.sub("", text)).strip(" ,")
    if _is_organisation(core.rstrip(".")) and not _has_initials(core) and not _is_mononym(core.rstrip(".")):
        return [Name(literal=core.rstrip("."))], et_al
    names = [_parse_name(part) for part in _split_name_list(core)]
    return [n for n in names if n.family or n.literal], et_al


def _is_mononym(text: str) -> bool:
    """One personal name printed alone ("Govindjee"): a single word, not an
    acronym (WHO) and no organisation word, so it is compared as a surname."""
    return (bool(re.fullmatch(_NAME_WORD, text)) and not text.isupper()
            and not _ORG_WORDS.search(text))


def _split_name_list(text: str) -> list[str]:
    """The names of an author list, whether written "Rao S, Broadbear J",
    "Rao, S., & Broadbear, J.", "S. Rao and J. Broadbear" or, with only the
    first name inverted (Chicago, MLA), "Rao, S., J. Broadbear, and K. Lee"
    or "Rao, Sanjay, and Jane Broadbear"; inverted names come back as
    "Family, Given". APA's "…" before the last author separates too."""
    text = re.sub(r"\s*(?:,\s*)?(?:&|\band\b|…|\.\.\.)\s*", ", ", text)
    names: list[str] = []
    for part in (p.strip() for p in re.split(r"\s*[,;]\s*", text)):
        if not part:
            continue
        if names and (re.fullmatch(_SUFFIX, part) or _is_given_of(names[-1], part, first=len(names) == 1)):
            names[-1] = f"{names[-1]}, {part}"
        else:
            names.append(part)
    return names


def _is_given_of(family: str, part: str, first: bool) -> bool:
    """Whether `part` holds the given names of `family`, a surname printed
    alone before it: initials after any surname ("Rao, S. J."), written-out
    given names only after the first one, the name a Chicago or MLA list
    inverts, when it is one word with particles ("van Berg, Sanjay M.")."""
    if not _is_bare_family(family):
        return False
    if _INITIALS_ONLY.fullmatch(part) or re.fullmatch(rf"(?:{_INITIAL}[\s-]*)*{_CAPITAL}", part):
        return True  # "S. J.", or "S. J" where a full stop ended the author list
    words = part.split()
    initials = [bool(_INITIALS_ONLY.fullmatch(w)) for w in words]
    if any(initials) and all(is_initial or w in _PARTICLES for w, is_initial in zip(words, initials)):
        return True  # "A. C. de A."
    surname = [w for w in family.split() if w.lower() not in _PARTICLES]
    return (first and len(surname) == 1 and len(words) <= 3
            and all(re.fullmatch(rf"{_CAPITAL}\.|{_CAPITAL}[\w'’‐-]+\.?", w) for w in words))


def _is_bare_family(part: str) -> bool:
    """A surname printed alone, waiting for its given names after a comma
    ("Rao" in "Rao, S.", "Abd. Rahman", "St. George"): no initials, no
    organisation word."""
    return (not _has_initials(re.sub(r"^Ste?\.\s+", "", part)) and not _ORG_WORDS.search(part) and len(part.split()) <= 4
            and bool(re.fullmatch(rf"{_NAME_WORD}\.?(?:\s+{_NAME_WORD}\.?)*", part)))


def _parse_name(part: str) -> Name:
    """One printed personal name (or organisation) as a Name."""
    part = part.strip(" ")
    if "," not in part:
        part = part.rstrip(".")
    suffix = ""
    m = re.search(rf",?\s+({_SUFFIX})$", part)
    if m and len(part) > len(m.group(0)) + 2:
        suffix, part = m.group(1).rstrip("."), part[: m.start()].strip()
    if "," in part:
        family, given = (s.strip() for s in part.split(",", 1))
        return Name(family=family, given=given, suffix=suffix)
    if _ORG_WORDS.search(part) or len(part.split()) > 5:
        return Name(literal=part)
    m = _VANCOUVER_NAME.match(part + ".")
    # "A. ALsakran M" is Vancouver (family "A. ALsakran"); "S. J. LI" is not
    if m and (not _INITIALS_FIRST.match(part) or re.search(rf"{_CAPITAL}[^\W\d_]+(?!\.)", m.group("family"))):
        return Name(family=m.group("family").strip(), given=m.group("given").strip(),
                    suffix=suffix or (m.group("suffix") or "").rstrip("."))
    m = _INITIALS_FIRST.match(part)
    if m:
        return Name(family=m.group("family").strip(), given=m.group("given").strip(), suffix=suffix)
    words = part.split()
    start = len(words) - 1
    while start > 0 and words[start - 1].lower() in _PARTICLES:
        start -= 1
    return Name(family=" ".join(words[start:]), given=" ".join(words[:start]), suffix=suffix)


# --- title, container, locator ------------------------------------------------

def _read_body(fields: dict[str, Any], title: str, rest: str, italics: list[str]) -> None:
    """Fill title, container, year and locator fields from the text after the authors."""
    rest = rest.strip(" .,")
    if not fields["year"]:
        m = re.match(rf"^(?P<year>{YEAR})[a-z]?[.,]\s+(?P<rest>.*)$", rest)
        year = plausible_year(m.group("year")) if m else None
        if year:
            fields["year"], rest = year, m.group("rest")
    online = _PUBLISHED_ONLINE.search(rest)
    if online:
        fields["year"] = fields["year"] or plausible_year(online.group("year"))
        rest = (rest[: online.start()] + rest[online.end():]).strip(" .,")
    italic = next((s for s in italics if s and s in rest and not re.fullmatch(r"[\d\s()]+", s)), "")
    if not title and italic and rest.startswith(italic):  # an italic title: a book
        fields["title"], after = italic.strip(" ."), rest[len(italic):]
        _read_publication(fields, after, book=True)
        return
    if not title and italic:
        index = rest.index(italic)
        fields["title"] = _clean_title(rest[:index])
        fields["container"] = italic.strip(" .,")
        _read_locator(fields, rest[index + len(italic):])
        return
    before = _read_locator(fields, rest)
    if title:
        fields["title"] = _clean_title(title)
        fields["container"] = _clean_container(before.split(", ")[0])
        if not fields["volume"] and not fields["pages"]:
            _read_publication(fields, before, book=False)
        return
    sentences = _sentences(before)
    located = bool(fields["volume"] or fields["pages"])
    if len(sentences) >= 2 and (located or not _read_publication(fields, sentences[-1], book=False)):
        container_start = _container_start(sentences)
        fields["title"] = _clean_title(" ".join(sentences[:container_start]))
        fields["container"] = _clean_container(" ".join(sentences[container_start:]))
    elif len(sentences) >= 2:
        fields["title"] = _clean_title(" ".join(sentences[:-1]) if len(sentences) <= 2 else sentences[0])
        if len(sentences) > 2:
            fields["container"] = _clean_container(" ".join(sentences[1:-1]))
    elif sentences:
        fields["title"] = _clean_title(sentences[0])


def _read_locator(fields: dict[str, Any], text: str) -> str:
    """Set year/volume/issue/pages from the first locator in `text`; return
    the text before it (title and container)."""
    text = text.strip()
    if _IEEE_PARTS["volume"].search(text) or _IEEE_PARTS["pages"].search(text):
        return _read_ieee_parts(fields, text)
    m = _proceedings_locator(text) or next(filter(None, (p.search(text) for p in _LOCATORS)), None)
    if not m:
        return _read_ieee_parts(fields, text)
    groups = m.groupdict()
    if not fields["year"]:
        fields["year"] = plausible_year(groups.get("year"))
    for key in ("volume", "issue", "pages", "publisher"):
        if groups.get(key) and not fields[key]:
            fields[key] = groups[key].strip()
    if not groups.get("volume") and not groups.get("pages"):
        _read_ieee_parts(fields, text[m.end():])
    return text[: m.start()].strip(" .,;")


def _proceedings_locator(text: str) -> re.Match[str] | None:
    """The AMA proceedings locator "; 2019:51-60; IEEE" at the end of `text`,
    when a publisher follows it or a conference name precedes it (after a
    book's "Springer; 2008:35-62" the publisher comes first, so it is no
    proceedings locator)."""
    m = _PROCEEDINGS_LOCATOR.search(text)
    if not m:
        return None
    before = _sentences(text[: m.start()])
    return m if m.group("publisher") or (before and _CONFERENCE_HINT.search(before[-1])) else None


def _read_ieee_parts(fields: dict[str, Any], text: str) -> str:
    """IEEE-style "vol. 5, no. 3, pp. 1–10, 2019": set what is there; return
    the text before the first of them. The year is sought outside the parts,
    so the first page is never taken for it."""
    cut = len(text)
    without_parts = text
    for key, pattern in _IEEE_PARTS.items():
        m = pattern.search(text)
        if m:
            fields[key] = fields[key] or m.group(1)
            cut = min(cut, m.start())
            without_parts = without_parts[: m.start()] + " " * (m.end() - m.start()) + without_parts[m.end():]
    if cut == len(text):
        return text
    fields["year"] = fields["year"] or _any_year(without_parts[cut:])
    return text[:cut].strip(" .,;")


def _read_publication(fields: dict[str, Any], text: str, book: bool) -> bool:
    """Read "Place: Publisher" or "Publisher; 2012" (with pages of a chapter);
    True when a publisher was found."""
    for pattern in _PUBLISHER:
        m = pattern.search(text)
        if m and not _CONFERENCE_HINT.match(m.group("publisher")):
            fields["publisher"] = m.group("publisher").strip(" .,")
            pages = re.search(rf"{YEAR}\s*:\s*({_PAGES})", text)
            if pages:
                fields["pages"] = pages.group(1)
            return True
    if book:
        tail = re.sub(rf"\(?\b{YEAR}\b\)?", "", text).strip(" .,;()")
        if tail and len(tail.split()) <= 8:
            fields["publisher"] = tail
    return False


def _sentences(text: str) -> list[str]:
    """`text` cut at sentence ends that lie outside brackets and quotes."""
    pieces, depth, start = [], 0, 0
    cuts = {m.start() for m in _SENTENCE_END.finditer(text)}
    for i, ch in enumerate(text):
        if ch in "([{“":
            depth += 1
        elif ch in ")]}”" and depth:
            depth -= 1
        elif i in cuts and depth == 0:
            pieces.append(text[start:i].strip())
            start = i
    pieces.append(text[start:].strip())
    return [p for p in pieces if p and not _BARE_SENTENCE.fullmatch(p)]


def _container_start(sentences: list[str]) -> int:
    """Index of the sentence where the container begins: the first one after
    the title that opens with "Proceedings" (a series may follow it), else the
    last sentence, extended backwards over abbreviated words ("N. Engl. J. Med.")."""
    proceedings = [i for i, s in enumerate(sentences) if i and re.match(r"(?:Proc\.|Proceedings)\s", s)]
    if proceedings:
        return proceedings[0]
    start = len(sentences) - 1
    while start > 1 and re.fullmatch(r"[A-Z][a-z]{0,6}\.?", sentences[start - 1]):
        start -= 1
    return start


def _clean_title(text: str) -> str:
    """The title without brackets of a translated title, quotes and end punctuation."""
    text = text.strip(" .,;:")
    if text.startswith("[") and text.endswith("]"):
        text = text[1:-1]
    if len(text) > 2 and text[0] in "\"“" and text[-1] in "\"”":
        text = text[1:-1]
    return text.strip(" .,")


def _clean_container(text: str) -> str:
    text = re.sub(r"^(?:in|In)\s*:?\s+", "", text.strip(" .,;:"))
    return text.strip(" .,;:")


def _any_year(text: str) -> int | None:
    """A year printed anywhere: in parentheses first, else the last one that
    is not a page ("pp. 1717", "1717–1720", ":1717") nor out of range."""
    m = re.search(rf"\((?:[^()]*\s)?({YEAR})[a-z]?\)", text)
    if m and plausible_year(m.group(1)):
        return int(m.group(1))
    text = re.sub(rf"\bpp?\.\s*{_PAGE_LIST}", " ", text)
    years = re.findall(rf"(?<![\w/.:–—‐-])({YEAR})[a-z]?(?![\w/–—‐-])", text)
    return next((int(y) for y in reversed(years) if plausible_year(y)), None)


def _csl_type(fields: dict[str, Any], body: str, text: str) -> str:
    """The CSL type the fields and wording of `body` (the reference without
    links) and `text` (with them) suggest."""
    container = fields["container"]
    if re.search(r"\barXiv\b", text) and not fields["volume"]:
        return "article"
    if _THESIS_HINT.search(body):
        return "thesis"
    if container and _CONFERENCE_HINT.search(container):
        return "paper-conference"
    if re.search(r"(?:^|[.,]\s)In\s*:?\s", body) and (fields["publisher"] or re.search(r"\beds?\.", body)):
        return "chapter"
    if container and fields["publisher"] and not fields["volume"]:
        return "chapter"
    if _REPORT_HINT.search(body) and not fields["volume"]:
        return "report"
    if container or fields["volume"]:
        return "article-journal"
    if fields["publisher"] or _BOOK_HINT.search(body):
        return "book"
    if fields["url"] or _LINK_WORDS.search(text):
        return "webpage"
    return "article-journal"
