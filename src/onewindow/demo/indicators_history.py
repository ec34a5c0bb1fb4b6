"""Demo assessment settings (R-SUP-2): the thresholds 临夏县政务服务中心 and the
prefecture's center set for their departments, through the service, so the indicator
page, the talk list and the monthly report judge the demo's history against them.
Idempotent: a threshold already set is left as it is."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from onewindow.oversight import services
from onewindow.oversight.models import IndicatorThreshold

# center admin → {indicator: threshold}
THRESHOLDS = {
    "lxx-admin": {"online_rate": 5, "on_the_spot_rate": 25, "on_time_rate": 92, "satisfaction": 85},
    "lxz-admin": {"online_rate": 10, "on_time_rate": 95, "satisfaction": 90, "mailroom": 2},
}


def load() -> int:
    made = 0
    users = get_user_model().objects.select_related("staff_profile")
    for username, values in THRESHOLDS.items():
        user = users.filter(username=username).first()
        profile = getattr(user, "staff_profile", None) if user else None
        if profile is None or not profile.center_id:
            continue
        for code, value in values.items():
            if IndicatorThreshold.objects.filter(
                center_id=profile.center_id, indicator=code
            ).exists():
                continue
            services.threshold_set(
                actor=user, center_id=profile.center_id, indicator=code, value=str(value)
            )
            made += 1
    return made
