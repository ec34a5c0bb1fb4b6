"""归档: a finished case (delivered, refused, or withdrawn) is filed by its center. The
case and its history stay readable; nothing is deleted."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction

from onewindow.cases import states
from onewindow.cases.models import Case
from onewindow.cases.services.steps import event, lock, require_activity, require_state
from onewindow.core.clock import now as clock_now
from onewindow.core.errors import Forbidden
from onewindow.core.locking import for_update
from onewindow.core.roles import may
from onewindow.core.scope import scope_for

NOT_ARCHIVIST = "只有中心窗口或中心管理员可以归档。"


@transaction.atomic
def case_archive(*, actor, case: Case, now: datetime | None = None) -> Case:
    case = lock(case)
    require_activity(
        actor, case, states.ACTIONS["archive"].activity, NOT_ARCHIVIST, "case.not_archivist"
    )
    require_state(case, "archive")
    before = case.state
    case.state = states.ARCHIVED
    case.save(update_fields=["state"])
    event(case, "archive", actor, before=before, at=clock_now(now))
    return case


@transaction.atomic
def cases_archive_finished(*, actor, center, before: datetime) -> int:
    """File every finished case of a center received before a date that the actor sees,
    in one action (rows locked in pk order); returns how many were filed."""
    if not may(actor, states.ACTIONS["archive"].activity):
        raise Forbidden("case.not_archivist", NOT_ARCHIVIST)
    archivable = states.ACTIONS["archive"].sources
    ids = list(
        Case.objects.visible_to(scope_for(actor))
        .filter(center=center, state__in=archivable, received_at__lt=before)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    done = 0
    for case in for_update(Case.objects).filter(pk__in=ids).order_by("pk"):
        if case.state not in archivable:
            continue
        before_state = case.state
        case.state = states.ARCHIVED
        case.save(update_fields=["state"])
        event(case, "archive", actor, before=before_state, note="批量归档")
        done += 1
    return done
