"""The demo's examples of the newer case features: what `onewindow load-demo` adds for
online applications, bundles, pledges, special procedures, AB roles, urgings, assisted
projects and the applicants' file store, and the pages that show them to the demo
accounts."""

from __future__ import annotations

import hashlib
import io
from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
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
from onewindow.cases.services.online import ONLINE_CHANNELS
from onewindow.cases.services.pledges import pledge_allowed_for
from onewindow.cases.sweep import sweep
from onewindow.core.models import AuditEvent
from onewindow.core.scope import scope_for
from onewindow.demo import cases_extra
from onewindow.org.models import Center, StaffProfile

pytestmark = pytest.mark.django_db

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo data, loaded once for the module and rolled back after it (its files go
    to a temporary upload folder)."""
    uploads = tmp_path_factory.mktemp("uploads")
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=FAST_HASHERS, ONEWINDOW_UPLOAD_ROOT=str(uploads)),
        transaction.atomic(),
    ):
        call_command("load_demo", "--if-empty", stdout=io.StringIO())
        numbers = cases_extra.extra_case_numbers()
        yield SimpleNamespace(
            today=timezone.localdate(),
            linxia=Center.objects.get(region__code=cases_extra.LINXIA),
            cases=Case.objects.filter(number__in=numbers),
            numbers=numbers,
            uploads=uploads,
        )
        transaction.set_rollback(True)


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
    result = sweep()
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
