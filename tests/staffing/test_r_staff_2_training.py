"""R-STAFF-2: new staff pass pre-job training or shadow a window clerk before working a
window alone; training is recorded; the center sees who is not cleared."""

from __future__ import annotations

import importlib
from datetime import date

import pytest
from django.apps import apps as django_apps
from django.urls import reverse

from onewindow.core.errors import Forbidden, InvalidInput, NotFound
from onewindow.core.scope import scope_for
from onewindow.hall import services as hall
from onewindow.hall.models import Window
from onewindow.staffing import clearance, services
from onewindow.staffing import selectors as staffing
from onewindow.staffing.models import ClearanceBasis, Posting, StaffRecord, TrainingRecord
from tests.staffing.conftest import login, new_clerk

pytestmark = pytest.mark.django_db


@pytest.fixture
def window(world, db, settings):
    settings.ONEWINDOW_HALL_ENFORCE_HOURS = False
    return Window.objects.create(center=world.linxia_center, number=31)


def train(world, profile, kind="pre_job", hours=8, passed=True, **kw):
    return services.training_record(
        actor=world.county_admin,
        profile=profile,
        kind=kind,
        title=kw.pop("title", "岗前培训"),
        trainer="中心综合科",
        started_on=date(2026, 3, 2),
        ended_on=date(2026, 3, 6),
        hours=hours,
        passed=passed,
        **kw,
    )


def test_r_staff_2_a_new_clerk_cannot_sign_in_alone_and_is_told_the_hours_missing(world, window):
    profile = new_clerk(world, "trainee1")
    train(world, profile, hours=12)
    train(world, profile, hours=6, passed=False)  # a failed session does not count
    with pytest.raises(Forbidden) as exc:
        hall.window_sign_in(actor=profile.user, window=window)
    assert exc.value.code == "window.not_cleared"
    assert "尚未完成岗前培训（已完成 12/40 学时）或跟班学习（已完成 0/80 学时）" in str(
        exc.value.message
    )
    assert "不能单独在窗口签到" in exc.value.message


def test_r_staff_2_forty_passed_pre_job_hours_clear_the_clerk(world, window):
    profile = new_clerk(world, "trainee2")
    train(world, profile, hours=12)
    assert not clearance.clearance_of(profile).cleared
    train(world, profile, hours=28)
    state = clearance.clearance_of(profile)
    assert state.cleared and state.basis == "岗前培训合格" and state.pre_job_hours == 40
    session = hall.window_sign_in(actor=profile.user, window=window)
    assert session.clerk_id == profile.user_id


def test_r_staff_2_shadowing_eighty_hours_with_a_mentor_clears_too(world, window):
    profile = new_clerk(world, "trainee3")
    mentor = world.clerk.staff_profile
    with pytest.raises(InvalidInput) as exc:
        train(world, profile, kind="shadowing", hours=40)
    assert exc.value.code == "training.mentor_required"
    train(world, profile, kind="shadowing", hours=40, mentor=mentor, title="跟班学习")
    assert not clearance.clearance_of(profile).cleared
    train(world, profile, kind="shadowing", hours=40, mentor=mentor, title="跟班学习")
    record = StaffRecord.objects.get(profile=profile)
    assert record.cleared_basis == ClearanceBasis.SHADOWING
    hall.window_sign_in(actor=profile.user, window=window)


def test_r_staff_2_special_training_names_a_process_change(world, db):
    profile = new_clerk(world, "trainee4")
    with pytest.raises(InvalidInput) as exc:
        train(world, profile, kind="special", hours=2, title="新流程")
    assert exc.value.code == "training.process_change_required"


def test_r_staff_2_the_center_sees_exactly_who_is_not_cleared(world, db):
    a = new_clerk(world, "trainee5")
    b = new_clerk(world, "trainee6", center=world.kangle_center)
    train(world, a, hours=12)
    linxia = [p.pk for p, _ in staffing.not_cleared(scope=scope_for(world.county_admin))]
    assert linxia == [a.pk]
    kangle = [p.pk for p, _ in staffing.not_cleared(scope=scope_for(world.kangle_admin))]
    assert kangle == [b.pk]


def test_r_staff_2_only_the_center_admin_records_training(world, db):
    profile = new_clerk(world, "trainee7")
    with pytest.raises(Forbidden):
        services.training_record(
            actor=world.clerk,
            profile=profile,
            kind="pre_job",
            title="x",
            trainer="y",
            started_on=date(2026, 3, 2),
            ended_on=date(2026, 3, 2),
            hours=40,
            passed=True,
        )
    other = new_clerk(world, "trainee8", center=world.kangle_center)
    with pytest.raises(NotFound):
        train(world, other, hours=40)  # the Linxia admin does not see Kangle's staff


def test_r_staff_2_people_in_post_at_install_are_cleared_by_the_migration(world, db):
    profile = new_clerk(world, "veteran")
    assert not StaffRecord.objects.filter(profile=profile).exists()
    migration = importlib.import_module(
        "onewindow.staffing.migrations.0002_people_in_post_are_cleared"
    )
    migration.forwards(django_apps, None)
    record = StaffRecord.objects.get(profile=profile)
    assert record.cleared_basis == ClearanceBasis.IN_POST and record.is_cleared
    assert Posting.objects.get(profile=profile).started_on == profile.posting_started


def test_r_staff_2_the_not_cleared_list_is_on_the_roster_page(world, client):
    profile = new_clerk(world, "trainee9", full_name="马新学")
    train(world, profile, hours=12)
    page = login(client, world.county_admin).get(reverse("oversight:staff_roster"))
    text = page.content.decode()
    assert page.status_code == 200
    assert "未取得独立上岗资格（1 人）" in text and "马新学" in text
    assert "已完成 12/40 学时" in text


def test_r_staff_2_the_training_form_records_and_bad_input_changes_nothing(world, client):
    profile = new_clerk(world, "trainee10")
    url = reverse("oversight:staff_training_add", args=[profile.pk])
    login(client, world.county_admin)
    base = {
        "kind": "pre_job",
        "title": "岗前培训",
        "trainer": "中心综合科",
        "started_on": "2026-03-02",
        "ended_on": "2026-03-06",
        "passed": "1",
    }
    bad = client.post(url, {**base, "hours": "abc"}, follow=True)
    assert "学时" in bad.content.decode()
    assert not TrainingRecord.objects.filter(profile=profile).exists()
    client.post(url, {**base, "hours": "40"})
    assert clearance.clearance_of(profile).cleared
    login(client, world.county_supervisor)  # supervisors read, they do not record
    assert client.post(url, {**base, "hours": "8"}).status_code in (302, 403)
    assert TrainingRecord.objects.filter(profile=profile).count() == 1
