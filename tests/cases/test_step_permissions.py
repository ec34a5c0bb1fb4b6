"""Who may take which step (R-CASE-1, R-NET-3): each step of ``cases/states.py`` names the
activity it needs; ``case_actions`` offers exactly the steps the services then allow; case
and bundle numbers come from the one daily counter."""

from __future__ import annotations

import importlib
from datetime import date
from types import SimpleNamespace

from django.apps import apps as django_apps
from django.utils import timezone

from onewindow.cases import services, states
from onewindow.cases.selectors.actions import case_actions
from onewindow.cases.services.archive import case_archive
from onewindow.core.models import DailyCounter
from onewindow.core.roles import PERMISSIONS
from tests.cases.conftest import all_required


def _intake(desk):
    return services.case_intake(
        actor=desk.clerk,
        listing=desk.listing,
        applicant=desk.applicant,
        materials=all_required(desk),
    )


def test_every_step_names_an_activity_of_the_roles_table():
    for name, spec in states.ACTIONS.items():
        if spec.office == "system":
            assert spec.activity == "", name
        else:
            assert spec.activity in PERMISSIONS, name
    assert states.ACTIONS["accept"].activity == "case.front"
    assert states.ACTIONS["approve"].activity == "case.back"
    assert states.ACTIONS["archive"].activity == "case.archive"


def test_r_case_1_the_steps_offered_follow_the_state_the_post_and_the_scope(desk):
    case = _intake(desk)
    assert case_actions(desk.clerk, case) == ["accept", "ask_correction_intake", "refuse"]
    assert case_actions(desk.approver, case) == []
    assert case_actions(desk.kangle_admin, case) == []
    services.case_accept(actor=desk.clerk, case=case)
    case.refresh_from_db()
    assert case_actions(desk.clerk, case) == []
    assert case_actions(desk.approver, case) == ["start_review"]
    assert case_actions(desk.root, case) == ["start_review"]


def test_r_case_1_archiving_is_offered_to_whom_the_service_allows(desk):
    case = _intake(desk)
    services.case_accept(actor=desk.clerk, case=case)
    services.case_start_review(actor=desk.approver, case=case)
    services.case_decide(actor=desk.approver, case=case, approve=True)
    services.case_make_ready(actor=desk.approver, case=case)
    case = services.case_deliver(actor=desk.clerk, case=case)
    assert case_actions(desk.clerk, case) == ["archive"]
    assert case_actions(desk.county_admin, case) == ["archive"]
    assert case_actions(desk.approver, case) == []
    case_archive(actor=desk.county_admin, case=case)


def test_r_case_1_case_numbers_come_from_the_daily_counter(desk):
    first, second = _intake(desk), _intake(desk)
    day = timezone.localdate()
    counter = DailyCounter.objects.get(series="case", key=str(desk.linxia_center.pk), day=day)
    assert counter.last == 2
    code = desk.linxia_center.region.code
    assert (first.number, second.number) == (f"{code}{day:%Y%m%d}0001", f"{code}{day:%Y%m%d}0002")


class _Rows:
    def __init__(self, rows):
        self.rows = rows

    def all(self):
        return self

    def values_list(self, *fields):
        return self

    def iterator(self):
        return iter(self.rows)


def test_the_counters_move_into_the_daily_counter(db):
    migration = importlib.import_module("onewindow.cases.migrations.0005_daily_counters")
    day = date(2026, 3, 2)
    models = {
        "CaseCounter": SimpleNamespace(
            objects=_Rows([SimpleNamespace(center_id=7, day=day, last=12)])
        ),
        "BundleApplication": SimpleNamespace(
            objects=_Rows(
                [
                    ("Y622921202603020003", 7, "622921"),
                    ("Y622921202603020011", 7, "622921"),
                    ("Y622921202603030002", 7, "622921"),
                    ("not-a-number", 7, "622921"),
                ]
            )
        ),
        "DailyCounter": django_apps.get_model("core", "DailyCounter"),
    }
    fake_apps = SimpleNamespace(get_model=lambda app, name: models[name])
    migration.copy_counters(fake_apps, None)
    found = {(c.series, c.key, c.day): c.last for c in DailyCounter.objects.all()}
    assert found == {
        ("case", "7", day): 12,
        ("bundle", "622921", day): 11,
        ("bundle", "622921", date(2026, 3, 3)): 2,
    }
