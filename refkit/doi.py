"""Find, clean, normalise and validate DOIs in any text.

A DOI is kept in three forms: as *printed* (the exact characters of the
document, prefix included), *cleaned* (prefixes, %-encoding and trailing
punctuation removed, case kept: what refkit reports and writes), and
*normalised* (cleaned and lower-cased: what refkit compares, since DOIs are
case-insensitive).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote, unquote

# A DOI: "10." + registrant code (4-9 digits, optionally dotted sub-codes) + "/" + suffix.
_DOI_CORE = r"10\.\d{4,9}(?:\.\d+)*/\S+"
_PREFIX = r"(?:(?:https?://)?(?:dx\.|www\.)?doi\.org/|doi\s*[:=]\s*|info:doi/|urn:doi:)"
_FIND_RE = re.compile(rf"(?P<prefix>(?:{_PREFIX})*)(?P<doi>{_DOI_CORE})", re.IGNORECASE)
_CORE_RE = re.compile(_DOI_CORE)
_PREFIX_AT_END = re.compile(rf"{_PREFIX}\Z", re.IGNORECASE)
_LONGEST_PREFIX = 32  # "https://dx.doi.org/" and "doi = " with room for spaces
# "doi:" (or a doi.org URL) followed by something that is not a DOI: a malformed DOI.
_MARKER_RE = re.compile(rf"(?:{_PREFIX})+(?P<rest>\S+)", re.IGNORECASE)
_VALID_RE = re.compile(r"^10\.\d{4,9}(?:\.\d+)*/[^\s]+$")
_EMBEDDED_START = re.compile(r"10\.\d{4,9}/")
_TRAILING = ".,;:'\"’”>]}*_"
# A DOI cannot end with these; when one does, it was split (line break, stray space).
_OPEN_ENDINGS = tuple("/.-_(")


@dataclass(frozen=True)
class FoundDOI:
    """A DOI found in text: `printed` as it stands there, `doi` cleaned.

    `valid` is False for text that a "doi:" marker or doi.org URL introduces
    but that is not a syntactically valid DOI (RK101). `joined` is the DOI
    with the piece after a space rejoined when that piece could be its rest
    ("10.1021/jf03 0345", as a PDF's text may hold it), `joined_printed` the
    text it comes from: a candidate for the resolver to check, never taken
    unchecked, since the piece may as well be the next word.
    """

    printed: str
    doi: str
    start: int
    end: int
    valid: bool = True
    joined: str | None = None
    joined_printed: str | None = None


def strip_trailing(doi: str) -> str:
    """Drop trailing punctuation that belongs to the sentence, not the DOI.

    A closing parenthesis stays when the DOI opened one: 10.1016/S0140-6736(21)00476-1.
    """
    while doi:
        last = doi[-1]
        if last in _TRAILING:
            doi = doi[:-1]
        elif last == ")" and doi.count("(") < doi.count(")"):
            doi = doi[:-1]
        else:
            break
    return doi


def clean(text: str) -> str | None:
    """The cleaned DOI in `text` (a bare DOI, doi:…, a doi.org URL, %-encoded,
    doubled prefixes, markup around it), case kept; None when there is none."""
    return next((found.doi for found in find_dois(text.strip()) if found.valid), None)


def whole(printed: str | None) -> str | None:
    """The cleaned DOI of a field meant to hold one DOI, when that is all it
    holds (apart from a doi:/URL prefix and punctuation around it); None
    otherwise, so "10.1000/x y" is reported malformed, not cut to 10.1000/x."""
    found = find_dois(printed or "")
    if len(found) != 1 or not found[0].valid:
        return None
    leftover = printed[: found[0].start] + printed[found[0].end:]
    words = re.sub(r"\b(?:doi|url)\b", "", leftover, flags=re.IGNORECASE)
    return None if re.search(r"\w", words) else found[0].doi


# A DOI with nothing to clean (no prefix, markup, escapes or trailing
# punctuation): most of them, normalised without the full search.
_PLAIN_RE = re.compile(r"10\.\d{4,9}(?:\.\d+)*/[A-Za-z0-9][A-Za-z0-9._/()-]*[A-Za-z0-9]")


def normalize(doi: str) -> str:
    """The comparison form of a DOI: cleaned and lower-cased."""
    if _PLAIN_RE.fullmatch(doi):
        return doi.lower()
    cleaned = clean(doi)
    return (cleaned or doi.strip()).lower()


def is_valid(doi: str) -> bool:
    """Whether `doi` (cleaned) is a syntactically valid DOI."""
    return bool(_VALID_RE.match(doi)) and len(doi) <= 300 and doi.isprintable()


def find_dois(text: str) -> list[FoundDOI]:
    """Every DOI in `text`, in order, including ones split across a line
    break or by a stray space, and malformed ones introduced by "doi:"."""
    found: list[FoundDOI] = []
    decoded = _decode_percent_dois(text)
    pos = 0
    while m := _CORE_RE.search(decoded, pos):
        joined, end = _extend_split(decoded, _cut_at_foreign_text(m.group(0)), m.start())
        doi = strip_trailing(joined)
        end -= len(joined) - len(doi)
        value = _without_web_debris(doi)
        start = _prefix_start(decoded, m.start(), pos)
        rest = _split_rest(decoded, value, end)
        found.append(FoundDOI(decoded[start:end], value, start, end, is_valid(value),
                              value + rest.group(1) if rest else None,
                              decoded[start:rest.end(1)] if rest else None))
        pos = max(end, m.start() + 1)
    valid_spans, at = [(f.start, f.end) for f in found], 0  # in order of start, not overlapping
    for m in _MARKER_RE.finditer(decoded):
        while at < len(valid_spans) and valid_spans[at][1] <= m.start():
            at += 1
        if at < len(valid_spans) and valid_spans[at][0] <= m.start():
            continue  # inside a DOI found above
        rest = strip_trailing(m.group("rest"))
        if rest and _looks_like_attempted_doi(rest):
            found.append(FoundDOI(m.group(0), rest, m.start(), m.end(), False))
    found.sort(key=lambda f: f.start)
    return found


# Where a DOI matched as "non-space" really ends: a quote or a tag of the
# surrounding HTML (but SICI DOIs hold <…::…>), a comma before the next DOI or
# an identifier's name (",arXiv"; a DOI may hold ",doi" itself), a PMID/PMCID or link label run into it (".PMID:28278147",
# "[PubMed]"), or a URL's query string (?via=ihub, #page=3).
_FOREIGN = re.compile(r'["\']|<(?!\d*::)|,(?=\s*(?:doi\s*[:=]|https?://|10\.\d{4,9}/|(?i:arxiv|pmid|pmcid|epub|issn|isbn|available)\b))'
                      r'|[?#](?=[A-Za-z_]+=)|[.;,]?(?:PMID|PMCID|PMC\d)|\.?\[?(?:PubMed|Google Scholar|CrossRef)\b')
_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")


def _prefix_start(text: str, doi_start: int, floor: int) -> int:
    """Where the prefixes before a DOI ("doi:", "https://doi.org/", doubled
    ones) begin; each is looked for in a short window before it, so a long
    line costs linear time."""
    start = doi_start
    while start > floor and (m := _PREFIX_AT_END.search(text, max(floor, start - _LONGEST_PREFIX), start)):
        start = m.start()
    return start


def _cut_at_foreign_text(doi: str) -> str:
    """`doi` up to where the text around it begins (see _FOREIGN); a ">"
    ends it too unless a "<" of a SICI DOI opened before it."""
    m = _FOREIGN.search(doi)
    doi = doi[: m.start()] if m else doi
    close = doi.find(">")
    return doi[:close] if close >= 0 and "<" not in doi[:close] else doi


def _without_web_debris(doi: str) -> str:
    """Zero-width and soft-hyphen characters pasted from web pages removed,
    %-escapes decoded (…/doi/10.1002/%28SICI%29…)."""
    doi = _ZERO_WIDTH.sub("", doi)
    return unquote(doi) if re.search(r"%[0-9A-Fa-f]{2}", doi) else doi


def _decode_percent_dois(text: str) -> str:
    """Decode %-escapes inside doi.org URLs so 10.1000%2Fabc is found."""
    if "%" not in text:
        return text
    return re.sub(r"10\.\d{4,9}%2[Ff]\S+", lambda m: unquote(m.group(0)), text)


_GAP = re.compile(r"[ \t]*\n?[ \t]*")
_WORD = re.compile(r"\S+")


def _extend_split(text: str, doi: str, doi_start: int) -> tuple[str, int]:
    """Rejoin a DOI that a line break or stray space cut in two.

    Joined only when the first part cannot end a DOI (it ends in / . - _ or an
    unclosed parenthesis) or the next part starts with a DOI-only joiner
    (-, ., _) directly followed by a letter or digit; never when the next part
    is a list label ("6.", "[7]") or a capitalised word after a full stop.
    """
    end = doi_start + len(doi)
    while True:
        gap = _GAP.match(text, end)  # matched in place: slicing the rest of a long text per DOI is quadratic
        if gap.end() == end:
            return doi, end
        after = gap.end()
        nxt = _WORD.match(text, after)
        if not nxt:
            return doi, end
        piece = nxt.group(0)
        if not _continues(doi, piece):
            return doi, end
        doi, end = doi + piece, after + len(piece)


def _continues(doi: str, piece: str) -> bool:
    """Whether `piece`, after white space, is the rest of the split `doi`."""
    if _FIND_RE.match(piece) or re.match(r"\[?\d{1,3}[.)\]]$", piece):
        return False
    if re.match(r"[-._][A-Za-z0-9]", piece):
        return True
    if doi.endswith(".") and re.match(r"[A-Z][a-z]", piece):
        return False
    opens = doi.endswith(_OPEN_ENDINGS) or doi.count("(") > doi.count(")")
    return opens and re.match(r"[\w(]", piece) is not None


# After a DOI: one space or line break, then a piece of DOI characters that
# holds a digit and ends the sentence or the text ("0345", "0345.").
_SPLIT_REST = re.compile(r"(?:[ \t]{1,2}\n?|\n)[ \t]*([A-Za-z0-9](?:[A-Za-z0-9._/-]*[A-Za-z0-9])?)(?=[.,;]?(?:\s|$))")


def _split_rest(text: str, doi: str, end: int) -> re.Match[str] | None:
    """The piece after `doi` (ending at `end`) that may be its rest, cut off
    by a stray space: made of DOI characters, holding a digit, neither a
    list label ("12.") nor another DOI or link."""
    if not doi[-1:].isalnum() or not is_valid(doi):
        return None
    m = _SPLIT_REST.match(text, end)
    if m is None or not re.search(r"\d", m.group(1)) or _is_next_item(m.group(1), text[m.end(1):m.end(1) + 1]):
        return None
    return m


def _is_next_item(piece: str, after: str) -> bool:
    """A piece that starts something else: a DOI, or a list label such as "12."."""
    return bool(_EMBEDDED_START.match(piece)) or (after == "." and piece.isdigit() and len(piece) <= 3)


def _looks_like_attempted_doi(text: str) -> bool:
    """Text after a doi: marker that was meant as a DOI (starts with 10 or a digit)."""
    return bool(re.match(r"1\d?[.,]?\d", text)) or text.lower().startswith("10")


def split_concatenated(doi: str) -> list[str]:
    """The DOIs inside a string where two (or the same one twice) run together,
    e.g. "10.1000/abc10.1000/abc" -> ["10.1000/abc", "10.1000/abc"]; [doi] otherwise."""
    starts = [m.start() for m in _EMBEDDED_START.finditer(doi)]
    if len(starts) < 2:
        return [doi]
    bounds = starts + [len(doi)]
    return [strip_trailing(doi[a:b]) for a, b in zip(bounds, bounds[1:])]


def doi_url(doi: str) -> str:
    """The canonical https://doi.org/ link for a cleaned DOI, with the
    characters URLs cannot hold (<, >, #, ?, spaces, non-ASCII) %-encoded,
    as doi.org expects (SICI DOIs hold < and >)."""
    return "https://doi.org/" + quote(doi, safe="/:;()[]-._~!$&'*+,=@")
