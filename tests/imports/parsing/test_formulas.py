"""Formula quoting: what an export quotes, the importer gives back whole, and nothing else."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from imports.parsing.formulas import may_be_quoted, quote_csv, quote_sheet, unquote

TEXTS = st.text(alphabet=st.sampled_from("'=+-@ aZ9,;\"é"), max_size=8)


@given(TEXTS)
def test_unquote_gives_back_what_either_export_quoted(text):
    assert unquote(quote_csv(text)) == text
    assert unquote(quote_sheet(text)) == text


@given(TEXTS)
def test_a_csv_cell_never_begins_like_a_formula(text):
    assert not quote_csv(text).startswith(("=", "+", "-", "@"))


@pytest.mark.parametrize(
    "text, csv, sheet",
    [
        ("=SUM(A1)", "'=SUM(A1)", "=SUM(A1)"),
        ("+33 1 23", "'+33 1 23", "+33 1 23"),
        ("-5", "'-5", "-5"),
        ("@home", "'@home", "@home"),
        ("'=x", "''=x", "''=x"),
        ("O'Brien", "O'Brien", "O'Brien"),
        ("'quoted'", "'quoted'", "'quoted'"),
        ("a=b", "a=b", "a=b"),
        ("", "", ""),
    ],
)
def test_quoting(text, csv, sheet):
    assert (quote_csv(text), quote_sheet(text)) == (csv, sheet)


@pytest.mark.parametrize("text", ["O'Brien", "'quoted'", "'5", "'", "''", "a'=b", "x"])
def test_legitimate_values_are_read_as_they_are(text):
    assert unquote(text) == text


def test_may_be_quoted_sees_every_quoted_text():
    assert may_be_quoted("R-1\x00'=x\x00A")
    assert not may_be_quoted("O'Brien\x00Room 1\x00A")
