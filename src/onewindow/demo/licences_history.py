"""Demo electronic licences (R-MSG-2): a few decided, approved cases of 临夏县's center
get their electronic licence, issued by the approver who decided them; one is later
replaced by a new one (an address corrected) and one revoked, so the portal's verification page
shows each answer (/licence/verify/). Written through the services; skipped when any
licence exists."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Exists, OuterRef

from onewindow.cases import states
from onewindow.cases.models import Case, CaseEvent
from onewindow.core import clock
from onewindow.core.roles import may
from onewindow.licences import services
from onewindow.licences.models import Licence
from onewindow.licences.payload import grouped

COUNTY_CENTER = "临夏县政务服务中心"
HOW_MANY = 5


def _approved_cases():
    approved = CaseEvent.objects.filter(case=OuterRef("pk"), action="approve")
    denied = CaseEvent.objects.filter(case=OuterRef("pk"), action="deny")
    return (
        Case.objects.filter(
            center__name=COUNTY_CENTER,
            state__in=(states.APPROVED, states.READY, states.DELIVERED, states.ARCHIVED),
            decided_by__isnull=False,
        )
        .filter(Exists(approved), ~Exists(denied))
        .select_related("decided_by")
        .order_by("-decided_at", "-pk")
    )


def load(now=None) -> int:
    if Licence.objects.exists():
        return 0
    now = clock.now(now)
    made = []
    for case in _approved_cases()[:HOW_MANY]:
        issued_at = max(case.decided_at, now - timedelta(days=30))
        made.append(services.licence_issue(actor=case.decided_by, case=case, now=issued_at))
    # replaced and revoked by the deciding department (an approver may; a window clerk
    # who decided on the spot may not)
    departmental = [lic for lic in made if may(lic.case.decided_by, services.REVOKE)]
    if len(departmental) >= 3:
        replaced, revoked = departmental[1], departmental[2]
        services.licence_replace(
            actor=replaced.case.decided_by,
            licence=replaced,
            reason="经营场所地址更正，换发新证",
            now=now - timedelta(days=2),
        )
        services.licence_revoke(
            actor=revoked.case.decided_by,
            licence=revoked,
            reason="申请人以欺骗手段取得许可，依法撤销",
            now=now - timedelta(days=1),
        )
    return Licence.objects.count()


def note() -> str:
    """A valid demo licence's verification code, printed with the demo accounts."""
    licence = Licence.objects.filter(state=Licence.State.VALID).order_by("pk").first()
    if licence is None:
        return ""
    return (
        f"演示电子证照核验码：{grouped(licence.code)}（{licence.title}，"
        f"在 /licence/verify/ 核验；另有已撤销、已换发的证照各一份）"
    )
