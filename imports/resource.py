"""``createOrUpdateInterventionAction`` as a django-import-export ``Resource``.

The Resource is a door, not a second engine: ``import_data`` hands the dataset to
``engine.import_table`` and translates the engine's ``ImportResult`` into the library's
``Result`` (new / update / skip for unchanged / invalid rows with their messages), so the
library's admin integration and any code written for it can use the action. The engine's own
result stays available as ``result.engine_result``.
"""

from typing import Any

from django.core.exceptions import ValidationError
from import_export.resources import Resource
from import_export.results import Error, Result, RowResult
from tablib import Dataset

from imports.export.service import ExportFilter, export_rows, select
from imports.parsing.config import ImportConfig
from imports.parsing.readers import Table
from imports.parsing.results import ImportResult, Outcome

from .engine import ImportOptions, import_table

IMPORT_TYPES = {
    Outcome.NEW: RowResult.IMPORT_TYPE_NEW,
    Outcome.UPDATED: RowResult.IMPORT_TYPE_UPDATE,
    Outcome.UNCHANGED: RowResult.IMPORT_TYPE_SKIP,
    Outcome.ERROR: RowResult.IMPORT_TYPE_INVALID,
}


def table_from_dataset(dataset: Dataset, name: str = "dataset") -> Table:
    """A tablib ``Dataset`` (header + rows) as the engine's ``Table``; line 1 is the header."""

    def rows():
        for number, row in enumerate(dataset, start=2):
            yield number, list(row)

    return Table(name, "dataset", list(dataset.headers or []), 1, rows)


class InterventionResource(Resource):
    def __init__(self, config: ImportConfig | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.config = config

    def import_data(
        self,
        dataset: Dataset,
        dry_run: bool = False,
        raise_errors: bool = False,
        use_transactions: bool | None = None,
        collect_failed_rows: bool = False,
        rollback_on_validation_errors: bool = False,
        **kwargs: Any,
    ) -> Result:
        options = ImportOptions(
            dry_run=dry_run, strict=rollback_on_validation_errors or None, keep_rows=True
        )
        outcome = import_table(table_from_dataset(dataset), self.config, options)
        return to_library_result(outcome)

    def export(self, queryset: Any = None, **kwargs: Any) -> Dataset:
        """The export service's rows as a tablib ``Dataset`` (the configuration's columns, dates
        and codes; texts a spreadsheet would run quoted as in a CSV): importing it back with
        ``import_data`` changes nothing. Raises ``export.ExportError`` for a value that cannot
        be written."""
        queryset = queryset if queryset is not None else select(ExportFilter())
        dataset = Dataset()
        rows = export_rows(queryset, self.config, "csv")
        for _line, guid, cells in rows:
            if guid:
                dataset.append(cells)
            else:
                dataset.headers = cells
        return dataset


def to_library_result(outcome: ImportResult) -> Result:
    result = Result()
    result.engine_result = outcome
    result.diff_headers = list(outcome.header)
    result.total_rows = outcome.total_rows
    for problem in outcome.file_errors:
        result.append_base_error(Error(problem.message))
    messages_by_line: dict[int, dict[str, list[str]]] = {}
    for error in outcome.errors:
        by_column = messages_by_line.setdefault(error.line or 0, {})
        by_column.setdefault(error.column or "__all__", []).append(error.message)
    for change in outcome.rows:
        row_result = RowResult()
        row_result.import_type = IMPORT_TYPES[change.outcome]
        row_result.object_repr = change.guid
        if change.outcome is Outcome.ERROR:
            row_result.validation_error = ValidationError(messages_by_line.get(change.line, {}))
            values = dict(
                zip(outcome.header, outcome.error_cells.get(change.line, []), strict=False)
            )
            result.append_invalid_row(change.line, values, row_result.validation_error)
        result.append_row_result(row_result)
        result.increment_row_result_total(row_result)
    return result
