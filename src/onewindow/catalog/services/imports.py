"""Loading a catalog already approved on the provincial platform (Excel import with
``publish=True``): superuser only, without a second review."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from onewindow.catalog.models import (
    LISTING_LOCAL_FIELDS,
    GuideVersion,
    Listing,
    Matter,
)
from onewindow.catalog.search_index import search_index_matter
from onewindow.catalog.services.common import (
    lock_version,
    require_draft,
    require_no_open_request,
    require_superuser,
)
from onewindow.catalog.services.publication import check_compression, check_ready, publish_version
from onewindow.core.audit import audit_record, diff, snapshot
from onewindow.core.clock import now
from onewindow.core.errors import InvalidInput
from onewindow.core.locking import for_update
from onewindow.core.validation import full_clean
from onewindow.org.models import Center, Department


@transaction.atomic
def catalog_import_publish(*, actor, version: GuideVersion, note: str) -> GuideVersion:
    """Publish a draft loaded from a catalog already approved on the provincial platform,
    without a second review: superuser only. Lint and completeness still apply; a
    recorded reason for missing the compression counts as accepted there."""
    require_superuser(actor)
    version = lock_version(version.pk)
    require_draft(version)
    check_ready(version)
    check_compression(version, accepted=True)
    version.compression_exception_accepted = not version.meets_compression
    previous = version.matter.current_version
    version = publish_version(version, actor)
    audit_record(
        actor=actor,
        action="guide.import_publish",
        target=version,
        department=version.matter.department,
        before={"version": previous.number if previous else None},
        after={
            "version": version.number,
            "exception_accepted": version.compression_exception_accepted,
        },
        note=note,
    )
    return version


@transaction.atomic
def catalog_import_activate(
    *,
    actor,
    matter: Matter,
    center: Center,
    department: Department,
    code: str,
    note: str,
    **local,
) -> Listing:
    """Enter (or update the local facts of) a listing from an approved catalog and make it
    active at once: superuser only."""
    require_superuser(actor)
    unknown = set(local) - set(LISTING_LOCAL_FIELDS)
    if unknown:
        raise InvalidInput(
            "listing.unknown_field",
            f"实施清单只能填写本地信息，不能填写：{', '.join(sorted(unknown))}。",
        )
    listing = for_update(Listing.objects).filter(matter=matter, center=center).first()
    before = snapshot(listing) if listing is not None else None
    if listing is None:
        listing = Listing(matter=matter, center=center, department=department, code=code.strip())
    else:
        require_no_open_request(listing)
    for key, value in local.items():
        setattr(listing, key, value)
    listing.status, listing.updated_at = Listing.Status.ACTIVE, now()
    full_clean(listing, "listing.invalid", exclude=["code"] if listing.pk else None)
    try:
        with transaction.atomic():
            listing.save()
    except IntegrityError:
        raise InvalidInput(
            "listing.code_taken", "实施编码已被使用。", {"code": "实施编码已被使用。"}
        ) from None
    search_index_matter(matter)
    b, a = diff(before, snapshot(listing))
    audit_record(
        actor=actor,
        action="listing.import_activate",
        target=listing,
        center=center,
        department=listing.department,
        before=b,
        after=a,
        note=note,
    )
    return listing
