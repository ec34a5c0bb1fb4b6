"""The reviews' monthly rollup (``ReviewMonth``), in the local month the review was
given: counted reviews (not a default, not excluded by an upheld appeal) by level,
good (4–5) and bad (1–2); the defaults (基本满意 given by the sweep) and the excluded
ones, apart; the month's reviews whose rectification
was reported, and reported on time. Kept by the review, appeal and rectification
services in their transaction; rebuilt exactly by ``rebuild``."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q

from onewindow.core import rollups
from onewindow.evaluation.models import Rectification, Review, ReviewMonth


def keys(center, department, staff, window, matter):
    return rollups.subjects(
        center=center, department=department, clerk=staff, window=window, matter=matter
    )


def review_counts(level: int, is_default: bool, excluded: bool, sign: int = 1) -> dict[str, int]:
    if is_default:
        return {"defaults": sign}
    if excluded:
        return {"excluded": sign}
    return {
        "total": sign,
        "good": sign * (level >= 4),
        "bad": sign * (level <= 2),
        f"level_{level}": sign,
    }


def rect_counts(on_time: bool | None, sign: int = 1) -> dict[str, int]:
    if on_time is None:
        return {}
    return {"rect_reported": sign, "rect_on_time": sign * bool(on_time)}


def _bump(review: Review, counts: dict[str, int]) -> None:
    rollups.bump(
        ReviewMonth,
        month=rollups.month_of(review.created_at),
        center_id=review.center_id,
        department_id=review.department_id,
        keys=keys(
            review.center_id,
            review.department_id,
            review.staff_id,
            review.window_id,
            review.matter_id,
        ),
        **counts,
    )


def review_given(review: Review) -> None:
    _bump(review, review_counts(review.level, review.is_default, review.excluded))


def defaults_given(rows: list[Review]) -> None:
    """Default reviews were inserted in bulk (a review already there was skipped): count
    the ones this insert made, known by their time and their visit or case."""
    if not rows:
        return
    at = rows[0].created_at
    made = Review.objects.filter(is_default=True, created_at=at).filter(
        Q(ticket_id__in=[r.ticket_id for r in rows if r.ticket_id])
        | Q(case_id__in=[r.case_id for r in rows if r.case_id])
    )
    for c, d, staff, window, matter, n in (
        made.order_by()
        .values_list(*COLUMNS[:5])
        .annotate(n=Count("id"))
        .values_list(*COLUMNS[:5], "n")
    ):
        rollups.bump(
            ReviewMonth,
            month=rollups.month_of(at),
            center_id=c,
            department_id=d,
            keys=keys(c, d, staff, window, matter),
            defaults=n,
        )


def review_excluded(review: Review) -> None:
    """An upheld appeal excludes a review that counted until now."""
    _bump(review, review_counts(review.level, review.is_default, False, -1))
    _bump(review, review_counts(review.level, review.is_default, True))


def rectification_reported(rect: Rectification, was: bool | None) -> None:
    """A rectification's ``on_time`` went from ``was`` to its value now."""
    if was == rect.on_time:
        return
    review = rect.review
    before, after = rect_counts(was, -1), rect_counts(rect.on_time)
    _bump(review, {k: before.get(k, 0) + after.get(k, 0) for k in {*before, *after}})


COLUMNS = ("center_id", "department_id", "staff_id", "window_id", "matter_id", "created_at")


def rebuild(months: list[dt.date] | None) -> int:
    rollups.clear(ReviewMonth, months)
    tally = rollups.Tally(ReviewMonth)
    reviews = Review.objects.all()
    rects = Rectification.objects.filter(on_time__isnull=False)
    if months is not None:
        lo, hi = rollups.month_bounds(months)
        reviews = reviews.filter(created_at__gte=lo, created_at__lt=hi)
        rects = rects.filter(review__created_at__gte=lo, review__created_at__lt=hi)
    wanted = None if months is None else set(months)
    rows = reviews.order_by().values_list(*COLUMNS, "level", "excluded", "is_default")
    for center, dept, staff, window, matter, at, level, excluded, default in rows.iterator(
        chunk_size=20000
    ):
        month = rollups.month_of(at)
        if wanted is None or month in wanted:
            tally.add(
                month,
                center,
                dept,
                keys(center, dept, staff, window, matter),
                **review_counts(level, default, excluded),
            )
    rows = rects.order_by().values_list(*(f"review__{c}" for c in COLUMNS), "on_time")
    for center, dept, staff, window, matter, at, on_time in rows.iterator(chunk_size=20000):
        month = rollups.month_of(at)
        if wanted is None or month in wanted:
            tally.add(
                month,
                center,
                dept,
                keys(center, dept, staff, window, matter),
                **rect_counts(on_time),
            )
    return tally.save()
