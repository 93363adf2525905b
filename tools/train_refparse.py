"""Train the reference-string parser's CRF and cross-validate it.

Data: the labelled strings of ../shared/data/refstrings/ (GROBID citation
corpus, Apache-2.0 with annotations under CC-BY 4.0; AnyStyle CORA,
BSD-2-Clause), read by tools/refstrings.py, plus synthetic strings
(tools/synthetic_refs.py). Cross-validation is k-fold over groups (a source
file, or a run of 25 neighbouring strings of the two mixed files), so no fold
is tested on strings from the list it trained on; synthetic strings are only
ever trained on. Everything is seeded: the same command gives the same model.

    nice -n 10 python tools/train_refparse.py            # train, write refkit/refparse/refparse.crfsuite
    nice -n 10 python tools/train_refparse.py --cv 10    # also print 10-fold per-field P/R/F1

Cross-validation of the shipped model (benchmarks/bench_refparse.py, 10 folds,
8,204 strings): field F1 0.907 micro (date 0.950, author 0.944, pages 0.953,
volume 0.951, container 0.885, title 0.850); the full table is in README
("Reference-string parser").
"""

from __future__ import annotations

import argparse
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
from refkit.refparse.labeller import MODEL_FILE  # noqa: E402
from refstrings import Labelled, read_all, token_labels  # noqa: E402

SEED = 20261206
PARAMS = {"c1": 0.05, "c2": 0.01, "max_iterations": 200, "feature.possible_transitions": True}
MODEL = REPO / "refkit" / "refparse" / MODEL_FILE


def training_data(examples: list[Labelled]) -> list[tuple[list[list[str]], list[str]]]:
    """(features, labels) per example."""
    data = []
    for example in examples:
        tokens, labels = token_labels(example)
        if tokens:
            data.append((sequence_features(tokens), labels))
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
                   only: int | None = None, grouped: bool = True) -> list[list[str]]:
    """Out-of-fold predicted labels for each of `examples` (`extra` is
    trained on in every fold, never tested); with `only`, just the first
    `only` folds are run and the other examples get no prediction ([])."""
    fold_of = folds(examples, k, grouped=grouped)
    data = training_data(examples)
    extra_data = training_data(extra)
    predicted: list[list[str]] = [[] for _ in examples]
    with tempfile.TemporaryDirectory() as tmp:
        for fold in range(only or k):
            started = time.perf_counter()
            path = Path(tmp) / f"fold{fold}.crfsuite"
            train([d for d, f in zip(data, fold_of) if f != fold] + extra_data, path, params)
            tagger = pycrfsuite.Tagger()
            tagger.open(str(path))
            for i, f in enumerate(fold_of):
                if f == fold:
                    predicted[i] = tagger.tag(data[i][0])
            tagger.close()
            print(f"  fold {fold + 1}/{k}: {fold_of.count(fold)} strings, "
                  f"{time.perf_counter() - started:.0f} s", file=sys.stderr)
    return predicted


def spans(labels: list[str]) -> set[tuple[int, int, str]]:
    """The fields of a labelled sequence as (first token, end, label)."""
    found, start = set(), 0
    for i in range(1, len(labels) + 1):
        if i == len(labels) or labels[i] != labels[start]:
            if labels[start] != "O":
                found.add((start, i, labels[start]))
            start = i
    return found


def field_scores(gold: list[list[str]], predicted: list[list[str]]) -> dict[str, Counter]:
    """Per label, counts of fields found exactly (tp), found wrongly (fp) and missed (fn)."""
    scores: dict[str, Counter] = {}
    for g, p in zip(gold, predicted):
        gs, ps = spans(g), spans(p)
        for s in gs | ps:
            counts = scores.setdefault(s[2], Counter())
            counts["tp" if s in gs and s in ps else "fn" if s in gs else "fp"] += 1
    return scores


def print_scores(scores: dict[str, Counter], gold: list[list[str]], predicted: list[list[str]]) -> None:
    """The per-field table: precision, recall, F1, support; then micro and macro averages."""
    def prf(c: Counter) -> tuple[float, float, float]:
        p = c["tp"] / max(c["tp"] + c["fp"], 1)
        r = c["tp"] / max(c["tp"] + c["fn"], 1)
        return p, r, 2 * p * r / max(p + r, 1e-9)

    print(f"{'field':<12}{'precision':>10}{'recall':>8}{'F1':>8}{'fields':>8}")
    total: Counter = Counter()
    f1s = []
    for label in sorted(scores, key=lambda lab: -(scores[lab]["tp"] + scores[lab]["fn"])):
        c = scores[label]
        total.update(c)
        p, r, f = prf(c)
        f1s.append(f)
        print(f"{label:<12}{p:>10.3f}{r:>8.3f}{f:>8.3f}{c['tp'] + c['fn']:>8}")
    p, r, f = prf(total)
    print(f"{'all (micro)':<12}{p:>10.3f}{r:>8.3f}{f:>8.3f}{total['tp'] + total['fn']:>8}")
    print(f"{'all (macro)':<12}{'':>10}{'':>8}{sum(f1s) / len(f1s):>8.3f}")
    tokens = sum(len(g) for g in gold)
    right = sum(a == b for g, p in zip(gold, predicted) for a, b in zip(g, p))
    print(f"token accuracy {right / tokens:.3f} over {tokens} tokens")


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
    parser.add_argument("--no-model", action="store_true", help="do not write the model file")
    args = parser.parse_args()
    examples = read_all()
    extra = synthetic()
    print(f"{len(examples)} labelled strings, {len(extra)} synthetic", file=sys.stderr)
    if args.cv:
        predicted = cross_validate(examples, extra, args.cv, only=args.only, grouped=not args.random)
        gold = [token_labels(e)[1] for e, p in zip(examples, predicted) if p]
        predicted = [p for p in predicted if p]
        split = "strings split at random" if args.random else "grouped by source list"
        print(f"{args.cv}-fold cross-validation, {split}, {len(gold)} strings tested "
              f"(+{len(extra)} synthetic in every training fold)")
        print_scores(field_scores(gold, predicted), gold, predicted)
    if not args.no_model:
        started = time.perf_counter()
        train(training_data(examples + extra), MODEL)
        print(f"wrote {MODEL.relative_to(REPO)} ({MODEL.stat().st_size / 1e6:.1f} MB) "
              f"in {time.perf_counter() - started:.0f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
