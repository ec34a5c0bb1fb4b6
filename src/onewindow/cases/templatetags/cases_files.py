"""The case page's electronic materials panel (R-CASE-6): each material of the pinned
version with its document's file, an upload form while materials are received, and the
applicant's stored documents that can be reused."""

from __future__ import annotations

from django import template

from onewindow.cases.services import files as file_services
from onewindow.catalog.models import Material
from onewindow.core.roles import may
from onewindow.files import storage

register = template.Library()


@register.simple_tag
def files_panel(case, user) -> dict:
    version = case.guide_version
    given = {
        d.material_id: d
        for d in case.documents.select_related("file", "reused_from", "received_by")
    }
    staff = may(user, "case.front") or may(user, "case.back")
    can_upload = staff and file_services.attach_allowed(case)
    reusable = file_services.reusable_documents(case.applicant, version) if can_upload else {}
    rows = []
    for material in version.materials.exclude(source=Material.Source.SHARED).order_by("order"):
        document = given.get(material.pk)
        stored = document.file if document is not None and document.file_id else None
        offer = reusable.get(material.pk)
        if offer is not None and stored is not None and offer.file_id == stored.pk:
            offer = None
        rows.append(
            {
                "material": material,
                "document": document,
                "file": stored,
                "size": storage.human_size(stored.size) if stored else "",
                "type": storage.LABELS.get(stored.content_type, stored.content_type)
                if stored
                else "",
                "reuse": offer,
            }
        )
    return {
        "rows": rows,
        "can_upload": can_upload,
        "has_files": any(r["file"] for r in rows),
        "max_size": storage.human_size(storage.max_bytes()),
        "accept": storage.ACCEPT,
    }
