"""One shared world per module: the network of tests/conftest.py (its window staff
cleared by pre-job training), built once and rolled back after the module; each test
runs in its own savepoint (request ``db``)."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.test import override_settings

from onewindow.org import services as org_services
from tests.conftest import PASSWORD, build_network

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


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
        yield build_network(root)
        transaction.set_rollback(True)


def new_clerk(world, username: str, center=None, **kw):
    """A clerk created now: not cleared until trained."""
    return org_services.staff_create(
        actor=world.root,
        username=username,
        full_name=kw.pop("full_name", username),
        password=PASSWORD,
        roles={"clerk"},
        staff_no=f"N{abs(hash(username)) % 100000:05d}",
        center=center or world.linxia_center,
        **kw,
    )


def login(client, user):
    client.force_login(user)
    return client
