"""R-SEC-1: every action code the services write to the audit trail has a Chinese name
(core/audit_labels.py), so the audit log never shows a raw code."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from onewindow.core.audit_labels import ACTION_LABELS, UNKNOWN_ACTION, action_label

SRC = Path(__file__).resolve().parents[2] / "src" / "onewindow"


def _written_codes() -> tuple[set[str], set[str]]:
    """Codes given literally to ``audit_record`` (also in conditional expressions), and
    the prefixes of codes built with a variable verb (``f"case.{action}"``)."""
    codes, families = set(), set()
    for path in SRC.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", getattr(node.func, "attr", None))
            if name != "audit_record":
                continue
            for kw in node.keywords:
                if kw.arg != "action":
                    continue
                for sub in ast.walk(kw.value):
                    if isinstance(sub, ast.Constant) and isinstance(sub.value, str):
                        if sub.value.startswith("."):  # f"{model}.delete": admin saves
                            continue
                        if "." in sub.value and not sub.value.endswith("."):
                            codes.add(sub.value)
                        elif sub.value.endswith("."):
                            families.add(sub.value.rstrip("."))
    return codes, families


def _verbs_of_family(prefix: str) -> set[str]:
    """The verbs a family's services pass to their event helper, read from the source."""
    from onewindow.cases import states as case_states
    from onewindow.complaints import states as complaint_states
    from onewindow.evaluation import states as evaluation_states
    from onewindow.hall import states as hall_states

    tables = {
        "case": [case_states.ACTIONS, case_states.EVENT_LABELS],
        "ticket": [hall_states.TRANSITIONS],
        "complaint": [complaint_states.ACTIONS, complaint_states.EVENT_LABELS],
        "rectification": [evaluation_states.ACTIONS, evaluation_states.EVENT_LABELS],
        "bundle_application": [],
    }
    helpers = {
        "case": ("cases", "event"),
        "ticket": ("hall", "_audit"),
        "complaint": ("complaints", "_event"),
        "rectification": ("evaluation", "_event"),
        "bundle_application": ("cases/services/bundles.py", "_audit"),
    }
    verbs = {v for table in tables[prefix] for v in table}
    where, helper = helpers[prefix]
    files = [SRC / where] if where.endswith(".py") else list((SRC / where).rglob("*.py"))
    for path in files:
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == helper:
                verbs |= {
                    a.value
                    for a in node.args
                    if isinstance(a, ast.Constant)
                    and isinstance(a.value, str)
                    and a.value.isidentifier()
                    and a.value.islower()
                }
    return verbs


def test_r_sec_1_every_literal_audit_code_has_a_chinese_name():
    codes, _ = _written_codes()
    assert len(codes) > 50
    missing = sorted(code for code in codes if code not in ACTION_LABELS)
    assert not missing, f"add to ACTION_LABELS: {missing}"


@pytest.mark.parametrize(
    "prefix", ["case", "ticket", "complaint", "rectification", "bundle_application"]
)
def test_r_sec_1_every_verb_of_a_family_has_a_chinese_name(prefix):
    verbs = _verbs_of_family(prefix)
    assert verbs
    missing = sorted(f"{prefix}.{v}" for v in verbs if f"{prefix}.{v}" not in ACTION_LABELS)
    assert not missing, f"add to ACTION_LABELS: {missing}"


def test_r_sec_1_admin_saves_and_unknown_codes_fall_back_in_words(db):
    assert action_label("center.update") == "修改服务中心信息"
    assert (
        action_label("holiday.delete").startswith("删除")
        or action_label("holiday.delete") == UNKNOWN_ACTION
    )
    assert action_label("applicant.update") == "修改申请人"
    assert action_label("no.such_code") == UNKNOWN_ACTION


def test_r_sec_1_a_change_naming_a_related_row_by_text_is_shown_as_text():
    """``material`` is a foreign key of the pledge check, but the services record the
    material's name: it is shown as given, never looked up as an id (that was a 500)."""
    from types import SimpleNamespace

    from onewindow.core.audit_labels import describe

    event = SimpleNamespace(
        action="pledge_check.record",
        target_type="cases.pledgecheck",
        before=None,
        after={"id": 7, "material": "经营场所使用证明", "state": "true", "visits": 0},
        actor=None,
        actor_label="系统",
    )
    (row,) = describe([event])
    assert row.action == "记录承诺核查" and row.actor == "系统"
    shown = {c.label: c.after for c in row.changes}
    assert "经营场所使用证明" in shown.values() and "id" not in shown and "跑动次数" in shown


def test_r_sec_1_recorded_codes_are_named_by_their_choices():
    from types import SimpleNamespace

    from onewindow.core.audit_labels import describe

    event = SimpleNamespace(
        action="staff.set_roles",
        target_type="org.staffprofile",
        before={"roles": ["clerk"]},
        after={"roles": ["clerk", "agent"], "limit_unit": "working"},
        actor=None,
        actor_label="系统",
    )
    (row,) = describe([event])
    shown = {c.label: (c.before, c.after) for c in row.changes}
    assert shown["岗位角色"][0] == "窗口工作人员" and "clerk" not in shown["岗位角色"][1]
    assert shown["时限单位"][1] == "工作日"
