"""Train the reference-string parser's CRF and cross-validate it.

Data: the labelled strings of ../shared/data/refstrings/ (GROBID citation
corpus, Apache-2.0 with annotations under CC-BY 4.0; AnyStyle CORA,
BSD-2-Clause), read by tools/refstrings.py, plus synthetic strings
(tools/synthetic_refs.py). Cross-validation is k-fold over groups (a source
file, or a run of 25 neighbouring strings of the two mixed files), so no fold
is tested on strings from the list it trained on; synthetic strings are only
ever trained on. Everything is seeded: the same command gives the same model.

    nice -n 10 python tools/train_refparse.py            # train, write refkit/refparse/refparse.crfsuite
    nice -n 10 python tools/train_refparse.py --cv 10 --jobs 2   # also print 10-fold per-field P/R/F1, strict and soft

Cross-validation of the shipped model (benchmarks/bench_refparse.py, 10 folds
over groups, 8,204 strings, 47,069 fields; trained on the states of
refkit.refparse.states, each fold's labels decoded and mended as the
package does, see refkit.refparse.decoding, name_order and title_end):
strict field F1 0.932 micro (date 0.965, author 0.965, pages 0.968, volume
0.952, container 0.919, title 0.930); soft (GROBID's soft match) 0.936; the
full table, and what was tried and not kept, is in README ("Reference-string
parser").
"""

from __future__ import annotations

import argparse
import multiprocessing
import random
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tools"))

import pycrfsuite  # noqa: E402

from refkit.refparse.features import sequence_features  # noqa: E402
from refkit.refparse.labeller import MODEL_FILE, Labeller  # noqa: E402
from refkit.refparse.states import states  # noqa: E402
from refkit.refparse.tokens import Token  # noqa: E402
from refstrings import Labelled, fold, read_all, token_labels  # noqa: E402

SEED = 20261206
PARAMS = {"c1": 0.05, "c2": 0.05, "max_iterations": 200, "feature.possible_transitions": True}
MODEL = REPO / "refkit" / "refparse" / MODEL_FILE


def training_data(examples: list[Labelled]) -> list[tuple[list[list[str]], list[str]]]:
    """(features, CRF states) per example."""
    data = []
    for example in examples:
        tokens, labels = token_labels(example)
        if tokens:
            data.append((sequence_features(tokens), states(labels)))
    return data


def train(data: list[tuple[list[list[str]], list[str]]], path: Path, params: dict = PARAMS) -> None:
    """Fit a CRF on `data` and write it to `path`."""
    trainer = pycrfsuite.Trainer(verbose=False)
    for xseq, yseq in data:
        trainer.append(xseq, yseq)
    trainer.set_params(params)
    trainer.train(str(path))


def folds(examples: list[Labelled], k: int, seed: int = SEED, grouped: bool = True) -> list[int]:
    """A fold number per example: whole groups, shuffled, then dealt out so
    folds hold about the same number of strings; not `grouped`, each string
    is its own group (a random split, as GROBID's figures are made)."""
    sizes = Counter(e.group if grouped else i for i, e in enumerate(examples))
    groups = sorted(sizes)
    random.Random(seed).shuffle(groups)
    load = [0] * k
    fold_of = {}
    for group in sorted(groups, key=lambda g: -sizes[g]):  # stable: equal sizes keep the shuffled order
        fold_of[group] = min(range(k), key=load.__getitem__)
        load[fold_of[group]] += sizes[group]
    return [fold_of[e.group if grouped else i] for i, e in enumerate(examples)]


def cross_validate(examples: list[Labelled], extra: list[Labelled], k: int, params: dict = PARAMS,
                   only: int | None = None, grouped: bool = True, jobs: int = 1) -> list[list[str]]:
    """Out-of-fold predicted labels for each of `examples` (`extra` is
    trained on in every fold, never tested); with `only`, just the first
    `only` folds are run and the other examples get no prediction ([]);
    `jobs` folds are trained at once, each in its own process."""
    global _CV
    fold_of = folds(examples, k, grouped=grouped)
    words = [[token.text for token in tokens] for tokens in (token_labels(e)[0] for e in examples) if tokens]
    _CV = (training_data(examples), training_data(extra), fold_of, params, k, words)
    predicted: list[list[str]] = [[] for _ in examples]
    with multiprocessing.get_context("fork").Pool(jobs) as pool:
        for fold, labels in pool.imap_unordered(_fold_predictions, range(only or k)):
            for i, tagged in zip((i for i, f in enumerate(fold_of) if f == fold), labels):
                predicted[i] = tagged
    return predicted


_CV: tuple = ()  # what the fold workers share (set before they fork)


def _fold_predictions(fold: int) -> tuple[int, list[list[str]]]:
    """Train without `fold` and label its strings (run in a worker process)."""
    data, extra_data, fold_of, params, k, words = _CV
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"fold{fold}.crfsuite"
        train([d for d, f in zip(data, fold_of) if f != fold] + extra_data, path, params)
        labeller = Labeller(str(path))
        labels = [labeller.tag([[name.encode() for name in token] for token in d[0]], w)
                  for d, w, f in zip(data, words, fold_of) if f == fold]
    print(f"  fold {fold + 1}/{k}: {len(labels)} strings, {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return fold, labels


def spans(labels: list[str]) -> set[tuple[int, int, str]]:
    """The fields of a labelled sequence as (first token, end, label)."""
    found, start = set(), 0
    for i in range(1, len(labels) + 1):
        if i == len(labels) or labels[i] != labels[start]:
            if labels[start] != "O":
                found.add((start, i, labels[start]))
            start = i
    return found


def strict_fields(tokens: list[Token], labels: list[str]) -> Counter:
    """Strict comparison: each field is its label and exact token span (a
    punctuation mark or word more or less at an end makes it wrong)."""
    return Counter((label, (start, end)) for start, end, label in spans(labels))


def soft_fields(tokens: list[Token], labels: list[str]) -> Counter:
    """Soft comparison, as GROBID's evaluation's soft match: each field is
    its label and its text ignoring case, punctuation and spaces;
    punctuation tokens are left out before fields are cut, so a field split
    only by a punctuation mark labelled otherwise counts as one."""
    words = [(t, label) for t, label in zip(tokens, labels) if t.link or t.text[0].isalnum()]
    return Counter((label, fold(" ".join(words[i][0].text for i in range(start, end))))
                   for start, end, label in spans([label for _, label in words]))


def field_scores(tokens: list[list[Token]], gold: list[list[str]], predicted: list[list[str]],
                 fields=strict_fields) -> dict[str, Counter]:
    """Per label, counts of fields found right (tp), found wrongly (fp) and
    missed (fn), comparing each string's `fields` (strict or soft)."""
    scores: dict[str, Counter] = {}
    for t, g, p in zip(tokens, gold, predicted):
        gs, ps = fields(t, g), fields(t, p)
        for key in gs | ps:
            counts = scores.setdefault(key[0], Counter())
            right = min(gs[key], ps[key])
            counts["tp"] += right
            counts["fn"] += gs[key] - right
            counts["fp"] += ps[key] - right
    return scores


def _prf(c: Counter) -> tuple[float, float, float]:
    p = c["tp"] / max(c["tp"] + c["fp"], 1)
    r = c["tp"] / max(c["tp"] + c["fn"], 1)
    return p, r, 2 * p * r / max(p + r, 1e-9)


def print_scores(tokens: list[list[Token]], gold: list[list[str]], predicted: list[list[str]]) -> None:
    """The per-field table, strict (exact token spans) and soft (text ignoring
    case, punctuation and spaces): precision, recall, F1, gold fields; then
    micro and macro averages and token accuracy."""
    both = [field_scores(tokens, gold, predicted, kind) for kind in (strict_fields, soft_fields)]
    print(f"{'':<12}{'--- strict (exact token span) ---':>32}  {'--- soft (case, punct, space ignored) ---':>42}")
    header = f"{'precision':>10}{'recall':>8}{'F1':>8}{'fields':>8}"
    print(f"{'field':<12}{header}  {header}")
    totals = [Counter(), Counter()]
    f1s: list[list[float]] = [[], []]
    for label in sorted(both[0], key=lambda lab: -(both[0][lab]["tp"] + both[0][lab]["fn"])):
        line = f"{label:<12}"
        for i, scores in enumerate(both):
            c = scores.get(label, Counter())
            totals[i].update(c)
            p, r, f = _prf(c)
            f1s[i].append(f)
            line += f"{p:>10.3f}{r:>8.3f}{f:>8.3f}{c['tp'] + c['fn']:>8}  "
        print(line.rstrip())
    micro = f"{'all (micro)':<12}"
    macro = f"{'all (macro)':<12}"
    for i in range(2):
        p, r, f = _prf(totals[i])
        micro += f"{p:>10.3f}{r:>8.3f}{f:>8.3f}{totals[i]['tp'] + totals[i]['fn']:>8}  "
        macro += f"{'':>18}{sum(f1s[i]) / len(f1s[i]):>8.3f}{'':>8}  "
    print(micro.rstrip())
    print(macro.rstrip())
    count = sum(len(g) for g in gold)
    right = sum(a == b for g, p in zip(gold, predicted) for a, b in zip(g, p))
    print(f"token accuracy {right / count:.3f} over {count} tokens")


def synthetic() -> list[Labelled]:
    """The synthetic strings trained on besides the corpus."""
    try:
        from synthetic_refs import synthetic_examples
    except ImportError:
        return []
    return synthetic_examples()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cv", type=int, default=0, metavar="K", help="cross-validate over K folds first")
    parser.add_argument("--only", type=int, metavar="N", help="run only the first N folds (a quick check)")
    parser.add_argument("--random", action="store_true",
                        help="split strings at random, not by source list (GROBID's protocol; less strict)")
    parser.add_argument("--jobs", type=int, default=1, help="folds trained at once, one process each")
    parser.add_argument("--no-model", action="store_true", help="do not write the model file")
    args = parser.parse_args()
    examples = read_all()
    extra = synthetic()
    print(f"{len(examples)} labelled strings, {len(extra)} synthetic", file=sys.stderr)
    if args.cv:
        predicted = cross_validate(examples, extra, args.cv, only=args.only, grouped=not args.random,
                                   jobs=args.jobs)
        labelled = [token_labels(e) for e, p in zip(examples, predicted) if p]
        gold = [labels for _, labels in labelled]
        predicted = [p for p in predicted if p]
        split = "strings split at random" if args.random else "grouped by source list"
        print(f"{args.cv}-fold cross-validation, {split}, {len(gold)} strings tested "
              f"(+{len(extra)} synthetic in every training fold)")
        print_scores([tokens for tokens, _ in labelled], gold, predicted)
    if not args.no_model:
        started = time.perf_counter()
        train(training_data(examples + extra), MODEL)
        print(f"wrote {MODEL.relative_to(REPO)} ({MODEL.stat().st_size / 1e6:.1f} MB) "
              f"in {time.perf_counter() - started:.0f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
