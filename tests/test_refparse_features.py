"""What the labeller is told about each token (refkit.refparse.features):
where a token stands is told, but not the commonest case, which nearly
every token is in (one space either side, outside brackets and quotes, no
year yet); and the shipped model was trained on these features.
Strings: synthetic, written for these tests."""

from __future__ import annotations

from refkit.refparse.features import sequence_features
from refkit.refparse.labeller import _labeller
from refkit.refparse.tokens import tokenize

TEXT = 'Rao S, Broadbear J (2019) "Loneliness in [older] adults". J Psychiatr Res 27:573-7.'
UNTOLD = {"", "quote:0", "depth:0", "seg:0", "yr:0", "dg:0", "sb:1", "sa:1", "d+:0", "d-:0", "sg:0", "sgy:b",
          "sgp:0"}


def _features() -> dict[str, list[str]]:
    tokens = tokenize(TEXT)
    return {f"{i}:{token.text}": features for i, (token, features) in enumerate(zip(tokens, sequence_features(tokens)))}


def test_the_commonest_place_of_a_token_is_told_by_no_feature() -> None:
    for token, features in _features().items():
        assert not UNTOLD & set(features), token


def test_what_sets_a_token_apart_is_told() -> None:
    features = _features()
    assert {"quote:1", "yr:1", "sgy:a"} <= set(features["9:Loneliness"])  # quoted, after the year
    assert {"depth:1", "sb:0", "sa:0"} <= set(features["12:older"])  # in brackets, no space either side
    assert "sa:0" in features["1:S"]  # "S," has no space after it
    assert "sgy:y" in features["6:2019"]


def test_the_shipped_model_knows_the_features_and_not_the_untold_ones() -> None:
    """A model trained on other features than these would tag blind: most of
    a real string's features are known to it, and none it was never given."""
    known = set(_labeller().tagger.info().attributes)
    given = [name for features in _features().values() for name in features]
    assert sum(name in known for name in given) / len(given) > 0.9
    assert not UNTOLD & known
