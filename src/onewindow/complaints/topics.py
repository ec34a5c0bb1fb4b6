"""Words of complaints, for routing and hot topics. Pure: no Django.

A complaint's subject and text become its topic words (jieba, through the catalog's
segmenter). Words that name no subject are dropped, so what is left names what the
complaint is about: filler, one-character words and counted amounts; times of day and
dates (上午, 今天下午, 12月, 周三); generic words of any visit to a center (办事, 办理,
窗口, 工作人员, 群众 …); and the names of places (regions and centers, given by the
caller from the org tables, see ``place_words``). ``suggest`` scores candidate
departments by the words they share with the text; ``hot`` counts words over a period
and compares them with the period before.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from onewindow.catalog import segment

# Words that say nothing about the subject of a complaint.
COMPLAINT_STOP_WORDS = frozenset(
    """
    投诉 建议 表扬 反映 举报 问题 情况 希望 要求 请求 处理 解决 工作 工作人员 人员 群众 我们
    他们 她们 没有 不是 就是 一个 这个 那个 还是 已经 因为 所以 但是 而且 以及 或者 今天 昨天
    时候 现在 之前 之后 多次 一直 非常 特别 太 很 都 也 又 还 就 才 被 让 把 对 向 从 为 说
    次 天 后 前 里 上 下 中 等 是 有 无 不 没 及时 相关 部门 中心 政务 服务 大厅 下来 来回 起来 出来
    小时 时间 时候 多小时 经常 迟迟 还没 能否 一次 很多 太多 一些 有点 比较 特别是
    """.split()
)
# The generic words of any visit to a service center: they name no subject.
SERVICE_WORDS = frozenset(
    """
    办事 办理 办件 办完 办好 去办 来办 窗口 窗口人员 工作人员 办事员 人员 群众 老百姓 百姓 市民
    办事群众 服务 政务 政务服务 便民 便民服务 服务中心 服务大厅 政务大厅 大厅 中心 服务站
    业务 事情 事儿 单位 同志 手续 当事人 本人
    """.split()
)
# Times of day and dates, alone or run together (今天下午, 12月3日, 周三上午).
_TIME = re.compile(
    r"(?:今天|昨天|前天|明天|后天|当天|当日|今日|昨日|明日|次日|今年|去年|明年|今早|昨晚|"
    r"上午|下午|中午|早上|早晨|清晨|晚上|傍晚|凌晨|夜里|半夜|白天|"
    r"本周|上周|下周|本月|上月|下月|月初|月底|月中|年初|年底|年末|周末|工作日|节假日|假期|"
    r"(?:周|星期|礼拜)[一二三四五六日天末]?|"
    r"[0-9〇零一二三四五六七八九十百两几]+(?:个)?(?:年|月|日|号|点|点钟|时|分|分钟|秒|天|周|小时)?|"
    r"[年月日号点时分秒半整])+"
)
MAX_WORDS = 12
# Counted amounts (三次, 两个, 几天) say how much, not what about.
NUMERALS = frozenset("一二三四五六七八九十百千两几多每半")
# The endings of regions' names (and the peoples of autonomous ones): 临夏回族自治州 is
# also said 临夏 and 临夏州; 积石山保安族东乡族撒拉族自治县 is 积石山 and 积石山县.
_PLACE_ENDING = re.compile(
    r"(?:(?:回族|东乡族|保安族|撒拉族|藏族|土族|蒙古族|哈萨克族)*"
    r"(?:自治州|自治县|自治区|州|市|县|区|镇|乡|村|街道|社区))$"
)


def is_time(word: str) -> bool:
    """A time of day or a date (上午, 今天下午, 12月, 3日, 周三, 星期一)."""
    return bool(_TIME.fullmatch(word))


def place_words(names: Iterable[str]) -> frozenset[str]:
    """Every word that names one of these places (regions, centers): the name, its
    short forms without the administrative ending, and the segmenter's words of each
    (韩集镇便民服务中心 → 集镇 …), so a complaint's own words are matched as the
    segmenter cuts them. Remembered per list of names: a network's few hundred names
    are cut once, not at every complaint filed."""
    return _place_words(tuple(names))


@lru_cache(maxsize=8)
def _place_words(names: tuple[str, ...]) -> frozenset[str]:
    words: set[str] = set()
    for name in names:
        name = (name or "").strip()
        if not name:
            continue
        forms = {name}
        stem = _PLACE_ENDING.sub("", name)
        if len(stem) >= 2 and stem != name:
            forms |= {stem, stem + name[-1]}  # 临夏, 临夏州; 积石山, 积石山县
        for form in forms:
            words.add(form)
            words.update(w for w in segment.words(form) if len(w) >= 2)
    return frozenset(words)


def is_topic_word(word: str, places: frozenset[str] | set[str] = frozenset()) -> bool:
    """Whether a word can name what a complaint is about."""
    if len(word) < 2 or word.isdigit() or (len(word) == 2 and word[0] in NUMERALS):
        return False
    if word in segment.STOP_WORDS or word in COMPLAINT_STOP_WORDS or word in SERVICE_WORDS:
        return False
    return not is_time(word) and word not in places


def topic_words(text: str, places: frozenset[str] | set[str] = frozenset()) -> list[str]:
    """The distinct subject words of a text, in order of first use (at most 12);
    ``places`` are the words of place names to leave out (``place_words``)."""
    seen: list[str] = []
    for word in segment.words(text or ""):
        if not is_topic_word(word, places) or word in seen:
            continue
        seen.append(word)
        if len(seen) >= MAX_WORDS:
            break
    return seen


@dataclass(frozen=True)
class Candidate:
    """A department that may be responsible, with the texts that describe it (its
    name, its line's name, the names and keywords of the matters it handles)."""

    key: int
    texts: tuple[tuple[str, float], ...]  # (text, weight)
    matter_keys: tuple[tuple[int, str], ...] = ()  # (matter id, matter name + keywords)


@dataclass(frozen=True)
class Suggestion:
    department: int | None
    matter: int | None
    score: float
    words: tuple[str, ...]


def _overlap(words: set[str], text: str) -> set[str]:
    found = set()
    for word in words:
        if word in text:
            found.add(word)
    return found


def suggest(
    text: str, candidates: Iterable[Candidate], *, places: frozenset[str] | set[str] = frozenset()
) -> Suggestion:
    """The department whose descriptions share the most subject words with the text,
    and its best matching matter; ``None`` when nothing matches. Place names are no
    subject: 临夏县 in a complaint does not point to 临夏县市场监督管理局."""
    words = set(topic_words(text, places))
    best = Suggestion(None, None, 0.0, ())
    if not words:
        return best
    for candidate in candidates:
        score = 0.0
        hits: set[str] = set()
        for body, weight in candidate.texts:
            found = _overlap(words, body)
            score += weight * len(found)
            hits |= found
        matter, matter_score = None, 0.0
        for key, body in candidate.matter_keys:
            found = _overlap(words, body)
            s = sum(len(w) for w in found)
            if s > matter_score:
                matter, matter_score = key, s
            hits |= found
        score += matter_score
        if score > best.score or (
            score == best.score and score and candidate.key < best.department
        ):
            best = Suggestion(candidate.key, matter, score, tuple(sorted(hits)))
    return best


@dataclass(frozen=True)
class Topic:
    word: str
    count: int
    previous: int

    @property
    def change(self) -> int:
        return self.count - self.previous

    @property
    def trend(self) -> str:
        if self.previous == 0:
            return "new" if self.count else "flat"
        ratio = self.count / self.previous
        if ratio >= 1.2:
            return "up"
        if ratio <= 0.8:
            return "down"
        return "flat"

    @property
    def trend_label(self) -> str:
        return {"new": "新出现", "up": "上升", "down": "下降", "flat": "持平"}[self.trend]


def hot(
    current: Iterable[Iterable[str]],
    previous: Iterable[Iterable[str]],
    *,
    limit: int = 10,
    places: frozenset[str] | set[str] = frozenset(),
) -> list[Topic]:
    """The most frequent subject words of this period (each complaint counts a word
    once), with their count in the previous period; ties broken by the word. Words
    kept before these rules (times, places, generic words) are left out here too."""
    now = Counter(w for words in current for w in set(words or []) if is_topic_word(w, places))
    before = Counter(w for words in previous for w in set(words or []) if is_topic_word(w, places))
    ranked = sorted(now.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]
    return [Topic(word, count, before.get(word, 0)) for word, count in ranked]
