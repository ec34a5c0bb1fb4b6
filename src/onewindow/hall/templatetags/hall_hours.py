"""A center's opening hours in words on any page: from its schedule (``hall.hours``),
the posted text where it has none."""

from __future__ import annotations

from django import template

from onewindow.hall import hours

register = template.Library()


@register.simple_tag
def center_hours(center) -> str:
    if center is None:
        return ""
    return hours.hours_text(center)


@register.simple_tag
def listing_hours(listing) -> str:
    """A listing's own hours where it has them (a matter served at other times), else
    its center's."""
    return listing.hours or center_hours(listing.center)
