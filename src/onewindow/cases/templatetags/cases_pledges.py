"""The case page's pledge panel (R-CASE-5): the case's verifications and the
applicant's record of false pledges."""

from __future__ import annotations

from django import template
from django.utils import timezone

from onewindow.cases.models import PledgeCheck
from onewindow.cases.services import pledges

register = template.Library()


@register.simple_tag
def pledge_panel(case, user) -> dict:
    today = timezone.localdate()
    checks = list(case.pledge_checks.select_related("material", "checked_by").order_by("pk"))
    return {
        "pledged": case.documents.filter(by_pledge=True).count(),
        "checks": [
            {
                "check": c,
                "overdue": c.state == PledgeCheck.State.PENDING and c.due < today,
                "can_record": pledges.can_record(user, c),
            }
            for c in checks
        ],
        "review_needed": any(c.state == PledgeCheck.State.FALSE for c in checks),
        "false_count": pledges.false_pledge_count(case.applicant),
        "may_see_records": pledges.may_see_records(user),
    }
