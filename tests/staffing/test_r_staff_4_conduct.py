"""R-STAFF-4: service norms (dress, badge, language, conduct) checked and recorded with a
photo; per person and month, spot-check failures and the citizens' bad reviews on
conduct, to feed assessment."""

from __future__ import annotations

import io
from datetime import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from onewindow.core.errors import Forbidden, InvalidInput, NotFound
from onewindow.core.scope import scope_for
from onewindow.evaluation.models import Review
from onewindow.oversight.selectors import staff as sel
from onewindow.staffing import services
from onewindow.staffing.models import SpotCheck
from tests.staffing.conftest import login

pytestmark = pytest.mark.django_db

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05\x00\x01\xff\x89\x99"
    b"=\x1d\x00\x00\x00\x00IEND\xaeB`\x82"
)


def at(*args):
    return timezone.make_aware(datetime(*args))


def check(world, actor=None, when=None, photo=None, **items):
    flags = {"dress_ok": True, "badge_ok": True, "language_ok": True, "conduct_ok": True}
    flags.update(items)
    return services.spot_check_record(
        actor=actor or world.county_supervisor,
        profile=world.clerk.staff_profile,
        note=items.pop("note", "") or ("" if all(flags.values()) else "未着工装，未佩戴工牌"),
        photo=photo,
        checked_at=when or at(2026, 3, 10, 10),
        **flags,
    )


def review(world, level, reasons=(), when=None, excluded=False, indicators=None):
    return Review.objects.create(
        kind="unsolicited",
        channel="pad",
        level=level,
        reasons=list(reasons),
        indicators=indicators or {},
        staff=world.clerk,
        center=world.linxia_center,
        excluded=excluded,
        created_at=when or at(2026, 3, 12, 11),
    )


def test_r_staff_4_a_failed_spot_check_says_why_and_keeps_its_photo(world, db):
    with pytest.raises(InvalidInput) as exc:
        services.spot_check_record(
            actor=world.county_supervisor,
            profile=world.clerk.staff_profile,
            dress_ok=False,
            badge_ok=True,
            language_ok=True,
            conduct_ok=True,
            note="",
        )
    assert exc.value.code == "note_required"
    item = check(
        world,
        dress_ok=False,
        badge_ok=False,
        photo=SimpleUploadedFile("现场.png", PNG, content_type="image/png"),
    )
    assert not item.passed and item.failed_items == ["统一着装", "亮牌上岗"]
    assert item.photo.content_type == "image/png" and item.photo.size == len(PNG)
    with pytest.raises(InvalidInput):  # a photo is checked by content, as every upload
        check(world, photo=SimpleUploadedFile("x.png", b"<svg></svg>"))


def test_r_staff_4_only_overseers_of_the_scope_check(world, db):
    with pytest.raises(Forbidden):
        check(world, actor=world.chief_rep)
    with pytest.raises(NotFound):
        check(world, actor=world.kangle_admin)
    assert check(world, actor=world.county_admin).passed


def test_r_staff_4_failures_and_bad_conduct_reviews_per_person_and_month(world, db):
    check(world, when=at(2026, 3, 3, 9, 30))  # passed
    check(world, when=at(2026, 3, 18, 15), dress_ok=False, badge_ok=False)
    check(world, when=at(2026, 3, 25, 10), language_ok=False)
    check(world, when=at(2026, 2, 20, 10), conduct_ok=False)  # February
    review(world, 1, ["rude"])  # counts
    review(world, 2, ["slow"])  # bad, not about conduct
    review(world, 5, ["polite"])  # good
    review(world, 1, ["absent"], excluded=True)  # excluded from statistics
    review(world, 2, [], indicators={"attitude": 1})  # attitude rated bad: counts
    review(world, 1, ["absent"], when=at(2026, 4, 1, 9))  # April
    rows = {
        r.profile.pk: r
        for r in sel.conduct(scope=scope_for(world.county_admin), year=2026, month=3)
    }
    row = rows[world.clerk.staff_profile.pk]
    assert (row.checks, row.failures, row.bad_reviews) == (3, 2, 2)
    assert row.failed_items == {"统一着装": 1, "亮牌上岗": 1, "服务用语": 1}
    assert row.review_reasons == {"服务态度差": 1, "服务态度分项差": 1}
    assert row.flagged
    kangle = sel.conduct(scope=scope_for(world.kangle_admin), year=2026, month=3)
    assert world.clerk.staff_profile.pk not in {r.profile.pk for r in kangle}


def test_r_staff_4_the_pages_record_a_check_with_a_photo_and_show_it(world, client):
    login(client, world.county_supervisor)
    clerk = world.clerk.staff_profile
    url = reverse("oversight:staff_spot_check", args=[clerk.pk])
    photo = io.BytesIO(PNG)
    photo.name = "badge.png"
    response = client.post(
        url, {"language_ok": "on", "conduct_ok": "on", "note": "未着工装、未亮牌", "photo": photo}
    )
    assert response.status_code == 302
    item = SpotCheck.objects.get(profile=clerk)
    assert item.failed_items == ["统一着装", "亮牌上岗"] and item.photo is not None
    shown = client.get(reverse("oversight:staff_spot_photo", args=[item.pk]))
    assert shown.status_code == 200 and b"".join(shown.streaming_content) == PNG
    month = timezone.localdate().strftime("%Y-%m")
    page = client.get(reverse("oversight:staff_conduct"), {"month": month})
    assert "统一着装×1" in page.content.decode()
    login(client, world.kangle_admin)
    assert client.get(reverse("oversight:staff_spot_photo", args=[item.pk])).status_code == 404
