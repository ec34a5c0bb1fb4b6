"""The case page's supervision panel: special procedures (R-CASE-4), the handler and
their backup (R-CASE-9), and the supervisor's force steps."""

from __future__ import annotations

from django import template
from django.utils import timezone

from onewindow.cases import services, states
from onewindow.cases.models import SpecialProcedure
from onewindow.cases.selectors import queues
from onewindow.cases.services import supervision
from onewindow.core.roles import Role
from onewindow.org.models import StaffProfile

register = template.Library()


@register.simple_tag
def supervision_panel(case, user) -> dict:
    procedures = list(case.special_procedures.select_related("started_by", "ended_by"))
    can_back = services.can_act_back(user, case)
    can_force = supervision.can_force(user)
    steps = supervision.force_steps_for(case) if can_force else []
    assignee = None
    if case.assignee_id:
        assignee = StaffProfile.objects.filter(user_id=case.assignee_id).first()
    handler = queues.handler_for(case.assignee) if assignee and assignee.away else None
    candidates = []
    if any(s.needs_user or s.name == "advance" for s in steps):
        candidates = [
            p
            for p in queues.department_staff(case.department_id)
            if p.roles & {Role.APPROVER, Role.CHIEF_REP} and not p.away
        ]
    return {
        "procedures": procedures,
        "open": next((p for p in procedures if p.ended_on is None), None),
        "kinds": SpecialProcedure.Kind.choices,
        "can_start": can_back and case.state == states.IN_REVIEW,
        "can_end": can_back and case.state == states.SPECIAL,
        "steps": steps,
        "candidates": candidates,
        "assignee": assignee,
        "handler": handler,
        "today": timezone.localdate(),
        "show": bool(procedures or steps or case.assignee_id or can_back),
    }
