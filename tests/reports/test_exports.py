"""Exports of the staff lists (F-46, F-61): the rows of the filtered list, personal numbers masked
unless the user may read them in full, every export in the audit log, read in chunks."""

from __future__ import annotations

import csv
import io

import pytest
from django.contrib.auth.models import Permission
from django.http import FileResponse
from openpyxl import load_workbook
from wagtail.models import ModelLogEntry

from portal.filings.states import ReviewLevel
from portal.reports.exports import EXPORT_ACTION
from portal.review.models import ReviewerScope
from tests.factories import recognition as factories

from .conftest import client_for, pending_filing

pytestmark = pytest.mark.django_db


def workbook_rows(response) -> list[tuple]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    return list(sheet.iter_rows(values_only=True))


def test_the_review_queue_exports_what_the_reviewer_sees_and_logs_it(regions, county_reviewer):
    mine = pending_filing(regions["440305"])
    other = pending_filing(regions["440304"])
    response = client_for(county_reviewer).get("/admin/review/", {"view": "todo", "export": "xlsx"})
    rows = workbook_rows(response)
    assert rows[0][:3] == ("企业名称", "统一社会信用代码", "申报级别")
    names = [row[0] for row in rows[1:]]
    assert names == [mine.enterprise.name] and other.enterprise.name not in names
    assert rows[1][2] == "创新型中小企业"  # labels, not codes
    entry = ModelLogEntry.objects.get(action=EXPORT_ACTION)
    assert entry.user_id == county_reviewer.pk
    assert entry.data["list"] == "review" and entry.data["rows"] == 1
    assert entry.data["filters"] == {"view": "todo"} and entry.data["format"] == "xlsx"
    assert "申报审核" in entry.message and "1 行" in entry.message


def test_the_export_follows_the_filters(regions, gd_reviewer):
    for _ in range(3):
        pending_filing(regions["440305"], at=ReviewLevel.PROVINCE)
    zj = pending_filing(regions["330106"], at=ReviewLevel.PROVINCE)
    sz = pending_filing(regions["440304"], at=ReviewLevel.PROVINCE, level="specialized")
    client = client_for(gd_reviewer)
    rows = workbook_rows(client.get("/admin/review/", {"view": "all", "export": "xlsx"}))
    assert len(rows) == 1 + 4 and zj.enterprise.name not in [r[0] for r in rows]
    rows = workbook_rows(
        client.get("/admin/review/", {"view": "all", "level": "specialized", "export": "xlsx"})
    )
    assert [r[0] for r in rows[1:]] == [sz.enterprise.name]
    assert ModelLogEntry.objects.filter(action=EXPORT_ACTION).count() == 2


def test_rows_are_read_in_chunks_not_cached_whole(regions, superuser, django_assert_max_num_queries):
    """Over a chunk's worth of rows, the export reads the list in several fetches of a cursor
    (SQLite: LIMITed chunks are not used, but the rows are never held as one cached list)."""
    from portal.review.views import FilingQueueView

    for _ in range(5):
        pending_filing(regions["440305"])
    seen = []
    original = FilingQueueView.export_items

    def spy(self, queryset):
        iterator = original(self, queryset)
        seen.append((type(iterator).__name__, queryset._result_cache))
        return iterator

    FilingQueueView.export_items = spy
    try:
        response = client_for(superuser).get("/admin/review/", {"view": "all", "export": "xlsx"})
    finally:
        FilingQueueView.export_items = original
    assert len(workbook_rows(response)) == 6
    assert isinstance(response, FileResponse)
    ((kind, cache),) = seen
    assert kind == "generator" and cache is None  # QuerySet.iterator(): nothing cached on the queryset


def test_the_csv_export_is_excel_readable_utf8(regions, county_reviewer):
    filing = pending_filing(regions["440305"])
    response = client_for(county_reviewer).get("/admin/review/", {"export": "csv"})
    body = b"".join(response.streaming_content)
    assert body.startswith("\ufeff".encode())  # Excel opens UTF-8 with a BOM as UTF-8
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[0][0] == "企业名称" and rows[1][0] == filing.enterprise.name
    assert ModelLogEntry.objects.get(action=EXPORT_ACTION).data["format"] == "csv"


def _enterprise_staff(django_user_model, regions, *, full_ids: bool):
    user = django_user_model.objects.create_user("ent_staff" + str(full_ids), password="x", is_staff=True)
    codenames = ["access_admin", "view_enterprise"] + (["view_legal_representative_id"] if full_ids else [])
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    ReviewerScope.objects.create(user=user, level=ReviewLevel.PROVINCE, region=regions["440000"])
    return django_user_model.objects.get(pk=user.pk)


@pytest.mark.parametrize("full_ids", [False, True])
def test_the_enterprise_register_masks_personal_numbers_without_the_permission(
    regions, django_user_model, full_ids
):
    enterprise = factories.enterprise(
        region=regions["440305"], contact_phone="13812345678", contact_email="lianxi@example.cn"
    )
    factories.enterprise(region=regions["330106"])  # another province: not in the list
    staff = _enterprise_staff(django_user_model, regions, full_ids=full_ids)
    rows = workbook_rows(client_for(staff).get("/admin/enterprises/enterprise/", {"export": "xlsx"}))
    assert len(rows) == 2
    header, row = rows
    values = dict(zip(header, row, strict=True))
    assert values["企业名称"] == enterprise.name and values["注册地"] == "广东省 深圳市 南山区"
    if full_ids:
        assert values["法定代表人身份证号"] == "440305198001010013"
        assert values["联系电话"] == "13812345678" and values["联系邮箱"] == "lianxi@example.cn"
    else:
        assert values["法定代表人身份证号"] == "4403**********0013"
        assert values["联系电话"] == "138****5678" and values["联系邮箱"] == "l***@example.cn"
    entry = ModelLogEntry.objects.get(action=EXPORT_ACTION)
    assert entry.data["list"] == "enterprises" and entry.data["masked"] is (not full_ids)


def test_account_review_exports_mask_personal_numbers_and_are_logged(regions, django_user_model):
    from portal.accounts.models import PhoneChangeRequest

    owner = django_user_model.objects.create_user("phone_owner", password="x")
    PhoneChangeRequest.objects.create(
        user=owner,
        method="manual",
        old_phone="13811112222",
        new_phone="13933334444",
        name="王五",
        id_number="440305198001010013",
        province_code="440000",
    )
    staff = django_user_model.objects.create_user("acct_staff", password="x", is_staff=True)
    staff.user_permissions.add(
        *Permission.objects.filter(
            codename__in=["access_admin", "view_phonechangerequest", "view_legal_representative_id"]
        )
    )
    ReviewerScope.objects.create(user=staff, level=ReviewLevel.PROVINCE, region=regions["440000"])
    rows = workbook_rows(client_for(staff).get("/admin/account-reviews/phone/", {"export": "xlsx"}))
    values = dict(zip(rows[0], rows[1], strict=True))
    # the account queues mask in every list and export, whoever reads them (docs/accounts.md)
    assert values["原手机号"] == "138****2222" and values["新手机号"] == "139****4444"
    assert values["统一社会信用代码或身份证号"] == "4403**********0013"
    assert values["所属省份"] == "广东省" and values["登录名"] == "phone_owner"  # a name, not 440000
    entry = ModelLogEntry.objects.get(action=EXPORT_ACTION)
    assert entry.data["list"] == "phone_reviews" and entry.data["rows"] == 1
    assert entry.data["title"] == "手机号修改审核"


def test_changes_and_publicity_lists_export_too(regions, superuser):
    client = client_for(superuser)
    for url, heading in (
        ("/admin/changes/", "企业名称"),
        ("/admin/publicity/", "公示标题"),
        ("/admin/publicity/ready/", "企业名称"),
        ("/admin/recognitions/", "企业名称"),
        ("/admin/account-reviews/realname/", "登录名"),
        ("/admin/annual-updates/", "企业名称"),
    ):
        rows = workbook_rows(client.get(url, {"export": "xlsx"}))
        assert rows[0][0] == heading, url
    lists = sorted(e.data["list"] for e in ModelLogEntry.objects.filter(action=EXPORT_ACTION))
    assert lists == [
        "annual_updates",
        "changes",
        "publicity",
        "publicity_ready",
        "realname_reviews",
        "recognitions",
    ]
    titles = sorted(e.data["title"] for e in ModelLogEntry.objects.filter(action=EXPORT_ACTION))
    assert "人工实名认证审核" in titles and not any("_" in t for t in titles)  # names, not table names


def test_a_staff_member_without_a_scope_cannot_export(regions, django_user_model):
    staff = django_user_model.objects.create_user("no_scope", password="x", is_staff=True)
    staff.user_permissions.add(*Permission.objects.filter(codename="access_admin"))
    response = client_for(staff).get("/admin/review/", {"export": "xlsx"})
    assert response.status_code in (302, 403)
    assert not ModelLogEntry.objects.filter(action=EXPORT_ACTION).exists()


def test_the_annual_update_list_exports_region_names_not_codes(regions, superuser):
    """信息更新 (issue 13) is a staff list too: its export names the 注册地 and the state in Chinese."""
    import datetime as dt

    from portal.lifecycle.models import AnnualUpdate

    company = factories.enterprise(region=regions["440305"], name="南山信息更新精密有限公司")
    AnnualUpdate.objects.create(
        enterprise=company,
        year=2026,
        deadline=dt.date(2026, 4, 30),
        state=AnnualUpdate.State.MISSED,
        region_code="440305",
    )
    rows = workbook_rows(client_for(superuser).get("/admin/annual-updates/", {"export": "xlsx"}))
    assert rows[0] == (
        "企业名称",
        "统一社会信用代码",
        "年度",
        "截止日期",
        "状态",
        "更新时间",
        "审阅",
        "注册地",
    )
    (row,) = [r for r in rows[1:] if r[0] == "南山信息更新精密有限公司"]
    assert row[4] == "逾期未更新" and row[6] == "待审阅"
    assert "南山区" in row[7] and "440305" not in row[7]
