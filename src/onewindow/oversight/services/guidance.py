"""The guidance desk's records (导办, R-HALL-9) and the center's published complaint
channels (§18)."""

from __future__ import annotations

from django.db import transaction

from onewindow.catalog.models import Matter
from onewindow.core import clock
from onewindow.core.audit import audit_record
from onewindow.core.errors import InvalidInput
from onewindow.core.text import clean_text
from onewindow.oversight.models import ComplaintChannels, Guidance, GuidanceChannel, GuidanceTopic
from onewindow.oversight.services.duty import as_id, center_in_scope, require


@transaction.atomic
def guidance_record(*, actor, center_id, channel: str, matter_id=None, topic: str = "", now=None):
    """One guidance: what was asked (a matter or a topic) and where the visitor was sent."""
    require(actor, "guidance.record", "只有本中心导办人员可以登记导办。")
    center = center_in_scope(actor, center_id)
    if channel not in GuidanceChannel.values:
        raise InvalidInput("guidance.channel", "请选择引导去向。", {"channel": "请选择引导去向"})
    matter = None
    if matter_id not in (None, ""):
        matter = Matter.objects.filter(pk=as_id(matter_id)).first()
        if matter is None:
            raise InvalidInput("guidance.matter", "未找到该事项。", {"asked": "未找到该事项"})
        topic = ""
    elif topic not in GuidanceTopic.values:
        raise InvalidInput(
            "guidance.asked", "请先选择群众咨询的事项或问题。", {"asked": "请先选择"}
        )
    guidance = Guidance.objects.create(
        center=center, at=clock.now(now), by=actor, matter=matter, topic=topic, channel=channel
    )
    audit_record(
        actor=actor,
        action="guidance.record",
        target=guidance,
        target_label=guidance.asked,
        center=center,
        after={"asked": guidance.asked, "channel": channel},
    )
    return guidance


CHANNEL_FIELDS = {
    "office": ("负责投诉处置的机构", 100),
    "reception_place": ("投诉接待场所", 200),
    "reception_hours": ("接待时间", 100),
    "box_location": ("意见箱位置", 200),
    "phone": ("投诉电话", 50),
}


@transaction.atomic
def complaint_channels_update(*, actor, center_id, **values) -> ComplaintChannels:
    """The center's administrator publishes where and how complaints are received."""
    require(actor, "complaint_channels.edit", "只有中心管理员可以维护投诉渠道。")
    center = center_in_scope(actor, center_id)
    row, _ = ComplaintChannels.objects.select_for_update().get_or_create(center=center)
    before = {f: getattr(row, f) for f in CHANNEL_FIELDS}
    for field, (label, limit) in CHANNEL_FIELDS.items():
        text = clean_text(values.get(field), field=field, label=label, limit=limit, required=False)
        setattr(row, field, text)
    row.save()
    audit_record(
        actor=actor,
        action="complaint_channels.update",
        target=row,
        center=center,
        before=before,
        after={f: getattr(row, f) for f in CHANNEL_FIELDS},
    )
    return row
