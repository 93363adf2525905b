"""A date range of issue (biblatex `date = {2019-03/2019-05}`, CSL date parts
[[2019, 3], [2019, 5]], the end refkit writes in a RIS date's "other" part)
keeps its end through `refkit export` into every format, at the precision
given, read back by pybtex, rispy and json. Every fixture here is synthetic."""

from __future__ import annotations

import json

import pytest
import rispy
from pybtex.database.input.bibtex import Parser

from refkit import issued
from tests.test_isbn_lists import export


def _bib(date: str) -> str:
    return f"@article{{r, author={{Roe, Rick}}, title={{Synthetic ranged work}}, journaltitle={{J}}, date={{{date}}}}}\n"


def _json(parts: list) -> str:
    return json.dumps([{"id": "r", "type": "article-journal", "title": "Synthetic ranged work",
                        "issued": {"date-parts": parts}, "_fixture": "synthetic"}])


def _ris(da: str) -> str:
    return f"TY  - JOUR\nTI  - Synthetic ranged work\nPY  - {da[:4]}\nDA  - {da}\nER  - \n"


# the same range as each format writes it: (file, text, CSL date parts, biblatex date, RIS DA)
_RANGES = [
    ("months.bib", _bib("2019-03/2019-05"), [[2019, 3], [2019, 5]], "2019-03/2019-05", "2019/03//2019-05"),
    ("years.bib", _bib("1998/2000"), [[1998], [2000]], "1998/2000", "1998///2000"),
    ("months.json", _json([[2019, 3], [2019, 5]]), [[2019, 3], [2019, 5]], "2019-03/2019-05", "2019/03//2019-05"),
    ("days.json", _json([[2019, 3, 1], [2019, 3, 9]]), [[2019, 3, 1], [2019, 3, 9]], "2019-03-01/2019-03-09",
     "2019/03/01/2019-03-09"),
    ("months.ris", _ris("2019/03//2019-05"), [[2019, 3], [2019, 5]], "2019-03/2019-05", "2019/03//2019-05"),
]


@pytest.mark.parametrize("source, text, parts, date, da", _RANGES, ids=[r[0] for r in _RANGES])
@pytest.mark.parametrize("fmt", ["bibtex", "ris", "csljson"])
def test_a_date_range_keeps_its_end(tmp_path, source, text, parts, date, da, fmt):
    out = export(tmp_path, source, text, fmt)
    if fmt == "bibtex":
        fields = next(iter(Parser().parse_string(out).entries.values())).fields
        assert fields["date"] == date
        if not source.endswith(".bib"):  # a .bib is given back as written; others get year and month too
            assert fields["year"] == str(parts[0][0]) and list(fields).index("date") > list(fields).index("year")
    elif fmt == "ris":
        record = rispy.loads(out)[0]
        assert (record["year"], record["date"]) == (str(parts[0][0]), da)
    else:
        assert json.loads(out)[0]["issued"] == {"date-parts": parts}


def test_a_single_date_writes_no_range(tmp_path):
    out = export(tmp_path, "one.bib", _bib("2019-03-05"), "ris")
    assert rispy.loads(out)[0]["date"] == "2019/03/05/"
    out = export(tmp_path, "one.json", _json([[2019, 3]]), "bibtex")
    assert "date" not in next(iter(Parser().parse_string(out).entries.values())).fields


@pytest.mark.parametrize("written, dates", [
    ("2019-03/2019-05", [(2019, 3, None), (2019, 5, None)]),
    ("1998/2000", [(1998, None, None), (2000, None, None)]),
    ("2019-02-30", [(2019, 2, None)]),  # a day the month lacks is not invented into the range
    ("2019/03/05", None),  # RIS's form is not EDTF
])
def test_edtf_dates(written, dates):
    assert issued.edtf_dates(written) == dates


def test_range_end_needs_a_later_end_in_the_start_year():
    assert issued.range_end(2019, [(2019, 3, None), (2019, 5, None)]) == (2019, 5, None)
    assert issued.range_end(2019, [(2019, 3, 5), (2019, None, None)]) is None  # "2019/03/05/2019": no later end
    assert issued.range_end(2018, [(2019, 3, None), (2019, 5, None)]) is None  # a range of another year
    assert issued.ris_dates("2006/06/26/Spring") == [(2006, 6, 26)]  # RIS's free "other" text is no end
