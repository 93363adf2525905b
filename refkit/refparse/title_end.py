"""Where a title ends: what the CRF takes for a title, or runs into one, that
is none, and what it leaves out of one. The CRF sees two tokens either side,
and has seen few of these; a title that carries them matches no record.

- A note printed where the title would be: "G. Patnaik. Personal
  communication, September 1995", "…, unpublished", "Thèse de doctorat";
  and proceedings cited without a paper's title, which are the container
  ("Proc. 29th ICRC, Pune 2005"), as GROBID labels them.
- A note printed after the title: "…, talk at this conference", "(with
  discussion)", "(in French)", ", PhD thesis", an edition ("(3rd ed.)",
  ". Zehnte, unveränderte Auflage"), a medium ("[DVD]"), when it was
  retrieved ("Retrieved Nov. 20, 2014, from …"), a thesis with no stop
  before it ("… prototype facility PhD Thesis Technische Universität …", the
  university read as the institution), its editors (". Edited and
  translated by D. Nicholson-Smith", the names read as editors), and a
  Chinese reference's document type code ("…研究[J]").
- The quotation marks around a title: a title run on past its closing mark
  ("“… Whose Dirty Laundry Is It?” Gender in Film and the Media" — what
  follows is the container, a note when the reference has one) ends there,
  and one ended short of it ('"5G System; Packet Flow Description; Stage 3"')
  runs to it.
- A volume and pages printed after a title with no journal between them
  ("… Matrix Product State Representations 7 401"), a web address ("… network
  management http://www.openconfig.net/"), and a word pointing to the title
  ("Dans The mechanisms of …", "In: Handbook of …") or punctuation opening it
  (", nonsingular cosmological models …"), and a book series printed after
  it (", Graduate Texts in Mathematics, Springer"); a year opening a title
  that opens the reference is the title's when the reference prints its
  date after it ("2015 American Academy of Health Physics Awards. (2015).").
- A journal's abbreviated name printed with no stop before it: "… prototype
  interferometer Class. Quantum Grav. 27 084023", where the CRF takes "Class"
  for the title's last word and opens the container at "Quantum" (a
  capitalised word that journals print only abbreviated, after a lower-case
  word that is no function word and before its stop and a container that is
  abbreviated but does not open as whole journals do, opens the container);
  and, where no container was found, "… of watts Nucl. Phys. B 810", two or
  more such words at the title's end.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from refkit.refparse.features import abbreviated_in_journals
from refkit.refparse.states import first_span

# Notes, matched on a title's words joined by single spaces, lower case
_THESIS = (r"(?:(?:ph ?\. ?d ?\.?|phd|doctoral|master ' s|masters|m ?\. ?sc ?\.?|msc|diploma|habilitation"
           r"|bachelor ' s) ?(?:thesis|dissertation)|th[eè]se(?: de (?:doctorat|docteur)[\w' -]*)?)")
_MEDIUM = (r"(?:dvd|cd ?- ?rom|motion picture|video ?recording|(?:television|radio) program(?:me)?|electronic resource"
           r"|internet|online|audio|podcast|video)")
_EDITION = (r"(?:(?:\d+ ?(?:st|nd|rd|th|d|e|er|ème|a|ª|\.)?|first|second|third|fourth|fifth|sixth|seventh|eighth"
            r"|ninth|tenth|revised|new|enlarged|expanded|updated|erste|zweite|dritte|vierte|fünfte|sechste|siebte"
            r"|achte|neunte|zehnte)(?: ,)?(?: (?:revised|enlarged|expanded"
            r"|updated|unveränderte|erweiterte|überarbeitete|revue|augmentée))?"
            r" (?:ed|edn|edition|éd|édition|auflage|aufl|edición|edizione)(?: \.)?)")
_LANGUAGE = (r"(?:in (?:english|french|german|russian|spanish|italian|portuguese|swedish|dutch|polish|czech|chinese"
             r"|japanese|korean|hungarian|finnish|norwegian|danish|turkish|greek|ukrainian|romanian|croatian|serbian"
             r"|hebrew|arabic|persian)(?: with [a-z]+ (?:summary|abstract))?(?: ; original unseen)?)")
_MONTH = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?"
          r"|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|janv(?:ier)?|févr(?:ier)?|mars|avr(?:il)?|mai|juin|juil(?:let)?"
          r"|août|déc(?:embre)?)(?: \.)?(?= |$)")
# printed after a title, from the word after its last comma, stop or bracket
_NOTE = re.compile(
    r"with (?:discussion|comments?)(?: and (?:a )?rejoinder)?"
    r"|(?:(?:plenary|invited|contributed) )?talk (?:given |presented )?at (?:this |the )"
    r"(?:conference|workshop|meeting|symposium|congress|school|colloqui|seminar).*"
    r"|(?:(?:plenary|invited|contributed) )?talk (?:given |presented )?at .*\d{4}.*"
    r"|(?:edited|translated|compiled|ed \.|trans \.)(?: and (?:edited|translated|annotated))? by .+"
    rf"|(?:retrieved|accessed|last accessed|consulted|consulté)(?: on| le| am)? (?:\d{{1,2}} )?(?:{_MONTH}|\d{{4}}).*"
    rf"|exhibition catalog(?:ue)?|{_THESIS}|{_EDITION}")
# printed after a title in brackets only: "(in French)"; a medium in square ones, as APA's and
# NLM's designators ("[DVD]", "[Internet]"), not "Teaching with television (video)"
_BRACKETED_NOTE = re.compile(_LANGUAGE)
_SQUARE_BRACKETED_NOTE = re.compile(rf"{_MEDIUM}|{_LANGUAGE}")
# printed where a title would be: the whole title is one of them
_NOT_A_TITLE = re.compile(
    r"(?:personal|private) communications?|unpublished(?: (?:data|results|work|observations|manuscript))?"
    r"|(?:manuscript )?in preparation|in press|(?:submitted|accepted)(?: for publication)?|to be published"
    r"|forthcoming|invited (?:paper|talk|lecture)|(?:poster|oral) presentation|dissertation|doktorarbeit"
    r"|cite this(?: article)? as"
    rf"|{_THESIS}|{_MEDIUM}")
# a quotation mark that opens a title, and the one that closes it
_QUOTE_PAIRS = {"“": "”", "«": "»", "„": "“", "‹": "›", '"': '"'}  # not ‘’: ’ is also an apostrophe
_TITLE_END = frozenset({".", "?", "!", ","})
# GB/T 7714's document types, printed after a title: journal article, book, proceedings, thesis, …
_TYPE_CODE = re.compile(r"(?:[MCNJDRSPGKAZ]|DB|CP|EB)(?:/(?:OL|CD|MT|DK))?")
_AMBIGUOUS_CODES = frozenset("CSPGKAZ")  # letters a title may end on in brackets: "Vitamin [C]"
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")
_NUMBER_MARKS = frozenset({"(", ")", "-", "–"})  # within a volume, issue and pages
_YEAR = re.compile(r"1[5-9]\d\d|20\d\d")
# a book series' name, printed after a title: its own marks, or in brackets its common words
# (not "Fourier Series and Wavelets", "Studies in Honour of …" after a comma)
_SERIES = re.compile(r"\b(?:lecture notes in|graduate texts in|universitext|ergebnisse der|tracts in|series in"
                     r"|monographs (?:in|on) (?!honou?r))")
_BRACKETED_SERIES = re.compile(r"\b(?:series|monographs?|studies in|texts in|library of|reihe)\b")
_UNIVERSITY = re.compile(r"(?i)univ|institut|college|school|hochschule|école|ecole|politecnico|academ|bibliothek"
                         r"|polytechn|universidad|università|faculty|facult")
_THESIS_OPENERS = frozenset({"PhD", "PHD", "Phd", "PhDThesis", "PhDthesis", "Ph", "PH", "Doctoral", "DOCTORAL"})
_THESIS_WORDS = re.compile(_THESIS)
_FUNCTION_WORDS = frozenset({"a", "an", "the", "my", "your", "his", "her", "their", "our", "this", "of", "on", "in",
                             "for", "and", "or", "to", "from", "about"})
_NAME_LINKS = frozenset({"of", "the", "on", "and", "in", "for", "de", "der", "des", "du", "la", "le", "di",
                         "st", "nd", "rd", "th"})  # within a proceedings' name: "Proc. 29th ICRC"
# the fewest words a quoted title cut at its closing mark holds (a quotation opening a title
# is shorter: '"Do you speak English?" Language attitudes in Wales')
_QUOTED_WORDS = 7
_POINTERS = frozenset({"in", "dans", "en", "im", "in:"})  # what opens a container: "…», dans Belfort 1307"
_OPENING_MARKS = frozenset({*_QUOTE_PAIRS, "'", "‘"})
# words a journal's abbreviated name opens with: a container that opens so is whole
_JOURNAL_OPENERS = frozenset({
    "J", "Jour", "Journal", "Am", "Amer", "Br", "Brit", "Eur", "Int", "Ann", "Annu", "Proc", "Trans", "Acta", "Phys",
    "Chem", "Nat", "Nature", "Science", "Sci", "Rev", "Res", "Lett", "Environ", "Water", "Clin", "Biochem", "Arch",
    "Adv", "Appl", "Curr", "Can", "Aust", "Jpn", "Chin", "Med", "Bull", "Soc", "Geophys", "Geogr", "Geol", "Agric",
    "Stud", "Mol", "Cell", "Neurosci", "Psychol", "Econ", "Polit", "Hist", "Philos", "Comput", "IEEE", "ACM", "Ecol",
    "Evol", "Biol", "Plant", "Anim", "Vet", "Food", "Energy", "Mater", "Opt", "Astron", "Astrophys", "Ocean",
    "Atmos", "Pediatr", "Surg", "Neurol", "Cancer", "Public", "Health", "Educ", "Lang", "Ling", "Theor", "Nucl",
    "Z", "Zh", "Izv", "Dokl", "Rep", "Bol", "Cah", "Mem", "Not"})
_EDITORS_AFTER = frozenset({"Éditeur", "Éditeurs", "éd", "éds", "dir", "Sous", "sous", "Ed", "Eds", "ed", "eds"})
_LEADING = frozenset({",", ":", ";", ".", ")"})  # punctuation no title opens with
_QUOTED_BEYOND = 15  # the most tokens a title's closing quotation mark is looked for after it
_LOCATED_AFTER = frozenset({"volume", "pages", "issue", "date"})  # what follows a journal's name
# the words a note can open with (a note is looked for only after one)
_NOTE_OPENERS = frozenset("""
    with plenary invited contributed talk edited translated compiled ed trans retrieved accessed last consulted
    consulté exhibition ph phd phdthesis doctoral master masters m msc diploma habilitation bachelor thèse these
    first second third fourth fifth sixth seventh eighth ninth tenth revised new enlarged expanded updated erste
    zweite dritte vierte fünfte sechste siebte achte neunte zehnte dvd cd motion video videorecording television radio
    electronic internet online audio podcast in personal private unpublished manuscript submitted accepted to
    forthcoming poster oral dissertation doktorarbeit cite""".split())
# the words a note holds at least one of (its openers and an edition's word), as printed
_NOTE_WORDS_CASED = frozenset(
    form for word in (*_NOTE_OPENERS, "ed", "edn", "edition", "éd", "édition", "auflage", "aufl", "edición",
                      "edizione", "rd", "th", "nd", "st")
    for form in (word, word.capitalize(), word.upper())) | {"PhD", "PhDThesis", "PhDthesis", "MSc", "DPhil", "MPhil"}
_NOTE_WORDS = 12  # the most tokens a note is looked for in ("talk at …" runs on)
_BREAKS = frozenset({",", ".", "(", "[", ";"})
_CLOSING = frozenset({")", "]"})


def end_title(words: Sequence[str], labels: list[str]) -> list[str]:
    """`labels` with what the CRF took for the first title, or ran into it,
    that is none of it labelled as what it is (see the module's docstring);
    the first mend that applies is made."""
    start, end = first_span(labels, "title")
    if start < 0:
        return labels
    for mend in (_note_as_title, _proceedings_as_title, _type_code, _link_in_title, _closing_quote,
                 _to_closing_quote, _year_before, _numbers_after, _opening_word, _trailing_note, _thesis_within,
                 _series_after, _container_word, _journal_after):
        mended = mend(words, labels, start, end)
        if mended is not None:
            return mended
    return labels


def _note_as_title(words: Sequence[str], labels: list[str], start: int, end: int) -> list[str] | None:
    """A note printed where the title would be: "Personal communication"."""
    if end - start <= _NOTE_WORDS and words[start].lower() in _NOTE_OPENERS \
            and _NOT_A_TITLE.fullmatch(" ".join(words[start:end]).lower()):
        return [*labels[:start], *["note"] * (end - start), *labels[end:]]
    return None


def _proceedings_as_title(words: Sequence[str], labels: list[str], start: int, end: int) -> list[str] | None:
    """Proceedings cited without a paper's title are the container: "V.
    Aynutdinov et al., Proc. 29th ICRC, Pune (India) 2005"."""
    if words[start].lower() not in ("proc", "proceedings", "procs") or "container" in labels \
            or any(word[:1].islower() and word not in _NAME_LINKS for word in words[start + 1:end]):
        return None  # "Proceedings of the Old Bailey as historical sources" is a title
    return [*labels[:start], *["container"] * (end - start), *labels[end:]]


def _type_code(words: Sequence[str], labels: list[str], start: int, end: int) -> list[str] | None:
    """A GB/T 7714 document type code ending the title ("…研究[J]", "… [EB/OL]")."""
    if words[end - 1] != "]":
        return None
    for width in (3, 5):
        at = end - width
        if at > start and words[at] == "[":
            code = "".join(words[at + 1:end - 1])
            if _TYPE_CODE.fullmatch(code) and (code not in _AMBIGUOUS_CODES or any(map(_CJK.search, words))):
                return [*labels[:at], *["O"] * (end - at), *labels[end:]]  # not "Vitamin [C]"
    return None


def _link_in_title(words: Sequence[str], labels: list[str], start: int, end: int) -> list[str] | None:
    """A web address the title runs into: "The global e-waste monitor
    https://www.itu.int/…" — the address is an identifier, the title ends before it."""
    tail = "".join(words[start + 2:end])
    if "://" not in tail and "www." not in tail.lower():
        return None
    at = next((i for i in range(start + 2, end) if "://" in words[i] or words[i][:4].lower() == "www."), 0)
    if not at:
        return None
    return [*labels[:at], "identifier", *["O"] * (end - at - 1), *labels[end:]]


def _year_before(words: Sequence[str], labels: list[str], start: int, end: int) -> list[str] | None:
    """A year opening a title that opens the reference, or its quotation
    marks, which the CRF took for the reference's date though the reference
    prints its date after: "2015 American Academy of Health Physics Awards.
    (2015). Health Physics …" (after an author list the year is the date's
    slot: "Aad G et al 2012 Observation of … (2012)")."""
    if start == 0 or labels[start - 1] != "date" or not _YEAR.fullmatch(words[start - 1]) \
            or not words[start][:1].isalnum() \
            or start > 1 and words[start - 2] not in _OPENING_MARKS \
            or start > 1 and labels[start - 2] == "date" \
            or not any(label == "date" and _YEAR.fullmatch(word) for word, label in zip(words[end:], labels[end:])):
        return None
    return [*labels[:start - 1], "title", *labels[start:]]


def _closing_quote(words: Sequence[str], labels: list[str], start: int, end: int) -> list[str] | None:
    """A title that opens after a quotation mark ends at its pair when it runs
    on past it: what follows is the container (a note when the reference has
    one). Not a quoted phrase the title goes on from ('"Fake news",
    propaganda, and democracy', '"Do you speak English?" Language attitudes
    in Wales'): the quoted part holds seven words or more, and what follows
    opens with a capital or "in"."""
    if start == 0 or words[start - 1] not in _QUOTE_PAIRS or start > 1 and words[start - 2] in _QUOTE_PAIRS:
        return None
    closing = _QUOTE_PAIRS[words[start - 1]]
    inside = [i for i in range(start + 1, end - 1) if words[i] == closing]
    if len(inside) != 1:  # none, or quotes within the title
        return None
    at = inside[0]
    # closed where the title ends ("… Is It?” Gender in Film", "…», dans"), not a quoted
    # phrase the title goes on from ('"Blighted Beginnings": Coming of Age')
    if not (words[at - 1] in _TITLE_END or words[at + 1] in (",", ";")) \
            or not any(word.isalnum() for word in words[at + 1:end]) \
            or sum(word.isalnum() for word in words[start:at]) < _QUOTED_WORDS:
        return None
    rest = at + 1
    while not words[rest].isalnum():  # the comma after the mark: "…», dans …"
        rest += 1
    if not (words[rest][:1].isupper() or words[rest].lower() in _POINTERS):
        return None
    title_end = _before_stop(words, at)  # the title's stop printed inside the quotes
    after = "note" if "container" in labels else "container"
    return [*labels[:title_end], *["O"] * (rest - title_end), *[after] * (end - rest), *labels[end:]]


def _to_closing_quote(words: Sequence[str], labels: list[str], start: int, end: int) -> list[str] | None:
    """A title that opens after a quotation mark runs to its pair when the
    CRF ended it short: '"5G System; Packet Flow Description; Stage 3"'."""
    if start == 0 or words[start - 1] not in _QUOTE_PAIRS or words[start - 1] == '"' and '"' in words[start:end]:
        return None
    closing = _QUOTE_PAIRS[words[start - 1]]
    at = next((i for i in range(end, min(end + _QUOTED_BEYOND, len(words))) if words[i] == closing), 0)
    if not at or words[start - 1] in words[end:at] or not any(word.isalnum() for word in words[end:at]):
        return None
    title_end = at
    if words[at - 1] == ")" and "(" in words[end:at] and "date" in labels[end:at]:  # '…Procedures, (2010-04-23)"'
        title_end = end + words[end:at].index("(")
    title_end = _before_stop(words, title_end)
    if title_end <= end:
        return None
    return [*labels[:start], *["title"] * (title_end - start), *labels[title_end:]]


def _before_stop(words: Sequence[str], end: int) -> int:
    """Where the words up to `end` end without the stops printed after them ("Thing.”")."""
    while words[end - 1] in (",", ".", ";", ":"):
        end -= 1
    return end


def _numbers_after(words: Sequence[str], labels: list[str], start: int, end: int) -> list[str] | None:
    """A volume and pages run into a title with no journal before them:
    "… Matrix Product State Representations 7 401", "… group 57 (2) 143-224"."""
    if "volume" in labels or "pages" in labels:
        return None
    at = end
    while at > start + 2 and (words[at - 1].isdigit() or words[at - 1] in _NUMBER_MARKS):
        at -= 1
    numbers = [i for i in range(at, end) if words[i].isdigit()]
    # a volume and its pages or issue, printed after a word ("Representations 7 401"), not a
    # range ("Irony in 2 Corinthians 10-13", "Society, 950-1100", "volumes 2-3") nor a title's
    # own numbers ("Studies in Romans 9 11", "Psalms 23 4": a page of three digits or an issue)
    if len(numbers) < 2 or not words[at].isdigit() or words[at + 1] not in ("(",) and not words[at + 1].isdigit() \
            or not words[at - 1].isalpha() or any(_YEAR.fullmatch(words[i]) for i in numbers) \
            or words[at + 1] != "(" and len(words[numbers[1]]) < 3:
        return None
    mended = [*labels[:at], *["O"] * (end - at), *labels[end:]]
    mended[at] = "volume"
    page = at + 1
    if words[page] == "(" and page + 2 < end and words[page + 2] == ")":  # "57 (2) 143"
        mended[page + 1] = "issue"
        page += 3
    if page < end and words[page].isdigit():
        last = page + 2 if page + 2 < end and words[page + 1] in ("-", "–") and words[page + 2].isdigit() else page
        mended[page:last + 1] = ["pages"] * (last + 1 - page)
    return mended


def _opening_word(words: Sequence[str], labels: list[str], start: int, end: int) -> list[str] | None:
    """A word that points to the title opening it ("Dans The mechanisms of
    pyrolysis. Éditeur : L. A. Wall", "In: Handbook of …"; "Dans" only with
    the book's editors after it, not "Dans Paris occupé : la vie
    quotidienne"), or the punctuation before it (": A Bicentennial Book")."""
    pointer = 2 if words[start] in ("In", "IN") and words[start + 1:start + 2] == [":"] \
        else 1 if words[start] == "Dans" and _EDITORS_AFTER.intersection(words[end:]) else 0
    skip = pointer
    while start + skip < end and words[start + skip] in _LEADING:
        skip += 1
    if not skip or end - start <= skip + 1 or pointer and not words[start + skip][:1].isupper():
        return None
    return [*labels[:start], *["O"] * skip, *labels[start + skip:]]


def _trailing_note(words: Sequence[str], labels: list[str], start: int, end: int) -> list[str] | None:
    """The title's last words labelled note when they are a note after a
    break; a language only in brackets ("(in French)"), a medium only in
    square ones ("[DVD]", not ", film, video" or "(video)"), editors only by
    name (not ", edited by its readers")."""
    last = end - 1 if words[end - 1] in _CLOSING else end
    if _NOTE_WORDS_CASED.isdisjoint(words[max(start + 2, last - _NOTE_WORDS):last]):
        return None  # none of a note's words, as the title prints them
    for cut in range(max(start + 2, last - _NOTE_WORDS), last):
        if words[cut - 1] not in _BREAKS or not (words[cut].lower() in _NOTE_OPENERS or words[cut][:1].isdigit()):
            continue
        said = " ".join(words[cut:last]).lower()
        if not (_NOTE.fullmatch(said) or words[cut - 1] == "(" and _BRACKETED_NOTE.fullmatch(said)
                or words[cut - 1] == "[" and _SQUARE_BRACKETED_NOTE.fullmatch(said)):
            continue
        note = ["note"] * (last - cut)
        if "by" in words[cut:last] and words[cut].lower() in ("edited", "ed", "translated", "trans", "compiled"):
            names = words.index("by", cut) + 1
            if names + 1 >= last or not words[names][:1].isupper() \
                    or not (words[names + 1] == "." or words[names + 1][:1].isupper()):
                continue  # a person's name: "D. Nicholson-Smith", "Donald Nicholson-Smith"
            if words[cut].lower() in ("edited", "ed"):  # ". Edited by D. Smith": the names are editors
                note = ["O"] * (names - cut) + ["editor"] * (last - names)
        return [*labels[:cut - 1], "O", *note, *["O"] * (end - last), *labels[end:]]
    return None


def _thesis_within(words: Sequence[str], labels: list[str], start: int, end: int) -> list[str] | None:
    """A thesis and its university run into the title with no stop: "… for
    the AEI 10 m prototype facility PhD Thesis Technische Informationsbibliothek
    Hannover" — the title ends before the note, the university is the institution."""
    if _THESIS_OPENERS.isdisjoint(words[start + 3:end - 1]):
        return None
    for at in range(start + 3, end - 1):
        if words[at] not in _THESIS_OPENERS:
            continue
        width = next((n for n in (1, 2, 5) if _THESIS_WORDS.fullmatch(" ".join(words[at:at + n]).lower())), 0)
        if width and words[at][:1].isupper() and at + width < end and words[at + width][:1].isupper() \
                and words[at - 1].lower() not in _FUNCTION_WORDS \
                and _UNIVERSITY.search(" ".join(words[at + width:end])):  # not "… PhD Thesis Examination Practice"
            return [*labels[:at], *["note"] * width, *["institution"] * (end - at - width), *labels[end:]]
    return None


def _series_after(words: Sequence[str], labels: list[str], start: int, end: int) -> list[str] | None:
    """A book series printed after the title, before its publisher: "…, Graduate
    Texts in Mathematics, Springer", "… (Advanced Studies in Mathematics)"."""
    if not {"publisher", "place"}.intersection(labels[end:end + 4]) or start and words[start - 1] in _QUOTE_PAIRS:
        return None  # a quoted title holds what is within its marks: "Table of Integrals, Series and Products"
    for cut in range(max(start + 3, end - _NOTE_WORDS), end - 1):
        said = " ".join(words[cut:end]).lower()
        if words[cut - 1] in (",", "(") and words[cut][:1].isupper() and "." not in words[cut:end] \
                and (_SERIES.search(said) or words[cut - 1] == "(" and _BRACKETED_SERIES.search(said)):
            last = end - 1 if words[cut - 1] == "(" and words[end - 1] == ")" else end
            return [*labels[:cut - 1], "O", *["series"] * (last - cut), *["O"] * (end - last), *labels[end:]]
    return None


def _container_word(words: Sequence[str], labels: list[str], start: int, end: int) -> list[str] | None:
    """The title's last word given to the container when it is a journal's
    abbreviated first word: "… interferometer Class. Quantum Grav.". Not a
    title's own last word before a whole journal ("… iron in Man. J. Clin.
    Invest.", "… the state of the Art. J. Am. Chem. Soc."): the word before
    it is no function word, and the container does not open as journals do."""
    if not (end - start >= 3 and end + 1 < len(words) and words[end] == "." and labels[end] == "O"
            and labels[end + 1] == "container"):
        return None
    word, before = words[end - 1], words[end - 2]
    if not (word[0].isupper() and word[1:].islower() and word.isalpha() and before[:1].islower()
            and before not in _FUNCTION_WORDS and words[end + 1] not in _JOURNAL_OPENERS
            and abbreviated_in_journals(word) and _abbreviated(words, labels, end + 1)):
        return None
    return [*labels[:end - 1], "container", "container", *labels[end + 1:]]


def _abbreviated(words: Sequence[str], labels: list[str], start: int) -> bool:
    """Whether the container opening at `start` is printed abbreviated: one
    of its words is a journal word's abbreviation followed by a stop."""
    end = start
    while end + 1 < len(labels) and labels[end] == "container":
        if words[end + 1] == "." and abbreviated_in_journals(words[end]):
            return True
        end += 1
    return False


def _journal_after(words: Sequence[str], labels: list[str], start: int, end: int) -> list[str] | None:
    """A journal's abbreviated name run into the title's end with no stop
    before it, where the reference holds no container: "… minimal models
    LM(1, p) Nucl. Phys. B 123", "… crossing probability of watts Nucl. Phys. 5"."""
    if "container" in labels or not _LOCATED_AFTER.intersection(labels[end:end + 3]):
        return None
    at, pairs = end, 0
    if words[at - 1].isupper() and len(words[at - 1]) == 1 and words[at - 2] == ".":  # its section: "B"
        at -= 1
    if words[at - 1] != ".":  # its last stop printed after the title: "… watts Nucl. Phys"
        if at != end or end == len(words) or words[end] != "." or not _journal_word(words[at - 1]):
            return None
        at, pairs = at - 1, 1
    while at - 2 > start and words[at - 1] == "." and _journal_word(words[at - 2]):
        at, pairs = at - 2, pairs + 1
    # three words left, or the title was all journal: "High Energy Phys. Nucl. Phys."
    if pairs < 2 or sum(word.isalnum() for word in words[start:at]) < 3:
        return None
    return [*labels[:at], *["container"] * (end - at), *labels[end:]]


def _journal_word(word: str) -> bool:
    """A capitalised word journals print only abbreviated ("Nucl", "Phys")."""
    return word[:1].isupper() and word[1:].islower() and word.isalpha() and abbreviated_in_journals(word)
