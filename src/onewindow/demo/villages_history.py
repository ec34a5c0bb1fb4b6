"""The village agency points' listings in the Linxia demo: every village (community)
agency point takes in a few matters for the villagers and hands them on to the county's
department (代办转报), so the four-level path 州→县→乡→村 can be followed from the home
page down to a village point and on to its guides, and a case taken in at the village
goes up to the county. Built through the catalog's services (an entry request approved
by the county's government office, here the system administrator of the demo);
idempotent (a second run makes nothing new)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction

from onewindow.catalog import services as catalog_services
from onewindow.catalog.models import Listing, Matter
from onewindow.demo import catalog_data as cd
from onewindow.demo import data
from onewindow.org.models import Center, Department, Level

# What a village point takes in for the villagers (township-level matters of the catalog).
VILLAGE_MATTERS = ("resident_pension_enrol", "medical_enrol", "birth_filing", "homestead")
# Where the demo has the county's own accounts (临夏县), they ask and approve, as for the
# county's other listings; elsewhere the demo's system administrator does.
COUNTY_ACCOUNTS = {"622921": ("lxx-admin", "lxx-govoffice")}
REASON = "村级代办点就近代办，材料收齐后转报县级部门办理，群众不用跑乡镇和县城。"


def _county_of(center: Center):
    region = center.region
    while region.level != Level.COUNTY and region.parent_id is not None:
        region = region.parent
    return region


@transaction.atomic
def load() -> int:
    root = get_user_model().objects.get(username=data.SUPERUSER[0], is_superuser=True)
    matters = [
        m
        for key in VILLAGE_MATTERS
        if (m := Matter.objects.filter(code=cd.CODES[key], status=Matter.Status.ACTIVE).first())
    ]
    villages = Center.objects.filter(region__level=Level.VILLAGE, is_active=True).select_related(
        "region", "region__parent", "region__parent__parent"
    )
    users = get_user_model().objects.filter(is_active=True)
    accounts = {
        code: tuple(users.filter(username=name).first() or root for name in names)
        for code, names in COUNTY_ACCOUNTS.items()
    }
    existing = set(Listing.objects.values_list("matter_id", "center_id"))
    created = 0
    for center in villages.order_by("region__path"):
        county = _county_of(center)
        requester, approver = accounts.get(county.code, (root, root))
        for matter in matters:
            if (matter.pk, center.pk) in existing:
                continue
            department = Department.objects.filter(region=county, line=matter.line).first()
            if department is None:
                continue
            request = catalog_services.listing_request_entry(
                actor=requester,
                matter=matter,
                center=center,
                department=department,
                code=f"{center.region.code}-{matter.code}",
                reason=REASON,
                place=f"{center.address or center.name}，{center.name}",
                windows="村代办点（代办转报县级部门）",
                phone=center.phone,
            )
            catalog_services.change_request_decide(
                actor=approver, request=request, approve=True, opinion="同意村级代办。"
            )
            created += 1
    return created
