"""Setting up a hall (R-HALL-1, R-HALL-5): windows, service categories and the clerks'
authorisations, by the center administrators of the center's region (R-NET-3).

Each action is one transaction that locks the row it changes before checking it,
refuses bad input with a Chinese message (changing nothing) and writes its audit
record. Opening hours are changed in ``hall.hours``.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from onewindow.catalog.models import Matter
from onewindow.core.audit import audit_record
from onewindow.core.errors import Conflict, InvalidInput, NotFound
from onewindow.core.locking import for_update
from onewindow.core.roles import has_any, roles_of
from onewindow.hall import states
from onewindow.hall.access import require_center_admin
from onewindow.hall.models import Authorization, ServiceCategory, Ticket, Window, WindowSession
from onewindow.hall.selectors.setup import center_matters
from onewindow.hall.services.events import touch_display
from onewindow.hall.services.windows import authorization_set
from onewindow.org.models import Center

WINDOW_FIELDS = ("number", "name", "scope", "pace", "kind", "domain", "single_reason")
CATEGORY_FIELDS = ("letter", "name", "description", "order", "needs_clerk")


def _invalid(code: str, field: str, message: str) -> InvalidInput:
    return InvalidInput(code, message, {field: message})


def _validation(exc: ValidationError) -> InvalidInput:
    fields = {name: "；".join(msgs) for name, msgs in exc.message_dict.items()}
    return InvalidInput("hall.invalid", "；".join(fields.values()), fields)


def _own(center: Center, items, label: str) -> list:
    items = list(items)
    if any(i.center_id != center.pk for i in items):
        raise _invalid("hall.foreign", label, "只能选择本中心的业务类别和窗口。")
    return items


def _window_snapshot(window: Window) -> dict:
    return {
        **{f: getattr(window, f) for f in WINDOW_FIELDS},
        "is_active": window.is_active,
        "categories": sorted(window.categories.values_list("letter", flat=True)),
    }


# --- windows ------------------------------------------------------------------------------------


def _save_window(window: Window, categories: list[ServiceCategory]) -> Window:
    try:
        window.full_clean(exclude=["center", "categories"], validate_unique=False)
    except ValidationError as exc:
        raise _validation(exc) from None
    if (
        Window.objects.filter(center_id=window.center_id, number=window.number)
        .exclude(pk=window.pk)
        .exists()
    ):
        raise _invalid("window.number_taken", "number", f"本中心已有{window.number}号窗口。")
    try:
        with transaction.atomic():
            window.save()
    except IntegrityError:
        raise _invalid(
            "window.number_taken", "number", f"本中心已有{window.number}号窗口。"
        ) from None
    window.categories.set(categories)
    return window


@transaction.atomic
def window_create(*, actor, center: Center, categories=(), **fields) -> Window:
    require_center_admin(actor, center)
    categories = _own(center, categories, "categories")
    window = _save_window(
        Window(center=center, **{f: fields[f] for f in WINDOW_FIELDS if f in fields}), categories
    )
    audit_record(
        actor=actor,
        action="window.create",
        target=window,
        center=center,
        after=_window_snapshot(window),
    )
    touch_display(center.pk)
    return window


@transaction.atomic
def window_update(*, actor, window: Window, categories=(), **fields) -> Window:
    window = for_update(Window.objects).get(pk=window.pk)
    require_center_admin(actor, window.center)
    categories = _own(window.center, categories, "categories")
    before = _window_snapshot(window)
    for f in WINDOW_FIELDS:
        if f in fields:
            setattr(window, f, fields[f])
    _save_window(window, categories)
    audit_record(
        actor=actor,
        action="window.update",
        target=window,
        center=window.center,
        before=before,
        after=_window_snapshot(window),
    )
    touch_display(window.center_id)
    return window


@transaction.atomic
def window_set_active(*, actor, window: Window, active: bool) -> Window:
    """Deactivate (停用) a window nobody is signed in at, or bring it back."""
    window = for_update(Window.objects).get(pk=window.pk)
    require_center_admin(actor, window.center)
    if window.is_active == active:
        return window
    if not active:
        if WindowSession.objects.filter(window=window, signed_out_at__isnull=True).exists():
            raise Conflict("window.signed_in", f"{window}有工作人员签到，请先签退再停用。")
        if Ticket.objects.filter(window=window, state__in=states.HELD).exists():
            raise Conflict("window.holding_ticket", f"{window}还有未办结的号，请先办结或转移。")
    window.is_active = active
    window.save(update_fields=["is_active"])
    audit_record(
        actor=actor,
        action="window.activate" if active else "window.deactivate",
        target=window,
        center=window.center,
        before={"is_active": not active},
        after={"is_active": active},
    )
    touch_display(window.center_id)
    return window


# --- service categories --------------------------------------------------------------------------


def _category_snapshot(category: ServiceCategory) -> dict:
    return {
        **{f: getattr(category, f) for f in CATEGORY_FIELDS},
        "is_active": category.is_active,
        "matters": category.matters.count(),
    }


def _save_category(category: ServiceCategory, matters) -> ServiceCategory:
    category.letter = (category.letter or "").strip().upper()
    category.name = (category.name or "").strip()
    try:
        category.full_clean(exclude=["center", "matters", "bundle"], validate_unique=False)
    except ValidationError as exc:
        raise _validation(exc) from None
    taken = ServiceCategory.objects.filter(center_id=category.center_id, letter=category.letter)
    if taken.exclude(pk=category.pk).exists():
        raise _invalid(
            "category.letter_taken", "letter", f"本中心已有号码字母为{category.letter}的类别。"
        )
    allowed = set(center_matters(category.center).values_list("pk", flat=True))
    matters = list(matters)
    if any(m.pk not in allowed for m in matters):
        raise _invalid("category.foreign_matter", "matters", "只能选择本中心实施的事项。")
    try:
        with transaction.atomic():
            category.save()
    except IntegrityError:
        raise _invalid("category.letter_taken", "letter", "该号码字母已被使用。") from None
    category.matters.set(matters)
    return category


@transaction.atomic
def category_create(*, actor, center: Center, matters=(), **fields) -> ServiceCategory:
    require_center_admin(actor, center)
    category = ServiceCategory(
        center=center, **{f: fields[f] for f in CATEGORY_FIELDS if f in fields}
    )
    _save_category(category, matters)
    audit_record(
        actor=actor,
        action="service_category.create",
        target=category,
        center=center,
        after=_category_snapshot(category),
    )
    touch_display(center.pk)
    return category


@transaction.atomic
def category_update(
    *, actor, category: ServiceCategory, matters=(), is_active: bool = True, **fields
) -> ServiceCategory:
    category = for_update(ServiceCategory.objects).get(pk=category.pk)
    require_center_admin(actor, category.center)
    before = _category_snapshot(category)
    for f in CATEGORY_FIELDS:
        if f in fields:
            setattr(category, f, fields[f])
    if category.is_active and not is_active:
        waiting = Ticket.objects.filter(queue=category, state__in=states.OPEN).exists()
        if waiting:
            raise Conflict(
                "category.has_tickets", f"{category.name}还有等候或办理中的号，暂不能停用。"
            )
    category.is_active = is_active
    _save_category(category, matters)
    audit_record(
        actor=actor,
        action="service_category.update",
        target=category,
        center=category.center,
        before=before,
        after=_category_snapshot(category),
    )
    touch_display(category.center_id)
    return category


# --- authorisations (R-HALL-5) ------------------------------------------------------------------


@transaction.atomic
def authorization_grant(*, actor, clerk, matter: Matter, may_decide: bool) -> Authorization:
    """The clerk may accept (受理) the matter, and with ``may_decide`` also decide it on
    the spot (当场办结, 即收即办)."""
    profile = getattr(clerk, "staff_profile", None)
    if profile is None or profile.center_id is None:
        raise InvalidInput("authorization.not_clerk", "只能为中心工作人员授权。")
    require_center_admin(actor, profile.center)
    if not has_any(roles_of(clerk), "hall.window"):
        raise InvalidInput("authorization.not_clerk", "只能为窗口工作人员授权。")
    if not center_matters(profile.center).filter(pk=matter.pk).exists():
        raise _invalid("authorization.foreign_matter", "matter", "该事项不在本中心实施。")
    return authorization_set(
        actor=actor, clerk=clerk, matter=matter, may_accept=True, may_decide=bool(may_decide)
    )


@transaction.atomic
def authorization_revoke(*, actor, clerk, matter: Matter) -> None:
    profile = getattr(clerk, "staff_profile", None)
    if profile is None or profile.center_id is None:
        raise InvalidInput("authorization.not_clerk", "只能为中心工作人员授权。")
    require_center_admin(actor, profile.center)
    if not Authorization.objects.filter(clerk=clerk, matter=matter).exists():
        raise NotFound("authorization.not_found", "该工作人员没有这项授权。")
    authorization_set(actor=actor, clerk=clerk, matter=matter, may_accept=False, may_decide=False)
