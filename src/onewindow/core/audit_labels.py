"""The audit trail in words (R-SEC-1): the Chinese name of every action code the
services write, the target as a readable name, and before/after as labelled text.

``ACTION_LABELS`` is the one table of action codes. Codes of a family written with a
variable verb (``case.<action>``, ``ticket.<action>`` …) are listed verb by verb;
tests/core/test_audit_labels.py checks that every code the services write is here.
Admin saves (``<model>.create|update|delete``) are named from the model's
``verbose_name``; any other unknown code falls back to “其他操作”.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone
from django.utils.dateparse import parse_datetime

ACTION_LABELS: dict[str, str] = {
    # --- kernel and organisation
    "api_client.create": "新增接入系统",
    "api_token.create": "创建接口令牌",
    "api_token.revoke": "停用接口令牌",
    "calendar_override.create": "新增日历调整",
    "calendar_override.delete": "删除日历调整",
    "calendar_year.load": "载入年度节假日安排",
    "deadline.pause": "时限暂停计时",
    "deadline.recompute": "时限重新计算",
    "deadline.resume": "时限恢复计时",
    "deadline.start": "时限开始计时",
    "pii.reveal_id_number": "查看完整身份证号",
    "user.create": "新增用户",
    "region.create": "新增区划",
    "center.create": "新增服务中心",
    "center.update": "修改服务中心信息",
    "center_unit.save": "保存中心进驻单位",
    "department.create": "新增部门",
    "department_line.create": "新增部门条线",
    "staff.create": "新增工作人员",
    "staff.deactivate": "停用工作人员",
    "staff.set_away": "登记外出/请假",
    "staff.set_back": "销假返岗",
    "staff.set_backup": "设置AB角",
    "staff.set_roles": "调整岗位角色",
    "demo.authorizations": "载入演示窗口授权",
    "demo.cases": "载入演示办件",
    "demo.case_extras": "载入演示办件（补充）",
    "demo.hall_history": "载入演示排队记录",
    # --- catalog
    "matter.create": "新增事项",
    "material_type.create": "新增材料类型",
    "guide.draft_create": "新建办事指南草稿",
    "guide.draft_update": "修改办事指南草稿",
    "guide.materials_set": "设置申请材料",
    "guide.steps_set": "设置办理流程",
    "guide.publish": "发布办事指南",
    "guide.import_publish": "导入并发布办事指南",
    "listing.import_activate": "导入并启用实施清单",
    "change_request.submit": "提交进驻变更申请",
    "change_request.decide": "审批进驻变更申请",
    "process_change.submit": "提交流程再造申请",
    "process_change.legality_review": "合法性审查",
    "process_change.final_review": "流程再造终审",
    "bundle.save": "保存“一件事”",
    # --- hall
    "hall_settings.create": "新建大厅设置",
    "service_category.create": "新增业务类别",
    "service_category.update": "修改业务类别",
    "window.create": "新增窗口",
    "window.update": "修改窗口",
    "window.activate": "启用窗口",
    "window.deactivate": "停用窗口",
    "hall_schedule.set": "设置办公时间",
    "window.set_categories": "设置窗口业务类别",
    "window.sign_in": "窗口签到",
    "window.sign_out": "窗口签退",
    "window.sign_out_left_open": "未签退的窗口签到自动签退",
    "terminal.register": "登记自助终端",
    "terminal.enrollment_issue": "生成自助终端登记链接",
    "terminal.enroll": "自助终端完成登记",
    "terminal.revoke": "停用自助终端",
    "authorization.set": "设置窗口授权",
    "ticket.issue": "取号",
    "ticket.call": "叫号",
    "ticket.recall": "重呼",
    "ticket.start": "开始办理",
    "ticket.undo": "撤销叫号",
    "ticket.skip": "过号",
    "ticket.return": "过号返回",
    "ticket.transfer": "转移窗口",
    "ticket.finish": "办结",
    "ticket.cancel": "取消排队",
    "ticket.link_case": "排队号关联办件",
    "appointment.book": "预约",
    "appointment.cancel": "取消预约",
    "appointment.check_in": "预约签到",
    "appointment.no_show": "预约爽约",
    "appointment.suspend": "暂停网上预约资格",
    "appointment_slot.create": "新增预约时段",
    "appointment_slot.update": "修改预约时段",
    "home_visit.request": "申请上门服务",
    "home_visit.assign": "分派上门服务",
    "home_visit.visit": "上门办理",
    "home_visit.mail": "上门服务邮寄",
    "home_visit.cancel": "取消上门服务",
    # --- cases
    "case.intake": "收件",
    "case.draft": "网上填报",
    "case.draft_save": "修改网上申请",
    "case.submit": "提交申请",
    "case.prereview_pass": "预审通过",
    "case.prereview_return": "预审退回修改",
    "case.deem_accept": "逾期视为受理",
    "case.accept": "受理",
    "case.refuse": "不予受理",
    "case.ask_correction_intake": "一次性告知补正",
    "case.reply_intake": "补正材料",
    "case.start_review": "开始审查",
    "case.ask_correction": "审查中补正",
    "case.reply": "补正材料",
    "case.start_special": "进入特别程序",
    "case.end_special": "特别程序结束",
    "case.approve": "准予",
    "case.deny": "不予",
    "case.make_ready": "送统一出件窗口",
    "case.deliver": "出件",
    "case.withdraw": "视为撤回",
    "case.applicant_withdraw": "申请人撤回",
    "case.archive": "归档",
    "case.urge": "督办催办",
    "case.urge_answer": "督办答复",
    "case.alert": "时限预警",
    "case.pledge_checks": "告知承诺核查任务",
    "case.pledge_true": "承诺核查属实",
    "case.pledge_false": "虚假承诺（决定待复核）",
    "case.project_link": "纳入帮办代办项目",
    "case.document_attach": "收取电子材料",
    "case.document_reuse": "复用材料库中的材料",
    "case.force_reassign": "督查改派承办人",
    "case.force_reopen": "督查重新打开",
    "case.force_advance": "督查推进",
    "case.handover": "队列移交",
    "bundle_application.intake": "“一件事”收件",
    "bundle_application.refresh": "“一件事”进度更新",
    "bundle_application.accept": "“一件事”受理",
    "bundle_application.ask_correction": "“一件事”一次性告知补正",
    "bundle_application.correction_reply": "“一件事”补正材料",
    "bundle_application.deliver": "“一件事”出件",
    "pledge_check.record": "记录承诺核查",
    "false_pledge.record": "记录虚假承诺",
    "project.create": "新建帮办代办项目",
    "project.note": "帮办代办记录",
    "project.link_case": "项目关联办件",
    "project.close": "帮办代办项目结束",
    # --- evaluation
    "evaluation.review": "评价",
    "evaluation.exclude": "评价不计入统计",
    "evaluation.limits": "设置整改时限",
    "evaluation.pad_pair": "配对评价器",
    "rectification.open": "差评生成整改单",
    "rectification.contact": "联系评价人",
    "rectification.start": "开始整改",
    "rectification.report": "报告整改情况",
    "rectification.accept": "评价人认可整改",
    "rectification.reject": "评价人不认可整改",
    "rectification.redo": "退回重新整改",
    "rectification.check": "中心核查整改",
    "rectification.close": "整改办结",
    "rectification.appeal_upheld": "申诉成立，差评不计入统计",
    "rectification.overdue": "整改超时预警并上报",
    "rectification.appeal": "部门提出申诉",
    "rectification.appeal_rejected": "申诉不成立",
    # --- complaints
    "complaint.receive": "登记投诉建议",
    "complaint.dispatch": "分办",
    "complaint.return": "退回（非本部门职责）",
    "complaint.answer": "答复",
    "complaint.satisfied": "评价满意",
    "complaint.unsatisfied": "评价不满意",
    "complaint.reopen": "申请重新办理",
    "complaint.revisit": "回访",
    "complaint.close": "办结归档",
    "complaint.extension_request": "申请延期",
    "complaint.extension_approve": "批准延期",
    "complaint.extension_refuse": "不批准延期",
    "complaint.overdue": "逾期未答复",
    "complaint.hotline_export": "回复12345热线",
    "complaint.hotline_import": "导入12345热线工单",
    "complaint.link": "关联重复投诉",
    "inquiry.log": "登记咨询",
    "inquiry.answer": "答复咨询",
    "inquiry.handover": "移交咨询",
    # --- indicators/dashboard: assessment thresholds
    "assessment.threshold_set": "设置考核指标阈值",
    # --- leader duty, facilities, guidance, complaint channels (oversight)
    "duty_post.add": "列入坐班名单",
    "duty_post.remove": "移出坐班名单",
    "county_duty.set": "设置县级领导坐班",
    "duty.sign_in": "坐班签到",
    "duty.sign_out": "坐班签退",
    "duty_problem.record": "登记坐班发现问题",
    "duty_problem.close": "办结坐班发现问题",
    "process_walk.record": "登记走流程",
    "hall_zone.add": "新增大厅功能区",
    "facility.add": "新增便民设施",
    "facility_check.record": "登记设施日常检查",
    "facility_fault.report": "设施报修",
    "facility_fault.fix": "设施修复",
    "free_service.add": "登记免费便民服务",
    "guidance.record": "登记导办",
    "complaint_channels.update": "更新投诉渠道公开信息",
    # --- staffing (R-STAFF-1, R-STAFF-2, R-STAFF-4)
    "staff_record.set": "维护人员管理档案",
    "staff_record.declare_no_other_work": "声明不承担原单位工作",
    "staff_record.confirm_no_other_work": "确认不承担原单位工作",
    "posting_change.file": "提交人员调整备案",
    "posting_change.approve": "批准人员调整",
    "posting_change.refuse": "不批准人员调整",
    "secondment.file": "提交借调申请",
    "secondment.approve": "批准借调",
    "secondment.refuse": "不批准借调",
    "recruitment.record": "登记招聘",
    "staff_contract.record": "登记第三方人员合同",
    "training.record": "登记培训记录",
    "spot_check.record": "登记仪容仪表抽查",
    # window planning (R-HALL-4)
    "planning_roster.set": "设置窗口排班人数",
    # --- staff scores (R-STAFF-3) and abuse findings (R-SUP-3)
    "staff_scores.settings_set": "设置人员考核权重",
    "staff_scores.publish_month": "发布服务之星和红旗窗口",
    "staff_scores.grades_decide": "确定年度考核等次",
    "accountability.abuse_record": "登记乱作为认定",
    # --- lower levels (R-SUP-3): weights of the assessment, the red and black list
    "levels.weights_set": "设置下级考核权重",
    "levels.red_black_publish": "发布红黑榜",
    # --- entrusted matters (委托事项) and the register of separate halls (只进一扇门)
    "entrustment.create": "登记委托事项",
    "entrustment.revoke": "撤销委托事项",
    "separate_hall.record": "登记部门单独设立的服务大厅",
    "separate_hall.update": "修改部门单独设立的服务大厅",
    "separate_hall.close": "登记服务大厅撤并关闭",
    # --- messages (R-MSG-1)
    "message.retry": "重新发送暂停的消息",
    "message.refuse": "退订短信和微信消息",
    "message.accept": "恢复接收消息",
    "message.wechat_bind": "绑定微信openid",
    # --- citizen accounts (R-CIT-1) and online consultation (R-CASE-8)
    "citizen.register": "注册群众账户",
    "citizen.login": "群众账户登录",
    "citizen.code_issue": "发送手机验证码",
    "citizen.claim": "认领手机号名下事务",
    "citizen.password_reset": "通过手机验证码重置密码",
    "inquiry.ask_online": "网上咨询",
    "inquiry.take": "接收网上咨询",
    "inquiry.faq_publish": "审核公开为常见问题",
    "inquiry.faq_decline": "审核不予公开",
    "inquiry.overdue": "网上咨询逾期未答复",
    "citizen.document_reuse": "复用已存材料",
    # --- electronic licences (电子证照, R-MSG-2)
    "licence.signer_create": "生成中心电子印章和签名密钥",
    "licence.issue": "签发电子证照",
    "licence.revoke": "撤销电子证照",
    "licence.replace": "换发电子证照",
}

_ISO_MOMENT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")

ADMIN_VERBS = {"create": "新增", "update": "修改", "delete": "删除"}
UNKNOWN_ACTION = "其他操作"

# Row ids say nothing to a reader; the target is named beside the change.
HIDDEN_KEYS = frozenset({"id", "pk"})

# Keys of before/after that are not fields of the target model.
KEY_LABELS = {
    "state": "状态",
    "window": "窗口",
    "chosen": "指定叫号",
    "case": "办件",
    "case_ref": "关联办件",
    "cases": "办件",
    "bundle": "“一件事”",
    "materials": "材料",
    "material": "材料",
    "items": "补正内容",
    "due": "期限",
    "reply_by": "答复期限",
    "intake_due": "受理期限",
    "prereview_due": "预审期限",
    "channel": "渠道",
    "code": "编码",
    "priority": "优先原因",
    "method": "送达方式",
    "tracking_number": "邮寄单号",
    "appointment_at": "预约时间",
    "roles": "岗位角色",
    "categories": "业务类别",
    "category": "业务类别",
    "may_accept": "可受理",
    "may_decide": "可审批",
    "matter": "事项",
    "matters": "事项",
    "version": "版本",
    "steps": "流程",
    "late": "逾期",
    "on_time": "按时",
    "overdue": "逾期",
    "paused": "暂停",
    "provisional": "暂定",
    "working_days": "工作日",
    "days": "天数",
    "day": "日期",
    "start": "开始",
    "end": "结束",
    "until": "截止",
    "away": "外出/请假",
    "away_reason": "外出原因",
    "away_until": "外出至",
    "backup": "AB角",
    "from_user": "移交人",
    "to_user": "接收人",
    "owner": "承办人",
    "staff": "工作人员",
    "name": "名称",
    "number": "编号",
    "kind": "类型",
    "level": "等级",
    "capacity": "名额",
    "slot": "时段",
    "ticket": "排队号",
    "tickets": "排队号",
    "file": "文件",
    "size": "大小",
    "sha256": "文件指纹",
    "scope": "范围",
    "source": "来源",
    "suggested": "建议",
    "note": "说明",
    "letter": "函件",
    "project": "项目",
    "recall_count": "重呼次数",
    "no_shows": "爽约次数",
    "deemed_accepted": "视为受理",
    "exception_accepted": "例外受理",
    "excluded": "不计入统计",
    "appeal": "申诉",
    "review_decision": "复核决定",
    "clock_start": "计时开始",
    "planned_end": "计划结束",
    "visit_on": "上门日期",
    "duty_staff": "值班人员",
    "contact_days": "联系时限（工作日）",
    "rectify_days": "整改时限（工作日）",
    "automatic": "自动",
    "active": "在用",
    "open": "开放",
    "first": "首次",
    "replaced": "替换",
    "extended": "已延期",
    "orders": "工单",
    "base": "基础",
    "pace": "进度",
    "check": "核查",
    "approve": "批准",
    "applicant": "申请人",
    "authorizations": "授权",
    "stored": "存储",
    "pauses": "暂停记录",
    "center": "服务中心",
    "department": "部门",
    "region": "区划",
    "user": "用户",
    "hours": "办公时间",
    "phone": "电话",
    "address": "地址",
    "status": "状态",
    "created_at": "创建时间",
    "updated_at": "更新时间",
    "started_at": "开始时间",
    "closed_at": "关闭时间",
    "backup_for": "替岗对象（AB角）",
    "complaint_phone": "投诉电话",
    "contact_due": "联系期限",
    "rectify_due": "整改期限",
    "handled_outside": "在中心外办理",
    "outside_note": "未进驻说明",
    "outside_reason": "未进驻原因",
    "limit_unit": "时限单位",
    "promised_days": "承诺时限",
    "statutory_days": "法定时限",
    "visits": "跑动次数",
    "windows": "窗口",
    "place": "办理地点",
    "path": "区划路径",
    "region_path": "区划路径",
}


def action_label(code: str) -> str:
    """The Chinese name of an action code; admin saves by the model's name; else a
    plain fallback."""
    if code in ACTION_LABELS:
        return ACTION_LABELS[code]
    prefix, _, verb = code.rpartition(".")
    if verb in ADMIN_VERBS and prefix:
        model = _model_named(prefix)
        if model_label(model):
            return f"{ADMIN_VERBS[verb]}{model_label(model)}"
    return UNKNOWN_ACTION


def _model_named(name: str) -> type[models.Model] | None:
    """A model by ``app_label.model`` or by its bare model name."""
    if "." in name:
        try:
            return apps.get_model(name)
        except (LookupError, ValueError):
            return None
    for model in apps.get_models():
        if model._meta.model_name == name:
            return model
    return None


def model_label(model) -> str:
    """The model's Chinese name; empty where it has none (Django's English default)."""
    name = str(model._meta.verbose_name) if model is not None else ""
    return name if name and not name.isascii() else ""


@dataclass(frozen=True)
class Change:
    label: str
    before: str
    after: str


def _text(value) -> str:
    if value is None or value == "":
        return "—"
    if value is True:
        return "是"
    if value is False:
        return "否"
    if isinstance(value, list | tuple):
        return "、".join(_text(v) for v in value) or "—"
    if isinstance(value, dict):
        return "；".join(f"{KEY_LABELS.get(str(k), str(k))}：{_text(v)}" for k, v in value.items())
    if isinstance(value, str) and _ISO_MOMENT.match(value):
        moment = parse_datetime(value)
        if moment is not None:
            if timezone.is_aware(moment):
                moment = timezone.localtime(moment)
            return moment.strftime("%Y-%m-%d %H:%M")
    return str(value)


# Codes recorded under a key that is not a field of the target (roles are group names,
# a change request records its listing's status …): labelled by the choices of a field
# of that name in any model, or by a table an app registers.
_VALUE_LABELS: dict[str, dict[str, str]] = {}
KEY_ALIASES = {"method": "delivery_method"}


def register_value_labels(key: str, labels) -> None:
    """Let an app name the codes it records under ``key`` (e.g. org's roles)."""
    _VALUE_LABELS.setdefault(key, {}).update({str(k): str(v) for k, v in dict(labels).items()})


@functools.cache
def _choices_by_field_name() -> dict[str, dict[str, str]]:
    found: dict[str, dict[str, str]] = {}
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if field.choices:
                labels = found.setdefault(field.name, {})
                for value, label in field.flatchoices:
                    labels.setdefault(str(value), str(label))
    return found


def value_labels(key: str) -> dict[str, str]:
    return _VALUE_LABELS.get(key) or _choices_by_field_name().get(KEY_ALIASES.get(key, key), {})


class _Describer:
    """Turns a page of events into words, fetching each referenced row once."""

    def __init__(self):
        self._rows: dict[tuple[type, object], str] = {}

    def _row(self, model: type[models.Model], pk) -> str:
        key = (model, pk)
        if key not in self._rows:
            row = model._default_manager.filter(pk=pk).first() if pk is not None else None
            self._rows[key] = str(row) if row is not None else f"（已删除，编号{pk}）"
        return self._rows[key]

    def value(self, field, value, key: str = "") -> str:
        if value in (None, ""):
            return _text(value)
        if field is not None and field.choices:
            return _text(dict(field.flatchoices).get(value, value))
        if field is not None and field.is_relation and field.many_to_one:
            if isinstance(value, int):  # an id; a name recorded as text is shown as given
                return self._row(field.related_model, value)
            return _text(value)
        labels = value_labels(key)
        if labels and isinstance(value, str):
            return labels.get(value, value)
        if labels and isinstance(value, list | tuple):
            return _text([labels.get(v, v) if isinstance(v, str) else v for v in value])
        return _text(value)

    def changes(self, event) -> list[Change]:
        model = _model_named(event.target_type) if event.target_type else None
        before, after = event.before or {}, event.after or {}
        if not isinstance(before, dict):
            before = {"": before}
        if not isinstance(after, dict):
            after = {"": after}
        rows = []
        for key in list(dict.fromkeys([*before, *after])):
            if key in HIDDEN_KEYS:
                continue
            field = None
            if model is not None and key:
                try:
                    field = model._meta.get_field(key)
                except FieldDoesNotExist:
                    field = None
                if field is not None and not getattr(field, "concrete", False):
                    field = None  # a reverse relation of the same name, not a value
            label = KEY_LABELS.get(key, key) or "内容"
            verbose = str(getattr(field, "verbose_name", "") or "")
            if verbose and not verbose.isascii():  # not Django's default, the name itself
                label = verbose
            elif field is not None and field.is_relation and model_label(field.related_model):
                label = model_label(field.related_model)
            rows.append(
                Change(
                    label=label,
                    before=self.value(field, before[key], key) if key in before else "",
                    after=self.value(field, after[key], key) if key in after else "",
                )
            )
        return rows


@dataclass(frozen=True)
class DescribedEvent:
    event: object
    actor: str
    action: str
    target_kind: str
    changes: list[Change]


def actor_text(event) -> str:
    """The actor's name and staff number (never the login name)."""
    user = event.actor
    if user is None:
        return event.actor_label or "系统"
    name = user.full_name or event.actor_label or "工作人员"
    profile = getattr(user, "staff_profile", None)
    staff_no = getattr(profile, "staff_no", "") if profile is not None else ""
    return f"{name}（工号{staff_no}）" if staff_no else name


def describe(events) -> list[DescribedEvent]:
    """The events of a page, each with its action's name, the kind of its target and
    its before/after in labelled text."""
    describer = _Describer()
    out = []
    for event in events:
        model = _model_named(event.target_type) if event.target_type else None
        out.append(
            DescribedEvent(
                event=event,
                actor=actor_text(event),
                action=action_label(event.action),
                target_kind=model_label(model),
                changes=describer.changes(event),
            )
        )
    return out
