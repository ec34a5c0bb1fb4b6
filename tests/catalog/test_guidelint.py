"""The guide lint (R-CAT-6): vague and catch-all clauses are flagged, look-alike ordinary
words are not. Pure module; no database."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from onewindow.catalog import guidelint, lint_rules
from onewindow.catalog.guidelint import (
    Finding,
    blocks_publication,
    field_kind,
    lint_guide,
    lint_text,
    normalize,
)
from onewindow.catalog.lint_rules import ERROR, RULES, WARNING, Rule

MATERIAL = "materials[0].name"
CONDITION = "conditions"
STEP = "steps[1].description"
FAQ = "faq[0].answer"

# (text, field, rule, clause): each text must give this finding.
FLAGGED = [
    # 其他… materials
    ("申请表、身份证及其他材料", MATERIAL, "catch_all.other_materials", "其他材料"),
    ("其它材料", MATERIAL, "catch_all.other_materials", "其它材料"),
    ("提交其他相关材料", MATERIAL, "catch_all.other_materials", "其他相关材料"),
    ("其他有关材料", MATERIAL, "catch_all.other_materials", "其他有关材料"),
    ("其他必要材料", MATERIAL, "catch_all.other_materials", "其他必要材料"),
    ("其他证明材料", MATERIAL, "catch_all.other_materials", "其他证明材料"),
    ("居民身份证或其他有效身份证件", MATERIAL, "catch_all.other_materials", "其他有效身份证件"),
    ("其余材料按窗口要求提交", MATERIAL, "catch_all.other_materials", "其余材料"),
    ("如有其他材料，一并提交", MATERIAL, "catch_all.other_materials", "其他材料"),
    ("其他需要提交的材料", MATERIAL, "catch_all.other_materials", "其他需要提交的材料"),
    # 相关 / 有关 / 相应 … materials
    ("相关材料", MATERIAL, "catch_all.related_materials", "相关材料"),
    ("请携带有关材料到窗口办理", FAQ, "catch_all.related_materials", "有关材料"),
    ("提供相关证明", MATERIAL, "catch_all.related_materials", "相关证明"),
    ("有关证明文件", MATERIAL, "catch_all.related_materials", "有关证明文件"),
    ("相关证明材料", MATERIAL, "catch_all.related_materials", "相关证明材料"),
    ("与申请事项相关的证明材料", MATERIAL, "catch_all.related_materials", "相关的证明材料"),
    ("相应材料", MATERIAL, "catch_all.related_materials", "相应材料"),
    # …等材料
    ("身份证、户口簿等材料", MATERIAL, "catch_all.etc_materials", "等材料"),
    ("营业执照、法定代表人身份证等相关材料", MATERIAL, "catch_all.etc_materials", "等相关材料"),
    ("学历、职称等证明", MATERIAL, "catch_all.etc_materials", "等证明"),
    ("房产证、土地证等有关材料", MATERIAL, "catch_all.etc_materials", "等有关材料"),
    ("章程、股东会决议等文件", MATERIAL, "catch_all.etc_materials", "等文件"),
    ("结婚证、户口簿等证件", MATERIAL, "catch_all.etc_materials", "等证件"),
    # open lists
    ("身份证、户口簿、结婚证等。", MATERIAL, "catch_all.open_list", "等"),
    ("户口簿、结婚证……", MATERIAL, "catch_all.open_list", "……"),
    ("户口簿、结婚证等等", MATERIAL, "catch_all.open_list", "等等"),
    ("受理、审查、决定等", STEP, "catch_all.open_list", "等"),
    # required by someone unnamed
    ("有关部门要求的其他材料", MATERIAL, "catch_all.required_other", "有关部门要求的其他材料"),
    ("法律法规规定的其他材料", MATERIAL, "catch_all.required_other", "法律法规规定的其他材料"),
    (
        "法律、行政法规规定的其他条件",
        CONDITION,
        "catch_all.required_other",
        "法律、行政法规规定的其他条件",
    ),
    ("按规定提供的其他材料", MATERIAL, "catch_all.required_other", "按规定提供的其他材料"),
    ("按要求提供的其他资料", MATERIAL, "catch_all.required_other", "按要求提供的其他资料"),
    ("需要提供的其他材料", MATERIAL, "catch_all.required_other", "需要提供的其他材料"),
    (
        "审批部门认为需要提交的其他材料",
        MATERIAL,
        "catch_all.required_other",
        "审批部门认为需要提交的其他材料",
    ),
    ("符合规定的其他条件", CONDITION, "catch_all.required_other", "规定的其他条件"),
    # other conditions, and others
    ("符合其他条件", CONDITION, "catch_all.other_conditions", "其他条件"),
    ("存在其他情形的，不予受理", CONDITION, "catch_all.other_conditions", "其他情形"),
    ("满足窗口提出的其他要求", CONDITION, "catch_all.other_conditions", "其他要求"),
    ("如有其他情况，另行通知", FAQ, "catch_all.other_conditions", "其他情况"),
    ("身份证、户口簿及其他。", MATERIAL, "catch_all.and_other", "及其他"),
    ("以及申请人认为需要的其他", MATERIAL, "catch_all.and_other", "以及申请人认为需要的其他"),
    ("如有其他，请一并说明", FAQ, "catch_all.if_other", "如有其他"),
    ("其他", "materials[5].name", "catch_all.other_item", "其他"),
    ("1.身份证\n2.其他：", MATERIAL, "catch_all.other_item", "2.其他："),
    (
        "其他（申请人认为需要提交的材料）",
        "materials[6].name",
        "catch_all.other_item",
        "其他（申请人认为需要提交的材料）",
    ),
    (
        "有关法律、法规规定的其他材料",
        MATERIAL,
        "catch_all.required_other",
        "有关法律、法规规定的其他材料",
    ),
    ("户口簿、结婚证等...", MATERIAL, "catch_all.open_list", "等..."),
    # unnamed regulations and departments
    ("按有关规定提供", MATERIAL, "vague.unnamed_regulation", "按有关规定提供"),
    ("符合相关规定", CONDITION, "vague.unnamed_regulation", "符合相关规定"),
    ("按规定提供", MATERIAL, "vague.unnamed_regulation", "按规定提供"),
    ("按照国家有关规定收取", "fees", "vague.unnamed_regulation", "按照国家有关规定收取"),
    ("法律另有规定的除外", CONDITION, "vague.unnamed_regulation", "法律另有规定的除外"),
    ("符合有关法律法规", CONDITION, "vague.unnamed_regulation", "符合有关法律法规"),
    ("有关部门出具的意见书", MATERIAL, "vague.unnamed_department", "有关部门"),
    # case by case, when necessary, later
    ("根据实际情况提供", MATERIAL, "vague.case_by_case", "根据实际情况提供"),
    ("视情况提供", MATERIAL, "vague.case_by_case", "视情况提供"),
    ("视具体情况而定", CONDITION, "vague.case_by_case", "视具体情况而定"),
    ("必要时提供", "materials[3].condition", "vague.when_necessary", "必要时提供"),
    (
        "必要时，窗口可要求申请人补充",
        STEP,
        "vague.when_necessary",
        "必要时，窗口可要求申请人补充",
    ),
    ("确有必要的，提交房产证明", FAQ, "vague.when_necessary", "确有必要的，提交"),
    ("可能还需提供房产证明", FAQ, "vague.may_need", "可能还需提供"),
    ("具体要求另行通知", CONDITION, "vague.to_be_notified", "另行通知"),
    ("复印件若干份", MATERIAL, "vague.unspecified_quantity", "若干"),
    ("困难群众酌情减免", "fees", "vague.discretion", "酌情"),
    ("原则上不予受理", CONDITION, "vague.in_principle", "原则上"),
    ("特殊情况除外", CONDITION, "vague.special_cases", "特殊情况除外"),
    ("申请人应提供相关信息", CONDITION, "vague.related_info", "相关信息"),
    # written differently: full width, spaces, traditional characters
    ("其　他　材　料", MATERIAL, "catch_all.other_materials", "其　他　材　料"),
    ("其他相關證明材料", MATERIAL, "catch_all.other_materials", "其他相關證明材料"),
    ("按 有关 规定 提供", MATERIAL, "vague.unnamed_regulation", "按 有关 规定 提供"),
    ("户口簿、结婚证⋯⋯", MATERIAL, "catch_all.open_list", "⋯⋯"),
    ("必要時提供", MATERIAL, "vague.when_necessary", "必要時提供"),
]

# (text, field): nothing may be flagged.
NOT_FLAGGED = [
    ("请到其他事务代办窗口办理", STEP),
    ("请到“其他事务代办”窗口办理", FAQ),
    ("本事项属于其他行政权力", "kind"),
    ("其他行政权力事项的办理时限为5个工作日", FAQ),
    ("与申请事项相关的营业执照、身份证", MATERIAL),
    ("申请人身份证及相关信息（姓名、住址）", MATERIAL),
    ("相关材料：1.身份证 2.户口簿", MATERIAL),
    ("相关材料如下：身份证、户口簿", MATERIAL),
    ("相关证明（户籍所在地派出所出具的户籍证明）", MATERIAL),
    ("按《食品经营许可管理办法》规定提供", MATERIAL),
    ("按《食品经营许可管理办法》第十二条规定提供", MATERIAL),
    ("依照《中华人民共和国行政许可法》有关规定办理", STEP),
    ("有关规定：《食品安全法》第三十五条", CONDITION),
    ("按本办法第五条相关规定执行", STEP),
    ("提交职业资格等级证书", MATERIAL),
    ("叫号后到窗口办理，无需等待", FAQ),
    ("在休息区等候叫号", STEP),
    ("请稍等。", FAQ),
    ("平等对待每一位申请人", FAQ),
    ("享受同等待遇", CONDITION),
    ("高等学校毕业证书", MATERIAL),
    ("一等奖获奖证书", MATERIAL),
    ("身份证、户口簿等2项材料", MATERIAL),
    ("其中，原件1份、复印件1份", MATERIAL),
    ("如有其他问题，请拨打12345咨询", FAQ),
    ("不得要求申请人提交办事指南以外的其他材料", CONDITION),
    ("除身份证外，无需提交其他材料", FAQ),
    ("不需要提供其他证明", FAQ),
    ("除上述情形外的其他情形，不予受理", CONDITION),
    ("无其他要求", CONDITION),
    ("必要时可拨打12345咨询", FAQ),
    ("《关于深化“放管服”改革的若干意见》", "basis"),
    ("《关于进一步规范有关规定和其他材料的通知》", "basis"),
    ("申请人可根据需要选择邮寄或窗口领取", FAQ),
    ("审批结果以短信方式另行通知", FAQ),
    ("上述材料均需加盖公章", MATERIAL),
    ("申请表中填写姓名、住址等相关信息", MATERIAL),
    ("系统会向申请人推送相关信息", STEP),
    ("委托他人办理的，提供授权委托书及受托人身份证", "materials[2].condition"),
    ("营业执照副本原件1份", MATERIAL),
    ("本事项不收取任何费用", "fees"),
    ("由其他人员代为提交的，提供授权委托书", "materials[4].condition"),
    ("申请人和其他共有人共同签字", MATERIAL),
]


def pairs(findings: list[Finding]) -> list[tuple[str, str]]:
    return [(f.rule, f.clause) for f in findings]


def test_r_cat_6_tables_are_large_enough():
    assert len(FLAGGED) >= 40
    assert len(NOT_FLAGGED) >= 30
    assert {rule for _, _, rule, _ in FLAGGED} >= {r.code for r in RULES if r.severity == ERROR}


@pytest.mark.parametrize(("text", "field", "rule", "clause"), FLAGGED)
def test_r_cat_6_catch_all_clauses_are_flagged_with_the_clause_named(text, field, rule, clause):
    findings = lint_text(text, field)
    assert (rule, clause) in pairs(findings), pairs(findings)
    finding = next(f for f in findings if f.rule == rule and f.clause == clause)
    assert finding.field == field
    assert text[finding.start : finding.end] == clause
    assert f"“{clause}”" in finding.message
    assert finding.severity == ERROR
    assert blocks_publication(findings)


@pytest.mark.parametrize(("text", "field"), NOT_FLAGGED)
def test_r_cat_6_look_alike_ordinary_words_are_not_flagged(text, field):
    assert pairs(lint_text(text, field)) == []


def test_r_cat_6_findings_name_the_field():
    guide = {
        "conditions": "年满18周岁；法律法规规定的其他条件。",
        "materials[3].name": "身份证",
        "materials[3].condition": "必要时提供",
        "steps[1].description": "窗口受理后5个工作日内办结",
        "faq": ["如有其他问题，请拨打12345", "请携带相关材料到窗口办理"],
        "fees": None,
    }
    findings = lint_guide(guide)
    assert [(f.field, f.rule, f.clause) for f in findings] == [
        ("conditions", "catch_all.required_other", "法律法规规定的其他条件"),
        ("materials[3].condition", "vague.when_necessary", "必要时提供"),
        ("faq[1]", "catch_all.related_materials", "相关材料"),
    ]
    assert blocks_publication(findings)


def test_r_cat_6_a_plain_guide_is_publishable():
    guide = {
        "conditions": "在本县登记的个体工商户",
        "materials[0].name": "经营者身份证",
        "materials[1].name": "营业执照",
        "materials[1].condition": "已办理营业执照的",
        "steps[0].description": "申请、受理、审核、发证",
        "faq": ["如有其他问题，请拨打12345"],
    }
    assert lint_guide(guide) == []
    assert not blocks_publication(lint_guide(guide))


def test_r_cat_6_warnings_do_not_block_publication():
    findings = lint_text("营业执照（如有）", MATERIAL)
    assert pairs(findings) == [("style.if_any", "（如有）")]
    assert findings[0].severity == WARNING
    assert not blocks_publication(findings)
    assert not findings[0].blocking


def test_r_cat_6_original_span_with_full_width_text():
    text = "申请人须提交：身份证，其　它　相关　材料（复印件）；ＡＢＣ公司 营业执照等 资料。"
    findings = lint_text(text, MATERIAL)
    assert pairs(findings) == [
        ("catch_all.other_materials", "其　它　相关　材料"),
        ("catch_all.etc_materials", "等 资料"),
    ]
    for f in findings:
        assert text[f.start : f.end] == f.clause
    assert findings[0].start == text.index("其")
    assert findings[1].end == text.index("。")


def test_r_cat_6_normalize_keeps_the_origin_of_each_character():
    normalized, origin = normalize("其　它ＡＢ，相關 材料")
    assert normalized == "其他AB,相关材料"
    assert origin == (0, 2, 3, 4, 5, 6, 7, 9, 10)


def test_r_cat_6_one_finding_per_clause_the_longest_wins():
    findings = lint_text("有关部门要求的其他相关材料", MATERIAL)
    assert pairs(findings) == [("catch_all.required_other", "有关部门要求的其他相关材料")]


def test_r_cat_6_several_clauses_in_one_text_are_each_reported():
    text = "身份证等材料；视情况提供房产证明；其他情形另行通知。"
    assert pairs(lint_text(text, MATERIAL)) == [
        ("catch_all.etc_materials", "等材料"),
        ("vague.case_by_case", "视情况提供"),
        ("catch_all.other_conditions", "其他情形"),
        ("vague.to_be_notified", "另行通知"),
    ]


def test_r_cat_6_when_necessary_in_a_faq_answer():
    """A demand made "when necessary" is an error everywhere, a FAQ answer included; a
    bare "必要时" is a warning in the rest of the guide and ordinary advice in an answer."""
    assert pairs(lint_text("必要时请提交房产证明", FAQ)) == [
        ("vague.when_necessary", "必要时请提交")
    ]
    assert lint_text("必要时可拨打12345咨询", FAQ) == []
    step = lint_text("必要时组织现场核查", STEP)
    assert pairs(step) == [("style.when_necessary", "必要时")]
    assert step[0].severity == WARNING


def test_r_cat_6_rules_apply_to_their_kinds_of_field():
    assert pairs(lint_text("填写相关信息", MATERIAL)) == [("vague.related_info", "相关信息")]
    assert lint_text("填写相关信息", STEP) == []
    assert field_kind("materials[3].name") == "materials"
    assert field_kind("faq[0].answer") == "faq"
    assert field_kind("conditions") == "conditions"


def test_r_cat_6_rules_are_data_with_unique_codes():
    codes = [r.code for r in RULES]
    assert len(codes) == len(set(codes))
    for rule in RULES:
        assert isinstance(rule, Rule)
        assert re.fullmatch(r"(catch_all|vague|style)\.[a-z_]+", rule.code)
        assert rule.severity == (WARNING if rule.code.startswith("style.") else ERROR)
        re.compile(rule.pattern)
        for exception in rule.exceptions:
            re.compile(exception)
        assert "{clause}" in rule.message
        assert re.search(r"[\u4e00-\u9fff]", rule.message)
        assert not re.compile(rule.pattern).fullmatch("")


def test_r_cat_6_rules_are_data_a_new_rule_needs_no_code():
    extra = Rule(
        code="vague.as_soon_as_possible",
        pattern=r"尽快",
        message="“{clause}”时限不明确，请写明具体的工作日数。",
        exceptions=(r"请尽快",),
    )
    rules = (*RULES, extra)
    assert pairs(lint_text("审批部门尽快办结", STEP, rules=rules)) == [
        ("vague.as_soon_as_possible", "尽快")
    ]
    assert lint_text("请尽快补正", STEP, rules=rules) == []
    assert lint_text("审批部门尽快办结", STEP) == []


def test_r_cat_6_lint_modules_import_no_django():
    for module in (guidelint, lint_rules):
        tree = ast.parse(Path(module.__file__).read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            else:
                continue
            for name in names:
                assert not name.startswith("django"), name
                assert not name.startswith("onewindow") or name == "onewindow.catalog.lint_rules"
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, onewindow.catalog.guidelint; print('django' in sys.modules)",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.strip() == "False"


def test_r_cat_6_lint_guide_rejects_what_is_not_text():
    with pytest.raises(TypeError):
        lint_guide({"conditions": 42})
    with pytest.raises(TypeError):
        lint_text(None, "conditions")  # type: ignore[arg-type]


# --- properties ------------------------------------------------------------------------

# Characters that cannot form any vague clause on their own.
CLEAN_ALPHABET = (
    "申请人应当携带身份证原件到窗口办理营业执照户口簿结婚受理审核发放工作日元年月，、。0123456789"
)

PHRASES = [
    "其他材料",
    "其它材料",
    "其他相关材料",
    "其他有关证明",
    "相关材料",
    "有关证明文件",
    "等材料",
    "等相关材料",
    "等证明",
    "有关部门要求的其他材料",
    "法律法规规定的其他材料",
    "按规定提供",
    "按有关规定提供",
    "视情况提供",
    "根据实际情况提供",
    "必要时提供",
    "另行通知",
    "其他条件",
    "其他情形",
    "及其他",
    "若干",
    "酌情",
    "原则上",
    "特殊情况除外",
    "相关規定",
]


@st.composite
def written_differently(draw, phrase: str) -> str:
    """The phrase with spaces (half or full width) between some of its characters."""
    out = []
    for ch in phrase:
        out.append(ch)
        out.append(draw(st.sampled_from(["", "", "", " ", "\u3000"])))
    return "".join(out).strip()


@settings(max_examples=300, deadline=None)
@given(
    clean=st.text(alphabet=CLEAN_ALPHABET, max_size=60),
    phrase=st.sampled_from(PHRASES).flatmap(written_differently),
    where=st.floats(min_value=0, max_value=1),
)
def test_r_cat_6_inserting_a_catch_all_phrase_into_clean_text_flags_it(clean, phrase, where):
    assert lint_text(clean, MATERIAL) == []
    pos = int(where * len(clean))
    text = clean[:pos] + phrase + "。" + clean[pos:]
    end = pos + len(phrase)
    findings = lint_text(text, MATERIAL)
    assert any(f.start < end and f.end > pos and f.severity == ERROR for f in findings), (
        text,
        pairs(findings),
    )
    assert blocks_publication(findings)


@settings(max_examples=500, deadline=None)
@given(text=st.text(), field=st.sampled_from([MATERIAL, CONDITION, STEP, FAQ, "", "x.y[0"]))
def test_r_cat_6_the_lint_never_crashes_on_arbitrary_text(text, field):
    findings = lint_text(text, field)
    for f in findings:
        assert 0 <= f.start < f.end <= len(text)
        assert text[f.start : f.end] == f.clause
        assert f.field == field
    spans = [(f.start, f.end) for f in findings]
    assert spans == sorted(spans)
    assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:], strict=False))


@settings(max_examples=200, deadline=None)
@given(
    text=st.text(
        alphabet=st.sampled_from(
            list("其他它相关有等材料证明必要时视情况规定按，、。：（）《》 \u3000…")
        ),
        max_size=40,
    )
)
def test_r_cat_6_the_lint_never_crashes_on_text_made_of_its_own_words(text):
    for f in lint_text(text, MATERIAL):
        assert text[f.start : f.end] == f.clause
