"""The load run's world, on the demo (run in a child process with Django set up): for
every center that has a hall, bench windows with a clerk signed in at each and a bearer
token; at each center a clerk authorised to take in one published matter; a machine
client key for the terminals; cases whose progress citizens look up; the words they
search the guides for. Idempotent: a second run reuses what the first made (the
world is read back, the tokens made anew). Written as JSON for the locustfile.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

WINDOWS_PER_CENTER = 6
# A province grown around the demo (``LOAD_COUNTIES``): Gansu has 14 prefectures and
# about 86 counties. The grown counties' centers get fewer bench windows, so that a
# province's users stay within what one load machine can drive.
PREFECTURES = 14
GROWN_WINDOWS = 2
SEARCHES = ["营业执照", "身份证", "社保", "yyzz", "结婚登记", "开饭店", "医保", "不动产"]


def _root():
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(username="load-root").first()
    if user is None:
        user = get_user_model().objects.create_superuser(
            "load-root", password=None, full_name="压力测试"
        )
    return user


def _clerk(root, center, username: str, full_name: str, staff_no: str):
    from django.contrib.auth import get_user_model

    from onewindow.org import services as org

    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        profile = org.staff_create(
            actor=root,
            username=username,
            full_name=full_name,
            password=None,
            roles={"clerk"},
            staff_no=staff_no,
            center=center,
        )
        user = profile.user
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from common import clear_for_window

    clear_for_window(root, user.staff_profile)
    return user


def _grow_province(root, counties: int) -> None:
    """Add prefectures and county centers until the network has ``counties`` county-level
    centers (at most ``PREFECTURES`` prefectures), each county's hall with the
    categories of the demo's first county center. Made once, through the services;
    a second run finds them."""
    from onewindow.hall.models import ServiceCategory
    from onewindow.hall.services import setup
    from onewindow.org import services as org
    from onewindow.org.models import Center, Level, Region

    have = Center.objects.filter(region__level=Level.COUNTY).count()
    model = (
        Center.objects.filter(region__level=Level.COUNTY, service_categories__isnull=False)
        .order_by("pk")
        .first()
    )
    if model is None or have >= counties:
        return
    template = list(ServiceCategory.objects.filter(center=model).order_by("order", "pk"))
    grown = list(Region.objects.filter(parent=None, code__startswith="69").order_by("code"))
    wanted = PREFECTURES - Region.objects.filter(parent=None).exclude(code__startswith="69").count()
    while len(grown) < max(1, wanted):
        n = len(grown) + 1
        grown.append(
            org.region_create(
                actor=root,
                code=f"69{n:02d}00",
                name=f"压测第{n}地区",
                level=Level.PREFECTURE,
                parent=None,
                is_demo=True,
            )
        )
    for i in range(counties - have):
        prefecture = grown[i % len(grown)]
        code = f"{prefecture.code[:4]}{i // len(grown) + 1:02d}"
        region = Region.objects.filter(code=code).first() or org.region_create(
            actor=root,
            code=code,
            name=f"压测{code}县",
            level=Level.COUNTY,
            parent=prefecture,
            is_demo=True,
        )
        center = org.center_create(
            actor=root, region=region, code=f"C{code}000", name=f"压测{code}县政务服务中心"
        )
        for category in template:
            setup.category_create(
                actor=root,
                center=center,
                letter=category.letter,
                name=category.name,
                order=category.order,
            )


def _hall(root, center, categories) -> list[dict]:
    from onewindow.core.tokens import api_token_create
    from onewindow.hall import services, states
    from onewindow.hall.models import Ticket, Window, WindowSession

    windows = []
    per_center = GROWN_WINDOWS if center.region.code.startswith("69") else WINDOWS_PER_CENTER
    for n in range(1, per_center + 1):
        number = 90 + n
        window, made = Window.objects.get_or_create(center=center, number=number)
        if made:
            served = (
                categories
                if n % 3 == 0
                else [categories[(n + k) % len(categories)] for k in (0, 1)]
            )
            services.window_set_categories(actor=root, window=window, categories=served)
        clerk = _clerk(
            root, center, f"load-{center.pk}-{number}", f"压测窗口{number}", f"L{center.pk}{number}"
        )
        if not WindowSession.objects.filter(
            window=window, clerk=clerk, signed_out_at=None
        ).exists():
            services.window_sign_in(actor=clerk, window=window)
        # A ticket a run stopped in the middle of serving is finished: the window is free.
        for held in Ticket.objects.filter(window=window, state__in=states.HELD):
            services.ticket_finish(actor=clerk, window=window, ticket=held)
        _, key = api_token_create(actor=clerk, name="压力测试叫号")
        windows.append({"id": window.pk, "token": key})
    return windows


def _intake(root, center) -> dict | None:
    from onewindow.catalog.models import Listing
    from onewindow.core.tokens import api_token_create
    from onewindow.hall import services

    listing = (
        Listing.objects.public()
        .filter(center=center, matter__current_version__isnull=False)
        .select_related("matter__current_version")
        .order_by("pk")
        .first()
    )
    if listing is None:
        return None
    clerk = _clerk(root, center, f"load-{center.pk}-intake", "压测收件", f"L{center.pk}IN")
    services.authorization_set(
        actor=root, clerk=clerk, matter=listing.matter, may_accept=True, may_decide=False
    )
    materials = list(
        listing.matter.current_version.materials.filter(requirement="required").values_list(
            "pk", flat=True
        )
    )
    _, key = api_token_create(actor=clerk, name="压力测试收件")
    return {"listing_id": listing.pk, "materials": materials, "token": key}


def prepare(out_path: str) -> None:
    import django

    django.setup()
    from django.utils import timezone

    from onewindow.cases.models import Case
    from onewindow.core.tokens import api_client_create
    from onewindow.hall.models import ServiceCategory
    from onewindow.org.models import Center, Region

    root = _root()
    _grow_province(root, int(os.environ.get("LOAD_COUNTIES", "0")))
    centers = []
    for center in Center.objects.select_related("region").order_by("pk"):
        categories = list(ServiceCategory.objects.filter(center=center).order_by("order", "pk"))
        if not categories:
            continue
        entry = {
            "center_id": center.pk,
            "region_id": center.region_id,
            "name": center.name,
            "categories": [c.letter for c in categories],
            "windows": _hall(root, center, categories),
            "intake": _intake(root, center),
        }
        lookups = []
        for case in (
            Case.objects.filter(center=center)
            .exclude(intake_clerk__username__startswith="load-")  # the runs' own intakes
            .select_related("applicant")
            .order_by("pk")[:40]
        ):
            tail = case.applicant.phone_tail if case.applicant_id else ""
            if case.number and len(tail or "") == 4:
                lookups.append({"number": case.number, "phone_tail": tail})
        entry["lookups"] = lookups
        centers.append(entry)
    # The terminals' machine client keys, one per prefecture: a key reaches the centers
    # of its region only.
    stamp = timezone.now().strftime("%Y%m%d%H%M%S")
    keys: dict[int, str] = {}
    for top in Region.objects.filter(parent=None).order_by("pk"):
        _, keys[top.pk] = api_client_create(
            actor=root, name=f"压力测试自助终端{stamp}-{top.code}", region=top
        )
    for entry in centers:
        region = Region.objects.get(pk=entry.pop("region_id"))
        while region.parent_id:
            region = region.parent
        entry["client_key"] = keys[region.pk]
    Path(out_path).write_text(
        json.dumps(
            {"centers": centers, "searches": SEARCHES},
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    prepare(sys.argv[1])
