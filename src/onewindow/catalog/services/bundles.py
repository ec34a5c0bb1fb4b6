"""“One thing” bundles (一件事): several matters, kept by a center administrator or a
government office."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from onewindow.catalog.models import (
    Bundle,
    BundleItem,
    Matter,
)
from onewindow.core.audit import audit_record
from onewindow.core.errors import Forbidden, InvalidInput
from onewindow.core.locking import for_update
from onewindow.core.roles import may
from onewindow.core.validation import full_clean


@transaction.atomic
def bundle_save(
    *,
    actor,
    code: str,
    name: str,
    matters: list[Matter],
    description: str = "",
    keywords: str = "",
    optional: Iterable[int] = (),
) -> Bundle:
    if not may(actor, "catalog.bundle"):
        raise Forbidden("bundle.not_allowed", "只有中心管理员或政府办公室可以维护“一件事”。")
    if len(matters) < 2:
        raise InvalidInput(
            "bundle.too_few", "“一件事”至少包含两个事项。", {"matters": "至少选择两个事项。"}
        )
    bundle = for_update(Bundle.objects).filter(code=code).first()
    before = None
    if bundle is None:
        bundle = Bundle(code=code)
    else:
        before = {
            "name": bundle.name,
            "matters": list(bundle.items.values_list("matter_id", flat=True)),
        }
    bundle.name, bundle.description, bundle.keywords = name, description, keywords
    full_clean(bundle, "bundle.invalid")
    bundle.save()
    bundle.items.all().delete()
    optional = set(optional)
    for index, matter in enumerate(matters, start=1):
        BundleItem.objects.create(
            bundle=bundle, matter=matter, order=index, optional=matter.pk in optional
        )
    audit_record(
        actor=actor,
        action="bundle.save",
        target=bundle,
        before=before,
        after={"name": name, "matters": [m.pk for m in matters]},
    )
    return bundle
