"""RIS and CSL-JSON as pybtex database formats, so that `pybtex-convert
refs.bib refs.ris` and `pybtex.database.parse_file("refs.json")` work once
refkit is installed (entry points in pyproject.toml).

The plugins reuse refkit's readers and writers: a file is read into
Citations, and pybtex entries are turned into Citations with the BibTeX
reader's conversion, then written by refkit's writers (without refkit's
provenance notes, since nothing was checked).
"""

from __future__ import annotations

from pybtex.database import BibliographyData
from pybtex.database.input import BaseParser
from pybtex.database.output import BaseWriter
from pybtex.exceptions import PybtexError

from refkit.errors import InputError
from refkit.model import Citation, Location, Resolution, Status
from refkit.readers import bibtex as bibtex_reader
from refkit.readers import csljson as csljson_reader
from refkit.readers import ris as ris_reader
from refkit.writers import csljson as csljson_writer
from refkit.writers import ris as ris_writer
from refkit.writers.bibtex import to_pybtex
from refkit.writers.entry import prepare


def citations_of(bib: BibliographyData) -> list[Citation]:
    """pybtex entries as Citations (LaTeX decoded, notes split off)."""
    return [bibtex_reader.to_citation(entry, key, Location("<pybtex>", label=key), key,
                                      bibtex_reader.parent_of(bib, entry))
            for key, entry in bib.entries.items()]


def unchecked(citations: list[Citation]) -> list[Resolution]:
    """Citations as resolutions that rest on their own data (nothing checked)."""
    return [Resolution(c, c.to_work(), Status.UNVERIFIED) for c in citations]


class _RefkitParser(BaseParser):
    """A pybtex parser backed by one of refkit's readers."""

    unicode_io = True
    reader = None  # the refkit reader module

    def parse_stream(self, stream) -> BibliographyData:
        try:
            document = self.reader.read(self.filename, stream.read().encode("utf-8"))
        except InputError as exc:
            raise PybtexError(str(exc)) from None
        for entry in prepare(unchecked(document.citations), provenance_mode="none"):
            self.data.add_entry(entry.key, to_pybtex(entry))
        return self.data


class _RefkitWriter(BaseWriter):
    """A pybtex writer backed by one of refkit's writers."""

    unicode_io = True
    writer = None  # the refkit writer module

    def write_stream(self, bib_data: BibliographyData, stream) -> None:
        stream.write(self.writer.write(unchecked(citations_of(bib_data)), provenance="none"))


class RisParser(_RefkitParser):
    """Reads RIS into pybtex (N1 notes become `annote`)."""

    default_suffix = ".ris"
    reader = ris_reader


class CslJsonParser(_RefkitParser):
    """Reads CSL-JSON into pybtex (`note` becomes `annote`)."""

    default_suffix = ".json"
    reader = csljson_reader


class RisWriter(_RefkitWriter):
    """Writes pybtex data as RIS, as Zotero reads it."""

    default_suffix = ".ris"
    writer = ris_writer


class CslJsonWriter(_RefkitWriter):
    """Writes pybtex data as schema-valid CSL-JSON."""

    default_suffix = ".json"
    writer = csljson_writer
