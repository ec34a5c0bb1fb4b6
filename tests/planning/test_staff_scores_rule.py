"""R-STAFF-3 the staff scores' arithmetic (pure, no database): each part against a hand
count, the stars with ties, the red-flag window, the year's quota (normal ratio + the
center's 10–15 extra points)."""

from __future__ import annotations

from onewindow.planning import staff_scores as rule

W = rule.Weights()


def test_r_staff_3_each_part_and_the_total_equal_a_hand_count():
    i = rule.Inputs(
        reviews=4,
        good_reviews=3,
        bad_reviews=1,
        attitude_bad_reviews=1,
        tickets=4,
        service_seconds=1800,
        expected_seconds=2400,
        spot_check_failures=1,
        attendance_kept=True,
        missed_days=9,
    )
    s = rule.score(i, W, median_tickets=3)
    # evaluation 3/4·100 − 5·1 = 70; efficiency mean(speed min(1, 2400/1800)=1,
    # volume min(1, 4/3)=1) = 100; conduct 100 − 10 − 10 − 2·9 = 62
    assert (s.evaluation.score, s.efficiency.score, s.conduct.score) == (70.0, 100.0, 62.0)
    # 0.4·70 + 0.4·100 + 0.2·62 = 80.4
    assert s.total == 80.4
    assert "满意率 3/4=75.0%" in s.evaluation.words
    assert "缺勤 9 个工作日×2" in s.conduct.words


def test_r_staff_3_a_part_without_data_takes_the_no_data_score_and_says_so():
    s = rule.score(rule.Inputs(), W, median_tickets=None)
    assert s.evaluation.no_data and s.efficiency.no_data
    assert (s.evaluation.score, s.efficiency.score, s.conduct.score, s.total) == (
        80.0,
        80.0,
        100.0,
        84.0,
    )
    assert "无评价" in s.evaluation.words


def test_r_staff_3_stars_take_everyone_tied_with_the_last_place():
    pick = rule.best({"a": 90.0, "b": 88.5, "c": 88.5, "d": 70.0}, 2)
    assert pick.winners == ["a", "b", "c"] and pick.tied
    pick = rule.best({"a": 90.0, "b": 88.5, "c": 80.0}, 2)
    assert pick.winners == ["a", "b"] and not pick.tied
    assert rule.best({}, 3).winners == []


def test_r_staff_3_window_score_weighs_staff_by_tickets_and_adds_its_reviews():
    # (80.4·4 + 78.7·1)/5 = 80.06; 0.7·80.06 + 0.3·75 = 78.542
    assert rule.window_score({"c": 4, "r": 1}, {"c": 80.4, "r": 78.7}, 3, 4, 30) == 78.5
    assert rule.window_score({"c": 4}, {"c": 80.4}, 0, 0, 30) == 80.4
    assert rule.window_score({"x": 4}, {"c": 80.4}, 0, 0, 30) is None


def test_r_staff_3_the_quota_is_the_normal_ratio_plus_the_centers_extra_points():
    w = rule.Weights(normal_ratio=20, extra_points=15)
    assert rule.quota(20, w) == 7  # ⌊20 × 35%⌋
    assert rule.quota(5, w) == 1  # ⌊5 × 35%⌋
    grades = {k: rule.COMPETENT for k in range(20)}
    for k in range(7):
        grades[k] = rule.EXCELLENT
    assert rule.over_quota(grades, w) == ""
    grades[7] = rule.EXCELLENT
    message = rule.over_quota(grades, w)
    assert "优秀 8 人，超过本中心优秀名额 7 人" in message and "中心上浮 15 个百分点" in message


def test_r_staff_3_extra_points_must_lie_between_10_and_15():
    assert "extra_points" in rule.Weights(extra_points=16).problems()
    assert "extra_points" in rule.Weights(extra_points=9).problems()
    assert rule.Weights(extra_points=10).problems() == {}
    assert "evaluation" in rule.Weights(evaluation=50).problems()  # 50+40+20 ≠ 100


def test_r_staff_3_the_proposal_stays_within_the_quota_and_holds_back_a_tie_at_its_edge():
    w = rule.Weights(normal_ratio=20, extra_points=10)  # 30%: 10 people → 3
    totals = {f"p{i}": v for i, v in enumerate([95, 93, 90, 90, 88, 80, 75, 72, 65, 50])}
    p = rule.propose(totals, w)
    assert p.quota == 3
    assert [k for k, g in p.grades.items() if g == rule.EXCELLENT] == ["p0", "p1"]
    assert sorted(p.held_back) == ["p2", "p3"]
    assert p.grades["p8"] == rule.BASIC and p.grades["p9"] == rule.INCOMPETENT
    # only those with records of their own are proposed
    p = rule.propose(totals, w, eligible={"p1", "p4", "p5"})
    assert [k for k, g in p.grades.items() if g == rule.EXCELLENT] == ["p1", "p4", "p5"]
