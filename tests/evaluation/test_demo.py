"""The demo reviews (R-EVAL-3): months of reviews on the demo's visits and cases plus
unsolicited ones, rectifications at different points of their life; loading twice
changes nothing."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from onewindow.core.scope import Scope
from onewindow.demo import evaluation_history as demo
from onewindow.evaluation import selectors
from onewindow.evaluation.models import Rectification, Review
from tests.evaluation.conftest import concluded_case, finish_visit


def test_r_eval_3_demo_reviews_show_patterns_and_load_once(ev):
    now = timezone.now()
    for days in (40, 20, 5):
        finish_visit(ev, now=now - dt.timedelta(days=days))
    concluded_case(ev, now=now - dt.timedelta(days=30))
    created = demo.load(now=now)
    assert created > 100
    assert Review.objects.filter(kind="visit").exists()
    assert Review.objects.filter(kind="unsolicited").count() > 100
    months = {r.created_at.month for r in Review.objects.all()}
    assert len(months) >= 5
    states = set(Rectification.objects.values_list("state", flat=True))
    assert "closed" in states and len(states) >= 2
    assert (
        Rectification.objects.count()
        == Review.objects.filter(level__lte=2, is_default=False).count()
    )
    s = selectors.evaluation_stats(
        scope=Scope.all(),
        start=timezone.localdate() - dt.timedelta(days=200),
        end=timezone.localdate(),
    )
    assert 0.5 < s.total.satisfaction < 1 and s.total.bad > 0 and s.top_words
    assert demo.load(now=now) == 0
