"""The training app's admin: a session is told apart from another training's of the same
title in the intervention form (issue 28)."""

import datetime as dt

import pytest
from django.urls import reverse

from training.models import Intervention, Room, Session, Teacher

pytestmark = pytest.mark.django_db


def test_a_session_names_its_training(demo):
    assert str(Session.objects.get(guid="SE-3")) == "Spring 2027 — Management basics (TR-2)"


def test_the_intervention_form_tells_two_sessions_of_the_same_title_apart(
    admin_client, demo, django_assert_max_num_queries
):
    url = reverse("admin:training_intervention_add")
    with django_assert_max_num_queries(15):  # the sessions read with their trainings at once
        page = admin_client.get(url).content.decode()
    assert "Spring 2027 — Data analysis (TR-1)" in page
    assert "Spring 2027 — Management basics (TR-2)" in page


def test_the_interventions_list_reads_each_session_s_training_with_it(
    admin_client, demo, django_assert_max_num_queries
):
    for number, session in enumerate(Session.objects.all()):
        Intervention.objects.create(
            guid=f"IV-{number}",
            session=session,
            start=dt.datetime(2027, 3, 1, 9, tzinfo=dt.UTC) + dt.timedelta(days=number),
            duration_minutes=60,
            room=Room.objects.first(),
            teacher=Teacher.objects.first(),
            status="A",
        )
    with django_assert_max_num_queries(12):  # not one more per row
        page = admin_client.get(reverse("admin:training_intervention_changelist")).content
    assert "Autumn 2027 — Management basics (TR-2)" in page.decode()
