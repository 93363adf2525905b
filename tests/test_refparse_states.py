"""The CRF's states (refkit.refparse.states): what lies between fields
remembers the kind of field before it, a field's first token has a state of
its own, and every state reads back as the label it was made from."""

from __future__ import annotations

from refkit.refparse.labeller import _labeller
from refkit.refparse.states import FIELDS, label, states


def test_states_mark_field_starts_and_remember_the_field_before() -> None:
    labels = ["O", "author", "author", "O", "title", "title", "O", "container", "volume", "O", "pages", "O", "date"]
    assert states(labels) == ["O", "B-author", "author", "O-a", "B-title", "title", "O-t", "B-container",
                              "B-volume", "O-x", "B-pages", "O-x", "B-date"]


def test_two_fields_of_one_label_side_by_side_stay_two() -> None:
    """Only a label that changes opens a field: two author lists with O
    between are two starts; the state after an editor is that after an author."""
    assert states(["author", "O", "author", "editor", "O", "title"]) == [
        "B-author", "O-a", "B-author", "B-editor", "O-a", "B-title"]


def test_every_state_reads_back_as_its_label() -> None:
    labels = ["O", *FIELDS, "O", *reversed(FIELDS), "O"]
    assert [label(state) for state in states(labels)] == labels


def test_the_shipped_model_knows_the_states_it_was_trained_on() -> None:
    """The model's states are those states() makes, and each reads back as
    a field label or O."""
    model_states = set(_labeller().tagger.labels())
    assert {label(state) for state in model_states} == {*FIELDS, "O"}
    assert {f"B-{field}" for field in FIELDS} <= model_states
