"""What the sequence labeller knows about each token of a reference.

Every token gets its word, its shape (capitals, digits, punctuation, length),
what the dictionaries say about it (journal word or abbreviation, given or
family name, publisher word, place, month, a group author's word), the same
for its neighbours two either side, the word pairs it makes with the words
before and after it, and where it stands: its position in the string, the
space before and after it (none, one, a wide gap), inside brackets or
quotes, after how many sentence breaks, after a year; and what its segment
(see `segments`) is like: a title, an author list and a journal's name each
fill one, and tell themselves apart by their length and words. A word's own
features depend only on its text and are cached, which keeps extraction fast;
the commonest value of what nearly every token has (one space either side,
outside brackets and quotes, no year yet) is told by no feature (see _told).
"""

from __future__ import annotations

from importlib import resources

from refkit.refparse import segments as seg
from refkit.refparse.segments import Segment, ends_sentence, quote_toggles
from refkit.refparse.tokens import Token
from refkit.refparse.years import plausible_year

_MONTHS = {"jan", "january", "feb", "february", "mar", "march", "apr", "april", "may", "jun", "june", "jul",
           "july", "aug", "august", "sep", "sept", "september", "oct", "october", "nov", "november", "dec",
           "december", "spring", "summer", "autumn", "fall", "winter"}
# Words whose role is the same in every reference, by class.
_CLASSES = {
    "vol": ("vol", "vols", "volume", "volumes", "bd", "tome", "t"),
    "no": ("no", "nos", "nr", "number", "issue", "iss", "heft", "suppl", "supplement", "part", "pt"),
    "pp": ("pp", "p", "pages", "page", "pg", "pgs", "s", "art", "article", "e"),
    "ed": ("ed", "eds", "editor", "editors", "edited", "hrsg", "hg", "dir", "coord"),
    "in": ("in", "in:"),
    "and": ("and", "et", "und", "&", "y", "e"),
    "al": ("al", "others"),
    "conf": ("proc", "proceedings", "conference", "conf", "symposium", "symp", "workshop", "congress",
             "meeting", "colloquium", "summer", "school"),
    "pub": ("press", "publishers", "publisher", "publishing", "publ", "verlag", "inc", "ltd", "co", "books",
            "edition", "edn", "ed"),
    "org": ("university", "univ", "universität", "université", "universidad", "institute", "institut",
            "dept", "department", "laboratory", "lab", "center", "centre", "school", "college"),
    "rep": ("report", "rep", "thesis", "dissertation", "phd", "ph", "msc", "master", "technical", "tech",
            "memo", "manuscript", "preprint", "working", "paper", "note", "notes", "unpublished", "draft"),
    "pre": ("arxiv", "submitted", "accepted", "preparation", "forthcoming", "print", "press", "online",
            "available", "accessed", "retrieved", "cited", "internet", "doi", "url", "pmid", "isbn"),
    "ser": ("lecture", "lect", "lncs", "series", "ser", "vol"),
    # a group or body as author: "The BENESTENT-I Study Group", "EFSA Panel on ..."
    "grp": ("group", "groups", "team", "panel", "committee", "consortium", "collaboration", "council", "association",
            "society", "organization", "organisation", "working", "investigators", "study", "network", "task",
            "force", "board", "agency", "commission", "foundation", "federation", "alliance", "initiative",
            "collaborators", "collaborative", "authors", "writing", "steering", "office", "bureau", "service"),
}
_WORD_CLASS: dict[str, list[str]] = {}
for _name, _words in _CLASSES.items():
    for _word in _words:
        _WORD_CLASS.setdefault(_word, []).append("k:" + _name)
_GROUP = frozenset(_CLASSES["grp"])
_OPENING, _CLOSING, _QUOTES = seg.OPENING, seg.CLOSING, seg.QUOTES


def _lexicon(name: str) -> frozenset[str]:
    text = resources.files("refkit.refparse").joinpath("lexicon", f"{name}.txt").read_text(encoding="utf-8")
    return frozenset(text.split())


_JOURNAL = _lexicon("journal")
_GIVEN = _lexicon("given")
_FAMILY = _lexicon("family")
_PUBLISHER = _lexicon("publisher")
_PLACE = _lexicon("place")
_JOURNAL_WORDS = _lexicon("journal-words")
# Beginnings of journal words, as abbreviations print them ("Biochim", "Phys")
_ABBREVIATIONS = frozenset(w[:n] for w in _JOURNAL_WORDS for n in range(3, len(w))) - _JOURNAL_WORDS
# Words printed only abbreviated in journals' names: a full stop after one ends no sentence
_ABBREVIATED = (_JOURNAL | _ABBREVIATIONS) - _JOURNAL_WORDS


def abbreviated_in_journals(word: str) -> bool:
    """Whether journals' names print `word` only abbreviated ("Commun", "Phys")."""
    return word.lower() in _ABBREVIATED


def sequence_features(tokens: list[Token], encoded: bool = False) -> list[list[str]] | list[list[bytes]]:
    """One list of feature names per token; `encoded`, as UTF-8 bytes (what
    CRFsuite reads: the labeller is spared encoding every name each time).
    Each kind of feature is made for the whole string at once, then joined
    token by token."""
    names = _ENCODED if encoded else _PLAIN
    n = len(tokens)
    if not n:
        return []
    kept = names.words  # looked up here: a method call per token costs more than the look-up
    own = [(kept.get(t.text) or names.own(t.text)) if not t.link else names.link(t.text) for t in tokens]
    padded = [names.outside, names.outside, *own, names.outside, names.outside]  # the neighbours two either side
    gaps = _gaps(tokens)
    shapes = ["^"] + [o[5] for o in own] + ["$"]
    told = [o[6] for o in own]
    by_place = names.place
    place = [by_place[10 * i // n][before][after] for i, (before, after) in enumerate(zip(gaps, gaps[1:]))]
    follows = _next_punctuation(tokens, names)
    shape3 = [names[f"sh3:{a}|{b}|{c}"] for a, b, c in zip(shapes, shapes[1:], shapes[2:])]
    keys = ["^"] + [o[8] for o in own] + ["$"]
    pairs = names.pairs(keys)
    out = [[*o[0], *b1[1], *b2[2], *a1[3], *a2[4], *p, *c, f, w, s3, bb, ba, *ah, *bh, *wa, *wb, *sg]
           for o, b2, b1, a1, a2, p, (c, w), f, s3, bb, ba, ah, bh, wa, wb, sg in zip(
               own, padded, padded[1:], padded[3:], padded[4:], place, _context(tokens, names), follows, shape3,
               pairs, pairs[1:],
               _telling_words(tokens, told, names, later=True), _telling_words(tokens, told, names, later=False),
               *_windows(tokens, names), _segment_features(tokens, [o[7] for o in own], names))]
    if any(t.emphasis for t in tokens):
        _add_emphasis(tokens, out, names)
    return out


def _context(tokens: list[Token], names: _Names) -> list[tuple[tuple, str | bytes]]:
    """For each token, where it stands: bracket depth, inside quotes, after
    how many sentence breaks, years and numbers, the punctuation before it;
    and how many words since that punctuation. The counts stop at the
    highest value their features tell, which spares a min() per token (a
    call dearer than the rest of the loop)."""
    out = []
    depth = quoted = breaks = years = digits = words = 0
    before = "^"
    where = None  # the features of all but the word count, made again when they change
    last = len(tokens) - 1
    word_count, counted = names.wc, names.counted
    for i, token in enumerate(tokens):
        if where is None:
            key = (depth if depth < 2 else 2, quoted, breaks, years, digits)
            told = counted.get(key)
            if told is None:
                told = counted[key] = _told(names.depth[key[0]], names.quote[quoted], names.seg[breaks],
                                            names.yr[years], names.dg[digits])
            where = (*told, names["pb:" + before])
        out.append((where, word_count[words]))
        text = token.text
        if text.isalnum() or token.link:
            words += words < 6
            if text.isdigit():
                digits += digits < 3
                years += years < 2 and len(text) == 4 and bool(plausible_year(text))
                where = None
            continue
        before, words, where = text, 0, None
        if text in _OPENING:
            depth += 1
        elif text in _CLOSING and depth:
            depth -= 1
        elif text in _QUOTES and quote_toggles(tokens, i):
            quoted = 1 - quoted
        elif text in ".:;?!" and i < last and tokens[i + 1].spaced and i and ends_sentence(tokens[i - 1].text):
            breaks += breaks < 5
    return out


def _add_emphasis(tokens: list[Token], features: list[list], names: _Names) -> None:
    """Mark emphasised tokens, and the first and last of each emphasised run."""
    for i, token in enumerate(tokens):
        if token.emphasis:
            features[i].append(names.em[0])
            if not i or not tokens[i - 1].emphasis:
                features[i].append(names.em[1])
            if i + 1 == len(tokens) or not tokens[i + 1].emphasis:
                features[i].append(names.em[2])


class _Names(dict):
    """Feature names in one form, str (for training) or UTF-8 bytes (for
    tagging), each made once: names[name] gives it in that form; a word's
    own features, shape and telling class are kept by its text, in a bounded
    cache, as are the pairs of words and the segments' descriptions; the
    context features are made ahead."""

    def __init__(self, encode: bool) -> None:
        super().__init__()
        self._encode = encode
        self.words: dict[str, tuple] = {}  # the bounded cache of `own`, by text
        self._pairs: dict[tuple[str, str], str | bytes] = {}
        self._segments: dict[tuple, tuple] = {}
        self._neighbours = self._formed(_NEIGHBOURS)
        self._link = tuple(tuple(self[name] for name in group) for group in _LINK_FEATURES)
        # what lies beyond the ends gives the features a word gives its neighbours (see own)
        self.outside = ((), *((self[f"b:{side}"],) for side in ("-1", "-2", "+1", "+2")))
        self.pos = self._range("pos", 10)
        # the commonest value of a feature most tokens would carry is told by none (see _told):
        # one space before and after a token, outside brackets and quotes, no year, digits or
        # sentence break before it, no stop after the words around it
        spaces_before, spaces_after = self._range("sb", 3, 1), self._range("sa", 3, 1)
        # by position, space before and space after
        self.place = tuple(tuple(tuple(_told(at, before, after) for after in spaces_after) for before in spaces_before)
                           for at in self.pos)
        self.depth, self.quote = self._range("depth", 3, 0), self._range("quote", 2, 0)
        self.seg, self.yr, self.dg = self._range("seg", 6, 0), self._range("yr", 3, 0), self._range("dg", 4, 0)
        self.wc = self._range("wc", 7)
        self.counted: dict[tuple, tuple] = {}  # the told features of depth, quotes and counts, by their values
        self.em = (self["em"], self["em:first"], self["em:last"])
        # the features of the telling words seen later and earlier (see _telling_words), by their bits
        self.later, self.earlier = (tuple(tuple(self[prefix + word] for word in _TELLING_WORDS if seen & _BIT[word])
                                          for seen in range(1 << len(_TELLING_WORDS))) for prefix in ("A:", "B:"))
        self.edges = (self["sg^"], self["sg$"])
        # the features of the words after and before a token (see _windows), by the capitals among
        # them, how many they are and the abbreviated among them
        self.ahead, self.behind = (
            tuple(tuple(tuple(_told(self[f"c{side}:{c}/{n}"], stops[d]) for d in range(_WINDOW + 1))
                        for n in range(_WINDOW + 1)) for c in range(_WINDOW + 1))
            for side, stops in (("+", self._range("d+", _WINDOW + 1, 0)), ("-", self._range("d-", _WINDOW + 1, 0))))

    def __missing__(self, name: str) -> str | bytes:
        made = self[name] = name.encode() if self._encode else name
        return made

    def _range(self, kind: str, count: int, untold: int | None = None) -> tuple:
        """The features of values 0 to `count` - 1 of `kind`; the `untold` value's is empty."""
        return tuple(self[""] if value == untold else self[f"{kind}:{value}"] for value in range(count))

    def pairs(self, keys: list[str]) -> list[str | bytes]:
        """The features of each two neighbouring words' `keys` (see `own`),
        kept only in the bounded cache of pairs: there are far more pairs than words."""
        kept = self._pairs
        return [kept.get(pair) or self._new_pair(pair) for pair in zip(keys, keys[1:])]

    def _new_pair(self, pair: tuple[str, str]) -> str | bytes:
        name = "bg:{}|{}".format(*pair)
        return _kept(self._pairs, pair, name.encode() if self._encode else name)

    def own(self, text: str) -> tuple:
        """A word's own features, those it gives its neighbours (four
        groups), its shape and what it tells (see _telling_of)."""
        found = self.words.get(text)
        return _kept(self.words, text, self._made_own(text)) if found is None else found

    def described(self, part: Segment, year_at: int | None) -> tuple:
        """A segment's features (see _describe), kept in a bounded cache by
        what they are made of: most segments are like one seen before."""
        index = part.index
        where = "n" if year_at is None else "b" if index < year_at else "y" if index == year_at else "a"
        key = (index if index < 7 else 7, where, part.words, part.counts)
        found = self._segments.get(key)
        return _kept(self._segments, key, _describe(part, where, self)) if found is None else found

    def _made_own(self, text: str) -> tuple:
        """What `own` gives for a word not yet kept. Its names are made in
        this form here, not looked up in the names table: kept with the word,
        they go with it from the bounded cache of words, and the table does
        not grow with every word read (nor cost a look-up for each name)."""
        shape = _shape(text)
        core = self._formed(_core(text, shape))
        return (core + self._formed(_ending(text)), *(tuple([prefix + name for name in core])
                                                      for prefix in self._neighbours),
                shape, _telling_of(text), _kind(text), shape if text[0].isdigit() else text.lower())

    def _formed(self, group: list[str] | tuple[str, ...]) -> tuple:
        return tuple([name.encode() for name in group]) if self._encode else tuple(group)

    def link(self, text: str) -> tuple:
        """What `own` gives for a link token: its features are those of any link."""
        return (*self._link, "LINK", _telling_of(text), seg.WORD, "LINK")


_WORDS_KEPT = 65536


def _kept(cache: dict, key: object, value: object) -> object:
    """`value`, kept under `key` in a bounded `cache` (emptied when full)."""
    if len(cache) >= _WORDS_KEPT:
        cache.clear()
    cache[key] = value
    return value


def _gaps(tokens: list[Token]) -> list[int]:
    """The space before each token: 0 none, 1 one, 2 a wide gap (fields
    laid out in columns: "... patients   Pain  (1992)"); and 1 after the last.
    (False and True stand for 0 and 1: they only index tuples.)"""
    return [tokens[0].spaced] + [2 if token.start - previous.end >= 2 else token.spaced
                                 for previous, token in zip(tokens, tokens[1:])] + [1]


def _next_punctuation(tokens: list[Token], names: _Names) -> list[str | bytes]:
    """For each token, the feature of the next punctuation mark after it
    ("$" at the end), looked up once per mark."""
    following, found = [], names["pa:$"]
    for token in reversed(tokens):
        following.append(found)
        if not token.text[0].isalnum() and not token.link:
            found = names["pa:" + token.text]
    return following[::-1]


def _telling_words(tokens: list[Token], told: list[int], names: _Names, later: bool) -> list[tuple]:
    """For each token, which telling words come `later` in the string (or
    earlier): an "in" opening a container, a year, a conference, editor,
    page, volume or publisher word; `told`: what each token tells (see
    _telling_of). An article title comes before "In" and a book's title
    after it; a journal comes before its volume."""
    n = len(tokens)
    telling: list[tuple] = []  # in the order walked, up to the last change
    seen = 0  # the bits of the words seen
    by_seen = names.later if later else names.earlier
    # only the few tokens that tell something are visited; those between share a value
    for i in [i for i in (range(n - 1, -1, -1) if later else range(n)) if told[i]]:
        found = told[i]
        if found == _IN and not _opens_container(tokens, i) or found | seen == seen:
            continue
        telling += [by_seen[seen]] * ((n - i if later else i + 1) - len(telling))  # up to this token: what came before
        seen |= found
    telling += [by_seen[seen]] * (n - len(telling))
    return telling[::-1] if later else telling


# The words that tell of the fields around them (see _telling_of), in their
# features' order; which of them a token tells, or a stretch holds, is an
# int with a bit for each.
_TELLING_WORDS = ("conf", "ed", "in", "pp", "pub", "vol", "yr")
_BIT = {word: 1 << i for i, word in enumerate(_TELLING_WORDS)}
_IN, _YEAR = _BIT["in"], _BIT["yr"]


def _telling_of(text: str) -> int:
    """What a word tells of the fields around it (as bits, see _BIT): a
    year, a conference, editor, page, volume or publisher word; an "in"
    tells only where it opens a container, which its place decides (see
    _opens_container)."""
    if text[0].isdigit():
        return _YEAR if len(text) == 4 and plausible_year(text) else 0
    lower = text.lower()
    return _IN if lower == "in" else _TELLING.get(lower, 0)


def _opens_container(tokens: list[Token], i: int) -> bool:
    """Whether the "in" at `i` opens a container ("In: Proc…", ", in Nuclear
    Physics"), not a title's own word ("mergers in the origin")."""
    following = tokens[i + 1].text if i + 1 < len(tokens) else ""
    opening = not i or not tokens[i - 1].text[0].isalnum()
    return following == ":" or (opening or tokens[i].text[0] == "I") and following[:1].isupper()


_TELLING = {word: sum(_BIT[cls[2:]] for cls in classes if cls in ("k:conf", "k:ed", "k:pp", "k:vol", "k:pub"))
            for word, classes in _WORD_CLASS.items()}
_WINDOW = 4


def _windows(tokens: list[Token], names: _Names) -> tuple[list[tuple], list[tuple]]:
    """For each token, how many of the next (and the last) four words are
    capitalised and how many are abbreviated (a full stop right after):
    a journal's words are capitalised and abbreviated, a title's are not.
    Both are made once per word and shared by the tokens between two words."""
    capitals, stops = [0], [0]  # running counts over the words
    first_after = []  # per token: the index of the first word after it
    for i, token in enumerate(tokens):
        text = token.text
        if text[0].isalpha() and not token.link:
            capitals.append(capitals[-1] + text[0].isupper())
            stops.append(stops[-1] + (i + 1 < len(tokens) and tokens[i + 1].text == "."))
        first_after.append(len(capitals) - 1)
    words = len(capitals) - 1
    told_ahead, told_behind = names.ahead, names.behind
    ahead, behind = [], []  # by the words before a point: the features of the words after it, before it
    for at in range(words + 1):
        # the window's ends, cut at the string's (conditionals: min() and max() cost more)
        end = at + _WINDOW if at + _WINDOW < words else words
        start = at - _WINDOW if at > _WINDOW else 0
        ahead.append(told_ahead[capitals[end] - capitals[at]][end - at][stops[end] - stops[at]])
        behind.append(told_behind[capitals[at] - capitals[start]][at - start][stops[at] - stops[start]])
    # a token's next words start after it, its last words end before the word it is
    return [ahead[after] for after in first_after], [behind[upto] for upto in [0, *first_after[:-1]]]


_LINK_FEATURES = (("s:LINK",), ("-1s:LINK",), ("-2s:LINK",), ("+1s:LINK",), ("+2s:LINK",))


# A word's features as its neighbour's, one and two places before and after, are
# its core features (see _core) with these prefixes: made in their final form
# (bytes when encoded), so a word's names are encoded once, not five times.
_NEIGHBOURS = ("-1", "-2", "+1", "+2")


def _ending(text: str) -> list[str]:
    """The features a word gives itself but not its neighbours: the last
    three letters of a long word."""
    return ["x:" + text[-3:].lower()] if text.isalpha() and len(text) >= 5 else []


def _core(text: str, shape: str) -> list[str]:
    """The features of a token's text (whose `shape` is given), which it
    gives its neighbours too."""
    lower = text.lower()
    features = ["s:" + shape]
    if not text.isdigit():
        features.append("w:" + lower)
    elif len(text) == 4 and plausible_year(text):
        features.append("year")
    if text.isalpha():
        for flag, words in (("jrn", _JOURNAL), ("giv", _GIVEN), ("fam", _FAMILY), ("pub", _PUBLISHER),
                            ("plc", _PLACE), ("jab", _ABBREVIATIONS)):
            if lower in words:
                features.append(flag)
        if lower in _MONTHS:
            features.append("mon")
    features += _WORD_CLASS.get(lower, ())
    return features


def _kind(text: str) -> int:
    """What a word is, as segment bits (see segments.CAPITAL etc.)."""
    if text[0].isdigit():
        return seg.WORD | seg.DIGITS | (seg.YEAR if len(text) == 4 and plausible_year(text) else 0)
    if not text.isalpha():
        return seg.WORD if text[0].isalnum() else 0
    lower = text.lower()
    return (seg.WORD | (seg.CAPITAL if text[0].isupper() else 0)
            | (seg.JOURNAL if lower in _JOURNAL or lower in _ABBREVIATIONS else 0)
            | (seg.ABBREVIATION if lower in _ABBREVIATED else 0)
            | (seg.NAME if lower in _GIVEN or lower in _FAMILY or len(text) == 1 and text.isupper() else 0)
            | (seg.PUBLISHER if lower in _PUBLISHER or lower in _PLACE else 0)
            | (seg.GROUP if lower in _GROUP and text[0].isupper() else 0))


def _segment_features(tokens: list[Token], kinds: list[int], names: _Names) -> list[tuple]:
    """For each token, its segment's description (see segments): which
    segment it is, before or after the first with a year, how many words,
    what share of them are capitalised, journal words, names, publisher or
    place words, digits; whether an early one holds a group author's word
    ("Study Group", "Panel"); and the segment's first and last token."""
    parts = seg.segments(tokens, kinds)
    year_at = next((s.index for s in parts if s.counts[5]), None)
    out: list[tuple] = []
    first, last = names.edges
    for part in parts:
        described = names.described(part, year_at)
        out += [described] * (part.end - part.first)
        out[part.first] += (first,)
        out[-1] += (last,)
    return out


def _describe(part: Segment, where: str, names: _Names) -> tuple:
    """The features every token of segment `part` gets; `where` it stands
    from the first segment with a year (see _Names.described)."""
    words = part.words
    size = _SIZE[words] if words < len(_SIZE) else "11"
    capitals, journal, person, publisher, digits, _, group = (_share(c, words) for c in part.counts)
    # the commonest values (the first segment, before the year, no publisher or group word) are told by none
    return _told(part.index and names[f"sg:{min(part.index, 7)}"], names[f"sgcw:{size}|{capitals}"],
                 names["sgj:" + journal], names["sgn:" + person], publisher != "0" and names["sgp:" + publisher],
                 names["sgd:" + digits], where != "b" and names["sgy:" + where],
                 group != "0" and names[f"sgg:{min(part.index, 2)}"])


def _told(*features: str | bytes | int | bool) -> tuple:
    """The features given, but for the empty ones (a value told by no
    feature). Most tokens stand outside brackets, before the year, with one
    space either side: a feature for that on every token tells the model no
    more than its absence does, and costs the tagger a weight for every
    state of every token (41 features a token and 0.48 ms a string with
    them, 30 and 0.34 ms without)."""
    return tuple(filter(None, features))


_SIZE = ("0", "1", "2", "3", "4", "4", "4", "7", "7", "7", "7")


def _share(count: int, words: int) -> str:
    """How many of a segment's `words` a `count` is: none, some, most, all."""
    return "0" if not count else "a" if count == words else "m" if 2 * count >= words else "s"


def _shape(text: str) -> str:
    """A word's form in a few letters: C capitalised, U capitals, I one
    capital, L lower case, M mixed, D digits by count, A letters and digits,
    P punctuation, H a script without case."""
    if text.isdigit():
        return f"D{min(len(text), 5)}"
    if text.isalpha():
        size = "1" if len(text) == 1 else "2" if len(text) <= 3 else "+"
        if text.islower():
            return "L" + size
        if text.isupper():
            return "I" if len(text) == 1 else "U" + size
        if text[0].isupper() and text[1:].islower():
            return "C" + size
        if not any(ch.isupper() or ch.islower() for ch in text):
            return "H"
        return "M" + size
    if text.isalnum():
        return "A" + ("d" if text[0].isdigit() else "l")
    return "P"


_PLAIN, _ENCODED = _Names(encode=False), _Names(encode=True)
