"""R-STAFF-1: stationed staff belong to their department (establishment, rank, pay) and
are managed by the center; postings last at least two years; changes are filed with
the center in advance; secondments out are controlled; the center's own teams are
recruited openly and third-party staff have contracts."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from onewindow.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from onewindow.core.scope import scope_for
from onewindow.staffing import selectors as staffing
from onewindow.staffing import services
from onewindow.staffing.models import Decision, Posting, PostingChange, StaffRecord
from tests.staffing.conftest import login, new_clerk

pytestmark = pytest.mark.django_db


def today():
    return timezone.localdate()


def set_record(world, profile, started, **kw):
    return services.staff_record_set(
        actor=world.county_admin,
        profile=profile,
        establishment=kw.get("establishment", "administrative"),
        rank=kw.get("rank", "四级主任科员"),
        paid_by=kw.get("paid_by", "临夏县市场监督管理局"),
        team=kw.get("team", "stationed"),
        posting_started=started,
    )


def rows_by_pk(user):
    return {r.profile.pk: r for r in staffing.roster(scope=scope_for(user))}


def test_r_staff_1_a_posting_under_two_years_is_flagged(world, db):
    chief = world.chief_rep.staff_profile
    approver = world.approver.staff_profile
    set_record(world, chief, today() - timedelta(days=400))
    two_years_ago = today().replace(year=today().year - 2)
    set_record(world, approver, two_years_ago)
    rows = rows_by_pk(world.county_admin)
    assert rows[chief.pk].short_posting and "进驻未满两年" in rows[chief.pk].flags
    assert not rows[approver.pk].short_posting  # exactly two years: not short
    record = StaffRecord.objects.get(profile=chief)
    assert (record.establishment, record.rank, record.paid_by) == (
        "administrative",
        "四级主任科员",
        "临夏县市场监督管理局",
    )


def test_r_staff_1_a_change_is_filed_in_advance_and_decided_by_the_center(world, db):
    chief = world.chief_rep.staff_profile
    set_record(world, chief, today() - timedelta(days=300))
    args = dict(profile=chief, kind="recall", reason="单位工作调整，召回")
    with pytest.raises(InvalidInput) as exc:
        services.posting_change_file(actor=world.chief_rep, effective_on=today(), **args)
    assert exc.value.code == "posting_change.not_in_advance"
    with pytest.raises(Forbidden):
        services.posting_change_file(
            actor=world.clerk, effective_on=today() + timedelta(days=30), **args
        )
    change = services.posting_change_file(
        actor=world.chief_rep, effective_on=today() + timedelta(days=30), **args
    )
    assert change.early and change.state == Decision.FILED
    assert rows_by_pk(world.county_admin)[chief.pk].change_pending
    with pytest.raises(Forbidden):  # the department files, only the center decides
        services.posting_change_decide(actor=world.chief_rep, change=change, approve=True)
    with pytest.raises(InvalidInput):  # a refusal says why
        services.posting_change_decide(actor=world.county_admin, change=change, approve=False)
    services.posting_change_decide(actor=world.county_admin, change=change, approve=True)
    postings = list(Posting.objects.filter(profile=chief))
    assert len(postings) == 1
    assert postings[0].ended_on == today() + timedelta(days=30)
    assert postings[0].end_kind == "recall" and postings[0].change_id == change.pk
    with pytest.raises(Conflict):
        services.posting_change_decide(actor=world.county_admin, change=change, approve=True)


def test_r_staff_1_an_approved_rotation_keeps_the_successor_and_the_history(world, db):
    approver = world.approver.staff_profile
    successor = world.police_approver.staff_profile
    set_record(world, approver, today() - timedelta(days=800))
    change = services.posting_change_file(
        actor=world.county_admin,
        profile=approver,
        kind="change",
        effective_on=today() + timedelta(days=10),
        reason="到期轮换",
        successor=successor,
    )
    assert not change.early
    services.posting_change_decide(
        actor=world.county_admin, change=change, approve=True, note="同意"
    )
    ended = Posting.objects.get(profile=approver)
    assert ended.ended_on == today() + timedelta(days=10) and ended.end_kind == "change"
    assert PostingChange.objects.get(pk=change.pk).successor_id == successor.pk
    assert PostingChange.objects.get(pk=change.pk).decision_note == "同意"


def test_r_staff_1_a_secondment_needs_the_center_s_approval_and_is_listed(world, db):
    chief = world.chief_rep.staff_profile
    start, end = today() + timedelta(days=1), today() + timedelta(days=60)
    item = services.secondment_file(
        actor=world.chief_rep,
        profile=chief,
        to_unit="县委巡察办",
        starts_on=start,
        ends_on=end,
        reason="巡察工作",
        on=today(),
    )
    listed = list(staffing.secondments(scope=scope_for(world.county_admin)))
    assert [s.pk for s in listed] == [item.pk]
    on_day = start + timedelta(days=5)
    rows = {
        r.profile.pk: r for r in staffing.roster(scope=scope_for(world.county_admin), on=on_day)
    }
    assert not rows[chief.pk].seconded_out  # filed is not approved
    services.secondment_decide(actor=world.county_admin, secondment=item, approve=True)
    rows = {
        r.profile.pk: r for r in staffing.roster(scope=scope_for(world.county_admin), on=on_day)
    }
    assert rows[chief.pk].seconded_out and "借调中" in rows[chief.pk].flags
    after = {
        r.profile.pk: r
        for r in staffing.roster(scope=scope_for(world.county_admin), on=end + timedelta(days=1))
    }
    assert not after[chief.pk].seconded_out
    with pytest.raises(InvalidInput):
        services.secondment_file(
            actor=world.chief_rep,
            profile=chief,
            to_unit="x",
            starts_on=today(),
            ends_on=end,
            reason="y",
        )


def test_r_staff_1_no_other_work_is_declared_then_confirmed_by_the_center(world, db):
    chief = world.chief_rep.staff_profile
    assert rows_by_pk(world.county_admin)[chief.pk].undeclared
    with pytest.raises(Conflict):
        services.staff_confirm_no_other_work(actor=world.county_admin, profile=chief)
    services.staff_declare_no_other_work(actor=world.chief_rep, profile=chief, declared_on=today())
    assert rows_by_pk(world.county_admin)[chief.pk].undeclared  # declared, not confirmed
    with pytest.raises(Forbidden):
        services.staff_confirm_no_other_work(actor=world.chief_rep, profile=chief)
    services.staff_confirm_no_other_work(actor=world.county_admin, profile=chief)
    assert not rows_by_pk(world.county_admin)[chief.pk].undeclared


def test_r_staff_1_recruitment_is_recorded_and_third_party_staff_have_contracts(world, db):
    with pytest.raises(InvalidInput):  # open recruitment names its announcement
        services.recruitment_record(
            actor=world.county_admin,
            center=world.linxia_center,
            team="comprehensive",
            held_on=date(2025, 6, 1),
            way="exam",
            openly=True,
            announcement="",
            positions=6,
            hired=6,
        )
    rec = services.recruitment_record(
        actor=world.county_admin,
        center=world.linxia_center,
        team="comprehensive",
        held_on=date(2025, 6, 1),
        way="exam",
        openly=True,
        announcement="临夏县人民政府网 2025年第12号公告",
        positions=6,
        hired=5,
    )
    with pytest.raises(NotFound):
        services.recruitment_record(
            actor=world.county_admin,
            center=world.kangle_center,
            team="agency",
            held_on=date(2025, 6, 1),
            way="exam",
            openly=False,
            announcement="",
            positions=1,
            hired=1,
        )
    assert [r.pk for r in staffing.recruitments(scope=scope_for(world.county_admin))] == [rec.pk]
    assert list(staffing.recruitments(scope=scope_for(world.kangle_admin))) == []
    clerk = world.clerk.staff_profile  # third-party in the built world
    contract = services.staff_contract_record(
        actor=world.county_admin,
        profile=clerk,
        company="甘肃某人力资源公司",
        contract_no="HT-2025-031",
        starts_on=date(2025, 7, 1),
        ends_on=date(2027, 6, 30),
    )
    assert contract.contract_no == "HT-2025-031"
    with pytest.raises(InvalidInput):
        services.staff_contract_record(
            actor=world.county_admin,
            profile=world.agent.staff_profile,
            company="x",
            contract_no="y",
            starts_on=date(2025, 7, 1),
            ends_on=date(2026, 6, 30),
        )


def test_r_staff_1_a_county_admin_sees_only_their_network_s_staff(world, client):
    linxia = {r.profile.pk for r in staffing.roster(scope=scope_for(world.county_admin))}
    assert world.township_clerk.staff_profile.pk in linxia  # the township center below
    assert world.clerk.staff_profile.pk in linxia
    kangle_clerk = new_clerk(world, "kangle_c", center=world.kangle_center)
    assert kangle_clerk.pk not in linxia
    assert world.pref_admin.staff_profile.pk not in linxia
    login(client, world.county_admin)
    assert client.get(reverse("oversight:staff_person", args=[kangle_clerk.pk])).status_code == 404
    page = client.get(reverse("oversight:staff_person", args=[world.clerk.staff_profile.pk]))
    assert page.status_code == 200


def test_r_staff_1_a_department_never_sees_another_department_s_staff(world, client):
    market = {r.profile.pk for r in staffing.roster(scope=scope_for(world.chief_rep))}
    assert world.approver.staff_profile.pk in market
    assert world.police_approver.staff_profile.pk not in market
    assert world.clerk.staff_profile.pk not in market
    login(client, world.chief_rep)
    police = world.police_approver.staff_profile.pk
    assert client.get(reverse("oversight:staff_person", args=[police])).status_code == 404
    with pytest.raises(NotFound):
        services.staff_declare_no_other_work(
            actor=world.chief_rep,
            profile=world.police_approver.staff_profile,
            declared_on=today(),
        )
    text = client.get(reverse("oversight:staff_roster")).content.decode()
    assert "police_approver" not in text and "approver" in text


def test_r_staff_1_supervisors_read_the_roster_without_forms_clerks_not_at_all(world, client):
    login(client, world.county_supervisor)
    page = client.get(reverse("oversight:staff_person", args=[world.clerk.staff_profile.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "修改档案" not in text and "登记培训" not in text and "登记抽查" in text
    login(client, world.clerk)
    assert client.get(reverse("oversight:staff_roster")).status_code == 404


def test_r_staff_1_the_staff_pages_are_reached_from_the_workspace(world, client):
    link = f'href="{reverse("oversight:staff_roster")}"'  # not the clerk's own score below it
    for user in (world.county_admin, world.county_supervisor, world.chief_rep):
        assert link in login(client, user).get(reverse("workspace")).content.decode()
    assert link not in login(client, world.clerk).get(reverse("workspace")).content.decode()
