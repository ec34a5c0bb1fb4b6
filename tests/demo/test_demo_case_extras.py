"""The demo's examples of the newer case features: what `onewindow load-demo` adds for
online applications, bundles, pledges, special procedures, AB roles, urgings, assisted
projects and the applicants' file store, and the pages that show them to the demo
accounts."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from onewindow.cases import states
from onewindow.cases.models import (
    ApplicantDocument,
    AssistedProject,
    BundleApplication,
    Case,
    CaseEvent,
    FalsePledge,
    PledgeCheck,
    SpecialProcedure,
    Urging,
)
from onewindow.cases.selectors import queues
from onewindow.cases.selectors.actions import intake_listings
from onewindow.cases.selectors.online import ONLINE_CHANNELS
from onewindow.cases.selectors.pledges import pledge_allowed_for
from onewindow.cases.sweep import sweep
from onewindow.catalog.models import Listing
from onewindow.core import idnumber
from onewindow.core.models import AuditEvent
from onewindow.core.roles import Role
from onewindow.core.scope import scope_for
from onewindow.demo import cases_extra, loader
from onewindow.hall.models import Authorization
from onewindow.org.models import Center, StaffProfile

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(demo_opened, django_db_blocker):
    """The demo data (tests/demo/world.py), every change rolled back after the module (its
    files are in a temporary upload folder)."""
    with django_db_blocker.unblock():
        numbers = cases_extra.extra_case_numbers()
        return SimpleNamespace(
            today=timezone.localdate(),
            linxia=Center.objects.get(region__code=cases_extra.LINXIA),
            cases=Case.objects.filter(number__in=numbers),
            numbers=numbers,
            uploads=demo_opened.uploads,
            started=demo_opened.started,
        )


@pytest.fixture
def as_user(client):
    def login(username: str):
        client.force_login(get_user_model().objects.get(username=username))
        return client

    return login


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_the_examples_are_made_through_the_services_once(demo):
    assert 20 <= len(demo.numbers) <= 40
    assert demo.cases.count() == len(demo.numbers)
    for case in demo.cases:
        # every step a service took is in the case history and the audit trail
        actions = [e.action for e in case.events.order_by("at", "id") if e.action != "alert"]
        assert actions[0] in ("intake", "draft"), case
        audited = AuditEvent.objects.filter(target_type="cases.case", target_id=str(case.pk))
        assert audited.count() >= len([a for a in actions if a != "deem_accept"]), case
        assert not case.events.filter(at__gt=timezone.now()).exists()
    assert AuditEvent.objects.filter(action=cases_extra.MARK).count() == 1
    before = (Case.objects.count(), CaseEvent.objects.count(), AuditEvent.objects.count())
    assert cases_extra.load_demo_case_extras() == 0
    assert (Case.objects.count(), CaseEvent.objects.count(), AuditEvent.objects.count()) == before


def test_r_case_4_the_examples_leave_nothing_for_the_sweep(demo):
    result = sweep(now=demo.started)
    assert (result.warned, result.overdue, result.withdrawn, result.deemed) == (0, 0, 0, 0)
    running = demo.cases.filter(state__in=states.CLOCK_RUNNING)
    assert running.exists()
    assert not running.filter(warning_level=0, deadline__due__lt=demo.today).exists()


def test_r_case_8_online_applications_in_every_pre_review_state(demo, as_user):
    online = demo.cases.filter(channel__in=ONLINE_CHANNELS)
    here = online.filter(center=demo.linxia)
    drafts = here.filter(state=states.DRAFT)
    returned = drafts.filter(events__action="prereview_return").distinct()
    assert drafts.exclude(pk__in=returned).count() >= 1 and returned.count() == 1
    assert returned.get().events.get(action="prereview_return").note
    waiting = here.filter(state=states.PRE_REVIEW, prereview_due__gte=demo.today)
    late = here.filter(state=states.PRE_REVIEW, prereview_due__lt=demo.today)
    assert waiting.count() >= 2 and late.count() == 1
    assert not here.filter(state=states.PRE_REVIEW, intake_due__lt=demo.today).exists()
    assert here.filter(state=states.INTAKE, intake_due__gte=demo.today).count() == 1
    deemed = here.get(deemed_accepted=True)
    assert deemed.state == states.ACCEPTED and deemed.accepted_at == deemed.received_at
    event = deemed.events.get(action="deem_accept")
    assert event.actor_label == "系统" and timezone.localdate(event.at) > deemed.intake_due
    assert deemed.deadline.start == timezone.localdate(deemed.received_at)
    # one or two other counties have theirs
    assert len(set(online.values_list("center__region__code", flat=True))) >= 2

    html = page(as_user("lxx-clerk"), reverse("cases:prereview_queue"))
    for case in [*waiting, *late, deemed, *here.filter(state=states.INTAKE)]:
        assert case.number in html
    assert returned.get().number not in html
    board = page(as_user("lxx-supervisor"), reverse("cases:board"))
    assert late.get().number in board and deemed.number in board


def test_r_case_6_uploaded_pdfs_are_in_the_applicants_file_store(demo, as_user):
    stored = ApplicantDocument.objects.filter(source_case__in=demo.cases).select_related(
        "file", "source_case"
    )
    assert stored.count() >= 2
    assert {d.source_case.channel for d in stored} >= {Case.Channel.WEB, Case.Channel.WINDOW}
    for document in stored:
        data = (demo.uploads / document.file.storage_name).read_bytes()
        assert data.startswith(b"%PDF-") and document.file.content_type == "application/pdf"
        assert hashlib.sha256(data).hexdigest() == document.file.sha256
        assert len(data) == document.file.size < 400_000
        case = document.source_case
        assert case.documents.filter(file=document.file, electronic=True).exists()
    window = stored.get(source_case__channel=Case.Channel.WINDOW)
    doc = window.source_case.documents.get(file=window.file)
    url = reverse("cases:document_file", args=[window.source_case.pk, doc.pk])
    response = as_user("lxx-clerk").get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_r_case_7_one_bundle_in_progress_in_parallel_and_one_delivered(demo, as_user):
    apps = BundleApplication.objects.filter(center=demo.linxia, cases__in=demo.cases).distinct()
    running = apps.get(state=BundleApplication.State.OPEN)
    parts = list(running.cases.select_related("deadline"))
    assert {c.state for c in parts} == {states.READY, states.IN_REVIEW}
    assert len({c.department_id for c in parts}) == len(parts) >= 2
    assert running.due == max(c.deadline.due for c in parts)  # parallel, not summed
    done = apps.get(state=BundleApplication.State.DELIVERED)
    delivered = list(done.cases.all())
    assert len(delivered) >= 2 and {c.state for c in delivered} == {states.DELIVERED}
    assert {c.delivered_at for c in delivered} == {done.delivered_at}

    client = as_user("lxx-clerk")
    for app in (running, done):
        html = page(client, reverse("cases:bundle_detail", args=[app.pk]))
        assert app.number in html and all(c.number in html for c in app.cases.all())
    assert running.number in page(client, reverse("cases:bundle_list"))


def test_r_case_5_pledge_checks_pending_overdue_and_a_false_pledge_on_record(demo, as_user):
    checks = PledgeCheck.objects.filter(case__in=demo.cases)
    pending = checks.filter(state=PledgeCheck.State.PENDING)
    assert pending.filter(due__gte=demo.today).exists()
    overdue = pending.get(due__lt=demo.today)
    assert checks.filter(state=PledgeCheck.State.TRUE).exists()
    false = checks.get(state=PledgeCheck.State.FALSE)
    record = FalsePledge.objects.get(pledge_check=false)
    assert record.applicant == false.case.applicant and record.note
    assert not pledge_allowed_for(record.applicant)
    assert false.case.events.filter(action="pledge_false", actor__username="lxx-approver")
    assert {c.case.department.name for c in checks} == {"临夏县市场监督管理局"}

    html = page(as_user("lxx-approver"), reverse("cases:pledge_queue"))
    assert overdue.case.number in html
    for username in ("lxx-supervisor", "lxx-admin", "lxx-chief"):
        html = page(as_user(username), reverse("cases:false_pledges"))
        assert record.case.number in html and record.applicant.name in html


def test_r_case_4_a_case_in_expert_review_with_its_clocks_stopped(demo, as_user):
    procedure = SpecialProcedure.objects.get(case__in=demo.cases, ended_on__isnull=True)
    case = procedure.case
    assert procedure.kind == SpecialProcedure.Kind.EXPERT and case.state == states.SPECIAL
    assert procedure.started_on < demo.today <= procedure.planned_end
    assert case.deadline.paused and case.statutory_deadline.paused
    html = page(as_user("lxx-supervisor"), reverse("cases:board"))
    assert case.number in html and "专家评审" in html
    assert "专家评审" in page(as_user("lxx-approver"), reverse("cases:case_detail", args=[case.pk]))


def test_r_case_4_urgings_one_answered_one_waiting(demo, as_user):
    urgings = Urging.objects.filter(case__in=demo.cases)
    answered = urgings.get(answered_at__isnull=False)
    waiting = urgings.get(answered_at__isnull=True)
    assert answered.answered_by.username == "lxx-approver" and answered.answer
    assert {u.sent_by.username for u in urgings} == {"lxx-supervisor"}
    assert waiting.reply_by >= demo.today and waiting.case.state in states.OPEN
    client = as_user("lxx-approver")
    for urging in (answered, waiting):
        html = page(client, reverse("cases:case_detail", args=[urging.case.pk]))
        assert urging.message in html


def test_r_case_9_ab_roles_of_the_market_department_with_an_approver_away(demo, as_user):
    away = StaffProfile.objects.select_related("user", "backup__user").get(
        user__username=cases_extra.AWAY_USERNAME
    )
    assert away.away and away.away_until >= demo.today and away.away_reason
    assert away.department.name == "临夏县市场监督管理局" and away.center_id is None
    assert away.backup.user.username == "lxx-approver"
    b = StaffProfile.objects.get(user__username="lxx-approver")
    assert b.backup.user.username == "lxx-chief" and not b.away
    assert queues.handler_for(away.user).user_id == b.user_id
    # the B's own queue holds the away approver's open case
    mine = queues.department_queue(
        scope_for(b.user), away.department_id, user=b.user, who="mine"
    ).filter(assignee=away.user)
    assert mine.exists()
    # and the B's step on another of them says it was taken as the stand-in
    stand_in = CaseEvent.objects.get(
        case__in=demo.cases, action="approve", actor=b.user, case__assignee=away.user
    )
    assert stand_in.note.startswith(f"B角代办（{away.user}离岗）")
    assert stand_in.data["backup_for"] == away.user_id

    html = page(as_user("lxx-leader"), reverse("cases:backups"))
    assert cases_extra.AWAY_NAME in html and "离岗" in html
    html = page(as_user("lxx-approver"), reverse("cases:queue"))
    assert mine.first().number in html


def test_r_case_10_an_assisted_project_with_guidance_and_its_case(demo, as_user):
    project = AssistedProject.objects.get(center=demo.linxia, cases__in=demo.cases)
    assert project.state == AssistedProject.State.FOLLOWING
    assert project.agent.username == "lxx-agent" and project.applicant.kind == "enterprise"
    assert project.notes.count() >= 3
    case = project.cases.get()
    assert case.applicant_id == project.applicant_id and case.center_id == project.center_id
    assert case.events.filter(action="project_link", actor=project.agent).exists()

    client = as_user("lxx-agent")
    assert project.name in page(client, reverse("cases:project_list"))
    html = page(client, reverse("cases:project_detail", args=[project.pk]))
    assert case.number in html and project.notes.first().text in html


# --- the printed demo accounts walk their main paths ---------------------------------------------

YYZZ = "个体工商户设立登记"  # 营业执照 for a sole trader, the flagship journey


def _options(html: str) -> dict[str, str]:
    """The intake page's matter choices: listing id → matter name."""
    return {pk: name for pk, name in re.findall(r'<option value="(\d+)"[^>]*>([^（<]+)（', html)}


def test_r_hall_5_the_demo_clerk_is_offered_exactly_what_she_may_accept(demo, as_user):
    clerk = get_user_model().objects.get(username="lxx-clerk")
    offered = _options(page(as_user("lxx-clerk"), reverse("cases:case_intake")))
    authorised = intake_listings(clerk)
    assert set(offered) == {str(pk) for pk in authorised.values_list("pk", flat=True)}
    # the 企业开办 matters of her center, 营业执照 among them (taken in, decided by the bureau)
    assert {YYZZ, "有限责任公司设立登记"} <= set(offered.values())
    for name in (YYZZ, "有限责任公司设立登记"):
        grant = Authorization.objects.get(clerk=clerk, matter__name=name)
        assert grant.may_accept and not grant.may_decide
    assert not authorised.exclude(center=demo.linxia).exists()


def test_r_case_1_the_flagship_yyzz_journey_with_the_demo_accounts(demo, as_user):
    """韩雪梅 (lxx-clerk) takes in a 营业执照 application at her window and accepts it;
    王志刚 (lxx-approver) of 临夏县市场监督管理局 finds it in his queue, reads the form,
    reviews and approves it and sends it to the delivery window; she hands it over; the
    applicant sees 已送达 on the public progress page."""
    clerk = as_user("lxx-clerk")
    listing = next(
        pk
        for pk, name in _options(page(clerk, reverse("cases:case_intake"))).items()
        if name == YYZZ
    )
    html = page(clerk, reverse("cases:case_intake") + f"?listing={listing}")
    assert "经营者居民身份证" in html and "经营范围" in html
    version = Listing.objects.get(pk=listing).matter.current_version
    id_number = idnumber.make("62292119900101123")
    post = {
        "listing": listing,
        "kind": "person",
        "name": "马小花",
        "phone": "13919301234",
        "id_number": id_number,
        "address": "临夏县韩集镇",
        "form_applicant_name": "马小花",
        "form_id_number": id_number,
        "form_phone": "13919301234",
        "form_address": "临夏县韩集镇",
        "form_business_name": "临夏县小花拉面馆",
        "form_business_address": "临夏县韩集镇中街12号",
        "form_business_scope": "餐饮服务",
        "form_capital": "5",
    }
    for m in version.materials.all():
        if m.requirement == "required" and m.source != "shared":
            post[f"doc_{m.pk}"] = "paper"
    response = clerk.post(reverse("cases:case_intake"), post)
    assert response.status_code == 302, response.content.decode()[:2000]
    case = Case.objects.get(applicant__name="马小花", matter__name=YYZZ)
    url = reverse("cases:case_detail", args=[case.pk])
    assert clerk.post(url, {"action": "accept"}).status_code == 302
    case.refresh_from_db()
    assert case.state == states.ACCEPTED and case.intake_clerk.username == "lxx-clerk"
    assert case.department.name == "临夏县市场监督管理局"

    approver = as_user("lxx-approver")
    queue = page(approver, reverse("cases:queue") + "?who=unassigned")
    assert case.number in queue
    html = page(approver, url)
    assert "<dt>经营范围</dt>" in html and "临夏县小花拉面馆" in html
    assert id_number not in html and idnumber.mask(id_number) in html
    assert "<dt>法定时限</dt>" in html and "剩余" in html
    for step in ("start_review", "approve", "make_ready"):
        data = {"action": step, "note": "材料齐全，符合登记条件。"}
        assert approver.post(url, data).status_code == 302, step
    case.refresh_from_db()
    assert case.state == states.READY and case.decided_by.username == "lxx-approver"

    clerk = as_user("lxx-clerk")
    assert clerk.post(url, {"action": "deliver", "method": "window"}).status_code == 302
    case.refresh_from_db()
    assert case.state == states.DELIVERED
    public = Client().get(reverse("portal:progress"), {"number": case.number, "tail": "1234"})
    assert "已送达" in public.content.decode()


# Each printed account's main path: the pages of its role's work, and what the demo put
# there for it to find.
MAIN_PATHS = {
    "admin": ["/workspace/", "/admin/"],
    "lxz-admin": ["cases:board", "org:center_list", "audit_search"],
    "lxx-admin": ["cases:board", "oversight:hall_stats", "cases:backups", "evaluation:pads"],
    "lxx-clerk": ["hall:console", "cases:case_intake", "cases:prereview_queue", "cases:case_list"],
    "lxx-approver": ["cases:queue", "cases:pledge_queue"],
    "lxx-chief": ["cases:queue", "cases:false_pledges"],
    "lxx-agent": ["cases:project_list"],
    "lxx-govoffice": ["catalog:request_list"],
    "lxx-legality": ["catalog:review_queue"],
    "lxx-final": ["catalog:review_queue"],
    "lxx-supervisor": ["cases:board", "audit_search", "evaluation:spot_check"],
    "lxx-leader": ["cases:queue", "cases:backups", "oversight:evaluation_stats"],
    "lxz-govoffice": ["catalog:request_list"],
    "lxz-legality": ["catalog:review_queue"],
    "lxz-final": ["catalog:review_queue"],
}


def test_r_case_1_every_printed_demo_account_walks_its_role_s_pages(demo, as_user):
    printed = [a.username for a in loader.accounts()]
    assert set(printed) == set(MAIN_PATHS)
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    for account in loader.accounts():
        assert f"`{account.username}`" in readme, account.username
        client = as_user(account.username)
        for name in MAIN_PATHS[account.username]:
            url = name if name.startswith("/") else reverse(name)
            assert client.get(url).status_code == 200, (account.username, url)
    for role in Role.labels:
        assert role in readme
    # the department's people find cases waiting in their queue, counted on its tabs
    for username in ("lxx-approver", "lxx-chief", "lxx-leader"):
        html = page(as_user(username), reverse("cases:queue"))
        counts = [
            int(n) for n in re.findall(r'data-tab="\w+">[^<]*<span class="badge">(\d+)', html)
        ]
        assert len(counts) == 3 and counts[-1] > 0, username
