"""Template tags of the work calendar."""

from django import template
from django.utils import timezone

register = template.Library()


@register.simple_tag
def calendar_warning_text() -> str:
    """The warning about a missing year's official schedule, or ""."""
    from onewindow.core.calendar import calendar_warning

    return calendar_warning(timezone.localdate()) or ""
