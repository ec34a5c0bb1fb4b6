"""R-SUP-3 the accountability list: slow and inactive handling and repeated bad reviews,
each entry backed by its records, readable by supervisors only, in their scope. The
hand counts are next to the data (tests/oversight/world.py and below)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.test import Client
from django.urls import reverse

from onewindow.cases.models import Urging
from onewindow.core.scope import Scope, scope_for
from onewindow.evaluation.models import Review
from onewindow.oversight.selectors.accountability import accountability_list
from tests.oversight.world import NOV, at, build

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 12, 3)


def _bad(n, staff, center, day):
    return Review.objects.create(
        kind="unsolicited",
        channel="web",
        level=1,
        center=center,
        staff=staff,
        created_at=at(day),
    )


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        root = get_user_model().objects.create_superuser("acc-root", password="x")
        n = build(root)
        # Urgings of 临夏县市场监督管理局: one past its reply date unanswered, one answered
        # two days late in November, one answered on time (not listed).
        sent = dict(case=n.case_c, department=n.linxia_market, message="请加快", sent_by=root)
        Urging.objects.create(**sent, reply_by=dt.date(2026, 11, 20))
        Urging.objects.create(
            **sent, reply_by=dt.date(2026, 11, 10), answered_at=at("2026-11-12"), answer="已办"
        )
        Urging.objects.create(
            **sent, reply_by=dt.date(2026, 11, 10), answered_at=at("2026-11-09"), answer="已办"
        )
        # Bad reviews of November: the clerk 3 (listed), the agent 2 (not listed), a
        # Kangle clerk 3 (listed, outside 临夏县's scope); one of the clerk's in October.
        for day in ("2026-11-02", "2026-11-09", "2026-11-23"):
            _bad(n, n.clerk, n.linxia_center, day)
        for day in ("2026-11-02", "2026-11-03"):
            _bad(n, n.agent, n.linxia_center, day)
        for day in ("2026-11-04", "2026-11-05", "2026-11-06"):
            _bad(n, n.kangle_admin, n.kangle_center, day)
        _bad(n, n.clerk, n.linxia_center, "2026-10-20")
        yield n
        transaction.set_rollback(True)


def _listed(found, code):
    return {(e.subject, e.count) for e in found.of(code)}


def test_r_sup_3_slow_cases_are_listed_per_department_with_their_records(world):
    n = world
    found = accountability_list(scope=Scope.all(), month=NOV, today=TODAY)
    # Case B was decided on 12 Nov against a due date of 10 Nov: the only late case.
    entries = found.of("slow")
    by_dept = [e for e in entries if e.subject == n.linxia_market.name]
    assert [(e.count, [label for label, _ in e.records]) for e in by_dept] == [
        (1, [n.case_b.number])
    ]
    assert by_dept[0].records[0][1] == reverse("cases:case_detail", args=[n.case_b.pk])


def test_r_sup_3_urgings_past_their_reply_date_are_listed_as_inactive(world):
    n = world
    found = accountability_list(scope=Scope.all(), month=NOV, today=TODAY)
    # One unanswered past 20 Nov, one answered on 12 Nov for 10 Nov; the on-time one not.
    assert _listed(found, "inactive") == {(n.linxia_market.name, 2)}


def test_r_sup_3_three_bad_reviews_of_one_person_in_a_month_put_them_on_the_list(world):
    n = world
    found = accountability_list(scope=Scope.all(), month=NOV, today=TODAY)
    assert _listed(found, "bad_reviews") == {(str(n.clerk), 3), (str(n.kangle_admin), 3)}
    october = accountability_list(scope=Scope.all(), month=dt.date(2026, 10, 1), today=TODAY)
    assert october.of("bad_reviews") == []  # one bad review in October


def test_r_sup_3_complaints_answered_late_are_listed_per_department(world):
    n = world
    found = accountability_list(scope=Scope.all(), month=NOV, today=TODAY)
    # Of the world's three complaints one was answered on 9 Nov for 6 Nov; the
    # suggestion answered late does not count.
    assert _listed(found, "complaints") == {(n.linxia_market.name, 1)}


def test_r_sup_3_a_county_supervisor_sees_only_the_county(world):
    n = world
    county = accountability_list(scope=scope_for(n.county_supervisor), month=NOV, today=TODAY)
    assert _listed(county, "bad_reviews") == {(str(n.clerk), 3)}
    prefecture = accountability_list(scope=scope_for(n.pref_supervisor), month=NOV, today=TODAY)
    assert (str(n.kangle_admin), 3) in _listed(prefecture, "bad_reviews")


def test_r_sup_3_the_list_is_for_supervisors_only(world):
    n = world
    url = reverse("oversight:accountability") + "?month=2026-11"
    client = Client()
    for user in (n.county_admin, n.gov_office, n.approver, n.clerk, n.county_leader):
        client.force_login(user)
        assert client.get(url).status_code == 404, user
    client.force_login(n.county_supervisor)
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "问责线索清单" in html and n.case_b.number in html and str(n.kangle_admin) not in html
    assert "问责线索清单" in client.get(reverse("workspace")).content.decode()
    assert client.get(url.replace("2026-11", "x" * 40)).status_code == 200  # bad month: this one
