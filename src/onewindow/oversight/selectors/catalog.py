"""Reads of the catalog reports (R-CAT-3 entry rate, R-CAT-8 compression), scoped."""

from __future__ import annotations

from django.db.models import QuerySet

from onewindow.catalog.models import Listing
from onewindow.org.models import Center, Department


def report_departments(*, scope) -> QuerySet[Department]:
    """The departments in scope that own a matter with a published guide."""
    return (
        Department.objects.visible_to(scope)
        .filter(owned_matters__current_version__isnull=False)
        .distinct()
        .order_by("region__path", "name")
    )


def report_department_known(*, scope, department_id: int) -> bool:
    return report_departments(scope=scope).filter(pk=department_id).exists()


def departments_by_pk(pks) -> dict[int, Department]:
    return {d.pk: d for d in Department.objects.filter(pk__in=pks)}


def public_listings(*, scope) -> QuerySet[Listing]:
    """The public listings of the centers in scope, with their matters' current guides."""
    return (
        Listing.objects.public()
        .filter(center__in=Center.objects.visible_to(scope))
        .select_related("center__region", "matter__current_version")
    )
