"""No page a user can reach answers 500: the anonymous visitor, the superuser and the first
half of the roles follow every same-site link from the home page, the workspace and the
admin (the other half: ``test_no_500_crawl_roles.py``)."""

from __future__ import annotations

import pytest

from tests.crawling import ROLE_USERS, assert_no_500_crawl

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("who", [None, "root", *ROLE_USERS[:8]])
def test_no_page_reachable_by_any_role_answers_500(net, who):
    assert_no_500_crawl(net, who)
