"""The labeller's second decoding (refkit.refparse.decoding): a labelling
with a title, container, volume, issue or page range twice is decoded again
with one of each, scored with the CRF's own weights. Strings are synthetic (invented
names) but one, cited from GROBID's corpus."""

from __future__ import annotations

import pytest

from refkit.refparse import parse_reference
from refkit.refparse.decoding import Weights, one_of_each, repeated
from refkit.refparse.features import sequence_features
from refkit.refparse.labeller import _labeller
from refkit.refparse.tokens import tokenize

STRINGS = [
    "K. Arnason, The mixing time of random walks on graphs with bottlenecks, Probab. Theory Related Fields "
    "112 (1998), no. 3, 301-330.",
    "Tanaka R, Bellweather S. Night shift work and sleep quality in nurses. Occup Environ Med. 2011;68(4):279-85.",
    "Okafor, B. (2015). Rivers and their towns: a history. River Stud. Q., 12, 33-60.",
    "A. Quist, Algebraic curves over finite fields, in: Proceedings of the Nordic Algebra Meeting, Lund, 1990, "
    "pp. 55-70.",
]


def _spans(labels: list[str], label: str) -> int:
    return sum(1 for i, found in enumerate(labels) if found == label and (not i or labels[i - 1] != label))


def test_repeated_names_the_fields_given_twice() -> None:
    labels = ["author", "O", "title", "O", "title", "container", "volume", "O", "volume", "date", "date"]
    assert repeated(labels) == {"title", "volume"}
    assert repeated(["title", "title", "O", "date", "O", "date"]) == set()  # a date may be printed twice


@pytest.mark.parametrize("text", STRINGS)
def test_the_weights_score_labellings_as_crfsuite_does(text: str) -> None:
    """Handed a labelling with two titles where the CRF's best has one, the
    search over one-title labellings finds the CRF's own best: it scores
    with the same weights."""
    labeller = _labeller()
    xseq = sequence_features(tokenize(text), encoded=True)
    best = labeller.tagger.tag(xseq)
    assert not repeated(best)
    doubled = list(best)
    doubled[0], doubled[-1] = "title", "title"
    if _spans(doubled, "title") < 2:
        doubled[len(doubled) // 2] = "title"
    assert one_of_each(labeller.tagger, Weights(labeller.tagger), xseq, doubled) == best


def test_a_volume_then_an_issue_is_not_read_as_two_volumes() -> None:
    # cited from GROBID's citation corpus (Apache-2.0), 0811.1109.training.references.tei.xml
    text = "V. Aynutdinov et al. Physics of Atomic Nuclei , V69, 11( 2006)p1914 ."
    xseq = sequence_features(tokenize(text), encoded=True)
    assert repeated(_labeller().tagger.tag(xseq)) == {"volume"}  # what the CRF alone gives
    labels = _labeller().tag(xseq)
    assert not repeated(labels)
    fields = parse_reference(text)
    assert (fields["container"], fields["volume"], fields["issue"], fields["pages"]) == (
        "Physics of Atomic Nuclei", "69", "11", "1914")

