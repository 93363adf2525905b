"""Aligning two ordered lists of texts that describe the same works: the
summaries of a page version that lost its titles against the titled entries
of another version.

The alignment respects order (entries keep their order across versions, so
a pair can never cross another) and accepts a pair only above a similarity
threshold; among order-respecting alignments it takes the one with the most
total similarity above the threshold (a Needleman–Wunsch-style dynamic
programme). Similarity weighs shared words by their rarity across both lists,
so the words every summary shares ("opioid", "study") count for little.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass

from rapidfuzz import utils

THRESHOLD = 15.0  # the lowest similarity (0-100) accepted as the same work
STEM = 6  # words are compared by their first letters: "dysregulated" ~ "dysregulation"


@dataclass(frozen=True)
class Pair:
    """`left[left_index]` and `right[right_index]` describe the same work;
    `score` is their similarity, `best_other` the highest score `right` had
    with any other left text (evidence that order decided, when higher)."""

    left_index: int
    right_index: int
    score: float
    best_other: float


def similarity_matrix(left: list[str], right: list[str]) -> list[list[float]]:
    """scores[i][j] (0-100): how much of the rarer vocabulary of the shorter
    of left[i] and right[j] the other text shares."""
    left_words, right_words = [_words(t) for t in left], [_words(t) for t in right]
    every = left_words + right_words
    frequency = Counter(word for words in every for word in words)
    weight = {word: math.log(len(every) / count) for word, count in frequency.items()}

    def score(a: set[str], b: set[str]) -> float:
        smaller = min(sum(weight[w] for w in a), sum(weight[w] for w in b))
        return 100.0 * sum(weight[w] for w in a & b) / smaller if smaller else 0.0

    return [[score(a, b) for b in right_words] for a in left_words]


def align(left: list[str], right: list[str], threshold: float = THRESHOLD) -> list[Pair]:
    """The order-respecting pairs (left, right) with the highest total of
    similarity above `threshold`; a right text in no pair could not be placed."""
    scores = similarity_matrix(left, right)
    rows, cols = len(left), len(right)
    # best[i][j]: best total using left[i:] and right[j:]
    best = [[0.0] * (cols + 1) for _ in range(rows + 1)]
    for i in range(rows - 1, -1, -1):
        for j in range(cols - 1, -1, -1):
            gain = scores[i][j] - threshold
            take = gain + best[i + 1][j + 1] if gain > 0 else float("-inf")
            best[i][j] = max(take, best[i + 1][j], best[i][j + 1])
    pairs, i, j = [], 0, 0
    while i < rows and j < cols:
        gain = scores[i][j] - threshold
        if gain > 0 and best[i][j] == gain + best[i + 1][j + 1]:
            others = [scores[k][j] for k in range(rows) if k != i]
            pairs.append(Pair(i, j, round(scores[i][j], 1), round(max(others, default=0.0), 1)))
            i, j = i + 1, j + 1
        elif best[i][j] == best[i + 1][j]:
            i += 1
        else:
            j += 1
    return pairs


def _words(text: str) -> set[str]:
    return {word[:STEM] for word in utils.default_process(text).split() if len(word) > 2}
