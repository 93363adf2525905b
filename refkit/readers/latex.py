"""The citation keys a LaTeX document cites, from its .aux or its .tex.

- .aux (what BibTeX and biber read): `\\citation{a,b}` (BibTeX, natbib),
  `\\abx@aux@cite{0}{a}` and the older `\\abx@aux@cite{a}` (biblatex), and the
  .aux files of `\\include`d chapters named by `\\@input{…}`.
- .tex: every `\\cite`-like command — `\\cite`, `\\citep[p.~3]{a}`, `\\citet*`,
  `\\parencite`, `\\textcite`, `\\autocite`, `\\footcite`, `\\nocite`, the
  multi-cite `\\cites{a}{b}` … — outside comments, with `\\input`/`\\include`d
  files followed.
`\\nocite{*}` (every entry) means no restriction.
"""

from __future__ import annotations

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


@dataclass
class CitedKeys:
    """Keys cited, each with where it is first cited; `everything` when `\\nocite{*}`."""

    places: dict[str, Location] = field(default_factory=dict)
    everything: bool = False

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
        _read(Path(path), cited, _AUX_CITE, _AUX_INPUT, ".aux", set())
    for path in tex:
        _read(Path(path), cited, _TEX_CITE, _TEX_INPUT, ".tex", set())
    return cited


def _read(path: Path, cited: CitedKeys, cite: re.Pattern[str], include: re.Pattern[str],
          suffix: str, seen: set[Path]) -> None:
    """Collect the keys of `path` and of the files it includes (each read once)."""
    if path.resolve() in seen:
        return
    seen.add(path.resolve())
    text = read_text(path)
    if suffix == ".tex":
        text = _COMMENT.sub(lambda m: " " * len(m.group(0)), text)
    for match in cite.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        for key in _keys(match.group(1), suffix):
            cited.add(key, Location(str(path), line, label=key))
    for match in include.finditer(text):
        child = path.parent / match.group(1).strip()
        child = child if child.suffix else child.with_suffix(suffix)
        if child.is_file():
            _read(child, cited, cite, include, suffix, seen)


def _keys(argument: str, suffix: str) -> list[str]:
    """The keys in a cite command's braces ({a,b} or, for \\cites, {a}{b}); optional [..] notes dropped."""
    groups = [argument] if suffix == ".aux" else re.findall(r"\{([^{}]*)\}", argument)
    return [key.strip() for group in groups for key in group.split(",") if key.strip()]
