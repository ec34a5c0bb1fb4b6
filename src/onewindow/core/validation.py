"""Model validation turned into domain errors, for every service that saves a model."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from onewindow.core.errors import InvalidInput


def is_mobile(phone: str) -> bool:
    """A mainland mobile number: 11 digits starting with 1."""
    return len(phone) == 11 and phone.isdigit() and phone.startswith("1")


def to_domain(exc: ValidationError, code: str) -> InvalidInput:
    fields = {}
    if hasattr(exc, "error_dict"):
        fields = {k: "；".join(m for e in v for m in e.messages) for k, v in exc.error_dict.items()}
    message = "；".join(fields.values()) or "；".join(exc.messages)
    return InvalidInput(code, message or "填写内容有误。", fields)


def full_clean(instance, code: str, exclude=None, *, unique: bool = True) -> None:
    """``instance.full_clean()`` or an InvalidInput with the Chinese messages by field."""
    try:
        instance.full_clean(exclude=exclude, validate_unique=unique, validate_constraints=unique)
    except ValidationError as exc:
        raise to_domain(exc, code) from None
