"""R-SEC-1: a supervisor reads the audit log in words: the Chinese name of the action,
the target by its name and kind, before/after as labelled text (no event codes, no
model ids, no Python dicts), the actor by name and staff number."""

from __future__ import annotations

import html
import re

from onewindow.cases import services
from tests.cases.conftest import all_required


def _text(page: str) -> str:
    """What the reader sees: the page without its tags and attributes."""
    body = re.sub(r"<script.*?</script>|<style.*?</style>", "", page, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", body))


def test_r_sec_1_the_audit_log_shows_actions_and_changes_in_words(client, desk):
    case = services.case_intake(
        actor=desk.clerk,
        listing=desk.listing,
        applicant=desk.applicant,
        materials=all_required(desk),
    )
    services.case_accept(actor=desk.clerk, case=case)
    client.force_login(desk.county_supervisor)
    page = _text(client.get("/workspace/audit/").content.decode())
    assert "收件" in page and "受理" in page
    assert case.number in page and "办件" in page
    assert "case.intake" not in page and "case.accept" not in page
    assert "{'" not in page and "cases.case" not in page and "#" + str(case.pk) not in page
    assert "状态" in page and "已受理" in page  # the state by its label, not 'accepted'
    assert f"工号{desk.clerk.staff_profile.staff_no}" in page  # name and staff number
    # the filter offers the actions by name and still narrows by code
    only = client.get("/workspace/audit/", {"action": "case.intake"}).content.decode()
    assert '<option value="case.intake" selected>收件</option>' in only
    assert "已受理" not in _text(only.split("<tbody>")[1])
