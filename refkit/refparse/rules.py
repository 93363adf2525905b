"""Corrections to the labelled fields where the form of a reference is
certain and the labeller is not: rules that beat the model on a few printed
forms (a corporate author or an acronym's, and the same author repeated as
publisher, a Vancouver author list's full stop or its end taken for the
title, a family name printed after "Given I.", a journal run into its title
or a title's capitalised end taken for the journal, a book's title, a
title's own quotes and "?", a page after "p.", APA's "(n.d.)", the numbers
run into a date after its year).

Fields are (label, start, end) character spans of the reference text.
"""

from __future__ import annotations

import re

Span = tuple[str, int, int]
_VANCOUVER_NAME = r"[^\W\d_][\w'’-]*(?: [^\W\d_][\w'’-]*)* [A-Z]{1,4}(?: Jr)?"  # "van der Berg PF"
_VANCOUVER_NAMES = re.compile(rf"(?:{_VANCOUVER_NAME}, )*{_VANCOUVER_NAME}")
_VANCOUVER_LIST = re.compile(_VANCOUVER_NAMES.pattern + r"\. ")  # the list and its full stop
# not after an initial's full stop; the space is matched first, which the
# search finds fast, and what stands before it is looked at only there
_SENTENCE_BREAK = re.compile(r" (?<=[^\s.][.?!] )(?=[^\W\d_])")
_NO_DATE = re.compile(r"\(n\.\s?d\.\)")  # APA's "no date"
_ACRONYM = re.compile(r"[A-Z]{2,6}")  # an organisation's: "WHO", "CDC", "NICE"
_ABBREVIATED = re.compile(r"[A-Z][a-z]{0,6}\.")  # one abbreviated word of a journal: "Appl."
_SENTENCE_WORD = re.compile(r"\b[a-z]{2,}\b(?!\.)")  # a word only a sentence has: "and", "in", "of"
_WORD_CHARACTER = re.compile(r"[^\W_]")
_FAMILY_SENTENCE = re.compile(r"[A-Z][\w'’-]+\.(?= )")  # a title opening "Okafor. " is a name's end
_GIVEN_FIRST = re.compile(r"[A-Z][a-z'’-]+(?: [A-Z]\.?)+")  # one person, given name first, no family: "William G"
_LEADING_NUMBER = re.compile(r"(\d+)(?:[\s,;]+|\Z)")  # a number and what parts it from the rest
_STOPS_AND_SPACES = re.compile(r"[.\s]*")
_PAGE_LABEL = re.compile(r"\b(?:pp?|pages?)\.?\s*\Z")  # "p. ", "pp.", "pages " before a number (not "P." of a name)
_YEAR_THEN_STOP = re.compile(r"(?:1[5-9]|20)\d\d[a-z]?\s*[.;:,]")  # "2012." opening a date field
_SEPARATOR = re.compile(r"[.;:,]")
_BARE_NUMBER = re.compile(r"[A-Za-z]?\d+[A-Za-z]?(?:\s*[-–/]\s*[A-Za-z]?\d+[A-Za-z]?)?")  # "26", "S36", "15-15", "1/4"
# what one, two or three numbers after a year are, with no pages found elsewhere and with pages found
_NUMBER_FIELDS = ({1: ("volume",), 2: ("volume", "pages"), 3: ("volume", "issue", "pages")},
                  {1: ("volume",), 2: ("volume", "issue")})


def corrected(text: str, runs: list[Span]) -> list[Span]:
    """The labelled fields of `text` after each rule below, in order."""
    for rule in (_undated, _brackets_closed, _corporate_author, _author_as_publisher, _note_as_title,
                 _vancouver_authors_end, _vancouver_authors_go_on, _family_after_initial, _journal_acronym,
                 _journal_after_title, _title_before_journal, _title_cut_at_capitals, _book_title, _title_marks,
                 _labelled_page, _numbers_after_year):
        runs = rule(text, runs)
    return runs


def _labels(runs: list[Span]) -> set[str]:
    return {label for label, _, _ in runs}


def _undated(text: str, runs: list[Span]) -> list[Span]:
    """APA's "(n.d.)" (no date) is in no field, wherever the labeller put
    it: a field that runs over it ("Title. (n.d.). Site") ends before it and
    goes on after it; a title or author list on both sides of it is an
    author's name before it and the title after ("World Health
    Organization. (n.d.). Guidelines"). It holds no year to read, and as a
    date it would make a title before it look like an organisation's name
    (see _opens_as_author)."""
    fixed: list[Span] = []
    for label, start, end in runs:
        found = _NO_DATE.search(text, start, end) if label != "date" else None
        if not found:
            fixed.append((label, start, end))
            continue
        before = text[start:found.start()].rstrip(" .,;:")
        after = _WORD_CHARACTER.search(text, found.end(), end)
        if before:  # APA prints the author before the date, the title after it
            fixed.append(("author" if label == "title" and after else label, start, start + len(before)))
        if after:
            fixed.append(("title" if label == "author" and before else label, after.start(), end))
    return fixed


def _brackets_closed(text: str, runs: list[Span]) -> list[Span]:
    """A bracket a field opens closes in it: the field takes its closing
    bracket when only that follows ("Mental Health (UK)"), and the bracketed
    end of a title that the next field began ("study (SUSTAIN-2). J Clin
    Psychiatry")."""
    fixed: list[Span] = []
    for label, start, end in runs:
        if fixed and text[fixed[-1][2]:start].strip() in ("(", "["):
            closing = ")" if text[fixed[-1][2]:start].strip() == "(" else "]"
            close = text.find(closing, start, end)
            rest = _WORD_CHARACTER.search(text[close + 1:end]) if close >= 0 else None
            if rest and _unclosed(text[start:close]) == "":
                fixed[-1] = (fixed[-1][0], fixed[-1][1], close + 1)
                start = close + 1 + rest.start()
        opened = _unclosed(text[start:end])
        if opened and text[end:].lstrip()[:1] == opened:
            end = text.index(opened, end) + 1
        fixed.append((label, start, end))
    return fixed


def _unclosed(value: str) -> str:
    """The bracket that closes the last one `value` leaves open, or ""."""
    if "(" not in value and "[" not in value:
        return ""  # most fields: spared the walk through their characters
    pending = []
    for ch in value:
        if ch in "([":
            pending.append(")" if ch == "(" else "]")
        elif ch in ")]" and pending and pending[-1] == ch:
            pending.pop()
    return pending[-1] if pending else ""


def _corporate_author(text: str, runs: list[Span]) -> list[Span]:
    """The first field is the author when it is one (see _opens_as_author)."""
    return [("author", *runs[0][1:]), *runs[1:]] if runs and _opens_as_author(text, runs) else runs


def _author_as_publisher(text: str, runs: list[Span]) -> list[Span]:
    """A title's last sentence, or a container's first, or an author list
    after the title, that repeats the group author opening the reference is
    its publisher, as guidelines and reports print it ("American Heart
    Association. Guideline for X. American Heart Association. Circulation.
    2010")."""
    if not runs or runs[0][0] != "author":
        return runs
    author = text[runs[0][1]:runs[0][2]]
    fixed: list[Span] = []
    after_title = False
    for label, start, end in runs:
        if label == "author" and after_title and len(text[start:end].split()) >= 2 \
                and author.startswith(text[start:end]):
            fixed.append(("publisher", start, end))
            continue
        after_title = after_title or label == "title"
        breaks = list(_SENTENCE_BREAK.finditer(text, start, end)) if label in ("title", "container") else []
        cut = breaks and (breaks[-1] if label == "title" else breaks[0])
        repeated = (text[cut.end():end] if label == "title" else text[start:cut.start()]).rstrip(". ") if cut else ""
        if len(repeated.split()) < 2 or not author.startswith(repeated):
            fixed.append((label, start, end))
        elif label == "title":
            fixed += [("title", start, cut.start() - 1), ("publisher", cut.end(), cut.end() + len(repeated))]
        else:
            fixed += [("publisher", start, start + len(repeated)), ("container", cut.end(), end)]
    return fixed


def _note_as_title(text: str, runs: list[Span]) -> list[Span]:
    """A note right after the authors (or their year), where no title was
    found, is the title ("CDC. Invented morbidity report. MMWR.")."""
    if "title" in _labels(runs):
        return runs
    for i, (label, start, end) in enumerate(runs):
        if label == "note":
            return [*runs[:i], ("title", start, end), *runs[i + 1:]]
        if label not in ("author", "date"):
            break
    return runs


def _journal_acronym(text: str, runs: list[Span]) -> list[Span]:
    """A word of letters alone the labeller took for an identifier right
    after the title, where no container was found, is the journal's acronym
    ("Title. MMWR. 2020;69:1-2"): an identifier holds digits."""
    if "container" in _labels(runs):
        return runs
    for i in range(1, len(runs)):
        label, start, end = runs[i]
        if label == "identifier" and runs[i - 1][0] == "title" and text[start:end].isalpha():
            return [*runs[:i], ("container", start, end), *runs[i + 1:]]
    return runs


def _title_cut_at_capitals(text: str, runs: list[Span]) -> list[Span]:
    """A title that stops at a lower-case word with the container right after
    it, no mark between, and the container's first sentence in words of
    capitals ("… ketamine in | Borderline Personality Disorder.
    Neuropsychopharmacology"): that sentence ends the title."""
    for i in range(len(runs) - 1):
        (label, start, end), (after, next_start, next_end) = runs[i], runs[i + 1]
        if label != "title" or after != "container" or text[end:next_start].strip():
            continue
        last_word = text[start:end].rsplit(None, 1)[-1]
        cut = _SENTENCE_BREAK.search(text, next_start, next_end)
        words = text[next_start:cut.start() - 1].split() if cut else []
        if last_word.isalpha() and last_word.islower() and len(words) >= 2 and all(w[0].isupper() for w in words):
            return [*runs[:i], ("title", start, cut.start() - 1), ("container", cut.end(), next_end), *runs[i + 2:]]
    return runs


def _family_after_initial(text: str, runs: list[Span]) -> list[Span]:
    """An author that is one given name and initials, right before a title
    whose first sentence is one capitalised word ("William G. | Okafor.
    Invented sampling"), ends with that word: the family name of "William G.
    Okafor" ("Weinstein, B. (n.d.). Introduction." keeps its title)."""
    for i in range(len(runs) - 1):
        (label, start, end), (after, title_start, title_end) = runs[i], runs[i + 1]
        if label != "author" or after != "title":
            continue
        word = _FAMILY_SENTENCE.match(text, title_start, title_end)
        if word and _GIVEN_FIRST.fullmatch(text, start, end) and not text[end:title_start].strip(". "):
            following = _STOPS_AND_SPACES.match(text, word.end()).end()
            return [*runs[:i], ("author", start, word.end() - 1), ("title", following, title_end), *runs[i + 2:]]
    return runs


def _labelled_page(text: str, runs: list[Span]) -> list[Span]:
    """A number printed after "p." or "pp." is a page, however much it looks
    like a year ("p. 1692, Nov. 2012": the date is what follows it), when no
    page was found elsewhere."""
    if "pages" in _labels(runs):
        return runs
    for i, (label, start, end) in enumerate(runs):
        number = _LEADING_NUMBER.match(text, start, end)
        between = runs[i - 1][2] if i else 0  # the label stands after the field before
        if label == "date" and number and _PAGE_LABEL.search(text, between, start):
            date = [("date", number.end(), end)] if number.end() < end else []
            return [*runs[:i], ("pages", start, number.end(1)), *date, *runs[i + 1:]]
    return runs


def _numbers_after_year(text: str, runs: list[Span]) -> list[Span]:
    """A date that runs on from its year over bare numbers parted by full
    stops ("2012. 26. 28. 15-15", "2008. 1777. . S36": year, volume, issue
    and pages, as Crossref's matching data prints them) is the year; the
    numbers are the volume, issue and pages (two: the volume and pages, or
    the volume and issue when the pages were found after them), when the
    labeller found no volume or issue."""
    labels = _labels(runs)
    if labels & {"volume", "issue"}:
        return runs
    fields = _NUMBER_FIELDS["pages" in labels]
    for i, (label, start, end) in enumerate(runs):
        year = _YEAR_THEN_STOP.match(text, start, end) if label == "date" else None
        slots = _number_slots(text, year.end(), end) if year else None
        if slots and len(slots) in fields:
            numbers = [(name, s, e) for name, (s, e) in zip(fields[len(slots)], slots) if s < e]
            year_end = start + len(text[start:year.end() - 1].rstrip())
            return [*runs[:i], ("date", start, year_end), *numbers, *runs[i + 1:]]
    return runs


def _number_slots(text: str, start: int, end: int) -> list[tuple[int, int]] | None:
    """The (start, end) of each piece of text[start:end] between stops, an
    empty one as (s, s), when there are one to three and each is empty or a
    bare number (at least one not empty); else None."""
    slots, cut = [], start
    for stop in [*_SEPARATOR.finditer(text, start, end), None]:
        piece = text[cut:stop.start() if stop else end]
        inner = piece.strip()
        if inner and not _BARE_NUMBER.fullmatch(inner):
            return None
        at = cut + len(piece) - len(piece.lstrip())
        slots.append((at, at + len(inner)))
        cut = stop.end() if stop else end
    while slots and slots[-1][0] == slots[-1][1]:
        slots.pop()
    return slots if 1 <= len(slots) <= 3 and any(s < e for s, e in slots) else None


def _book_title(text: str, runs: list[Span]) -> list[Span]:
    """A container with a publisher or place and no title, volume or issue
    is a book's title (emphasis made it look like a journal)."""
    labels = _labels(runs)
    if "title" in labels or "container" not in labels or not labels & {"publisher", "place"} \
            or labels & {"volume", "issue"}:
        return runs
    return [("title", *r[1:]) if r[0] == "container" else r for r in runs]


def _opens_as_author(text: str, runs: list[Span]) -> bool:
    """Whether the first field, at the very start, is a corporate author the
    labeller took for a publisher, or for a title when a date and another
    title, or a book's, follow ("Organisation for X. (2021). *Guidelines*."),
    or an acronym alone before the title ("WHO. Guidelines for X.");
    before an article's journal it is the title (APA prints an anonymous
    article "Title. (1995). Journal, 95(8), 439–440.")."""
    label, start, end = runs[0]
    if "author" in _labels(runs) or text[:start].strip(" ([").strip():
        return False
    if label in ("publisher", "institution"):
        return True
    if label == "title" and _ACRONYM.fullmatch(text, start, end) and len(runs) > 1 and runs[1][0] in ("title", "note"):
        return True
    later = {r[0] for r in runs[2:]}
    book = "container" in later and not later & {"volume", "issue", "pages"}  # an article's is its title
    return label == "title" and len(runs) > 2 and runs[1][0] == "date" and ("title" in later or book)


def _vancouver_authors_end(text: str, runs: list[Span]) -> list[Span]:
    """An author list in Vancouver form ("Rao S, Li SX.") ends at its full
    stop: what the labeller ran on past it opens the title ("R (-)-ketamine")."""
    if len(runs) < 2 or runs[0][0] != "author" or runs[1][0] != "title":
        return runs
    (_, start, end), (_, _, title_end) = runs[0], runs[1]
    if not re.fullmatch(r"\. [A-Z]", text[end - 3:end]):  # what a list cut so ends with: most are spared the match
        return runs
    m = _VANCOUVER_LIST.match(text, start, end)
    if not m or not re.fullmatch(r"[A-Z]", text[m.end():end]):  # only a capital left: "William G. Cochran" is a name
        return runs
    return [("author", start, m.end() - 1), ("title", m.end(), title_end), *runs[2:]]


def _vancouver_authors_go_on(text: str, runs: list[Span]) -> list[Span]:
    """A title that opens with the rest of a Vancouver author list ("Gomes
    VP, | Viveiros DCDM. TITLE IN CAPITALS.") gives those names back; a
    title that is only those names took the author's place, and the title
    is the container's first sentences (see _shifted_back)."""
    if len(runs) < 2 or runs[0][0] != "author" or runs[1][0] != "title":
        return runs
    (_, start, end), (_, title_start, title_end) = runs[0], runs[1]
    if text[end:title_start].strip() != ",":  # the cheap test first
        return runs
    if not _VANCOUVER_NAMES.fullmatch(text, start, end):
        return runs
    if _VANCOUVER_NAMES.fullmatch(text, title_start, title_end):
        return _shifted_back(text, runs)
    m = _VANCOUVER_LIST.match(text, title_start, title_end)
    return [("author", start, m.end() - 2), ("title", m.end(), title_end), *runs[2:]] if m else runs


def _shifted_back(text: str, runs: list[Span]) -> list[Span]:
    """Author, title (the author list's end), container ("TITLE. JOURNAL"):
    each field one place back, when the container has two sentences."""
    if len(runs) < 3 or runs[2][0] != "container":
        return runs
    (_, start, _), (_, _, names_end), (_, container_start, container_end) = runs[:3]
    cut = _last_sentence(text, container_start, container_end)
    if not cut:
        return runs
    return [("author", start, names_end), ("title", container_start, cut[0]), ("container", cut[1], container_end),
            *runs[3:]]


def _journal_after_title(text: str, runs: list[Span]) -> list[Span]:
    """A located reference (volume or pages) with no container: the title's
    last sentence is the journal the labeller ran into it ("Title? Designs.
    2018;2(4):40", "Title. Čas Lék. 2019;116:1-2")."""
    labels = _labels(runs)
    if "container" in labels or not labels & {"volume", "pages"}:
        return runs
    for i, (label, start, end) in enumerate(runs):
        if label == "title":
            cut = _last_sentence(text, start, end)
            if cut:
                return [*runs[:i], ("title", start, cut[0]), ("container", cut[1], end), *runs[i + 1:]]
            break
    return runs


def _title_before_journal(text: str, runs: list[Span]) -> list[Span]:
    """A container with no title before it that reads "Title in words.
    Journal": the labeller ran the title into the journal."""
    if "title" in _labels(runs):
        return runs
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


def _title_marks(text: str, runs: list[Span]) -> list[Span]:
    """A title keeps the "?" or "!" it ends with and a quote it opens with
    ('"Esketamine" in …') when the quote closes inside it."""
    kept = []
    for label, start, end in runs:
        if label == "title":
            if text[end:end + 1] in ("?", "!"):
                end += 1
            if start and text[start - 1] in "\"“‘'" and text[start - 1] in text[start:end].translate(_CLOSERS):
                start -= 1
        kept.append((label, start, end))
    return kept


_CLOSERS = str.maketrans("”’", "“‘")
