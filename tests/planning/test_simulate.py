"""The hall simulation (R-HALL-4) agrees with Erlang C where Erlang C holds, and
models what it cannot: windows restricted to categories, and the green channel."""

import pytest

from onewindow.planning.erlang import figures
from onewindow.planning.simulate import Demand, simulate

SEEDS = range(1, 9)
HOURS = 40


@pytest.mark.parametrize(
    "per_hour, service_min, windows, within_min",
    [(30, 1.0, 1, 1.0), (60, 1.5, 2, 1.0), (120, 4.0, 10, 2.0), (90, 8.0, 15, 5.0)],
)
def test_r_hall_4_simulation_agrees_with_erlang_c_on_a_single_pool(
    per_hour, service_min, windows, within_min
):
    exact = figures(per_hour, service_min, windows, within_min)
    out = simulate(
        [Demand(per_hour, service_min)],
        [{0}] * windows,
        within_min,
        seeds=SEEDS,
        hours=HOURS,
    )
    assert out.served[0] > len(SEEDS) * HOURS * per_hour * 0.8
    wait, share = out.mean_wait_min[0], out.within[0]
    assert wait.covers(exact["mean_wait_min"]), (wait, exact)
    assert share.covers(exact["within"]), (share, exact)
    # The interval is informative, not vacuous.
    assert wait.half_width < 0.6 * exact["mean_wait_min"]


def test_r_hall_4_windows_restricted_to_one_category_each_are_separate_pools():
    # Category 0 only at window 1, category 1 only at window 2: two M/M/1 queues.
    out = simulate([Demand(30, 1.0), Demand(20, 2.0)], [{0}, {1}], 2.0, seeds=SEEDS, hours=HOURS)
    for i, (lam, s) in enumerate([(30, 1.0), (20, 2.0)]):
        exact = figures(lam, s, 1, 2.0)
        assert out.mean_wait_min[i].covers(exact["mean_wait_min"]), (i, out, exact)
        assert out.within[i].covers(exact["within"]), (i, out, exact)


def test_r_hall_4_green_channel_is_called_first():
    # One busy window; a third of the tickets carry the green channel.
    mixed = simulate([Demand(45, 1.0, priority_share=1 / 3)], [{0}], 2.0, seeds=SEEDS, hours=HOURS)
    everyone = figures(45, 1.0, 1, 2.0)["mean_wait_min"]
    # Same service for all: the priority reorders the queue, the mean wait of all
    # stays that of first come first served (conservation law).
    assert mixed.mean_wait_min[0].covers(everyone)
    # Split the same demand into two categories to read each class's wait.
    split = simulate(
        [Demand(15, 1.0, priority_share=1.0), Demand(30, 1.0)],
        [{0, 1}],
        2.0,
        seeds=SEEDS,
        hours=HOURS,
    )
    green, normal = split.mean_wait_min[0].mean, split.mean_wait_min[1].mean
    assert green < everyone < normal
    # Non-preemptive priority M/M/1 (Cobham): W1 = R/(1-ρ1), W2 = R/((1-ρ1)(1-ρ)),
    # R = λ·E[S²]/2 = 0.75 · 2 / 2 = 0.75 min, ρ1 = 0.25, ρ = 0.75: W1 = 1, W2 = 4.
    assert split.mean_wait_min[0].covers(1.0, slack=0.1)
    assert split.mean_wait_min[1].covers(4.0, slack=0.3)


def test_r_hall_4_a_category_no_window_serves_is_never_called():
    out = simulate([Demand(20, 2.0), Demand(10, 2.0)], [{0}, {0}], 5.0, seeds=(1, 2))
    assert out.served[1] == 0
    assert out.worst_within == 0.0
