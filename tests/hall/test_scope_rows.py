"""The hall's rows belong to a center, not to a department (R-SEC-1): a caller whose scope
is a department, or a line of departments, sees them through a center or region only,
and filtering them by that scope never asks for a department they do not have (the
intake of a case with a queue ticket answered 500 to such a caller)."""

from __future__ import annotations

import pytest

from onewindow.core.scope import Scope
from onewindow.evaluation.models import EvaluationSettings
from onewindow.hall.models import (
    Appointment,
    AppointmentSlot,
    HallSchedule,
    HomeVisit,
    ServiceCategory,
    Ticket,
    Window,
)

pytestmark = pytest.mark.django_db


def test_r_sec_1_a_departments_scope_filters_hall_rows_without_error():
    scope = Scope(department_ids=frozenset({1}), line_paths=frozenset({(1, "622921")}))
    models = (Ticket, Window, ServiceCategory, AppointmentSlot, Appointment, HomeVisit)
    for model in (*models, HallSchedule, EvaluationSettings):
        assert list(model.objects.visible_to(scope)) == [], model
