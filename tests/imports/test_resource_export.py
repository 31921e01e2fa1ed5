"""The Resource's export: our rows as a tablib Dataset, which imports back unchanged."""

import pytest

from imports.export.service import ExportError
from imports.parsing.config import parse_config
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


def test_a_resource_export_refuses_what_its_configuration_s_defaults_would_change(demo):
    add("IV-1", paris(2027, 3, 1, 9, 0))
    add("IV-2", paris(2027, 3, 2, 9, 0), status="C")
    config = parse_config(
        "<actions><createOrUpdateInterventionAction><fields>"
        "<interventionGuid/><trainingGuid/><sessionGuid/><interventionDate/>"
        "<interventionDuration/><roomGuid/><roomLabel/><teacherLogin/></fields>"
        "<defaults><interventionStatus>A</interventionStatus></defaults>"
        "</createOrUpdateInterventionAction></actions>",
        source="bare.xml",
    )[0]
    with pytest.raises(ExportError) as caught:
        InterventionResource(config).export(Intervention.objects.all())
    assert caught.value.code == "export_default_differs"
    assert "(the first: intervention IV-2, C)" in str(caught.value)
