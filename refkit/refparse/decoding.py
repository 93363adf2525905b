"""Label a reference with at most one title, container, volume, issue and
page range.

A reference has one of each, but the CRF scores a token with only its
neighbours in view, and now and then gives a reference two titles ("The
bootstrap for empirical processes …, Stochastic Process" and "Appl") or two
page ranges. When it does, the labels are decoded again with the CRF's own
state and transition weights: the labelling that scores best among those
with one span of each label found repeated. Labels the CRF finds all but
impossible at a token (marginal below _PRUNED) are left out of that search,
which keeps it to a few states per token. Only a reference's first
citation is held so (see first_citation_end). Over 8,204 labelled strings
cross-validated (tools/train_refparse.py, with a model of one state per
label) it raised strict field F1 of titles from 0.887 to 0.892,
containers 0.895 to 0.899, pages 0.956 to 0.961, volumes 0.946 to 0.950.
An author list is left free: "ATLAS Collaboration, L. Cunqueiro" prints a
group and a person as two lists. A model's states (see `states`) are held
by the field each stands for.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Sequence

import pycrfsuite

from refkit.refparse.states import label as field_of, opens_field

ONCE = frozenset({"title", "container", "volume", "issue", "pages"})  # a reference holds one span of each
# After a volume or page, these open a second citation printed in the same
# reference: "J. Phys. C 6, 1181 (1973); ibid. 7, 1046", "34, 247 (1958)
# [Sov. Phys. JETP 7, 172]", "2001;1:1-2. Erratum in: …", "Reprinted in …"
_SECOND_CITATION = frozenset({";", "[", "erratum", "errata", "corrigendum", "addendum", "retracted", "retraction",
                              "reprint", "reprinted", "translation", "translated", "transl", "trans", "ibid",
                              "ibidem", "also", "english", "comment"})
_LOCATED = frozenset({"volume", "pages"})
_PRUNED = 1e-4
# a feature in CRFsuite's dump of a model: "(0) attribute --> label: weight"
# for a state feature, "(1) label --> label: weight" for a transition (read
# so, not through Tagger.info(), whose parser takes ten times as long; as
# bytes, which the attributes are)
_FEATURE = re.compile(rb"^  \(([01])\) (.+) --> (\S+): (\S+)$", re.MULTILINE)


class Weights:
    """A CRF model's weights, for scoring labellings outside CRFsuite."""

    def __init__(self, tagger: pycrfsuite.Tagger) -> None:
        self.labels: list[str] = tagger.labels()  # the model's states
        self.fields = [field_of(state) for state in self.labels]  # the field label of each
        self.begins = [opens_field(state) for state in self.labels]  # states that open a field
        index = {label.encode(): i for i, label in enumerate(self.labels)}
        self.transitions = [[0.0] * len(self.labels) for _ in self.labels]
        # each attribute's weights, by label (those it has)
        self.state: dict[bytes, dict[int, float]] = {}
        for kind, source, label, weight in _FEATURE.findall(_dump(tagger)):
            if kind == b"0":
                self.state.setdefault(source, {})[index[label]] = float(weight)
            else:
                self.transitions[index[source]][index[label]] = float(weight)

    def emissions(self, features: Sequence[bytes], candidates: list[int]) -> dict[int, float]:
        """The state score of each candidate label for a token with `features`
        (summed for the candidates alone: most tokens have two or three of
        the model's labels)."""
        rows = [row for row in map(self.state.get, features) if row]
        return {label: sum([row.get(label, 0.0) for row in rows]) for label in candidates}


def _dump(tagger: pycrfsuite.Tagger) -> bytes:
    """CRFsuite's text dump of the tagger's model (UTF-8)."""
    handle, path = tempfile.mkstemp(suffix=".txt")
    os.close(handle)
    try:
        tagger.dump(path)
        with open(path, "rb") as dumped:
            return dumped.read()
    finally:
        os.unlink(path)


def first_citation_end(words: Sequence[str], labels: Sequence[str]) -> int:
    """Where a second citation may start in a reference (see
    _SECOND_CITATION): its first token, or the end. Only the first citation
    is held to one title, container, volume, issue and page range."""
    located = False
    for i, (word, label) in enumerate(zip(words, labels)):
        if located and word.lower() in _SECOND_CITATION:
            return i
        located = located or label in _LOCATED
    return len(labels)


def repeated(labels: Sequence[str]) -> set[str]:
    """The ONCE labels of which `labels` hold two spans or more."""
    starts = [label for i, label in enumerate(labels) if label in ONCE and (not i or labels[i - 1] != label)]
    return {label for label in starts if starts.count(label) > 1}


def one_of_each(tagger: pycrfsuite.Tagger, weights: Weights, xseq: Sequence[Sequence[bytes]],
                tagged: list[str]) -> list[str]:
    """The best labelling of `xseq` with at most one span of each ONCE
    label; `tagger` has just tagged `xseq` (or a sequence it begins) with
    the states `tagged` (its marginals are read). Only the labels found
    repeated are held to one span, then any that repeats once those are
    held (rarely more than one or two: each doubles the states searched);
    when no labelling is left after pruning, the last one found (the
    labels of `tagged` at first)."""
    candidates = [_candidates(tagger, weights, t, state) for t, state in enumerate(tagged)]
    labels = [field_of(state) for state in tagged]
    emissions = [weights.emissions(x, c) if len(c) > 1 else {c[0]: 0.0} for x, c in zip(xseq, candidates)]
    held: set[str] = set()
    while found := repeated(labels) - held:
        held |= found
        bit_of = {field: 1 << n for n, field in enumerate(sorted(held))}
        bits = [bit_of.get(field, 0) for field in weights.fields]
        best = _viterbi(weights, emissions, bits)
        if not best:
            break
        labels = [weights.fields[i] for i in best]
    return labels


def _candidates(tagger: pycrfsuite.Tagger, weights: Weights, t: int, tagged: str) -> list[int]:
    """The labels token `t` may take: the one tagged and those whose
    marginal is not negligible. (A token with one candidate is on every
    path with it, so its score need not be known.)"""
    if tagger.marginal(tagged, t) > 1 - _PRUNED:
        return [weights.labels.index(tagged)]
    return [i for i, label in enumerate(weights.labels) if label == tagged or tagger.marginal(label, t) >= _PRUNED]


def _viterbi(weights: Weights, emissions: list[dict[int, float]], bits: list[int]) -> list[int]:
    """The best state path through `emissions` in which each field with a
    bit in `bits` (one per state, or 0) opens at most one span; the search's
    states are (CRF state, the bits of the fields opened so far)."""
    transitions, fields, begins = weights.transitions, weights.fields, weights.begins
    column = {(label, bits[label]): (score, None) for label, score in emissions[0].items()}
    columns = [column]
    for scores in emissions[1:]:
        following: dict[tuple[int, int], tuple[float, tuple[int, int]]] = {}
        for state, (total, _) in column.items():
            before, opened = state
            row = transitions[before]
            for label, score in scores.items():
                bit = bits[label] if begins[label] or fields[label] != fields[before] else 0
                if bit & opened:
                    continue
                key = (label, opened | bit)
                value = total + row[label] + score
                if key not in following or value > following[key][0]:
                    following[key] = (value, state)
        if not following:
            return []
        column = following
        columns.append(column)
    state = max(column, key=lambda s: column[s][0])
    path = []
    for column in reversed(columns):
        path.append(state[0])
        state = column[state][1]
    return path[::-1]
