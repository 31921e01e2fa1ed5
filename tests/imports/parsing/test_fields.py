"""One description of a column: the spec in ``imports/fields.py`` and the data types built
from it agree, so that a new column is described once."""

from dataclasses import fields

from imports.database.writer import INSERT_FIELDS, INTERVENTION_FIELDS, NON_KEY_FIELDS
from imports.parsing.cells import ParsedRow
from imports.parsing.fields import FIELD_SPECS, STORED_FIELDS, STORED_VALUES
from imports.planning.plan import PlannedIntervention
from imports.planning.references import ExistingIntervention
from training.models import Intervention


def names(data_type: type) -> list[str]:
    return [f.name for f in fields(data_type)]


def test_a_parsed_row_has_one_attribute_per_column_in_the_spec_s_order():
    # the fast path (imports/rows.py) builds a row from the texts in this order
    assert names(ParsedRow) == ["line", *(spec.attribute for spec in FIELD_SPECS)]


def test_existing_and_planned_interventions_hold_the_stored_values():
    # fetched in this order; a real run also reads the time stamp, for the undo journal
    assert names(ExistingIntervention) == ["id", *STORED_VALUES, "updated_at"]
    planned = names(PlannedIntervention)
    assert set(STORED_VALUES) <= set(planned)
    assert {f.shown for f in STORED_FIELDS if f.key} <= set(planned)


def test_every_stored_field_is_a_field_of_the_model():
    for stored in STORED_FIELDS:
        model_field = Intervention._meta.get_field(stored.name)
        assert model_field.attname == stored.value
        assert model_field.is_relation is stored.key


def test_the_writer_writes_the_stored_fields():
    stored = [f.name for f in STORED_FIELDS]
    assert [*stored, "updated_at"] == INTERVENTION_FIELDS
    assert ["guid", *stored, "created_at", "updated_at"] == INSERT_FIELDS
    assert [*(f.name for f in STORED_FIELDS if not f.key), "updated_at"] == NON_KEY_FIELDS
