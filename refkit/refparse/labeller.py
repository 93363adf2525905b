"""The trained sequence labeller: a linear-chain CRF (CRFsuite) that gives
each token of a reference one label.

The model file ships in the package (`refparse.crfsuite`); it is made by
tools/train_refparse.py from labelled reference strings (see README,
"Reference-string parser"). Labels: author, editor, title, container,
series, date, volume, issue, pages, publisher, place, institution, note,
identifier, and O for what lies between fields; the CRF's own states are
finer and are read back as these labels (see `states`). A labelling that gives a
reference's first citation two titles, containers, volumes, issues or page
ranges is decoded again with at most one of each (see `decoding`); an
author list ends where its names do (see `name_order`), and a title holds no
note or journal word printed after it (see `title_end`).
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

import pycrfsuite

from refkit.refparse.decoding import Weights, first_citation_end, one_of_each, repeated
from refkit.refparse.features import sequence_features
from refkit.refparse.name_order import end_at_initials, end_on_family, title_after_names
from refkit.refparse.states import label
from refkit.refparse.title_end import end_title
from refkit.refparse.tokens import Token

MODEL_FILE = "refparse.crfsuite"


class Labeller:
    """A CRF model's tagger; the model's weights are read only when a
    labelling must be decoded again."""

    def __init__(self, path: str) -> None:
        self.tagger = pycrfsuite.Tagger()
        self.tagger.open(path)
        # each state's label, looked up rather than worked out per token
        self._labels = {state: label(state) for state in self.tagger.labels()}
        self._weights: Weights | None = None

    def tag(self, xseq: list[list[bytes]], words: list[str]) -> list[str]:
        """The labels of the tokens `words` with features `xseq` (UTF-8
        encoded, as sequence_features(..., encoded=True) gives them); the
        first citation in them holds at most one span of each label a
        reference holds once (a second one, "; ibid. 7, 1046", is left as
        the CRF labelled it); an author list ends where its names do (see
        `name_order`) and a title where it does (see `title_end`)."""
        states = self.tagger.tag(xseq)
        labels = [self._labels[state] for state in states]
        end = first_citation_end(words, labels)
        if repeated(labels[:end]):
            if self._weights is None:
                self._weights = Weights(self.tagger)
            labels = one_of_each(self.tagger, self._weights, xseq[:end], states[:end]) + labels[end:]
        return end_title(words, title_after_names(words, end_at_initials(words, end_on_family(words, labels))))


@lru_cache(maxsize=1)
def _labeller() -> Labeller:
    with resources.as_file(resources.files("refkit.refparse").joinpath(MODEL_FILE)) as path:
        return Labeller(str(path))


def label_tokens(tokens: list[Token]) -> list[str]:
    """One label per token, from the shipped model."""
    if not tokens:
        return []
    return _labeller().tag(sequence_features(tokens, encoded=True), [token.text for token in tokens])
