"""``{% load people %}`` and ``{{ user|person }}``: a person by name and staff number
(马明（工号 0312）), never by login."""

from __future__ import annotations

from django import template

from onewindow.org.names import label_of

register = template.Library()


@register.filter
def person(user) -> str:
    return label_of(user) if user else ""
