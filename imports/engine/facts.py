"""The file-wide facts (repeated GUIDs, rooms described differently) among the rows that are
valid on their own.

A row that is wrong anyway (an unknown status, a teacher not found, …) must never change
another row's outcome: it takes no part in the comparisons. The light key scan (``scan``)
finds the candidates; only when it finds some are the rows concerned parsed and their
references checked, and the scan run again without the rows that are wrong on their own.
"""

from collections import defaultdict
from collections.abc import Iterator
from itertools import islice

from imports.conf import import_settings
from imports.database.lookups import load_references
from imports.parsing.derived_keys import derives_guid, guid_sources
from imports.parsing.readers import Table
from imports.parsing.rows import RowParser
from imports.planning.plan import FileFacts, reference_errors
from imports.planning.references import References
from imports.planning.scan import Row, scan, suspect_rows


def file_facts(
    table: Table,
    columns: dict[str, int],
    facts: FileFacts,
    *,
    width: int | None,
    parse: RowParser,
    refs: References,
) -> FileFacts:
    """``facts``: the first pass's (``scan``); the same facts again without the rows wrong
    on their own, when some of them take part in the comparisons. A file without a GUID
    column: the derived GUIDs of the rows valid on their own, compared (``derived_keys``)."""
    if facts.duplicate_guids or facts.room_conflicts:
        suspects = suspect_rows(table, columns, facts)
        wrong = frozenset(_lines_wrong_on_their_own(suspects, parse, refs))
        if wrong:
            again = scan(table, columns, width, skip=wrong)
            again.date_order = facts.date_order
            facts = again
    if derives_guid(columns):
        facts.guid_sources = guid_sources(columns)
        facts.duplicate_guids = _repeated_derived_guids(table, parse, refs)
    return facts


def _repeated_derived_guids(
    table: Table, parse: RowParser, refs: References
) -> dict[str, list[int]]:
    """The derived GUIDs that rows valid on their own share, with their lines: the rows are
    parsed for it (the GUID comes from their typed values: a start as read, in UTC)."""
    lines: dict[str, list[int]] = defaultdict(list)
    rows = table.rows()
    while batch := list(islice(rows, import_settings.BATCH_SIZE)):
        parsed = [parse(line, cells) for line, cells in batch]
        load_references(refs, [row for row, _ in parsed])
        for row, cell_errors in parsed:
            wrong = any(error.level == "ERROR" for error in cell_errors)
            if row.guid and not wrong and not reference_errors(row, refs):
                lines[row.guid].append(row.line)
    return {guid: found for guid, found in lines.items() if len(found) > 1}


def _lines_wrong_on_their_own(
    rows: Iterator[Row], parse: RowParser, refs: References
) -> Iterator[int]:
    while batch := list(islice(rows, import_settings.BATCH_SIZE)):
        parsed = [parse(line, cells) for line, cells in batch]
        load_references(refs, [row for row, _ in parsed])
        for row, cell_errors in parsed:
            wrong = any(error.level == "ERROR" for error in cell_errors)
            if wrong or reference_errors(row, refs):
                yield row.line
