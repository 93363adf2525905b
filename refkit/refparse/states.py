"""The CRF's states, richer than the field labels they stand for.

A linear-chain CRF sees only the state of the token before. With one "O"
for all that lies between fields, the comma after an author list and the
comma after a title were one state, so what follows could not depend on
which field came before ("…, Stochastic Process, Appl. Math." holds a
container only once a title has been read); and the first word of a
field shared its state with the rest, though a field's first word looks
unlike its others (a title's capital, a page range's first number). So
a token between fields is in a state that names the kind of field before
it (O-a after authors or editors, O-t after a title, O-c after a
container or series, O-d after a date, O-x after any other, O before the
first field), and a field's first token is in a state of its own (B-title;
GROBID marks field starts likewise). The model is trained on these
states (tools/train_refparse.py) and they are read back as labels here.
Cross-validated over 8,204 labelled strings (tools/train_refparse.py, 10
folds) this raised strict field F1 from 0.920 to 0.928, titles 0.892 to
0.920, containers 0.899 to 0.914, authors 0.957 to 0.963 (the model of
fab322c; the shipped one's figures are in README).
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import islice, takewhile

FIELDS = ("author", "editor", "title", "container", "series", "date", "volume", "issue", "pages", "publisher",
          "place", "institution", "note", "identifier")
# what a state between fields remembers of the field before it
_BEFORE = {"author": "a", "editor": "a", "title": "t", "container": "c", "series": "c", "date": "d"}


def states(labels: Sequence[str]) -> list[str]:
    """The CRF states of a sequence labelled with FIELDS and O (for training)."""
    found, last = [], ""
    for i, label in enumerate(labels):
        if label == "O":
            found.append(f"O-{_BEFORE.get(last, 'x')}" if last else "O")
        else:
            found.append(f"B-{label}" if i == 0 or labels[i - 1] != label else label)
            last = label
    return found


def label(state: str) -> str:
    """The field label (one of FIELDS, or O) a CRF state stands for."""
    if state.startswith("O-"):
        return "O"
    return state[2:] if state.startswith("B-") else state


def opens_field(state: str) -> bool:
    """Whether a CRF state is a field's first token."""
    return state.startswith("B-")


def first_span(labels: Sequence[str], field: str) -> tuple[int, int]:
    """Where the first run of tokens labelled `field` starts and ends; (-1, -1) when none is."""
    if field not in labels:
        return -1, -1
    start = labels.index(field)
    return start, start + len(list(takewhile(field.__eq__, islice(labels, start, None))))  # the run, counted in C
