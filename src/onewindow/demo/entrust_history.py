"""Entrusted matters (委托事项) and the register of separate halls (只进一扇门) in the
Linxia demo: 临夏县's departments entrust township and village matters to 韩集镇, 土桥镇
and 尹集镇's convenience centers and 阳洼山村's agency point (one entrustment revoked);
临夏县's center administrator keeps the register of five separate halls of the county's
departments, two closed, one overdue against its plan.

Dates follow the demo's clock (the register's "closed this year" and "overdue" read
today). Built through the services; idempotent (a second run makes nothing new)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from onewindow.catalog import services as catalog_services
from onewindow.catalog.models import Entrustment, Matter
from onewindow.core import clock
from onewindow.demo import catalog_data as cd
from onewindow.org.models import Center, Department
from onewindow.oversight import services as oversight_services
from onewindow.oversight.models import SeparateHall

COUNTY = "622921"
# (matter key, line, receiving center's region code, start, end, document number, title,
#  revoked: (days ago, reason) or None)
ENTRUSTMENTS = (
    (
        "birth_filing",
        "health",
        "622921100",
        date(2025, 3, 1),
        None,
        "临县卫健发〔2025〕18号",
        "关于委托乡镇便民服务中心办理生育登记的通知",
        None,
    ),
    (
        "birth_filing",
        "health",
        "622921101",
        date(2025, 3, 1),
        None,
        "临县卫健发〔2025〕18号",
        "关于委托乡镇便民服务中心办理生育登记的通知",
        None,
    ),
    (
        "resident_pension_enrol",
        "hrss",
        "622921102",
        date(2025, 6, 1),
        None,
        "临县人社发〔2025〕41号",
        "关于委托尹集镇便民服务中心办理城乡居民养老保险参保登记的通知",
        None,
    ),
    (
        "medical_enrol",
        "medical_insurance",
        "622921100201",
        date(2026, 1, 1),
        date(2027, 12, 31),
        "临县医保发〔2025〕66号",
        "关于在村级代办点开展城乡居民医保参保登记委托试点的通知",
        None,
    ),
    (
        "disability_allowance",
        "civil_affairs",
        "622921100",
        date(2025, 1, 1),
        None,
        "临县民发〔2024〕97号",
        "关于委托韩集镇办理困难残疾人两项补贴申领的通知",
        (60, "两项补贴改由县民政局集中审核发放，收回委托，乡镇改为代办转报。"),
    ),
)

# (line, hall, address, matters still served, the matters, reason, plan,
#  planned closing: days from today, closed: days ago or None)
HALLS = (
    (
        "natural_resources",
        "临夏县不动产登记服务大厅",
        "临夏县韩集镇河州大道88号（演示）",
        14,
        "不动产首次登记、转移登记、抵押登记、查询等",
        "不动产登记档案库和测绘设备所需场地，中心现有场地无法容纳。",
        "中心二期扩建完成后整体进驻，档案库随迁。",
        210,
        None,
    ),
    (
        "police",
        "临夏县公安局车辆管理所业务大厅",
        "临夏县韩集镇北环路（演示）",
        9,
        "机动车注册登记、驾驶证换领补领、机动车检验标志核发等",
        "机动车查验需要专用场地。",
        "驾驶证业务先行进驻中心公安窗口，查验场地保留在外。",
        -45,
        None,
    ),
    (
        "hrss",
        "临夏县社会保险服务大厅",
        "临夏县韩集镇人民路（演示）",
        0,
        "",
        "原社保局自设大厅。",
        "社保经办业务整体进驻中心社会保障区。",
        -30,
        40,
    ),
    (
        "provident_fund",
        "临夏州住房公积金管理中心临夏县管理部服务厅",
        "临夏县韩集镇团结路（演示）",
        0,
        "",
        "原管理部自设服务厅。",
        "公积金提取、贷款业务进驻中心。",
        -100,
        120,
    ),
    (
        "tax",
        "国家税务总局临夏县税务局办税服务厅",
        "临夏县韩集镇河州大道96号（演示）",
        6,
        "发票领用、税控设备发行、个体定期定额核定等",
        "税务系统专网和自助办税终端集中部署。",
        "专网接入中心后综合办税业务进驻。",
        120,
        None,
    ),
)


def _entrust(actor, today: date) -> int:
    made = 0
    for key, line, center_code, start, end, number, title, revoked in ENTRUSTMENTS:
        matter = Matter.objects.filter(code=cd.CODES[key]).first()
        center = Center.objects.filter(region__code=center_code).first()
        dept = Department.objects.filter(line__code=line, region__code=COUNTY).first()
        if matter is None or center is None or dept is None:
            continue
        if Entrustment.objects.filter(matter=matter, center=center).exists():
            continue
        entrustment = catalog_services.entrustment_create(
            actor=actor,
            matter=matter,
            department=dept,
            center=center,
            start=start,
            end=end,
            document_number=number,
            document_title=title,
        )
        made += 1
        if revoked is not None:
            days, reason = revoked
            catalog_services.entrustment_revoke(
                actor=actor,
                entrustment=entrustment,
                on=today - timedelta(days=days),
                reason=reason,
            )
    return made


def _register(actor, today: date) -> int:
    made = 0
    for line, name, address, count, matters, reason, plan, planned, closed in HALLS:
        dept = Department.objects.filter(line__code=line, region__code=COUNTY).first()
        if dept is None or SeparateHall.objects.filter(department=dept, name=name).exists():
            continue
        hall = oversight_services.separate_hall_record(
            actor=actor,
            department_id=dept.pk,
            name=name,
            address=address,
            matters_count=count,
            matters_list=matters,
            reason=reason,
            plan=plan,
            planned_close=today + timedelta(days=planned),
        )
        made += 1
        if closed is not None:
            oversight_services.separate_hall_close(
                actor=actor, hall_id=hall.pk, on=today - timedelta(days=closed)
            )
    return made


def load(*, now: datetime | None = None) -> int:
    """Create the demo entrustments and separate halls; return how many were made."""
    admin = get_user_model().objects.filter(username="lxx-admin").first()
    if admin is None:
        return 0
    today = timezone.localdate(clock.now(now))
    with transaction.atomic():
        return _entrust(admin, today) + _register(admin, today)
