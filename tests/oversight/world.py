"""A small built world for the indicators (R-SUP-2, R-EVAL-3): 临夏县市场监督管理局 at
临夏县's center with two listings (one handled outside the center), cases decided in
October and November 2026 with known times, reviews, rectifications and complaints.
The hand counts each test checks are written next to the data here."""

from __future__ import annotations

import datetime as dt
import secrets

from django.utils import timezone

from onewindow.cases import services as case_services
from onewindow.cases.models import Case, CaseEvent
from onewindow.catalog import services as catalog_services
from onewindow.catalog.models import Listing
from onewindow.complaints.models import Complaint
from onewindow.core import rollups
from onewindow.core.models import Deadline
from onewindow.evaluation.models import Rectification, Review
from onewindow.hall import services as hall_services
from tests.cases.conftest import all_required
from tests.catalog.conftest import GUIDE, make_matter, publish_through_review
from tests.conftest import build_network

OCT, NOV = dt.date(2026, 10, 1), dt.date(2026, 11, 1)


def at(day: str, hour: int = 10, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.fromisoformat(day).replace(hour=hour, minute=minute))


def _listing(n, matter, code, *, center=None, department=None):
    request = catalog_services.listing_request_entry(
        actor=n.county_admin if center is None else n.kangle_admin,
        matter=matter,
        center=center or n.linxia_center,
        department=department or n.linxia_market,
        code=code,
        reason="进驻",
        place="一楼综合窗口",
    )
    catalog_services.change_request_decide(
        actor=n.gov_office if center is None else n.root, request=request, approve=True
    )
    return Listing.objects.get(pk=request.listing_id)


def case(
    n,
    *,
    listing=None,
    clerk=None,
    decider=None,
    channel="window",
    received,
    accepted=None,
    started=None,
    decided=None,
    due=None,
    note="",
    draft=False,
):
    """A case taken through the services, then dated as the test needs."""
    listing = listing or n.listing
    clerk = clerk or n.clerk
    c = case_services.case_intake(
        actor=clerk, listing=listing, applicant=n.applicant, materials=all_required(n)
    )
    if accepted:
        c = case_services.case_accept(actor=clerk, case=c)
    if started:
        c = case_services.case_start_review(actor=decider or n.approver, case=c)
        CaseEvent.objects.filter(case=c, action="start_review").update(at=started)
    if decided:
        c = case_services.case_decide(actor=decider or n.approver, case=c, approve=True, note=note)
    Case.objects.filter(pk=c.pk).update(
        channel=channel,
        received_at=received,
        accepted_at=accepted,
        decided_at=decided,
        **({"state": "draft"} if draft else {}),
    )
    if due and c.deadline_id:
        Deadline.objects.filter(pk=c.deadline_id).update(due=due)
    return c


def _deadline(n, due):
    return Deadline.objects.create(
        center=n.linxia_center, purpose="test", start=due - dt.timedelta(days=10), days=10, due=due
    )


def review(n, level, day, *, department=None, default=False, excluded=False, on_time=None):
    r = Review.objects.create(
        kind="unsolicited",
        channel="web",
        level=level,
        center=n.linxia_center,
        department=department or n.linxia_market,
        is_default=default,
        excluded=excluded,
        created_at=at(day),
    )
    if on_time is not None:
        Rectification.objects.create(
            review=r,
            center=n.linxia_center,
            department=r.department,
            state="closed",
            contact_deadline=_deadline(n, dt.date(2026, 11, 30)),
            rectify_deadline=_deadline(n, dt.date(2026, 11, 30)),
            reviewer_token=secrets.token_hex(8),
            on_time=on_time,
            reported_at=at(day),
        )
    return r


def complaint(n, *, kind="complaint", answered, due, name="马投诉"):
    return Complaint.objects.create(
        number=f"TS{secrets.token_hex(4)}",
        token=secrets.token_hex(8),
        kind=kind,
        source="window",
        center=n.linxia_center,
        department=n.linxia_market,
        subject="窗口办理慢",
        content="等了很久",
        name=name,
        state="answered",
        received_at=answered - dt.timedelta(days=3),
        answered_at=answered,
        deadline=_deadline(n, due),
    )


def build(root):
    n = build_network(root)
    matter, version = make_matter(n, code="11620000MB1234567X", name="个体工商户登记")
    publish_through_review(n, version)
    matter.refresh_from_db()
    n.matter = matter
    other, version2 = make_matter(
        n,
        code="11620000MB7654321X",
        name="食品经营许可",
        guide={**GUIDE, "statutory_days": 20, "promised_days": 8},
    )
    publish_through_review(n, version2)
    n.listing = _listing(n, matter, "LX-0001")
    outside = _listing(n, other, "LX-0002")
    Listing.objects.filter(pk=outside.pk).update(
        handled_outside=True, outside_reason="space", outside_note="场地限制，暂在局内办理"
    )
    n.applicant = case_services.applicant_record(
        name="马小明", phone="13909301234", id_number="622921199001010016"
    )
    n.materials = {m.name: m for m in matter.current_version.materials.all()}
    # The clerk may decide 个体工商户登记 on the spot at 临夏县's center.
    hall_services.authorization_set(
        actor=n.county_admin, clerk=n.clerk, matter=matter, may_accept=True, may_decide=True
    )
    # October: one case decided on the spot by the clerk (same day, on time, window).
    case(
        n,
        decider=n.clerk,
        received=at("2026-10-15", 9),
        accepted=at("2026-10-15", 9, 5),
        started=at("2026-10-15", 9, 6),
        decided=at("2026-10-15", 9, 20),
        note="当场办结",
        due=dt.date(2026, 10, 20),
    )
    # November, all decided by the department's approver:
    # A window, accepted and decided the same day, 2 minutes after review started, no note.
    n.case_a = case(
        n,
        received=at("2026-11-03", 9),
        accepted=at("2026-11-03", 10),
        started=at("2026-11-03", 10, 1),
        decided=at("2026-11-03", 10, 3),
        due=dt.date(2026, 11, 10),
    )
    # B online, decided two days late with a note.
    n.case_b = case(
        n,
        channel="web",
        received=at("2026-11-04", 9),
        accepted=at("2026-11-04", 10),
        started=at("2026-11-05", 9),
        decided=at("2026-11-12", 15),
        note="同意",
        due=dt.date(2026, 11, 10),
    )
    # C window, decided the day after acceptance, on time.
    n.case_c = case(
        n,
        received=at("2026-11-05", 9),
        accepted=at("2026-11-05", 10),
        started=at("2026-11-06", 9),
        decided=at("2026-11-06", 11),
        note="准予",
        due=dt.date(2026, 11, 20),
    )
    # D window, accepted, still running; E an online draft never sent.
    case(n, received=at("2026-11-20", 9), accepted=at("2026-11-20", 10))
    case(n, channel="web", received=at("2026-11-21", 9), draft=True)
    # Reviews of November: 5, 4, 3, 1 (rectified on time), 2 (rectified late); a default
    # review and an excluded one do not count. October: one 5.
    for level in (5, 4, 3):
        review(n, level, "2026-11-10")
    review(n, 1, "2026-11-11", on_time=True)
    review(n, 2, "2026-11-12", on_time=False)
    review(n, 3, "2026-11-13", default=True)
    review(n, 1, "2026-11-14", excluded=True)
    review(n, 5, "2026-10-10")
    # Complaints answered in November: two on time, one late; a suggestion does not count.
    n.complainant = "马投诉人甲"
    complaint(n, answered=at("2026-11-05"), due=dt.date(2026, 11, 6), name=n.complainant)
    complaint(n, answered=at("2026-11-06"), due=dt.date(2026, 11, 6))
    complaint(n, answered=at("2026-11-09"), due=dt.date(2026, 11, 6))
    complaint(n, kind="suggestion", answered=at("2026-11-20"), due=dt.date(2026, 11, 6))
    # The records above were dated by hand after the services: recount the rollups.
    rollups.rebuild_all()
    return n
