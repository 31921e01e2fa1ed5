"""Fixes applied on read (imports/parsing/fixes.py): a fix changes exactly the rows it names.

The property: for any table and any fix (a replacement or a skip; on its lines, or on every
row with its value; with other cells set with it), the rows whose cells changed, or that were
left out, are exactly the rows the fix names: those of its lines whose cell is its value (a
fix without lines: every such row).
"""

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from imports.parsing import fixes
from imports.parsing.fixes import Fix, fixed_table, skipped_warnings
from imports.parsing.readers import Table

COLUMNS = {"roomGuid": 0, "roomLabel": 1, "roomCapacity": 2, "teacherLogin": 3}
VALUES = ["R-1", "R-2", " R-1 ", "jdoe", "asmith", ""]  # as in the file (as_text strips)
NEW = ["R-9", "Hall", "bmartin", "30"]  # never a value of the file: a change is seen
PROPERTY = settings(max_examples=300, deadline=dt.timedelta(seconds=2))


def table_of(rows: list[list[str]]) -> Table:
    numbered = [(line, cells) for line, cells in enumerate(rows, start=2)]
    return Table("f.csv", "csv", list(COLUMNS), 1, lambda: iter(numbered))


rows_strategy = st.lists(
    st.lists(st.sampled_from(VALUES), min_size=2, max_size=len(COLUMNS)), max_size=12
)


@st.composite
def any_fix(draw, rows: list[list[str]]) -> Fix:
    column = draw(st.sampled_from(sorted(COLUMNS)))
    lines = draw(st.none() | st.frozensets(st.integers(1, len(rows) + 2)))
    others = st.lists(st.tuples(st.sampled_from(sorted(COLUMNS)), st.sampled_from(NEW)))
    return Fix(
        column=column,
        value=draw(st.sampled_from(VALUES[:-1])),
        replacement=draw(st.none() | st.sampled_from(NEW)),
        lines=lines,
        cells=tuple(sorted(dict(draw(others)).items())),
    )


def named(fix: Fix, rows: list[list[str]]) -> set[int]:
    at = COLUMNS[fix.column]
    return {
        line
        for line, cells in enumerate(rows, start=2)
        if at < len(cells)
        and cells[at].strip() == fix.value
        and (fix.lines is None or line in fix.lines)
    }


@PROPERTY
@given(data=st.data(), rows=rows_strategy)
def test_a_fix_changes_exactly_the_rows_it_names(data, rows):
    fix = data.draw(any_fix(rows))
    table, skipped = fixed_table(table_of(rows), [fix], COLUMNS)
    after = dict(table.rows())
    before = dict(table_of(rows).rows())
    changed = {line for line, cells in before.items() if after.get(line) != cells}
    assert changed == named(fix, rows)
    assert skipped.count == (len(changed) if fix.replacement is None else 0)


@PROPERTY
@given(data=st.data(), rows=rows_strategy)
def test_the_fixes_of_other_lines_change_nothing_more(data, rows):
    """Fixes of one value on separate lines (two conflict groups of one room): each row
    changed is named by one of them."""
    first, second = data.draw(any_fix(rows)), data.draw(any_fix(rows))
    table, _ = fixed_table(table_of(rows), [first, second], COLUMNS)
    after = dict(table.rows())
    changed = {line for line, cells in table_of(rows).rows() if after.get(line) != cells}
    assert changed == named(first, rows) | named(second, rows)


ROWS = [["R-1", "Lecture hall", "40", "jdoe"] for _ in range(3)]


def test_a_fix_on_lines_leaves_the_other_rows_with_the_value():
    move = Fix("roomGuid", "R-1", "R-2", frozenset({3}), (("roomLabel", "Room 2"),))
    table, _ = fixed_table(table_of(ROWS), [move], COLUMNS)
    assert [cells[:2] for _, cells in table.rows()] == [
        ["R-1", "Lecture hall"],
        ["R-2", "Room 2"],
        ["R-1", "Lecture hall"],
    ]


def test_a_fix_naming_the_line_comes_before_the_fix_of_every_row():
    every = Fix("teacherLogin", "jdoe", "asmith")
    line = Fix("teacherLogin", "jdoe", "bmartin", frozenset({2}))
    table, _ = fixed_table(table_of(ROWS), [line, every], COLUMNS)
    assert [cells[3] for _, cells in table.rows()] == ["bmartin", "asmith", "asmith"]


def test_a_skip_on_lines_says_which_lines():
    skip = Fix("roomGuid", "R-1", None, frozenset({2, 4}))
    table, skipped = fixed_table(table_of(ROWS), [skip], COLUMNS)
    assert [line for line, _ in table.rows()] == [3]
    (warning,) = skipped_warnings(skipped)
    assert warning.message == "Rows skipped by a fix of roomGuid R-1: 2, on lines 2, 4."


def test_a_fix_stored_before_fixes_named_their_lines_names_every_row():
    stored = {"column": "teacherLogin", "value": "jdoe", "replacement": "asmith", "rows": 3}
    fix = Fix.from_dict(stored)
    assert (fix.lines, fix.cells) == (None, ())
    table, _ = fixed_table(table_of(ROWS), [fix], COLUMNS)
    assert [cells[3] for _, cells in table.rows()] == ["asmith"] * 3


def test_from_dict_reads_lines_and_cells():
    stored = {"column": "roomGuid", "value": "R-1", "replacement": "R-2", "lines": [3, 2]}
    stored["cells"] = {"roomLabel": "Room 2", "roomCapacity": ""}
    fix = Fix.from_dict(stored)
    assert fix.lines == frozenset({2, 3})
    assert fix.cells == (("roomCapacity", ""), ("roomLabel", "Room 2"))


def test_lines_text_names_the_first_lines_then_how_many():
    assert fixes.lines_text([2]) == "line 2"
    assert fixes.lines_text([2, 5]) == "lines 2, 5"
    many = "lines 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, … (28 in all)"
    assert fixes.lines_text(list(range(2, 30))) == many


def test_a_later_fix_applies_to_the_value_an_earlier_fix_put():
    """A mistyped replacement (jdoe read as nobody) is fixed in turn: fixes apply in order."""
    mistyped = Fix("teacherLogin", "jdoe", "nobody", frozenset({2}))
    fixed_in_turn = Fix("teacherLogin", "nobody", "asmith")
    table, _ = fixed_table(table_of(ROWS), [mistyped, fixed_in_turn], COLUMNS)
    assert [cells[3] for _, cells in table.rows()] == ["asmith", "jdoe", "jdoe"]
    # made before, it does not apply to what a later fix put
    table, _ = fixed_table(table_of(ROWS), [fixed_in_turn, mistyped], COLUMNS)
    assert [cells[3] for _, cells in table.rows()] == ["nobody", "jdoe", "jdoe"]
    skip_in_turn = Fix("teacherLogin", "nobody", None)
    table, skipped = fixed_table(table_of(ROWS), [mistyped, skip_in_turn], COLUMNS)
    assert ([line for line, _ in table.rows()], skipped.count) == ([3, 4], 1)


def test_a_cell_holding_a_nul_is_fixed_by_its_stored_value():
    """A group's value is stored as ``storable`` shows it (a NUL as U+2400): its fix finds the
    cell that holds the NUL."""
    rows = [["R-1", "Hall", "40", "jd\x00oe"], *ROWS]
    fix = Fix("teacherLogin", "jd\u2400oe", "jdoe", frozenset({2}))
    table, _ = fixed_table(table_of(rows), [fix], COLUMNS)
    assert [cells[3] for _, cells in table.rows()] == ["jdoe"] * 4
