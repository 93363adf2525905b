"""Accent folding shared by matching, corpus merging and citation keys."""

from refkit.folding import ascii_fold, strip_accents
from refkit.readers.markers import fold_accents


def test_letters_decomposition_leaves_alone_are_folded_everywhere():
    assert strip_accents("Więdłocha Müller Ørsted") == "Wiedlocha Muller Orsted"
    assert ascii_fold("Straße Jørgensen 北京") == "Strasse Jorgensen "
    assert fold_accents("Więdłocha") == fold_accents("WIEDLOCHA")
