"""The labeller's second decoding (refkit.refparse.decoding): a labelling
whose first citation has a title, container, volume, issue or page range
twice is decoded again with one of each, scored with the CRF's own weights;
a second citation printed in the same reference is left alone. Strings are synthetic (invented
names) but one, cited from GROBID's corpus."""

from __future__ import annotations

import pytest

from refkit.refparse import parse_reference
from refkit.refparse.decoding import Weights, first_citation_end, one_of_each, repeated
from refkit.refparse.features import sequence_features
from refkit.refparse.labeller import _labeller
from refkit.refparse.states import label
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
    states = labeller.tagger.tag(xseq)
    best = [label(state) for state in states]
    assert not repeated(best)
    doubled = list(states)
    doubled[0], doubled[-1] = "B-title", "B-title"
    if _spans([label(state) for state in doubled], "title") < 2:
        doubled[len(doubled) // 2] = "B-title"
    assert one_of_each(labeller.tagger, Weights(labeller.tagger), xseq, doubled) == best


def test_a_second_volume_from_the_crf_is_decoded_away() -> None:
    """The CRF alone reads "8" before the journal and "157" after it as two
    volumes; held to one, "157" is the page."""
    # cited from GROBID's citation corpus (Apache-2.0), kisti_test_en.tei.xml
    text = "Cynthia M. Hayward, Remote Sensing: Terestrial Laws for Celestial Activities, 8 B.U. Int'l L.J. 157(1990)."
    xseq = sequence_features(tokenize(text), encoded=True)
    assert repeated([label(state) for state in _labeller().tagger.tag(xseq)]) == {"volume"}  # the CRF alone
    assert not repeated(_labeller().tag(xseq, [token.text for token in tokenize(text)]))
    fields = parse_reference(text)
    assert (fields["container"], fields["volume"], fields["pages"]) == ("B.U. Int'l L.J", "8", "157")


def test_a_volume_then_an_issue_is_not_read_as_two_volumes() -> None:
    # cited from GROBID's citation corpus (Apache-2.0), 0811.1109.training.references.tei.xml
    text = "V. Aynutdinov et al. Physics of Atomic Nuclei , V69, 11( 2006)p1914 ."
    fields = parse_reference(text)
    assert (fields["container"], fields["volume"], fields["issue"], fields["pages"]) == (
        "Physics of Atomic Nuclei", "69", "11", "1914")


@pytest.mark.parametrize("text, volume, pages", [
    ("K. Lindqvist, Phys. Rev. B 7, 2210 (1973); 7, 2231 (1973).", "7", "2210"),
    ("J. Okafor and T. Hale, J. Phys. C 6, 1181 (1973); J. Okafor, ibid. 7, 1046 (1974).", "6", "1181"),
    ("R. P. Brandt, Rev. Mod. Phys. 20, 367 (1948); reprinted in Selected Papers on Invented Lakes, "
     "edited by J. Quist (Dover, New York, 1958), p. 321.", "20", "367"),
    ("Okafor B, Tanaka R. Night shift work in invented towns. Occup Environ Med. 2001;1:1-2. "
     "Erratum in: Occup Environ Med. 2002;2:3-4.", "1", "1-2"),
])
def test_a_second_citation_in_one_reference_is_left_alone(text: str, volume: str, pages: str) -> None:
    """Two citations printed as one reference (a continuation, ibid., a
    reprint, an erratum): the first one's volume and pages are read."""
    fields = parse_reference(text)
    assert (fields["volume"], fields["issue"], fields["pages"]) == (volume, "", pages)


def test_the_first_citation_ends_at_a_second_one_after_its_volume_or_pages() -> None:
    words = ["Smith", "J", ";", "Doe", "A", ".", "J", "Phys", "6", ",", "1181", ";", "ibid", "7"]
    labels = ["author"] * 5 + ["O", "container", "container", "volume", "O", "pages", "O", "O", "volume"]
    assert first_citation_end(words, labels) == 11  # not the ";" between the authors
    assert first_citation_end(words[:11], labels[:11]) == 11
