"""Leader duty (R-SUP-1; county leaders R-SUP-3): rosters, sign-in by the desk's QR code
or at the admin desk, problems with owners and working-day deadlines, walks, and the
quarter's compliance checked against hand counts."""

from __future__ import annotations

from datetime import date

import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse

from onewindow.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from onewindow.core.scope import scope_for
from onewindow.oversight import services
from onewindow.oversight.models import DutyKind
from onewindow.oversight.selectors import duty as sel
from tests.oversight.conftest import at

pytestmark = pytest.mark.django_db

Q3 = dict(year=2026, quarter=3)
AFTER_Q3 = date(2026, 10, 10)


def _post(n, user, kind, center=None):
    return services.duty_post_add(
        actor=n.county_admin if center is None else n.kangle_admin,
        center_id=(center or n.linxia_center).pk,
        leader_id=user.staff_profile.pk,
        kind=kind,
        now=at(2026, 6, 1),
    )


def _sit(n, post, start, end, admin=None):
    admin = admin or n.county_admin
    services.duty_sign_at_desk(actor=admin, post_id=post.pk, now=start)
    services.duty_sign_at_desk(actor=admin, post_id=post.pk, now=end)


def _row(report, post):
    return next(r for r in report.leaders if r.post.pk == post.pk)


def test_r_sup_1_head_with_one_and_a_half_days_is_flagged(world):
    n = world
    short = _post(n, n.market_head, DutyKind.HEAD)
    enough = _post(n, n.police_head, DutyKind.HEAD)
    _sit(n, short, at(2026, 7, 6, 9), at(2026, 7, 6, 17))  # 8 h: a full day
    _sit(n, short, at(2026, 8, 3, 9), at(2026, 8, 3, 14))  # 5 h: a half day
    _sit(n, enough, at(2026, 7, 7, 8, 30), at(2026, 7, 7, 16))  # 7.5 h: a full day
    _sit(n, enough, at(2026, 9, 1, 9), at(2026, 9, 1, 12))  # 3 h ...
    _sit(n, enough, at(2026, 9, 1, 13), at(2026, 9, 1, 17))  # ... + 4 h the same day: full
    _sit(n, enough, at(2026, 6, 30, 9), at(2026, 6, 30, 17))  # in Q2: not counted

    report = sel.quarter_compliance(scope=scope_for(n.county_admin), today=AFTER_Q3, **Q3)
    a, b = _row(report, short).result, _row(report, enough).result
    assert (a.days, a.done, a.required, a.hours) == (1.5, 1, 2, 13.0)
    assert a.short and a.flagged
    assert (b.days, b.done, b.hours) == (2.0, 2, 14.5)
    assert not b.short and not b.flagged
    by_dept = {d.department.pk: d for d in report.departments}
    assert (by_dept[n.linxia_market.pk].leaders, by_dept[n.linxia_market.pk].flagged) == (1, 1)
    assert by_dept[n.linxia_police.pk].flagged == 0

    # during the quarter the same shortfall is not yet final
    during = sel.quarter_compliance(scope=scope_for(n.county_admin), today=date(2026, 8, 20), **Q3)
    assert _row(during, short).result.short and not _row(during, short).result.flagged

    # the page shows the rule and the flag
    client = Client()
    client.force_login(n.county_admin)
    page = client.get(reverse("oversight:duty_compliance"), {"q": "2026Q3"}).content.decode()
    assert "满7小时为1天" in page and "未达标" in page and "1.5 天" in page


def test_r_sup_1_deputy_needs_a_half_day_in_every_working_week(world):
    n = world
    deputy = _post(n, n.market_deputy, DutyKind.DEPUTY)
    for day in (6, 13, 20, 27):  # every Monday of July, 4.5 h
        _sit(n, deputy, at(2026, 7, day, 8, 30), at(2026, 7, day, 13))
    _sit(n, deputy, at(2026, 8, 3, 9), at(2026, 8, 3, 12))  # 3 h: less than half a day
    report = sel.quarter_compliance(scope=scope_for(n.county_admin), today=AFTER_Q3, **Q3)
    r = _row(report, deputy).result
    # Q3 2026 runs Wed 1 Jul .. Wed 30 Sep: ISO weeks 27..40, each with working days
    assert (r.done, r.required, r.unit) == (4, 14, "周")
    assert r.flagged
    # on Wed 15 Jul the weeks due are the ones over (27: 1-3 Jul, none; 28: met) and the
    # current one once met (29: Mon 13 Jul)
    mid = sel.quarter_compliance(scope=scope_for(n.county_admin), today=date(2026, 7, 15), **Q3)
    m = _row(mid, deputy).result
    assert (m.done, m.required) == (2, 3) and m.short and not m.flagged
    # on Sun 12 Jul: weeks 27 and 28 are over (28 met, the Sunday itself not yet over)
    early = sel.quarter_compliance(scope=scope_for(n.county_admin), today=date(2026, 7, 12), **Q3)
    assert (_row(early, deputy).result.done, _row(early, deputy).result.required) == (1, 2)


def test_r_sup_1_qr_sign_in_only_at_the_leaders_center_with_a_fresh_code(world, monkeypatch):
    n = world
    post = _post(n, n.market_head, DutyKind.HEAD)
    token = services.desk_token(n.linxia_center)
    sitting, signed_in = services.duty_sign_by_qr(
        actor=n.market_head, token=token, now=at(2026, 7, 6, 9)
    )
    assert signed_in and sitting.post == post and sitting.in_via == "qr"
    sitting, signed_in = services.duty_sign_by_qr(
        actor=n.market_head, token=token, now=at(2026, 7, 6, 13)
    )
    assert not signed_in and sitting.hours == 4.0
    # another center's desk: not on its roster
    with pytest.raises(Forbidden):
        services.duty_sign_by_qr(actor=n.market_head, token=services.desk_token(n.kangle_center))
    # a forged code, an old code
    with pytest.raises(NotFound):
        services.duty_sign_by_qr(actor=n.market_head, token=token + "x")
    real = signing.time.time
    monkeypatch.setattr(signing.time, "time", lambda: real() - 16 * 60)
    old = services.desk_token(n.linxia_center)
    monkeypatch.setattr(signing.time, "time", real)
    with pytest.raises(InvalidInput) as err:
        services.duty_sign_by_qr(actor=n.market_head, token=old)
    assert err.value.code == "duty.qr_expired"
    # a clerk is on no roster
    with pytest.raises(Forbidden):
        services.duty_sign_by_qr(actor=n.clerk, token=token)


def test_r_sup_1_qr_page_signs_in_through_the_phone(world):
    n = world
    _post(n, n.market_head, DutyKind.HEAD)
    client = Client()
    client.force_login(n.county_admin)
    desk = client.get(reverse("oversight:duty_desk", args=[n.linxia_center.pk]))
    assert desk.status_code == 200 and b"<svg" in desk.content
    url = reverse("oversight:duty_sign", args=[services.desk_token(n.linxia_center)])
    phone = Client()
    assert phone.get(url).status_code == 302  # signs in first
    phone.force_login(n.market_head)
    assert "签到" in phone.get(url).content.decode()
    phone.post(url)
    post = sel.my_posts(user=n.market_head).get()
    assert sel.open_sitting_of(post) is not None
    assert "签退" in phone.get(url).content.decode()


def test_r_sup_1_problem_has_owner_and_working_day_deadline_and_turns_overdue(world):
    n = world
    _post(n, n.market_head, DutyKind.HEAD)
    owner = n.chief_rep.staff_profile
    p = services.duty_problem_record(
        actor=n.market_head,
        center_id=n.linxia_center.pk,
        description="窗口材料清单与指南不一致",
        fix_planned="核对并更新窗口清单",
        owner_id=owner.pk,
        working_days=3,
        now=at(2026, 7, 10, 10),  # a Friday
    )
    assert p.deadline == date(2026, 7, 15)  # Mon 13, Tue 14, Wed 15
    assert p.owner == owner and p.department == n.linxia_market
    admin_rows = sel.problems(
        scope=scope_for(n.county_admin), today=date(2026, 7, 16), state="overdue"
    )
    assert [r.problem.pk for r in admin_rows] == [p.pk] and admin_rows[0].overdue
    assert sel.problems(scope=scope_for(n.kangle_admin), today=date(2026, 7, 16), state="all") == []
    # an owner outside the center is refused; nothing is written
    with pytest.raises(InvalidInput):
        services.duty_problem_record(
            actor=n.market_head,
            center_id=n.linxia_center.pk,
            description="x",
            fix_planned="y",
            owner_id=n.kangle_admin.staff_profile.pk,
            working_days=3,
        )
    with pytest.raises(InvalidInput):
        services.duty_problem_close(actor=n.chief_rep, problem_id=p.pk, result="  ")
    with pytest.raises(NotFound):  # another department's approver does not see it
        services.duty_problem_close(actor=n.police_approver, problem_id=p.pk, result="已改")
    with pytest.raises(Forbidden):  # a supervisor sees it and only reads
        services.duty_problem_close(actor=n.county_supervisor, problem_id=p.pk, result="已改")
    # the owner sees the item on their list; another department's approver does not
    owner_client, other_client = Client(), Client()
    owner_client.force_login(n.chief_rep)
    other_client.force_login(n.police_approver)
    url = reverse("oversight:duty_problems")
    assert "窗口材料清单与指南不一致" in owner_client.get(url).content.decode()
    page = other_client.get(url)
    assert page.status_code == 200 and "窗口材料清单与指南不一致" not in page.content.decode()
    closed = services.duty_problem_close(
        actor=n.chief_rep, problem_id=p.pk, result="清单已更新", now=at(2026, 7, 17, 9)
    )
    [row] = sel.problems(scope=scope_for(n.county_admin), today=date(2026, 7, 20), state="closed")
    assert row.problem == closed and row.closed_late and row.state_label == "逾期办结"


def test_r_sup_1_walk_the_process_is_recorded(world):
    n = world
    post = _post(n, n.market_head, DutyKind.HEAD)
    walk = services.process_walk_record(
        actor=n.market_head,
        center_id=n.linxia_center.pk,
        subject="个体工商户设立登记",
        findings="取号到出照用时40分钟，材料一次收齐",
        minutes=40,
        now=at(2026, 7, 6, 11),
    )
    assert walk.post == post and walk.walked_on == date(2026, 7, 6)
    assert list(sel.walks(scope=scope_for(n.county_supervisor), center=n.linxia_center)) == [walk]
    assert list(sel.walks(scope=scope_for(n.kangle_admin))) == []
    with pytest.raises(Forbidden):
        services.process_walk_record(
            actor=n.police_head, center_id=n.kangle_center.pk, subject="a", findings="b"
        )


def test_r_sup_1_a_county_sees_only_its_own_duty(world):
    n = world
    _post(n, n.market_head, DutyKind.HEAD)
    kangle = _post(n, n.kangle_head, DutyKind.HEAD, center=n.kangle_center)
    report = sel.quarter_compliance(scope=scope_for(n.county_admin), today=AFTER_Q3, **Q3)
    assert kangle.pk not in {r.post.pk for r in report.leaders}
    kreport = sel.quarter_compliance(scope=scope_for(n.kangle_admin), today=AFTER_Q3, **Q3)
    assert [r.post.pk for r in kreport.leaders] == [kangle.pk]
    client = Client()
    client.force_login(n.kangle_admin)
    url = reverse("oversight:duty_roster")
    assert client.get(url, {"center": n.linxia_center.pk}).status_code == 404
    assert client.get(reverse("oversight:duty_desk", args=[n.linxia_center.pk])).status_code == 404
    with pytest.raises(NotFound):
        services.duty_sign_at_desk(actor=n.kangle_admin, post_id=report.leaders[0].post.pk)
    # a supervisor reads in scope, and may not change anything
    sup = Client()
    sup.force_login(n.county_supervisor)
    page = sup.get(url, {"center": n.linxia_center.pk}).content.decode()
    assert "market_head" in page and "登记签到/签退" not in page
    with pytest.raises(Forbidden):
        services.duty_sign_at_desk(actor=n.county_supervisor, post_id=report.leaders[0].post.pk)
    # a clerk does not see the duty pages at all
    clerk = Client()
    clerk.force_login(n.clerk)
    assert clerk.get(url).status_code == 404


def test_r_sup_1_roster_takes_only_heads_of_departments_at_the_center(world):
    n = world
    with pytest.raises(InvalidInput):  # a clerk is not a department head
        _post(n, n.clerk, DutyKind.HEAD)
    with pytest.raises(InvalidInput):  # the prefecture's market leader sits elsewhere
        _post(n, n.pref_market_leader, DutyKind.HEAD)
    _post(n, n.market_head, DutyKind.HEAD)
    with pytest.raises(Conflict):
        _post(n, n.market_head, DutyKind.DEPUTY)


def test_r_sup_3_county_leader_duty_where_the_county_adopts_it(world):
    n = world
    with pytest.raises(Conflict) as err:
        _post(n, n.county_leader, DutyKind.COUNTY)
    assert err.value.code == "duty.county_not_adopted"
    services.county_duty_set(
        actor=n.county_admin, region_id=n.linxia.pk, adopted=True, half_days_per_quarter=4
    )
    with pytest.raises(NotFound):  # another county's admin cannot set Linxia's
        services.county_duty_set(
            actor=n.kangle_admin, region_id=n.linxia.pk, adopted=False, half_days_per_quarter=4
        )
    post = _post(n, n.county_leader, DutyKind.COUNTY)
    assert post.department is None
    _sit(n, post, at(2026, 7, 8, 9), at(2026, 7, 8, 17))  # 8 h: two half days
    _sit(n, post, at(2026, 8, 12, 9), at(2026, 8, 12, 13, 30))  # 4.5 h: one
    _sit(n, post, at(2026, 9, 9, 9), at(2026, 9, 9, 11))  # 2 h: none
    report = sel.quarter_compliance(scope=scope_for(n.county_admin), today=AFTER_Q3, **Q3)
    r = _row(report, post).result
    assert (r.done, r.required, r.unit) == (3, 4, "个半天") and r.flagged
    _sit(n, post, at(2026, 9, 16, 14), at(2026, 9, 16, 18))  # 4 h: one more
    r = _row(
        sel.quarter_compliance(scope=scope_for(n.county_admin), today=AFTER_Q3, **Q3), post
    ).result
    assert (r.done, r.flagged) == (4, False)
    # the county's leaders sit only at their own county's center
    services.county_duty_set(
        actor=n.kangle_admin, region_id=n.kangle.pk, adopted=True, half_days_per_quarter=4
    )
    with pytest.raises(InvalidInput):
        _post(n, n.county_leader, DutyKind.COUNTY, center=n.kangle_center)


def test_r_sup_1_bad_input_answers_a_message_never_a_server_error(world):
    n = world
    post = _post(n, n.market_head, DutyKind.HEAD)
    admin, leader = Client(), Client()
    admin.force_login(n.county_admin)
    leader.force_login(n.market_head)
    bad = ["abc", "9" * 40, "-1", "", "\x00"]
    for value in bad:
        for client, name, data in (
            (
                admin,
                "oversight:duty_roster_add",
                {"center": value, "leader": value, "kind": "head"},
            ),
            (admin, "oversight:duty_county_set", {"region": value, "half_days": value}),
            (leader, "oversight:duty_problem_record", {"center": value, "owner": value}),
            (
                leader,
                "oversight:duty_walk_record",
                {"center": n.linxia_center.pk, "minutes": value},
            ),
            (admin, "oversight:facility_add", {"zone": value, "kind": "water"}),
            (admin, "oversight:facility_fault_report", {"facility": value}),
            (admin, "oversight:guidance_record", {"center": value, "asked": "m" + value}),
        ):
            assert client.post(reverse(name), data).status_code < 500
        for url in ("oversight:duty_roster", "oversight:facilities", "oversight:guidance_figures"):
            assert admin.get(reverse(url), {"center": value, "month": value}).status_code < 500
        assert admin.get(reverse("oversight:duty_compliance"), {"q": value}).status_code == 200
    url = reverse("oversight:duty_sitting_close", args=[post.pk])
    for value in ("2026-13-01T10:00", "2026-07-06T17:00+08:00", "x"):
        assert admin.post(url, {"ended_at": value}).status_code < 500
    assert post.sittings.count() == 0 and post.problems.count() == 0
