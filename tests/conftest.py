"""Shared fixtures: a small network of the prefecture built through the services."""

from __future__ import annotations

import os
import uuid
from datetime import date
from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.db.backends.signals import connection_created
from django.dispatch import receiver

from onewindow.core.idnumber import make as make_id
from onewindow.org import services
from onewindow.org.models import Level
from onewindow.staffing import clearance
from onewindow.staffing import services as staffing_services
from tests import flush
from tests.demo import world
from tests.demo.world import demo_database, demo_opened  # noqa: F401  (shared fixtures)

PASSWORD = "Ow-test-2026!"


@receiver(connection_created)
def _test_commits_are_not_flushed_to_disk(sender, connection, **kwargs):
    """A test database is thrown away at the end of the run: its commits need not wait
    for the disk. PostgreSQL commits without waiting for the WAL's flush (a crash could
    lose the last commits, never corrupt the database); SQLite, in WAL mode, no longer
    syncs at checkpoints. Only this process's connections: servers the tests start keep
    the settings' durability."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET synchronous_commit TO off")
        elif connection.vendor == "sqlite":
            cursor.execute("PRAGMA synchronous=OFF")


def pytest_configure(config):
    """The controlling process of an xdist run names the run, so its processes share one
    loaded demo (tests/demo/world.py). PostgreSQL databases are flushed after a committing
    test by emptying only the tables that hold rows (tests/flush.py)."""
    flush.install()
    if getattr(config.option, "numprocesses", None) and not hasattr(config, "workerinput"):
        os.environ[world.RUN_VARIABLE] = uuid.uuid4().hex


def pytest_sessionfinish(session):
    if not hasattr(session.config, "workerinput") and os.environ.get(world.RUN_VARIABLE):
        world.drop_shared_demo()


@pytest.fixture(autouse=True, scope="session")
def _uploads_in_a_temporary_folder(tmp_path_factory):
    """Files uploaded by tests (and by the demo the tests load) go to a folder of this
    run, never into the data directory."""
    from django.conf import settings

    settings.ONEWINDOW_UPLOAD_ROOT = str(tmp_path_factory.mktemp("uploads"))


@pytest.fixture(autouse=True, scope="session")
def _shared_cache_starts_empty():
    """The shared cache (files under the data directory without Redis) outlives a run;
    what an earlier run's databases left there must not be read by this one."""
    from django.core.cache import caches

    caches["shared"].clear()


@pytest.fixture(autouse=True)
def _no_rate_limit_carried_over():
    """Attempts counted by one test (core/ratelimit.py keys, ``rate:…``) do not lock
    out the next: the local-memory cache outlives each test's database. Only those keys
    go; the rest of the cache is left as it is."""
    from django.core.cache import cache

    store, expiry = getattr(cache, "_cache", None), getattr(cache, "_expire_info", None)
    if store is None or expiry is None:
        return
    with cache._lock:
        for key in [k for k in store if ":rate:" in k]:
            store.pop(key, None)
            expiry.pop(key, None)


@pytest.fixture(autouse=True)
def _no_remembered_answers_carried_over():
    """Search answers and API keys remembered in this process (catalog.search_cache,
    core.tokens) belong to the test that made them: each test's database is rolled back."""
    from onewindow.catalog.search_cache import forget_all
    from onewindow.core.tokens import forget_keys

    forget_all()
    forget_keys()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Argon2 is deliberately slow; tests that are not about hashing use a fast hasher.
    tests/core/test_accounts.py checks the configured Argon2 hashing itself."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def root(db):
    User = get_user_model()
    return User.objects.create_superuser("root", password=PASSWORD, full_name="系统管理员")


def clear_for_window(actor, profile):
    """A new window clerk passes pre-job training (R-STAFF-2) before signing in alone."""
    if clearance.needs_clearance(profile):
        staffing_services.training_record(
            actor=actor,
            profile=profile,
            kind="pre_job",
            title="窗口岗前培训",
            trainer="中心培训组",
            started_on=date(2025, 1, 6),
            ended_on=date(2025, 1, 10),
            hours=clearance.PRE_JOB_HOURS,
            passed=True,
        )
    return profile


def build_network(root) -> SimpleNamespace:
    n = SimpleNamespace(root=root, password=PASSWORD)
    rc = services.region_create
    n.pref = rc(
        actor=root, code="622900", name="临夏回族自治州", level=Level.PREFECTURE, parent=None
    )
    n.linxia = rc(actor=root, code="622921", name="临夏县", level=Level.COUNTY, parent=n.pref)
    n.kangle = rc(actor=root, code="622922", name="康乐县", level=Level.COUNTY, parent=n.pref)
    n.hanji = rc(
        actor=root,
        code="622921100",
        name="韩集镇",
        level=Level.TOWNSHIP,
        parent=n.linxia,
        is_demo=True,
    )
    n.village = rc(
        actor=root,
        code="622921100201",
        name="韩集村",
        level=Level.VILLAGE,
        parent=n.hanji,
        is_demo=True,
    )
    n.fucheng = rc(
        actor=root,
        code="622922100",
        name="附城镇",
        level=Level.TOWNSHIP,
        parent=n.kangle,
        is_demo=True,
    )

    cc = services.center_create
    n.pref_center = cc(actor=root, region=n.pref, code="C622900", name="临夏州政务服务中心")
    n.linxia_center = cc(actor=root, region=n.linxia, code="C622921", name="临夏县政务服务中心")
    n.kangle_center = cc(actor=root, region=n.kangle, code="C622922", name="康乐县政务服务中心")
    n.hanji_center = cc(actor=root, region=n.hanji, code="C622921100", name="韩集镇便民服务中心")
    n.village_point = cc(actor=root, region=n.village, code="C622921100201", name="韩集村代办点")
    n.fucheng_center = cc(
        actor=root, region=n.fucheng, code="C622922100", name="附城镇便民服务中心"
    )

    n.market = services.department_line_create(
        actor=root, code="scjg", name="市场监督管理", body_suffix="市场监督管理局"
    )
    n.police = services.department_line_create(
        actor=root, code="ga", name="公安", body_suffix="公安局"
    )
    dc = services.department_create
    n.pref_market = dc(
        actor=root, line=n.market, region=n.pref, name="临夏州市场监督管理局", center=n.pref_center
    )
    n.linxia_market = dc(actor=root, line=n.market, region=n.linxia, center=n.linxia_center)
    n.linxia_police = dc(actor=root, line=n.police, region=n.linxia, center=n.linxia_center)
    n.kangle_market = dc(actor=root, line=n.market, region=n.kangle, center=n.kangle_center)

    seq = iter(range(1, 1000))

    def staff(key, roles, **kw):
        i = next(seq)
        profile = services.staff_create(
            actor=root,
            username=key,
            full_name=kw.pop("full_name", key),
            password=PASSWORD,
            roles=set(roles),
            staff_no=f"T{i:04d}",
            id_number=make_id(f"62292119800101{i:03d}"),
            **kw,
        )
        setattr(n, key, profile.user)
        return clear_for_window(root, profile)

    staff("pref_admin", ["center_admin"], center=n.pref_center)
    staff("pref_supervisor", ["supervisor"], region=n.pref)
    staff("county_admin", ["center_admin"], center=n.linxia_center)
    staff("kangle_admin", ["center_admin"], center=n.kangle_center)
    staff(
        "clerk",
        ["clerk"],
        center=n.linxia_center,
        employer_kind="third_party",
        employer_name="甘肃某人力资源公司",
    )
    staff("township_clerk", ["clerk"], center=n.hanji_center)
    staff("agent", ["agent"], center=n.linxia_center)
    staff("approver", ["approver"], department=n.linxia_market)
    staff("chief_rep", ["chief_rep"], department=n.linxia_market, center=n.linxia_center)
    staff("police_approver", ["approver"], department=n.linxia_police)
    staff("county_supervisor", ["supervisor"], region=n.linxia)
    staff("gov_office", ["gov_office"], region=n.linxia)
    staff("legality", ["legality_reviewer"], region=n.linxia)
    staff("final_reviewer", ["final_reviewer"], region=n.linxia)
    staff("pref_market_leader", ["leader"], department=n.pref_market)
    staff("county_leader", ["leader"], region=n.linxia)
    return n


@pytest.fixture
def net(root):
    return build_network(root)


# The order in which the suite's processes take the modules (pytest-xdist hands out whole
# modules in collection order). The first module loads the shared demo; the slowest modules
# come next, while it loads, so the other process never waits for the demo and the run does
# not end with one process alone on a long module; the modules that read the demo follow,
# and the many short modules fill the end evenly.
DEMO_LOADER = "tests/demo/test_demo.py"
SLOWEST_FIRST = (
    "tests/core/test_api_fuzz.py",
    "tests/test_no_500_crawl.py",
    "tests/test_no_500_crawl_admin.py",
    "tests/test_no_500_crawl_roles.py",
    "tests/e2e/",
    "tests/cases/test_scope_matrix.py",
    "tests/core/test_generated_client.py",
    "tests/catalog/test_search.py",
    "tests/core/test_deploy.py",
)


def _run_order(item) -> tuple[int, int]:
    path = item.nodeid.split("::", 1)[0]
    if path == DEMO_LOADER:
        return (0, 0)
    for rank, prefix in enumerate(SLOWEST_FIRST):
        if path.startswith(prefix):
            return (1, rank)
    if {"demo_database", "demo_opened"} & set(getattr(item, "fixturenames", ())):
        return (2, 0)
    return (3, 0)


def pytest_collection_modifyitems(config, items):
    items.sort(key=_run_order)  # stable: the order within each group is kept
