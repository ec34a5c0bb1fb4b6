"""Reads of certification by pledge (证明事项告知承诺, R-CASE-5): the applicant's standing,
the verification tasks and the record of false pledges within a reader's scope, and who
may read or record them (``core/roles.py``: ``pledge.*``)."""

from __future__ import annotations

from django.db.models import QuerySet

from onewindow.cases.models import Applicant, FalsePledge, PledgeCheck
from onewindow.core.errors import NotFound
from onewindow.core.roles import may
from onewindow.core.scope import scope_for


def may_see_queue(user) -> bool:
    return may(user, "pledge.queue")


def may_see_records(user) -> bool:
    return may(user, "pledge.read_records")


def check_in_scope(actor, check: PledgeCheck) -> bool:
    return PledgeCheck.objects.visible_to(scope_for(actor)).filter(pk=check.pk).exists()


def records_for_department(actor, check: PledgeCheck) -> bool:
    """The back office of the case's department records its verifications."""
    profile = getattr(actor, "staff_profile", None)
    return (
        may(actor, "pledge.record")
        and profile is not None
        and profile.department_id == check.case.department_id
    )


def can_record(actor, check: PledgeCheck) -> bool:
    """Whether ``actor`` may record the result of this verification now."""
    if not actor.is_superuser and not (
        check_in_scope(actor, check) and records_for_department(actor, check)
    ):
        return False
    return check.state == PledgeCheck.State.PENDING


def pledge_allowed_for(applicant: Applicant | None) -> bool:
    """False once the applicant has a false pledge on record: no more pledges in place
    of certificates for them."""
    if applicant is None or applicant.pk is None:
        return True
    return not FalsePledge.objects.filter(applicant=applicant).exists()


def pledge_checks_for(*, scope) -> QuerySet[PledgeCheck]:
    """Verification tasks within a scope, the earliest due first."""
    return (
        PledgeCheck.objects.visible_to(scope)
        .select_related(
            "case", "case__applicant", "case__department", "case__matter", "material", "checked_by"
        )
        .order_by("due", "id")
    )


def pledge_check_get_for(*, scope, check_id: int) -> PledgeCheck:
    check = pledge_checks_for(scope=scope).filter(pk=check_id).first()
    if check is None:
        raise NotFound("pledge_check.not_found", "未找到该承诺核查。")
    return check


def false_pledges_for(*, scope) -> QuerySet[FalsePledge]:
    """False pledge records of the cases within a scope, the newest first."""
    return scope.filter(
        FalsePledge.objects.select_related(
            "applicant", "case", "case__department", "case__center", "recorded_by"
        ),
        center="case__center",
        department="case__department",
    ).order_by("-recorded_at", "-id")


def false_pledge_count(applicant: Applicant) -> int:
    """How many false pledges the applicant has on record, anywhere (the bar on pledges
    applies everywhere, so every office that takes the applicant in is told)."""
    return FalsePledge.objects.filter(applicant=applicant).count()
