"""The crawl reaches the admin's pages in scope, and bad input typed into the address bar
answers with a 4xx or a page, never a server error."""

from __future__ import annotations

import pytest

from tests.crawling import bad_inputs, client_for, crawl

pytestmark = pytest.mark.django_db


def test_the_crawl_reaches_admin_changelists_and_change_pages(net):
    # The crawl from the home page and the workspace (test_no_500_crawl.py) reaches the
    # admin's index; this one starts there, so its budget goes to the admin's own pages.
    seen = crawl(client_for(net, "root"), start=("/admin/",))
    assert seen.get("/admin/org/center/") == 200
    assert seen.get(f"/admin/org/center/{net.kangle_center.pk}/change/") == 200
    assert seen.get(f"/admin/org/staffprofile/{net.clerk.staff_profile.pk}/change/") == 200
    assert seen.get(f"/org/staff/{net.clerk.staff_profile.pk}/") == 200

    county = crawl(client_for(net, "county_admin"), start=("/admin/",))
    assert county.get(f"/admin/org/center/{net.linxia_center.pk}/change/") == 200
    assert f"/admin/org/center/{net.kangle_center.pk}/change/" not in county
    assert f"/org/centers/{net.kangle_center.pk}/" not in county


@pytest.mark.parametrize("who", [None, "root", "county_admin", "clerk", "approver"])
def test_bad_input_in_the_address_bar_never_answers_500(net, who):
    client = client_for(net, who)
    answers = {path: client.get(path).status_code for path in bad_inputs(net)}
    errors = {path: status for path, status in answers.items() if status >= 500}
    assert not errors, f"{who or 'anonymous'}: {errors}"
    unexpected = {p: s for p, s in answers.items() if s not in (200, 302, 400, 401, 403, 404, 422)}
    assert not unexpected, unexpected
