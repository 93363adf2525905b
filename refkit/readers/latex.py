"""The citation keys a LaTeX document cites, from its .aux or its .tex.

- .aux (what BibTeX and biber read): `\\citation{a,b}` (BibTeX, natbib),
  `\\abx@aux@cite{0}{a}` and the older `\\abx@aux@cite{a}` (biblatex), and the
  .aux files of `\\include`d chapters named by `\\@input{…}`.
- .tex: every `\\cite`-like command — `\\cite`, `\\citep[p.~3]{a}`, `\\citet*`,
  `\\parencite`, `\\textcite`, `\\autocite`, `\\footcite`, `\\nocite`, the
  multi-cite `\\cites{a}{b}` … — outside comments, with `\\input`/`\\include`d
  files followed.
`\\nocite{*}` (every entry) means no restriction.
Both also name the bibliography files: `\\bibdata{a,b}` in the .aux,
`\\bibliography{a,b}` or `\\addbibresource{a.bib}` in the .tex, so
`refkit check --aux paper.aux` needs no FILE.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from refkit.model import Location
from refkit.readers.source import read_text

ALL = "*"
_AUX_CITE = re.compile(r"\\(?:citation|abx@aux@cite(?:\{[^{}]*\})?)\{([^{}]*)\}")
_AUX_INPUT = re.compile(r"\\@input\{([^{}]+)\}")
_TEX_CITE = re.compile(r"\\(?:[A-Za-z]*cite[A-Za-z]*|nocite)\*?"
                       r"((?:\s*(?:\[[^\]]*\]|\([^)]*\)))*(?:\s*\{[^{}]*\}(?:\s*\[[^\]]*\])*)+)")
_TEX_INPUT = re.compile(r"\\(?:input|include|subfile)\{([^{}]+)\}")
_COMMENT = re.compile(r"(?<!\\)%.*$", re.MULTILINE)
# the bibliography files: BibTeX's names (".bib" always added), biblatex's file names
_AUX_BIBLIOGRAPHY = re.compile(r"\\(bibdata)\{([^{}]*)\}")
_TEX_BIBLIOGRAPHY = re.compile(r"\\(bibliography|addbibresource)(?:\s*\[[^\]]*\])?\s*\{([^{}]*)\}")


@dataclass(frozen=True)
class _Syntax:
    """How one kind of file cites, includes other files and names its bibliographies."""

    suffix: str
    cite: re.Pattern[str]
    include: re.Pattern[str]
    bibliography: re.Pattern[str]


_AUX = _Syntax(".aux", _AUX_CITE, _AUX_INPUT, _AUX_BIBLIOGRAPHY)
_TEX = _Syntax(".tex", _TEX_CITE, _TEX_INPUT, _TEX_BIBLIOGRAPHY)


@dataclass
class CitedKeys:
    """Keys cited, each with where it is first cited; `everything` when
    `\\nocite{*}`; the bibliography files the document names, in order."""

    places: dict[str, Location] = field(default_factory=dict)
    everything: bool = False
    bibliographies: list[str] = field(default_factory=list)

    def add(self, key: str, where: Location) -> None:
        if key == ALL:
            self.everything = True
        elif key:
            self.places.setdefault(key, where)

    def wants(self, key: str) -> bool:
        return self.everything or key in self.places


def cited_keys(aux: tuple[str, ...] = (), tex: tuple[str, ...] = ()) -> CitedKeys | None:
    """The keys the given .aux and .tex files cite; None when none is given."""
    if not aux and not tex:
        return None
    cited = CitedKeys()
    for path in aux:
        _read(Path(path), cited, _AUX, set())
    for path in tex:
        _read(Path(path), cited, _TEX, set())
    return cited


def _read(path: Path, cited: CitedKeys, syntax: _Syntax, seen: set[str]) -> None:
    """Collect the keys and bibliographies of `path` and of the files it
    includes (each read once)."""
    real = os.path.realpath(path)  # unlike Path.resolve, never raises (a loop of links)
    if real in seen:
        return
    seen.add(real)
    text = read_text(path)
    if syntax is _TEX:
        text = _COMMENT.sub(lambda m: " " * len(m.group(0)), text)
    for match in syntax.cite.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        for key in _keys(match.group(1), syntax.suffix):
            cited.add(key, Location(str(path), line, label=key))
    for match in syntax.bibliography.finditer(text):
        for name in (n.strip() for n in match.group(2).split(",")):
            if name and match.group(1) != "addbibresource" and not name.endswith(".bib"):
                name += ".bib"
            bibliography = str(path.parent / name) if name else ""
            if bibliography and bibliography not in cited.bibliographies:
                cited.bibliographies.append(bibliography)
    for match in syntax.include.finditer(text):
        child = path.parent / match.group(1).strip()
        child = child if child.suffix else child.with_suffix(syntax.suffix)
        if child.is_file():
            _read(child, cited, syntax, seen)


def _keys(argument: str, suffix: str) -> list[str]:
    """The keys in a cite command's braces ({a,b} or, for \\cites, {a}{b}); optional [..] notes dropped."""
    groups = [argument] if suffix == ".aux" else re.findall(r"\{([^{}]*)\}", argument)
    return [key.strip() for group in groups for key in group.split(",") if key.strip()]
