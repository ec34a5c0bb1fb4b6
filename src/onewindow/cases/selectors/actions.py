"""Who may take which step of a case now (R-CASE-1, R-NET-3): the life-cycle table
(``cases/states.py``: each step names the activity it needs), the roles table
(``core/roles.py``) and the reader's scope, read in one place for the case page, the API
and the services' own checks.

- The front window's steps (``case.front``): a front-office post at the case's center.
- The department's steps (``case.back``): a back-office post of the case's department,
  or a window clerk authorised to decide the matter on the spot.
- Any other activity (``case.archive`` …): a role of the activity, within scope.
Steps the applicant takes are registered by the front window; the system's steps are
nobody's to take by hand.
"""

from __future__ import annotations

from django.utils import timezone

from onewindow.cases import states
from onewindow.cases.models import Case
from onewindow.catalog.models import Listing
from onewindow.catalog.selectors.entrustments import power_above
from onewindow.core.roles import Role, has_any, may
from onewindow.core.scope import scope_for
from onewindow.hall.models import Authorization
from onewindow.org.models import Department

FRONT, BACK = "case.front", "case.back"


def in_scope(actor, case: Case) -> bool:
    """Whether the case lies within what ``actor`` sees."""
    return Case.objects.visible_to(scope_for(actor)).filter(pk=case.pk).exists()


def is_front_at(actor, center_id: int) -> bool:
    """Whether the actor works at the front window of this center (the superuser may)."""
    if actor.is_superuser:
        return True
    profile = getattr(actor, "staff_profile", None)
    return may(actor, FRONT) and profile is not None and profile.center_id == center_id


def intake_listings(actor):
    """The published listings ``actor`` may take in (R-HALL-5): at the center where
    they work the front window, the matters they are authorised to accept. The one
    rule for the intake page's list and for ``case_intake``; the superuser takes in
    anything (at their own center when they have one)."""
    listings = Listing.objects.public()
    profile = getattr(actor, "staff_profile", None)
    if actor.is_superuser:
        if profile is not None and profile.center_id:
            listings = listings.filter(center_id=profile.center_id)
        return listings
    if profile is None or not profile.active or not is_front_at(actor, profile.center_id):
        return listings.none()
    accepted = Authorization.objects.filter(clerk=actor, may_accept=True).values("matter_id")
    return listings.filter(center_id=profile.center_id, matter_id__in=accepted)


def decides_on_the_spot(actor, case: Case) -> bool:
    """A window clerk authorised to accept and decide the case's matter (R-HALL-5). At a
    township or village point whose matter's power lies above, only a case taken in
    under an entrustment still in force today (not one taken as 代办)."""
    authorised = Authorization.objects.filter(
        clerk=actor, matter_id=case.matter_id, may_accept=True, may_decide=True
    ).exists()
    if not authorised or not power_above(case.listing):
        return authorised
    entrustment = case.entrustment
    return entrustment is not None and entrustment.active_on(timezone.localdate())


def is_back_for(actor, case: Case) -> bool:
    """Whether the actor works the back office of the case's department, or decides
    its matter on the spot (scope aside)."""
    if actor.is_superuser:
        return True
    profile = getattr(actor, "staff_profile", None)
    own_department = (
        may(actor, BACK) and profile is not None and profile.department_id == case.department_id
    )
    return own_department or decides_on_the_spot(actor, case)


def can_act_front(actor, case: Case) -> bool:
    """Whether ``actor`` may take the front window's steps on ``case``."""
    if actor.is_superuser:
        return True
    return in_scope(actor, case) and is_front_at(actor, case.center_id)


def can_act_back(actor, case: Case) -> bool:
    """Whether ``actor`` may take the department's steps on ``case``."""
    if actor.is_superuser:
        return True
    return in_scope(actor, case) and is_back_for(actor, case)


def holds(actor, case: Case, activity: str) -> bool:
    """Whether ``actor`` may carry out ``activity`` on this case (role, post and scope)."""
    if not activity or not getattr(actor, "is_authenticated", False):
        return False
    if activity == FRONT:
        return can_act_front(actor, case)
    if activity == BACK:
        return can_act_back(actor, case)
    return actor.is_superuser or (may(actor, activity) and in_scope(actor, case))


def case_actions(actor, case: Case) -> list[str]:
    """The steps of ``states.ACTIONS`` the actor may take on the case in its state now,
    by name, sorted (what the case page offers and the services allow)."""
    answers: dict[str, bool] = {}
    allowed = []
    for name, spec in states.ACTIONS.items():
        if case.state not in spec.sources or not spec.activity:
            continue
        if spec.activity not in answers:
            answers[spec.activity] = holds(actor, case, spec.activity)
        if answers[spec.activity]:
            allowed.append(name)
    return sorted(allowed)


def force_steps_for(case: Case) -> list[states.ForceStep]:
    return [s for s in states.FORCE_STEPS.values() if case.state in s.moves]


def can_force(actor) -> bool:
    return may(actor, "case.force")


def can_hand_over(actor, department) -> bool:
    if actor.is_superuser:
        return True
    profile = getattr(actor, "staff_profile", None)
    if profile is None or not profile.active:
        return False
    if Role.CENTER_ADMIN in profile.roles:
        return Department.objects.visible_to(scope_for(actor)).filter(pk=department.pk).exists()
    return has_any(profile.roles, "case.hand_over") and profile.department_id == department.pk
