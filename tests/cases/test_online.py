"""R-CASE-8, R-CASE-2, R-CAT-7, R-CAT-9: a citizen applies online without an account,
the center pre-reviews, and an application nobody takes in within 5 working days is
accepted from the day it was received (行政许可法 §32)."""

from __future__ import annotations

import datetime as dt
import re
import threading

import pytest
from django.core.cache import cache
from django.db import connections
from django.utils import timezone

from onewindow.cases import services, states
from onewindow.cases.models import Case, CaseEvent
from onewindow.cases.selectors.online import prereview_return_reason
from onewindow.cases.services import online
from onewindow.cases.sweep import sweep
from onewindow.catalog import services as catalog_services
from onewindow.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from onewindow.core.models import AuditEvent
from onewindow.org import services as org_services
from tests.cases.conftest import all_required
from tests.conftest import PASSWORD
from tests.files.conftest import PDF_BYTES, upload, upload_root  # noqa: F401

PERSON = {"name": "马小明", "phone": "13909301234", "id_number": "622921199001010016"}
FORM = {"applicant_name": "马小明", "id_number": "622921199001010016", "business_address": "韩集镇"}
PHONE_AGENT = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1"
)


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def at(day: str, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.fromisoformat(day).replace(hour=hour))


def electronic(desk) -> dict[int, dict]:
    return {pk: {"electronic": True} for pk in all_required(desk)}


def draft(desk, *, submit=False, now=None, **kw) -> Case:
    return online.online_draft_create(
        listing=desk.listing,
        applicant=kw.pop("applicant", PERSON),
        materials=kw.pop("materials", electronic(desk)),
        form_data=kw.pop("form_data", FORM),
        submit=submit,
        now=now,
        **kw,
    )


def other_center_clerk(desk):
    return org_services.staff_create(
        actor=desk.root,
        username="kangle_clerk",
        full_name="康乐窗口",
        password=PASSWORD,
        roles={"clerk"},
        staff_no="T0990",
        center=desk.kangle_center,
    ).user


# --- the path -------------------------------------------------------------------------------


def test_r_case_8_online_draft_submit_prereview_pass_then_window_accepts(desk):
    case = draft(desk, now=at("2026-09-28", 9))
    assert case.state == states.DRAFT and case.channel == Case.Channel.WEB
    assert case.number.startswith("62292120260928") and len(case.token) >= 20
    assert case.intake_clerk is None and case.guide_version == desk.matter.current_version
    assert case.prereview_due is None and case.intake_due is None
    docs = list(case.documents.all())
    assert len(docs) == 3 and all(d.electronic and not d.paper_received for d in docs)
    # 一表申请: the form's basic information is merged into the applicant's profile.
    case.applicant.refresh_from_db()
    assert case.applicant.profile["business_address"] == "韩集镇"

    case = online.online_submit(case=case, now=at("2026-09-28", 11))
    assert case.state == states.PRE_REVIEW and case.received_at == at("2026-09-28", 11)
    assert case.prereview_due == dt.date(2026, 9, 29)
    assert case.intake_due == dt.date(2026, 10, 10)  # 09-29, 09-30, 10-08, 10-09, Sat 10-10
    case = online.online_prereview_pass(
        actor=desk.clerk, case=case, note="材料齐全", now=at("2026-09-29")
    )
    assert case.state == states.INTAKE and case.intake_clerk == desk.clerk
    case = services.case_accept(actor=desk.clerk, case=case, now=at("2026-09-29", 11))
    assert case.state == states.ACCEPTED and not case.deemed_accepted
    assert case.deadline.start == dt.date(2026, 9, 29)
    actions = list(case.events.values_list("action", flat=True))
    assert actions == ["draft", "submit", "prereview_pass", "accept"]
    assert case.events.get(action="submit").actor_label == "申请人"
    assert AuditEvent.objects.filter(action="case.prereview_pass", actor=desk.clerk).count() == 1


def test_r_case_8_incomplete_application_cannot_be_submitted_and_nothing_is_saved(desk):
    m = desk.materials
    with pytest.raises(InvalidInput) as exc:
        draft(
            desk,
            submit=True,
            materials={m["经营者居民身份证"].pk: {"electronic": True}},
            form_data={"applicant_name": "马小明"},
        )
    assert exc.value.code == "online.incomplete"
    assert "经营场所使用证明" in exc.value.message and "经营场所" in exc.value.message
    assert not Case.objects.exists()
    case = draft(desk, materials={m["经营者居民身份证"].pk: {"electronic": True}})
    with pytest.raises(InvalidInput):
        online.online_submit(case=case)
    case.refresh_from_db()
    assert case.state == states.DRAFT and not case.events.filter(action="submit").exists()


def test_r_case_8_return_with_a_reason_then_resubmit_starts_the_dates_again(desk):
    case = draft(desk, submit=True, now=at("2026-09-28", 9))
    with pytest.raises(InvalidInput) as exc:
        online.online_prereview_return(actor=desk.clerk, case=case, reason="  ")
    assert exc.value.code == "online.reason_required"
    assert Case.objects.get(pk=case.pk).state == states.PRE_REVIEW
    case = online.online_prereview_return(
        actor=desk.clerk,
        case=case,
        reason="1. 经营场所使用证明须为租赁合同；2. 经营场所填写到门牌号。",
        now=at("2026-09-28", 15),
    )
    assert case.state == states.DRAFT and case.prereview_due is None and case.intake_due is None
    assert prereview_return_reason(case).note.startswith("1. 经营场所使用证明")
    # The sweep never deems a returned draft accepted.
    assert sweep(now=at("2026-10-20")).deemed == 0
    m = desk.materials
    case = online.online_draft_update(
        case=case,
        applicant=PERSON,
        materials={
            **electronic(desk),
            m["经营场所使用证明"].pk: {"by_pledge": True, "pledged": True},
        },
        form_data={**FORM, "business_address": "韩集镇韩集村12号"},
        submit=True,
        now=at("2026-10-09", 16),
    )
    assert case.state == states.PRE_REVIEW and case.received_at == at("2026-10-09", 16)
    assert case.prereview_due == dt.date(2026, 10, 10)  # the adjusted working Saturday
    assert case.intake_due == dt.date(2026, 10, 15)
    assert case.documents.get(material=m["经营场所使用证明"]).by_pledge
    assert case.form_data["business_address"] == "韩集镇韩集村12号"
    assert prereview_return_reason(case) is None
    with pytest.raises(Conflict) as exc:
        online.online_draft_update(case=case, applicant=PERSON, materials={}, form_data={})
    assert exc.value.code == "online.not_draft"


def test_r_case_8_prereview_due_counts_working_days_across_national_day_2026(desk, settings):
    # Official 2026 data: 10-01..10-07 off, Sat 10-10 is a working day.
    assert draft(desk, submit=True, now=at("2026-09-30")).prereview_due == dt.date(2026, 10, 8)
    on_holiday = draft(desk, submit=True, now=at("2026-10-03"))
    assert on_holiday.prereview_due == dt.date(2026, 10, 8)
    assert on_holiday.intake_due == dt.date(2026, 10, 13)  # 10-08, 09, 10 (Sat), 12, 13
    assert draft(desk, submit=True, now=at("2026-10-09")).prereview_due == dt.date(2026, 10, 10)
    settings.ONEWINDOW_PREREVIEW_DAYS = 2
    assert draft(desk, submit=True, now=at("2026-09-30")).prereview_due == dt.date(2026, 10, 9)


def test_r_case_8_online_application_untaken_5_days_is_deemed_accepted(desk):
    case = draft(desk, submit=True, now=at("2026-09-30", 10))
    assert case.intake_due == dt.date(2026, 10, 13)
    passed = draft(desk, submit=True, now=at("2026-09-30", 11))
    online.online_prereview_pass(actor=desk.clerk, case=passed, now=at("2026-10-08"))
    window = services.case_intake(
        actor=desk.clerk,
        listing=desk.listing,
        applicant=desk.applicant,
        materials=all_required(desk),
        now=at("2026-09-30"),
    )
    assert sweep(now=at("2026-10-13", 17)).deemed == 0  # the last day still counts
    first = sweep(now=at("2026-10-14", 8))
    assert first.deemed == 2
    case.refresh_from_db()
    assert case.state == states.ACCEPTED and case.deemed_accepted
    assert case.accepted_at == case.received_at == at("2026-09-30", 10)
    # The clocks run from the day it was received, not from the sweep day.
    assert case.deadline.start == dt.date(2026, 9, 30)
    assert case.deadline.due == dt.date(2026, 10, 10)  # 3 working days: 10-08, 10-09, 10-10
    assert case.statutory_deadline.start == dt.date(2026, 9, 30)
    event = case.events.get(action="deem_accept")
    assert event.actor is None and event.actor_label == "系统"
    assert event.from_state == states.PRE_REVIEW and event.to_state == states.ACCEPTED
    assert Case.objects.get(pk=passed.pk).deemed_accepted
    assert Case.objects.get(pk=window.pk).state == states.INTAKE  # window cases: not this rule
    # Running the sweep again changes nothing.
    again = sweep(now=at("2026-10-14", 9))
    assert again.deemed == 0
    assert CaseEvent.objects.filter(action="deem_accept").count() == 2
    assert AuditEvent.objects.filter(action="case.deem_accept").count() == 2
    case.refresh_from_db()
    assert case.deadline.start == dt.date(2026, 9, 30)
    # A deemed acceptance goes on like any other: the department reviews it.
    services.case_start_review(actor=desk.approver, case=case, now=at("2026-10-14", 10))


def test_r_case_8_r_case_2_a_correction_notice_in_time_stops_deemed_acceptance(desk):
    m = desk.materials
    case = draft(desk, submit=True, now=at("2026-09-30"))
    online.online_prereview_pass(actor=desk.clerk, case=case, now=at("2026-10-08"))
    services.case_ask_correction(
        actor=desk.clerk,
        case=case,
        items=[{"material_id": m["经营场所使用证明"].pk, "note": "须为租赁合同"}],
        due=dt.date(2026, 10, 30),
        now=at("2026-10-08", 11),
    )
    services.case_correction_reply(
        case=case, materials={m["经营场所使用证明"].pk: {}}, now=at("2026-10-12")
    )
    assert sweep(now=at("2026-10-20")).deemed == 0
    assert Case.objects.get(pk=case.pk).state == states.INTAKE


# --- R-CAT-7 --------------------------------------------------------------------------------


def test_r_case_8_r_cat_7_no_material_or_form_field_outside_the_pinned_version(
    desk,
):
    proxy = desk.materials["委托代理人身份证明及授权委托书"]
    with pytest.raises(InvalidInput) as exc:
        draft(desk, materials={proxy.pk: {"by_pledge": True}})
    assert exc.value.code == "case.pledge_not_allowed"
    case = draft(desk)
    v1 = case.guide_version
    v2 = catalog_services.guide_draft_create(
        actor=desk.approver,
        matter=desk.matter,
        faq=[{"question": "需要本人到场吗？", "answer": "全程网办无需到场。"}],
        change_note="补充常见问题",
    )
    catalog_services.guide_publish(actor=desk.approver, version=v2)
    newer = v2.materials.first()
    with pytest.raises(InvalidInput) as exc:
        online.online_draft_update(
            case=case, applicant=PERSON, materials={newer.pk: {"electronic": True}}, form_data=FORM
        )
    assert exc.value.code == "case.extra_material"
    with pytest.raises(InvalidInput) as exc:
        online.online_draft_update(
            case=case,
            applicant=PERSON,
            materials=electronic(desk),
            form_data={**FORM, "monthly_income": "5000"},
        )
    assert exc.value.code == "case.extra_field"
    case.refresh_from_db()
    assert case.guide_version == v1 and case.form_data == FORM
    assert set(case.documents.values_list("material_id", flat=True)) == set(all_required(desk))


def test_r_case_8_r_cat_7_the_page_refuses_an_extra_material_or_field_and_saves_nothing(
    client, desk
):
    other = desk.materials["经营者居民身份证"].pk + 10_000
    for extra in ({f"doc_{other}": "electronic"}, {"form_monthly_income": "5000"}):
        response = client.post(f"/apply/{desk.listing.pk}/", {**_post(desk), **extra})
        page = response.content.decode()
        assert response.status_code == 200 and "msg error" in page
        assert "办事指南" in page
    assert not Case.objects.exists()


# --- who may pre-review ---------------------------------------------------------------------


def test_r_case_8_a_clerk_of_another_center_cannot_prereview(desk, client):
    case = draft(desk, submit=True)
    kangle = other_center_clerk(desk)
    with pytest.raises(NotFound):
        online.online_prereview_pass(actor=kangle, case=case)
    with pytest.raises(NotFound):
        online.online_prereview_return(actor=kangle, case=case, reason="不符合")
    with pytest.raises(Forbidden):  # the department sees the case but is not the window
        online.online_prereview_pass(actor=desk.approver, case=case)
    client.force_login(kangle)
    assert client.post(f"/workspace/cases/{case.pk}/prereview/pass/").status_code == 404
    queue = client.get("/workspace/prereview/").content.decode()
    assert case.number not in queue
    assert Case.objects.get(pk=case.pk).state == states.PRE_REVIEW
    client.force_login(desk.approver)
    assert client.get("/workspace/prereview/").status_code == 404


def test_r_case_8_online_applicant_cannot_change_a_known_applicants_phone(desk):
    services.case_intake(
        actor=desk.clerk,
        listing=desk.listing,
        applicant=desk.applicant,
        materials=all_required(desk),
    )
    with pytest.raises(InvalidInput) as exc:
        draft(desk, applicant={**PERSON, "phone": "13800000000"})
    assert exc.value.code == "online.applicant_mismatch"
    desk.applicant.refresh_from_db()
    assert desk.applicant.phone == "13909301234"
    assert Case.objects.filter(channel=Case.Channel.WEB).count() == 0


# --- pages ----------------------------------------------------------------------------------


def _post(desk, action="submit", **over):
    m = desk.materials
    data = {
        "action": action,
        "kind": "person",
        **PERSON,
        f"doc_{m['个体工商户登记（备案）申请书'].pk}": "electronic",
        f"doc_{m['经营者居民身份证'].pk}": "electronic",
        f"doc_{m['经营场所使用证明'].pk}": "pledge",
        f"pledge_ok_{m['经营场所使用证明'].pk}": "1",
        **{f"form_{k}": v for k, v in FORM.items()},
    }
    data.update(over)
    return data


def _badge(page: str) -> str:
    found = re.search(r'data-testid="public-status">([^<]+)<', page)
    if found:
        return found.group(1)
    return re.search(r'<span class="badge">([^<]+)</span></h2>', page).group(1)


def test_r_case_8_citizen_applies_on_the_portal_and_keeps_a_secret_link(client, desk):
    listing_page = client.get("/apply/").content.decode()
    assert "个体工商户登记" in listing_page and f"/apply/{desk.listing.pk}/" in listing_page
    form = client.get(f"/apply/{desk.listing.pk}/").content.decode()
    assert "经营者居民身份证" in form and "告知承诺" in form and "经营场所" in form
    response = client.post(f"/apply/{desk.listing.pk}/", _post(desk, action="save"))
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/apply/t/{case.token}/"
    assert case.state == states.DRAFT and case.channel == Case.Channel.WEB
    page = client.get(f"/apply/t/{case.token}/").content.decode()
    assert "草稿，尚未提交" in page and case.number in page and 'value="韩集镇"' in page
    assert "622921199001010016" not in page  # the identity number is never shown back
    response = client.post(f"/apply/t/{case.token}/", _post(desk, id_number=""), follow=True)
    page = response.content.decode()
    case.refresh_from_db()
    assert case.state == states.PRE_REVIEW and case.number in page
    assert f"/progress/t/{case.token}/" in page
    assert client.get("/apply/t/not-a-token/").status_code == 404
    assert client.get("/apply/999999/").status_code == 404


def test_r_case_8_a_phone_applies_on_the_mobile_channel(client, desk):
    client.post(f"/apply/{desk.listing.pk}/", _post(desk), HTTP_USER_AGENT=PHONE_AGENT)
    case = Case.objects.get()
    assert case.channel == Case.Channel.MOBILE and case.state == states.PRE_REVIEW
    tablet = PHONE_AGENT.replace("iPhone; CPU iPhone OS", "iPad; CPU OS")
    client.post(f"/apply/{desk.listing.pk}/", _post(desk), HTTP_USER_AGENT=tablet)
    assert Case.objects.exclude(pk=case.pk).get().channel == Case.Channel.WEB


def test_r_case_8_bad_online_input_shows_chinese_messages_and_creates_nothing(client, desk):
    for over in ({"phone": "123"}, {"id_number": "622921199001010017"}, {"name": ""}):
        response = client.post(f"/apply/{desk.listing.pk}/", _post(desk, **over))
        assert response.status_code == 200 and "msg error" in response.content.decode()
    response = client.post(f"/apply/{desk.listing.pk}/", _post(desk, kind="robot"))
    assert response.status_code == 200 and "msg error" in response.content.decode()
    assert not Case.objects.exists()


def test_r_case_8_the_returned_reason_shows_on_the_citizens_link(client, desk):
    case = draft(desk, submit=True)
    client.force_login(desk.clerk)
    response = client.post(f"/workspace/cases/{case.pk}/prereview/return/", {"reason": ""})
    assert response.status_code == 302
    assert Case.objects.get(pk=case.pk).state == states.PRE_REVIEW
    client.post(f"/workspace/cases/{case.pk}/prereview/return/", {"reason": "经营场所请写到门牌号"})
    client.logout()
    page = client.get(f"/apply/t/{case.token}/").content.decode()
    assert "预审退回" in page and "经营场所请写到门牌号" in page


def test_r_case_8_prereview_queue_sorted_by_due_with_overdue_flagged(client, desk):
    late = draft(desk, submit=True, now=at("2026-09-28"))
    soon = draft(desk, submit=True, now=timezone.now())
    client.force_login(desk.clerk)
    page = client.get("/workspace/prereview/").content.decode()
    assert page.index(late.number) < page.index(soon.number)
    assert "预审超期" in page
    detail = client.get(f"/workspace/cases/{late.pk}/").content.decode()
    assert "预审通过" in detail and "退回申请人修改" in detail and "预审超期" in detail
    client.post(f"/workspace/cases/{late.pk}/prereview/pass/", {"note": ""})
    late.refresh_from_db()
    assert late.state == states.INTAKE
    detail = client.get(f"/workspace/cases/{late.pk}/").content.decode()
    assert "预审已通过" not in detail and 'name="action" value="accept"' in detail


def test_r_case_8_deemed_acceptance_is_flagged_on_the_case_page_and_the_queue(client, desk):
    case = draft(desk, submit=True, now=at("2026-09-30"))
    sweep(now=at("2026-10-14"))
    client.force_login(desk.clerk)
    detail = client.get(f"/workspace/cases/{case.pk}/").content.decode()
    assert 'data-testid="deemed-flag"' in detail and "逾期视为受理" in detail
    assert "2026年9月30日 收到之日起计算" in detail
    queue = client.get("/workspace/prereview/").content.decode()
    assert case.number in queue.split("<h2>逾期视为受理</h2>")[1]
    page = client.get(f"/apply/t/{case.token}/").content.decode()
    assert "逾期视为受理" in page


def test_r_case_8_r_cat_9_same_public_status_on_the_progress_page_and_the_apply_link(client, desk):
    case = draft(desk)

    def both():
        a = _badge(client.get(f"/apply/t/{case.token}/").content.decode())
        b = _badge(client.get(f"/progress/t/{case.token}/").content.decode())
        return a, b

    seen = []
    for step in (
        lambda: None,
        lambda: online.online_submit(case=case),
        lambda: online.online_prereview_pass(actor=desk.clerk, case=case),
        lambda: services.case_accept(actor=desk.clerk, case=case),
        lambda: services.case_start_review(actor=desk.approver, case=case),
    ):
        step()
        case.refresh_from_db()
        a, b = both()
        assert a == b == case.public_status
        seen.append(a)
    assert seen[-2:] == ["已受理", "办理中"]


@pytest.mark.django_db(transaction=True)
def test_r_case_8_the_sweep_and_a_clerk_accepting_at_once_leave_exactly_one_acceptance(desk):
    case = draft(desk, submit=True, now=at("2026-09-30"))
    online.online_prereview_pass(actor=desk.clerk, case=case, now=at("2026-10-08"))
    barrier = threading.Barrier(2)
    outcomes = []

    def run(fn):
        barrier.wait()
        try:
            outcomes.append(fn())
        except Conflict as exc:
            outcomes.append(exc.code)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=run, args=(lambda: sweep(now=at("2026-10-14")).deemed,)),
        threading.Thread(
            target=run,
            args=(lambda: services.case_accept(actor=desk.clerk, case=case).state,),
        ),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    case.refresh_from_db()
    assert case.state == states.ACCEPTED
    accepted = CaseEvent.objects.filter(case=case, action__in=["accept", "deem_accept"])
    assert accepted.count() == 1
    if case.deemed_accepted:
        assert sorted(map(str, outcomes)) == ["1", "case.wrong_state"]
    else:
        assert sorted(map(str, outcomes)) == ["0", states.ACCEPTED]


def test_r_case_8_the_citizen_uploads_a_materials_file_on_their_link(client, desk, upload_root):
    case = draft(desk)
    m = desk.materials
    url = f"/apply/t/{case.token}/upload/"
    page = client.get(f"/apply/t/{case.token}/").content.decode()
    assert "上传电子材料" in page and url in page
    response = client.post(
        url, {"material": m["经营者居民身份证"].pk, "file": upload("身份证.pdf", PDF_BYTES)}
    )
    assert response.status_code == 302 and response["Location"].endswith("#files")
    document = case.documents.get(material=m["经营者居民身份证"])
    assert document.electronic and document.file.original_name == "身份证.pdf"
    assert document.received_by is None
    # A material outside the pinned guide version is refused; nothing is stored.
    other = m["经营者居民身份证"].pk + 10_000
    response = client.post(
        url, {"material": other, "file": upload("x.pdf", PDF_BYTES)}, follow=True
    )
    assert "办事指南" in response.content.decode()
    assert case.documents.filter(file__isnull=False).count() == 1
    # Saving the draft keeps the file; once submitted, nothing more can be uploaded.
    online.online_draft_update(
        case=case, applicant=PERSON, materials=electronic(desk), form_data=FORM, submit=True
    )
    assert case.documents.get(material=m["经营者居民身份证"]).file_id == document.file_id
    response = client.post(
        url, {"material": m["经营场所使用证明"].pk, "file": upload("y.pdf", PDF_BYTES)}, follow=True
    )
    assert "不能再提交材料" in response.content.decode()
    assert case.documents.filter(file__isnull=False).count() == 1
    assert client.post("/apply/t/nope/upload/", {"material": 1}).status_code == 404


def test_r_case_8_a_draft_stays_the_citizens_until_sent(client, desk):
    case = draft(desk)
    client.force_login(desk.clerk)
    assert case.number not in client.get("/workspace/cases/").content.decode()
    listed = client.get("/api/v1/cases/?group=open").json()["items"]
    assert case.pk not in [c["id"] for c in listed]
    online.online_submit(case=case)
    assert case.number in client.get("/workspace/cases/").content.decode()
    listed = client.get("/api/v1/cases/?group=open").json()["items"]
    assert case.pk in [c["id"] for c in listed]
