"""Life-cycle states in templates, by the names the life-cycle tables expose: a case's
from ``cases/states.py``, any other record's from its model's ``State`` choices.

``{% if case|state_in:"SPECIAL" %}``, ``{% if c|state_in:"READY,DELIVERED" %}``; a name
neither defines is an error, never a silent "no"."""

from __future__ import annotations

from django import template

from onewindow.cases import states

register = template.Library()


def _value(record, name: str) -> str:
    choices = getattr(type(record), "State", None)
    source = choices if choices is not None else states
    value = getattr(source, name.strip())
    return str(value)


@register.filter
def state_in(record, names: str) -> bool:
    """Whether ``record`` is in one of the states named (comma-separated)."""
    if record is None or record == "":
        return False
    return record.state in {_value(record, name) for name in names.split(",")}
