"""The trained sequence labeller: a linear-chain CRF (CRFsuite) that gives
each token of a reference one label.

The model file ships in the package (`refparse.crfsuite`); it is made by
tools/train_refparse.py from labelled reference strings (see README,
"Reference-string parser"). Labels: author, editor, title, container,
series, date, volume, issue, pages, publisher, place, institution, note,
identifier, and O for what lies between fields.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

import pycrfsuite

from refkit.refparse.features import sequence_features
from refkit.refparse.tokens import Token

MODEL_FILE = "refparse.crfsuite"
LABELS = ("author", "editor", "title", "container", "series", "date", "volume", "issue", "pages", "publisher",
          "place", "institution", "note", "identifier", "O")


@lru_cache(maxsize=1)
def _tagger() -> pycrfsuite.Tagger:
    tagger = pycrfsuite.Tagger()
    with resources.as_file(resources.files("refkit.refparse").joinpath(MODEL_FILE)) as path:
        tagger.open(str(path))
    return tagger


def label_tokens(tokens: list[Token]) -> list[str]:
    """One label per token, from the shipped model."""
    if not tokens:
        return []
    return _tagger().tag(sequence_features(tokens, encoded=True))
