"""The center's own teams (§19, R-STAFF-4): recruitment recorded (openly, date, way) and
the contracts of third-party staff."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from onewindow.core.audit import audit_record
from onewindow.core.errors import InvalidInput
from onewindow.core.text import clean_text
from onewindow.org.models import Center, StaffProfile
from onewindow.staffing.access import center_in_scope, require
from onewindow.staffing.models import Recruitment, StaffContract, Team
from onewindow.staffing.services.common import record_for_update, today

OWN_TEAMS = (Team.COMPREHENSIVE, Team.AGENCY)


@transaction.atomic
def recruitment_record(
    *,
    actor,
    center: Center,
    team: str,
    held_on: date,
    way: str,
    openly: bool,
    announcement: str,
    positions: int,
    hired: int,
) -> Recruitment:
    require(actor, "staff.manage")
    center_in_scope(actor, center.pk)
    if team not in OWN_TEAMS:
        message = "请选择招聘的队伍（综合窗口队伍或帮办代办队伍）。"
        raise InvalidInput("recruitment.team_invalid", message, {"team": message})
    if way not in Recruitment.Way.values:
        raise InvalidInput(
            "recruitment.way_invalid", "请选择招聘方式。", {"way": "请选择招聘方式。"}
        )
    if held_on > today():
        raise InvalidInput(
            "recruitment.in_future", "招聘日期不能晚于今天。", {"held_on": "招聘日期不能晚于今天。"}
        )
    if not 1 <= positions <= 500 or not 0 <= hired <= positions:
        message = "招聘名额应为1–500，录用人数不能超过名额。"
        raise InvalidInput("recruitment.numbers_invalid", message, {"hired": message})
    announcement = clean_text(
        announcement,
        field="announcement",
        label="公告",
        limit=200,
        required=openly,
        message="公开招聘须填写公告的发布渠道或文号。",
    )
    item = Recruitment.objects.create(
        center=center,
        team=team,
        held_on=held_on,
        way=way,
        openly=openly,
        announcement=announcement,
        positions=positions,
        hired=hired,
        recorded_by=actor,
    )
    audit_record(
        actor=actor,
        action="recruitment.record",
        target=item,
        center=center,
        after={"team": team, "held_on": held_on, "way": way, "openly": openly, "hired": hired},
    )
    return item


@transaction.atomic
def staff_contract_record(
    *, actor, profile: StaffProfile, company: str, contract_no: str, starts_on: date, ends_on: date
) -> StaffContract:
    require(actor, "staff.manage")
    record_for_update(actor, profile)
    if profile.employer_kind != StaffProfile.Employer.THIRD_PARTY:
        raise InvalidInput("contract.not_third_party", "只有第三方服务机构人员需要登记劳务合同。")
    company = clean_text(company, field="company", label="服务公司", limit=100)
    contract_no = clean_text(contract_no, field="contract_no", label="合同编号", limit=50)
    if ends_on < starts_on:
        message = "合同截止日期不能早于起始日期。"
        raise InvalidInput("contract.ends_before_start", message, {"ends_on": message})
    item = StaffContract.objects.create(
        profile=profile,
        company=company,
        contract_no=contract_no,
        starts_on=starts_on,
        ends_on=ends_on,
        recorded_by=actor,
    )
    audit_record(
        actor=actor,
        action="staff_contract.record",
        target=item,
        center=profile.center,
        after={
            "company": company,
            "contract_no": contract_no,
            "starts_on": starts_on,
            "ends_on": ends_on,
        },
    )
    return item
