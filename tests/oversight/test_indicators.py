"""Each department indicator against a hand count on the built world of ``world.py``
(R-SUP-2, R-EVAL-3), the roll-up to the center, the thresholds and the talk list."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.test import override_settings

from onewindow.core.audit import AuditEvent
from onewindow.core.errors import Forbidden, InvalidInput, NotFound
from onewindow.core.scope import scope_for
from onewindow.org.models import Department
from onewindow.oversight import services
from onewindow.oversight.indicators import INDICATORS, Cell, department_figures, rolled, talk_list
from onewindow.oversight.indicators.definitions import BY_CODE
from onewindow.oversight.indicators.sources import mailroom_matters
from tests.oversight.world import NOV, OCT, build

FAST = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="module")
def w(django_db_setup, django_db_blocker):
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=FAST),
        transaction.atomic(),
    ):
        User = get_user_model()
        root = User.objects.create_superuser("root", password="x", full_name="系统管理员")
        n = build(root)
        n.figures = department_figures([n.linxia_market.pk, n.linxia_police.pk], [OCT, NOV])
        yield n
        transaction.set_rollback(True)


def value(w, code, month=NOV, depts=None):
    ids = depts or [w.linxia_market.pk]
    return Cell(BY_CODE[code], rolled(w.figures, code, ids, month)).value


@pytest.mark.django_db
def test_r_sup_2_every_indicator_states_its_formula_source_period_direction_and_unit():
    assert len(INDICATORS) == 10
    for ind in INDICATORS:
        assert ind.name and "=" in ind.formula and ind.source and ind.unit
        assert ind.direction in ("higher", "lower") and ind.period in ("month", "snapshot")


@pytest.mark.django_db
def test_r_sup_2_entry_rate_counts_listings_handled_in_the_center(w):
    # two active listings, one handled outside the center: 1/2
    assert value(w, "entry_rate") == 50.0


@pytest.mark.django_db
def test_r_sup_2_online_rate_counts_web_cases_without_drafts(w):
    # November received: A, B (web), C, D; E is a draft: 1/4
    assert value(w, "online_rate") == 25.0
    assert value(w, "online_rate", OCT) == 0.0


@pytest.mark.django_db
def test_r_sup_2_on_the_spot_rate_counts_same_day_decisions(w):
    # decided in November: A (same day), B, C: 1/3
    assert value(w, "on_the_spot_rate") == 33.3
    assert value(w, "on_the_spot_rate", OCT) == 100.0


@pytest.mark.django_db
def test_r_sup_2_compression_averages_promised_over_statutory(w):
    # (1 − 3/15) and (1 − 8/20): (0.8 + 0.6) / 2
    assert value(w, "compression") == 70.0


@pytest.mark.django_db
def test_r_sup_2_on_time_rate_counts_decisions_by_the_due_date(w):
    # A (due 11-10, decided 11-03), C (11-20, 11-06) on time; B (11-10, 11-12) late: 2/3
    assert value(w, "on_time_rate") == 66.7
    assert rolled(w.figures, "on_time_rate", [w.linxia_market.pk], NOV).den == 3


@pytest.mark.django_db
def test_r_eval_3_satisfaction_counts_real_reviews_only(w):
    # counted: 5, 4, 3, 1, 2 (default and excluded ones left out): 2/5
    assert value(w, "satisfaction") == 40.0
    assert value(w, "satisfaction", OCT) == 100.0


@pytest.mark.django_db
def test_r_eval_3_rectification_on_time_among_reported(w):
    # two bad reviews rectified, one on time: 1/2
    assert value(w, "rectification_on_time") == 50.0
    assert value(w, "rectification_on_time", OCT) is None  # no data, not zero


@pytest.mark.django_db
def test_r_sup_2_complaints_answered_on_time_without_suggestions(w):
    # answered 11-05, 11-06 by 11-06; 11-09 late; the suggestion does not count: 2/3
    assert value(w, "complaints_on_time") == 66.7


@pytest.mark.django_db
def test_r_sup_2_mailroom_sign_when_the_authorised_window_never_decides(w):
    # November: the clerk may decide 个体工商户登记 on the spot, the approver decided all 3
    assert value(w, "mailroom") == 1
    assert mailroom_matters(w.linxia_market.pk, NOV) == [(w.linxia_center.pk, w.matter.pk)]
    # October: the clerk decided it on the spot
    assert value(w, "mailroom", OCT) == 0


@pytest.mark.django_db
def test_r_sup_2_outside_loop_sign_counts_decisions_without_a_review_trace(w):
    # A: 2 minutes from review to decision, no note; B and C have notes and time: 1
    assert value(w, "outside_loop") == 1
    # October's case was decided on the spot by the window: not a department decision
    assert value(w, "outside_loop", OCT) is None


@pytest.mark.django_db
def test_r_sup_2_a_center_adds_up_its_departments_figures(w):
    both = [w.linxia_market.pk, w.linxia_police.pk]  # the police have no data
    for code in ("on_time_rate", "satisfaction", "online_rate", "mailroom"):
        assert value(w, code, depts=both) == value(w, code)


@pytest.mark.django_db
def test_r_sup_2_two_months_under_threshold_puts_a_department_on_the_talk_list(w):
    depts = Department.objects.filter(pk=w.linxia_market.pk)
    entries = talk_list(depts, NOV)
    codes = {ind.code for ind, _pair in entries[0].reasons}
    # online rate 0% and 25% under the default 30%; on-time 100% in October: not listed
    assert "online_rate" in codes and "on_time_rate" not in codes
    online = dict((i.code, pair) for i, pair in entries[0].reasons)["online_rate"]
    assert [c.value for _m, c in online] == [0.0, 25.0]
    services.threshold_set(
        actor=w.county_admin, center_id=w.linxia_center.pk, indicator="online_rate", value="20"
    )
    entries = talk_list(depts, NOV)
    assert "online_rate" not in {ind.code for ind, _p in entries[0].reasons}
    assert AuditEvent.objects.filter(action="assessment.threshold_set").exists()


@pytest.mark.django_db
def test_r_sup_2_thresholds_are_the_center_admins_and_checked(w):
    with pytest.raises(Forbidden):
        services.threshold_set(
            actor=w.approver, center_id=w.linxia_center.pk, indicator="online_rate", value="20"
        )
    with pytest.raises(NotFound):
        services.threshold_set(
            actor=w.kangle_admin, center_id=w.linxia_center.pk, indicator="online_rate", value="1"
        )
    for bad in ("abc", "-1", "101", "nan"):
        with pytest.raises(InvalidInput):
            services.threshold_set(
                actor=w.county_admin,
                center_id=w.linxia_center.pk,
                indicator="satisfaction",
                value=bad,
            )
    with pytest.raises(InvalidInput):
        services.threshold_set(
            actor=w.county_admin, center_id=w.linxia_center.pk, indicator="nope", value="1"
        )
    assert scope_for(w.county_admin)


@pytest.mark.django_db
def test_r_sup_2_one_statement_gives_every_sources_own_figures(w):
    """The indicators read in one statement (``gathered``) equal each source read on its
    own; folded (the dashboard's sum of the departments), the per-department sums."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from onewindow.oversight.indicators.gathered import all_sources
    from onewindow.oversight.indicators.sources import SOURCES, fold

    ids, months = [w.linxia_market.pk, w.linxia_police.pk], [OCT, NOV]
    with CaptureQueriesContext(connection) as one:
        together = all_sources(ids, months)
    folded = all_sources(ids, months, folded=True)
    assert together["mailroom"] and together["outside_loop"] and together["online_rate"]
    for code, source in SOURCES.items():
        alone = source(ids, months)
        assert together[code] == alone, code
        assert folded[code] == fold(alone), code
    # one statement, plus the catalog's state today for months without a snapshot
    assert len(one.captured_queries) <= 3
