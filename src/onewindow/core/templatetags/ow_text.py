"""``{{ form.non_field_errors|join_messages }}``: messages in one sentence, without
doubled punctuation (core/text.py)."""

from __future__ import annotations

from django import template

from onewindow.core.text import join_messages as _join

register = template.Library()


@register.filter
def join_messages(messages) -> str:
    return _join(messages or [])
