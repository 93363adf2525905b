"""Score a registered record against what a document says about a work.

Modelled on Crossref's search-based matching with validation (SBMV): a
candidate is accepted only when its title is close *and* enough other fields
of the reference (first author, year, journal, volume, first page) support
it. Comparisons forgive the conventions references follow (case, markup,
diacritics, abbreviated journals, abbreviated page ranges, online-vs-print
years, dropped subtitles) but nothing else; `differences` reports what is
left over as RK2xx findings.
"""

from __future__ import annotations

import html
import re
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from typing import Any

from rapidfuzz import fuzz

from refkit import codes
from refkit.folding import strip_accents
from refkit.model import Citation, CitationKind, Finding, Name, Work
from refkit.pages import page_range as split_pages

# Letters that Unicode does not decompose into a base letter plus accents.
_TAG = re.compile(r"<[^>]{1,200}>")
_LATEX_CMD = re.compile(r"\\[a-zA-Z]+\*?(?:\[[^\]]*\])?|\\.|[{}$]")
_NON_WORD = re.compile(r"[\W_]+")
_BRACKETED = re.compile(r"^\s*\[(.+)\]\s*\.?\s*$", re.DOTALL)
_PARENTHETICAL = re.compile(r"\([^)]*\)")
_SUBTITLE_SPLIT = re.compile(r"\s*(?::|\.\s|\s[-–—]\s)\s*")
_NAME_PARTS = re.compile(r"[-\s]")
_NOT_ALNUM = re.compile(r"[^0-9a-z]")

GENERIC_TITLES = frozenset({
    "introduction", "editorial", "preface", "foreword", "commentary", "reply", "response",
    "letter", "letter to the editor", "correction", "erratum", "corrigendum", "retraction",
    "book review", "abstracts", "index", "contents", "conclusion", "discussion", "news",
    "in this issue", "obituary", "acknowledgements", "acknowledgments", "editors note",
    "guest editorial", "correspondence", "authors reply", "in brief",
})
_STOP_WORDS = frozenset({"of", "the", "and", "for", "in", "on", "a", "an", "de", "la", "le",
                         "und", "der", "die", "das", "fur", "et", "des", "du"})
_PARTICLES = frozenset({"van", "von", "de", "der", "den", "di", "da", "del", "della", "la", "le",
                        "du", "dos", "das", "aan", "het", "ten", "ter", "zu", "af", "al", "el", "st"})
CONTAINER_TYPES = frozenset({"journal-issue", "journal-volume", "journal", "component", "book-set",
                             "book-series", "proceedings", "report-series", "dataset"})

TITLE_STRONG = 0.90
TITLE_CLOSE = 0.75


@lru_cache(maxsize=1 << 16)
def fold(text: str) -> str:
    """Comparison form of text: markup and accents removed, lower case,
    punctuation turned into single spaces."""
    text = html.unescape(_TAG.sub(" ", text or ""))
    text = _LATEX_CMD.sub("", text)
    return _NON_WORD.sub(" ", strip_accents(text).lower()).strip()


@lru_cache(maxsize=1 << 16)
def fold_name(name: str) -> str:
    """Comparison form of a surname: folded, particles and spaces dropped,
    German-style transliterations (ue, oe, ae) collapsed (Mueller = Müller)."""
    words = [w for w in fold(name).split() if w not in _PARTICLES] or fold(name).split()
    joined = "".join(words)
    return joined.replace("ue", "u").replace("oe", "o").replace("ae", "a")


@lru_cache(maxsize=1 << 16)
def is_generic_title(title: str) -> bool:
    """Whether a title is too short or generic to identify a work alone."""
    folded = fold(title)
    significant = [w for w in folded.split() if w not in _STOP_WORDS]
    return folded in GENERIC_TITLES or len(significant) < 3


@dataclass
class MatchScore:
    """How well a registered work fits a citation, field by field.

    Field verdicts are "match", "near" (within convention, e.g. year ±1),
    "differs", or "absent" (one side does not give it).
    """

    title: float = 0.0
    title_generic: bool = False
    author: str = "absent"
    year: str = "absent"
    container: str = "absent"
    volume: str = "absent"
    issue: str = "absent"
    page: str = "absent"
    numbering: str = "absent"  # the titles' part numbers (Part I, II; Study 2): "match" or "differs"
    supporting: list[str] = field(default_factory=list)
    accepted: bool = False
    plausible: bool = False

    @property
    def total(self) -> float:
        """A single ranking figure: title similarity plus support."""
        return self.title + 0.25 * len(self.supporting)

    def evidence(self) -> dict[str, Any]:
        """The scores as plain data, for a finding's evidence."""
        out = asdict(self)
        out["title"] = round(self.title, 3)
        return out


def score(citation: Citation, work: Work) -> MatchScore:
    """Compare `work` with `citation` field by field and decide whether it is
    the cited work (`accepted`, the bar for a search result) or at least
    consistent with it (`plausible`, the bar when the printed DOI names it)."""
    result = MatchScore(
        title=title_similarity(citation, work),
        title_generic=is_generic_title(citation.title or work.title),
        author=_author_verdict(*_creators(citation, work)),
        year=_year_verdict(citation.year, registered_years(work)),
        container=_container_verdict(citation.container, registered_containers(work)),
        volume=_exact_verdict(citation.volume, str(work.data.get("volume", ""))),
        issue=_exact_verdict(citation.issue, str(work.data.get("issue", ""))),
        page=_exact_verdict(first_page(citation.pages), first_page(str(work.data.get("page", "")))),
        numbering=_numbering_verdict(citation.title, registered_titles(work)),
    )
    result.supporting = [name for name in ("author", "year", "container", "volume", "page")
                         if getattr(result, name) in ("match", "near")]
    result.accepted = _accept(citation, result)
    result.plausible = result.accepted or _plausible(result)
    return result


def _accept(citation: Citation, s: MatchScore) -> bool:
    """The search-result bar: a close title and enough supporting fields,
    with no contradicting first author or year. A different first page or
    part number is never the cited work: a letter and its reply, Part I and
    Part II share authors, journal, year and nearly the whole title; nor,
    under a generic title, a different issue (a column in each issue of a
    journal that numbers its pages by issue)."""
    if s.page == "differs" or s.numbering == "differs" or (s.title_generic and s.issue == "differs"):
        return False
    support = len(s.supporting)
    vetoed = s.author == "differs" or s.year == "differs"
    if citation.kind is CitationKind.ANNOTATED or _only_title_and_year(citation):
        return not s.title_generic and s.title >= 0.95 and s.year in ("match", "near")
    if vetoed:
        return s.title >= 0.95 and support >= 3 and not s.title_generic
    if s.title_generic:
        return s.title >= TITLE_STRONG and support >= 3
    if s.title >= TITLE_STRONG:
        return support >= 2 or (support >= 1 and s.title >= 0.97)
    if s.title >= TITLE_CLOSE:
        return support >= 3 and "author" in s.supporting
    return support >= 4 and {"author", "year"} <= set(s.supporting) and not citation.title


def _plausible(s: MatchScore) -> bool:
    """The lower bar for a record the printed DOI (or a one-character edit of
    it) already names: the DOI itself is evidence."""
    support = len(s.supporting)
    if s.title >= 0.80 and not s.title_generic:
        return s.author != "differs" or support >= 2
    if s.title >= 0.60:
        return support >= 2
    # The title does not confirm it (a parse failure, a translation): the other
    # fields must, and none may contradict it — the same author's other paper
    # in the same journal shares author and journal but not year or volume.
    contradicted = any(getattr(s, name) == "differs" for name in ("year", "volume", "page"))
    return support >= 3 and "author" in s.supporting and not contradicted


def _only_title_and_year(citation: Citation) -> bool:
    return bool(citation.title) and not (citation.authors or citation.editors or citation.container
                                         or citation.volume or citation.pages)


# --- titles ----------------------------------------------------------------

def registered_titles(work: Work) -> list[str]:
    """Every title a record offers: main title, with subtitle, original and
    short titles (Crossref keeps the subtitle in a separate field)."""
    raw = work.raw or {}
    titles = [work.title] if work.title else []
    subtitles = _as_list(raw.get("subtitle")) or _as_list(work.data.get("subtitle"))
    if work.title and subtitles:
        titles.append(f"{work.title}: {subtitles[0]}")
    for key in ("original-title", "short-title"):
        titles.extend(_as_list(raw.get(key)) or _as_list(work.data.get(key)))
    return [t for t in titles if t]


def title_similarity(citation: Citation, work: Work) -> float:
    """0..1 similarity of the printed title and the registered one; order
    sensitive, and a dropped or added subtitle costs nothing. When no title
    could be parsed, the registered title is sought in the raw reference."""
    titles = registered_titles(work)
    if not titles:
        return 0.0
    printed = unbracket(citation.title)
    if not printed:
        return _title_in_raw(citation.raw, titles)
    best = 0.0
    for title in titles:
        best = max(best, _pair_similarity(printed, title))
    return best


def _pair_similarity(printed: str, registered: str) -> float:
    a, b = fold(printed), fold(registered)
    if not a or not b:
        return 0.0
    best = fuzz.ratio(a, b) / 100
    main_a, main_b = fold(main_title(printed)), fold(main_title(registered))
    for x, y in ((a, main_b), (main_a, b), (main_a, main_b)):
        if x and y and not is_generic_title(x) and not is_generic_title(y):
            best = max(best, fuzz.ratio(x, y) / 100 * 0.98)
    return best


# a word of a folded title (words are one space apart) that is a number or a roman numeral
_NUMERAL_WORD = re.compile(r"(?<![^ ])(?:\d+|[ivx]{1,4})(?![^ ])")


def _numbering_verdict(printed: str, registered: list[str]) -> str:
    """Whether the numbers and roman numerals of the printed title are those of
    a registered one ("absent" when neither side has any)."""
    mine = _numerals(unbracket(printed))
    theirs = [_numerals(title) for title in registered]
    if not printed or not registered or not (mine or any(theirs)):
        return "absent"
    return "match" if mine in theirs else "differs"


def _numerals(title: str) -> frozenset[str]:
    return frozenset(_NUMERAL_WORD.findall(fold(title)))


def _title_in_raw(raw: str, titles: list[str]) -> float:
    text = fold(raw)
    best = 0.0
    for title in titles:
        folded = fold(title)
        if len(folded) >= 20:
            best = max(best, fuzz.partial_ratio(folded, text) / 100)
    return best


def main_title(title: str) -> str:
    """The title before its subtitle separator (colon, full stop, dash)."""
    return _SUBTITLE_SPLIT.split(title.strip(), maxsplit=1)[0]


def unbracket(title: str) -> str:
    """A translated title printed in square brackets, without them."""
    m = _BRACKETED.match(title or "")
    return m.group(1) if m else (title or "")


# --- authors ---------------------------------------------------------------

def _creators(citation: Citation, work: Work) -> tuple[list[Name], list[Name]]:
    """The printed and registered names to compare: the authors, or for a
    work printed with its editors only (an edited book) the editors, against
    the record's editors or, when it has none, its authors."""
    if citation.authors or not citation.editors:
        return citation.authors, work.authors
    return citation.editors, work.editors or work.authors


def _author_verdict(printed: list[Name], registered: list[Name]) -> str:
    if not printed or not registered:
        return "absent"
    first = printed[0]
    if not (first.family or first.literal):
        return "absent"
    relation = name_relation(first, registered[0])
    if relation == "same" or relation == "swapped":
        return "match"
    if relation == "close":
        return "near"
    if any(name_relation(first, other) == "same" for other in registered[1:3]):
        return "near"
    return "differs"


def name_relation(printed: Name, registered: Name) -> str:
    """"same", "swapped" (given and family exchanged), "close" (a misspelling)
    or "other" for two names, compared by surname."""
    p_family = fold_name(printed.family or printed.literal)
    r_family = fold_name(registered.family or registered.literal)
    if not p_family or not r_family:
        return "other"
    if p_family == r_family or _hyphen_part(p_family, registered.family) or _same_organisation(printed, registered):
        return "same"
    r_given = fold_name(registered.given)
    if r_given and p_family == r_given and _initial(printed.given) == r_family[:1]:
        return "swapped"
    if len(p_family) >= 4 and fuzz.ratio(p_family, r_family) >= 75:
        return "close"
    return "other"


def _hyphen_part(folded_printed: str, registered_family: str) -> bool:
    """Stoffers vs Stoffers-Winterling: one part of a double-barrelled name."""
    parts = [fold_name(p) for p in _NAME_PARTS.split(registered_family) if p]
    return len(parts) > 1 and folded_printed in parts


def _same_organisation(printed: Name, registered: Name) -> bool:
    """An organisation ("The PLOS ONE Staff") printed and read as a person's
    given and family names: the same words, in any order."""
    if registered.family or not registered.literal:
        return False
    words = fold(" ".join((printed.given, printed.family, printed.literal))).split()
    return sorted(words) == sorted(fold(registered.literal).split())


def _initial(given: str) -> str:
    folded = fold(given)
    return folded[:1]


# --- dates, containers, locators -------------------------------------------

def registered_years(work: Work) -> set[int]:
    """Every publication year the record gives (issued, print, online)."""
    years: set[int] = set()
    for record in (work.data, work.raw or {}):
        for key in ("issued", "published-print", "published-online", "published"):
            parts = (record.get(key) or {}).get("date-parts") or []
            if parts and parts[0] and parts[0][0]:
                try:
                    years.add(int(parts[0][0]))
                except (TypeError, ValueError):
                    continue
    return years


def _year_verdict(printed: int | None, registered: set[int]) -> str:
    if not printed or not registered:
        return "absent"
    gap = min(abs(printed - y) for y in registered)
    return "match" if gap == 0 else "near" if gap == 1 else "differs"


def registered_containers(work: Work) -> list[str]:
    """Full and abbreviated container titles of the record."""
    raw = work.raw or {}
    names: list[str] = []
    for record, keys in ((work.data, ("container-title", "container-title-short")),
                         (raw, ("container-title", "short-container-title"))):
        for key in keys:
            names.extend(_as_list(record.get(key)))
    return [n for n in dict.fromkeys(names) if n]


def _container_verdict(printed: str, registered: list[str]) -> str:
    if not printed or not registered:
        return "absent"
    return "match" if any(same_container(printed, name) for name in registered) else "differs"


def same_container(a: str, b: str) -> bool:
    """Whether two journal names are the same, allowing ISO 4-like
    abbreviation ("J Affect Disord" = "Journal of Affective Disorders")."""
    fa, fb = fold(_PARENTHETICAL.sub(" ", a)), fold(_PARENTHETICAL.sub(" ", b))
    if not fa or not fb:
        return False
    if fa.replace(" ", "") == fb.replace(" ", "") or fuzz.ratio(fa, fb) >= 92:
        return True
    return abbreviates(fa, fb) or abbreviates(fb, fa)


def abbreviates(short: str, full: str) -> bool:
    """Whether the folded name `short` abbreviates the folded name `full`:
    each abbreviated word stands for the next significant word of `full`,
    keeping its first letter and a subsequence of the rest."""
    short_words = short.split()
    full_words = [w for w in full.split() if w not in _STOP_WORDS]
    if not short_words or len(short_words) != len(full_words):
        return False
    return all(_abbreviates_word(s, f) for s, f in zip(short_words, full_words))


def _abbreviates_word(short: str, word: str) -> bool:
    if short[0] != word[0] or len(short) > len(word):
        return False
    rest = iter(word[1:])
    return all(ch in rest for ch in short[1:])


def _exact_verdict(printed: str, registered: str) -> str:
    a, b = _alnum(printed), _alnum(registered)
    if not a or not b:
        return "absent"
    return "match" if a == b else "differs"


def first_page(pages: str) -> str:
    """The first page or article number of a page field ("573–7" -> "573")."""
    parts = page_range(pages)
    return parts[0] if parts else ""


def page_range(pages: str) -> tuple[str, str] | None:
    """(first, last) of a page field, lower-cased for comparison, with
    abbreviated ranges written out ("573–7" -> ("573", "577"))."""
    parts = split_pages(pages)
    return (parts[0].lower(), parts[1].lower()) if parts else None


def _alnum(text: str) -> str:
    return _NOT_ALNUM.sub("", (text or "").lower())


def _as_list(value: Any) -> list[str]:
    if isinstance(value, list):
        return [str(v) for v in value if v]
    return [str(value)] if value else []


# --- differences worth reporting (RK2xx) -----------------------------------

def differences(citation: Citation, work: Work, match: MatchScore) -> list[Finding]:
    """RK201–RK205 findings for a work accepted as the cited one: what the
    document prints differently from the registered record, beyond the
    conventions `score` forgives."""
    found: list[Finding] = []
    author_note = author_differences(citation, work.authors)
    if author_note:
        found.append(_difference(citation, codes.AUTHOR_DIFFERS, *author_note))
    if match.year == "differs" and _year_was_read(citation):
        years = sorted(registered_years(work))
        found.append(_difference(citation, codes.YEAR_DIFFERS,
                                 f"year {citation.year} differs from the registered "
                                 f"{'/'.join(map(str, years))}",
                                 str(citation.year), "/".join(map(str, years))))
    if _title_really_differs(citation, work, match):
        found.append(_difference(citation, codes.TITLE_DIFFERS,
                                 f"title differs from the registered title "
                                 f"(similarity {match.title:.2f})", citation.title, work.title))
    if match.container == "differs" and not any(
            _in_raw(name, citation.raw) for name in registered_containers(work)):
        found.append(_difference(citation, codes.CONTAINER_DIFFERS,
                                 "journal differs from the registered one",
                                 citation.container, work.container))
    locator = locator_differences(citation, work)
    if locator:
        found.append(_difference(citation, codes.LOCATOR_DIFFERS, *locator))
    for finding in found:
        finding.evidence = {"match": match.evidence()}
    return found


def _year_was_read(citation: Citation) -> bool:
    """False when the parsed "year" is really the first page or the volume
    (a misread reference, not a wrong year)."""
    return str(citation.year) not in (first_page(citation.pages), citation.volume)


def _in_raw(name: str, raw: str) -> bool:
    """Whether `name` appears word for word in the reference as printed."""
    folded = fold(name)
    return bool(folded) and f" {folded} " in f" {fold(raw)} "


def _title_really_differs(citation: Citation, work: Work, match: MatchScore) -> bool:
    """A low title score that is not a translated title in brackets, nor a
    mis-split reference whose raw text holds the registered title verbatim."""
    if not citation.title or match.title >= TITLE_STRONG or _BRACKETED.match(citation.title):
        return False
    return _title_in_raw(citation.raw, registered_titles(work)) < 0.95


def _difference(citation: Citation, code: codes.Code, message: str,
                printed: str, registered: str) -> Finding:
    return Finding(code, message, source=citation.source, printed=printed, registered=registered)


def author_differences(citation: Citation, registered: list[Name]) -> tuple[str, str, str] | None:
    """(message, printed, registered) when the printed authors differ from
    the registered ones: misspelt, given/family swapped, missing or extra."""
    printed = [a for a in citation.authors if a.family or a.literal]
    if not printed or not registered:
        return None
    swapped, misspelt, unknown = [], [], []
    for i, name in enumerate(printed):
        relations = [name_relation(name, other) for other in registered]
        if "same" in relations:
            continue
        if "swapped" in relations:
            swapped.append(str(name))
        elif "close" in relations[max(i - 1, 0):i + 2] and _full_surname(name):
            other = registered[relations.index("close", max(i - 1, 0))]
            misspelt.append(f"{name.family or name.literal} (registered: {other.family or other.literal})")
        elif i < len(registered) and _full_surname(name) and not _part_of_given(name, registered):
            unknown.append(str(name))
    problems = [f"{label}: {'; '.join(names)}" for label, names in (
        ("misspelt", misspelt), ("given and family names swapped", swapped),
        ("not among the registered authors", unknown)) if names]
    count = _count_problem(citation, printed, registered)
    if count:
        problems.append(count)
    if not problems:
        return None
    return ("; ".join(problems), "; ".join(map(str, printed)), "; ".join(map(str, registered)))


def _part_of_given(name: Name, registered: list[Name]) -> bool:
    """A printed "surname" that is a piece of a registered given name
    (Cui-fen read as "fen"): a parsing artefact, not another author."""
    family = fold_name(name.family)
    return any(family in fold(other.given).split() for other in registered if other.given)


def _count_problem(citation: Citation, printed: list[Name], registered: list[Name]) -> str | None:
    """Missing or extra authors, judged only when every printed surname is a
    real word (initials read as surnames mean the list was mis-parsed)."""
    if not all(_full_surname(name) for name in printed):
        return None
    if len(printed) > len(registered):
        return f"{len(printed)} authors printed, {len(registered)} registered"
    if len(printed) < len(registered) and not citation.et_al and len(printed) < 6:
        return f"{len(printed)} authors printed without et al., {len(registered)} registered"
    return None


def _full_surname(name: Name) -> bool:
    """A printed surname that is a word, not an initial or a list label."""
    folded = fold_name(name.family)
    return not name.literal and len(folded) > 2 and folded.isalpha()


def locator_differences(citation: Citation, work: Work) -> tuple[str, str, str] | None:
    """(message, printed, registered) when volume, issue or pages differ
    (an abbreviated page range is not a difference)."""
    problems: list[str] = []
    printed_parts: list[str] = []
    registered_parts: list[str] = []
    for label, mine, theirs in (("volume", citation.volume, str(work.data.get("volume", ""))),
                                ("issue", citation.issue, str(work.data.get("issue", "")))):
        if _exact_verdict(mine, theirs) == "differs" and not _in_raw(theirs, citation.raw):
            problems.append(label)
            printed_parts.append(f"{label} {mine}")
            registered_parts.append(f"{label} {theirs}")
    mine_pages, theirs_pages = page_range(citation.pages), page_range(str(work.data.get("page", "")))
    if (mine_pages and theirs_pages and not _same_pages(mine_pages, theirs_pages)
            and not _in_raw(str(work.data.get("page", "")), citation.raw)):
        problems.append("pages")
        printed_parts.append(f"pages {citation.pages}")
        registered_parts.append(f"pages {work.data.get('page')}")
    if not problems:
        return None
    return (f"{', '.join(problems)} differ from the registered record",
            "; ".join(printed_parts), "; ".join(registered_parts))


def _same_pages(a: tuple[str, str], b: tuple[str, str]) -> bool:
    if _alnum(a[0]) != _alnum(b[0]):
        return False
    return not (a[1] and b[1]) or _alnum(a[1]) == _alnum(b[1])


def best_match(citation: Citation, works: list[Work]) -> tuple[Work | None, MatchScore | None, bool]:
    """The best-scoring work for `citation`, its score, and whether the
    runner-up ties with it (another accepted work scoring as high), in which
    case neither should be accepted."""
    scored = sorted(((score(citation, w), w) for w in works if w.doi),  # ties: by DOI, whatever the order
                    key=lambda pair: (-pair[0].total, pair[1].doi.lower()))
    if not scored:
        return None, None, False
    top_score, top = scored[0]
    tie = (len(scored) > 1 and scored[1][0].accepted and top_score.accepted
           and scored[1][1].doi.lower() != top.doi.lower()
           and top_score.total - scored[1][0].total < 0.02)
    return top, top_score, tie
