"""归档: a finished case (delivered, refused, or withdrawn) is filed by its center. The
case and its history stay readable; nothing is deleted."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from onewindow.cases import states
from onewindow.cases.models import Case
from onewindow.cases.services import _event, _in_scope, _lock, _require_state
from onewindow.core.errors import Forbidden, NotFound
from onewindow.core.locking import for_update
from onewindow.core.roles import Role, roles_of
from onewindow.core.scope import scope_for

ARCHIVE_ROLES = frozenset({Role.CLERK, Role.CHIEF_REP, Role.CENTER_ADMIN})


def _require_archivist(actor, case: Case) -> None:
    if actor.is_superuser:
        return
    if not _in_scope(actor, case):
        raise NotFound("case.not_found", "未找到该办件。")
    if not (roles_of(actor) & ARCHIVE_ROLES):
        raise Forbidden("case.not_archivist", "只有中心窗口或中心管理员可以归档。")


@transaction.atomic
def case_archive(*, actor, case: Case, now: datetime | None = None) -> Case:
    case = _lock(case)
    _require_archivist(actor, case)
    _require_state(case, "archive")
    before = case.state
    case.state = states.ARCHIVED
    case.save(update_fields=["state"])
    _event(case, "archive", actor, before=before, at=now or timezone.now())
    return case


@transaction.atomic
def cases_archive_finished(*, actor, center, before: datetime) -> int:
    """File every finished case of a center received before a date that the actor sees,
    in one action (rows locked in pk order); returns how many were filed."""
    if not actor.is_superuser and not (roles_of(actor) & ARCHIVE_ROLES):
        raise Forbidden("case.not_archivist", "只有中心窗口或中心管理员可以归档。")
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
        _event(case, "archive", actor, before=before_state, note="批量归档")
        done += 1
    return done
