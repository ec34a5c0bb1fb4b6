"""A center's opening hours and summer dates through the API at
/api/v1/hall/centers/{center_id}/hours (R-HALL-6), as the set-up page 办公时间 does them:
its administrator reads the periods (weekdays, season, times, extended service with
its categories and windows), the summer dates and the hours in words, and replaces
them.

Each period is parsed by the page's own form (``PeriodForm``: the center's categories
and windows; the summer dates by ``SummerForm``), then the same service
(``hours.hall_schedule_set``: no overlap, at least one period). A center the caller
does not administer is 404; a form's fault or a rule broken is a 422 that changes
nothing."""

from __future__ import annotations

from ninja import Field, Router, Schema

from onewindow.core.api import AUTH, LocalTime
from onewindow.core.errors import InvalidInput
from onewindow.core.paging import MAX_ID, Id
from onewindow.core.text import form_errors_text
from onewindow.hall import hours
from onewindow.hall.appointments import center_for_admin
from onewindow.hall.forms_setup import PeriodForm, SummerForm
from onewindow.hall.selectors import setup as selectors_setup

router = Router(tags=["大厅设置"], auth=AUTH)

MONTH_DAY = r"^\d{2}-\d{2}$"


class HoursPeriodIn(Schema):
    weekdays: list[int] = Field(..., max_length=7, description="星期（0为星期一）")
    season: str = Field("all", pattern="^(all|summer|winter)$", description="全年、夏季、冬季")
    start: LocalTime
    end: LocalTime
    extended: bool = Field(False, description="错时延时服务")
    categories: list[int] = Field(default_factory=list, max_length=100, description="服务类别")
    windows: list[int] = Field(
        default_factory=list, max_length=100, description="服务窗口（错时延时服务）"
    )


class HoursIn(Schema):
    summer_start: str = Field("05-01", pattern=MONTH_DAY, description="夏季开始（月-日）")
    summer_end: str = Field("09-30", pattern=MONTH_DAY, description="夏季结束（月-日）")
    periods: list[HoursPeriodIn] = Field(..., max_length=50)


class HoursPeriodOut(Schema):
    weekdays: list[int]
    season: str
    start: LocalTime
    end: LocalTime
    extended: bool
    categories: list[int]
    windows: list[int]


class HoursOut(Schema):
    center_id: int
    stored: bool = Field(..., description="false 为缺省办公时间（尚未设置）")
    summer_start: str
    summer_end: str
    periods: list[HoursPeriodOut]
    lines: list[str] = Field(..., description="办公时间的文字说明（公开页面所示）")


def _hours(center) -> dict:
    found = hours.stored_schedule(center)
    sched = hours.schedule_for(center)
    numbers = selectors_setup.window_pks_by_number(center)
    return {
        "center_id": center.pk,
        "stored": found is not None,
        "summer_start": (
            f"{found.summer_start_month:02d}-{found.summer_start_day:02d}" if found else "05-01"
        ),
        "summer_end": (
            f"{found.summer_end_month:02d}-{found.summer_end_day:02d}" if found else "09-30"
        ),
        "periods": [
            {
                "weekdays": sorted(p.weekdays),
                "season": p.season,
                "start": p.start,
                "end": p.end,
                "extended": p.extended,
                "categories": sorted(p.categories),
                "windows": [numbers[n] for n in sorted(p.windows) if n in numbers],
            }
            for p in sched.periods
        ],
        "lines": hours.hours_lines(center, sched=sched),
    }


def _valid(form) -> dict:
    if not form.is_valid():
        fields = {name: "；".join(errors) for name, errors in form.errors.items()}
        raise InvalidInput("form.invalid", form_errors_text(form), fields)
    return form.cleaned_data


def _period(center, p: HoursPeriodIn) -> hours.PeriodInput:
    data = {
        "weekdays": [str(d) for d in p.weekdays],
        "season": p.season,
        "start": p.start.strftime("%H:%M:%S"),
        "end": p.end.strftime("%H:%M:%S"),
        "categories": [str(pk) for pk in p.categories if 1 <= pk <= MAX_ID],
        "windows": [str(pk) for pk in p.windows if 1 <= pk <= MAX_ID],
    }
    if p.extended:
        data["extended"] = "on"
    got = _valid(PeriodForm(data, center=center))
    return hours.PeriodInput(
        start=got["start"],
        end=got["end"],
        weekdays=frozenset(int(d) for d in got["weekdays"]),
        season=got["season"],
        extended=got["extended"],
        categories=tuple(got["categories"]),
        windows=tuple(got["windows"]),
    )


@router.get("/centers/{center_id}/hours", response=HoursOut, summary="中心的办公时间与夏季日期")
def hours_read(request, center_id: Id):
    return _hours(center_for_admin(actor=request.user, center_id=center_id))


@router.put("/centers/{center_id}/hours", response=HoursOut, summary="设置中心的办公时间")
def hours_set(request, center_id: Id, payload: HoursIn):
    center = center_for_admin(actor=request.user, center_id=center_id)
    summer = _valid(
        SummerForm({"summer_start": payload.summer_start, "summer_end": payload.summer_end})
    )
    hours.hall_schedule_set(
        actor=request.user,
        center=center,
        periods=[_period(center, p) for p in payload.periods],
        summer_start=summer["summer_start"],
        summer_end=summer["summer_end"],
    )
    return _hours(center)
