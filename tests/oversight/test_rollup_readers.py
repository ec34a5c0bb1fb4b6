"""The pages that read the monthly rollups, against hand counts on the built world of
``world.py`` (R-SUP-2, R-SUP-4, R-EVAL-3): the dashboard's month figures per node and
in scope, the monthly history of the entry rate and the compression (snapshots), and
case statistics over a range of days that mixes whole months (the rollup) with the
days of a month begun (the cases)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.test import override_settings

from onewindow.catalog.models import Listing
from onewindow.core import rollups
from onewindow.core.scope import Scope, scope_for
from onewindow.evaluation.models import Review
from onewindow.org.models import Department
from onewindow.oversight.indicators import Cell, department_figures, rolled
from onewindow.oversight.indicators.definitions import BY_CODE
from onewindow.oversight.models import CatalogSnapshot
from onewindow.oversight.selectors.case_stats import case_stats
from onewindow.oversight.selectors.dashboard import dashboard, node_get
from onewindow.oversight.services import catalog_snapshot_take
from onewindow.oversight.services.snapshots import sweep
from tests.oversight.world import NOV, OCT, at, build

FAST = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="module")
def w(django_db_setup, django_db_blocker):
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=FAST),
        transaction.atomic(),
    ):
        root = get_user_model().objects.create_superuser("root", password="x", full_name="管理员")
        yield build(root)
        transaction.set_rollback(True)


def value(code, dept, month):
    figures = department_figures([dept.pk], [OCT, NOV])
    return Cell(BY_CODE[code], rolled(figures, code, [dept.pk], month)).value


@pytest.mark.django_db
def test_r_sup_2_entry_rate_and_compression_keep_their_monthly_history(w):
    # October's snapshot: two listings, one outside (1/2); (1 − 3/15 + 1 − 8/20) / 2
    assert catalog_snapshot_take(month=OCT) == Department.objects.count()
    Listing.objects.filter(handled_outside=True).update(handled_outside=False)
    # October keeps its snapshot; November has none: today's catalog, both inside
    assert value("entry_rate", w.linxia_market, OCT) == 50.0
    assert value("entry_rate", w.linxia_market, NOV) == 100.0
    assert value("compression", w.linxia_market, OCT) == 70.0
    # taking October again only where missing changes nothing
    assert catalog_snapshot_take(month=OCT, replace=False) == 0
    assert value("entry_rate", w.linxia_market, OCT) == 50.0


@pytest.mark.django_db
def test_r_sup_2_the_sweep_keeps_this_months_snapshot_once_per_quarter_hour(w):
    now = at("2026-11-20", 10)
    first = sweep(now=now)
    assert first.written == Department.objects.count() and "2026年11月" in first.summary()
    assert sweep(now=now + dt.timedelta(minutes=5)).written == 0  # idempotent
    assert CatalogSnapshot.objects.filter(month=NOV).count() == Department.objects.count()
    row = CatalogSnapshot.objects.get(department=w.linxia_market, month=NOV)
    assert (row.entry_num, row.entry_den, row.compression_den) == (1, 2, 2)
    assert sweep(now=now + dt.timedelta(minutes=20)).written == Department.objects.count()
    assert CatalogSnapshot.objects.filter(month=NOV).count() == Department.objects.count()


@pytest.mark.django_db
def test_r_sup_4_dashboard_month_figures_read_the_rollups_in_scope(w):
    now = at("2026-11-30", 16)
    scope = scope_for(w.pref_supervisor)
    center = dashboard(
        scope=scope, node=node_get(scope=scope, param=f"c{w.linxia_center.pk}"), now=now
    )
    # November at 临夏县's center: reviews 5, 4, 3, 1, 2 counted (a default and an
    # excluded one not); cases received A, B, C, D (E a draft); four complaints
    assert (center.reviews.total, center.reviews.good, center.reviews.bad) == (5, 2, 2)
    assert center.cases.received_month == 4 and center.complaints.received_month == 4
    # A review written past the services is not seen until the rollups are rebuilt.
    Review.objects.create(
        kind="unsolicited", channel="web", level=5, center=w.linxia_center,
        department=w.linxia_market, created_at=at("2026-11-15"),
    )  # fmt: skip
    again = dashboard(
        scope=scope, node=node_get(scope=scope, param=f"c{w.linxia_center.pk}"), now=now
    )
    assert again.reviews.total == 5
    rollups.rebuild_all([NOV])
    again = dashboard(
        scope=scope, node=node_get(scope=scope, param=f"c{w.linxia_center.pk}"), now=now
    )
    assert (again.reviews.total, again.reviews.good) == (6, 3)
    # the police department's own approver sees none of the market's figures
    police = scope_for(w.police_approver)
    own = dashboard(scope=police, node=node_get(scope=police, param=None), now=now)
    assert (own.reviews.total, own.cases.received_month) == (0, 0)


@pytest.mark.django_db
def test_r_sup_4_dashboard_panels_follow_the_month_asked(w):
    # The panels' statement is compiled once per scope and node: the month (and the
    # day) are its parameters, not frozen in it.
    scope = scope_for(w.pref_supervisor)
    node = node_get(scope=scope, param=f"c{w.linxia_center.pk}")
    november = dashboard(scope=scope, node=node, now=at("2026-11-30", 16))
    december = dashboard(scope=scope, node=node, now=at("2026-12-01", 9))
    again = dashboard(scope=scope, node=node, now=at("2026-11-30", 16))
    assert (november.reviews.total, november.cases.received_month) == (5, 4)
    assert (december.reviews.total, december.cases.received_month) == (0, 0)
    assert december.complaints.received_month == 0
    assert (again.reviews.total, again.complaints.received_month) == (5, 4)


@pytest.mark.django_db
def test_r_sup_4_case_statistics_add_whole_months_and_days_of_a_month_begun(w):
    # 2026-10-10 … 2026-11-05: October 10–31 from the cases (the case of 10-15), all of
    # nothing else; November 1–5 from the cases: A (11-03), B (11-04), C (11-05).
    stats = case_stats(scope=Scope.all(), start=dt.date(2026, 10, 10), end=dt.date(2026, 11, 5))
    assert stats.total.received == 4 and stats.total.decided == 2  # 10-15 and A
    whole = case_stats(scope=Scope.all(), start=dt.date(2026, 10, 1), end=dt.date(2026, 11, 30))
    # two whole months from the rollup: received 10-15, A, B, C, D; decided 10-15, A, B, C
    assert (whole.total.received, whole.total.decided, whole.total.on_time) == (5, 4, 3)
    assert [r.received for r in whole.by_month] == [1, 4]
    assert whole.total.channels["web"] == 1
