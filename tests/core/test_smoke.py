import pytest


@pytest.mark.django_db
def test_home_page_says_what_this_is(client, net):
    response = client.get("/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "临夏州政务服务" in text
    assert "临夏县政务服务中心" in text


def test_r_net_3_workspace_counts_each_center_in_scope_once(client, net):
    from onewindow.core.scope import scope_for
    from onewindow.org.selectors import network_summary

    counts = {
        row["region__level"]: row["n"] for row in network_summary(scope=scope_for(net.county_admin))
    }
    assert counts == {"county": 1, "township": 1, "village": 1}
    client.force_login(net.county_admin)
    page = client.get("/workspace/").content.decode()
    assert "县市级服务机构：<strong>1</strong>" in page
