"""Cross-validated accuracy and speed of the reference-string parser.

Data: the labelled strings of ../shared/data/refstrings/ (GROBID citation
corpus and AnyStyle CORA; see tools/refstrings.py), never copied into the
repository. The learned parser is scored out of fold: K models are trained
(tools/train_refparse.py, with the synthetic strings in every training set),
each labels the strings of the groups it never saw. The rule-based parser
refkit used before (read from git, commit 05b59a6) is scored on the same
strings for comparison. Printed:
- per-field precision, recall and F1 of the labelled fields, strict (exact
  token spans) and soft (GROBID's soft match: text ignoring case, punctuation
  and spaces);
- the issue's table row, per reference: references found, first author
  (family name), title, year, journal (container), volume, first page, each
  an F1 over (right value) vs (value given or expected);
- parsing speed of the shipped model, strings per second on one core.

    nice -n 10 python benchmarks/bench_refparse.py [--folds 10] [--jobs 2] [--random] [--only N] [--predictions cv.json]
    nice -n 10 python benchmarks/bench_refparse.py --speed    # the speed alone, no training
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import re
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tools"))

from refkit.folding import strip_accents  # noqa: E402
from refkit.refparse import parse_reference  # noqa: E402
from refkit.refparse.fields import read_fields  # noqa: E402
from refkit.resolving.match import first_page  # noqa: E402
from refstrings import REFSTRINGS, read_all, token_labels  # noqa: E402
from train_refparse import cross_validate, print_scores, synthetic  # noqa: E402

RULE_PARSER_COMMIT = "05b59a6"
COLUMNS = ("first author", "title", "year", "journal", "volume", "first page")
_INITIALS = re.compile(r"^(?:[^\W\d_]{1,2}|[A-Z]{1,3}|Jr|Sr|II|III|et|al)$")


def key(text: str) -> str:
    return re.sub(r"[\W_]+", "", strip_accents(str(text or "")).lower())


def gold_first_author(author_text: str) -> str:
    """The first author's family name in a gold author list, read without
    the parser: the last word of the first name that is not an initial."""
    first = re.split(r"\s*(?:[,;&]|\band\b|\bet\b)\s*", author_text.strip(), maxsplit=1)[0]
    words = [w for w in re.findall(r"[^\W\d_][\w'’-]*", first) if not _INITIALS.match(w)]
    return key(words[-1]) if words else ""


def values(fields: dict) -> dict[str, str]:
    """The compared values of parsed fields."""
    authors = fields["authors"]
    family = (authors[0].family or authors[0].literal).split() if authors else []
    return {"first author": key(family[-1]) if family else "", "title": key(fields["title"]),
            "year": str(fields["year"] or ""), "journal": key(fields["container"]), "volume": key(fields["volume"]),
            "first page": key(first_page(fields["pages"]) if fields["pages"] else "")}


def row(golds: list[dict[str, str]], parsed: list[dict[str, str]], found: int) -> list[float]:
    """References found F1, then each column's F1: right values over values
    given (precision) and over values expected (recall)."""
    out = [200 * found / (len(golds) + found)]
    for column in COLUMNS:
        tp = sum(bool(g[column]) and g[column] == p[column] for g, p in zip(golds, parsed))
        given = sum(bool(p[column]) for p in parsed)
        expected = sum(bool(g[column]) for g in golds)
        out.append(200 * tp / max(given + expected, 1))
    return out


def rule_parser():
    """parse_reference of the rule-based parser, as it was at RULE_PARSER_COMMIT."""
    source = subprocess.run(["git", "-C", str(REPO), "show", f"{RULE_PARSER_COMMIT}:refkit/refparse.py"],
                            capture_output=True, text=True, check=True).stdout
    spec = importlib.util.spec_from_loader("refparse_rules", loader=None)
    module = importlib.util.module_from_spec(spec)
    exec(compile(source, "refparse_rules.py", "exec"), module.__dict__)  # noqa: S102 - our own past code
    return module.parse_reference


def strings_per_second(texts: list[str]) -> float:
    """One pass over `texts`, each read once: the parser's memo of whole
    parses never answers (the words' and names' caches do, as in a real list)."""
    parse_reference(texts[0])  # load the model
    started = time.process_time()
    for text in texts:
        parse_reference(text)
    return len(texts) / (time.process_time() - started)


def print_speed(texts: list[str], passes: int = 3) -> None:
    """The first pass (caches cold, as a fresh process reading one list) and the best of `passes`."""
    figures = [strings_per_second(texts) for _ in range(passes)]
    print(f"speed: {figures[0]:.0f} strings/s first pass, {max(figures):.0f} best of {passes} on one core "
          f"(CPU time, shipped model, {len(texts)} distinct strings)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folds", type=int, default=10)
    parser.add_argument("--only", type=int, help="run only the first N folds (a quick check)")
    parser.add_argument("--random", action="store_true",
                        help="split strings at random, not by source list: GROBID's protocol for its 0.945, "
                             "less strict (a list's neighbours are trained on)")
    parser.add_argument("--jobs", type=int, default=1, help="folds trained at once, one process each")
    parser.add_argument("--speed", action="store_true", help="measure only the parsing speed (no training)")
    parser.add_argument("--predictions", type=Path, metavar="JSON",
                        help="keep the out-of-fold labels in this file, and reuse them when it exists "
                             "(to re-score after a change to the rules, not to the model)")
    args = parser.parse_args()
    if not REFSTRINGS.is_dir():
        sys.exit(f"{REFSTRINGS} is absent: this benchmark needs the labelled strings")
    examples = read_all()
    if args.speed:
        print_speed(list(dict.fromkeys(e.text for e in examples)))
        return
    if args.predictions and args.predictions.is_file():
        predicted = json.loads(args.predictions.read_text(encoding="utf-8"))
    else:
        predicted = cross_validate(examples, synthetic(), args.folds, only=args.only,
                                   grouped=not args.random, jobs=args.jobs)
        if args.predictions:
            args.predictions.write_text(json.dumps(predicted), encoding="utf-8")
    tested = [(e, p) for e, p in zip(examples, predicted) if p]
    labelled = [token_labels(e) for e, _ in tested]
    gold_labels = [labels for _, labels in labelled]
    split = "strings split at random (GROBID's protocol)" if args.random else "grouped by source list"
    print(f"{args.folds}-fold cross-validation, {split}: {len(tested)} of {len(examples)} "
          f"labelled strings tested\n")
    print_scores([tokens for tokens, _ in labelled], gold_labels, [p for _, p in tested])

    golds, learned, rules = [], [], []
    old_parse = rule_parser()
    found = Counter()
    for (example, labels), (tokens, gold) in zip(tested, labelled):
        gold_fields = values(read_fields(example.text, tokens, gold))
        gold_fields["first author"] = gold_first_author(" ".join(
            example.text[s:e] for s, e, lab in example.spans if lab == "author"))
        golds.append(gold_fields)
        for name, fields, out in (("learned", read_fields(example.text, tokens, labels), learned),
                                  ("rules", old_parse(example.text), rules)):
            out.append(values(fields))
            found[name] += bool(fields["authors"] or fields["title"] or fields["container"])
    print(f"\nper reference, F1 (%), {len(golds)} strings")
    print(f"{'parser':<28}{'refs found':>11}" + "".join(f"{c:>13}" for c in COLUMNS))
    for title, name, parsed in (("refkit CRF (cross-validated)", "learned", learned),
                                ("refkit rules (05b59a6)", "rules", rules)):
        figures = row(golds, parsed, found[name])
        print(f"{title:<28}{figures[0]:>11.1f}" + "".join(f"{v:>13.1f}" for v in figures[1:]))
    print()
    print_speed(list(dict.fromkeys(e.text for e in examples)))


if __name__ == "__main__":
    main()
