"""Daily numbers (a ticket's 1, 2, 3 …; a case's, a complaint's, a bundle application's
running number within a day): one counter row per series, key and day, locked to number.

Every numbered record takes its number here, inside the transaction that creates it: two
windows, two terminals or two clerks never get the same number, on SQLite and on
PostgreSQL (the row is created with ``ignore_conflicts`` and then locked).
"""

from __future__ import annotations

from datetime import date

from onewindow.core.locking import for_update
from onewindow.core.models import DailyCounter


def next_in_day(*, series: str, key: int | str, day: date) -> int:
    """The next number of ``series`` for ``key`` (a center, a category …) on ``day``,
    starting at 1. Call inside a transaction."""
    key = str(key)
    DailyCounter.objects.bulk_create(
        [DailyCounter(series=series, key=key, day=day)], ignore_conflicts=True
    )
    counter = for_update(DailyCounter.objects).get(series=series, key=key, day=day)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last
