"""Catalog search on a province-sized catalog: 300 standard matters listed at 334 centers
(100,200 listings), searched with ``search_matters`` against a plain ``icontains`` scan
of the listings over the same data, in the same run.

Runs on the configured database: SQLite in a temporary directory by default, PostgreSQL
when DATABASE_URL is set (the database is created if it does not exist). The catalog is
built and measured inside one transaction that is rolled back, so nothing is left behind.

    python bench/catalog_search.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ow_bench python bench/catalog_search.py
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import sized  # noqa: E402

PREFECTURES = sized(10)
COUNTIES_PER_PREFECTURE = 8
# 10 + 80 + 244 = 334 centers (quick: 1 + 8 + 24 = 33)
TOWNSHIPS = sized(244)  # spread over the counties
QUERIES = [
    "营业执照",
    "办营业执照",
    "yyzz",
    "开饭店",
    "结婚登记",
    "身份证",
    "社保卡",
    "退休",
    "不动产登记",
    "我要开公司",
]

# (line, matter name, keywords): realistic matters; each gets five variants below.
BASES = [
    ("scjg", "个体工商户设立登记", "个体户 营业执照 开店 开饭店"),
    ("scjg", "有限责任公司设立登记", "开公司 注册公司 营业执照"),
    ("scjg", "食品经营许可", "开饭店 餐馆 小吃店 超市"),
    ("scjg", "食品小作坊登记", "作坊 食品加工"),
    ("scjg", "药品零售企业经营许可", "开药店 药店"),
    ("scjg", "特种设备使用登记", "电梯 锅炉"),
    ("ga", "居民身份证申领", "身份证 办身份证"),
    ("ga", "出生登记", "上户口 生孩子 新生儿落户"),
    ("ga", "户口迁移", "迁户口 落户"),
    ("ga", "机动车驾驶证换领", "驾照 换驾照"),
    ("ga", "机动车登记", "上牌 买车"),
    ("mz", "内地居民结婚登记", "结婚 领证"),
    ("mz", "内地居民离婚登记", "离婚"),
    ("mz", "最低生活保障审核确认", "低保"),
    ("mz", "特困人员认定", "五保"),
    ("mz", "高龄老人生活补贴申领", "高龄补贴"),
    ("rs", "社会保障卡申领", "社保卡 办社保卡"),
    ("rs", "企业职工基本养老保险退休待遇核定", "退休 养老金"),
    ("rs", "城乡居民基本养老保险参保登记", "养老保险 参保"),
    ("rs", "失业保险金申领", "失业金"),
    ("rs", "就业创业证申领", "就业证 创业"),
    ("zrzy", "国有建设用地使用权及房屋所有权首次登记", "房产证 不动产"),
    ("zrzy", "房屋所有权转移登记", "买房 过户 二手房"),
    ("zrzy", "不动产抵押登记", "房贷 抵押"),
    ("zrzy", "宅基地使用权登记", "宅基地 盖房"),
    ("zjj", "建筑工程施工许可", "施工许可证"),
    ("zjj", "商品房预售许可", "预售证"),
    ("zjj", "住房公积金提取", "公积金 取公积金"),
    ("wsjk", "出生医学证明签发", "出生证 生孩子"),
    ("wsjk", "医师执业注册", "医生执业"),
    ("wsjk", "公共场所卫生许可", "卫生许可证 理发店 宾馆"),
    ("sw", "契税申报", "买房交税"),
    ("sw", "个体工商户定期定额核定", "个体户交税"),
    ("sw", "增值税发票领用", "领发票"),
    ("jy", "教师资格认定", "教师资格证"),
    ("jy", "民办学校设立审批", "办学校 培训机构"),
    ("jt", "道路货物运输经营许可", "货运 跑运输"),
    ("jt", "出租汽车驾驶员从业资格证核发", "出租车 网约车"),
    ("ny", "农药经营许可", "卖农药"),
    ("ny", "动物防疫条件合格证核发", "养殖场"),
    ("ly", "林木采伐许可", "砍树 采伐证"),
    ("sl", "取水许可", "打井 取水"),
    ("hb", "排污许可", "排污"),
    ("yb", "医疗保险参保登记", "医保 参保"),
    ("yb", "异地就医备案", "异地看病 医保备案"),
    ("tyjr", "退役军人优待证申领", "优待证"),
    ("cl", "残疾人证核发", "残疾证"),
    ("wl", "娱乐场所经营许可", "开KTV 歌厅"),
    ("wl", "网吧经营许可", "开网吧"),
    ("xf", "公众聚集场所投入使用营业前消防安全检查", "消防检查 开业消防"),
    ("ga", "居住证申领", "居住证 暂住证"),
    ("mz", "殡葬补贴申领", "丧葬费 死亡"),
    ("rs", "职业技能等级认定", "技能证书"),
    ("scjg", "营业执照遗失补领", "执照丢了 补执照"),
    ("scjg", "企业注销登记", "公司注销"),
    ("zrzy", "不动产登记资料查询", "查房产"),
    ("wsjk", "母婴保健技术服务执业许可", "接生"),
    ("jy", "义务教育入学登记", "上学 入学"),
    ("ga", "临时身份证明开具", "临时身份证"),
    ("yb", "生育保险待遇申领", "生育津贴 生孩子报销"),
]
VARIANTS = ["", "（变更）", "（延续）", "（注销）", "（补办）"]
LINE_NAMES = {
    "scjg": "市场监督管理",
    "ga": "公安",
    "mz": "民政",
    "rs": "人力资源和社会保障",
    "zrzy": "自然资源",
    "zjj": "住房和城乡建设",
    "wsjk": "卫生健康",
    "sw": "税务",
    "jy": "教育",
    "jt": "交通运输",
    "ny": "农业农村",
    "ly": "林业和草原",
    "sl": "水务",
    "hb": "生态环境",
    "yb": "医疗保障",
    "tyjr": "退役军人事务",
    "cl": "残疾人联合会",
    "wl": "文化和旅游",
    "xf": "消防救援",
}


def _pg_params(url: str):
    import dj_database_url

    config = dj_database_url.parse(url)
    if "postgres" not in config["ENGINE"]:
        return None, None
    params = {
        "host": config["HOST"] or None,
        "port": config["PORT"] or None,
        "user": config["USER"] or None,
        "password": config["PASSWORD"] or None,
    }
    return config["NAME"], {k: v for k, v in params.items() if v}


def ensure_database(*, fresh: bool = False) -> None:
    """Create the PostgreSQL database named in DATABASE_URL if it does not exist (made
    again when ``fresh``: only a database whose name holds ``bench``); use a temporary
    SQLite file when DATABASE_URL is unset."""
    url = os.environ.get("DATABASE_URL")
    if not url:
        if fresh or not os.environ.get("ONEWINDOW_DATA_DIR"):
            os.environ["ONEWINDOW_DATA_DIR"] = tempfile.mkdtemp(prefix="ow-bench-")
        return
    import psycopg
    from psycopg import sql

    name, params = _pg_params(url)
    if name is None:
        return
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as conn:
        if fresh:
            if "bench" not in name:
                raise SystemExit(f"catalog search: {name} is not a bench database (no 'bench')")
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is None:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def drop_database() -> None:
    url = os.environ.get("DATABASE_URL")
    if not url:
        return
    import psycopg
    from psycopg import sql

    name, params = _pg_params(url)
    if name is None or "bench" not in name:
        return
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))


def setup(*, fresh: bool = False) -> None:
    ensure_database(fresh=fresh)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "onewindow.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def build_catalog() -> dict:
    """Regions, centers, departments, matters with published guides and 100,200 listings,
    all with bulk inserts; then the search index of the matters."""
    from django.db import connection
    from django.utils import timezone

    from onewindow.catalog.models import GuideVersion, Listing, Material, Matter
    from onewindow.catalog.search import rebuild_search_index
    from onewindow.org.models import Center, CenterKind, Department, DepartmentLine, Level, Region

    started = time.perf_counter()
    lines = {}
    for code, name in LINE_NAMES.items():
        lines[code] = DepartmentLine.objects.filter(
            code=f"b{code}"
        ).first() or DepartmentLine.objects.create(
            code=f"b{code}", name=name, body_suffix=f"{name}局"
        )

    prefectures = Region.objects.bulk_create(
        [
            Region(
                code=f"99{p:02d}00",
                name=f"测试{p + 1}州",
                level=Level.PREFECTURE,
                path=f"/99{p:02d}00/",
                is_demo=True,
            )
            for p in range(PREFECTURES)
        ]
    )
    counties = Region.objects.bulk_create(
        [
            Region(
                code=f"{pref.code[:4]}{c + 1:02d}",
                name=f"{pref.name}{c + 1}县",
                level=Level.COUNTY,
                parent=pref,
                path=f"{pref.path}{pref.code[:4]}{c + 1:02d}/",
                is_demo=True,
            )
            for pref in prefectures
            for c in range(COUNTIES_PER_PREFECTURE)
        ]
    )
    townships = Region.objects.bulk_create(
        [
            Region(
                code=f"{county.code}{100 + t // len(counties):03d}",
                name=f"{county.name}{t // len(counties) + 1}镇",
                level=Level.TOWNSHIP,
                parent=county,
                path=f"{county.path}{county.code}{100 + t // len(counties):03d}/",
                is_demo=True,
            )
            for t, county in ((t, counties[t % len(counties)]) for t in range(TOWNSHIPS))
        ]
    )
    regions = [*prefectures, *counties, *townships]
    kinds = {
        Level.PREFECTURE: CenterKind.SERVICE_CENTER,
        Level.COUNTY: CenterKind.SERVICE_CENTER,
        Level.TOWNSHIP: CenterKind.CONVENIENCE_CENTER,
    }
    centers = Center.objects.bulk_create(
        [
            Center(
                code=f"B{r.code}",
                name=f"{r.name}{'政务' if r.level != Level.TOWNSHIP else '便民'}服务中心",
                region=r,
                kind=kinds[r.level],
            )
            for r in regions
        ]
    )
    center_of = {c.region_id: c for c in centers}
    departments = Department.objects.bulk_create(
        [
            Department(
                line=line, region=r, name=f"{r.name}{line.body_suffix}", center=center_of[r.pk]
            )
            for r in [*prefectures, *counties]
            for line in lines.values()
        ]
    )
    dept = {(d.region_id, d.line_id): d for d in departments}

    now = timezone.now()
    matters = Matter.objects.bulk_create(
        [
            Matter(
                code=f"B{i:05d}",
                name=f"{name}{variant}",
                kind="licensing",
                line=lines[line],
                level=Level.COUNTY,
                department=dept[(prefectures[0].pk, lines[line].pk)],
                domain=LINE_NAMES[line],
                keywords=keywords if not variant else "",
            )
            for i, (variant, (line, name, keywords)) in enumerate(
                (v, b) for v in VARIANTS for b in BASES
            )
        ]
    )
    versions = GuideVersion.objects.bulk_create(
        [
            GuideVersion(
                matter=m,
                number=1,
                status=GuideVersion.Status.PUBLISHED,
                legal_basis="依据",
                conditions="符合条件",
                statutory_days=20,
                promised_days=5,
                result=m.name[:20],
                published_at=now,
            )
            for m in matters
        ]
    )
    Material.objects.bulk_create(
        [
            Material(version=v, order=k, name=name)
            for v in versions
            for k, name in enumerate(["申请书", "申请人居民身份证", "营业执照"][: 2 + v.pk % 2])
        ]
    )
    for m, v in zip(matters, versions, strict=True):
        m.current_version = v
    Matter.objects.bulk_update(matters, ["current_version"], batch_size=1000)

    parent_county = {t.pk: t.parent_id for t in townships}
    listings = []
    for center in centers:
        region_id = parent_county.get(center.region_id, center.region_id)
        for m in matters:
            listings.append(
                Listing(
                    matter=m,
                    center=center,
                    department=dept[(region_id, m.line_id)],
                    code=f"B{center.pk}-{m.pk}",
                    status=Listing.Status.ACTIVE,
                    place="综合窗口",
                )
            )
    Listing.objects.bulk_create(listings, batch_size=5000)
    rebuild_search_index(matters=Matter.objects.filter(pk__in=[m.pk for m in matters]))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {
        "centers": centers,
        "townships": townships,
        "listings": len(listings),
        "matters": len(matters),
        "seconds": time.perf_counter() - started,
    }


# Where the everyday questions must find their matter (R-CAT-9): in the first three.
TOP3 = {"营业执照": "营业执照", "yyzz": "营业执照", "开饭店": "食品经营许可"}


def bench_catalog_search() -> None:
    """Build the catalog (committed, in a database of its own), time the search against
    the scan for the province and for one township, with remembered answers (a repeated
    query, the figure with the goal) and with every answer computed afresh."""
    from django.conf import settings

    if not settings.configured:
        setup(fresh=True)
    from common import report, timed
    from django.db import connection, transaction

    from onewindow.catalog.models import Listing
    from onewindow.catalog.search import search_matters
    from onewindow.catalog.search_cache import forget_all

    with transaction.atomic():
        data = build_catalog()
    township = data["centers"][-1]
    print(f"load average before the timings: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(
        f"catalog search on {connection.vendor}: {data['matters']} matters, {len(data['centers'])} "
        f"centers, {data['listings']:,} listings (built and indexed in {data['seconds']:.1f}s)"
    )

    def icontains(center=None):
        def run():
            for q in QUERIES:
                qs = Listing.objects.filter(matter__name__icontains=q)
                if center is not None:
                    qs = qs.filter(center=center)
                qs.count()
                list(qs.select_related("matter").order_by("pk")[:20])

        return run

    def searched(center=None, *, cold=False):
        def run():
            for q in QUERIES:
                if cold:
                    forget_all()
                search_matters(q, center=center)

        return run

    n = len(QUERIES)
    for scope, center, base_name in (
        ("whole province", None, "icontains scan of listings"),
        ("one township center", township, "icontains scan at that center"),
    ):
        base = timed(icontains(center))
        warm = timed(searched(center))
        cold = timed(searched(center, cold=True))
        report(
            f"search {n} queries, {scope}, every answer computed",
            cold,
            base,
            base_name,
            goal=0.05,
            note="no remembered answer: one ranked statement on the index for each query",
        )
        report(
            f"search {n} queries, {scope} (remembered)",
            warm,
            base,
            base_name,
            note="a repeated query: the answer remembered under the catalog version",
        )
        print(
            f"  absolute: scan {base * 1000:.2f} ms; search {warm * 1000:.3f} ms remembered, "
            f"{cold * 1000:.2f} ms computed (10 queries)"
        )
    print(f"load average after the timings: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    found = sum(bool(search_matters(q).total) for q in QUERIES)
    scanned = sum(Listing.objects.filter(matter__name__icontains=q).exists() for q in QUERIES)
    print(
        f"{'queries answered (search / icontains)':<58} {found}/{len(QUERIES)} / {scanned}/{len(QUERIES)}"
    )
    for q, expected in TOP3.items():
        for center in (None, township):
            top = [m.name for m in search_matters(q, center=center, limit=3).matters]
            verdict = "OK" if any(expected in name for name in top) else "NOT IN TOP 3"
            print(f"  top 3 for {q} ({'township' if center else 'province'}): {top} {verdict}")
    if os.environ.get("DATABASE_URL"):
        connection.close()
        drop_database()


def run_in_child() -> None:
    """From ``run.py``: the search bench in a process and database of its own (the catalog
    is committed there and the database dropped after)."""
    import subprocess

    env = dict(os.environ)
    url = env.get("DATABASE_URL")
    if url:
        name, _ = _pg_params(url)
        if name:
            own = f"{name}_search" if "bench" in name else f"{name}_bench_search"
            env["DATABASE_URL"] = url.rsplit("/", 1)[0] + "/" + own
    env.pop("ONEWINDOW_DATA_DIR", None)
    subprocess.run([sys.executable, __file__], env=env, check=False)


if __name__ == "__main__":
    bench_catalog_search()
