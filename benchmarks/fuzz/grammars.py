"""Grammar-based generators: documents that follow (or nearly follow) the
shape of each input format, filled with random works whose fields are
sometimes hostile (TeX escapes, markup, odd code points, huge or empty
values). Each generator is (rng) -> (bytes, suffix)."""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from dataclasses import dataclass
from xml.sax.saxutils import escape

from tests.test_pdf import make_pdf

WORDS = ("opioid borderline personality disorder ketamine depression study trial receptor brain "
         "analysis effect patients randomized model system quantum neural network Type-2 mRNA "
         "CRISPR fMRI U.S. p53 H2O C. elegans N-Methyl-D-aspartate").split()
SURNAMES = ["Rao", "Broadbear", "Zanarini", "van der Berg", "O'Neil", "Müller", "Więdłocha", "García-Márquez",
            "李", "Nguyễn", "Smith-Jones", "de la Cruz", "D'Angelo", "Ng", "Ø", "Al-Hassan", "{WHO}"]
JOURNALS = ["J Clin Psychiatry", "Nature", "Am J Psychiatry", "Psychiatr Clin North Am", "Front. Psychiatry",
            "Proc. IEEE", "Ärztebl Int", "PLoS One", "J. Chem. Phys."]
# what a crafted DOI or URL may carry to reach TeX: ^^5c is a backslash, ^^7b/^^7d braces
TEX_PAYLOADS = ["^^5cinput^^7b/etc/hostname^^7d", "^^5cimmediate^^5cwrite18^^7bid^^7d", "\\input{/etc/hostname}",
                "}\\input{x}{", "%^^5c", "#1^^", "^^^^005c"]
HOSTILE = ["^^5cinput^^7b/etc/hostname^^7d", "\\immediate\\write18{id}", "}", "{", "%", "#", "$x^2$",
           "<script>alert(1)</script>", "&lt;&amp;", "\x1b[2J", "\u202e", "\x00", "\ufeff", "ER  - ",
           "\nTY  - JOUR\n", "@article{x,", '"', "'", "\\", "~", "--", "``", "''", "\u0301" * 30,
           "𝔘𝔫𝔦", "中文", "NaN", "-1", "99999999999999999999", "", " ", "\t", "\n"]


@dataclass
class Work:
    """One random work, its fields as text (possibly empty or hostile)."""

    authors: list[tuple[str, str]]
    year: str
    title: str
    container: str
    volume: str
    issue: str
    pages: str
    doi: str
    url: str
    note: str


def work(rng: random.Random) -> Work:
    return Work(
        authors=[(rng.choice(SURNAMES), _initials(rng)) for _ in range(rng.choice((0, 1, 2, 3, 6, 30)))],
        year=_maybe_hostile(rng, rng.choice([str(rng.randint(1800, 2030)), "2019a", "in press", "n.d.",
                                             str(rng.randint(-5, 10**12))])),
        title=_maybe_hostile(rng, " ".join(rng.choice(WORDS) for _ in range(rng.randint(0, 25))).capitalize()),
        container=_maybe_hostile(rng, rng.choice(JOURNALS)),
        volume=_maybe_hostile(rng, str(rng.randint(0, 500))),
        issue=_maybe_hostile(rng, str(rng.randint(0, 12))),
        pages=_maybe_hostile(rng, rng.choice([f"{rng.randint(1, 900)}-{rng.randint(1, 999)}", "e1234",
                                              "573–7", "S1-S9", ""])),
        doi=_maybe_hostile(rng, _doi(rng)),
        url=_maybe_hostile(rng, rng.choice(["", "https://example.org/a?b=c#d", "http://x.org/%20%zz",
                                            "https://doi.org/" + _doi(rng), "ftp://x", "javascript:alert(1)",
                                            "https://x.org/p" + rng.choice(TEX_PAYLOADS)])),
        note=_maybe_hostile(rng, " ".join(rng.choice(WORDS) for _ in range(rng.randint(0, 60)))),
    )


def _initials(rng: random.Random) -> str:
    return rng.choice(["J", "J.", "J.-H.", "Jean", "María José", "", "A. B.", "Ö"])


def _doi(rng: random.Random) -> str:
    suffix = rng.choice(["abc.123", "pmh.1265", "j.psc.2018.07.009", "(SICI)1097-4636(199706)35:4<467::AID>3.0.CO;2-B",
                         "x" * rng.choice((1, 50, 3000)), "a b", "", "ü", "1" * 20])
    tail = rng.choice(TEX_PAYLOADS) if rng.random() < 0.15 else ""
    return rng.choice(["10.", "10.1000/", "10.1177/", "10.12345678/", "doi:10.1002/", "11.1000/"]) + suffix + tail


def _maybe_hostile(rng: random.Random, value: str) -> str:
    roll = rng.random()
    if roll < 0.08:
        return rng.choice(HOSTILE)
    if roll < 0.16:
        at = rng.randint(0, len(value))
        return value[:at] + rng.choice(HOSTILE) + value[at:]
    if roll < 0.165:
        return value * rng.choice((100, 2000))  # a huge field: tens of kilobytes to a megabyte
    return value


def _name(author: tuple[str, str], rng: random.Random) -> str:
    family, given = author
    return rng.choice([f"{family}, {given}", f"{given} {family}", family, f"{family} {given}"])


def _texts(rng: random.Random, count: int) -> list[Work]:
    return [work(rng) for _ in range(count)]


def _count(rng: random.Random) -> int:
    return rng.choice((0, 1, 2, 5, 20, 60, 300))


# --- formats ---------------------------------------------------------------------------------

def bibtex(rng: random.Random) -> tuple[bytes, str]:
    entries = []
    if rng.random() < 0.3:
        entries.append(f'@string{{jcp = "{rng.choice(JOURNALS)}"}}\n@preamble{{"\\newcommand{{\\x}}{{}}"}}')
    for index, item in enumerate(_texts(rng, _count(rng))):
        kind = rng.choice(["article", "book", "inproceedings", "misc", "online", "phdthesis", "xyz", "ARTICLE"])
        fields = {"author": " and ".join(_name(a, rng) for a in item.authors), "title": item.title,
                  "journal": item.container, "year": item.year, "volume": item.volume,
                  "number": item.issue, "pages": item.pages, "doi": item.doi, "url": item.url,
                  "annote": item.note, "eprint": item.doi, "crossref": f"k{rng.randrange(index + 1)}"}
        chosen = [(k, v) for k, v in fields.items() if v and rng.random() < 0.8]
        body = ",\n".join(f"  {k} = {_bibtex_value(v, rng)}" for k, v in chosen)
        entries.append(f"@{kind}{{k{index},\n{body}\n}}" if rng.random() < 0.95 else f"@{kind}(k{index}, {body})")
    return ("\n\n".join(entries) + "\n").encode("utf-8"), ".bib"


def _bibtex_value(value: str, rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.7:
        return "{" + value + "}"
    if roll < 0.85:
        return '"' + value + '"'
    if roll < 0.95:
        return 'jcp # "' + value + '"'
    return value.split(" ")[0] or "0"


def ris(rng: random.Random) -> tuple[bytes, str]:
    lines = []
    for item in _texts(rng, _count(rng)):
        lines.append(f"TY  - {rng.choice(['JOUR', 'BOOK', 'CHAP', 'GEN', 'XXXX', ''])}")
        lines += [f"AU  - {_name(a, rng)}" for a in item.authors]
        tags = [("TI", item.title), ("T2", item.container), ("PY", item.year), ("DA", item.year + "/01/"),
                ("VL", item.volume), ("IS", item.issue), ("SP", item.pages), ("DO", item.doi),
                ("UR", item.url), ("N1", item.note), ("AB", item.note), ("ZZ", item.note)]
        lines += [f"{tag}  - {value}" for tag, value in tags if value and rng.random() < 0.85]
        if rng.random() < 0.95:
            lines.append("ER  - ")
    newline = rng.choice(["\n", "\r\n", "\r"])
    return (newline.join(lines) + newline).encode("utf-8"), ".ris"


def csljson(rng: random.Random) -> tuple[bytes, str]:
    items = []
    for index, item in enumerate(_texts(rng, _count(rng))):
        data: dict = {"id": _odd_value(rng, f"item{index}"), "type": _odd_value(rng, "article-journal"),
                      "title": _odd_value(rng, item.title), "container-title": _odd_value(rng, item.container),
                      "author": [{"family": _odd_value(rng, f), "given": _odd_value(rng, g)}
                                 for f, g in item.authors],
                      "issued": {"date-parts": [[_odd_value(rng, item.year)]]},
                      "volume": item.volume, "page": item.pages, "DOI": _odd_value(rng, item.doi),
                      "URL": item.url, "note": item.note}
        items.append({k: v for k, v in data.items() if rng.random() < 0.9})
    document: object = items
    if rng.random() < 0.15:
        document = {"items": items} if rng.random() < 0.5 else (items[0] if items else {})
    return json.dumps(document, ensure_ascii=rng.random() < 0.5, allow_nan=True).encode("utf-8"), ".json"


def _odd_value(rng: random.Random, value: str) -> object:
    """Usually `value`; sometimes a value of the wrong JSON type."""
    if rng.random() > 0.1:
        return value
    return rng.choice([None, 0, -1, 1.5, float("nan"), float("inf"), 10**30, True, [], [value], {"x": value},
                       [[[]]], ""])


def jats(rng: random.Random) -> tuple[bytes, str]:
    refs = []
    for index, item in enumerate(_texts(rng, _count(rng))):
        names = "".join(f"<name><surname>{_x(f)}</surname><given-names>{_x(g)}</given-names></name>"
                        for f, g in item.authors)
        tag = rng.choice(["element-citation", "mixed-citation", "citation", "nlm-citation"])
        refs.append(f'<ref id="r{index}"><label>{index + 1}</label><{tag} publication-type="journal">'
                    f'<person-group person-group-type="author">{names}</person-group>'
                    f"<article-title>{_x(item.title)}</article-title><source>{_x(item.container)}</source>"
                    f"<year>{_x(item.year)}</year><volume>{_x(item.volume)}</volume>"
                    f"<fpage>{_x(item.pages)}</fpage>"
                    f'<pub-id pub-id-type="doi">{_x(item.doi)}</pub-id></{tag}></ref>')
    head = rng.choice(['<?xml version="1.0" encoding="UTF-8"?>\n', "", '<?xml version="1.0"?>\n'
                       '<!DOCTYPE article PUBLIC "-//NLM//DTD JATS" "JATS-archivearticle1.dtd">\n'])
    body = (f'{head}<article xmlns:xlink="http://www.w3.org/1999/xlink"><front><article-meta>'
            f"<title-group><article-title>{_x(work(rng).title)}</article-title></title-group>"
            f"</article-meta></front><body><p>Text [1].</p></body><back><ref-list>{''.join(refs)}"
            "</ref-list></back></article>")
    return _maybe_broken_markup(body, rng).encode(rng.choice(["utf-8", "utf-8", "utf-16"])), ".xml"


def html(rng: random.Random) -> tuple[bytes, str]:
    items = []
    for item in _texts(rng, _count(rng)):
        authors = ", ".join(_name(a, rng) for a in item.authors)
        items.append(f"<li><b>{_x(item.title)}</b> ({_x(item.year)})<br>{_x(authors)}. "
                     f"<i>{_x(item.container)}</i> {_x(item.volume)}:{_x(item.pages)}. "
                     f'<a href="{_x(item.url)}">doi:{_x(item.doi)}</a><p>{_x(item.note)}</p></li>')
    page = (f"<!DOCTYPE html><html><head><title>{_x(work(rng).title)}</title><style>p{{}}</style>"
            f"<script>var x = '<li>';</script></head><body><h1>Research Citations</h1>"
            f"<h2>References</h2><ol>{''.join(items)}</ol></body></html>")
    return _maybe_broken_markup(page, rng).encode("utf-8"), ".html"


def text_list(rng: random.Random) -> tuple[bytes, str]:
    """An article or citations page in plain text: prose, a heading and a reference list."""
    style = rng.choice(["numbered", "bracketed", "bulleted", "apa", "page"])
    lines = [work(rng).title, "", "Body text cites [1], [2-4] and (Rao, 2019).", "",
             rng.choice(["References", "REFERENCES", "Bibliography", "## References", "Literature Cited"]), ""]
    for index, item in enumerate(_texts(rng, _count(rng)), start=1):
        authors = ", ".join(f"{f} {g}".strip() for f, g in item.authors) + (" et al" if rng.random() < 0.2 else "")
        entry = (f"{authors}. {item.title}. {item.container}. {item.year};{item.volume}({item.issue}):"
                 f"{item.pages}. doi: {item.doi}")
        if style == "page":
            lines += [f"{item.title} ({item.year})", "", item.note, ""]
            continue
        label = {"numbered": f"{index}. ", "bracketed": f"[{index}] ", "bulleted": "- ", "apa": ""}[style]
        lines.append(label + _wrap(entry, rng))
    return "\n".join(lines).encode("utf-8"), ".txt"


def pdf(rng: random.Random) -> tuple[bytes, str]:
    """A small PDF whose pages hold a generated article with its reference list."""
    text, _ = text_list(rng)
    lines = text.decode("utf-8").encode("latin-1", errors="replace").decode("latin-1").split("\n")
    pages = [[(760 - 12 * (i % 60), line[:200]) for i, line in enumerate(lines[start: start + 60])]
             for start in range(0, max(len(lines), 1), 60)][:40]
    return make_pdf(pages), ".pdf"


def _wrap(entry: str, rng: random.Random) -> str:
    """An entry broken over lines as PDF extraction breaks them, sometimes."""
    if rng.random() < 0.7 or len(entry) < 60:
        return entry
    width = rng.randint(30, 90)
    return "\n".join(entry[i: i + width] for i in range(0, len(entry), width))


def _x(text: str) -> str:
    return escape(text)


def _maybe_broken_markup(markup: str, rng: random.Random) -> str:
    """Markup as written, or with a tag cut, an entity undefined or a comment unclosed."""
    roll = rng.random()
    if roll < 0.8:
        return markup
    at = rng.randint(0, len(markup))
    return markup[:at] + rng.choice(["<", "&undefined;", "<!--", "</ref>", "<![CDATA[", "\x00", ">"]) + markup[at:]


GENERATORS: dict[str, Callable[[random.Random], tuple[bytes, str]]] = {
    "bibtex": bibtex, "ris": ris, "csljson": csljson, "jats": jats, "html": html, "text-list": text_list,
    "pdf": pdf,
}
