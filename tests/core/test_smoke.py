import pytest


@pytest.mark.django_db
def test_home_page_says_what_this_is(client, net):
    response = client.get("/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "临夏州政务服务" in text
    assert "临夏县政务服务中心" in text
