"""Read the labelled reference strings the parser is trained and
cross-validated on, into one shape: the string and its labelled spans.

Sources (never copied into the repository; see ../shared/data/refstrings/README.md):
- GROBID's citation training corpus (TEI <bibl>; Apache-2.0, annotations CC-BY 4.0);
- AnyStyle's CORA set (<sequence>; BSD-2-Clause); strings that GROBID's corpus
  also holds are read once, from GROBID's file.

Both label schemes map onto the parser's labels (refkit.refparse.labels).
Each string belongs to a group: its source file (one paper's list), or for
the three files that gather strings from many papers (citations.xml,
raw_ref_corrected…, CORA) a run of 25 neighbouring strings, which often come
from one list; cross-validation splits by group, so it never tests on a
neighbour of what it trained on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from refkit.refparse.tokens import Token, tokenize

REFSTRINGS = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "refstrings"
_MIXED_FILES = {"citations.xml", "anystyle-cora.xml", "raw_ref_corrected.training.references.tei.xml"}
_RUN = 25
_IN_BEFORE = re.compile(r"\bin\s*:?\s*$", re.IGNORECASE)  # "…, in: <title level=m>"


@dataclass
class Labelled:
    """One reference string with its fields as (start, end, label) spans."""

    text: str
    spans: list[tuple[int, int, str]]
    source: str
    group: str = ""
    synthetic: bool = False
    extra: dict = field(default_factory=dict)


def grobid_label(element: etree._Element, cites_part: bool) -> str:
    """The parser's label for one field element of a GROBID <bibl>;
    `cites_part`: the reference cites a part of a book or proceedings (it has
    an article title, or "In" stands before the book's title), whose title
    (level m) is then the container, not the title of what is cited."""
    name = etree.QName(element).localname.lower()
    kind = (element.get("level") or element.get("leve") or element.get("unit") or element.get("type") or "").lower()
    if name in ("author", "authors") or (name == "orgname" and kind == "collaboration"):
        return "author"
    if name == "title":
        if kind == "j":
            return "container"
        if kind == "m":
            return "container" if cites_part else "title"
        return "series" if kind == "s" else "title"
    if name in ("date", "year", "month"):
        return "date"
    if name in ("biblscope", "biblstruct"):
        return {"vol": "volume", "volume": "volume", "volumes": "volume", "pp": "pages", "page": "pages",
                "pages": "pages", "issue": "issue"}.get(kind, "note")
    if name in ("page",):
        return "pages"
    if name in ("volumes",):
        return "volume"
    return {"editor": "editor", "pubplace": "place", "publisher": "publisher", "publishe": "publisher",
            "orgname": "institution", "idno": "identifier", "ptr": "identifier"}.get(name, "note")


def read_grobid(path: Path) -> list[Labelled]:
    """The <bibl> strings of one GROBID TEI file."""
    root = etree.parse(str(path), etree.XMLParser(recover=True)).getroot()
    for lb in root.iter("{*}lb"):
        lb.tail = " " + (lb.tail or "")
    found = []
    for bibl in root.iter("{*}bibl"):
        has_a = any(etree.QName(c).localname == "title" and (c.get("level") or c.get("leve")) == "a"
                    for c in bibl if isinstance(c.tag, str))
        part_of_volume = _cites_part_untitled(bibl)
        text, spans = bibl.text or "", []
        for child in bibl:
            if isinstance(child.tag, str) and etree.QName(child).localname != "lb":
                inner = "".join(child.itertext())
                label = grobid_label(child, has_a or bool(_IN_BEFORE.search(text)) or part_of_volume)
                spans.append((len(text), len(text) + len(inner), label))
                text += inner
            text += child.tail or ""
        found.append(Labelled(text, spans, path.name))
    return found


def _cites_part_untitled(bibl: etree._Element) -> bool:
    """Whether a <bibl> cites a paper in a proceedings or series volume
    without printing the paper's title ("Proc. 30th ICRC, Merida, 2007";
    "AIP Conf. Proc. 1701, 040007"): the volume's name (title level m) is
    then the container, as a journal's name would be."""
    scopes = {(c.get("unit") or c.get("type") or "").lower() for c in bibl.iter("{*}biblScope", "biblScope")}
    has_publisher = any(True for _ in bibl.iter("{*}publisher", "publisher"))
    book = "".join("".join(c.itertext()) for c in bibl.iter("{*}title", "title")
                   if (c.get("level") or c.get("leve")) == "m")
    return bool(_PROCEEDINGS.search(book)) or (bool(scopes & {"vol", "volume"}) and bool(scopes & {"pp", "page"})
                                               and not has_publisher)


_PROCEEDINGS = re.compile(r"\b(?:Proc|Proceedings|Conf|Conference|Symp|Symposium|Workshop|Meeting|Congress|"
                          r"Colloquium|Lecture Notes|Lect\.? Notes)\b|\bICRC\b", re.IGNORECASE)


_CORA = {"author": "author", "title": "title", "journal": "container", "booktitle": "container", "date": "date",
         "volume": "volume", "pages": "pages", "location": "place", "publisher": "publisher", "editor": "editor",
         "authority": "institution", "url": "identifier", "isbn": "identifier", "translator": "editor",
         "director": "author"}


def read_cora(path: Path) -> list[Labelled]:
    """The <sequence> strings of AnyStyle's CORA file; "1(1)" volumes are
    split into volume and issue as GROBID labels them."""
    found = []
    for sequence in etree.parse(str(path)).getroot().iter("sequence"):
        text, spans = "", []
        for child in sequence:
            label = _CORA.get(child.tag, "note")
            value = child.text or ""
            start = len(text)
            m = re.match(r"^(\s*\S*?\d+)\s*\((\w+)\)", value) if label == "volume" else None
            if m:
                spans += [(start, start + m.end(1), "volume"), (start + m.start(2), start + m.end(2), "issue")]
            else:
                spans.append((start, start + len(value), label))
            text += value + (child.tail or "")
        found.append(Labelled(text, spans, path.name))
    return found


def fold(text: str) -> str:
    """The comparison form of a string: lower-case letters and digits only."""
    return re.sub(r"[\W_]+", "", text.lower())


def read_all(root: Path = REFSTRINGS) -> list[Labelled]:
    """Every distinct labelled string (first copy kept), with its group."""
    examples: list[Labelled] = []
    for path in sorted((root / "grobid-corpus").iterdir()):
        examples += _grouped(read_grobid(path), path.name)
    examples += _grouped(read_cora(root / "anystyle-cora.xml"), "anystyle-cora.xml")
    seen: set[str] = set()
    distinct = []
    for example in examples:
        key = fold(example.text)
        if key and key not in seen:
            seen.add(key)
            distinct.append(example)
    return distinct


def _grouped(examples: list[Labelled], name: str) -> list[Labelled]:
    for i, example in enumerate(examples):
        example.group = f"{name}#{i // _RUN}" if name in _MIXED_FILES else name
    return examples


# Words a field's label leaves out at its ends, as GROBID's corpus does
# ("In <title>", "pp. <pages>", "<editor> (eds.)").
_LEADING = {"container": {"in"}, "title": {"in"}, "editor": {"in", "edited", "by"},
            "pages": {"pp", "p", "pages", "page", "pg"}, "volume": {"vol", "volume", "v", "vols"},
            "issue": {"no", "nr", "issue", "number", "iss"}}
_TRAILING = {"editor": {"ed", "eds", "editor", "editors", "hrsg", "hg", "edn"}}


def token_labels(example: Labelled) -> tuple[list[Token], list[str]]:
    """The tokens of a labelled string and one label each ("O" outside any
    field); punctuation and label words at a field's ends are left outside
    it, and a link token is always an identifier."""
    tokens = tokenize(example.text, example.extra.get("emphasis", ()))
    labels = []
    for token in tokens:
        label = next((lab for start, end, lab in example.spans if start <= token.start and token.end <= end), "O")
        labels.append("identifier" if token.link else label)
    for start, end in _runs(labels):
        _trim(tokens, labels, start, end)
    return tokens, labels


def _runs(labels: list[str]) -> list[tuple[int, int]]:
    """(start, end) of each run of one label other than O."""
    runs, start = [], 0
    for i in range(1, len(labels) + 1):
        if i == len(labels) or labels[i] != labels[start]:
            if labels[start] != "O":
                runs.append((start, i))
            start = i
    return runs


def _trim(tokens: list[Token], labels: list[str], start: int, end: int) -> None:
    label = labels[start]
    words = [t.text for t in tokens[start:end]]
    while start < end:
        first, last = tokens[start].text, tokens[end - 1].text
        if _loose(first, words, opening=True) or first.lower() in _LEADING.get(label, ()):
            labels[start] = "O"
            start += 1
        elif (_loose(last, words, opening=False) and not (label == "title" and last in "?!")) or (
                last.lower() in _TRAILING.get(label, ()) and end - start > 1):
            labels[end - 1] = "O"
            end -= 1
        else:
            break
        words = [t.text for t in tokens[start:end]]


def _loose(text: str, words: list[str], opening: bool) -> bool:
    """Whether punctuation at a field's end belongs outside it: any but a
    bracket that closes (or opens) one inside the field."""
    if text[0].isalnum() or len(text) > 1:
        return False
    for left, right in ("()", "[]"):
        if text == (left if opening else right):
            return words.count(left) != words.count(right)
    return True
