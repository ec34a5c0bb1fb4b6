"""The demo matter catalog: what `onewindow load-demo` adds on top of the network."""

from __future__ import annotations

import io
from collections import Counter

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from onewindow.catalog import selectors
from onewindow.catalog.guidelint import ERROR
from onewindow.catalog.models import (
    Bundle,
    ChangeRequest,
    GuideVersion,
    Listing,
    Material,
    MaterialType,
    Matter,
    MatterKind,
    ProcessChange,
    ReviewState,
)
from onewindow.catalog.selectors import guide_lint
from onewindow.core.models import AuditEvent
from onewindow.core.scope import scope_for
from onewindow.demo import catalog_data, data
from onewindow.org.models import Center, Level

pytestmark = pytest.mark.django_db

COUNTY_CODES = [c.code for c in data.COUNTIES]


@pytest.fixture(scope="module")
def demo(demo_opened):
    """The demo data (tests/demo/world.py), every change rolled back after the module."""
    return demo_opened


def user(username):
    return get_user_model().objects.get(username=username)


def demo_matters():
    return Matter.objects.filter(code__in=catalog_data.CODES.values())


def center(code) -> Center:
    return Center.objects.get(region__code=code)


# --- matters and guides -------------------------------------------------------------------------


def test_r_cat_1_the_demo_publishes_sixty_matters_of_all_eight_kinds(demo):
    published = selectors.published_matters().filter(pk__in=demo_matters())
    assert published.count() >= 60
    assert published.count() == len(catalog_data.MATTERS)
    assert set(published.values_list("kind", flat=True)) == set(MatterKind.values)
    levels = Counter(published.values_list("level", flat=True))
    assert 10 <= levels[Level.PREFECTURE] <= 25
    assert levels[Level.COUNTY] >= 40
    assert levels[Level.TOWNSHIP] >= 3
    lines = set(published.values_list("line__code", flat=True))
    assert len(lines) >= 15


def test_r_cat_10_one_standard_kept_by_the_prefecture_body_of_each_line(demo):
    for matter in demo_matters().select_related("department__region", "line"):
        assert matter.department.region.code == data.PREFECTURE_CODE, matter
        assert matter.department.line_id == matter.line_id


def test_r_cat_5_every_demo_guide_states_its_elements(demo):
    shared = pledge = conditional = typed = 0
    for matter in demo_matters().select_related("current_version"):
        version = matter.current_version
        assert version.status == GuideVersion.Status.PUBLISHED
        assert "《" in version.legal_basis and version.conditions and version.result, matter
        assert version.fees and version.visits in (0, 1, 2)
        assert 2 <= len(version.faq) <= 3, matter
        assert all(item["question"] and item["answer"] for item in version.faq)
        keys = {f["key"] for f in version.form_fields}
        assert keys & {"applicant_name", "enterprise_name"}, matter
        assert version.steps.exists(), matter
        assert version.promised_days <= version.statutory_days
        assert matter.keywords
        materials = list(version.materials.all())
        assert materials, matter
        for material in materials:
            material.full_clean(exclude=["version", "blank_form", "sample"])
            shared += material.source == Material.Source.SHARED
            pledge += material.pledge_allowed
            conditional += material.requirement == Material.Requirement.CONDITIONAL
            typed += material.material_type_id is not None
    assert shared >= 20 and pledge >= 10 and conditional >= 15 and typed >= 60
    assert MaterialType.objects.filter(
        code__in=[c for c, _ in catalog_data.MATERIAL_TYPES]
    ).count() == len(catalog_data.MATERIAL_TYPES)


def test_r_cat_6_every_demo_guide_passes_the_lint(demo):
    for matter in demo_matters().select_related("current_version"):
        assert guide_lint(matter.current_version) == [], matter
    out = io.StringIO()
    call_command("lint_guides", stdout=out)  # no SystemExit: exit status 0
    assert f"共检查 {len(catalog_data.MATTERS)} 份办事指南：兜底或模糊条款 0 处" in out.getvalue()
    assert [
        f for f in guide_lint(demo_matters().first().current_version) if f.severity == ERROR
    ] == []


def test_r_cat_8_guides_pass_legality_and_final_review_by_the_prefecture_reviewers(demo):
    applied = ProcessChange.objects.filter(matter__in=demo_matters(), state=ReviewState.APPLIED)
    assert applied.count() == len(catalog_data.MATTERS)
    assert set(applied.values_list("legality_by__username", flat=True)) == {"lxz-legality"}
    assert set(applied.values_list("final_by__username", flat=True)) == {"lxz-final"}
    assert set(applied.values_list("submitted_by__username", flat=True)) == {"lxz-admin"}
    assert AuditEvent.objects.filter(
        action="process_change.final_review", actor__username="lxz-final"
    ).count() >= len(catalog_data.MATTERS)


def test_r_cat_8_most_guides_are_compressed_and_the_exceptions_are_accepted(demo):
    rows = [
        r
        for r in selectors.compression_report(scope=scope_for(user("lxz-final")))
        if r.matter.code in catalog_data.CODES.values()
    ]
    exceptions = [r for r in rows if not r.meets]
    assert 2 <= len(exceptions) <= 3
    for row in exceptions:
        assert row.exception and row.version.compression_exception_accepted
        assert row.version.compression_exception_reason.strip()
        change = ProcessChange.objects.get(proposed=row.version)
        assert change.exception_accepted and change.final_by.username == "lxz-final"
    assert sum(r.meets for r in rows) == len(rows) - len(exceptions)


# --- listings -----------------------------------------------------------------------------------


def test_r_cat_2_prefecture_matters_are_listed_at_the_prefecture_center(demo):
    pref_center = center(data.PREFECTURE_CODE)
    for matter in demo_matters().filter(level=Level.PREFECTURE):
        listing = Listing.objects.get(matter=matter, center=pref_center)
        assert listing.status == Listing.Status.ACTIVE
        assert listing.department == matter.department
    assert selectors.public_listings(center=pref_center).count() >= 10


def test_r_cat_2_county_matters_are_listed_at_every_county_center_by_the_county_body(demo):
    county_matters = list(demo_matters().filter(level=Level.COUNTY))
    for code in COUNTY_CODES:
        listings = Listing.objects.filter(center=center(code), matter__in=county_matters)
        assert listings.count() == len(county_matters), code
        for listing in listings.select_related("department__region", "matter"):
            assert listing.department.region.code == code
            assert listing.department.line_id == listing.matter.line_id
            assert listing.windows and listing.place and listing.local_phone
            listing.full_clean()


def test_r_cat_4_devolved_matters_are_listed_at_township_centers_by_the_county_body(demo):
    township_matters = demo_matters().filter(level=Level.TOWNSHIP)
    assert township_matters.count() >= 3
    listings = (
        Listing.objects.active()
        .filter(matter__in=township_matters)
        .exclude(center__region__level=Level.VILLAGE)  # village points: test_demo_villages
        .select_related("center__region", "department__region")
    )
    assert listings.count() == township_matters.count() * 24
    for listing in listings:
        assert listing.center.region.level == Level.TOWNSHIP
        assert listing.department.region.code == listing.center.region.code[:6]
    entry = ChangeRequest.objects.filter(listing__in=listings, kind=ChangeRequest.Kind.ENTER)
    assert {r.approver_region.level for r in entry} == {Level.COUNTY}


def test_r_cat_4_listings_are_approved_by_the_government_office_of_the_level(demo):
    approved = ChangeRequest.objects.filter(
        state=ChangeRequest.State.APPROVED, listing__matter__in=demo_matters()
    )
    by = {
        (r.center.region.code, r.decided_by.username)
        for r in approved.select_related("center__region", "decided_by")
    }
    assert (data.PREFECTURE_CODE, "lxz-govoffice") in by
    assert ("622921", "lxx-govoffice") in by and ("622921100", "lxx-govoffice") in by
    deciders = {username for _, username in by}
    assert deciders == {"lxz-govoffice", "lxx-govoffice", "admin"}
    assert not any(
        code.startswith("622921") and username != "lxx-govoffice" for code, username in by
    )


def test_r_cat_3_two_county_listings_are_handled_outside_with_a_reason(demo):
    outside = Listing.objects.filter(handled_outside=True, status=Listing.Status.ACTIVE)
    assert outside.count() == len(catalog_data.OUTSIDE)
    for listing in outside:
        assert listing.outside_reason and listing.outside_note
        rate = selectors.entry_rate(listing.center)
        assert 0 < rate.rate < 1 and listing in rate.outside
    assert selectors.entry_rate(center("622921")).rate == 1.0


# --- bundles ------------------------------------------------------------------------------------


def test_r_case_7_bundles_merge_their_materials_each_common_material_once(demo):
    bundles = Bundle.objects.filter(code__in=[b.code for b in catalog_data.BUNDLES])
    assert bundles.count() >= 3
    assert {"我要开饭店", "新生儿出生一件事"} <= set(bundles.values_list("name", flat=True))
    for bundle in bundles:
        summary = selectors.bundle_summary(bundle)
        names = [m.name for m in summary["materials"]]
        assert len(names) == len(set(names)), bundle
        assert len(names) < summary["separate_material_count"], bundle
        keys = [f["key"] for f in summary["form_fields"]]
        assert len(keys) == len(set(keys)) and "phone" in keys
        types = MaterialType.objects.filter(name__in=names)
        assert types.exists(), bundle
    restaurant = Bundle.objects.get(code="kai-fandian")
    merged = {m.name: m for m in selectors.bundle_materials(restaurant)}
    assert len(merged["居民身份证"].matters) >= 3
    assert "营业执照" not in merged  # fetched from the registration, never asked for
    newborn = selectors.bundle_materials(Bundle.objects.get(code="xinshenger-chusheng"))
    assert "出生医学证明" not in {m.name for m in newborn}


# --- work in progress ---------------------------------------------------------------------------


def test_r_cat_4_change_requests_wait_for_the_government_office(demo):
    pending = ChangeRequest.objects.filter(state=ChangeRequest.State.SUBMITTED)
    assert pending.count() == len(catalog_data.PENDING_REQUESTS)
    assert {r.kind for r in pending} == {"enter", "change", "withdraw"}
    enter = pending.get(kind=ChangeRequest.Kind.ENTER)
    assert enter.listing.status == Listing.Status.PENDING
    assert enter.approver_region.code == "622921"
    seen = selectors.change_requests_for(
        scope=scope_for(user("lxx-govoffice")), state=ChangeRequest.State.SUBMITTED
    )
    assert set(seen) == set(pending.filter(approver_region__code="622921"))
    assert seen.count() == 2
    withdraw = pending.get(kind=ChangeRequest.Kind.WITHDRAW)
    assert withdraw.payload["handled_outside"] and withdraw.payload["outside_reason"] == "space"


def test_r_cat_8_two_process_changes_are_in_review(demo):
    in_review = ProcessChange.objects.filter(
        state__in=[ReviewState.LEGALITY_REVIEW, ReviewState.FINAL_REVIEW]
    )
    assert sorted(in_review.values_list("state", flat=True)) == ["final_review", "legality_review"]
    for change in in_review:
        assert change.proposed.status == GuideVersion.Status.IN_REVIEW
        assert change.before != change.after and change.reason
        assert change.matter.current_version_id == change.base_id  # the current guide still applies
    legality = selectors.process_changes_for(
        scope=scope_for(user("lxz-legality")), state=ReviewState.LEGALITY_REVIEW
    )
    final = selectors.process_changes_for(
        scope=scope_for(user("lxz-final")), state=ReviewState.FINAL_REVIEW
    )
    assert legality.count() == 1 and final.count() == 1
    assert final.get().legality_by.username == "lxz-legality"


# --- accounts and reruns --------------------------------------------------------------------------


def test_the_prefecture_reviewers_and_government_office_are_printed(demo):
    for username in ("lxz-govoffice", "lxz-legality", "lxz-final"):
        assert username in demo.output
        assert user(username).staff_profile.home_region.code == data.PREFECTURE_CODE
        assert scope_for(user(username)).everything


def test_loading_the_demo_catalog_again_changes_nothing(demo):
    models = [
        Matter,
        GuideVersion,
        Material,
        Listing,
        ChangeRequest,
        ProcessChange,
        Bundle,
        MaterialType,
        AuditEvent,
    ]
    before = {m.__name__: m.objects.count() for m in models}
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    call_command("load_demo", "--if-empty", stdout=out)
    assert {m.__name__: m.objects.count() for m in models} == before
    assert "未做改动" in out.getvalue()
