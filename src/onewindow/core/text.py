"""Chinese messages put together: several messages in one sentence without doubled
punctuation (never “。；”), and a form's errors in one line after their labels."""

from __future__ import annotations

from collections.abc import Iterable

from onewindow.core.errors import InvalidInput

# Marks that end a clause; dropped from each part before the parts are joined.
_ENDINGS = "。；;，,.！!：: \n\t"


def join_messages(messages: Iterable[str], *, end: str = "。") -> str:
    """``["请填写姓名。", "手机号码不正确；"]`` → ``"请填写姓名；手机号码不正确。"``.
    Repeated messages are kept once; ``end`` closes the sentence. A single message is
    returned as it is."""
    given = [str(m).strip() for m in messages if str(m).strip()]
    if len(set(given)) == 1:
        return given[0]
    parts = []
    for message in given:
        text = message.rstrip(_ENDINGS)
        if text and text not in parts:
            parts.append(text)
    return "；".join(parts) + end if parts else ""


def form_errors_text(form) -> str:
    """A form's errors in one sentence, each after its field's label (“姓名：请填写”)."""
    parts = []
    for name, errors in form.errors.items():
        field = form.fields.get(name)
        label = f"{field.label}：" if field is not None and field.label else ""
        parts.extend(f"{label}{e}" for e in errors)
    return join_messages(parts)


def clean_text(
    value,
    *,
    field: str,
    label: str,
    limit: int,
    required: bool = True,
    code: str = "",
    message: str = "",
) -> str:
    """Free text a person typed, checked once for every service: NUL characters and the
    surrounding blanks dropped, required (``请填写{label}。`` or ``message``) and at most
    ``limit`` characters. Errors carry ``code`` (default ``<field>_required`` /
    ``<field>_too_long``) and name the field."""
    text = str(value or "").replace("\x00", "").strip()
    if required and not text:
        said = message or f"请填写{label}。"
        raise InvalidInput(code or f"{field}_required", said, {field: said})
    if len(text) > limit:
        said = f"{label}不能超过{limit}字。"
        raise InvalidInput(code or f"{field}_too_long", said, {field: said})
    return text
