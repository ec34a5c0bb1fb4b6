"""A published matter listed at 临夏县's center, an authorised clerk, an applicant."""

from __future__ import annotations

import pytest

from onewindow.cases import services
from onewindow.catalog import services as catalog_services
from onewindow.catalog.models import Listing
from onewindow.hall import services as hall_services
from tests.catalog.conftest import cat  # noqa: F401  (the catalog fixture)


@pytest.fixture
def desk(cat):  # noqa: F811
    request = catalog_services.listing_request_entry(
        actor=cat.county_admin,
        matter=cat.matter,
        center=cat.linxia_center,
        department=cat.linxia_market,
        code="LX-0001",
        reason="进驻",
        place="一楼综合窗口",
    )
    catalog_services.change_request_decide(actor=cat.gov_office, request=request, approve=True)
    cat.listing = Listing.objects.get(pk=request.listing_id)
    hall_services.authorization_set(
        actor=cat.county_admin,
        clerk=cat.clerk,
        matter=cat.matter,
        may_accept=True,
        may_decide=False,
    )
    cat.applicant = services.applicant_record(
        name="马小明", phone="13909301234", id_number="622921199001010016"
    )
    version = cat.matter.current_version
    cat.materials = {m.name: m for m in version.materials.all()}
    return cat


def all_required(desk) -> dict[int, dict]:
    m = desk.materials
    return {
        m[name].pk: {}
        for name in ("个体工商户登记（备案）申请书", "经营者居民身份证", "经营场所使用证明")
    }
