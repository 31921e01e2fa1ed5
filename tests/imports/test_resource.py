"""The Resource door: django-import-export's API over the same engine."""

import pytest
import tablib

from imports.resource import InterventionResource
from tests.conftest import HEADER, make_row
from training.models import Intervention

pytestmark = pytest.mark.django_db


def dataset(*rows: dict) -> tablib.Dataset:
    data = tablib.Dataset(headers=HEADER)
    for row in rows:
        data.append([row[name] for name in HEADER])
    return data


def test_import_data_translates_engine_outcomes(demo):
    InterventionResource().import_data(dataset(make_row()))
    rows = (
        make_row(),
        make_row(interventionGuid="IV-2"),
        make_row(interventionGuid="IV-3", teacherLogin="ghost"),
    )
    result = InterventionResource().import_data(dataset(*rows), dry_run=True)
    assert dict(result.totals) == {
        "new": 1,
        "update": 0,
        "delete": 0,
        "skip": 1,
        "error": 0,
        "invalid": 1,
    }
    [invalid] = result.invalid_rows
    assert invalid.number == 4
    assert invalid.error_dict == {"teacherLogin": ["Teacher with login ghost is not found."]}
    assert result.has_validation_errors()
    assert Intervention.objects.count() == 1


def test_rollback_on_validation_errors_is_strict(demo):
    rows = (make_row(), make_row(interventionGuid="IV-2", interventionStatus="?"))
    result = InterventionResource().import_data(dataset(*rows), rollback_on_validation_errors=True)
    assert result.engine_result.committed is False
    assert Intervention.objects.count() == 0
