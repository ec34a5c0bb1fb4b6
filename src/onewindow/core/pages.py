"""Domain errors on pages: the one bridge from a service's error to what a person sees.

Views call services and let their errors rise; ``DomainErrorMiddleware`` answers:

- ``NotFound`` (missing, or outside the caller's scope): the 404 page;
- any other ``DomainError``
  - from an htmx request: the Chinese message as a small partial, with the error's 4xx
    status (htmx shows it in the target the page set);
  - from a POST: the message flashed and back to the page the action belongs to
    (``back_to(request, url)``, set by the view before it calls the service), else the
    page the form was on (same site only), else the workspace;
  - from a GET: an error page with the message and the error's status.

A form shown again with its errors (the person's input kept) uses ``attempt``:
``outcome = attempt(services.review_file, actor=…, …)``; ``outcome.error`` is the
``DomainError`` or ``None`` and ``outcome.value`` what the service returned. A
``NotFound`` is never swallowed there: it still becomes the 404 page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from onewindow.core.errors import DomainError, NotFound

_BACK = "_onewindow_back_to"


def back_to(request: HttpRequest, url: str) -> str:
    """Where a failed action of this request returns (with its message flashed)."""
    setattr(request, _BACK, url)
    return url


@dataclass(frozen=True)
class Outcome:
    value: Any = None
    error: DomainError | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


def attempt(call: Callable[..., Any], /, *args, **kwargs) -> Outcome:
    """Run a service for a form that is shown again on error; ``NotFound`` still 404s."""
    try:
        return Outcome(value=call(*args, **kwargs))
    except NotFound:
        raise Http404 from None
    except DomainError as exc:
        return Outcome(error=exc)


def error_response(request: HttpRequest, exc: DomainError) -> HttpResponse:
    if isinstance(exc, NotFound):
        return render(request, "404.html", status=404)
    if getattr(request, "htmx", False):
        return render(request, "includes/domain_error.html", {"error": exc}, status=exc.status)
    if request.method == "POST":
        messages.error(request, exc.message)
        return redirect(_back(request))
    return render(request, "domain_error.html", {"error": exc}, status=exc.status)


def _back(request: HttpRequest) -> str:
    chosen = getattr(request, _BACK, None)
    if chosen:
        return chosen
    referer = request.META.get("HTTP_REFERER", "")
    if referer and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return referer
    return reverse("workspace") if request.user.is_authenticated else reverse("home")


class DomainErrorMiddleware:
    """Turns a domain error a view let rise into its page (see the module's text)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DomainError):
            return error_response(request, exception)
        return None
