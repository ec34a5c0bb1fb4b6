"""The load run's world, on the demo (run in a child process with Django set up): for
every center that has a hall, bench windows with a clerk signed in at each and a bearer
token; at each center a clerk authorised to take in one published matter; a machine
client key for the terminals; cases whose progress citizens look up; the words they
search the guides for. Idempotent: a second run reuses what the first made (the
world is read back, the tokens made anew). Written as JSON for the locustfile.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

WINDOWS_PER_CENTER = 6
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


def _hall(root, center, categories) -> list[dict]:
    from onewindow.core.tokens import api_token_create
    from onewindow.hall import services, states
    from onewindow.hall.models import Ticket, Window, WindowSession

    windows = []
    for n in range(1, WINDOWS_PER_CENTER + 1):
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
    centers = []
    for center in Center.objects.order_by("pk"):
        categories = list(ServiceCategory.objects.filter(center=center).order_by("order", "pk"))
        if not categories:
            continue
        entry = {
            "center_id": center.pk,
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
    top = Region.objects.filter(parent=None).order_by("pk").first()
    stamp = timezone.now().strftime("%Y%m%d%H%M%S")
    _, client_key = api_client_create(actor=root, name=f"压力测试自助终端{stamp}", region=top)
    Path(out_path).write_text(
        json.dumps(
            {"centers": centers, "client_key": client_key, "searches": SEARCHES},
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    prepare(sys.argv[1])
