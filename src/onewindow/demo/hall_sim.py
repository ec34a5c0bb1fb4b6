"""One simulated day of a demo hall (pure: no Django): who came when, inside the
day's opening periods, and which window called and served them. ``hall_loader``
turns the result into the month of simulated tickets."""

from __future__ import annotations

import bisect
import math
import random
from dataclasses import dataclass
from datetime import time

from onewindow.demo import hall_data as hd
from onewindow.hall import states


@dataclass
class SimTicket:
    letter: str  # the category taken
    queue: str  # the category it waits in (changes on transfer)
    arrival: int  # seconds after midnight
    priority: str = ""
    channel: str = "terminal"
    number: int = 0
    state: str = states.WAITING
    called: int | None = None
    served: int | None = None
    finished: int | None = None
    no_show: int | None = None
    wait: int | None = None
    window: int | None = None  # number of the window that last called it
    recalls: int = 0
    calls: int = 0
    transfers: int = 0


def seconds_of_day(t: time) -> int:
    return t.hour * 3600 + t.minute * 60 + t.second


def _poisson(rng: random.Random, lam: float) -> int:
    if lam <= 0:
        return 0
    if lam > 30:  # normal approximation
        return max(0, round(rng.gauss(lam, math.sqrt(lam))))
    limit, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def _pick(rng: random.Random, weighted) -> str:
    items = list(weighted)
    total = sum(w for _, w in items)
    x = rng.random() * total
    for value, w in items:
        x -= w
        if x < 0:
            return value
    return items[-1][0]


def simulate_day(
    rng: random.Random,
    *,
    expected: float,
    windows: dict[int, str],
    mix: dict[str, float],
    service_minutes: dict[str, float],
    periods: tuple[tuple[int, int], ...] = ((9 * 3600, 12 * 3600), (14 * 3600, 17 * 3600)),
) -> list[SimTicket]:
    """One day of a hall: who came when, and which window called and served them.

    ``windows`` maps window numbers to the letters they serve; ``mix`` the letters'
    shares of arrivals (only letters some window serves are drawn); ``periods`` the
    day's opening periods (seconds after midnight), the only times people take tickets.
    Windows call from the first opening, finish the morning queue, break for lunch,
    call again from the afternoon opening until nobody waits; each calls the green
    channel first, then by arrival."""
    served_letters = {c for letters in windows.values() for c in letters}
    mix = {k: v for k, v in mix.items() if k in served_letters and v > 0}
    if not mix or not windows:
        return []
    if not periods:
        return []
    # arrivals by half hour, inside the opening periods only
    bins = []
    for t, w in hd.ARRIVALS:
        start = seconds_of_day(t)
        for opens, closes in periods:
            lo, hi = max(start, opens), min(start + 1800, closes)
            if lo < hi:
                bins.append((lo, hi, w * (hi - lo) / 1800))
    total = sum(w for _, _, w in bins) or 1.0
    tickets: list[SimTicket] = []
    for start, end, w in bins:
        for _ in range(_poisson(rng, expected * w / total)):
            letter = _pick(rng, mix.items())
            t = SimTicket(
                letter=letter,
                queue=letter,
                arrival=rng.randrange(start, end),
                channel=_pick(rng, hd.CHANNELS),
            )
            if rng.random() < hd.PRIORITY_RATE:
                t.priority = rng.choice(hd.PRIORITY_REASONS)
            tickets.append(t)
    tickets.sort(key=lambda t: t.arrival)
    numbers: dict[str, int] = {}
    for t in tickets:
        numbers[t.letter] = numbers.get(t.letter, 0) + 1
        t.number = numbers[t.letter]

    waiting: dict[str, list[tuple[int, int, SimTicket]]] = {c: [] for c in served_letters}
    for i, t in enumerate(tickets):
        if rng.random() < hd.CANCEL_RATE:
            t.state = states.CANCELLED
            continue
        waiting[t.letter].append((t.arrival, i, t))

    noon = periods[0][1]
    afternoon = periods[1][0] if len(periods) > 1 else noon

    def adjust(moment: float) -> float:
        return afternoon if noon <= moment < afternoon else moment

    free = {w: float(periods[0][0]) for w in windows}
    transfer_to = [c for c in "ABCD" if c in served_letters]
    while True:
        number = min(free, key=lambda w: (free[w], w))
        now = free[number]
        if now == math.inf:
            break
        lunch = noon <= now < afternoon
        best = None
        next_arrival = math.inf
        for letter in windows[number]:
            for arrival, i, t in waiting[letter]:
                if arrival > now:
                    next_arrival = min(next_arrival, arrival)
                    break
                if lunch and arrival >= noon:
                    next_arrival = min(next_arrival, afternoon)
                    break
                key = (0 if t.priority else 1, arrival, i)
                if best is None or key < best[0]:
                    best = (key, letter, t)
        if best is None:
            free[number] = adjust(next_arrival) if next_arrival != math.inf else math.inf
            continue
        _, letter, t = best
        queue = waiting[letter]
        queue.pop(next(k for k, item in enumerate(queue) if item[2] is t))
        now = int(math.ceil(now))
        if t.wait is None:
            t.wait = now - t.arrival
        t.called, t.window = now, number
        t.calls += 1
        roll = rng.random()
        if roll < hd.NO_SHOW_RATE:
            t.recalls = rng.randint(1, 2)
            t.calls += t.recalls
            t.no_show = now + 60 * t.recalls + rng.randint(10, 60)
            t.state = states.NO_SHOW
            free[number] = t.no_show + 5
        elif roll < hd.NO_SHOW_RATE + hd.TRANSFER_RATE and not t.transfers and len(transfer_to) > 1:
            t.transfers = 1
            t.queue = rng.choice([c for c in transfer_to if c != t.queue])
            bisect.insort(waiting[t.queue], (t.arrival, tickets.index(t), t))
            free[number] = now + rng.randint(90, 300)
            for other, letters in windows.items():  # wake a window that had finished its day
                if t.queue in letters and free[other] == math.inf:
                    free[other] = free[number]
        else:
            t.served = now + rng.randint(15, 60)
            median = service_minutes[t.queue] * 60
            t.finished = t.served + max(
                30, round(rng.lognormvariate(math.log(median), hd.SERVICE_SIGMA))
            )
            t.state = states.DONE
            free[number] = t.finished + rng.randint(5, 30)
    return tickets
