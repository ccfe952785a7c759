"""The review queue over 1,000,000 filings (issue 12, "Benchmarks"), the 统计概览 and the export.

A PostgreSQL database of its own (BENCH_REVIEW_DATABASE_URL, default ``…/portal_bench_review``,
kept between runs: seeding again only when the seed (SEED_VERSION) or the size changed, or with
BENCH_REVIEW_RESEED=1; migrations are applied to it each run) is
seeded in SQL on the server (``INSERT … SELECT … FROM generate_series``, no rows through Python):
the GB/T 2260 regions, 250,000 enterprises with their owners, the 申报时间 of every province, and
1,000,000 filings with their engine submissions, four per enterprise (创新型 2025 and 2026, 专精特新
2026, 小巨人 2026), at every step of their chains and in every state. 江苏 holds exactly 100,000
filings (the export), 广东 300,000 (the province reviewer's), the rest of the country the others.

Measured in-process (Django's test client, ``tests.bench.settings``: production settings, DEBUG
off; the server side of a request, no network), as a 县/区 (南山区), a 省 (广东) and the 部
reviewer, and the superuser:

1. the queue's first page (``/admin/review/``: 待我审核, 20 rows, the counts per state) and a filtered
   page (all that reached my level, one level of filing, one state or region), BENCH_REVIEW_REPEAT
   requests each (default 15): median and p90 in ms, SQL queries per request and the slowest query;
   goal ≤ 150 ms each (the three reviewers). A keyword search (name substring) and the superuser
   (every filing of the country) are printed beside them, outside the goal;
2. the SQL queries of each page searched for every enterprise (thousands of rows) and for one
   enterprise (a few): must be equal — the count does not grow with the data (also
   tests/reports/test_queue_queries.py, 2 against 30 filings);
3. the 统计概览 of each reviewer (one grouped query): median ms and SQL queries;
4. the export of 江苏's 100,000 filings to Excel (``?view=all&region=320000&export=xlsx`` as the
   superuser): wall time, rows, file size, and the peak of Python memory (tracemalloc) during the
   request, beside Wagtail's own export of the same queryset (the whole workbook in a BytesIO, the
   queryset cached) for comparison.

Environment: BENCH_REVIEW_DATABASE_URL, BENCH_REVIEW_FILINGS (default 1000000; 江苏 a tenth,
广东 30 %), BENCH_REVIEW_REPEAT, BENCH_REVIEW_RESEED=1, BENCH_REVIEW_EXPORT=0 (skip the export).
"""

from __future__ import annotations

import io
import os
import statistics
import time
import tracemalloc
from urllib.parse import urlencode, urlparse

from tests.bench import harness

DATABASE_URL = os.environ.get(
    "BENCH_REVIEW_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/portal_bench_review"
)
FILINGS = int(os.environ.get("BENCH_REVIEW_FILINGS", "1000000"))
REPEAT = int(os.environ.get("BENCH_REVIEW_REPEAT", "15"))
RESEED = os.environ.get("BENCH_REVIEW_RESEED", "") not in ("", "0")
EXPORT = os.environ.get("BENCH_REVIEW_EXPORT", "1") not in ("", "0")  # 0: skip the (slow) export part
GOAL_MS = 150.0
JS_ENTERPRISES = FILINGS // 40  # 江苏: a tenth of the filings (100,000: the export)
GD_ENTERPRISES = 3 * FILINGS // 40  # 广东: 30 % (300,000)
SEED_VERSION = "review-seed-1"

PAGES = {
    "county": [
        ("first page", "/admin/review/"),
        ("filtered", "/admin/review/?view=all&state=approved"),
        ("keyword", "/admin/review/?view=all&q=%E5%9F%BA%E5%87%86%E4%BC%81%E4%B8%9A7"),
    ],
    "province": [
        ("first page", "/admin/review/"),
        ("filtered", "/admin/review/?view=all&level=specialized&region=440300"),
        ("keyword", "/admin/review/?view=all&q=%E5%9F%BA%E5%87%86%E4%BC%81%E4%B8%9A7"),
    ],
    "ministry": [
        ("first page", "/admin/review/"),
        ("filtered", "/admin/review/?view=all&state=pending&region=440000"),
        ("keyword", "/admin/review/?view=all&q=%E5%9F%BA%E5%87%86%E4%BC%81%E4%B8%9A7"),
    ],
    "superuser": [
        ("first page", "/admin/review/"),
        ("filtered", "/admin/review/?view=all&level=little_giant&state=approved"),
    ],
}
EXPORT_URL = "/admin/review/?view=all&region=320000&export=xlsx"


# --- the database ---------------------------------------------------------------------------------


def use_own_database() -> None:
    """Django on BENCH_REVIEW_DATABASE_URL, created and migrated if needed (never dropped here)."""
    import psycopg

    parsed = urlparse(DATABASE_URL)
    name = parsed.path.lstrip("/")
    admin_url = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin_url, autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone() is None:
            conn.execute(f'CREATE DATABASE "{name}"')
    harness.DATABASE_URL = DATABASE_URL
    if harness._django_ready:  # another benchmark of this run set Django up on its own database
        from django.db import connections

        connections.close_all()
        connections["default"].settings_dict.update(NAME=name, HOST=parsed.hostname, PORT=parsed.port or 5432)
    else:
        harness.setup_django(fresh_database=False)
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def vacuum() -> None:
    """What autovacuum does on a live database: the visibility map lets covering indexes answer
    counts without reading the table (a freshly bulk-loaded table has none yet)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE filings_filing")


def seeded_marker() -> str:
    return f"{SEED_VERSION} filings={FILINGS}"


def already_seeded() -> bool:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = current_database()"
        )
        row = cursor.fetchone()
    return row is not None and row[0] == seeded_marker()


def seed() -> None:
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    from portal.filings.models import Filing, FilingWindow
    from portal.reference.models import Region

    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("TRUNCATE filings_filing, forms_engine_formsubmission, enterprises_enterprise CASCADE")
        cursor.execute("DELETE FROM auth_user WHERE username LIKE 'bench\\_q%%'")  # the owners
    call_command("load_reference_data", verbosity=0)
    version = _form_version()
    provinces = list(Region.objects.filter(level=Region.Level.PROVINCE))
    now = timezone.now()
    FilingWindow.objects.bulk_create(
        [
            FilingWindow(
                province=province,
                level=level,
                year=year,
                batch=1,
                opens_at=now.replace(year=year, month=3, day=1),
                closes_at=now.replace(year=year, month=4, day=30),
            )
            for province in provinces
            for level in ("innovative", "specialized", "little_giant")
            for year in (2025, 2026)
        ],
        ignore_conflicts=True,
    )
    enterprises = FILINGS // 4
    chains = {level: [step.as_dict() for step in steps] for level, steps in _default_chains().items()}
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT COALESCE(MAX(id), 0) FROM auth_user")
        user_base = cursor.fetchone()[0] + 1_000
        cursor.execute("SELECT COALESCE(MAX(id), 0) FROM enterprises_enterprise")
        enterprise_base = cursor.fetchone()[0] + 1_000
        cursor.execute("SELECT COALESCE(MAX(id), 0) FROM forms_engine_formsubmission")
        submission_base = cursor.fetchone()[0] + 1_000
        # the counties (and prefecture cities without counties) of 江苏, 广东 and the rest, numbered
        cursor.execute(
            """
            CREATE TEMP TABLE bench_county ON COMMIT DROP AS
            SELECT r.id, r.code, row_number() OVER (PARTITION BY grp ORDER BY r.code) AS i, grp
            FROM (
                SELECT id, code, CASE LEFT(code, 2) WHEN '32' THEN 'js' WHEN '44' THEN 'gd' ELSE 'cn' END AS grp
                FROM reference_region r
                WHERE level = 'county'
                   OR (level = 'prefecture' AND NOT EXISTS (SELECT 1 FROM reference_region c WHERE c.parent_id = r.id))
            ) r
            """
        )
        cursor.execute("CREATE INDEX ON bench_county (grp, i)")
        cursor.execute("SELECT grp, COUNT(*) FROM bench_county GROUP BY grp")
        counts = dict(cursor.fetchall())
        cursor.execute(
            """
            INSERT INTO auth_user (id, password, is_superuser, username, first_name, last_name, email,
                                   is_staff, is_active, date_joined)
            SELECT %s + g, '!', false, 'bench_q' || g, '', '', '', false, true, now()
            FROM generate_series(1, %s) g
            """,
            [user_base, enterprises],
        )
        cursor.execute(
            """
            INSERT INTO enterprises_enterprise (
                id, owner_id, name, uscc, legal_representative, legal_representative_id, region_id,
                industry_id, established_on, registered_capital, size_class, employees, contact_name,
                contact_phone, contact_email, address, main_products, is_recognised, recognition_level,
                recognition_year, recognition_valid_from, recognition_valid_until, created_at, updated_at)
            SELECT %(eb)s + g, %(ub)s + g, '基准企业' || g || '科技有限公司', '91' || LPAD(g::text, 16, '0'),
                   '法定代表人', '110105194912310029', c.id, NULL, NULL, NULL, '', NULL, '联系人',
                   '139' || LPAD((g %% 100000000)::text, 8, '0'), '', '', '', false, '', NULL, NULL, NULL,
                   now(), now()
            FROM (
                SELECT g,
                       CASE WHEN g <= %(js)s THEN 'js' WHEN g <= %(js)s + %(gd)s THEN 'gd' ELSE 'cn' END AS grp
                FROM generate_series(1, %(n)s) g
            ) s
            JOIN bench_county c ON c.grp = s.grp
             AND c.i = 1 + (s.g * 7919) %% (CASE s.grp WHEN 'js' THEN %(cjs)s WHEN 'gd' THEN %(cgd)s ELSE %(ccn)s END)
            """,
            {
                "eb": enterprise_base,
                "ub": user_base,
                "js": JS_ENTERPRISES,
                "gd": GD_ENTERPRISES,
                "n": enterprises,
                "cjs": counts["js"],
                "cgd": counts["gd"],
                "ccn": counts["cn"],
            },
        )
        cursor.execute(
            """
            INSERT INTO forms_engine_formsubmission (id, uuid, version_id, owner_id, state, answers,
                wizard_state, context, score, revision, created_at, updated_at, submitted_at)
            SELECT %s + n, md5('bench-' || n)::uuid, %s, %s + 1 + (n - 1) / 4, 'submitted',
                   '{"revenue": 1}', '{}', '{}', NULL, 1, now(), now(), now()
            FROM generate_series(1, %s) n
            """,
            [submission_base, version.pk, user_base, FILINGS],
        )
        # each filing: its enterprise (n-1)/4, its kind (n-1)%4, its position from a hash of n
        cursor.execute(
            """
            CREATE TEMP TABLE bench_filing ON COMMIT DROP AS
            SELECT n, e.id AS enterprise_id, r.code AS region_code, LEFT(r.code, 2) || '0000' AS province_code,
                   k.level, k.year, (n * 2654435761) %% 100 AS roll
            FROM generate_series(1, %(n)s) n
            JOIN enterprises_enterprise e ON e.id = %(eb)s + 1 + (n - 1) / 4
            JOIN reference_region r ON r.id = e.region_id
            JOIN (VALUES (0, 'innovative', 2025), (1, 'innovative', 2026), (2, 'specialized', 2026),
                         (3, 'little_giant', 2026)) AS k(kind, level, year) ON k.kind = (n - 1) %% 4
            """,
            {"n": FILINGS, "eb": enterprise_base},
        )
        # positions: step index and state by roll; 小巨人 has a 4th (ministry) step
        cursor.execute(
            """
            INSERT INTO filings_filing (enterprise_id, level, window_id, submission_id, evidence_id, state,
                chain, step, current_level, region_code, province_code, reached_rank, self_score,
                verified_score, max_score, qualified, outcome_label, submitted_at, first_submitted_at,
                decided_at, created_at, updated_at)
            SELECT f.enterprise_id, f.level, w.id, %(sb)s + f.n, NULL, p.state,
                   CASE f.level WHEN 'little_giant' THEN %(lg)s::jsonb ELSE %(std)s::jsonb END,
                   p.step, p.current_level, f.region_code, f.province_code, p.reached_rank,
                   60 + (f.roll * 7) %% 40, NULL, 100, true, '达标',
                   now() - ((f.n %% 300) || ' days')::interval - ((f.n %% 1440) || ' minutes')::interval,
                   now() - ((f.n %% 300) || ' days')::interval, NULL, now(), now()
            FROM bench_filing f
            JOIN reference_region pr ON pr.code = f.province_code
            JOIN filings_filingwindow w ON w.province_id = pr.id AND w.level = f.level AND w.year = f.year
                                        AND w.batch = 1
            CROSS JOIN LATERAL (
                SELECT * FROM (VALUES
                    (f.roll < 35, 'pending', 0, 'county', 1),
                    (f.roll >= 35 AND f.roll < 50, 'pending', 1, 'city', 2),
                    (f.roll >= 50 AND f.roll < 60, 'pending', 2, 'province', 3),
                    (f.roll >= 60 AND f.roll < 64 AND f.level = 'little_giant', 'pending', 3, 'ministry', 4),
                    (f.roll >= 60 AND f.roll < 64 AND f.level <> 'little_giant', 'pending', 2, 'province', 3),
                    (f.roll >= 64 AND f.roll < 70, 'returned', 1, '', 2),
                    (f.roll >= 70 AND f.roll < 85 AND f.level = 'little_giant', 'approved', 3, '', 4),
                    (f.roll >= 70 AND f.roll < 85 AND f.level <> 'little_giant', 'approved', 2, '', 3),
                    (f.roll >= 85 AND f.roll < 93, 'rejected', 1, '', 2),
                    (f.roll >= 93, 'recognised', 2, '', 3)
                ) AS v(hit, state, step, current_level, reached_rank)
                WHERE v.hit
            ) p
            """,
            {"sb": submission_base, "lg": _json(chains["little_giant"]), "std": _json(chains["innovative"])},
        )
        for table in ("auth_user", "enterprises_enterprise", "forms_engine_formsubmission", "filings_filing"):
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))"
            )
    with connection.cursor() as cursor:
        for table in ("auth_user", "enterprises_enterprise", "forms_engine_formsubmission", "filings_filing"):
            cursor.execute(f"VACUUM ANALYZE {table}")
        cursor.execute(f'COMMENT ON DATABASE "{connection.settings_dict["NAME"]}" IS %s', [seeded_marker()])
    total = Filing.objects.count()
    print(f"seeded {total:,} filings of {enterprises:,} enterprises in {time.perf_counter() - started:.0f} s")


def _json(value) -> str:
    import json

    return json.dumps(value)


def _default_chains():
    from portal.filings.selectors import DEFAULT_CHAINS

    return DEFAULT_CHAINS


def _form_version():
    from forms_engine.models import FormVersion
    from tests.factories.forms import FormVersionFactory, field, make_schema

    existing = FormVersion.objects.filter(definition__key="bench_review_form").first()
    if existing is not None:
        return existing
    schema = make_schema(field("revenue", "integer", "营业收入（万元）"), title="基准申报表")
    return FormVersionFactory(schema=schema, definition__key="bench_review_form")


def reviewers() -> dict:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from portal.reference.models import Region
    from portal.review.models import ReviewerScope

    users = {}
    User = get_user_model()
    for role, level, code in (
        ("county", "county", "440305"),
        ("province", "province", "440000"),
        ("ministry", "ministry", None),
    ):
        user, _ = User.objects.get_or_create(username=f"bench_reviewer_{role}", defaults={"is_staff": True})
        user.groups.add(Group.objects.get(name="审核人员"))
        ReviewerScope.objects.update_or_create(
            user=user, defaults={"level": level, "region": Region.objects.get(code=code) if code else None}
        )
        users[role] = User.objects.get(pk=user.pk)
    root = User.objects.filter(username="bench_reviewer_root").first()
    users["superuser"] = root or User.objects.create_superuser("bench_reviewer_root", "root@example.com", "x")
    return users


# --- measuring --------------------------------------------------------------------------------------


def measure(client, url: str, repeat: int) -> tuple[float, float, int, float, float]:
    """(median ms, p90 ms, SQL queries, slowest query ms, median ms in SQL) of ``repeat`` GETs after
    one warm-up."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    response = client.get(url)
    if response.status_code != 200:
        raise RuntimeError(f"{url} answered {response.status_code}")
    times, sql_times = [], []
    queries = slowest = 0
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            client.get(url)
            times.append((time.perf_counter() - start) * 1000)
        queries = len(ctx.captured_queries)
        spent = [float(q["time"]) * 1000 for q in ctx.captured_queries]
        slowest = max(slowest, max(spent))
        sql_times.append(sum(spent))
    times.sort()
    p90 = times[max(0, int(len(times) * 0.9) - 1)]
    return statistics.median(times), p90, queries, slowest, statistics.median(sql_times)


def load_average() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg()) + f" ({os.cpu_count()} CPUs)"


def first_row_enterprise(client, url: str) -> str:
    """The enterprise of the page's first row (narrowing to it keeps the page non-empty)."""
    import re

    html = client.get(url).content.decode()
    match = re.search(r'<a href="/admin/review/inspect/\d+/"[^>]*>\s*([^<]+?)\s*</a>', html)
    return match.group(1) if match else "-"


def query_count(client, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    return len(ctx.captured_queries)


def export_figures(client, url: str, *, stock: bool = False) -> tuple[float, float, int, int]:
    """(seconds, peak MiB of Python memory, rows, bytes) of one export; ``stock``: Wagtail's own."""
    from openpyxl import load_workbook
    from wagtail.admin.views.mixins import SpreadsheetExportMixin

    from portal.review.views import FilingQueueView

    saved = FilingQueueView.as_spreadsheet
    if stock:
        # Wagtail's export path: the listing's object_list (cached) into a BytesIO workbook
        FilingQueueView.as_spreadsheet = lambda self, qs, fmt: SpreadsheetExportMixin.write_xlsx_response(
            self, list(qs)
        )
    try:
        start = time.perf_counter()
        response = client.get(url)
        body = b"".join(response.streaming_content)
        seconds = time.perf_counter() - start
        tracemalloc.start()
        response = client.get(url)
        for _chunk in response.streaming_content:
            pass
        peak = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
    finally:
        FilingQueueView.as_spreadsheet = saved
    rows = sum(1 for _ in load_workbook(io.BytesIO(body), read_only=True).active.iter_rows()) - 1
    return seconds, peak, rows, len(body)


def main() -> None:
    use_own_database()
    if RESEED or not already_seeded():
        seed()
    else:
        from portal.filings.models import Filing

        print(
            f"database already seeded ({Filing.objects.count():,} filings); BENCH_REVIEW_RESEED=1 to seed again"
        )
    vacuum()
    from django.test import Client

    users = reviewers()
    clients = {}
    for role, user in users.items():
        clients[role] = Client()
        clients[role].force_login(user)

    print(
        f"\nReview queue over {FILINGS:,} filings (in-process, DEBUG off, PostgreSQL; {REPEAT} requests each)"
    )
    print(f"load average before: {load_average()}; 'in SQL' is the part of the median spent in the database,")
    print("the rest is Wagtail's admin page (menu, filters, template) and does not depend on the data")
    header = (
        f"{'reviewer':<10} {'page':<11} {'median ms':>9} {'p90 ms':>8} {'in SQL':>7} {'SQL':>4} "
        f"{'slowest SQL ms':>14}  goal ≤ {GOAL_MS:.0f} ms"
    )
    print(header)
    print("-" * len(header))
    verdicts = []
    for role, pages in PAGES.items():
        for label, url in pages:
            median, p90, queries, slowest, in_sql = measure(clients[role], url, REPEAT)
            goal = (
                ""
                if label == "keyword" or role == "superuser"
                else ("met" if median <= GOAL_MS else "MISSED")
            )
            if goal:
                verdicts.append(goal == "met")
            print(
                f"{role:<10} {label:<11} {median:>9.1f} {p90:>8.1f} {in_sql:>7.1f} {queries:>4} {slowest:>14.1f}  {goal}"
            )
            print(f"{'':<10} {url}")
    print(f"load average after: {load_average()}")

    print("\n统计概览 (/admin/reports/dashboard/)")
    for role in ("county", "province", "ministry", "superuser"):
        median, p90, queries, slowest, in_sql = measure(
            clients[role], "/admin/reports/dashboard/", max(3, REPEAT // 3)
        )
        print(
            f"{role:<10} median {median:>7.1f} ms  p90 {p90:>7.1f} ms  in SQL {in_sql:>7.1f} ms  "
            f"SQL {queries:>3}  slowest {slowest:.1f} ms"
        )

    print("\nSQL queries per page do not depend on the data: each page searched for 基准企业 (every row")
    print("of it: thousands) and for the one enterprise of its first row (a few rows) — equal means constant")
    for role, pages in PAGES.items():
        for label, url in pages:
            if label == "keyword":
                continue
            name = first_row_enterprise(clients[role], url)
            joiner = "&" if "?" in url else "?"
            many = query_count(clients[role], url + joiner + urlencode({"q": "基准企业"}))
            few = query_count(clients[role], url + joiner + urlencode({"q": name}))
            print(
                f"{role:<10} {label:<11} many rows {many:>3}  few rows {few:>3}  {'equal' if many == few else 'DIFFERENT'}"
            )

    if EXPORT:
        print(f"\nExport to Excel of 江苏's filings ({EXPORT_URL}, superuser)")
        for stock in (False, True):
            seconds, peak, rows, size = export_figures(clients["superuser"], EXPORT_URL, stock=stock)
            name = (
                "Wagtail's own export (BytesIO, cached rows)"
                if stock
                else "portal.reports (spooled, chunked)"
            )
            print(
                f"{name:<46} {rows:>7,} rows  {seconds:>6.1f} s  {size / 2**20:>5.1f} MiB file  peak Python memory {peak:>7.1f} MiB"
            )
    print(f"\nqueue goal ≤ {GOAL_MS:.0f} ms: {sum(verdicts)} of {len(verdicts)} pages met")
