"""Update notices — corrections, errata, retraction notices, expressions of
concern — told apart from the works they are about.

Crossref registers a notice as a work of its own, usually with `update-to`
naming what it updates, and titles it after that work: "Correction:
<title>", "Erratum to: …", "Corrigendum to “…” [Journal 12 (2019) 1–10]",
"Retraction notice to …", "Expression of concern: …", or just "Erratum".
A reference may cite such a notice itself (then its DOI is the right one),
or cite the article while printing the notice's DOI (then the DOI names
another work, RK104, and the article is the likely fix). What decides is
whether the reference names a notice: its title, or the text just before
its title, begins with a notice's words.
"""

from __future__ import annotations

import re
from typing import Any

from rapidfuzz import fuzz

from refkit import codes
from refkit.model import Citation, Finding, Work
from refkit.resolving.match import MatchScore, fold, title_similarity

_QUOTE = "\"'“”‘’«»„‚`"
# Phrases that only a notice starts with, whatever follows them.
_PHRASE = (r"(?:editorial\s+)?expressions?\s+of\s+concern|notice\s+of\s+(?:retraction|concern|correction)"
           r"|statement\s+of\s+retraction|(?:retraction|correction|erratum|withdrawal)\s+(?:notice|note)"
           r"|(?:author|publisher)(?:'?s)?\s+(?:correction|erratum)")
# Words that start a notice only when a separator, "to" or the quoted title
# follows ("Correction: …", "Erratum to …", "Corrigendum to “…”", a bare
# "Erratum"), since "Correction of hallux valgus" is an article.
_WORD = (r"correction|corrigend(?:um|a)|errat(?:um|a)|addend(?:um|a)|retraction|withdrawal|clarification"
         r"|(?:publisher|editor)(?:'?s)?\s+note")
# A retracted or withdrawn article re-titled by its publisher ("RETRACTED:
# <title>") is the article itself; with `update-to` another work it is a notice.
_MARKED = r"(?:retracted|withdrawn)(?:\s+article)?"
_QUOTES = f"[{_QUOTE}]"
_TAIL = rf"(?=\s*(?:[:.\[(]|{_QUOTES}|$)|\s+[-–—]\s|\s+to\b|\s+(?:for|of|on|regarding)\s*(?::|{_QUOTES}))"
_LEAD = rf"(?:(?P<phrase>{_PHRASE})|(?P<word>{_WORD}){_TAIL}|(?P<marked>{_MARKED}){_TAIL})"
_TITLE_LEAD = re.compile(rf"^[\s{_QUOTE}(\[]*{_LEAD}", re.IGNORECASE)
_LEAD_BEFORE = re.compile(rf"(?:^|[.;,)\]]\s*|\s|{_QUOTES})[{_QUOTE}]?{_LEAD}"
                          rf"(?:\s+(?:to|for|of|on|regarding))?\s*[:.\-–—]?\s*{_QUOTES}?\s*$", re.IGNORECASE)
_LEAD_IN_TEXT = re.compile(rf"(?:^|[.;]\s+|{_QUOTES}){_LEAD}", re.IGNORECASE)
# Pieces of the words every notice's lead holds (see _PHRASE, _WORD, _MARKED):
# lower-cased text holding none cannot match _LEAD, so the slow searches for
# it are skipped. None has an i, s or k, which re.IGNORECASE also matches to
# characters (ı İ ſ K) that str.lower keeps apart from them.
_LEAD_PIECES = ("corr", "errat", "addend", "retract", "thdraw", "clar", "concern", "note")
_CITED_AFTER = re.compile(rf"^[\s:.\-–—]*(?:(?:to|for|of|on|regarding)\b)?[\s:]*{_QUOTES}?", re.IGNORECASE)
_CITATION_AT_END = re.compile(r"\s*\[[^\]]*\]\s*$")  # "[Journal 12 (2019) 1–10]"
# Kinds of `update-to` that make a work another version of the article, not a notice about it.
_VERSIONS = ("new_version", "new_edition")
_SUBJECT_CLOSE = 0.8


def lead_kind(title: str) -> str | None:
    """"notice" when `title` begins as a notice's does, "marked" for a
    "Retracted:"/"Withdrawn:" mark, None for any other title."""
    m = _TITLE_LEAD.match(title or "")
    if m is None:
        return None
    return "marked" if m.group("marked") else "notice"


def cited_lead(citation: Citation) -> str | None:
    """How the reference names a notice (as `lead_kind`): by its title, by
    the printed text right before its title (a parser may leave "Corrigendum
    to" out of the title), or, with no title read, by a sentence of the
    reference that begins with a notice's words."""
    title = citation.title or ""
    kind = lead_kind(title)
    if kind or not citation.raw:
        return kind
    if not title:
        text, lead = citation.raw, _LEAD_IN_TEXT
    else:
        at = citation.raw.lower().find(title[:40].lower())
        text, lead = citation.raw[max(0, at - 80):max(0, at)], _LEAD_BEFORE
    lower = text.lower()
    m = lead.search(text) if any(piece in lower for piece in _LEAD_PIECES) else None
    return None if m is None else "marked" if m.group("marked") else "notice"


def subject(title: str) -> str:
    """What a notice's title says it is about: the title without the notice's
    words, quotes and a trailing bracketed citation ("" for a bare "Erratum")."""
    m = _TITLE_LEAD.match(title or "")
    if m is None:
        return (title or "").strip()
    rest = _CITED_AFTER.sub("", title[m.end():], count=1)
    return _CITATION_AT_END.sub("", rest).strip().strip(_QUOTE + " .").strip()


def updated_works(work: Work) -> list[dict[str, Any]]:
    """The `update-to` entries naming another work (not a new version of this one)."""
    return [u for u in _updates(work, "update-to")
            if str(u["DOI"]).lower() != (work.doi or "").lower()
            and str(u.get("type", "")).lower() not in _VERSIONS]


def _updates(work: Work, key: str) -> list[dict[str, Any]]:
    entries = (work.raw or {}).get(key) or work.data.get(key) or []
    return [u for u in entries if isinstance(u, dict) and u.get("DOI")]


def is_own_new_version(work: Work, update: dict[str, Any]) -> bool:
    """An `updated-by` entry naming the work itself as its new version (a
    publisher's re-deposit, as PLOS makes): nothing for a reader to act on."""
    return (str(update.get("DOI", "")).lower() == (work.doi or "").lower()
            and str(update.get("type", "")).lower() in _VERSIONS)


def is_notice(work: Work) -> bool:
    """Whether the record is a notice about another work: titled as one, or
    updating another work (`update-to`)."""
    return lead_kind(work.title) == "notice" or bool(updated_works(work))


def is_update_notice(citation: Citation, work: Work) -> bool:
    """Whether `work` is a notice about another work while the reference
    cites an article, not a notice: its DOI was printed for the article."""
    if cited_lead(citation):
        return False
    kind = lead_kind(work.title)
    if kind == "notice":
        return True
    # A record updating another under a title of its own (JAMA's "Error in
    # Figure 2") or a "Retracted:" mark is a notice; one carrying the cited
    # title itself is a re-issue of the cited article.
    return bool(updated_works(work)) and (kind == "marked" or title_similarity(citation, work) < _SUBJECT_CLOSE)


def is_article_of_cited_notice(citation: Citation, work: Work) -> bool:
    """Whether the reference names a notice ("Correction: …", "Retracted: …")
    while its DOI names the article that notice is about (which lists it in
    `updated-by`)."""
    kind = cited_lead(citation)
    # "Retracted: <title>" names the notice unless the record itself bears that mark.
    names_notice = kind == "notice" or (kind == "marked" and lead_kind(work.title) != "marked")
    return names_notice and not is_notice(work) and bool(_updates(work, "updated-by"))


def other_side(citation: Citation, work: Work) -> bool:
    """Whether `work` is the other side of a notice from what the reference
    cites: a notice, for a reference to an article, or the article, for a
    reference to one of its notices."""
    return is_update_notice(citation, work) or is_article_of_cited_notice(citation, work)


def cited_as_itself(citation: Citation, work: Work, match: MatchScore) -> bool:
    """Whether a reference that names a notice cites this notice: what the
    two notices are about agrees, or, for a bare "Erratum" that names
    nothing, two of year, journal, volume and first page agree and none of
    year, volume and page differs (the printed DOI being evidence too)."""
    if not (cited_lead(citation) and is_notice(work)):
        return False
    if any(getattr(match, name) == "differs" for name in ("year", "volume", "page")):
        return False
    cited, registered = subject(citation.title), subject(work.title)
    if cited and registered:
        return fuzz.ratio(fold(cited), fold(registered)) / 100 >= _SUBJECT_CLOSE
    agreeing = [name for name in ("year", "container", "volume", "page") if getattr(match, name) in ("match", "near")]
    return len(agreeing) >= 2


def consistent(citation: Citation, work: Work, match: MatchScore) -> bool:
    """The bar for a record a printed DOI (or an edit of it) names: the
    score's own, or a notice cited as itself."""
    return match.plausible or cited_as_itself(citation, work, match)


def related_dois(citation: Citation, work: Work | None) -> list[str]:
    """Where the cited work likely is when the printed DOI names the other
    side of a notice: the works a notice updates, when it was printed for an
    article; the notices about an article, when the reference names a notice."""
    if work is None:
        return []
    if is_article_of_cited_notice(citation, work):
        return [str(u["DOI"]) for u in _updates(work, "updated-by")]
    return [str(u["DOI"]) for u in updated_works(work)] if not cited_lead(citation) else []


def notice_findings(citation: Citation, work: Work) -> list[Finding]:
    """RK301 (info) on a notice cited as itself: which work it corrects,
    retracts or expresses concern about, from its `update-to`."""
    found = []
    for update in updated_works(work):
        kind = str(update.get("type") or update.get("label") or "update").lower().replace("_", " ")
        found.append(Finding(codes.WORK_UPDATED, f"the cited work is a notice ({kind}) about {update['DOI']}",
                             source=citation.source, severity=codes.Severity.INFO,
                             registered=str(update["DOI"]), evidence={"update_to": update}))
    return found
