"""The PDF reader: text page by page through PDFium and refkit's layout, running headers and
vertical margin text kept out of the reference list, clear errors for
damaged, encrypted and scanned PDFs; on a hand-built PDF and (shared_data)
two real articles."""

from __future__ import annotations

import io

import pytest

from refkit.errors import InputError
from refkit.readers.pdf import extract_text
from refkit.readers.reflist import read_reference_list

from .conftest import SHARED_DATA


def make_pdf(pages: list[list[tuple]], streams: list[bytes] | None = None) -> bytes:
    """A minimal valid PDF whose pages hold the given lines, each (y, text) at
    x=72 in 10 pt Helvetica, or (x, y, text) or (x, y, text, size); written by
    hand so the core suite needs no PDF files. `streams`, when given, are the
    pages' content streams as raw bytes instead (already Flate-compressed).
    Objects: 1 catalog, 2 page tree, 3 font, then a content stream and a page per page."""
    page_numbers = [5 + 2 * i for i in range(len(pages))]
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{' '.join(f'{n} 0 R' for n in page_numbers)}] /Count {len(pages)} >>",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    for index, (number, lines) in enumerate(zip(page_numbers, pages)):
        if streams:
            body = streams[index].decode("latin-1")
            objects.append(f"<< /Length {len(streams[index])} /Filter /FlateDecode >>\nstream\n{body}\nendstream")
        else:
            stream = "".join(_show(*line) if len(line) > 2 else _show(72, *line) for line in lines)
            objects.append(f"<< /Length {len(stream.encode('latin-1'))} >>\nstream\n{stream}endstream")
        objects.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents {number - 1} 0 R "
                       "/Resources << /Font << /F1 3 0 R >> >> >>")
    out, offsets = io.BytesIO(), []
    out.write(b"%PDF-1.4\n")
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n{body}\nendobj\n".encode("latin-1"))
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    out.write("".join(f"{o:010d} 00000 n \n" for o in offsets).encode())
    out.write(f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


def _show(x: float, y: float, text: str, size: float = 10) -> str:
    return f"BT /F1 {size} Tf {x} {y} Td ({_escape(text)}) Tj ET\n"


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


ARTICLE = [
    [(760, "Synthetic Journal of Tests 2024"), (700, "An invented article"), (680, "Body text cites [1] and [2]."),
     (40, "101")],
    [(760, "Synthetic Journal of Tests 2024"), (700, "References"),
     (680, "[1] Doe J, Roe R. A made-up study of things. J Synth. 2020;3(2):10-19. doi:10.5555/"),
     (668, "synth.2020.3"),
     (650, "[2] Poe E. Another invented title. Fict Lett. 2019;7:1-5."), (40, "102")],
]


def test_synthetic_pdf_text_pages_and_reference_list() -> None:
    text, pages = extract_text("made.pdf", make_pdf(ARTICLE))
    lines = text.split("\n")
    assert len(lines) == len(pages) and set(pages) == {1, 2}
    assert lines.count("Synthetic Journal of Tests 2024") == 1  # running header kept once
    assert "101" not in lines and "102" not in lines  # page numbers dropped
    found = read_reference_list(text, "made.pdf", pages)
    citations, start = found.citations, found.start_line
    assert [c.label for c in citations] == ["1", "2"] and pages[start - 1] == 2
    assert citations[0].doi == "10.5555/synth.2020.3" and citations[0].source.page == 2
    assert (citations[0].year, citations[0].volume, citations[0].issue, citations[0].pages) == (2020, "3", "2", "10-19")


def test_truncated_pdf_is_an_input_error() -> None:
    data = make_pdf(ARTICLE)
    for cut in (20, len(data) // 2, len(data) - 30):
        with pytest.raises(InputError) as err:
            extract_text("cut.pdf", data[:cut])
        assert err.value.path == "cut.pdf"


def test_pdf_without_text_layer_asks_for_ocr() -> None:
    with pytest.raises(InputError, match="no text layer.*OCR"):
        extract_text("scan.pdf", make_pdf([[]]))


def test_password_protected_pdf_is_refused_clearly() -> None:
    pypdf = pytest.importorskip("pypdf")
    writer = pypdf.PdfWriter(clone_from=io.BytesIO(make_pdf(ARTICLE)))
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    with pytest.raises(InputError, match="encrypted"):
        extract_text("locked.pdf", out.getvalue())


def _real(name: str) -> tuple[list, str]:
    path = SHARED_DATA / "pdf" / name
    text, pages = extract_text(str(path), path.read_bytes())
    citations = read_reference_list(text, str(path), pages).citations
    return citations, text


@pytest.mark.shared_data
def test_fritzsch2022_reference_list() -> None:
    """JabRef/jabref jablib/src/test/resources/pdfs/PdfContentImporter/Fritzsch2022.pdf
    (commit edbf3b1), via ../shared/data/pdf: 43 Vancouver entries, 16 of them
    with a DOI; a vertical Wiley footer and running header on every page."""
    citations, _ = _real("Fritzsch2022-SPE-microservices-CPS.pdf")
    assert [c.label for c in citations] == [str(n) for n in range(1, 44)]
    dois = {c.label: c.doi for c in citations if c.doi}
    assert len(dois) == 16
    assert dois["1"] == "10.1007/s12599-014-0334-4"  # cut at a line end after "s12599-"
    assert dois["11"] == "10.1109/MNET.2017.1700271"  # cut after "10.1109/"
    assert dois["34"] == "10.48550/ARXIV.2207.00507"
    for c in citations:
        assert "Downloaded" not in c.raw and "FRITZSCH" not in c.raw and "spe.3169" not in c.raw
    assert citations[1].title == "Challenges in engineering cyber-physical systems"
    assert (citations[1].container, citations[1].year, citations[1].volume, citations[1].pages) == (
        "IEEE Comput", 2014, "47", "70-72")
    assert {c.source.page for c in citations} == {20, 21}


@pytest.mark.shared_data
def test_ipac2018_reference_list() -> None:
    """inspirehep/refextract tests/data/wepml008.pdf (commit 218f5b6), via
    ../shared/data/pdf: 5 IEEE-style entries, 4 with JACoW doi.org links, the
    last cut across a line as "10.18429/JACoW -HP071-WEPTY035"."""
    citations, text = _real("IPAC2018-WEPML008.pdf")
    assert [c.label for c in citations] == ["1", "2", "3", "4", "5"]
    assert [c.doi for c in citations] == [None, "10.18429/JACoW-MOPOB32", "10.18429/JACoW-HP071",
                                          "10.18429/JACoW-TUP082", "10.18429/JACoW-HP071-WEPTY035"]
    assert citations[0].title == "Coaxial Blade Tuner for European XFEL 3.9 GHz Cavities"
    assert citations[0].authors[0].family == "Paparella" and citations[0].et_al
    assert "doi:10.18429/JACoW-IPAC2018-WEPML008" in text  # the article's own DOI header survives once
