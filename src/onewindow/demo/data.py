"""The Linxia demo data set, as plain Python data.

The prefecture (622900) and its eight county-level units carry their official
administrative codes. Townships, villages and communities are demo data: their
names follow the places of each county, but their codes, addresses, phone numbers,
contractors and people are made up for the demonstration and marked as such
(``is_demo`` on regions, "（演示）" in the text).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

DEMO_MARK = "（演示）"

# One password for every demo account; the command checks it against the
# configured password validators before it uses it.
DEMO_PASSWORD = "Linxia-2026"

HOURS = (
    "周一至周五 9:00-12:00，14:30-17:30（夏季，5月1日至9月30日）；"
    "9:00-12:00，14:00-17:00（冬季，10月1日至次年4月30日）；"
    "周六 9:00-12:00 延时服务（部分事项）"
)
TOWNSHIP_HOURS = "周一至周五 9:00-12:00，14:30-17:30（夏季）；9:00-12:00，14:00-17:00（冬季）"
VILLAGE_HOURS = "周一至周五 9:00-12:00，14:30-17:00；农忙时节可电话预约上门代办"


def demo_phone(number: int) -> str:
    """A Linxia (0930) number that cannot be dialled: local numbers never start with 0."""
    return f"0930-0{number:06d}{DEMO_MARK}"


@dataclass(frozen=True)
class Place:
    """A township or a village/community: the last three digits of its code and its name."""

    suffix: str
    name: str
    children: tuple[Place, ...] = ()


@dataclass(frozen=True)
class Unit:
    """An acceptance center (受理中心) or agency center (代办中心) of a center (R-NET-4)."""

    kind: str  # "acceptance" | "agency"
    operator: str  # "government" | "third_party"
    contractor: str = ""
    contract_start: date | None = None
    contract_end: date | None = None


@dataclass(frozen=True)
class County:
    code: str
    name: str  # official name
    short: str  # the name used in the names of its bodies (东乡县, 积石山县)
    address: str
    townships: tuple[Place, ...]
    units: tuple[Unit, ...] = field(default=())


PREFECTURE_CODE = "622900"
PREFECTURE_NAME = "临夏回族自治州"
PREFECTURE_SHORT = "临夏州"
PREFECTURE_ADDRESS = "临夏市红园路政务服务大楼" + DEMO_MARK
PREFECTURE_UNITS = (
    Unit(
        "acceptance",
        "third_party",
        "甘肃陇原政务服务外包有限公司" + DEMO_MARK,
        date(2025, 1, 1),
        date(2027, 12, 31),
    ),
    Unit("agency", "government"),
)


def _t(suffix: str, name: str, *villages: tuple[str, str]) -> Place:
    return Place(suffix, name, tuple(Place(s, n) for s, n in villages))


# Township codes follow the usual pattern of the official ones (0xx streets, 1xx
# towns, 2xx townships; 0xx communities, 2xx villages) but are demo codes.
COUNTIES: tuple[County, ...] = (
    County(
        "622901",
        "临夏市",
        "临夏市",
        "临夏市北滨河中路市民服务中心" + DEMO_MARK,
        (
            _t("001", "八坊街道", ("001", "大西关社区"), ("002", "王寺街社区")),
            _t("100", "城郊镇", ("201", "尕庄村"), ("202", "王坪村")),
            _t("101", "折桥镇", ("201", "折桥村"), ("202", "大庄村")),
        ),
        (Unit("acceptance", "government"), Unit("agency", "government")),
    ),
    County(
        "622921",
        "临夏县",
        "临夏县",
        "临夏县韩集镇河州大道政务服务中心大楼" + DEMO_MARK,
        (
            _t("100", "韩集镇", ("001", "韩集社区"), ("201", "阳洼山村")),
            _t("101", "土桥镇", ("201", "土桥村"), ("202", "下马家村")),
            _t("102", "尹集镇", ("201", "尹集村"), ("202", "大滩涧村")),
        ),
        (
            Unit(
                "acceptance",
                "third_party",
                "临夏县众诚人力资源服务有限公司" + DEMO_MARK,
                date(2025, 3, 1),
                date(2027, 2, 28),
            ),
            Unit("agency", "government"),
        ),
    ),
    County(
        "622922",
        "康乐县",
        "康乐县",
        "康乐县附城镇建设路" + DEMO_MARK,
        (
            _t("100", "附城镇", ("001", "附城社区"), ("201", "周家沟村")),
            _t("101", "苏集镇", ("201", "苏集村"), ("202", "河西村")),
            _t("102", "莲麓镇", ("201", "莲麓村"), ("202", "足古川村")),
        ),
    ),
    County(
        "622923",
        "永靖县",
        "永靖县",
        "永靖县刘家峡镇黄河路" + DEMO_MARK,
        (
            _t("100", "刘家峡镇", ("001", "黄河社区"), ("201", "大庄村")),
            _t("101", "盐锅峡镇", ("201", "福川村"), ("202", "上铨村")),
            _t("102", "太极镇", ("201", "太极村"), ("202", "大川村")),
        ),
    ),
    County(
        "622924",
        "广河县",
        "广河县",
        "广河县城关镇广通路" + DEMO_MARK,
        (
            _t("100", "城关镇", ("001", "西关社区"), ("201", "北街村")),
            _t("101", "三甲集镇", ("201", "三甲集村"), ("202", "康家村")),
            _t("102", "庄窠集镇", ("201", "庄窠集村"), ("202", "上集村")),
        ),
    ),
    County(
        "622925",
        "和政县",
        "和政县",
        "和政县城关镇和政大道" + DEMO_MARK,
        (
            _t("100", "城关镇", ("001", "南关社区"), ("201", "城关村")),
            _t("101", "松鸣镇", ("201", "松鸣村"), ("202", "大滩村")),
            _t("102", "三合镇", ("201", "三合村"), ("202", "瓦窑村")),
        ),
    ),
    County(
        "622926",
        "东乡族自治县",
        "东乡县",
        "东乡县锁南镇县府路" + DEMO_MARK,
        (
            _t("100", "锁南镇", ("001", "锁南社区"), ("201", "红柳村")),
            _t("101", "达板镇", ("201", "达板村"), ("202", "三和村")),
            _t("102", "唐汪镇", ("201", "唐家村"), ("202", "汪家村")),
        ),
    ),
    County(
        "622927",
        "积石山保安族东乡族撒拉族自治县",
        "积石山县",
        "积石山县吹麻滩镇积石大道" + DEMO_MARK,
        (
            _t("100", "吹麻滩镇", ("001", "吹麻滩社区"), ("201", "团结村")),
            _t("101", "大河家镇", ("201", "大河村"), ("202", "康吊村")),
            _t("102", "居集镇", ("201", "居集村"), ("202", "红崖村")),
        ),
    ),
)


@dataclass(frozen=True)
class Line:
    """A department line (系统) with the names of its bodies at the two levels.

    ``prefecture`` and ``county`` are name templates: ``{pref}`` is 临夏州, ``{short}``
    the county's short name, ``{full}`` the official name of the body's region.
    """

    code: str
    name: str
    body_suffix: str
    prefecture: str = "{pref}{suffix}"
    county: str = "{short}{suffix}"
    stationed: bool = True

    def body_name(self, *, full: str, short: str) -> str:
        template = self.prefecture if short == PREFECTURE_SHORT else self.county
        return template.format(
            pref=PREFECTURE_SHORT, short=short, full=full, suffix=self.body_suffix
        )


LINES: tuple[Line, ...] = (
    Line("market", "市场监督管理", "市场监督管理局"),
    Line("police", "公安", "公安局"),
    Line("hrss", "人力资源和社会保障", "人力资源和社会保障局"),
    Line("natural_resources", "自然资源", "自然资源局"),
    Line("housing", "住房和城乡建设", "住房和城乡建设局"),
    Line("transport", "交通运输", "交通运输局"),
    Line("health", "卫生健康", "卫生健康局", prefecture="{pref}卫生健康委员会"),
    Line("civil_affairs", "民政", "民政局"),
    Line("education", "教育", "教育局"),
    Line("medical_insurance", "医疗保障", "医疗保障局"),
    Line(
        "tax",
        "税务",
        "税务局",
        prefecture="国家税务总局{full}税务局",
        county="国家税务总局{full}税务局",
    ),
    Line("development_reform", "发展和改革", "发展和改革局", prefecture="{pref}发展和改革委员会"),
    Line("ecology_environment", "生态环境", "生态环境局", county="{pref}生态环境局{short}分局"),
    Line("agriculture", "农业农村", "农业农村局"),
    Line("commerce", "商务和招商引资", "商务局"),
    Line(
        "provident_fund",
        "住房公积金",
        "住房公积金管理中心",
        county="{pref}住房公积金管理中心{short}管理部",
    ),
    Line("justice", "司法行政", "司法局", stationed=False),
    Line("gov_office", "政府办公室", "人民政府办公室", stationed=False),
)


@dataclass(frozen=True)
class Person:
    """A demo account: its center (the region's center), department (a line's body
    in the region) and jurisdiction (the region itself), as its roles need."""

    username: str
    full_name: str
    roles: tuple[str, ...]
    region: str  # code of the region the account works in
    center: bool = False
    department: str = ""  # line code of the department
    region_scope: bool = False  # carries the region as its jurisdiction
    unit: str = ""  # "acceptance" | "agency"
    third_party: bool = False  # employed by the unit's contractor
    title: str = ""
    born: str = "19800101"
    posting_started: date = date(2024, 3, 1)


SUPERUSER = ("admin", "系统管理员" + DEMO_MARK)

# One account per role (REQUIREMENTS.md, "Users"), mostly at 临夏县 so that the
# accounts see one another's work; the prefecture has its own center administrator,
# government office and reviewers, who keep the standard guides and approve the
# prefecture center's listings (demo catalog).
PEOPLE: tuple[Person, ...] = (
    Person(
        "lxz-admin",
        "马文华",
        ("center_admin",),
        PREFECTURE_CODE,
        center=True,
        title="州政务服务中心主任",
        born="19750612",
    ),
    Person(
        "lxx-admin",
        "何振东",
        ("center_admin",),
        "622921",
        center=True,
        title="县政务服务中心主任",
        born="19780903",
    ),
    Person(
        "lxx-clerk",
        "韩雪梅",
        ("clerk",),
        "622921",
        center=True,
        unit="acceptance",
        third_party=True,
        title="综合窗口受理员",
        born="19960415",
        posting_started=date(2025, 3, 10),
    ),
    Person(
        "lxx-approver",
        "王志刚",
        ("approver",),
        "622921",
        department="market",
        title="登记注册股审批员",
        born="19870221",
    ),
    Person(
        "lxx-chief",
        "马国强",
        ("chief_rep",),
        "622921",
        center=True,
        department="market",
        title="县市场监督管理局首席代表",
        born="19820730",
    ),
    Person(
        "lxx-agent",
        "妥海燕",
        ("agent",),
        "622921",
        center=True,
        unit="agency",
        title="帮办代办员",
        born="19910108",
    ),
    Person(
        "lxx-govoffice",
        "张立新",
        ("gov_office",),
        "622921",
        department="gov_office",
        region_scope=True,
        title="县政府办公室政务服务股",
        born="19800517",
    ),
    Person(
        "lxx-legality",
        "李春梅",
        ("legality_reviewer",),
        "622921",
        department="justice",
        region_scope=True,
        title="县司法局行政执法协调监督股",
        born="19850325",
    ),
    Person(
        "lxx-final",
        "赵永明",
        ("final_reviewer",),
        "622921",
        region_scope=True,
        title="县委编办审改股",
        born="19790911",
    ),
    Person(
        "lxx-supervisor",
        "杨建华",
        ("supervisor",),
        "622921",
        region_scope=True,
        title="县纪委监委派驻纪检监察组",
        born="19760204",
    ),
    Person(
        "lxx-leader",
        "马少华",
        ("leader",),
        "622921",
        department="market",
        title="县市场监督管理局局长",
        born="19720819",
    ),
    Person(
        "lxz-govoffice",
        "马建平",
        ("gov_office",),
        PREFECTURE_CODE,
        department="gov_office",
        region_scope=True,
        title="州政府办公室政务服务科",
        born="19770314",
    ),
    Person(
        "lxz-legality",
        "杜晓燕",
        ("legality_reviewer",),
        PREFECTURE_CODE,
        department="justice",
        region_scope=True,
        title="州司法局行政执法协调监督科",
        born="19831106",
    ),
    Person(
        "lxz-final",
        "孔德明",
        ("final_reviewer",),
        PREFECTURE_CODE,
        region_scope=True,
        title="州委编办审改科",
        born="19780622",
    ),
)


@dataclass(frozen=True)
class Closure:
    """A local change of the 2026 work calendar."""

    date: date
    region: str
    reason: str
    is_workday: bool = False


CLOSURES: tuple[Closure, ...] = (
    Closure(date(2026, 12, 31), "622921", "政务服务中心信息系统升级维护，大厅闭厅一天" + DEMO_MARK),
)
