"""From a labelled reference to Citation fields.

The labeller (a CRF) decides which tokens are authors, title, container,
date, volume, issue, pages, publisher, place and so on; this module reads
each field's value from the printed text under its tokens, keeping it as
printed apart from the words a field's label never holds ("pp.", "Vol.",
"In:", quotes around a title), and gives the reference a CSL type. DOIs and
identifiers are left to `refkit.doi` and `links`.
"""

from __future__ import annotations

import os
import re
from functools import lru_cache
from typing import Any

from refkit.model import squash
from refkit.refparse.labeller import label_tokens
from refkit.refparse.links import first_url
from refkit.refparse.people import read_people
from refkit.refparse.rules import corrected
from refkit.refparse.tokens import Token, tokenize, without_emphasis
from refkit.refparse.years import YEAR, plausible_year, year_in

# the longest reference read (REFKIT_MAX_REFERENCE_CHARS): a 100-author
# reference is ~2,500 characters; a megabyte "reference" would cost the
# labeller gigabytes
MAX_REFERENCE_CHARS = int(os.environ.get("REFKIT_MAX_REFERENCE_CHARS", "5000"))
_PARSES_KEPT = 4096  # parsed references kept by their text (a few MB)
_ET_AL = re.compile(r"\bet\.?\s*al\b|\band\s+others\b|…|\.\.\.", re.IGNORECASE)
_LEAD_WORDS = {
    "volume": re.compile(r"^(?:vols?|volume|v|bd|t)\b\.?\s*", re.IGNORECASE),
    "issue": re.compile(r"^(?:no|nos|nr|issue|iss|number|heft)\b\.?\s*", re.IGNORECASE),
    "pages": re.compile(r"^(?:pp|p|pages?|pg|s)\b\.?\s*", re.IGNORECASE),
    "container": re.compile(r"^(?:in)\b\s*:?\s*", re.IGNORECASE),
}
_CONFERENCE_HINT = re.compile(r"\b(?:Proc|Proceedings|Conference|Conf|Symposium|Workshop|Congress|Meeting)\b",
                              re.IGNORECASE)
_REPORT_HINT = re.compile(r"\b(?:Technical report|Tech\. Rep\.|Report|Working paper|White paper)\b", re.IGNORECASE)
_THESIS_HINT = re.compile(r"\b(?:thesis|dissertation)\b", re.IGNORECASE)
_BOOK_HINT = re.compile(r"\b(?:ed(?:ition)?\.|eds?\.|Press|Publish\w*|Verlag|Springer|Wiley|Elsevier|Books?)\b")
_LINK_WORDS = re.compile(r"\b(?:available|online|accessed|retrieved|url|internet|cited)\b", re.IGNORECASE)
_PAREN_YEAR = re.compile(rf"\((?:[^()]*\s)?({YEAR})[a-z]?\)")
_UNCLOSED = re.compile(r"\s*[(\[][^)\]]*$")  # "Society (UK" cut before its ")"
_LOOSE_YEAR = re.compile(rf"(?<![\w/.:–—‐-])({YEAR})[a-z]?(?![\w/–—‐-])")
_ARXIV = re.compile(r"\barXiv\b", re.IGNORECASE)


def parse_reference(raw: str) -> dict[str, Any]:
    """Citation fields read from one printed reference: authors and editors
    (lists of Name), et_al, title, container, year, volume, issue, pages, publisher,
    url, csl_type. Missing fields are empty; nothing is corrected. Only the
    first MAX_REFERENCE_CHARS are read: the labeller's memory grows with a
    reference's length, and no real reference is that long. The result is
    the caller's own (a repeated reference is read once, then copied)."""
    fields = _parsed(raw[:MAX_REFERENCE_CHARS])
    return {**fields, "authors": list(fields["authors"]), "editors": list(fields["editors"])}


@lru_cache(maxsize=_PARSES_KEPT)
def _parsed(read: str) -> dict[str, Any]:
    """The fields of the text read of one reference, kept for the lists that
    print one reference twice or merge two lists (Names are immutable, the
    lists of names are copied by parse_reference)."""
    text, emphasised = without_emphasis(squash(read))
    tokens = tokenize(text, emphasised)
    return read_fields(text, tokens, label_tokens(tokens))


def read_fields(text: str, tokens: list[Token], labels: list[str]) -> dict[str, Any]:
    """The Citation fields of `text`, whose `tokens` carry `labels`."""
    fields: dict[str, Any] = {
        "authors": [], "et_al": False, "editors": [], "title": "", "container": "", "year": None, "volume": "",
        "issue": "", "pages": "", "publisher": "", "url": first_url(text), "csl_type": "article-journal",
    }
    runs = corrected(text, _runs(tokens, labels))
    values = {label: _value(text, label, start, end) for label, start, end in reversed(runs)}  # first run wins
    fields["authors"], et_al, fields["editors"] = read_people(text, runs)
    fields["et_al"] = et_al or _et_al_follows(text, runs)
    fields["title"] = values.get("title", "")
    fields["container"] = values.get("container", "")
    fields["year"] = year_in(values.get("date")) or _any_year(text)
    for key in ("volume", "issue", "pages"):
        fields[key] = values.get(key, "")
    fields["publisher"] = values.get("publisher") or values.get("institution", "")
    fields["csl_type"] = _csl_type(fields, values, text)
    return fields


def _runs(tokens: list[Token], labels: list[str]) -> list[tuple[str, int, int]]:
    """The fields as (label, first character, end character), in order."""
    runs: list[tuple[str, int, int]] = []
    last = -1  # index of the token that ended the last run
    for index, (token, label) in enumerate(zip(tokens, labels)):
        if label == "O" or token.link:
            continue
        # a token right after the run goes on with it: most do, and are spared the call
        if runs and runs[-1][0] == label and (index == last + 1 or _joined(tokens, last + 1, index)):
            runs[-1] = (label, runs[-1][1], token.end)
        else:
            runs.append((label, token.start, token.end))
        last = index
    return runs


def _joined(tokens: list[Token], start: int, end: int) -> bool:
    """Whether the tokens from `start` to `end`, between two same-label
    stretches, are at most one piece of punctuation: one field, not two."""
    return end == start or (end == start + 1 and not tokens[start].text[0].isalnum())


def _value(text: str, label: str, start: int, end: int) -> str:
    """A field's printed value, without its label words and the quotes or
    brackets around it."""
    value = text[start:end].strip(" ,;:")
    lead = _LEAD_WORDS.get(label)
    if lead:
        value = lead.sub("", value)
    if label in ("title", "container"):
        value = _unwrapped(value)
    if label == "issue":
        value = value.strip("()")
    if "(" in value or "[" in value:  # what _UNCLOSED needs: most values are spared the search
        value = _UNCLOSED.sub("", value)
    value = value.lstrip(")] ")
    if value.endswith((")", "]")) and "(" not in value and "[" not in value:  # "review]": opened before the field
        value = value[:-1]
    return value.strip(" ,;:")


def _unwrapped(text: str) -> str:
    """The title without brackets of a translated title and quotes."""
    for opening, closing in ("[]", "“”", '""', "‘’", "«»"):
        if len(text) > 2 and text[0] == opening and text[-1] == closing and closing not in text[1:-1]:
            return text[1:-1].strip(" ,.")
    return text


def _et_al_follows(text: str, runs: list[tuple[str, int, int]]) -> bool:
    """Whether "et al." stands right after the author list."""
    authors = [end for label, _, end in runs if label == "author"]
    if not authors:
        return False
    following = next((start for _, start, _ in runs if start >= authors[-1]), len(text))
    return bool(_ET_AL.search(text, authors[-1], following))


def _any_year(text: str) -> int | None:
    """A year printed anywhere when no date field was labelled: in
    parentheses first, else the last four digits that could be one."""
    m = _PAREN_YEAR.search(text)
    if m and plausible_year(m.group(1)):
        return int(m.group(1))
    return next((int(y) for y in reversed(_LOOSE_YEAR.findall(text)) if plausible_year(y)), None)


def _may_hold(text: str, words: tuple[str, ...]) -> bool:
    """A cheap test that spares most references a search for `words`
    ignoring case. Beyond ASCII that search reads "ı" as "i" and "ſ" as
    "s", so it is always made there."""
    if not text.isascii():
        return True
    lower = text.lower()
    return any(word in lower for word in words)


def _csl_type(fields: dict[str, Any], values: dict[str, str], text: str) -> str:
    """The CSL type the labelled fields and the wording suggest."""
    container = fields["container"]
    # the cheap tests first: a search of the whole text costs more than all the rest
    if not fields["volume"] and _ARXIV.search(text):
        return "article"
    if _may_hold(text, ("thesis", "dissertation")) and _THESIS_HINT.search(text):
        return "thesis"
    if container and _CONFERENCE_HINT.search(container):
        return "paper-conference"
    if container and ("editor" in values or fields["publisher"]) and not fields["volume"]:
        return "chapter"
    if not fields["volume"] and _REPORT_HINT.search(text):
        return "report"
    if container or fields["volume"]:
        return "article-journal"
    if fields["publisher"] or _BOOK_HINT.search(text):
        return "book"
    if fields["url"] or _LINK_WORDS.search(text):
        return "webpage"
    return "article-journal"
