"""A small built world for the oversight tests: the test network (tests/conftest.py),
built once per module and rolled back after it, plus a few leaders."""

from __future__ import annotations

from datetime import datetime

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from onewindow.org import services as org_services
from tests.conftest import PASSWORD, build_network

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def at(y, m, d, hh=9, mm=0) -> datetime:
    return timezone.make_aware(datetime(y, m, d, hh, mm))


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=FAST_HASHERS),
        transaction.atomic(),
    ):
        root = get_user_model().objects.create_superuser(
            "root", password=PASSWORD, full_name="系统管理员"
        )
        n = build_network(root)
        extra = [
            ("market_head", ["leader"], {"department": n.linxia_market}),
            ("market_deputy", ["leader"], {"department": n.linxia_market}),
            ("police_head", ["leader"], {"department": n.linxia_police}),
            ("kangle_head", ["leader"], {"department": n.kangle_market}),
        ]
        for i, (key, roles, kw) in enumerate(extra, start=900):
            profile = org_services.staff_create(
                actor=root,
                username=key,
                full_name=key,
                password=PASSWORD,
                roles=set(roles),
                staff_no=f"X{i}",
                **kw,
            )
            setattr(n, key, profile.user)
        yield n
        transaction.set_rollback(True)
