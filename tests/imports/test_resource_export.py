"""The Resource's export: our rows as a tablib Dataset, which imports back unchanged."""

import pytest

from imports.resource import InterventionResource
from training.models import Intervention

from .export_support import LATIN, add, paris

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("config", [None, LATIN], ids=["header", "latin"])
def test_a_resource_export_imports_back_unchanged(demo, config, settings):
    settings.TIME_ZONE = "Europe/Paris"
    add("IV-1", paris(2027, 3, 1, 9, 0))
    add("=IV-2", paris(2027, 10, 31, 3, 0), status="C")
    resource = InterventionResource(config)
    dataset = resource.export(Intervention.objects.all())
    assert len(dataset) == 2
    assert "'=IV-2" in dataset.get_col(dataset.headers.index("interventionGuid"))
    result = resource.import_data(dataset, dry_run=True)
    assert dict(result.totals) == {
        "new": 0,
        "update": 0,
        "delete": 0,
        "skip": 2,
        "error": 0,
        "invalid": 0,
    }
