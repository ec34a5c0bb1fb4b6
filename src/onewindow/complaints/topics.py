"""Words of complaints, for routing and hot topics. Pure: no Django.

A complaint's subject and text become its topic words (jieba, through the catalog's
segmenter): filler words, one-character words and the words every complaint uses
("投诉", "反映", "工作人员" …) are dropped, so what is left names what it is about.
``suggest`` scores candidate departments by the words they share with the text;
``hot`` counts words over a period and compares them with the period before.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from onewindow.catalog import segment

# Words that say nothing about the subject of a complaint.
COMPLAINT_STOP_WORDS = frozenset(
    """
    投诉 建议 表扬 反映 举报 问题 情况 希望 要求 请求 处理 解决 工作 工作人员 人员 群众 我们
    他们 她们 没有 不是 就是 一个 这个 那个 还是 已经 因为 所以 但是 而且 以及 或者 今天 昨天
    时候 现在 之前 之后 多次 一直 非常 特别 太 很 都 也 又 还 就 才 被 让 把 对 向 从 为 说
    次 天 后 前 里 上 下 中 等 是 有 无 不 没 及时 相关 部门 中心 政务 服务 大厅 下来 来回 起来 出来
    小时 时间 时候 多小时 经常 迟迟 还没 能否 一次
    """.split()
)
MAX_WORDS = 12
# Counted amounts (三次, 两个, 几天) say how much, not what about.
NUMERALS = frozenset("一二三四五六七八九十百千两几多每半")


def topic_words(text: str) -> list[str]:
    """The distinct subject words of a text, in order of first use (at most 12)."""
    seen: list[str] = []
    for word in segment.words(text or ""):
        if len(word) < 2 or word.isdigit() or (len(word) == 2 and word[0] in NUMERALS):
            continue
        if word in segment.STOP_WORDS or word in COMPLAINT_STOP_WORDS:
            continue
        if word not in seen:
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


def suggest(text: str, candidates: Iterable[Candidate]) -> Suggestion:
    """The department whose descriptions share the most subject words with the text,
    and its best matching matter; ``None`` when nothing matches."""
    words = set(topic_words(text))
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
    current: Iterable[Iterable[str]], previous: Iterable[Iterable[str]], *, limit: int = 10
) -> list[Topic]:
    """The most frequent words of this period (each complaint counts a word once), with
    their count in the previous period; ties broken by the word."""
    now = Counter(w for words in current for w in set(words))
    before = Counter(w for words in previous for w in set(words))
    ranked = sorted(now.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]
    return [Topic(word, count, before.get(word, 0)) for word, count in ranked]
