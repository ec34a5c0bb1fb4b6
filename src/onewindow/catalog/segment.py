"""Chinese text into search tokens, for the catalog index and for queries (no Django).

People look for a matter the way they say it: "营业执照", "办营业执照", "yyzz",
"我要开饭店". The index stores, per field, the words of the text in jieba's search
mode (every dictionary word inside a longer one too), each whole keyword phrase, and
for names and keywords the pinyin initials (营业执照 → yyzz) and full pinyin
(yingyezhizhao) of the text and of its words. A query becomes groups of terms: one
group per meaningful word, after the filler words people add (我要, 办, 怎么 …) are
dropped and colloquial phrases are mapped to catalog words (开饭店 → 食品经营许可).

Tokens are lowercase runs of letters and digits with no spaces, so the same token
means the same thing in SQLite FTS5 and in a PostgreSQL tsvector.
"""

from __future__ import annotations

import logging
import re
import threading
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

MAX_QUERY_LENGTH = 100

# Filler words in queries: dropped when they stand as a word of their own.
STOP_WORDS = frozenset(
    """
    我 我要 我想 我们 想 想要 要 需要 请问 请 帮 帮我 给 能 能否 可以 怎么 怎么办 怎样 如何
    去 到 在 哪 哪里 哪儿 在哪 在哪里 哪个 什么 啥 办 办理 办个 申请 手续 流程 材料 步骤
    的 了 吗 呢 啊 呀 吧 和 及 与 或 一下 个
    """.split()
)

# Colloquial phrases and the catalog words they stand for (data, kept short and plain).
SYNONYMS: dict[str, tuple[str, ...]] = {
    "开饭店": ("食品经营许可", "餐饮"),
    "开餐馆": ("食品经营许可", "餐饮"),
    "开餐厅": ("食品经营许可", "餐饮"),
    "饭馆": ("食品经营许可", "餐饮"),
    "饭店": ("食品经营许可", "餐饮"),
    "小吃店": ("食品经营许可", "餐饮"),
    "开超市": ("食品经营许可", "营业执照"),
    "开店": ("营业执照", "个体工商户"),
    "开公司": ("企业设立登记", "营业执照"),
    "注册公司": ("企业设立登记", "营业执照"),
    "个体户": ("个体工商户",),
    "执照": ("营业执照",),
    "生孩子": ("出生登记", "生育"),
    "生小孩": ("出生登记", "生育"),
    "出生": ("出生登记", "出生医学证明"),
    "上户口": ("户口登记", "出生登记"),
    "落户": ("户口登记", "户口迁移"),
    "结婚": ("婚姻登记", "结婚登记"),
    "离婚": ("婚姻登记", "离婚登记"),
    "买房": ("不动产", "不动产登记"),
    "房产证": ("不动产", "不动产权证书"),
    "过户": ("不动产", "转移登记"),
    "退休": ("退休", "养老保险", "养老金"),
    "养老金": ("养老保险", "退休"),
    "社保": ("社会保险", "社会保障"),
    "社保卡": ("社会保障卡",),
    "医保": ("医疗保险", "医疗保障"),
    "身份证": ("居民身份证",),
    "驾照": ("机动车驾驶证", "驾驶证"),
    "低保": ("最低生活保障",),
    "残疾证": ("残疾人证",),
    "盖房": ("建房", "宅基地", "建设用地规划许可"),
    "死亡": ("死亡登记", "户口注销", "丧葬"),
}

# Words the default dictionary splits but people and guides use whole.
DOMAIN_WORDS = (
    "营业执照",
    "个体工商户",
    "食品经营许可",
    "出生登记",
    "出生医学证明",
    "婚姻登记",
    "结婚登记",
    "离婚登记",
    "不动产登记",
    "不动产权证书",
    "居民身份证",
    "社会保障卡",
    "养老保险",
    "医疗保险",
    "最低生活保障",
    "残疾人证",
    "户口登记",
    "户口迁移",
    "机动车驾驶证",
    "企业设立登记",
    "一件事",
    "告知承诺",
    "经营场所",
    "授权委托书",
)

_WORD = re.compile(r"[0-9a-z\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_ASCII = re.compile(r"^[0-9a-z]+$")

_tokenizer = None
_lock = threading.Lock()


def _jieba():
    """The segmenter, made on first use (the dictionary takes a moment to load)."""
    global _tokenizer
    if _tokenizer is None:
        with _lock:
            if _tokenizer is None:
                import jieba

                logging.getLogger("jieba").setLevel(logging.WARNING)
                jieba.setLogLevel(logging.WARNING)
                tokenizer = jieba.Tokenizer()
                tokenizer.initialize()
                for word in (*DOMAIN_WORDS, *SYNONYMS):
                    tokenizer.add_word(word, freq=tokenizer.suggest_freq(word) * 2 or 2000)
                _tokenizer = tokenizer
    return _tokenizer


def normalize(text: str) -> str:
    """Full-width to half-width, lowercase, every run of other characters to one space."""
    text = unicodedata.normalize("NFKC", text or "").lower()
    return " ".join(_WORD.findall(text))


def has_han(text: str) -> bool:
    return bool(_HAN.search(text))


def words(text: str) -> list[str]:
    """Precise-mode words of a text (whitespace and punctuation dropped)."""
    result = []
    for chunk in normalize(text).split():
        if has_han(chunk):
            result.extend(w for w in _jieba().lcut(chunk, HMM=False) if w.strip())
        else:
            result.append(chunk)
    return result


def search_words(text: str) -> list[str]:
    """Search-mode words: each word and the dictionary words inside it (个体工商户 →
    个体, 工商, 工商户, 个体工商户)."""
    result = []
    for chunk in normalize(text).split():
        if has_han(chunk):
            result.extend(w for w in _jieba().lcut_for_search(chunk, HMM=False) if w.strip())
        else:
            result.append(chunk)
    return result


@lru_cache(maxsize=8192)
def initials(text: str) -> str:
    """Pinyin initials of the Chinese characters in a text (营业执照 → yyzz)."""
    from pypinyin import Style, lazy_pinyin

    han = "".join(_HAN.findall(normalize(text)))
    return "".join(lazy_pinyin(han, style=Style.FIRST_LETTER, errors="ignore")) if han else ""


@lru_cache(maxsize=8192)
def full_pinyin(text: str) -> str:
    from pypinyin import lazy_pinyin

    han = "".join(_HAN.findall(normalize(text)))
    return "".join(lazy_pinyin(han, errors="ignore")) if han else ""


def _unique(tokens: Iterable[str]) -> list[str]:
    seen: dict[str, None] = {}
    for token in tokens:
        if token and token not in seen:
            seen[token] = None
    return list(seen)


def text_tokens(text: str) -> list[str]:
    """Tokens of a plain text: its search-mode words."""
    return _unique(search_words(text))


def phrase_tokens(phrase: str, *, pinyin: bool) -> list[str]:
    """Tokens of a name or keyword phrase: the whole phrase, its search-mode words and,
    with ``pinyin``, initials and full pinyin of the phrase and of its words."""
    tokens = [*normalize(phrase).replace(" ", "").split(), *search_words(phrase)]
    if pinyin:
        for part in [phrase, *words(phrase)]:
            if has_han(part) and len(_HAN.findall(part)) >= 2:
                tokens.append(initials(part))
                tokens.append(full_pinyin(part))
    return _unique(tokens)


@dataclass(frozen=True)
class Document:
    """The tokens of one matter, by field (most telling first)."""

    name: list[str]
    keywords: list[str]
    body: list[str]
    materials: list[str]

    FIELDS = ("name", "keywords", "body", "materials")

    def as_text(self) -> dict[str, str]:
        return {f: " ".join(getattr(self, f)) for f in self.FIELDS}

    def all_tokens(self) -> list[str]:
        return _unique(t for f in self.FIELDS for t in getattr(self, f))


def document(
    *, name: str, keywords: str = "", body: Iterable[str] = (), materials: Iterable[str] = ()
) -> Document:
    """The search document of a matter: its name; its keywords (群众常用说法, split on
    spaces and punctuation, each phrase whole); domain, department and result; and the
    names of the materials of its published guide."""
    keyword_tokens: list[str] = []
    for phrase in normalize(keywords).split():
        keyword_tokens.extend(phrase_tokens(phrase, pinyin=True))
    body_tokens: list[str] = []
    for text in body:
        body_tokens.extend(phrase_tokens(text, pinyin=False))
    material_tokens: list[str] = []
    for text in materials:
        material_tokens.extend(text_tokens(text))
    return Document(
        name=phrase_tokens(name, pinyin=True),
        keywords=_unique(keyword_tokens),
        body=_unique(body_tokens),
        materials=_unique(material_tokens),
    )


# --- queries ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Group:
    """One meaningful word of a query. A document covers it fully by holding ``word``
    (or one of ``synonyms``), in part by holding some of ``parts``; an ASCII word (pinyin
    initials, a code) also matches as a prefix."""

    word: str
    parts: tuple[str, ...] = ()
    synonyms: tuple[str, ...] = ()
    prefix: bool = False

    def terms(self) -> list[str]:
        return _unique([self.word, *self.parts, *self.synonyms])


@dataclass(frozen=True)
class Query:
    text: str  # the normalized query, trimmed
    core: str  # what is left without filler words, spaces removed (for an exact name match)
    groups: tuple[Group, ...] = field(default_factory=tuple)

    @property
    def is_empty(self) -> bool:
        return not self.groups

    def terms(self) -> list[str]:
        return _unique(t for g in self.groups for t in g.terms())

    def prefix_terms(self) -> set[str]:
        return {g.word for g in self.groups if g.prefix}


def _synonym_targets(phrase: str) -> tuple[str, ...]:
    return tuple(_unique(normalize(t).replace(" ", "") for t in SYNONYMS.get(phrase, ())))


def _han_groups(chunk: str) -> list[Group]:
    # Colloquial phrases are dictionary words too, so "我要开饭店" keeps "开饭店" whole.
    groups: list[Group] = []
    for word in words(chunk):
        if word in STOP_WORDS:
            continue
        if _ASCII.match(word):
            groups.append(Group(word=word, prefix=len(word) >= 2))
            continue
        parts = tuple(p for p in _unique(search_words(word)) if p != word and p not in STOP_WORDS)
        groups.append(Group(word=word, parts=parts, synonyms=_synonym_targets(word)))
    return groups


@lru_cache(maxsize=2048)
def parse_query(raw: str) -> Query:
    """A query as groups of terms. Very long input is cut to ``MAX_QUERY_LENGTH``.
    Queries repeat (people ask for the same few things): the parse is remembered."""
    text = normalize((raw or "")[: MAX_QUERY_LENGTH * 2])[:MAX_QUERY_LENGTH].strip()
    groups: list[Group] = []
    for chunk in text.split():
        if _ASCII.match(chunk):
            groups.append(Group(word=chunk, prefix=len(chunk) >= 2))
        else:
            groups.extend(_han_groups(chunk))
    # The same word twice counts once.
    unique: dict[str, Group] = {}
    for group in groups:
        unique.setdefault(group.word, group)
    groups = list(unique.values())
    core = "".join(g.word for g in groups)
    return Query(text=text, core=core, groups=tuple(groups))


# --- scoring (shared by both databases: the index only finds candidates) ----------------------

# How much a hit counts, by field: name, keywords (群众常用说法), body, materials.
FIELD_WEIGHTS = {"name": 8.0, "keywords": 5.0, "body": 2.0, "materials": 1.0}
SYNONYM_WEIGHT = 4.0  # a hit through a synonym ranks with the keywords, below a direct name hit
PART_SHARE = 0.5  # a word found only in pieces covers half of it
SECOND_EVIDENCE = 0.25  # a word found both itself and through a synonym counts a little more


@dataclass(frozen=True)
class Score:
    exact: bool
    coverage: float
    weight: float
    fields: tuple[str, ...]

    def key(self) -> tuple:
        return (not self.exact, -round(self.coverage, 6), -round(self.weight, 6))


@lru_cache(maxsize=8192)
def _name_forms(name: str, ascii_query: bool) -> frozenset[str]:
    """What an exact query may be: the name itself, or (for a query in letters) its
    pinyin initials or full pinyin."""
    forms = {normalize(name).replace(" ", "")}
    if ascii_query:
        forms |= {initials(name), full_pinyin(name)}
    return frozenset(forms)


def _has(tokens: set[str], term: str, prefix: bool) -> bool:
    if term in tokens:
        return True
    return prefix and any(t.startswith(term) for t in tokens)


def score(query: Query, doc: dict[str, set[str]], *, name: str = "", code: str = "") -> Score:
    """How well a document answers a query: an exact name (or its initials, full pinyin,
    code) first; then how many of the query's words it covers; then where it found them."""
    exact = bool(query.core) and (
        query.core == code.lower() or query.core in _name_forms(name, query.core.isascii())
    )
    coverage = weight = 0.0
    hit_fields: list[str] = []
    for group in query.groups:
        # The best hit of the word itself (or its pieces), and the best through a synonym.
        direct: tuple[float, float, str] = (0.0, 0.0, "")
        synonym: tuple[float, float, str] = (0.0, 0.0, "")
        for field_name in Document.FIELDS:
            tokens = doc.get(field_name, set())
            weight_here = FIELD_WEIGHTS[field_name]
            if _has(tokens, group.word, group.prefix):
                direct = max(direct, (1.0, weight_here, field_name))
            elif group.parts and (found := sum(p in tokens for p in group.parts)):
                cover = PART_SHARE * found / len(group.parts)
                direct = max(direct, (cover, weight_here * cover, field_name))
            if any(s in tokens for s in group.synonyms):
                synonym = max(synonym, (1.0, min(weight_here, SYNONYM_WEIGHT), field_name))
        best, other = (direct, synonym) if direct[:2] >= synonym[:2] else (synonym, direct)
        coverage += best[0]
        # Both kinds of evidence (开饭店 in the keywords and 食品经营许可 in the name): a bonus.
        weight += best[1] + SECOND_EVIDENCE * other[1]
        for hit in (best, other):
            if hit[2] and hit[2] not in hit_fields:
                hit_fields.append(hit[2])
    return Score(exact=exact, coverage=coverage, weight=weight, fields=tuple(hit_fields))


def text_score(query: Query, text: str) -> float:
    """Coverage of a query by a short text (a bundle's name and keywords)."""
    tokens = set()
    for phrase in normalize(text).split():
        tokens.update(phrase_tokens(phrase, pinyin=True))
    return score(query, {"keywords": tokens}).coverage
