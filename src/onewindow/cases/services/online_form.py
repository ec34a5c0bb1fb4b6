"""The online application form's rules (R-CASE-6, R-CASE-5): basic information asked
once, and pledges read and accepted before they replace a certificate.

- 一表申请: a guide's form field that repeats the applicant's basic information (the
  name, identity number, credit code, phone, address) is filled from it by the service
  and never asked a second time. Which fields those are is data: ``BASIC_BY_KEY`` and
  ``BASIC_BY_TYPE`` per kind of applicant.
- A field the matter itself outputs (``"output": true`` in the guide's form field, such
  as the credit code a registration issues) is never asked of the applicant.
- 告知承诺: the pledge's text is built from the guide's material and matter; a pledge
  given online counts only when the applicant ticked "我已阅读并承诺".
"""

from __future__ import annotations

from onewindow.cases.models import Applicant
from onewindow.core.errors import InvalidInput

# The applicant's attribute a form field repeats, by the field's key, per kind.
BASIC_BY_KEY = {
    Applicant.Kind.PERSON: {
        "applicant_name": "name",
        "id_number": "id_number",
        "phone": "phone",
        "address": "address",
    },
    Applicant.Kind.ENTERPRISE: {
        "enterprise_name": "name",
        "credit_code": "credit_code",
        "phone": "phone",
        "address": "address",
    },
}
# … and by the field's type, whatever its key.
BASIC_BY_TYPE = {
    Applicant.Kind.PERSON: {"id_number": "id_number", "phone": "phone"},
    Applicant.Kind.ENTERPRISE: {"phone": "phone"},
}
BASIC_LABELS = {
    "name": "姓名/名称",
    "id_number": "身份证号码",
    "credit_code": "统一社会信用代码",
    "phone": "手机号",
    "address": "地址",
}


def basic_fields(version, kind: str) -> dict[str, str]:
    """The form's keys that repeat the basic information, with the attribute each takes."""
    kind = kind if kind in BASIC_BY_KEY else Applicant.Kind.PERSON
    by_key, by_type = BASIC_BY_KEY[kind], BASIC_BY_TYPE[kind]
    found = {}
    for field in version.form_fields or []:
        key = field.get("key")
        if not key or field.get("output"):
            continue
        attribute = by_type.get(field.get("type")) or by_key.get(key)
        if attribute:
            found[key] = attribute
    return found


def output_keys(version) -> set[str]:
    """The form's keys the matter itself produces: never asked of the applicant."""
    return {f.get("key") for f in version.form_fields or [] if f.get("key") and f.get("output")}


def asked_fields(version, kind: str) -> list[dict]:
    """The form fields the applicant fills in: not the basic information again, not what
    the matter outputs."""
    skip = set(basic_fields(version, kind)) | output_keys(version)
    return [f for f in version.form_fields or [] if f.get("key") and f.get("key") not in skip]


def with_basic_values(version, form: dict, applicant: dict, *, case=None) -> dict:
    """The form with its basic-information fields taken from the applicant's basic
    information. An identity number left empty while editing stays the one given before
    (the draft's form, else the applicant's record)."""
    kind = applicant.get("kind") or Applicant.Kind.PERSON
    values = dict(form)
    for key in output_keys(version):
        values.pop(key, None)
    for key, attribute in basic_fields(version, kind).items():
        value = str(applicant.get(attribute) or "").strip()
        if not value and attribute == "id_number" and case is not None:
            value = str((case.form_data or {}).get(key) or "")
            if not value and case.applicant.kind == kind and case.applicant.id_number_cipher:
                value = case.applicant.decrypted_id_number()
        if not value and attribute == "credit_code" and case is not None:
            value = case.applicant.credit_code if case.applicant.kind == kind else ""
        if value:
            values[key] = value.upper() if attribute == "credit_code" else value
    return values


# --- pledges ---------------------------------------------------------------------------------


def pledge_text(material, matter) -> str:
    """The pledge an applicant signs in place of a certificate (证明事项告知承诺书), from
    the guide's material and matter."""
    return (
        f"本人（本单位）申请办理“{matter.name}”，自愿以告知承诺方式替代提交“{material.name}”，"
        "并郑重承诺：本人（本单位）已经符合该材料所证明的条件，所填写的信息和承诺内容真实、准确、完整。"
        "本人（本单位）知晓服务中心和审批部门将对承诺内容进行核查；如承诺不实，"
        "愿意承担相应的法律责任，同意撤销依据本承诺作出的决定，并记入信用记录，今后不再适用告知承诺。"
    )


def check_pledges_accepted(checked) -> None:
    """Every material given by pledge online must have its pledge read and accepted."""
    refused = [
        m for m, options in checked if options.get("by_pledge") and not options.get("pledged")
    ]
    if not refused:
        return
    names = "、".join(f"“{m.name}”" for m in refused)
    message = f"选择以告知承诺替代{names}的，请阅读承诺内容并勾选“我已阅读并承诺”。"
    raise InvalidInput(
        "online.pledge_not_accepted",
        message,
        {"materials": message, **{f"materials.{m.pk}": message for m in refused}},
    )
