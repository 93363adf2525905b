"""An author list printed initials first ends on a family name
(refkit.refparse.name_order). The labellings are the kind the CRF gives a
reference whose list it never trained on ("…, K. Tamvakis Singularity-free
…" read as authors up to "K."); the strings are synthetic (invented names)."""

from __future__ import annotations

from refkit.refparse.labeller import label_tokens
from refkit.refparse.name_order import end_at_initials, end_on_family, title_after_names
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


def test_a_family_first_list_ends_at_the_stop_after_its_last_initials() -> None:
    """Vancouver and APA lists the CRF ran into the title's first word."""
    for text, authors, run_into, title in [
        ("Okafor J, Brandt A. MacINVENT, a novel member of an invented family. Cell 1992;70:791-801.",
         "Okafor J, Brandt A", "MacINVENT", ", a novel member of an invented family"),
        ("Halvorsen T, Mbeki C, Sorensen D. PTENX. Invented lakes in health and disease. Science 1997;275:19-47.",
         "Halvorsen T, Mbeki C, Sorensen D", "PTENX", ". Invented lakes in health and disease"),
        ("Marchetti, P. and Olsen, I. Hello, it's an invented title about lakes. CoRR, abs/1907.05774, 2019.",
         "Marchetti, P. and Olsen, I", "Hello", ", it's an invented title about lakes"),
        ("Okafor, D. H., Lee, M. A. & Brandt, A. L. Ultrafast, invented imaging of lakes. Opt. Inv. 3, 1 (2001).",
         "Okafor, D. H., Lee, M. A. & Brandt, A. L", "Ultrafast", ", invented imaging of lakes"),
    ]:
        words, labels = _labelled(text, [("author", f"{authors}. {run_into}"), ("title", title.lstrip(",. "))])
        mended = end_at_initials(words, labels)
        assert " ".join(w for w, label in zip(words, mended) if label == "author") == " ".join(
            token.text for token in tokenize(authors))
        assert [w for w, label in zip(words, mended) if label == "title"][0] == run_into


def test_names_printed_initials_first_after_the_first_keep_their_family_names() -> None:
    """Chicago ("Milner, R., M. Tofte, and R. Harper."), an acronym ("Kim HJ,
    J. Korea …") and given names written out ("Trimba R, Jeffrey M. Spivak")
    put initials before a family name, which stays the author's."""
    for text, authors in [
        ("Okafor, R., M. Lee, and R. Harper. The definition of invented lakes. MIT Press, 1990.",
         "Okafor, R., M. Lee, and R. Harper"),
        ("Abelson, H., G. J. Sussman and J. Brandt. Structure of invented lakes. MIT Press, 1985.",
         "Abelson, H., G. J. Sussman and J. Brandt"),
        ("Trimba R, Jeffrey M. Okafor, John A. Brandt. Conjoined invented lakes. Spine J. 2012;12:515-524.",
         "Trimba R, Jeffrey M. Okafor, John A. Brandt"),
        ("Sargent, T. J. Bounded rationality in invented lakes. Clarendon Press, 1993.", "Sargent, T. J"),
    ]:
        words, labels = _labelled(text, [("author", authors), ("title", text[len(authors) + 2:text.index(".", len(authors) + 3)])])
        assert end_at_initials(words, labels) == labels


def test_a_suffix_after_the_initials_stays_with_the_name() -> None:
    words, labels = _labelled("Okafor J, Brandt AB Jr. Invented lakes. Cell 1992;70:791.",
                              [("author", "Okafor J, Brandt AB Jr"), ("title", "Invented lakes")])
    assert end_at_initials(words, labels) == labels
    words, labels = _labelled("Okafor J, Brandt A. Jr. Invented lakes. Cell 1992;70:791.",
                              [("author", "Okafor J, Brandt A. Jr"), ("title", "Invented lakes")])
    assert end_at_initials(words, labels) == labels


def test_the_last_part_of_a_list_that_is_no_name_is_the_title() -> None:
    """"K. G. Okafor, Confinement of invented quarks, Phys. Rev. D 10": with
    no title found, the CRF ran the list on to it."""
    words, labels = _labelled("K. G. Okafor, Confinement of invented quarks, Phys. Rev. D 10 (1974) 2445.",
                              [("author", "K. G. Okafor, Confinement of invented quarks"), ("container", "Phys. Rev. D"),
                               ("volume", "10"), ("date", "1974"), ("pages", "2445")])
    mended = title_after_names(words, labels)
    assert [w for w, label in zip(words, mended) if label == "title"] == ["Confinement", "of", "invented", "quarks"]
    assert [w for w, label in zip(words, mended) if label == "author"] == ["K", ".", "G", ".", "Okafor"]


def test_a_list_ending_on_a_group_or_a_journal_keeps_its_last_part() -> None:
    for text, authors in [
        ("R. Okafor, LCTPC Collaboration, Phys. Procedia 37 (2012) 456.", "R. Okafor, LCTPC Collaboration"),
        ("T. Okafor, C. Brandt, PoS Lattice 2014 (2015) 345.", "T. Okafor, C. Brandt, PoS Lattice"),
        ("B. Okafor, Zh. Eksp. Teor. Fiz. 34, 247 (1958).", "B. Okafor, Zh"),
        ("J. Okafor, Fractals, Plenum Press, New York, 1988.", "J. Okafor, Fractals"),
        ("A. Okafor, B. Brandt, et al, Invented lakes, J. Inv. 3 (2001) 1.", "A. Okafor, B. Brandt, et al"),
    ]:
        words, labels = _labelled(text, [("author", authors)])
        assert title_after_names(words, labels) == labels


def test_a_lone_initial_takes_its_family_name_from_the_title() -> None:
    """"M. Okafor Tensor perturbations …": an author is never initials alone;
    "U.S. Department of Energy" is no person's."""
    words, labels = _labelled("M. Okafor Tensor perturbations in invented backgrounds, Phys. Rev. D 56 (1997)",
                              [("author", "M"), ("title", "Okafor Tensor perturbations in invented backgrounds")])
    assert [w for w, label in zip(words, end_on_family(words, labels)) if label == "author"] == ["M", ".", "Okafor"]
    words, labels = _labelled('U.S. Department of Energy, "20% Invented Energy by 2030," Washington, DC, 2008.',
                              [("author", "U.S"), ("title", 'Department of Energy, "20% Invented Energy by 2030')])
    assert end_on_family(words, labels) == labels


def test_a_species_after_a_genus_initial_is_no_family_name() -> None:
    words, labels = _labelled("E. Coli Outbreak Linked to Invented Spinach. J. Inv. 3 (2006) 1.",
                              [("author", "E"), ("title", "Coli Outbreak Linked to Invented Spinach")])
    assert end_on_family(words, labels) == labels
