"""The day's plan (R-HALL-4): a cost for changing a window between half hours, the
clerks on the roster per half hour, and the evaluation of many set-ups at once giving
the figures of one at a time."""

import itertools
import random

import pytest

from onewindow.planning.day import NO_CHURN, Churn, carried, changes, plan_day
from onewindow.planning.model import Target, evaluate, evaluate_many
from onewindow.planning.simulate import Demand

A, B, C = frozenset({0}), frozenset({1}), frozenset({2})
AB = A | B
# Two half hours that alternate: more A, then more B; 30 people an hour either way.
MORE_A = [Demand(18, 10), Demand(12, 10)]
MORE_B = [Demand(14, 10), Demand(16, 10)]


def test_r_hall_4_changes_count_the_windows_whose_categories_differ():
    assert changes(None, (A, B)) == 0
    assert changes((A, B, AB), (A, AB, AB)) == 1
    assert changes((A, frozenset(), B), (frozenset(), A, B)) == 2  # closed one, opened one


def test_r_hall_4_a_cost_of_change_keeps_windows_from_flipping_every_half_hour():
    day = [MORE_A, MORE_B] * 3
    free = plan_day(day, [AB] * 8, [8] * 6, Target(15, 0.8), churn=NO_CHURN, per_window=1,
                    check=False)  # fmt: skip
    costly = plan_day(day, [AB] * 8, [8] * 6, Target(15, 0.8), churn=Churn(0.02, 30),
                      per_window=1, check=False)  # fmt: skip
    # Without a cost one window moves between A and B at every half hour (5, 3 + 5 for
    # A then 4 + 4); with it, once to 4 + 4 and then never again.
    assert [p.changes for p in free] == [0, 1, 1, 1, 1, 1]
    assert [p.changes for p in costly] == [0, 1, 0, 0, 0, 0]
    assert [sum(1 for s in p.setup if s == A) for p in free] == [5, 4, 5, 4, 5, 4]
    # What it costs: no half hour loses more than the two points a change must buy.
    for f, c in zip(free, costly, strict=True):
        assert c.figures.worst_within >= f.figures.worst_within - 0.02
    assert costly[2].figures.worst_within < free[2].figures.worst_within  # and it is paid


def test_r_hall_4_never_more_open_windows_than_clerks_on_the_roster():
    busy = [Demand(30, 10), Demand(20, 10), Demand(6, 10)]
    allowed = [AB | C] * 10
    plans = plan_day([busy] * 4, allowed, [9, 4, 0, 12], Target(15, 0.8), check=False)
    # Every clerk present is needed (9 erlangs): open = min(clerks, windows).
    assert [sum(1 for s in p.setup if s) for p in plans] == [9, 4, 0, 10]
    assert [p.clerks for p in plans] == [9, 4, 0, 10]
    assert plans[2].figures.worst_within == 0  # the lunch break: nobody serves


def test_r_hall_4_the_previous_plan_is_cut_to_the_roster_and_the_live_categories():
    demands = [Demand(30, 10), Demand(0, 10), Demand(6, 10)]
    before = (A, AB, C, A | C)
    # B has no work: dropped, so (A, A, C, A+C) carrying 300, 300, 60 and 360
    # person-minutes an hour; 2 clerks: the two carrying least (C; the first A) close.
    start = carried(before, demands, [AB | C] * 4, 2)
    assert start == (frozenset(), A, frozenset(), A | C)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_r_hall_4_many_set_ups_at_once_read_as_one_at_a_time(seed):
    rng = random.Random(seed)
    m, n = 5, 7
    demands = [Demand(rng.choice([0, rng.uniform(1, 30)]), rng.uniform(3, 15)) for _ in range(m)]
    subsets = [frozenset(c) for k in range(3) for c in itertools.combinations(range(m), k)]
    setups = [tuple(rng.choice(subsets) for _ in range(n)) for _ in range(40)]
    batch = evaluate_many(demands, setups, 15)
    for b, setup in enumerate(setups):
        one = evaluate(demands, setup, 15)
        assert batch.key(b) == pytest.approx(one.key, rel=1e-9)
        assert batch.figures(b).wait == pytest.approx(one.wait, rel=1e-9)
