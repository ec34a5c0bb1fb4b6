"""Who is speaking: a citizen's review or answer never carries a staff session (R-EVAL-1:
nobody reviews on the citizen's behalf)."""

from __future__ import annotations

from onewindow.core.errors import Forbidden


def is_staff_session(actor) -> bool:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return False
    return bool(actor.is_superuser or actor.is_staff or getattr(actor, "staff_profile", None))


def require_citizen(actor) -> None:
    """A citizen's review never carries a staff session (R-EVAL-1: nobody reviews on the
    citizen's behalf)."""
    if is_staff_session(actor):
        raise Forbidden(
            "evaluation.clerk_cannot_review",
            "工作人员不能代替办事群众评价。请退出工作人员登录后由办事群众本人评价。",
        )
