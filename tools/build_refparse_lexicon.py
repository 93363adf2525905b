"""Build the word lists the reference parser's features look words up in.

The lists are counted and filtered from the real Crossref records in
../shared/data/crossref-works.jsonl (Crossref metadata; provenance in that
folder's README): words of journal titles and their printed abbreviations,
given names, family names and publishers' words, each kept only when it is
frequent enough and far more often in its role than elsewhere. Places are a
hand-written list (tools/places.txt). Nothing is copied whole: a list holds
single lower-cased words.

    python tools/build_refparse_lexicon.py [--works ../shared/data/crossref-works.jsonl]
"""

from __future__ import annotations

import argparse
import json
import re
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
LEXICON = REPO / "refkit" / "refparse" / "lexicon"
_WORD = re.compile(r"[^\W\d_]{2,}")


def words(text: str) -> set[str]:
    """The distinct lower-cased words of `text` (letters only, two or more)."""
    return {w.lower() for w in _WORD.findall(text or "")}


def count_roles(records: list[dict]) -> dict[str, Counter]:
    """How many records use each word in each role."""
    roles = {role: Counter() for role in ("container", "abbreviation", "title", "given", "family", "publisher")}
    for record in records:
        full = set().union(*map(words, record.get("container-title") or [""]))
        short = set().union(*map(words, record.get("short-container-title") or [""]))
        roles["container"].update(full)
        roles["abbreviation"].update(short - full)
        roles["title"].update(set().union(*map(words, record.get("title") or [""])))
        roles["publisher"].update(words(record.get("publisher", "")))
        people = (record.get("author") or []) + (record.get("editor") or [])
        roles["given"].update(set().union(set(), *(words(p.get("given", "")) for p in people)))
        roles["family"].update(set().union(set(), *(words(p.get("family", "")) for p in people)))
    return roles


def kept(counts: Counter, against: list[Counter], least: int, ratio: float = 2.0) -> list[str]:
    """Words seen in at least `least` records in this role and `ratio` times
    more often in it than in any role of `against`."""
    return sorted(w for w, n in counts.items()
                  if n >= least and all(n >= ratio * other[w] for other in against))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--works", type=Path, default=REPO.parent / "shared" / "data" / "crossref-works.jsonl")
    args = parser.parse_args()
    records = [json.loads(line) for line in args.works.read_text(encoding="utf-8").splitlines()]
    roles = count_roles(records)
    journal = roles["container"] + roles["abbreviation"]
    lists = {
        "journal": sorted(set(kept(roles["container"], [roles["title"], roles["given"], roles["family"]], 2))
                          | set(kept(roles["abbreviation"], [roles["title"]], 1))),
        "given": kept(roles["given"], [roles["family"], roles["title"], journal], 2),
        "family": kept(roles["family"], [roles["given"], roles["title"], journal], 2),
        # every word of a journal's name, whose beginnings are the abbreviations printed
        "journal-words": kept(roles["container"], [], 1),
        "publisher": kept(roles["publisher"], [roles["title"], roles["family"]], 2),
    }
    LEXICON.mkdir(exist_ok=True)
    for name, entries in lists.items():
        (LEXICON / f"{name}.txt").write_text("\n".join(entries) + "\n", encoding="utf-8")
        print(f"{name}: {len(entries)} words")
    places = sorted({line.strip().lower() for line in (REPO / "tools" / "places.txt").read_text().splitlines()
                     if line.strip() and not line.startswith("#")})
    (LEXICON / "place.txt").write_text("\n".join(places) + "\n", encoding="utf-8")
    print(f"place: {len(places)} words")


if __name__ == "__main__":
    main()
