"""Building the Linxia demo network through the organisation's services.

Everything is made by the same services the pages and the API use, acting as the
demo superuser, so every row has its audit record. Each step first looks for what
it would make and keeps what is there: loading twice changes nothing, and a load
that stopped half way is completed.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.db import transaction

from onewindow.core.audit import audit_record, snapshot
from onewindow.core.calendar import calendar_override_create
from onewindow.core.errors import Conflict
from onewindow.core.idnumber import make as make_id_number
from onewindow.core.models import CalendarOverride
from onewindow.core.roles import Role
from onewindow.demo import data, staff_history, staff_numbers
from onewindow.org import services
from onewindow.org.models import (
    Center,
    CenterUnit,
    Department,
    DepartmentLine,
    Level,
    Region,
    StaffProfile,
)

User = get_user_model()

CENTER_SUFFIX = {
    Level.PREFECTURE: "政务服务中心",
    Level.COUNTY: "政务服务中心",
    Level.TOWNSHIP: "便民服务中心",
    Level.VILLAGE: "便民服务代办点",
}


@dataclass(frozen=True)
class Account:
    username: str
    password: str
    role: str
    full_name: str
    place: str


def check_password(password: str = data.DEMO_PASSWORD) -> None:
    """Raise ValidationError if the demo password fails the configured validators."""
    validate_password(password, User(username=data.SUPERUSER[0]))
    for person in data.PEOPLE:
        validate_password(password, User(username=person.username, full_name=person.full_name))


class _Builder:
    def __init__(self, actor, password: str):
        self.actor = actor
        self.password = password
        self.created = 0
        self.regions: dict[str, Region] = {}
        self.centers: dict[str, Center] = {}
        self.lines: dict[str, DepartmentLine] = {}
        self.departments: dict[tuple[str, str], Department] = {}
        self.units: dict[tuple[str, str], CenterUnit] = {}
        self.short_names: dict[str, str] = {data.PREFECTURE_CODE: data.PREFECTURE_SHORT}

    # --- regions and centers ----------------------------------------------------------

    def region(
        self, *, code: str, name: str, level: str, parent: Region | None, is_demo: bool
    ) -> Region:
        region = Region.objects.filter(code=code).first()
        if region is None:
            region = services.region_create(
                actor=self.actor, code=code, name=name, level=level, parent=parent, is_demo=is_demo
            )
            self.created += 1
        self.regions[code] = region
        return region

    def center(
        self, region: Region, *, name: str, address: str, phone_no: int, hours: str
    ) -> Center:
        code = f"C{region.code}"
        center = Center.objects.filter(code=code).first()
        if center is None:
            center = services.center_create(
                actor=self.actor,
                region=region,
                code=code,
                name=name,
                address=address,
                phone=data.demo_phone(phone_no),
                complaint_phone=data.demo_phone(phone_no + 1) + "；12345政务服务便民热线",
                hours=hours,
            )
            self.created += 1
        self.centers[region.code] = center
        return center

    def unit(self, center: Center, unit: data.Unit) -> CenterUnit:
        found = CenterUnit.objects.filter(center=center, kind=unit.kind).first()
        if found is None:
            found = services.center_unit_save(
                actor=self.actor,
                center=center,
                kind=unit.kind,
                operator=unit.operator,
                contractor=unit.contractor,
                contract_start=unit.contract_start,
                contract_end=unit.contract_end,
            )
            self.created += 1
        self.units[(center.region.code, unit.kind)] = found
        return found

    def network(self) -> None:
        pref = self.region(
            code=data.PREFECTURE_CODE,
            name=data.PREFECTURE_NAME,
            level=Level.PREFECTURE,
            parent=None,
            is_demo=False,
        )
        center = self.center(
            pref,
            name=data.PREFECTURE_SHORT + CENTER_SUFFIX[Level.PREFECTURE],
            address=data.PREFECTURE_ADDRESS,
            phone_no=100000,
            hours=data.HOURS,
        )
        for unit in data.PREFECTURE_UNITS:
            self.unit(center, unit)

        for c_index, county_data in enumerate(data.COUNTIES, start=1):
            self.short_names[county_data.code] = county_data.short
            county = self.region(
                code=county_data.code,
                name=county_data.name,
                level=Level.COUNTY,
                parent=pref,
                is_demo=False,
            )
            base = 100000 + c_index * 10000
            center = self.center(
                county,
                name=county_data.short + CENTER_SUFFIX[Level.COUNTY],
                address=county_data.address,
                phone_no=base,
                hours=data.HOURS,
            )
            for unit in county_data.units:
                self.unit(center, unit)
            for t_index, town in enumerate(county_data.townships, start=1):
                township = self.region(
                    code=county.code + town.suffix,
                    name=town.name,
                    level=Level.TOWNSHIP,
                    parent=county,
                    is_demo=True,
                )
                self.center(
                    township,
                    name=f"{county_data.short}{town.name}{CENTER_SUFFIX[Level.TOWNSHIP]}",
                    address=f"{county_data.short}{town.name}人民政府院内{data.DEMO_MARK}",
                    phone_no=base + t_index * 100,
                    hours=data.TOWNSHIP_HOURS,
                )
                for v_index, place in enumerate(town.children, start=1):
                    village = self.region(
                        code=township.code + place.suffix,
                        name=place.name,
                        level=Level.VILLAGE,
                        parent=township,
                        is_demo=True,
                    )
                    self.center(
                        village,
                        name=f"{town.name}{place.name}{CENTER_SUFFIX[Level.VILLAGE]}",
                        address=f"{county_data.short}{town.name}{place.name}村（居）委会{data.DEMO_MARK}",
                        phone_no=base + t_index * 100 + v_index * 10,
                        hours=data.VILLAGE_HOURS,
                    )

    # --- departments ---------------------------------------------------------------------

    def build_departments(self) -> None:
        for line_data in data.LINES:
            line = DepartmentLine.objects.filter(code=line_data.code).first()
            if line is None:
                line = services.department_line_create(
                    actor=self.actor,
                    code=line_data.code,
                    name=line_data.name,
                    body_suffix=line_data.body_suffix,
                )
                self.created += 1
            self.lines[line_data.code] = line
            for code in [data.PREFECTURE_CODE, *(c.code for c in data.COUNTIES)]:
                region = self.regions[code]
                dept = Department.objects.filter(line=line, region=region).first()
                if dept is None:
                    dept = services.department_create(
                        actor=self.actor,
                        line=line,
                        region=region,
                        name=line_data.body_name(full=region.name, short=self.short_names[code]),
                        center=self.centers[code] if line_data.stationed else None,
                    )
                    self.created += 1
                self.departments[(code, line_data.code)] = dept

    # --- people --------------------------------------------------------------------------

    def superuser(self):
        username, full_name = data.SUPERUSER
        user = User.objects.filter(username=username).first()
        if user is not None and not user.is_superuser:
            raise Conflict("demo.username_taken", f"登录名 {username} 已被非系统管理员账号使用。")
        if user is None:
            user = User.objects.create_superuser(
                username, password=self.password, full_name=full_name
            )
            audit_record(
                actor=user,
                action="user.create",
                target=user,
                after=snapshot(user),
                note="载入演示数据：系统管理员",
            )
            self.created += 1
        self.actor = user
        return user

    def people(self) -> list[Account]:
        root = self.actor
        accounts = [
            Account(root.username, self.password, "系统管理员（超级用户）", root.full_name, "全州")
        ]
        for index, person in enumerate(data.PEOPLE, start=1):
            region = self.regions[person.region]
            center = self.centers[person.region] if person.center else None
            department = (
                self.departments[(person.region, person.department)] if person.department else None
            )
            unit = self.units[(person.region, person.unit)] if person.unit else None
            profile = StaffProfile.objects.filter(user__username=person.username).first()
            if profile is None:
                profile = services.staff_create(
                    actor=self.actor,
                    username=person.username,
                    full_name=person.full_name,
                    password=self.password,
                    roles=set(person.roles),
                    staff_no=staff_numbers.person(index),
                    center=center,
                    department=department,
                    region=region if person.region_scope else None,
                    unit=unit,
                    employer_kind=(
                        StaffProfile.Employer.THIRD_PARTY
                        if person.third_party
                        else StaffProfile.Employer.GOVERNMENT
                    ),
                    employer_name=unit.contractor if person.third_party else "",
                    title=person.title,
                    id_number=_id_number(person, index),
                    posting_started=person.posting_started,
                )
                self.created += 1 + staff_history.pre_job_training(self.actor, profile)
            accounts.append(
                Account(
                    person.username,
                    self.password,
                    "、".join(Role(r).label for r in person.roles),
                    person.full_name,
                    _place(profile),
                )
            )
        return accounts

    # --- the work calendar ------------------------------------------------------------------

    def closures(self) -> None:
        for closure in data.CLOSURES:
            region = self.regions[closure.region]
            if CalendarOverride.objects.filter(date=closure.date, region=region).exists():
                continue
            calendar_override_create(
                actor=self.actor,
                date=closure.date,
                is_workday=closure.is_workday,
                reason=closure.reason,
                region=region,
            )
            self.created += 1


def _place(profile: StaffProfile) -> str:
    parts = []
    if profile.unit_id:
        parts.append(str(profile.unit))
    elif profile.center_id:
        parts.append(profile.center.name)
    if profile.department_id:
        parts.append(profile.department.name)
    if profile.region_id:
        parts.append(f"管辖{profile.region.name}")
    text = "，".join(parts)
    if profile.employer_kind == StaffProfile.Employer.THIRD_PARTY:
        text += f"（第三方人员，用人单位：{profile.employer_name}）"
    return text


def _id_number(person: data.Person, index: int) -> str:
    """A valid demo identity number with an address code of the person's county
    (临夏市 for the prefecture, where the prefecture's seat is)."""
    prefix = "622901" if person.region == data.PREFECTURE_CODE else person.region
    return make_id_number(f"{prefix}{person.born}{index:03d}")


@transaction.atomic
def load(*, password: str = data.DEMO_PASSWORD) -> tuple[list[Account], int]:
    """Build (or complete) the demo data; return the accounts and how many rows were made."""
    check_password(password)
    builder = _Builder(actor=None, password=password)
    builder.superuser()
    builder.network()
    builder.build_departments()
    accounts = builder.people()
    builder.closures()
    return accounts, builder.created


def accounts() -> list[Account]:
    """The demo accounts as they are in the database (for printing without loading)."""
    result = []
    username, _ = data.SUPERUSER
    root = User.objects.filter(username=username, is_superuser=True).first()
    if root is not None:
        result.append(
            Account(
                root.username, data.DEMO_PASSWORD, "系统管理员（超级用户）", root.full_name, "全州"
            )
        )
    profiles = {
        p.user.username: p
        for p in StaffProfile.objects.select_related(
            "user", "center", "department", "region", "unit"
        ).filter(user__username__in=[p.username for p in data.PEOPLE])
    }
    for person in data.PEOPLE:
        profile = profiles.get(person.username)
        if profile is not None:
            result.append(
                Account(
                    person.username,
                    data.DEMO_PASSWORD,
                    "、".join(Role(r).label for r in person.roles),
                    person.full_name,
                    _place(profile),
                )
            )
    return result
