"""The online application form as the citizen fills it (R-CASE-8, R-CAT-7): what a
post carries (the applicant, the guide's form fields, how each material is given) and
the form shown back, the basic information once and each material with its pledge."""

from __future__ import annotations

import re

from onewindow.cases.models import Applicant, Case
from onewindow.cases.selectors import pages
from onewindow.cases.services import online_form
from onewindow.catalog.models import Material
from onewindow.core import idnumber

# Phones count as the mobile channel; tablets and desktops as the web.
PHONE_AGENT = re.compile(r"iPhone|iPod|Android.*Mobile|Windows Phone|HarmonyOS.*Mobile|Mobi", re.I)
TABLET_AGENT = re.compile(r"iPad|Tablet", re.I)
DOC_CHOICES = [("", "暂不提供"), ("electronic", "电子材料"), ("pledge", "告知承诺")]
DOC_KEY = re.compile(r"^doc_(\d{1,9})$")
FORM_KEY = re.compile(r"^form_(\w{1,64})$")


def channel(request) -> str:
    agent = request.META.get("HTTP_USER_AGENT", "")[:500]
    phone = PHONE_AGENT.search(agent) and not TABLET_AGENT.search(agent)
    return Case.Channel.MOBILE if phone else Case.Channel.WEB


def clean(value: str, limit: int) -> str:
    return (value or "").replace("\x00", "").strip()[:limit]


def posted_materials(post) -> dict[int, dict]:
    """Every ``doc_<id>`` posted, so that a material outside the guide is refused by the
    service (R-CAT-7) rather than silently dropped."""
    chosen = {}
    for key, value in post.items():
        match = DOC_KEY.match(key)
        if not match or not value:
            continue
        if value == "pledge":
            pledged = post.get(f"pledge_ok_{match.group(1)}") == "1"
            chosen[int(match.group(1))] = {"by_pledge": True, "pledged": pledged}
        else:
            chosen[int(match.group(1))] = {"electronic": True}
    return chosen


def posted_form(post) -> dict:
    """Every ``form_<key>`` posted; fields outside the guide's form are refused."""
    values = {}
    for key, value in post.items():
        match = FORM_KEY.match(key)
        if match and clean(value, 500):
            values[match.group(1)] = clean(value, 500)
    return values


def posted_applicant(post) -> dict:
    return {
        "kind": post.get("kind") or Applicant.Kind.PERSON,
        "name": clean(post.get("name", ""), 100),
        "phone": clean(post.get("phone", ""), 20),
        "id_number": clean(post.get("id_number", ""), 24),
        "credit_code": clean(post.get("credit_code", ""), 18),
        "address": clean(post.get("address", ""), 200),
    }


def secret_keys(version) -> set[str]:
    """Form fields holding an identity number: never shown back in the page."""
    return {f.get("key") for f in version.form_fields or [] if f.get("type") == "id_number"}


def form_context(
    version, *, values: dict, docs: dict, saved: dict | None = None, pledged=frozenset()
) -> dict:
    """The form as the citizen fills it: the basic information once (the guide's fields
    that repeat it are filled from it by the service), the rest of the guide's form, and
    each material with how it is given; a pledge shows its text to read and accept."""
    materials = pages.guide_materials(version)
    secret = secret_keys(version)
    kind = values.get("kind") or Applicant.Kind.PERSON
    fields = []
    for f in online_form.asked_fields(version, kind):
        key = f.get("key")
        if key in secret:
            kept = (saved or {}).get(key, "")
            hint = f"已填 {idnumber.mask(str(kept))}，不改请留空" if kept else ""
            fields.append({**f, "value": "", "hint": hint})
        else:
            fields.append({**f, "value": values.get(f"form_{key}", "")})
    from_basic = online_form.basic_fields(version, kind)
    return {
        "version": version,
        "from_basic": [
            f.get("label") for f in version.form_fields or [] if f.get("key") in from_basic
        ],
        "materials": [
            {
                "material": m,
                "chosen": docs.get(str(m.pk), ""),
                "pledge_text": online_form.pledge_text(m, version.matter)
                if m.pledge_allowed
                else "",
                "pledged": str(m.pk) in pledged,
            }
            for m in materials
            if m.source != Material.Source.SHARED
        ],
        "shared": [m for m in materials if m.source == Material.Source.SHARED],
        "fields": fields,
        "doc_choices": DOC_CHOICES,
    }


def posted_docs(post) -> dict[str, str]:
    return {m.group(1): v for k, v in post.items() if (m := DOC_KEY.match(k))}


def posted_pledges(post) -> set[str]:
    return {k[len("pledge_ok_") :] for k, v in post.items() if k.startswith("pledge_ok_") and v}
