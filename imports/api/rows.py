"""JSON rows as the file of a job: a CSV in UTF-8 with a header row (the union of the rows'
keys, in the order first seen), one physical line per row, so that ``rows[i]`` is line
``i + 2`` in every error and row of the job, as in a file. A text a spreadsheet would run as
a formula is written quoted (``formulas.quote_csv``) and read back as it was, so the rows of
``/api/v1/interventions/`` posted back change nothing."""

import csv
import io
from collections.abc import Mapping, Sequence

from django.core.files.base import ContentFile
from rest_framework import serializers

from imports.parsing.formulas import quote_csv
from imports.parsing.messages import API_ROW_NOT_VALID

FILE_NAME = "rows.csv"
DELIMITER = ","
BREAKS = ("\n", "\r", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029")


def rows_file(rows: Sequence[Mapping[str, str | None]]) -> ContentFile:
    """The job's file for ``rows``; ``ValidationError`` (field ``rows``) for a key or a value
    that cannot be one line of one cell."""
    header: dict[str, None] = {}
    problems: dict[str, list[str]] = {}
    for index, row in enumerate(rows):
        for column, value in row.items():
            header.setdefault(column, None)
            reason = _problem(column, value)
            if reason:
                text = API_ROW_NOT_VALID.format(index=index, column=column or '""', reason=reason)
                problems.setdefault(f"{index}", []).append(text)
    if problems:
        raise serializers.ValidationError({"rows": problems})
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=DELIMITER, lineterminator="\n")
    columns = list(header)
    writer.writerow([quote_csv(column) for column in columns])
    for row in rows:
        writer.writerow([quote_csv(row.get(column) or "") for column in columns])
    return ContentFile(buffer.getvalue().encode("utf-8"), name=FILE_NAME)


def _problem(column: str, value: str | None) -> str:
    if not column.strip():
        return "a column name is not blank."
    if any(mark in column for mark in BREAKS) or any(mark in (value or "") for mark in BREAKS):
        return "a line break cannot be read in a cell; each row is one line."
    return ""
