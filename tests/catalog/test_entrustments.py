"""Entrusted matters (委托事项, seed 二(一)1). No requirement names them; the closest is
R-CAT-4 (matters devolved to townships and villages are managed by the county), the
requirement of the catalog section the seed's text belongs to.

The world: 个体工商户登记 (a county matter of 临夏县市场监督管理局) listed at 临夏县's center
and at 韩集镇's convenience center (implemented by the county body: its power lies
above the township), 韩集镇's clerk authorised to accept and decide it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from onewindow.cases import services as case_services
from onewindow.cases.models import Case
from onewindow.cases.selectors.actions import decides_on_the_spot, is_back_for
from onewindow.catalog import services
from onewindow.catalog.models import Entrustment, Listing
from onewindow.core.errors import Conflict, Forbidden, InvalidInput
from onewindow.hall import services as hall_services
from tests.cases.conftest import all_required, desk  # noqa: F401
from tests.catalog.conftest import GUIDE, MATERIALS, STEPS

TODAY = timezone.localdate()
DOC = {
    "document_number": "临县市监发〔2026〕9号",
    "document_title": "关于委托韩集镇办理个体工商户登记的通知",
}


@pytest.fixture
def point(desk):  # noqa: F811
    request = services.listing_request_entry(
        actor=desk.county_admin,
        matter=desk.matter,
        center=desk.hanji_center,
        department=desk.linxia_market,
        code="HJ-0001",
        reason="下沉乡镇",
        place="便民服务综合窗口",
    )
    services.change_request_decide(actor=desk.gov_office, request=request, approve=True)
    desk.point_listing = Listing.objects.get(pk=request.listing_id)
    hall_services.authorization_set(
        actor=desk.county_admin,
        clerk=desk.township_clerk,
        matter=desk.matter,
        may_accept=True,
        may_decide=True,
    )
    return desk


def entrust(n, *, start=TODAY - dt.timedelta(days=10), end=None, center=None, actor=None):
    return services.entrustment_create(
        actor=actor or n.county_admin,
        matter=n.matter,
        department=n.linxia_market,
        center=center or n.hanji_center,
        start=start,
        end=end,
        **DOC,
    )


def take_in(n, decide_here):
    return case_services.case_intake(
        actor=n.township_clerk,
        listing=n.point_listing,
        applicant=n.applicant,
        materials=all_required(n),
        decide_here=decide_here,
    )


def test_r_cat_4_intake_at_a_point_decides_there_only_under_an_entrustment_in_force(point):
    before = Case.objects.count()
    with pytest.raises(Forbidden) as refused:
        take_in(point, True)
    assert refused.value.code == "case.not_entrusted"
    assert "临夏县市场监督管理局" in refused.value.message and "代办" in refused.value.message
    assert Case.objects.count() == before  # nothing taken in

    e = entrust(point)
    case = take_in(point, True)
    assert case.entrustment_id == e.pk and case.department_id == point.linxia_market.pk
    assert decides_on_the_spot(point.township_clerk, case)

    services.entrustment_revoke(actor=point.county_admin, entrustment=e, reason="收回委托")
    with pytest.raises(Forbidden):
        take_in(point, True)
    # the case taken under it is no longer the point's to decide: the county body decides
    case = Case.objects.get(pk=case.pk)
    assert not decides_on_the_spot(point.township_clerk, case)
    assert is_back_for(point.approver, case)
    assert Case.objects.count() == before + 1


def test_r_cat_4_an_expired_entrustment_leaves_the_point_only_forwarding(point):
    entrust(point, start=TODAY - dt.timedelta(days=40), end=TODAY - dt.timedelta(days=1))
    with pytest.raises(Forbidden):
        take_in(point, True)
    forwarded = take_in(point, None)  # as the entrustments say: none in force → 代办
    assert forwarded.entrustment_id is None
    assert not decides_on_the_spot(point.township_clerk, forwarded)
    assert is_back_for(point.approver, forwarded)
    note = forwarded.events.get(action="intake").note
    assert note == "代办：收件后转报临夏县市场监督管理局审批。"


def test_r_cat_4_with_an_entrustment_the_point_may_still_forward(point):
    entrust(point)
    assert take_in(point, None).entrustment is not None  # default: decided at the point
    forwarded = take_in(point, False)
    assert forwarded.entrustment_id is None
    assert not decides_on_the_spot(point.township_clerk, forwarded)


def test_r_cat_4_the_county_center_takes_in_as_before(point):
    point.clerk.refresh_from_db()
    case = case_services.case_intake(
        actor=point.clerk,
        listing=point.listing,
        applicant=point.applicant,
        materials=all_required(point),
        decide_here=True,  # not a point: no entrustment asked
    )
    assert case.entrustment_id is None


def test_r_cat_4_overlapping_entrustments_are_refused(point):
    first = entrust(point, start=TODAY)
    with pytest.raises(Conflict) as clash:
        entrust(point, start=TODAY + dt.timedelta(days=30))
    assert clash.value.code == "entrustment.overlap"
    with pytest.raises(Conflict):
        entrust(point, start=TODAY - dt.timedelta(days=30), end=TODAY)
    # before it, not touching: fine; to another point: fine
    entrust(point, start=TODAY - dt.timedelta(days=30), end=TODAY - dt.timedelta(days=1))
    entrust(point, start=TODAY, center=point.village_point)
    # revoked from day 30, a new one may begin on day 30, not on day 29
    services.entrustment_revoke(
        actor=point.county_admin, entrustment=first, on=TODAY + dt.timedelta(30), reason="调整"
    )
    with pytest.raises(Conflict):
        entrust(point, start=TODAY + dt.timedelta(days=29))
    entrust(point, start=TODAY + dt.timedelta(days=30))
    assert Entrustment.objects.count() == 4  # hand count: first, the earlier, village, the new


def test_r_cat_4_only_the_competent_level_entrusts_within_its_region(point):
    with pytest.raises(InvalidInput) as wrong_level:
        services.entrustment_create(
            actor=point.root,
            matter=point.matter,
            department=point.pref_market,  # a county matter: the county body's
            center=point.hanji_center,
            start=TODAY,
            **DOC,
        )
    assert "department" in wrong_level.value.fields
    with pytest.raises(InvalidInput) as elsewhere:
        entrust(point, center=point.fucheng_center, actor=point.root)  # 康乐县's township
    assert "center" in elsewhere.value.fields
    with pytest.raises(InvalidInput):
        services.entrustment_create(
            actor=point.county_admin,
            matter=point.matter,
            department=point.linxia_market,
            center=point.hanji_center,
            start=TODAY,
            document_number=" ",
            document_title="通知",
        )
    with pytest.raises(InvalidInput):
        entrust(point, start=TODAY, end=TODAY - dt.timedelta(days=1))
    assert not Entrustment.objects.exists()


def test_r_cat_4_the_public_guide_states_the_entrustment_in_force(point, client):
    url = reverse("portal:matter_detail", args=[point.matter.pk])
    assert "委托韩集镇便民服务中心办理" not in client.get(url).content.decode()
    e = entrust(point)
    page = client.get(url).content.decode()
    sentence = (
        "本事项由临夏县市场监督管理局委托韩集镇便民服务中心办理，"
        "依据《关于委托韩集镇办理个体工商户登记的通知》（临县市监发〔2026〕9号）。"
    )
    assert sentence in page
    services.entrustment_revoke(actor=point.county_admin, entrustment=e, reason="收回")
    assert "委托韩集镇便民服务中心办理" not in client.get(url).content.decode()


def test_r_cat_4_catalog_admins_record_and_revoke_from_the_matter_page(point, client):
    client.force_login(point.county_admin)
    page = client.get(reverse("catalog:staff_matter", args=[point.matter.pk]))
    assert "登记委托" in page.content.decode()
    answer = client.post(
        reverse("catalog:entrustment_new", args=[point.matter.pk]),
        {
            "department": point.linxia_market.pk,
            "center": point.hanji_center.pk,
            "start": (TODAY - dt.timedelta(days=1)).isoformat(),
            **DOC,
        },
    )
    assert answer.status_code == 302
    e = Entrustment.objects.get()
    page = client.get(reverse("catalog:staff_matter", args=[point.matter.pk])).content.decode()
    assert "韩集镇便民服务中心" in page and "有效" in page
    # an overlapping one: the Chinese message on the form, nothing made
    again = client.post(
        reverse("catalog:entrustment_new", args=[point.matter.pk]),
        {
            "department": point.linxia_market.pk,
            "center": point.hanji_center.pk,
            "start": TODAY.isoformat(),
            **DOC,
        },
    )
    assert again.status_code == 200 and "委托期间不能重叠" in again.content.decode()
    revoke = reverse("catalog:entrustment_revoke", args=[e.pk])
    client.post(revoke, {"revoked_on": TODAY.isoformat(), "reason": ""})
    e.refresh_from_db()
    assert e.revoked_on is None  # no reason: refused
    client.post(revoke, {"revoked_on": TODAY.isoformat(), "reason": "收回委托"})
    e.refresh_from_db()
    assert e.revoked_on == TODAY and e.revoke_reason == "收回委托"


def test_r_net_3_another_county_neither_sees_nor_revokes_an_entrustment(point, client):
    e = entrust(point)
    client.force_login(point.kangle_admin)
    assert client.get(reverse("catalog:entrustment_new", args=[point.matter.pk])).status_code == 404
    answer = client.post(
        reverse("catalog:entrustment_revoke", args=[e.pk]),
        {"revoked_on": TODAY.isoformat(), "reason": "越权"},
    )
    assert answer.status_code == 404
    e.refresh_from_db()
    assert e.revoked_on is None
    with pytest.raises(Forbidden):
        entrust(point, actor=point.kangle_admin, start=TODAY + dt.timedelta(days=400))
    with pytest.raises(Forbidden):  # a clerk is no catalog admin
        entrust(point, actor=point.township_clerk, start=TODAY + dt.timedelta(days=400))


def test_r_cat_4_the_api_refuses_deciding_at_a_point_without_an_entrustment(point, client):
    client.force_login(point.township_clerk)
    body = {
        "listing_id": point.point_listing.pk,
        "applicant": {"name": "马小明", "phone": "13909301234", "id_number": "622921199001010016"},
        "materials": [{"material_id": mid} for mid in all_required(point)],
        "decide_here": True,
    }
    before = Case.objects.count()
    answer = client.post("/api/v1/cases/", body, content_type="application/json")
    assert answer.status_code == 403 and answer.json()["code"] == "case.not_entrusted"
    assert Case.objects.count() == before
    entrust(point)
    answer = client.post("/api/v1/cases/", body, content_type="application/json")
    assert answer.status_code == 201
    assert Case.objects.get(pk=answer.json()["id"]).entrustment is not None


def test_r_cat_4_the_intake_page_offers_the_point_its_two_ways(point, client):
    client.force_login(point.township_clerk)
    url = reverse("cases:case_intake") + f"?listing={point.point_listing.pk}"
    page = client.get(url).content.decode()
    assert "本点没有该事项的有效委托" in page and "代办：转报临夏县市场监督管理局审批" in page
    entrust(point)
    page = client.get(url).content.decode()
    assert "本事项由临夏县市场监督管理局委托韩集镇便民服务中心办理" in page


def test_r_net_3_a_center_admin_opens_a_matter_listed_in_its_network_not_its_drafts(point, client):
    """A matter kept by the prefecture's body, listed at 临夏县's center: 临夏县's admin
    opens its page (to entrust it) without the drafts; 康乐县's admin does not."""
    matter = services.matter_create(
        actor=point.root,
        code="11620000MB0000001X",
        name="食品经营许可",
        kind="licensing",
        level="county",
        department=point.pref_market,
        domain="市场准入",
    )
    version = services.guide_draft_create(actor=point.root, matter=matter, **GUIDE)
    services.guide_materials_set(actor=point.root, version=version, materials=MATERIALS)
    services.guide_steps_set(actor=point.root, version=version, steps=STEPS)
    change = services.process_change_submit(actor=point.root, version=version, reason="首次编制")
    change = services.process_change_legality_review(
        actor=point.root, change=change, approve=True, opinion="合法"
    )
    services.process_change_final_review(
        actor=point.root, change=change, approve=True, opinion="同意"
    )
    request = services.listing_request_entry(
        actor=point.county_admin,
        matter=matter,
        center=point.linxia_center,
        department=point.linxia_market,
        code="LX-0009",
        reason="进驻",
    )
    services.change_request_decide(actor=point.gov_office, request=request, approve=True)
    services.guide_draft_create(
        actor=point.root, matter=matter, **{**GUIDE, "fees": "草稿收费说明"}
    )
    url = reverse("catalog:staff_matter", args=[matter.pk])
    client.force_login(point.county_admin)
    page = client.get(url)
    assert page.status_code == 200
    assert [v.number for v in page.context["versions"]] == [1]  # the draft 2 is not shown
    assert page.context["can_edit"] is False
    assert client.get(reverse("catalog:entrustment_new", args=[matter.pk])).status_code == 200
    client.force_login(point.kangle_admin)
    assert client.get(url).status_code == 404
