"""The evaluation scheme (好差评) as data: the five levels of the national scheme, the
indicators offline and online, the reasons a reviewer may tick, the channels.
Pure: no Django. Services, pages, the API and the statistics read it."""

from __future__ import annotations

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

OFFLINE, ONLINE = "offline", "online"
INDICATORS = {
    OFFLINE: [
        ("efficiency", "办事效率"),
        ("skill", "业务水平"),
        ("attitude", "服务态度"),
    ],
    ONLINE: [
        ("efficiency", "办理效率"),
        ("guide", "指南准确"),
        ("convenience", "便捷程度"),
        ("platform", "平台好用"),
    ],
}

# Reasons by mode; ``bad`` reasons are offered with 不满意/非常不满意, the others with
# 满意 and above. Each names the indicator it speaks to.
REASONS = {
    OFFLINE: [
        ("wait_long", "等候时间太长", "efficiency", True),
        ("slow", "办理速度慢", "efficiency", True),
        ("unskilled", "业务不熟练", "skill", True),
        ("unclear", "一次告知不清楚，多跑了路", "skill", True),
        ("extra_material", "要求指南以外的材料", "skill", True),
        ("rude", "服务态度差", "attitude", True),
        ("absent", "窗口无人或离岗", "attitude", True),
        ("fast", "办事快", "efficiency", False),
        ("patient", "讲解耐心", "attitude", False),
        ("one_visit", "一次办成", "skill", False),
        ("polite", "热情礼貌", "attitude", False),
    ],
    ONLINE: [
        ("slow", "办理速度慢", "efficiency", True),
        ("guide_wrong", "办事指南不准确", "guide", True),
        ("go_onsite", "还要到现场跑", "convenience", True),
        ("resubmit", "材料重复提交", "convenience", True),
        ("system", "系统不好用、常出错", "platform", True),
        ("fast", "办结快", "efficiency", False),
        ("guide_clear", "指南清楚", "guide", False),
        ("no_trip", "不用跑腿", "convenience", False),
        ("easy", "系统好用", "platform", False),
    ],
}
REASON_LABELS = {
    mode: {code: label for code, label, _, _ in items} for mode, items in REASONS.items()
}
MAX_TEXT = 500


def mode_of(kind: str, channel: str) -> str:
    """Offline indicators for visits, online for cases; others by channel."""
    if kind == VISIT:
        return OFFLINE
    if kind == CASE:
        return ONLINE
    return ONLINE if channel in ("web", "mobile") else OFFLINE


def is_bad(level: int) -> bool:
    return level in BAD


def reasons_for(mode: str, level: int | None = None) -> list[tuple[str, str]]:
    """The tick boxes offered: bad reasons for a bad level, good ones otherwise."""
    items = REASONS[mode]
    if level is None:
        return [(c, label) for c, label, _, _ in items]
    bad = is_bad(level)
    return [(c, label) for c, label, _, b in items if b == bad or level == 3]
