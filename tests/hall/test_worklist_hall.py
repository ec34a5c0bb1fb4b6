"""待办 for a window clerk: the tickets waiting that their window may call (R-HALL-2)."""

from __future__ import annotations

import pytest
from django.utils import timezone

from onewindow.core.scope import scope_for
from onewindow.hall import services
from onewindow.oversight.selectors.worklist import worklist

pytestmark = pytest.mark.django_db


def hall_line(user):
    found = {line.key: line for line in worklist(user, scope_for(user), timezone.localdate())}
    return found.get("hall")


def test_r_hall_2_the_workspace_counts_the_tickets_the_clerk_s_window_may_call(hall):
    for category in (hall.cat_a, hall.cat_a, hall.cat_b):
        services.ticket_issue(center=hall.linxia_center, category=category)
    assert (hall_line(hall.clerk).count, hall_line(hall.clerk).label) == (3, "1号窗口等候的号")
    assert hall_line(hall.clerk2).count == 2  # window 2 serves A only
    assert hall_line(hall.clerk3).count == 1  # window 3 serves B only

    services.ticket_call_next(actor=hall.clerk2, window=hall.w2)
    assert hall_line(hall.clerk2).count == 1
    assert hall_line(hall.clerk).count == 2

    services.window_sign_out(actor=hall.clerk3, window=hall.w3)
    assert hall_line(hall.clerk3) is None  # not at a window: nothing to call
