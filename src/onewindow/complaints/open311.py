"""An Open311 GeoReport v2 façade over complaints, so 311 clients and city apps can
file and follow complaints (R-CPL-1). JSON only; see docs/open311.md.

- ``GET  /open311/v2/services.json``: the service list (the complaint categories);
- ``GET  /open311/v2/requests.json``: service requests, filtered by
  ``service_request_id`` (comma-separated), ``service_code``, ``status`` (open/closed),
  ``start_date``/``end_date`` (ISO 8601; default the last 90 days), ``jurisdiction_id``;
- ``POST /open311/v2/requests.json``: file one (``service_code``, ``description``,
  ``lat``/``long`` or ``address_string``, ``first_name``, ``last_name``, ``phone``,
  ``email``; ``jurisdiction_id`` names the center by its code);
- ``GET  /open311/v2/requests/{id}.json``: one request.

``api_key`` is optional unless ``ONEWINDOW_OPEN311_REQUIRE_KEY`` is set; a key limits
the caller to its region. Errors follow the spec: ``[{"code": 400, "description": …}]``.
The status is read from the one table ``states.STATUS`` that the portal also shows; the
complainant's name, phone and e-mail are never returned.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET

from onewindow.complaints import services, states
from onewindow.complaints.models import Complaint
from onewindow.core.errors import DomainError
from onewindow.core.links import public_reverse
from onewindow.core.tokens import client_for_key
from onewindow.org.models import Center

SERVICES = [
    {
        "service_code": Complaint.Kind.COMPLAINT.value,
        "service_name": "投诉",
        "description": "对政务服务中心、进驻部门、窗口或工作人员的服务提出投诉。",
        "keywords": "投诉,服务态度,办事效率,政务服务",
    },
    {
        "service_code": Complaint.Kind.SUGGESTION.value,
        "service_name": "建议",
        "description": "对政务服务提出意见建议。",
        "keywords": "建议,意见",
    },
    {
        "service_code": Complaint.Kind.PRAISE.value,
        "service_name": "表扬",
        "description": "表扬窗口或工作人员。",
        "keywords": "表扬,好评",
    },
]
SERVICE_NAMES = {s["service_code"]: s["service_name"] for s in SERVICES}
MAX_RESULTS = 1000
DEFAULT_DAYS = 90


def _errors(status: int, *descriptions: str) -> JsonResponse:
    return JsonResponse(
        [{"code": status, "description": d} for d in descriptions],
        status=status,
        safe=False,
        json_dumps_params={"ensure_ascii": False},
    )


def _ok(data, status: int = 200) -> JsonResponse:
    return JsonResponse(data, status=status, safe=False, json_dumps_params={"ensure_ascii": False})


def _iso(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat(timespec="seconds")
    return value.isoformat()


def _client(request):
    """(client or None, error response or None)."""
    key = request.GET.get("api_key") or request.POST.get("api_key") or ""
    client = client_for_key(key) if key else None
    if key and client is None:
        return None, _errors(403, "api_key 无效。")
    if client is None and getattr(settings, "ONEWINDOW_OPEN311_REQUIRE_KEY", False):
        return None, _errors(403, "须提供 api_key。")
    return client, None


def _visible(client):
    qs = Complaint.objects.select_related("department", "deadline", "center")
    if client is not None:
        qs = qs.filter(center__region__path__startswith=client.region.path)
    return qs


def _expected(c: Complaint):
    if c.deadline_id and c.deadline.due and c.state in states.CLOCK_RUNNING:
        return _iso(c.deadline.due)
    return None


def service_request(c: Complaint) -> dict:
    status = c.status
    updated = c.closed_at or c.revisited_at or c.answered_at or c.dispatched_at or c.received_at
    return {
        "service_request_id": c.number,
        "status": status.open311,
        "status_notes": status.label,
        "service_name": SERVICE_NAMES.get(c.kind, c.kind),
        "service_code": c.kind,
        "description": c.subject,
        "agency_responsible": c.department.name if c.department_id else c.center.name,
        "service_notice": "",
        "requested_datetime": _iso(c.received_at),
        "updated_datetime": _iso(updated),
        "expected_datetime": _expected(c),
        "address": c.address,
        "address_id": None,
        "zipcode": None,
        "lat": float(c.lat) if c.lat is not None else None,
        "long": float(c.long) if c.long is not None else None,
        "media_url": None,
    }


@require_GET
def services_list(request):
    return _ok([{**s, "metadata": False, "type": "batch", "group": "政务服务"} for s in SERVICES])


def _date(raw: str):
    try:
        value = datetime.fromisoformat(raw.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return timezone.make_aware(value) if timezone.is_naive(value) else value


def _list(request, client):
    qs = _visible(client)
    get = request.GET
    ids = [s.strip() for s in (get.get("service_request_id") or "").split(",") if s.strip()]
    if ids:
        return qs.filter(number__in=ids[:MAX_RESULTS]).order_by("-received_at")[:MAX_RESULTS]
    code = get.get("service_code", "")
    if code:
        if code not in SERVICE_NAMES:
            return _errors(400, f"service_code “{code}” 不存在。")
        qs = qs.filter(kind=code)
    status = get.get("status", "")
    if status:
        wanted = [s for s in status.split(",") if s]
        if any(s not in ("open", "closed") for s in wanted):
            return _errors(400, "status 只能为 open 或 closed。")
        qs = qs.filter(state__in=[k for k, v in states.STATUS.items() if v.open311 in wanted])
    if get.get("jurisdiction_id"):
        qs = qs.filter(center__code=get["jurisdiction_id"])
    end = _date(get["end_date"]) if get.get("end_date") else timezone.now()
    start = _date(get["start_date"]) if get.get("start_date") else None
    if end is None or (get.get("start_date") and start is None):
        return _errors(400, "start_date / end_date 须为 ISO 8601 时间。")
    if start is None:
        start = end - timedelta(days=DEFAULT_DAYS)
    if start > end:
        return _errors(400, "start_date 不能晚于 end_date。")
    return qs.filter(received_at__gte=start, received_at__lte=end).order_by("-received_at")[
        :MAX_RESULTS
    ]


def _create(request, client):
    post = request.POST
    code = post.get("service_code", "")
    if code not in SERVICE_NAMES:
        return _errors(400, "service_code 缺失或不存在。")
    lat, long, address = post.get("lat", ""), post.get("long", ""), post.get("address_string", "")
    if not ((lat and long) or address.strip()):
        return _errors(400, "须提供 lat 和 long，或 address_string。")
    description = (post.get("description") or "").strip()
    if not description:
        return _errors(400, "description 不能为空。")
    jurisdiction = post.get("jurisdiction_id") or getattr(
        settings, "ONEWINDOW_OPEN311_DEFAULT_CENTER", ""
    )
    centers = Center.objects.filter(is_active=True).select_related("region")
    if client is not None:
        centers = centers.filter(region__path__startswith=client.region.path)
    center = centers.filter(code=jurisdiction).first() if jurisdiction else None
    if center is None:
        return _errors(400, "jurisdiction_id 缺失或不是本系统的服务中心编码。")
    name = f"{post.get('last_name', '').strip()}{post.get('first_name', '').strip()}"
    phone = post.get("phone", "").strip()
    try:
        complaint = services.complaint_file(
            center=center,
            source=Complaint.Source.OPEN311,
            kind=code,
            subject=description.splitlines()[0][:60],
            content=description,
            anonymous=not name and not phone,
            name=name,
            phone=phone,
            email=post.get("email", ""),
            address=address,
            lat=lat or None,
            long=long or None,
            hotline_client=client,
        )
    except DomainError as exc:
        return _errors(400, exc.message)
    link = public_reverse("portal:complaint_track", request=request, args=[complaint.token])
    return _ok(
        [
            {
                "service_request_id": complaint.number,
                "service_notice": f"已受理，请在{complaint.deadline.due:%Y-%m-%d}前查看答复：{link}"
                if complaint.deadline_id
                else f"已受理：{link}",
                "account_id": None,
            }
        ],
        status=201,
    )


@csrf_exempt
def requests_view(request):
    client, error = _client(request)
    if error is not None:
        return error
    if request.method == "POST":
        return _create(request, client)
    if request.method != "GET":
        return _errors(405, "只支持 GET 和 POST。")
    found = _list(request, client)
    if isinstance(found, JsonResponse):
        return found
    return _ok([service_request(c) for c in found])


@require_GET
def request_detail(request, number: str):
    client, error = _client(request)
    if error is not None:
        return error
    complaint = _visible(client).filter(number=number[:32]).first()
    if complaint is None:
        return _errors(404, f"service_request_id “{number[:32]}” 不存在。")
    return _ok([service_request(complaint)])
