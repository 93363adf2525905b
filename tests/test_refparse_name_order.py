"""An author list printed initials first ends on a family name
(refkit.refparse.name_order). The labellings are the kind the CRF gives a
reference whose list it never trained on ("…, K. Tamvakis Singularity-free
…" read as authors up to "K."); the strings are synthetic (invented names)."""

from __future__ import annotations

from refkit.refparse.labeller import label_tokens
from refkit.refparse.name_order import end_on_family
from refkit.refparse.tokens import tokenize


def _labelled(text: str, fields: list[tuple[str, str]]) -> tuple[list[str], list[str]]:
    """The words of `text` and their labels: each (label, phrase) of
    `fields` labels the phrase's tokens, found in order; the rest are O."""
    words = [token.text for token in tokenize(text)]
    labels = ["O"] * len(words)
    at = 0
    for label, phrase in fields:
        part = [token.text for token in tokenize(phrase)]
        at = next(i for i in range(at, len(words)) if words[i:i + len(part)] == part)
        labels[at:at + len(part)] = [label] * len(part)
        at += len(part)
    return words, labels


def test_an_initials_first_list_does_not_end_on_an_initial() -> None:
    words, labels = _labelled(
        "E. Halvorsen, T. Mbeki, G. Sorensen Novel instability in brane cosmology, Phys. Lett. B 437 (1998).",
        [("author", "E. Halvorsen, T. Mbeki, G"), ("title", "Sorensen Novel instability in brane cosmology"),
         ("container", "Phys. Lett. B"), ("volume", "437"), ("date", "1998")])
    mended = end_on_family(words, labels)
    family = words.index("Sorensen")
    assert mended[:family + 1] == ["author"] * (family + 1)
    assert mended[family + 1:] == labels[family + 1:]


def test_an_and_closes_a_name_as_a_comma_does() -> None:
    words, labels = _labelled(
        "A. Marchetti and P. Olsen Oscillating heat flow in ceramic membranes, Appl. Therm. Eng. 12 (2003).",
        [("author", "A. Marchetti and P"), ("title", "Olsen Oscillating heat flow in ceramic membranes"),
         ("container", "Appl. Therm. Eng."), ("volume", "12"), ("date", "2003")])
    assert end_on_family(words, labels)[:words.index("Olsen") + 2] == ["author"] * 7 + ["title"]


def test_lists_printed_family_first_are_left_as_labelled() -> None:
    """"Family, I." lists end on an initial; a missing comma ("Puduru, V.R.
    Xian, W.") must not make one look initials first."""
    words, labels = _labelled(
        "Chiu, C., Puduru, V. R. Xian, W., and Moss, C. F. Effects of prey capture on flight, J. Exp. Biol. 213 (2010).",
        [("author", "Chiu, C., Puduru, V. R. Xian, W., and Moss, C. F"),
         ("title", "Effects of prey capture on flight"), ("container", "J. Exp. Biol"), ("volume", "213"),
         ("date", "2010")])
    assert end_on_family(words, labels) == labels


def test_a_short_title_or_another_field_is_left_as_labelled() -> None:
    """The word after the initial is taken only from a title that keeps
    three words: "C. R. Acad. Sci." is a journal, "Vaquero Aviles-Casco" may
    be the whole name."""
    words, labels = _labelled(
        "A. Kolmogoroff, C. R. Acad. Sci. 30, 301 (1941).",
        [("author", "A. Kolmogoroff, C. R"), ("container", "Acad. Sci"), ("volume", "30"), ("pages", "301"),
         ("date", "1941")])
    assert end_on_family(words, labels) == labels
    words, labels = _labelled(
        "E. Follana, G. Di Carlo, A. Vaquero Aviles-Casco, PoS LATTICE 2014 (2014) 342.",
        [("author", "E. Follana, G. Di Carlo, A"), ("title", "Vaquero Aviles-Casco"), ("container", "PoS"),
         ("volume", "LATTICE 2014"), ("date", "2014"), ("pages", "342")])
    assert end_on_family(words, labels) == labels


def test_the_shipped_labeller_ends_such_lists_on_a_family_name() -> None:
    tokens = tokenize("I. Okonkwo, J. Rizzardi, K. Tamvakis Singularity-free solutions of the effective "
                      "action, Nucl. Phys. B415 (1994).")
    labels = label_tokens(tokens)
    authors = [token.text for token, label in zip(tokens, labels) if label == "author"]
    titles = [token.text for token, label in zip(tokens, labels) if label == "title"]
    assert authors[-1] == "Tamvakis" and titles[0] == "Singularity"


def test_a_list_that_mixes_name_orders_is_left_as_labelled() -> None:
    """"Brown A." or "Evans, C." among "K. Family" names: the initials may
    be a whole name's, and the title's first word no family name."""
    for text, authors in [
        ("J. Okafor, K. Lee, Brown A. Graphene nanoribbons in invented lattices, Phys. Rev. B 12 (2001) 345.",
         "J. Okafor, K. Lee, Brown A"),
        ("A. Quist, B. Jones, Evans, C. Quantum effects in invented lakes, J. Inv. 3 (2001) 1.",
         "A. Quist, B. Jones, Evans, C"),
    ]:
        words, labels = _labelled(text, [("author", authors), ("title", text[len(authors) + 2:text.index(",", 30)])])
        assert end_on_family(words, labels) == labels


def test_particles_and_joined_pieces_go_with_the_family_name() -> None:
    for authors, family, title in [
        ("N. Kitanine, J. M. Maillet, J", "Van der Jeugt", "Finite dimensional representations of lakes"),
        ("G. V. Sotnikov, T. C", "Mar-shall", "Analysis of wake field excitation in lakes"),
        ("S. O. Alexeyev, V. A", "Krasil’nikov", "Nonsingular models in string gravity"),
        ("J. A. O'Okafor, M. G", "D'Angelo", "Spatial dependence of output pulse delay"),
    ]:
        text = f"{authors}. {family} {title}, J. Inv. 3 (2001) 1."
        words, labels = _labelled(text, [("author", authors), ("title", f"{family} {title}")])
        mended = end_on_family(words, labels)
        assert [w for w, label in zip(words, mended) if label == "title"] == title.split()
