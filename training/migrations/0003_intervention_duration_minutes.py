"""Durations to the minute: ``Intervention.duration_hours`` becomes ``duration_minutes``, every
stored value kept (hours x 60, one UPDATE). Reversible while every duration is a whole number
of hours: going back refuses, naming one, when a duration of 1 h 30 (say) cannot be held."""

from django.db import migrations, models
from django.db.models import F
from django.db.models.functions import Mod

MINUTES_PER_HOUR = 60


def hours_to_minutes(apps, schema_editor):
    Intervention = apps.get_model("training", "Intervention")
    Intervention.objects.update(duration_minutes=F("duration_hours") * MINUTES_PER_HOUR)


def minutes_to_hours(apps, schema_editor):
    Intervention = apps.get_model("training", "Intervention")
    odd = Intervention.objects.annotate(rest=Mod("duration_minutes", MINUTES_PER_HOUR)).exclude(
        rest=0
    )
    count = odd.count()
    if count:
        first = odd.order_by("guid").values_list("guid", "duration_minutes").first()
        raise RuntimeError(
            f"{count} interventions have durations that are not whole hours (first: {first[0]},"
            f" {first[1]} minutes); duration_hours cannot hold them. Change them first."
        )
    Intervention.objects.update(duration_hours=F("duration_minutes") / MINUTES_PER_HOUR)


class Migration(migrations.Migration):

    dependencies = [
        ("training", "0002_intervention_guid_constraint"),
    ]

    operations = [
        migrations.AddField(
            model_name="intervention",
            name="duration_minutes",
            field=models.PositiveIntegerField(null=True),
        ),
        migrations.AlterField(
            model_name="intervention",
            name="duration_hours",
            field=models.PositiveIntegerField(null=True),
        ),
        migrations.RunPython(hours_to_minutes, minutes_to_hours),
        migrations.RemoveField(
            model_name="intervention",
            name="duration_hours",
        ),
        migrations.AlterField(
            model_name="intervention",
            name="duration_minutes",
            field=models.PositiveIntegerField(verbose_name="duration (minutes)"),
        ),
    ]
