"""Erlang C for a pool of identical windows (R-HALL-4), against published M/M/c values.

Published values used (each also checked by hand below):

* M/M/1 (Gross & Harris, *Fundamentals of Queueing Theory*, §2.2): with ρ = λ/μ the
  probability of waiting is ρ and the mean wait in queue ρ/(μ - λ). λ = 30/h, μ = 60/h:
  P(wait) = 0.5, Wq = 0.5 / 30 per hour = 1 minute.
* M/M/2 with λ = μ = 1 per minute (a = 1 erlang; same text, §2.3): p0 = 1/3,
  C(2, 1) = (a²/2!)·(2/(2-1))·p0 = 1/3, Wq = C / (cμ - λ) = 1/3 minute, and the share
  served within 0 minutes is 1 - C = 2/3.
* The Erlang C worked example of Call Centre Helper ("Erlang C formula – made simple"):
  100 calls in 30 minutes (200/h), 180 s handling (a = 10 erlangs), target 20 s.
  With 11 agents the probability of waiting is 68.21 %, the average speed of answer
  122.8 s and the service level 39.0 %; with 14 agents 17.41 %, 7.8 s and 88.8 % (1 - 0.1741·e^(-4·20/180)), and
  14 is the fewest agents for 80 % answered within 20 s.
"""

import math

import pytest

from onewindow.planning.erlang import erlang_b, fewest_windows, fewest_windows_for_mean, figures


def test_r_hall_4_erlang_c_mm1_matches_the_textbook():
    f = figures(30, 1, 1, 0)
    assert f["offered_erlangs"] == pytest.approx(0.5)
    assert f["p_wait"] == pytest.approx(0.5)
    assert f["mean_wait_min"] == pytest.approx(1.0)
    assert f["within"] == pytest.approx(0.5)
    assert f["utilisation"] == pytest.approx(0.5)


def test_r_hall_4_erlang_c_mm2_matches_the_hand_count():
    f = figures(60, 1, 2, 0)
    assert f["p_wait"] == pytest.approx(1 / 3)
    assert f["mean_wait_min"] == pytest.approx(1 / 3)
    assert f["within"] == pytest.approx(2 / 3)
    # P(W > t) = C·exp(-(cμ - λ)t): within one minute 1 - e^-1 / 3.
    assert figures(60, 1, 2, 1)["within"] == pytest.approx(1 - math.exp(-1) / 3)


@pytest.mark.parametrize(
    "windows, p_wait, asa_s, level",
    [(11, 0.6821, 122.8, 0.390), (14, 0.1741, 7.8, 0.888)],
)
def test_r_hall_4_erlang_c_matches_the_published_call_centre_example(windows, p_wait, asa_s, level):
    f = figures(200, 3, windows, 20 / 60)
    assert f["offered_erlangs"] == pytest.approx(10)
    assert f["p_wait"] == pytest.approx(p_wait, abs=5e-4)
    assert f["mean_wait_min"] * 60 == pytest.approx(asa_s, abs=0.1)
    assert f["within"] == pytest.approx(level, abs=1e-3)


def test_r_hall_4_fewest_windows_for_eighty_per_cent_in_twenty_seconds_is_fourteen():
    assert fewest_windows(200, 3, 0.8, 20 / 60) == 14
    assert figures(200, 3, 13, 20 / 60)["within"] < 0.8


def test_r_hall_4_fewest_windows_for_a_mean_wait():
    # M/M/2 above waits 1/3 min; one window is overloaded at a = 1.
    assert fewest_windows_for_mean(60, 1, 0.5) == 2
    assert fewest_windows_for_mean(60, 1, 0.3) == 3


def test_r_hall_4_an_overloaded_pool_never_settles():
    for windows in (0, 5, 10):
        f = figures(200, 3, windows, 15)
        assert f["p_wait"] == 1
        assert f["mean_wait_min"] == math.inf
        assert f["within"] == 0


def test_r_hall_4_nobody_coming_means_nobody_waits():
    f = figures(0, 8, 3, 15)
    assert (f["p_wait"], f["mean_wait_min"], f["within"]) == (0, 0, 1)
    assert fewest_windows(0, 8, 0.8, 15) == 0


def test_r_hall_4_two_hundred_windows_are_numerically_stable():
    # 180 erlangs on 200 windows: a factorial formula overflows (200! ≈ 7.9e374).
    f = figures(6000, 1.8, 200, 1)
    assert 0 < f["p_wait"] < 1
    assert math.isfinite(f["mean_wait_min"])
    # Erlang B recursion agrees with the log-space closed form.
    a, c = 180.0, 200
    log_terms = [k * math.log(a) - math.lgamma(k + 1) for k in range(c + 1)]
    top = max(log_terms)
    closed = math.exp(log_terms[-1] - top) / sum(math.exp(t - top) for t in log_terms)
    assert erlang_b(a, c) == pytest.approx(closed, rel=1e-9)
    # More windows never wait longer.
    waits = [figures(6000, 1.8, c, 1)["mean_wait_min"] for c in range(181, 201)]
    assert waits == sorted(waits, reverse=True)


def test_r_hall_4_bad_input_is_refused():
    with pytest.raises(ValueError):
        figures(-1, 3, 2, 1)
    with pytest.raises(ValueError):
        fewest_windows(10, 3, 1.5, 1)
