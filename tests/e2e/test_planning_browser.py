"""Window planning in a real browser (R-HALL-4): the center administrator opens the
planning page from the workspace, sees the live suggestion for a crowded category and
applies it with one click; the window's categories change (through the window service,
audited) and the page says so."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.utils import timezone

from onewindow.core.models import AuditEvent
from onewindow.core.scope import scope_for
from onewindow.hall import states
from onewindow.hall.models import Ticket
from onewindow.oversight.selectors import planning as sel
from onewindow.planning.plan import Target
from tests.conftest import PASSWORD
from tests.e2e.conftest import screenshot_path
from tests.hall.conftest import hall  # noqa: F401  (the hall fixture)

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("transactional_db")]


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def test_r_hall_4_live_suggestion_applied_in_one_click_changes_the_window(
    hall,  # noqa: F811
    login,
):
    n, today, now = hall, timezone.localdate(), timezone.now()
    for k in range(15):  # a crowd waiting for B
        Ticket.objects.create(
            center=n.linxia_center, category=n.cat_b, queue=n.cat_b, day=today,
            number=k + 1, code=f"B{k + 1:03d}", state=states.WAITING, issued_at=now,
        )  # fmt: skip
    _, expected, _ = sel.live_suggestion(
        scope=scope_for(n.county_admin), center_id=n.linxia_center.pk, target=Target()
    )
    assert expected is not None
    before = set(expected.window.categories.all())
    assert before != set(expected.categories)

    page = login(n.county_admin.username, PASSWORD)
    page.click("text=窗口调度")
    page.wait_for_selector("#live-suggestion")
    assert str(expected.window) in page.inner_text("#live-suggestion")
    with page.expect_navigation():
        page.click("#apply-suggestion")
    assert "大厅显示屏随即更新" in page.inner_text(".messages")
    page.screenshot(path=str(screenshot_path("planning_applied")), full_page=True)

    assert set(expected.window.categories.all()) == set(expected.categories)
    assert AuditEvent.objects.filter(
        action="window.set_categories", target_id=str(expected.window.pk)
    ).exists()
