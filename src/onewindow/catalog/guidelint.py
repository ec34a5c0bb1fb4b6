"""The guide lint (R-CAT-6): vague and catch-all clauses in a guide (办事指南).

Pure: no Django, no other module of the project but its rules
(``onewindow.catalog.lint_rules``). A guide is handed in as plain data, field name →
text or list of texts::

    lint_guide({
        "conditions": "……",
        "materials[3].name": "……",
        "materials[3].condition": "……",
        "steps[1].description": "……",
        "faq": ["……", "……"],          # reported as faq[0], faq[1]
    })

The kind of a field is the name before the first "[" or "." ("materials[3].name" →
"materials"); a rule may apply to some kinds only.

Matching runs on a normalized copy of the text (full-width → half-width, whitespace
removed, "其它" → "其他", "⋯" → "…", common traditional characters → simplified); each
finding reports the clause and its span in the original text.

Publication is refused while any finding has severity "error"
(``blocks_publication``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from onewindow.catalog.lint_rules import ERROR, EXCEPTION_LOOKBEHIND, RULES, Rule

__all__ = [
    "Finding",
    "blocks_publication",
    "field_kind",
    "lint_guide",
    "lint_text",
    "normalize",
]


@dataclass(frozen=True)
class Finding:
    rule: str  # the rule's code, e.g. "catch_all.other_materials"
    field: str  # the field as handed in, e.g. "materials[3].name"
    clause: str  # the clause exactly as written: text[start:end]
    start: int  # span in the original text of the field
    end: int
    message: str  # Chinese, names the clause and says what to write instead
    severity: str  # "error" blocks publication, "warning" does not

    @property
    def blocking(self) -> bool:
        return self.severity == ERROR


# --- normalization ---------------------------------------------------------------------

_NEWLINES = frozenset("\n\r\u2028\u2029\x0b\x0c\x85")
_INVISIBLE = frozenset("\u200b\u200c\u200d\u2060\ufeff\u00ad")
_ELLIPSES = frozenset("\u2026\u22ef\ufe19")  # … ⋯ ︙

# Traditional → simplified, for the characters the rules are written with.
_T2S = str.maketrans(
    "關證規條門務據實際況視時須應補內辦項則請報單準資與類權級們書檔達處參說個數並餘馀認為經營業執寫號錄於範擔負責許審機構體後議見復複將過當發給備齊確還遞費聯繫諮詢電話區縣鄉鎮總結戶護驗場現專題問難舉計額價種別兩層開縮減斟協調歸簡標讓隨選擇條設從屬義務則",
    "关证规条门务据实际况视时须应补内办项则请报单准资与类权级们书档达处参说个数并余余认为经营业执写号录于范担负责许审机构体后议见复复将过当发给备齐确还递费联系咨询电话区县乡镇总结户护验场现专题问难举计额价种别两层开缩减斟协调归简标让随选择条设从属义务则",
)


def _fold(ch: str) -> str:
    if ch in _NEWLINES:
        return "\n"
    if ch in _INVISIBLE or ch.isspace():
        return ""
    if ch in _ELLIPSES:
        return "…"
    folded = unicodedata.normalize("NFKC", ch).translate(_T2S)
    if len(folded) == 1:
        return folded if not folded.isspace() else ""
    return "".join(c for c in folded if not c.isspace() and c not in _INVISIBLE)


def normalize(text: str) -> tuple[str, tuple[int, ...]]:
    """The text the rules are matched against, and for each of its characters the
    index of the original character it comes from."""
    parts: list[str] = []
    origin: list[int] = []
    for index, ch in enumerate(text):
        folded = _fold(ch)
        if folded:
            parts.append(folded)
            origin.extend([index] * len(folded))
    normalized = "".join(parts).replace("其它", "其他")  # same length: origin holds
    return normalized, tuple(origin)


# --- matching --------------------------------------------------------------------------

_TITLE = re.compile(r"《[^《》\n]*》")


@dataclass(frozen=True)
class _Compiled:
    rule: Rule
    pattern: re.Pattern[str]
    exceptions: tuple[re.Pattern[str], ...]


@lru_cache(maxsize=8)
def _compile(rules: tuple[Rule, ...]) -> tuple[_Compiled, ...]:
    return tuple(
        _Compiled(rule, re.compile(rule.pattern), tuple(re.compile(e) for e in rule.exceptions))
        for rule in rules
    )


def field_kind(field: str) -> str:
    """ "materials[3].name" → "materials"; "faq[0].answer" → "faq"."""
    return re.split(r"[\[.]", field, maxsplit=1)[0].strip()


def _applies(rule: Rule, kind: str) -> bool:
    if kind in rule.skip_kinds:
        return False
    return rule.field_kinds is None or kind in rule.field_kinds


def _cancelled(exceptions: Iterable[re.Pattern[str]], text: str, start: int, end: int) -> bool:
    """True when a match of an exception starts shortly before the hit (or inside it)
    and reaches into it."""
    first = max(0, start - EXCEPTION_LOOKBEHIND)
    for exception in exceptions:
        for pos in range(first, end):
            m = exception.match(text, pos)
            if m is not None and m.end() > start:
                return True
    return False


def _in_title(titles: Sequence[tuple[int, int]], start: int, end: int) -> bool:
    """Inside the title of a named document: 《关于……的若干规定》."""
    return any(s < start and end < e for s, e in titles)


def lint_text(text: str, field: str, *, rules: Sequence[Rule] = RULES) -> list[Finding]:
    """The vague and catch-all clauses of one text of a guide, in the order they occur.

    ``field`` names the field (it is reported on each finding, and its kind selects
    the rules that apply). Overlapping hits are reported once, by the longest clause.
    """
    if not isinstance(text, str):
        raise TypeError(f"{field}: expected text, got {type(text).__name__}")
    normalized, origin = normalize(text)
    if not normalized:
        return []
    kind = field_kind(field)
    titles = [m.span() for m in _TITLE.finditer(normalized)]

    hits: list[tuple[int, int, int, _Compiled]] = []  # (start, end, order, rule)
    for order, compiled in enumerate(_compile(tuple(rules))):
        if not _applies(compiled.rule, kind):
            continue
        for m in compiled.pattern.finditer(normalized):
            start, end = m.span()
            if end <= start or _in_title(titles, start, end):
                continue
            if _cancelled(compiled.exceptions, normalized, start, end):
                continue
            hits.append((start, end, order, compiled))

    # One finding per clause: the longest hit wins, errors before warnings, then the
    # order of the rules.
    hits.sort(key=lambda h: (h[0] - h[1], h[3].rule.severity != ERROR, h[2], h[0]))
    kept: list[tuple[int, int, int, _Compiled]] = []
    for hit in hits:
        if all(hit[1] <= k[0] or k[1] <= hit[0] for k in kept):
            kept.append(hit)
    kept.sort(key=lambda h: (h[0], h[1]))

    findings = []
    for start, end, _order, compiled in kept:
        o_start, o_end = origin[start], origin[end - 1] + 1
        clause = text[o_start:o_end]
        findings.append(
            Finding(
                rule=compiled.rule.code,
                field=field,
                clause=clause,
                start=o_start,
                end=o_end,
                message=compiled.rule.message.replace("{clause}", clause),
                severity=compiled.rule.severity,
            )
        )
    return findings


def lint_guide(
    fields: Mapping[str, str | Sequence[str] | None], *, rules: Sequence[Rule] = RULES
) -> list[Finding]:
    """The findings of a whole guide, field by field in the order handed in. A list of
    texts is reported item by item as ``name[i]``; ``None`` is an empty field."""
    findings: list[Finding] = []
    for name, value in fields.items():
        if value is None:
            continue
        if isinstance(value, str):
            findings.extend(lint_text(value, name, rules=rules))
            continue
        if not isinstance(value, Sequence):
            raise TypeError(f"{name}: expected text or a list of texts, got {type(value).__name__}")
        for i, item in enumerate(value):
            if item is not None:
                findings.extend(lint_text(item, f"{name}[{i}]", rules=rules))
    return findings


def blocks_publication(findings: Iterable[Finding]) -> bool:
    """Publication is refused while the lint finds any vague or catch-all clause."""
    return any(f.severity == ERROR for f in findings)
