"""The evaluation scheme (好差评) as data: the five levels of the national scheme, the
indicators offline and online, the reasons a reviewer may tick, the channels.
Pure: no Django. Services, pages, the API and the statistics read it."""

from __future__ import annotations

from dataclasses import dataclass

LEVELS = {
    5: "非常满意",
    4: "满意",
    3: "基本满意",
    2: "不满意",
    1: "非常不满意",
}
BAD = frozenset({1, 2})  # 差评
GOOD = frozenset({4, 5})  # 满意及以上: what the satisfaction rate counts
DEFAULT_LEVEL = 3  # 基本满意 by default after N days without a review

VISIT, CASE, UNSOLICITED, SPOT_CHECK = "visit", "case", "unsolicited", "spot_check"
KINDS = {
    VISIT: "一次一评",
    CASE: "一事一评",
    UNSOLICITED: "综合点评",
    SPOT_CHECK: "监督查评",
}

CHANNELS = {
    "pad": "窗口评价器",
    "qr": "扫码评价",
    "web": "网上评价",
    "mobile": "移动端",
    "terminal": "自助终端",
    "sms": "短信评价",
    "phone": "电话回访",
}

SUBJECTS = {
    "center": "服务中心",
    "department": "部门",
    "window": "窗口",
    "matter": "事项",
}

# Where the service reviewed was given: in the hall, face to face (a visit, a case
# taken in at a window or by an agent), or online (a case applied for on the web, the
# mobile app or a self-service terminal). The reasons and indicators offered fit it.
OFFLINE, ONLINE = "offline", "online"
WHERE = {OFFLINE: "大厅窗口", ONLINE: "网上办理"}

# Every indicator and reason by its code, with one label each: a code means the same
# wherever it is offered, so a stored review reads the same on every page.
INDICATOR_LABELS = {
    "efficiency": "办理效率",
    "skill": "业务水平",
    "attitude": "服务态度",
    "guide": "指南准确",
    "convenience": "便捷程度",
    "platform": "平台好用",
}
REASON_LABELS = {
    # bad
    "wait_long": "等候时间太长",
    "slow": "办理速度慢",
    "unskilled": "业务不熟练",
    "unclear": "一次告知不清楚，多跑了路",
    "extra_material": "要求指南以外的材料",
    "rude": "服务态度差",
    "absent": "窗口无人或离岗",
    "guide_wrong": "办事指南不准确",
    "go_onsite": "还要到现场跑",
    "resubmit": "材料重复提交",
    "system": "系统不好用、常出错",
    # good
    "fast": "办事快",
    "done_fast": "办结快",
    "patient": "讲解耐心",
    "one_visit": "一次办成",
    "polite": "热情礼貌",
    "guide_clear": "指南清楚",
    "no_trip": "不用跑腿",
    "easy": "系统好用",
}


@dataclass(frozen=True)
class ReviewForm:
    """What one kind of review offers and accepts: its indicators and the reasons to
    tick with a bad level (``bad``) and with a good one (``good``; 基本满意 offers both).
    The page shows exactly these and the services accept exactly these."""

    kind: str
    where: str
    indicators: tuple[str, ...]
    bad: tuple[str, ...]
    good: tuple[str, ...]

    @property
    def indicator_choices(self) -> list[tuple[str, str]]:
        return [(c, INDICATOR_LABELS[c]) for c in self.indicators]

    @property
    def bad_reasons(self) -> list[tuple[str, str]]:
        return [(c, REASON_LABELS[c]) for c in self.bad]

    @property
    def good_reasons(self) -> list[tuple[str, str]]:
        return [(c, REASON_LABELS[c]) for c in self.good]

    @property
    def reason_codes(self) -> frozenset[str]:
        return frozenset(self.bad) | frozenset(self.good)

    def reasons(self, level: int | None = None) -> list[tuple[str, str]]:
        """The tick boxes offered: bad reasons for a bad level, good ones for a good
        level, both for 基本满意 or when no level is chosen yet."""
        if level is None or level == 3:
            return self.bad_reasons + self.good_reasons
        return self.bad_reasons if is_bad(level) else self.good_reasons


_HALL_BAD = ("wait_long", "slow", "unskilled", "unclear", "extra_material", "rude", "absent")
_HALL_GOOD = ("fast", "patient", "one_visit", "polite")
_ONLINE_BAD = ("slow", "guide_wrong", "go_onsite", "resubmit", "system")
_ONLINE_GOOD = ("done_fast", "guide_clear", "no_trip", "easy")

# The one table: (kind of review, where the service was given) → the form.
FORMS = {
    (VISIT, OFFLINE): ReviewForm(
        VISIT, OFFLINE, ("efficiency", "skill", "attitude"), _HALL_BAD, _HALL_GOOD
    ),
    (CASE, OFFLINE): ReviewForm(
        CASE,
        OFFLINE,
        ("efficiency", "skill", "attitude", "guide"),
        ("slow", "unskilled", "unclear", "extra_material", "guide_wrong", "resubmit", "rude"),
        ("done_fast", "one_visit", "patient", "guide_clear", "polite"),
    ),
    (CASE, ONLINE): ReviewForm(
        CASE, ONLINE, ("efficiency", "guide", "convenience", "platform"), _ONLINE_BAD, _ONLINE_GOOD
    ),
    (UNSOLICITED, OFFLINE): ReviewForm(UNSOLICITED, OFFLINE, (), _HALL_BAD, _HALL_GOOD),
    (UNSOLICITED, ONLINE): ReviewForm(
        UNSOLICITED,
        ONLINE,
        (),
        (*_HALL_BAD, "guide_wrong", "go_onsite", "system"),
        (*_HALL_GOOD, "guide_clear", "no_trip", "easy"),
    ),
    (SPOT_CHECK, OFFLINE): ReviewForm(SPOT_CHECK, OFFLINE, (), _HALL_BAD, _HALL_GOOD),
}
MAX_TEXT = 500

# A case applied for through these channels was served online; any other channel
# (窗口, 帮办代办) was served in the hall.
ONLINE_CASE_CHANNELS = frozenset({"web", "mobile", "terminal"})
# A general review given on these channels speaks of the online service as well.
ONLINE_REVIEW_CHANNELS = frozenset({"web", "mobile"})


def where_of(kind: str, channel: str = "", *, case_channel: str = "") -> str:
    """Where the service reviewed was given: a visit and a spot check in the hall; a
    case by how it was applied for (``case_channel``); a general review by the channel
    it is given on (``channel``)."""
    if kind in (VISIT, SPOT_CHECK):
        return OFFLINE
    if kind == CASE:
        return ONLINE if case_channel in ONLINE_CASE_CHANNELS else OFFLINE
    return ONLINE if channel in ONLINE_REVIEW_CHANNELS else OFFLINE


def form_for(kind: str, channel: str = "", *, case_channel: str = "") -> ReviewForm:
    """The form of a review: the indicators and reasons offered and accepted.

    - a visit (一次一评): ``form_for(VISIT)``
    - a case (一事一评): ``form_for(CASE, case_channel=case.channel)``
    - a general review (综合点评): ``form_for(UNSOLICITED, channel)``, e.g. "terminal"
    - a spot check (监督查评): ``form_for(SPOT_CHECK)``
    """
    return FORMS[(kind, where_of(kind, channel, case_channel=case_channel))]


def reason_labels(codes) -> list[str]:
    return [REASON_LABELS.get(code, code) for code in codes or []]


def is_bad(level: int) -> bool:
    return level in BAD
