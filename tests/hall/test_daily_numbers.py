"""The day's numbers (R-HALL-2: numbers per center per day, none twice): one statement
per number where the database has an upsert (PostgreSQL; SQLite 3.35+)."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from onewindow.core.models import DailyCounter
from onewindow.core.numbering import next_in_day

pytestmark = pytest.mark.django_db


def test_r_hall_2_numbers_count_up_per_key_and_day_in_one_statement_each():
    monday, tuesday = date(2026, 3, 2), date(2026, 3, 3)
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        got = [next_in_day(series="ticket", key=7, day=monday) for _ in range(3)]
    assert got == [1, 2, 3]
    numbering = [q for q in queries.captured_queries if "core_dailycounter" in q["sql"]]
    assert len(numbering) == 3
    assert next_in_day(series="ticket", key=8, day=monday) == 1  # another category
    assert next_in_day(series="ticket", key=7, day=tuesday) == 1  # another day
    assert next_in_day(series="case", key=7, day=monday) == 1  # another series
    assert next_in_day(series="ticket", key="7", day=monday) == 4
    assert DailyCounter.objects.get(series="ticket", key="7", day=monday).last == 4
    assert DailyCounter.objects.filter(day=monday).count() == 3


def test_r_hall_2_a_number_taken_in_a_rolled_back_transaction_is_given_again():
    day = date(2026, 3, 4)
    assert next_in_day(series="ticket", key=1, day=day) == 1
    with transaction.atomic():
        assert next_in_day(series="ticket", key=1, day=day) == 2
        transaction.set_rollback(True)
    assert next_in_day(series="ticket", key=1, day=day) == 2
