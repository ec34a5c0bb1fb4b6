"""What every review form shares: the levels, indicators and reasons it offers (exactly
what the service accepts, from ``scheme``) and the input read from a POST."""

from __future__ import annotations

from django.http import Http404

from onewindow.evaluation import scheme


def form_input(post, form: scheme.ReviewForm) -> dict:
    codes = form.indicators
    return {
        "level": post.get("level"),
        "indicators": {c: post.get(f"ind_{c}") for c in codes if post.get(f"ind_{c}")},
        "reasons": [r[:30] for r in post.getlist("reasons")[:20]],
        "text": (post.get("text") or "")[:2000],
        "contact_name": (post.get("contact_name") or "")[:100],
        "contact_phone": (post.get("contact_phone") or "")[:30],
    }


def form_context(form: scheme.ReviewForm, values=None, errors=None) -> dict:
    """The form's levels, indicators and reasons: exactly what the service accepts."""
    return {
        "levels": list(scheme.LEVELS.items()),
        "indicators": form.indicator_choices,
        "bad_reasons": form.bad_reasons,
        "good_reasons": form.good_reasons,
        "values": values or {},
        "errors": errors or {},
    }


def form_failed(ctx: dict, form: scheme.ReviewForm, values: dict, error) -> int:
    """Show the form again with the person's input and the service's error; the status."""
    ctx.update(form_context(form, values, error.fields))
    ctx["error"] = error.message
    return error.status


def require_staff(request) -> None:
    if not (request.user.is_superuser or getattr(request.user, "staff_profile", None)):
        raise Http404
