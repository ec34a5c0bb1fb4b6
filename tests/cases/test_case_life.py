"""R-CASE-1, R-CASE-2, R-CASE-4, R-CAT-7, R-CAT-9: a case from the front window through
the department to the delivery window, its clocks and its limits."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection, connections, transaction
from django.utils import timezone

from onewindow.cases import selectors, services, states
from onewindow.cases.models import Case, CaseEvent
from onewindow.catalog import services as catalog_services
from onewindow.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from onewindow.core.models import AuditEvent
from onewindow.core.scope import scope_for
from tests.cases.conftest import all_required


def at(day: str, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.fromisoformat(day).replace(hour=hour))


def intake(desk, materials=None, **kw):
    return services.case_intake(
        actor=desk.clerk,
        listing=desk.listing,
        applicant=desk.applicant,
        materials=all_required(desk) if materials is None else materials,
        **kw,
    )


def test_r_case_1_front_window_takes_in_the_department_decides_one_window_delivers(desk):
    case = intake(desk)
    assert case.state == states.INTAKE and case.department == desk.linxia_market
    assert case.guide_version == desk.matter.current_version
    services.case_accept(actor=desk.clerk, case=case)
    services.case_start_review(actor=desk.approver, case=case)
    services.case_decide(actor=desk.approver, case=case, approve=True, note="符合条件")
    services.case_make_ready(actor=desk.approver, case=case)
    case = services.case_deliver(
        actor=desk.clerk, case=case, method="mail", tracking_number="EMS1234567890"
    )
    assert case.state == states.DELIVERED and case.public_status == "已送达"
    actions = list(case.events.values_list("action", flat=True))
    assert actions == ["intake", "accept", "start_review", "approve", "make_ready", "deliver"]
    assert AuditEvent.objects.filter(target_type="cases.case", target_id=str(case.pk)).count() == 6


def test_r_case_1_the_number_is_readable_and_unique_per_center_and_day(desk):
    a, b = intake(desk), intake(desk)
    today = timezone.localdate()
    assert a.number == f"622921{today:%Y%m%d}0001" and b.number.endswith("0002")


def test_r_case_2_accept_needs_every_required_material(desk):
    m = desk.materials
    case = intake(desk, materials={m["经营者居民身份证"].pk: {}})
    with pytest.raises(Conflict) as exc:
        services.case_accept(actor=desk.clerk, case=case)
    assert exc.value.code == "case.materials_missing"
    assert (
        "个体工商户登记（备案）申请书" in exc.value.message
        and "经营场所使用证明" in exc.value.message
    )
    assert Case.objects.get(pk=case.pk).state == states.INTAKE


def test_r_case_2_one_time_notice_lists_everything_missing_and_the_reply_resumes(desk):
    m = desk.materials
    case = intake(desk, materials={m["经营者居民身份证"].pk: {}})
    with pytest.raises(InvalidInput) as exc:  # listing only one of the two missing is refused
        services.case_ask_correction(
            actor=desk.clerk,
            case=case,
            due=timezone.localdate() + dt.timedelta(days=5),
            items=[{"material_id": m["经营场所使用证明"].pk}],
        )
    assert exc.value.code == "correction.not_all_at_once"
    correction = services.case_ask_correction(
        actor=desk.clerk,
        case=case,
        due=timezone.localdate() + dt.timedelta(days=5),
        items=[
            {"material_id": m["经营场所使用证明"].pk, "note": "需房产证或租赁合同"},
            {"material_id": m["个体工商户登记（备案）申请书"].pk},
        ],
    )
    assert len(correction.items) == 2
    case.refresh_from_db()
    assert case.state == states.CORRECTING_INTAKE and case.public_status == "待补正"
    with pytest.raises(Conflict):  # one open notice at a time
        services.case_ask_correction(
            actor=desk.clerk,
            case=case,
            due=timezone.localdate() + dt.timedelta(days=5),
            items=[{"note": "x"}],
        )
    services.case_correction_reply(
        case=case,
        materials={
            m["经营场所使用证明"].pk: {"electronic": True},
            m["个体工商户登记（备案）申请书"].pk: {},
        },
    )
    case = services.case_accept(actor=desk.clerk, case=case)
    assert case.state == states.ACCEPTED and case.deadline.due is not None


def test_r_case_2_refusal_needs_a_reason(desk):
    case = intake(desk)
    with pytest.raises(InvalidInput):
        services.case_refuse(actor=desk.clerk, case=case, reason=" ")
    case = services.case_refuse(actor=desk.clerk, case=case, reason="不属于本机关职权范围")
    assert case.state == states.REFUSED and case.public_status == "不予受理"


def test_r_cat_7_a_case_may_hold_only_the_materials_of_its_pinned_guide(desk):
    other, version = __import__("tests.catalog.conftest", fromlist=["x"]).make_matter(
        desk, code="P77", name="食品经营许可"
    )
    foreign = version.materials.first()
    with pytest.raises(InvalidInput) as exc:
        intake(desk, materials={**all_required(desk), foreign.pk: {}})
    assert exc.value.code == "case.extra_material" and "办事指南" in exc.value.message
    with pytest.raises(InvalidInput) as exc:
        intake(desk, form_data={"applicant_name": "马小明", "house_deposit": "10000"})
    assert exc.value.code == "case.extra_field"
    m = desk.materials
    with pytest.raises(InvalidInput) as exc:
        intake(
            desk, materials={**all_required(desk), m["经营者居民身份证"].pk: {"by_pledge": True}}
        )
    assert exc.value.code == "case.pledge_not_allowed"
    assert not Case.objects.exists()


def test_r_case_5_a_pledge_replaces_a_certificate_where_the_guide_allows_it(desk):
    m = desk.materials
    materials = {**all_required(desk), m["经营场所使用证明"].pk: {"by_pledge": True}}
    case = services.case_accept(actor=desk.clerk, case=intake(desk, materials=materials))
    assert case.documents.get(material=m["经营场所使用证明"]).by_pledge


def test_r_cat_9_a_case_keeps_the_version_it_was_taken_in_under(desk):
    case = intake(desk)
    draft = catalog_services.guide_draft_create(
        actor=desk.approver,
        matter=desk.matter,
        faq=[{"question": "新问题？", "answer": "新答复。"}],
    )
    catalog_services.guide_publish(actor=desk.approver, version=draft)
    case.refresh_from_db()
    desk.matter.refresh_from_db()
    assert case.guide_version.number == 1 and desk.matter.current_version.number == 2


def test_r_case_4_deadline_across_national_day_with_a_correction_pause(desk):
    """Promised 3 working days, accepted Tue 2026-09-29 (day 0): 09-30, then the holiday
    (10-01..10-07), then 10-08 and 10-09: due Fri 2026-10-09. A correction asked on 09-30
    and answered on 10-09 takes out 10-08 and 10-09; counting resumes on Sat 10-10 (an
    adjusted working day), so the case is due Mon 2026-10-12."""
    case = intake(desk, now=at("2026-09-29", 9))
    case = services.case_accept(actor=desk.clerk, case=case, now=at("2026-09-29"))
    assert case.deadline.due == dt.date(2026, 10, 9)
    assert case.statutory_deadline.due == dt.date(2026, 10, 26)  # 15 working days
    services.case_start_review(actor=desk.approver, case=case, now=at("2026-09-30", 9))
    services.case_ask_correction(
        actor=desk.approver,
        case=case,
        due=dt.date(2026, 10, 20),
        items=[{"note": "申请书经营范围填写不规范，请重新填写"}],
        now=at("2026-09-30"),
    )
    case.refresh_from_db()
    assert case.state == states.CORRECTING and case.deadline.paused and case.deadline.due is None
    services.case_correction_reply(case=case, now=at("2026-10-09", 15))
    case.refresh_from_db()
    case.deadline.refresh_from_db()
    assert case.state == states.IN_REVIEW
    assert case.deadline.due == dt.date(2026, 10, 12)


def test_r_case_4_decisions_record_whether_they_were_on_time(desk):
    case = services.case_accept(
        actor=desk.clerk, case=intake(desk, now=at("2026-09-29", 9)), now=at("2026-09-29")
    )
    services.case_start_review(actor=desk.approver, case=case, now=at("2026-09-30"))
    services.case_decide(actor=desk.approver, case=case, approve=True, now=at("2026-10-12"))
    event = CaseEvent.objects.get(case=case, action="approve")
    assert event.data["on_time"] is False


def test_r_hall_5_only_an_authorised_clerk_of_the_center_takes_in(desk):
    from onewindow.hall import services as hall_services

    hall_services.authorization_set(
        actor=desk.county_admin,
        clerk=desk.clerk,
        matter=desk.matter,
        may_accept=False,
        may_decide=False,
    )
    with pytest.raises(Forbidden) as exc:
        intake(desk)
    assert exc.value.code == "case.not_authorized"
    with pytest.raises(Forbidden):
        services.case_intake(
            actor=desk.kangle_admin,
            listing=desk.listing,
            applicant=desk.applicant,
            materials=all_required(desk),
        )


def test_r_net_3_cases_are_seen_by_their_center_and_department_only(desk):
    case = intake(desk)
    seen = {
        who: selectors.cases_for(scope=scope_for(getattr(desk, who))).filter(pk=case.pk).exists()
        for who in (
            "clerk",
            "approver",
            "county_admin",
            "county_supervisor",
            "pref_admin",
            "kangle_admin",
            "police_approver",
            "township_clerk",
        )
    }
    assert seen == {
        "clerk": True,
        "approver": True,
        "county_admin": True,
        "county_supervisor": True,
        "pref_admin": True,
        "kangle_admin": False,
        "police_approver": False,
        "township_clerk": False,
    }
    with pytest.raises(NotFound):
        services.case_start_review(actor=desk.police_approver, case=case)


def test_r_cat_9_public_progress_by_number_and_phone_tail(desk):
    case = services.case_accept(actor=desk.clerk, case=intake(desk))
    assert (
        selectors.public_progress(number=case.number, phone_tail="1234").public_status == "已受理"
    )
    for tail in ("0000", "", "12345"):
        with pytest.raises(NotFound):
            selectors.public_progress(number=case.number, phone_tail=tail)


def test_applicant_information_is_taken_once_and_reused(desk):
    again = services.applicant_record(
        name="马小明",
        phone="13909301234",
        id_number="622921199001010016",
        profile={"address": "临夏县韩集镇"},
    )
    assert again.pk == desk.applicant.pk and again.profile["address"] == "临夏县韩集镇"


def test_r_case_6_identity_numbers_never_sit_in_plain_in_the_reused_profile(desk):
    again = services.applicant_record(
        name="马小明",
        phone="13909301234",
        id_number="622921199001010016",
        profile={"id_number": "622921199001010016", "spouse_id": "622921199001010016", "x": "1"},
    )
    assert again.profile.get("x") == "1"
    assert "622921199001010016" not in str(again.profile)
    assert again.id_number_masked.startswith("6229") and "*" in again.id_number_masked
    with pytest.raises(InvalidInput):
        services.applicant_record(name="错号", phone="13909301234", id_number="622921199001010017")


@pytest.mark.django_db(transaction=True)
def test_r_case_2_two_approvers_deciding_the_same_case_at_once_leave_exactly_one_decision(desk):
    case = services.case_accept(actor=desk.clerk, case=intake(desk))
    services.case_start_review(actor=desk.approver, case=case)
    barrier = threading.Barrier(2)
    outcomes = []

    def decide(actor, approve):
        barrier.wait()
        try:
            services.case_decide(actor=actor, case=case, approve=approve, note="意见")
            outcomes.append("decided")
        except Conflict as exc:
            outcomes.append(exc.code)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=decide, args=(desk.approver, True)),
        threading.Thread(target=decide, args=(desk.chief_rep, False)),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(outcomes) == ["case.already_decided", "decided"]
    decisions = CaseEvent.objects.filter(case=case, action__in=["approve", "deny"])
    assert decisions.count() == 1
    assert Case.objects.get(pk=case.pk).state in (states.APPROVED, states.DENIED)


def test_r_case_1_a_case_taken_in_from_a_called_ticket_is_linked_to_that_visit(desk, settings):
    from onewindow.hall import services as hall_services
    from onewindow.hall.models import ServiceCategory, Window

    settings.ONEWINDOW_HALL_ENFORCE_HOURS = False
    category = ServiceCategory.objects.create(
        center=desk.linxia_center, letter="A", name="企业开办"
    )
    window = Window.objects.create(center=desk.linxia_center, number=1)
    hall_services.window_set_categories(
        actor=desk.county_admin, window=window, categories=[category]
    )
    hall_services.window_sign_in(actor=desk.clerk, window=window)
    hall_services.ticket_issue(center=desk.linxia_center, category=category)
    ticket = hall_services.ticket_call_next(actor=desk.clerk, window=window)
    case = intake(desk, ticket=ticket)
    ticket.refresh_from_db()
    assert case.ticket == ticket and ticket.case_ref == case.number


def test_r_case_1_the_history_of_a_case_is_never_changed_or_deleted(desk):
    case = intake(desk)
    event = case.events.get()
    event.note = "改写"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    assert case.events.get().note == ""


@pytest.mark.django_db(transaction=True)
def test_r_case_6_two_windows_registering_one_new_applicant_at_once_share_one_record(desk):
    """Window A registers a new person and has not committed yet; window B, at the same
    moment, finds nobody and inserts too. On PostgreSQL B's insert waits on A's row and
    fails when A commits: B must then take A's record, not answer a server error."""
    from onewindow.cases.models import Applicant

    number = "622921199203040010"
    inserted, release = threading.Event(), threading.Event()
    outcomes = {}

    def window_a():
        try:
            with transaction.atomic():
                outcomes["a"] = services.applicant_record(
                    name="马新民", phone="13909305555", id_number=number
                ).pk
                inserted.set()
                release.wait(timeout=30)
        finally:
            connections.close_all()

    def window_b():
        try:
            outcomes["b"] = services.applicant_record(
                name="马新民", phone="13909306666", id_number=number, address="临夏县韩集镇"
            ).pk
        except Exception as exc:  # the outcome is asserted below
            outcomes["b"] = exc
        finally:
            connections.close_all()

    a = threading.Thread(target=window_a)
    a.start()
    assert inserted.wait(timeout=30)
    b = threading.Thread(target=window_b)
    b.start()
    if connection.vendor == "postgresql":  # B waits on A's uncommitted row
        _wait_for_lock_waiter()
    release.set()
    a.join(timeout=60)
    b.join(timeout=60)
    assert outcomes["b"] == outcomes["a"], outcomes
    assert (
        Applicant.objects.filter(id_number_digest=Applicant.id_number_lookup(number)).count() == 1
    )
    kept = Applicant.objects.get(pk=outcomes["a"])
    assert (kept.phone, kept.address) == ("13909306666", "临夏县韩集镇")  # B's details merged


def _wait_for_lock_waiter(timeout: float = 20.0) -> None:
    import time

    deadline = time.monotonic() + timeout
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity"
                " WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            if cursor.fetchone()[0]:
                return
            time.sleep(0.05)
    raise AssertionError("the second window never waited on the first one's row")
