"""A morning at the service centers, for locust (``make load`` runs it headless).

Who comes, as locust users, on the world ``prepare.py`` wrote (``LOAD_SETUP``):

- terminals issue tickets (the machine client key), in every center of the shape;
- window clerks, one per bench window, call the next ticket, serve it a few seconds
  and finish it; with nobody waiting they look again a little later;
- intake clerks take a case in through the API (``POST /api/v1/cases/``);
- citizens look up a case's progress (number and phone tail), search the guides and
  open the portal's home page;
- the hall displays poll their feed;
- ``ping`` (``GET /api/v1/hall/ping``) is measured in the same run: the baseline every
  operation's latency is divided by.

``LOAD_SHAPE=county`` drives one county center (the one with the most cases to look
up); ``LOAD_SHAPE=province`` every center of the world at once. The number of users of
each kind is fixed by the shape (``fixed_count``); ``run.py`` starts that many.
"""

from __future__ import annotations

import itertools
import json
import os
import random

from locust import HttpUser, between, task

SETUP = json.loads(open(os.environ["LOAD_SETUP"], encoding="utf-8").read())
SHAPE = os.environ.get("LOAD_SHAPE", "county")


def _shape_centers() -> list[dict]:
    centers = SETUP["centers"]
    if SHAPE == "province":
        return centers
    with_intake = [c for c in centers if c["intake"]] or centers
    return [max(with_intake, key=lambda c: (len(c["lookups"]), -c["center_id"]))]


CENTERS = _shape_centers()
WINDOWS = [(c["center_id"], w) for c in CENTERS for w in c["windows"]]
INTAKE = [(c["center_id"], c["intake"]) for c in CENTERS if c["intake"]]
LOOKUPS = [lookup for c in CENTERS for lookup in c["lookups"]]
_next_window = itertools.cycle(WINDOWS)
_counter = itertools.count()
PER_CENTER = 1 if SHAPE == "province" else 3  # terminals, citizens per center


def counts() -> dict[str, int]:
    """How many users of each kind the shape has (``run.py`` starts their sum)."""
    return {
        "WindowClerk": len(WINDOWS),
        "Terminal": PER_CENTER * len(CENTERS),
        "IntakeClerk": max(1, len(INTAKE) // 2) if SHAPE == "province" else 2,
        # three per center; one per center once a province has grown past 20 centers
        "Citizen": 3 * PER_CENTER * len(CENTERS) if len(CENTERS) <= 20 else len(CENTERS),
        "HallDisplay": len(CENTERS),
        "Pinger": 2,
    }


class Visitor(HttpUser):
    """A user whose failed answers are recorded with their status and error code (the
    API's ``{"code", "message"}``), so the summary says what went wrong."""

    abstract = True

    def call(self, method: str, url: str, name: str, **kwargs):
        with self.client.request(method, url, name=name, catch_response=True, **kwargs) as r:
            if r.status_code >= 400 or r.status_code == 0:
                try:
                    code = r.json().get("code", "")
                except ValueError:
                    code = (r.text or str(r.error))[:80]
                r.failure(f"{r.status_code} {code}")
            return r


class Pinger(Visitor):
    fixed_count = counts()["Pinger"]
    wait_time = between(0.3, 0.7)

    @task
    def ping(self):
        self.call("GET", "/api/v1/hall/ping", name="ping")


class Terminal(Visitor):
    fixed_count = counts()["Terminal"]
    wait_time = between(1.0, 3.0)

    @task
    def issue(self):
        center = random.choice(CENTERS)
        body = {"category": random.choice(center["categories"])}
        if random.random() < 0.05:
            body["priority_reason"] = "elderly"
        self.call(
            "POST",
            f"/api/v1/hall/centers/{center['center_id']}/tickets",
            json=body,
            headers={"X-Api-Key": center["client_key"]},  # its prefecture's terminals' key
            name="terminal: issue a ticket",
        )


class WindowClerk(Visitor):
    fixed_count = counts()["WindowClerk"]
    wait_time = between(0.5, 1.5)

    def on_start(self):
        self.center_id, window = next(_next_window)
        self.window_id = window["id"]
        self.client.headers["Authorization"] = f"Bearer {window['token']}"
        # The clerk sits down: a ticket left held at the window by an earlier run (or
        # shape) is finished first, as a clerk would.
        state = self.call("GET", f"/api/v1/hall/windows/{self.window_id}", name="clerk: window")
        held = state.json().get("ticket") if state.status_code == 200 else None
        if held is not None:
            self._finish(held["id"])

    def _finish(self, ticket_id: int) -> None:
        prefix = f"/api/v1/hall/windows/{self.window_id}"
        for _ in range(5):  # a held ticket is always finished: the window is free again
            done = self.call("POST", f"{prefix}/tickets/{ticket_id}/finish", name="clerk: finish")
            if done.status_code == 200:
                break

    @task
    def serve_next(self):
        prefix = f"/api/v1/hall/windows/{self.window_id}"
        response = self.call("POST", f"{prefix}/call-next", name="clerk: call next")
        ticket = response.json().get("ticket") if response.status_code == 200 else None
        if ticket is None:
            self.wait_time_idle()
            return
        self._sleep(random.uniform(2.0, 6.0))  # serving the visitor
        self._finish(ticket["id"])

    def wait_time_idle(self):
        self._sleep(random.uniform(2.0, 5.0))

    def _sleep(self, seconds: float):
        import gevent

        gevent.sleep(seconds)


class IntakeClerk(Visitor):
    fixed_count = counts()["IntakeClerk"]
    wait_time = between(3.0, 8.0)

    def on_start(self):
        self.center_id, self.intake = INTAKE[next(_counter) % len(INTAKE)]
        self.client.headers["Authorization"] = f"Bearer {self.intake['token']}"

    @task
    def intake(self):
        self.call(
            "POST",
            "/api/v1/cases/",
            json={
                "listing_id": self.intake["listing_id"],
                "applicant": {
                    "name": "压测申请人",
                    "phone": "13909301234",  # one applicant (by identity number), one phone
                    "id_number": "622921199001010016",
                },
                "materials": [{"material_id": m} for m in self.intake["materials"]],
            },
            name="intake: a case through the API",
        )


class Citizen(Visitor):
    fixed_count = counts()["Citizen"]
    wait_time = between(1.0, 4.0)

    @task(3)
    def progress(self):
        if not LOOKUPS:
            return
        lookup = random.choice(LOOKUPS)
        self.call(
            "GET",
            "/api/v1/cases/progress",
            params=lookup,
            name="lookup: case progress",
        )

    @task(3)
    def search(self):
        center = random.choice(CENTERS)
        self.call(
            "GET",
            "/api/v1/catalog/matters",
            params={"q": random.choice(SETUP["searches"]), "center_id": center["center_id"]},
            name="lookup: guide search",
        )

    @task(2)
    def portal_home(self):
        self.call("GET", "/", name="portal: home page")


class HallDisplay(Visitor):
    fixed_count = counts()["HallDisplay"]
    wait_time = between(2.0, 3.0)

    def on_start(self):
        self.center_id = CENTERS[next(_counter) % len(CENTERS)]["center_id"]

    @task
    def feed(self):
        self.call("GET", f"/api/v1/hall/centers/{self.center_id}/display", name="display: feed")
