"""From a labelled reference to Citation fields.

The labeller (a CRF) decides which tokens are authors, title, container,
date, volume, issue, pages, publisher, place and so on; this module reads
each field's value from the printed text under its tokens, keeping it as
printed apart from the words a field's label never holds ("pp.", "Vol.",
"In:", quotes around a title), and gives the reference a CSL type. DOIs and
identifiers are left to `refkit.doi` and `links`.
"""

from __future__ import annotations

import re
from typing import Any

from refkit.model import squash
from refkit.refparse.labeller import label_tokens
from refkit.refparse.links import first_url
from refkit.refparse.names import parse_authors
from refkit.refparse.tokens import Token, tokenize, without_emphasis
from refkit.refparse.years import YEAR, plausible_year, year_in

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
_VANCOUVER_LIST = re.compile(r"(?:[^\W\d_][\w'’-]*(?: [^\W\d_][\w'’-]*)* [A-Z]{1,4}(?: Jr)?, )*"
                             r"[^\W\d_][\w'’-]*(?: [^\W\d_][\w'’-]*)* [A-Z]{1,4}(?: Jr)?\. ")
_SENTENCE_BREAK = re.compile(r"(?<=[^\s.][.?!]) (?=[^\W\d_])")  # not after an initial's full stop
_ABBREVIATED = re.compile(r"[A-Z][a-z]{0,6}\.")  # one abbreviated word of a journal: "Appl."
_SENTENCE_WORD = re.compile(r"\b[a-z]{2,}\b(?!\.)")  # a word only a sentence has: "and", "in", "of"
_LOOSE_YEAR = re.compile(rf"(?<![\w/.:–—‐-])({YEAR})[a-z]?(?![\w/–—‐-])")


def parse_reference(raw: str) -> dict[str, Any]:
    """Citation fields read from one printed reference: authors (list of
    Name), et_al, title, container, year, volume, issue, pages, publisher,
    url, csl_type. Missing fields are empty; nothing is corrected."""
    text, emphasised = without_emphasis(squash(raw))
    tokens = tokenize(text, emphasised)
    return read_fields(text, tokens, label_tokens(tokens))


def read_fields(text: str, tokens: list[Token], labels: list[str]) -> dict[str, Any]:
    """The Citation fields of `text`, whose `tokens` carry `labels`."""
    fields: dict[str, Any] = {
        "authors": [], "et_al": False, "title": "", "container": "", "year": None, "volume": "",
        "issue": "", "pages": "", "publisher": "", "url": first_url(text), "csl_type": "article-journal",
    }
    runs = _with_rules(text, _runs(tokens, labels))
    values = {label: _value(text, label, start, end) for label, start, end in reversed(runs)}  # first run wins
    authors = " , ".join(_with_initial_stop(text, start, end) for label, start, end in runs if label == "author")
    fields["authors"], fields["et_al"] = parse_authors(authors)
    fields["et_al"] = fields["et_al"] or _et_al_follows(text, runs)
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
    for token, label in zip(tokens, labels):
        if label == "O" or token.link:
            continue
        if runs and runs[-1][0] == label and _joined(tokens, labels, runs[-1][2], token.start):
            runs[-1] = (label, runs[-1][1], token.end)
        else:
            runs.append((label, token.start, token.end))
    return runs


def _with_rules(text: str, runs: list[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
    """The labelled fields, corrected where the form of a reference is
    certain: a corporate author taken for something else (_opens_as_author); a note right after the authors, where no title was
    found, is the title; a book's title is no container; a title keeps its
    own quotes and end mark ("?")."""
    runs = list(runs)
    if runs and _opens_as_author(text, runs):
        runs[0] = ("author", *runs[0][1:])
    if not any(r[0] == "title" for r in runs):
        for i, (label, start, end) in enumerate(runs):
            if label == "note" and (i == 0 or runs[i - 1][0] in ("author", "date")):
                runs[i] = ("title", start, end)
                break
            if label not in ("author", "date"):
                break
    runs = _vancouver_authors_end(text, runs)
    labels = {r[0] for r in runs}
    if "container" not in labels and labels & {"volume", "pages"}:
        runs = _journal_after_title(text, runs)
    if "title" not in labels and "container" in labels:
        runs = _title_before_journal(text, runs)
        labels = {r[0] for r in runs}
    if "title" not in labels and "container" in labels and labels & {"publisher", "place"} \
            and not labels & {"volume", "issue"}:  # a book: what looked like its container is its title
        runs = [("title", *r[1:]) if r[0] == "container" else r for r in runs]
    return [(label, *_title_marks(text, start, end)) if label == "title" else (label, start, end)
            for label, start, end in runs]


def _opens_as_author(text: str, runs: list[tuple[str, int, int]]) -> bool:
    """Whether the first field, at the very start, is a corporate author the
    labeller took for a publisher, or for a title when a date and another
    title, or a book's, follow ("Organisation for X. (2021). *Guidelines*.");
    before an article's journal it is the title (APA prints an anonymous
    article "Title. (1995). Journal, 95(8), 439–440.")."""
    label, start, _ = runs[0]
    if any(r[0] == "author" for r in runs) or text[:start].strip(" ([").strip():
        return False
    if label in ("publisher", "institution"):
        return True
    later = {r[0] for r in runs[2:]}
    book = "container" in later and not later & {"volume", "issue", "pages"}  # an article's is its title
    return label == "title" and len(runs) > 2 and runs[1][0] == "date" and ("title" in later or book)


def _vancouver_authors_end(text: str, runs: list[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
    """An author list in Vancouver form ("Rao S, Li SX.") ends at its full
    stop: what the labeller ran on past it opens the title ("R (-)-ketamine")."""
    if len(runs) < 2 or runs[0][0] != "author" or runs[1][0] != "title":
        return runs
    (_, start, end), (_, title_start, title_end) = runs[0], runs[1]
    m = _VANCOUVER_LIST.match(text, start, end)
    if not m or not re.fullmatch(r"[A-Z]", text[m.end():end]):  # only a capital left: "William G. Cochran" is a name
        return runs
    return [("author", start, m.end() - 1), ("title", m.end(), title_end), *runs[2:]]


def _journal_after_title(text: str, runs: list[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
    """A located reference (volume or pages) with no container: the title's
    last sentence is the journal the labeller ran into it ("Title? Designs.
    2018;2(4):40", "Title. Čas Lék. 2019;116:1-2")."""
    for i, (label, start, end) in enumerate(runs):
        if label == "title":
            cut = _last_sentence(text, start, end)
            if cut:
                return [*runs[:i], ("title", start, cut[0]), ("container", cut[1], end), *runs[i + 1:]]
            break
    return runs


def _title_before_journal(text: str, runs: list[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
    """A container with no title before it that reads "Title in words.
    Journal": the labeller ran the title into the journal."""
    for i, (label, start, end) in enumerate(runs):
        if label == "container":
            cut = _last_sentence(text, start, end)
            if cut and _SENTENCE_WORD.search(text, start, cut[0]) and len(text[start:cut[0]].split()) >= 3:
                return [*runs[:i], ("title", start, cut[0]), ("container", cut[1], end), *runs[i + 1:]]
            break
    return runs


def _last_sentence(text: str, start: int, end: int) -> tuple[int, int] | None:
    """(end of what comes before, start) of the last sentence of text[start:end],
    taking in the abbreviated words before it ("J. Appl. Polym. Sci."); None
    when it is one sentence."""
    cuts = list(_SENTENCE_BREAK.finditer(text, start, end))
    while cuts and _ABBREVIATED.fullmatch(text, cuts[-2].end() if len(cuts) > 1 else start, cuts[-1].start()):
        cuts.pop()
    if not cuts:
        return None
    before = cuts[-1].start() - (text[cuts[-1].start() - 1] == ".")  # a title keeps its "?", not its "."
    return before, cuts[-1].end()


def _title_marks(text: str, start: int, end: int) -> tuple[int, int]:
    """A title's span with the "?" or "!" it ends with and a quote it opens
    with ('"Esketamine" in …'), when the quote closes inside it."""
    if text[end:end + 1] in ("?", "!"):
        end += 1
    if start and text[start - 1] in "\"“‘'" and text[start - 1] in text[start:end].translate(_CLOSERS):
        start -= 1
    return start, end


_CLOSERS = str.maketrans("”’", "“‘")


def _joined(tokens: list[Token], labels: list[str], end: int, start: int) -> bool:
    """Whether only O-labelled punctuation lies between two same-label
    stretches (ending at `end`, starting at `start`): one field, not two."""
    between = [t for t in tokens if end <= t.start < start]
    return all(not t.text[0].isalnum() for t in between) and len(between) <= 1


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
    value = _UNCLOSED.sub("", value).lstrip(")] ")
    return value.strip(" ,;:")


def _unwrapped(text: str) -> str:
    """The title without brackets of a translated title and quotes."""
    for opening, closing in ("[]", "“”", '""', "‘’", "«»"):
        if len(text) > 2 and text[0] == opening and text[-1] == closing and closing not in text[1:-1]:
            return text[1:-1].strip(" ,.")
    return text


def _with_initial_stop(text: str, start: int, end: int) -> str:
    """A name list's text, with the full stop after a final initial ("C. J.",
    "J.-. sung.") when the last name is written with stops."""
    last_name = re.split(r"[,;&]|\band\b", text[start:end])[-1]
    if text[end:end + 1] == "." and (re.search(r"(?:^|[\s.-])[^\W\d_]{1,2}$", last_name) or "." in last_name):
        end += 1
    return text[start:end]


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


def _csl_type(fields: dict[str, Any], values: dict[str, str], text: str) -> str:
    """The CSL type the labelled fields and the wording suggest."""
    container = fields["container"]
    if re.search(r"\barXiv\b", text, re.IGNORECASE) and not fields["volume"]:
        return "article"
    if _THESIS_HINT.search(text):
        return "thesis"
    if container and _CONFERENCE_HINT.search(container):
        return "paper-conference"
    if container and ("editor" in values or fields["publisher"]) and not fields["volume"]:
        return "chapter"
    if _REPORT_HINT.search(text) and not fields["volume"]:
        return "report"
    if container or fields["volume"]:
        return "article-journal"
    if fields["publisher"] or _BOOK_HINT.search(text):
        return "book"
    if fields["url"] or _LINK_WORDS.search(text):
        return "webpage"
    return "article-journal"
