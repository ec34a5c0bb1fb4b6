"""The demo halls, as plain Python data: service categories, windows, clerks, the
appointment offer, and the figures the simulated month of history is drawn from.

The clerks' names are made up for the demonstration. The history of tickets is
simulated (see ``hall_loader``), not recorded: arrivals, service times and
no-shows follow the shape of a county hall (morning peak 9–11, afternoon peak
14:30–16), not any real center's data.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time

from onewindow.demo import data


@dataclass(frozen=True)
class Category:
    letter: str
    name: str
    description: str
    domains: frozenset[str] = frozenset()  # matters of these domains (catalog Matter.domain)
    kinds: frozenset[str] = frozenset()  # matters of these kinds, whatever their domain
    rest: bool = False  # the matters no other category takes
    bundles: bool = False  # the matters of the "one thing" bundles
    needs_clerk: bool = True
    weight: float = 0.0  # share of the hall's tickets
    service_minutes: float = 0.0  # median service time
    bookable: bool = False  # offers appointment slots


CATEGORIES: tuple[Category, ...] = (
    Category(
        "A",
        "企业开办",
        "营业执照、食品经营许可、公章刻制等市场准入事项",
        domains=frozenset({"市场准入", "市场监管", "质量计量", "商贸流通"}),
        weight=0.13,
        service_minutes=11,
        bookable=True,
    ),
    Category(
        "B",
        "社保医保",
        "养老、失业、医疗保险，社会保障卡，住房公积金",
        domains=frozenset({"社会保障", "就业", "医疗保障", "劳动关系", "住房公积金"}),
        weight=0.22,
        service_minutes=6,
        bookable=True,
    ),
    Category(
        "C",
        "不动产登记",
        "不动产登记、交易及税费",
        domains=frozenset({"不动产", "税费"}),
        weight=0.11,
        service_minutes=14,
        bookable=True,
    ),
    Category(
        "D",
        "公安户政",
        "户籍、居民身份证、机动车和驾驶证",
        domains=frozenset({"户籍管理", "交通管理"}),
        weight=0.17,
        service_minutes=6,
        bookable=True,
    ),
    Category(
        "E",
        "综合受理（无差别）",
        "以上类别以外的各类事项，无差别综合窗口受理",
        rest=True,
        weight=0.15,
        service_minutes=8,
    ),
    Category(
        "F",
        "一件事一次办",
        "开饭店、新生儿出生、买房、退休、企业开办等“一件事”套餐",
        bundles=True,
        weight=0.04,
        service_minutes=18,
        bookable=True,
    ),
    Category(
        "G",
        "其他事务代办",
        "不常办理的事项、奖励申领、争议调处等，由代办窗口帮办代办",
        kinds=frozenset({"reward", "adjudication"}),
        weight=0.03,
        service_minutes=9,
    ),
    Category(
        "H", "统一出件", "领取办理结果、证照（也可选择免费邮寄）", weight=0.09, service_minutes=2.5
    ),
    Category(
        "Z",
        "自助打印查询",
        "社保缴费证明、不动产登记资料查询、营业执照打印等自助服务",
        needs_clerk=False,
    ),
)


@dataclass(frozen=True)
class WindowData:
    number: int
    name: str
    categories: str  # letters
    scope: str = "domain"  # Window.Scope
    pace: str = "instant"  # Window.Pace
    kind: str = "comprehensive"  # Window.Kind
    domain: str = ""


WINDOWS: tuple[WindowData, ...] = (
    WindowData(1, "综合受理", "EBD", scope="unrestricted"),
    WindowData(2, "综合受理", "EAC", scope="unrestricted", pace="deadline"),
    WindowData(3, "企业开办", "A", domain="市场准入"),
    WindowData(4, "企业开办", "A", pace="deadline", domain="市场准入"),
    WindowData(5, "社保医保", "B", domain="社会保障、医疗保障"),
    WindowData(6, "社保医保", "B", domain="社会保障、医疗保障"),
    WindowData(7, "不动产登记", "C", pace="deadline", domain="不动产"),
    WindowData(8, "不动产登记", "C", pace="deadline", domain="不动产"),
    WindowData(9, "公安户政", "D", domain="户籍管理"),
    WindowData(10, "一件事", "F", scope="unrestricted", pace="deadline", kind="bundle"),
    WindowData(11, "其他事务代办", "GE", scope="unrestricted", kind="proxy"),
    WindowData(12, "统一出件", "H", scope="unrestricted", kind="delivery"),
)

# Window 1 of 临夏县's center is the existing demo clerk's (lxx-clerk).
DEMO_CLERK = "lxx-clerk"
DEMO_CLERK_WINDOW = 1
# She also takes in (without deciding) the 企业开办 matters of her center, so that the
# documented flagship journey (营业执照: her intake, the market bureau's decision) works.
DEMO_CLERK_EXTRA_CATEGORIES = ("A",)

# Login prefixes of the clerks of each center's windows: <prefix>-w01 …
CLERK_PREFIX = {
    data.PREFECTURE_CODE: "lxz",
    "622901": "lxs",
    "622921": "lxx",
    "622922": "kl",
    "622923": "yj",
    "622924": "gh",
    "622925": "hz",
    "622926": "dx",
    "622927": "jss",
}
# Centers whose new clerks get the demo password (the others cannot log in).
LOGIN_CENTERS = frozenset({"622921"})

SURNAMES = "马韩何妥王张李杨赵刘陈周罗冶穆苏孔丁沈"
GIVEN = (
    "丽娟",
    "建国",
    "晓燕",
    "海龙",
    "文秀",
    "志强",
    "玉兰",
    "永福",
    "春花",
    "国栋",
    "淑芳",
    "明亮",
    "小燕",
    "俊杰",
    "秀英",
    "学文",
    "海霞",
    "德胜",
    "雪莲",
    "振华",
    "红梅",
    "金山",
    "慧敏",
    "成龙",
)

# --- opening hours ----------------------------------------------------------------------------
# Each demo center's schedule, as its posted hours (``data.HOURS`` …) say: summer (5月1日至
# 9月30日) 9:00-12:00, 14:30-17:30; winter 9:00-12:00, 14:00-17:00; the county and
# prefecture halls add a Saturday morning of extended service (错时延时) for some
# categories, served by the windows of those categories.


@dataclass(frozen=True)
class HoursPeriod:
    start: time
    end: time
    weekdays: frozenset[int] = frozenset(range(5))  # 0 = Monday
    season: str = "all"  # all | summer | winter
    extended: bool = False
    categories: str = ""  # letters; empty: every category


SEASONAL = (
    HoursPeriod(time(9), time(12)),
    HoursPeriod(time(14, 30), time(17, 30), season="summer"),
    HoursPeriod(time(14), time(17), season="winter"),
)
SATURDAY_CATEGORIES = "ABDH"  # 企业开办, 社保医保, 公安户政, 统一出件
SCHEDULES: dict[str, tuple[HoursPeriod, ...]] = {
    data.HOURS: SEASONAL
    + (
        HoursPeriod(
            time(9),
            time(12),
            weekdays=frozenset({5}),
            extended=True,
            categories=SATURDAY_CATEGORIES,
        ),
    ),
    data.TOWNSHIP_HOURS: SEASONAL,
    data.VILLAGE_HOURS: (HoursPeriod(time(9), time(12)), HoursPeriod(time(14, 30), time(17))),
}

# Appointment slots: the next days the center is open (Saturdays with extended service
# included), the bookable categories, cut from the schedule.
SLOT_DAYS = 10
SLOT_CAPACITY = 3


# --- the simulated history --------------------------------------------------------------------

HISTORY_DAYS = 30  # calendar days before the load; working days only
# Tickets per working day: 临夏县 in full, the prefecture center and the other county
# centers lighter (each county center has a history to forecast and plan from, R-HALL-4).
DAILY_TICKETS = {
    **{c.code: 90 for c in data.COUNTIES},
    "622921": 260,
    data.PREFECTURE_CODE: 110,
}
WEEKDAY_FACTOR = (1.2, 1.05, 1.0, 0.95, 0.85, 0.5, 0.4)  # Monday … Sunday
# Arrival intensity per half hour (relative): morning peak 9–11, afternoon peak 14:30–16.
# A day draws only the half hours inside its opening periods (winter afternoons open at
# 14:00, summer ones at 14:30), so every ticket is issued in opening hours.
ARRIVALS: tuple[tuple[time, float], ...] = (
    (time(9, 0), 1.6),
    (time(9, 30), 1.9),
    (time(10, 0), 1.9),
    (time(10, 30), 1.6),
    (time(11, 0), 1.0),
    (time(11, 30), 0.7),
    (time(14, 0), 0.9),
    (time(14, 30), 1.4),
    (time(15, 0), 1.5),
    (time(15, 30), 1.3),
    (time(16, 0), 0.9),
    (time(16, 30), 0.6),
    (time(17, 0), 0.3),
)
# Windows call from the opening of each period until its queue is empty (finishing the
# morning queue after 12:00), then rest until the next period opens.
SERVICE_SIGMA = 0.45  # lognormal spread of service times
PRIORITY_RATE = 0.04  # green channel
NO_SHOW_RATE = 0.04
CANCEL_RATE = 0.01
TRANSFER_RATE = 0.012
PRIORITY_REASONS = ("elderly", "elderly", "elderly", "disabled", "military", "pregnant")
CHANNELS = (("terminal", 0.84), ("mobile", 0.11), ("portal", 0.02), ("window", 0.03))
