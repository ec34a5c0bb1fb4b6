"""The assessment of lower levels and the red and black list (R-SUP-3): a county's score
against a hand count of its indicators and coverage under given weights, the coverage
counts, the weights' validation, the fixed published list, the public page and scope.

The world is ``world.py`` (临夏县市场监督管理局's October and November 2026) with the
network's gaps added here:

- 临夏县: the county (center with clerk, agent, chief rep), 韩集镇 (center, a clerk,
  hours published), 韩集村 (a point, nobody, no hours, no activity), 土桥镇 (no center),
  阳洼山村 under 韩集镇 (no point): places 5, centers 3;
- 康乐县: the county (center, only its administrator and a leader) and 附城镇 (center,
  nobody): places 2, centers 2, no departments' data in November.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.test import override_settings
from django.urls import reverse

from onewindow.core.audit import AuditEvent
from onewindow.core.errors import InvalidInput, NotFound
from onewindow.core.scope import Scope
from onewindow.org import services as org_services
from onewindow.org.models import Center, Level, StaffProfile
from onewindow.oversight import levels_rule as rule
from onewindow.oversight import services
from onewindow.oversight.models import LevelWeights, RedBlackEntry, RedBlackList
from onewindow.oversight.selectors import levels as sel
from onewindow.oversight.selectors.levels_coverage import coverage
from tests.conftest import PASSWORD
from tests.oversight.world import NOV, OCT, build

FAST = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# on-time 40, satisfaction 20, coverage 20 + 10 + 10; the rest 0
WEIGHTS = {code: 0 for code in rule.DEFAULT_WEIGHTS}
WEIGHTS.update(
    on_time_rate=40, satisfaction=20, coverage_sites=20, coverage_staffed=10, coverage_open=10
)


@pytest.fixture(scope="module")
def w(django_db_setup, django_db_blocker):
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=FAST),
        transaction.atomic(),
    ):
        User = get_user_model()
        root = User.objects.create_superuser("root", password=PASSWORD, full_name="系统管理员")
        n = build(root)
        StaffProfile.objects.update(posting_started=dt.date(2026, 1, 1))
        rc = org_services.region_create
        n.tuqiao = rc(
            actor=root, code="622921101", name="土桥镇", level=Level.TOWNSHIP, parent=n.linxia
        )
        n.yangwa = rc(
            actor=root, code="622921100202", name="阳洼山村", level=Level.VILLAGE, parent=n.hanji
        )
        Center.objects.filter(pk=n.hanji_center.pk).update(hours="周一至周五 9:00-17:00")
        Center.objects.exclude(pk=n.hanji_center.pk).update(hours="")
        services.level_weights_set(
            actor=n.pref_admin, region_id=n.pref.pk, year=2026, weights=WEIGHTS, annual_points=5
        )
        yield n
        transaction.set_rollback(True)


def _score(w, unit, month=NOV):
    return sel.scores(w.pref, [month], [unit])[(unit.pk, month)]


@pytest.mark.django_db
def test_r_sup_3_county_score_is_the_hand_count_of_its_indicators_and_coverage(w):
    row = _score(w, w.linxia)
    parts = {p.measure.code: p for p in row.parts}
    # on time 2/3 = 66.7%: 40 × (66.7 − 60) ÷ (95 − 60) = 7.66
    assert parts["on_time_rate"].value == 66.7 and parts["on_time_rate"].points == 7.66
    # satisfaction 2/5 = 40%, under its zero line 60: 0 of 20
    assert parts["satisfaction"].value == 40.0 and parts["satisfaction"].points == 0
    # sites 3/5 → 20 × 0.6 = 12; staffed 2/3 → 10 × 0.667 = 6.67; open 2/3 → 6.67
    assert (parts["coverage_sites"].figure.num, parts["coverage_sites"].figure.den) == (3, 5)
    assert parts["coverage_sites"].points == 12
    assert parts["coverage_staffed"].points == 6.67 and parts["coverage_open"].points == 6.67
    # every weighted measure has data: (7.66 + 0 + 12 + 6.67 + 6.67) ÷ 100 × 100 = 33.0
    assert row.score == 33.0
    # 5 of the annual target assessment's 100 points: 33.0 × 5 ÷ 100
    assert row.annual == 1.65


@pytest.mark.django_db
def test_r_sup_3_a_measure_without_data_is_left_out_and_the_score_scaled(w):
    row = _score(w, w.kangle)
    parts = {p.measure.code: p for p in row.parts}
    assert parts["on_time_rate"].points is None and parts["satisfaction"].points is None
    # sites 2/2 → 20; staffed 0/2 (an administrator and a leader are not front office)
    # → 0; open 0/2 → 0; over the 40 points with data: 100 × 20 ÷ 40 = 50.0
    assert row.score == 50.0


@pytest.mark.django_db
def test_r_sup_3_coverage_counts_township_without_center_village_without_point_point_without_staff(
    w,
):
    cov = coverage([w.linxia], [NOV])[(w.linxia.pk, NOV)]
    assert len(cov.places) == 5 and len(cov.centers) == 3
    assert sorted(r.name for r in cov.without_center) == ["土桥镇", "阳洼山村"]
    assert [c.name for c in cov.unstaffed] == ["韩集村代办点"]
    # the county center has no hours on record but cases in November; 韩集镇 its hours
    assert [c.name for c in cov.closed] == ["韩集村代办点"]
    # the county scores its townships: 韩集镇 = 韩集镇, 韩集村, 阳洼山村; 土桥镇 nothing
    town = coverage([w.hanji, w.tuqiao], [NOV])
    assert town[(w.hanji.pk, NOV)].figures["coverage_sites"].num == 2
    assert town[(w.hanji.pk, NOV)].figures["coverage_sites"].den == 3
    assert town[(w.tuqiao.pk, NOV)].figures["coverage_sites"].num == 0
    assert town[(w.tuqiao.pk, NOV)].figures["coverage_staffed"].den == 0


@pytest.mark.django_db
def test_r_sup_3_an_agent_counts_from_the_month_their_posting_starts(w):
    with transaction.atomic():
        org_services.staff_create(
            actor=w.root,
            username="village_agent",
            full_name="代办员甲",
            password=None,
            roles={"agent"},
            staff_no="L0001",
            center=w.village_point,
            posting_started=dt.date(2026, 11, 20),
        )
        found = coverage([w.linxia], [OCT, NOV])
        assert [c.name for c in found[(w.linxia.pk, OCT)].unstaffed] == ["韩集村代办点"]
        assert found[(w.linxia.pk, NOV)].unstaffed == []
        transaction.set_rollback(True)


@pytest.mark.django_db
def test_r_sup_3_weights_not_summing_to_100_are_refused_in_chinese_and_nothing_changes(w, client):
    before = LevelWeights.objects.get(region=w.pref, year=2026).weights
    bad = {**WEIGHTS, "on_time_rate": 39}
    with pytest.raises(InvalidInput) as exc:
        services.level_weights_set(
            actor=w.pref_admin, region_id=w.pref.pk, year=2026, weights=bad, annual_points=5
        )
    assert exc.value.message == "各项权重之和须为100分，现为99分。"
    client.force_login(w.pref_admin)
    url = f"{reverse('oversight:levels_weights')}?region={w.pref.pk}&year=2026"
    response = client.post(url, {**bad, "annual_points": "5"})
    assert response.status_code == 400
    assert "各项权重之和须为100分，现为99分。" in response.content.decode()
    assert LevelWeights.objects.get(region=w.pref, year=2026).weights == before
    # the county's administrator cannot set the prefecture's weights
    with pytest.raises(NotFound):
        services.level_weights_set(
            actor=w.county_admin, region_id=w.pref.pk, year=2026, weights=WEIGHTS, annual_points=5
        )
    assert not LevelWeights.objects.filter(region=w.linxia).exists()


@pytest.mark.django_db
def test_r_sup_3_the_published_list_stays_fixed_after_new_data(w):
    with transaction.atomic():
        first = services.red_black_publish(actor=w.pref_admin, region_id=w.pref.pk, month=NOV)
        entries = list(first.entries.values_list("region__name", "rank", "score", "mark"))
        # both counties under the floor of 60: black, ranked 康乐县 50.0, 临夏县 33.0
        assert [(e[0], e[1], float(e[2]), e[3]) for e in entries] == [
            ("康乐县", 1, 50.0, "black"),
            ("临夏县", 2, 33.0, "black"),
        ]
        # new data: 韩集村's point gets an agent, 康乐县's centers their hours
        org_services.staff_create(
            actor=w.root,
            username="late_agent",
            full_name="代办员乙",
            password=None,
            roles={"agent"},
            staff_no="L0002",
            center=w.village_point,
            posting_started=dt.date(2026, 1, 1),
        )
        Center.objects.filter(region__path__startswith=w.kangle.path).update(hours="9:00-17:00")
        assert _score(w, w.linxia).score != 33.0
        again = services.red_black_publish(actor=w.pref_admin, region_id=w.pref.pk, month=NOV)
        assert again.pk == first.pk
        assert list(again.entries.values_list("region__name", "rank", "score", "mark")) == entries
        assert RedBlackList.objects.count() == 1 and RedBlackEntry.objects.count() == 2
        assert AuditEvent.objects.filter(action="levels.red_black_publish").count() == 1
        transaction.set_rollback(True)


@pytest.mark.django_db
def test_r_sup_3_an_unfinished_month_is_refused(w):
    running = sel.last_finished_month() + dt.timedelta(days=40)
    with pytest.raises(InvalidInput) as exc:
        services.red_black_publish(actor=w.pref_admin, region_id=w.pref.pk, month=running)
    assert "尚未结束" in exc.value.message
    assert not RedBlackList.objects.exists()


@pytest.mark.django_db
def test_r_sup_3_red_and_black_by_rank_floor_and_ties():
    ranked = rule.rank([("a", 90, "1"), ("b", 70, "2"), ("c", 55, "3"), ("d", None, "4")], 1, 60)
    assert [(r.key, r.rank, r.mark) for r in ranked] == [
        ("a", 1, "red"),
        ("b", 2, ""),
        ("c", 3, "black"),
        ("d", 4, "black"),
    ]
    # equal scores share a rank: never one red and the other black
    tied = rule.rank([("a", 100, "1"), ("b", 100, "2"), ("c", 88, "3"), ("d", 88, "4")], 1, 60)
    assert [(r.key, r.rank, r.mark) for r in tied] == [
        ("a", 1, "red"),
        ("b", 1, "red"),
        ("c", 3, "black"),
        ("d", 3, "black"),
    ]


@pytest.mark.django_db
def test_r_sup_3_public_page_shows_only_published_months_and_no_personal_data(w, client):
    with transaction.atomic():
        services.red_black_publish(actor=w.pref_admin, region_id=w.pref.pk, month=NOV)
        services.red_black_publish(actor=w.county_admin, region_id=w.linxia.pk, month=NOV)
        page = client.get(reverse("oversight:red_black_list")).content.decode()
        assert "2026年11月" in page and "2026年10月" not in page
        assert "康乐县" in page and "韩集镇" in page and "土桥镇" in page
        for person in StaffProfile.objects.select_related("user"):
            assert person.user.full_name not in page and person.staff_no not in page
        # an unpublished month falls back to the latest published one
        october = client.get(reverse("oversight:red_black_list") + "?month=2026-10")
        text = october.content.decode()
        assert 'value="2026-10"' not in text and '<option value="2026-11" selected>' in text
        home = client.get(reverse("home")).content.decode()
        assert reverse("oversight:red_black_list") in home
        transaction.set_rollback(True)
    empty = client.get(reverse("oversight:red_black_list")).content.decode()
    assert "尚未发布红黑榜" in empty


@pytest.mark.django_db
def test_r_sup_3_a_county_sees_its_townships_only(w, client):
    client.force_login(w.county_admin)
    page = client.get(reverse("oversight:levels") + "?month=2026-11").content.decode()
    assert "韩集镇" in page and "土桥镇" in page and "附城镇" not in page and "康乐县" not in page
    assert client.get(f"{reverse('oversight:levels')}?region={w.kangle.pk}").status_code == 404
    for unit in (w.fucheng, w.linxia, w.kangle):
        assert client.get(reverse("oversight:levels_unit", args=[unit.pk])).status_code == 404
    assert client.get(reverse("oversight:levels_unit", args=[w.hanji.pk])).status_code == 200
    # the prefecture sees every county, and drills from a county's score to its indicators
    client.force_login(w.pref_admin)
    page = client.get(reverse("oversight:levels") + "?month=2026-11").content.decode()
    assert "临夏县" in page and "康乐县" in page
    unit = client.get(reverse("oversight:levels_unit", args=[w.linxia.pk]) + "?month=2026-11")
    text = unit.content.decode()
    assert "33.0" in text and "按时办结率" in text and "66.7%" in text and "土桥镇" in text
    # a township's clerk has no page; a township's administrator nothing to assess
    client.force_login(w.township_clerk)
    assert client.get(reverse("oversight:levels")).status_code == 404
    assert sel.assessors(scope=Scope(region_paths=frozenset({w.hanji.path}))) == []
