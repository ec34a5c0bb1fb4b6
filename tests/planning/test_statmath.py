"""The hall statistics' arithmetic (R-HALL-2, R-HALL-4), without a database."""

from __future__ import annotations

import math

import pytest

from onewindow.planning import statmath


def test_r_hall_2_mean_of_durations_and_none_for_nothing():
    assert statmath.mean([60, 120, 180, 240]) == 150
    assert statmath.mean([]) is None
    assert statmath.mean(x for x in [7]) == 7


def test_r_hall_2_p90_interpolates_between_closest_ranks():
    # rank h = 0.9·(n−1): for 1..10, h = 8.1 → 9 + 0.1·(10 − 9)
    assert statmath.percentile(range(1, 11), 0.9) == pytest.approx(9.1)
    # [60, 120, 180, 240]: h = 2.7 → 180 + 0.7·60 = 222
    assert statmath.percentile([240, 60, 180, 120], 0.9) == pytest.approx(222)
    # two values: h = 0.9 → 30 + 0.9·570 = 543
    assert statmath.percentile([600, 30], 0.9) == pytest.approx(543)
    assert statmath.percentile([42], 0.9) == 42
    assert statmath.percentile([], 0.9) is None


def test_r_hall_2_percentile_ends_and_median():
    values = [5, 1, 3, 2, 4]
    assert statmath.percentile(values, 0) == 1
    assert statmath.percentile(values, 1) == 5
    assert statmath.percentile(values, 0.5) == 3
    assert statmath.percentile([1, 2, 3, 4], 0.5) == 2.5
    with pytest.raises(ValueError):
        statmath.percentile(values, 1.5)


def test_r_hall_2_summary_counts_means_and_p90():
    s = statmath.Summary.of([900, 600, 600])
    assert (s.count, s.mean, s.total) == (3, 700, 2100)
    assert s.p90 == pytest.approx(840)  # h = 1.8 → 600 + 0.8·300
    empty = statmath.Summary.of([])
    assert (empty.count, empty.mean, empty.p90, empty.total) == (0, None, None, 0)


def test_r_hall_4_load_statistics_balance_ratio_to_the_mean_and_flags():
    b = statmath.balance({"w1": 660, "w2": 1500, "w3": 120})
    assert b.mean == pytest.approx(760)
    sd = math.sqrt(((660 - 760) ** 2 + (1500 - 760) ** 2 + (120 - 760) ** 2) / 3)
    assert b.cv == pytest.approx(sd / 760)
    assert [s.key for s in b.shares] == ["w1", "w2", "w3"]
    assert b.share("w1").ratio == pytest.approx(660 / 760) and b.share("w1").flag == statmath.EVEN
    assert b.share("w2").flag == statmath.HIGH
    assert b.share("w3").flag == statmath.LOW
    assert [s.key for s in b.flagged] == ["w2", "w3"]


def test_r_hall_4_load_statistics_balance_flags_only_beyond_thirty_per_cent():
    # mean 100: 130 and 70 sit on the limits, 131 and 69 are beyond them
    b = statmath.balance({"a": 130, "b": 70, "c": 100, "d": 100})
    assert not b.flagged
    b = statmath.balance({"a": 131, "b": 69, "c": 100, "d": 100})
    assert [(s.key, s.flag) for s in b.flagged] == [("a", statmath.HIGH), ("b", statmath.LOW)]


def test_r_hall_4_load_statistics_even_load_has_zero_variation_and_no_load_has_no_ratio():
    even = statmath.balance({1: 50, 2: 50, 3: 50})
    assert even.cv == 0 and not even.flagged
    idle = statmath.balance({1: 0, 2: 0})
    assert idle.mean == 0 and idle.cv is None and all(s.ratio is None for s in idle.shares)
    nothing = statmath.balance({})
    assert nothing.mean is None and nothing.shares == []
