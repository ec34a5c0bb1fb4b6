"""How a person is named to a user: their name and staff number (工号), never the
login. Statistics, exports and the pads facing citizens all name staff this way."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth import get_user_model

UNNAMED = "工作人员"


def staff_label(full_name: str, staff_no: str = "") -> str:
    """ "马明（工号 0312）"; the staff number alone when no name is on file."""
    name = (full_name or "").strip()
    number = (staff_no or "").strip()
    if name and number:
        return f"{name}（工号 {number}）"
    if number:
        return f"{UNNAMED}（工号 {number}）"
    return name or UNNAMED


def person_name(user) -> str:
    """A person's name; never the login (a staff member without a name on file is
    named by their staff number)."""
    if user is None:
        return ""
    name = (getattr(user, "full_name", "") or "").strip()
    if name:
        return name
    profile = getattr(user, "staff_profile", None)
    return staff_label("", profile.staff_no if profile is not None else "")


def staff_no_of(user) -> str:
    profile = getattr(user, "staff_profile", None) if user is not None else None
    return profile.staff_no if profile is not None else ""


def label_of(user) -> str:
    """A person with their staff number: "马明（工号 0312）"."""
    if user is None:
        return ""
    return staff_label(getattr(user, "full_name", ""), staff_no_of(user))


def labels_for(user_ids: Iterable[int]) -> dict[int, str]:
    """Labels of many people in one query: user id → "马明（工号 0312）"."""
    rows = (
        get_user_model()
        .objects.filter(pk__in=list(user_ids))
        .values_list("pk", "full_name", "staff_profile__staff_no")
    )
    return {pk: staff_label(name, number or "") for pk, name, number in rows}
