"""The admin screens: 公示与认定 (/admin/publicity/) and 认定企业 (/admin/recognitions/), scoped."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from openpyxl import load_workbook
from wagtail.models import ModelLogEntry

from portal.filings.states import State
from portal.recognition.actions import CreatePublicityAction
from portal.recognition.models import Publicity, Recognition
from portal.recognition.services import import_recognition
from tests.factories import recognition as factories

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def filings(regions, site):
    return {
        "ns": factories.approved_filing(region=regions["440305"], enterprise_row=None),
        "xh": factories.approved_filing(region=regions["330106"]),
    }


def test_the_ready_list_shows_only_my_scopes_approved_filings(filings, gd_reviewer):
    html = client_for(gd_reviewer).get("/admin/publicity/ready/").content.decode()
    assert filings["ns"].enterprise.name in html
    assert filings["xh"].enterprise.name not in html
    assert "创建公示" in html


def test_creating_a_publicity_from_the_ready_list(filings, gd_reviewer):
    client = client_for(gd_reviewer)
    response = client.post("/admin/publicity/create/", {"id": [filings["ns"].pk], "title": ""})
    publicity = Publicity.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/admin/publicity/inspect/{publicity.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert (
        publicity.title in page and "草稿，待编辑审核发布" in page and filings["ns"].enterprise.name in page
    )
    assert "公示公告尚未发布" in page and 'data-testid="recognise-button"' not in page
    filings["ns"].refresh_from_db()
    assert filings["ns"].state == State.PUBLICISING


def test_an_out_of_scope_filing_id_creates_nothing(filings, gd_reviewer):
    response = client_for(gd_reviewer).post(
        "/admin/publicity/create/", {"id": [filings["xh"].pk]}, follow=True
    )
    assert "不在您认定范围内" in response.content.decode()
    assert not Publicity.objects.exists()
    filings["xh"].refresh_from_db()
    assert filings["xh"].state == State.APPROVED


@pytest.fixture
def ended(filings, gd_reviewer):
    publicity = CreatePublicityAction([filings["ns"]], user=gd_reviewer).execute()
    factories.end_publicity(publicity)
    return publicity


def test_the_recognise_button_appears_once_the_period_is_over(ended, gd_reviewer):
    html = client_for(gd_reviewer).get(f"/admin/publicity/inspect/{ended.pk}/").content.decode()
    assert 'data-testid="recognise-button"' in html and "已结束" in html


def test_recognising_from_the_publicity_page(ended, gd_reviewer, filings):
    from django.utils import timezone

    client = client_for(gd_reviewer)
    url = f"/admin/publicity/{ended.pk}/recognise/"
    ticked = {"id": [filings["ns"].pk]}
    client.post(url, {**ticked, "valid_from": ended.period_end.isoformat()})
    assert not Recognition.objects.exists()  # the day the period ends is not after it
    response = client.post(url, {**ticked, "valid_from": "2099-01-01"}, follow=True)
    assert "有效期起始日期不能晚于今天" in response.content.decode()
    response = client.post(url, {"valid_from": timezone.localdate().isoformat()}, follow=True)
    assert "请勾选要认定的企业" in response.content.decode()  # none ticked: nobody, not everybody
    assert not Recognition.objects.exists()

    response = client.post(url, {**ticked, "valid_from": timezone.localdate().isoformat()}, follow=True)
    recognition = Recognition.objects.get()
    assert f"认定编号 {recognition.number}" in response.content.decode()
    assert recognition.filing_id == filings["ns"].pk


@pytest.mark.parametrize("who", ["zj_reviewer", "sz_city_reviewer", "ministry_reviewer"])
def test_another_scope_gets_404_for_a_publicity(ended, request, who):
    client = client_for(request.getfixturevalue(who))
    assert client.get(f"/admin/publicity/inspect/{ended.pk}/").status_code == 404
    ticked = {"id": [ended.entries.get().filing_id], "valid_from": "2026-01-01"}
    assert client.post(f"/admin/publicity/{ended.pk}/recognise/", ticked).status_code == 404
    assert not Recognition.objects.exists()


def test_a_county_reviewer_has_no_publicity_screen(regions):
    county = factories.reviewer_user(level="county", region=regions["440305"])
    client = client_for(county)
    assert client.get("/admin/publicity/").status_code in (302, 403)
    assert client.get("/admin/publicity/ready/").status_code in (302, 403)
    assert "/admin/publicity/" not in client.get("/admin/").content.decode()  # no menu item


def test_the_deciding_reviewer_finds_the_menu(gd_reviewer):
    html = client_for(gd_reviewer).get("/admin/").content.decode()  # the sidebar's menu (JSON)
    assert "/admin/publicity/" in html and "/admin/recognitions/" in html


# --- 认定企业 ---------------------------------------------------------------------------------


@pytest.fixture
def register(regions):
    import datetime as dt

    gd = factories.enterprise(region=regions["440305"], name="广东登记册测试有限公司")
    zj = factories.enterprise(region=regions["330106"], name="浙江登记册测试有限公司")
    return {
        "gd": import_recognition(
            enterprise=gd, level="specialized", year=2025, valid_from=dt.date(2025, 3, 1)
        ),
        "zj": import_recognition(
            enterprise=zj, level="innovative", year=2025, valid_from=dt.date(2025, 3, 1)
        ),
    }


def test_the_register_is_scoped_to_the_region(register, sz_city_reviewer):
    """Any reviewer level sees the recognitions of its region (the city of 深圳 here)."""
    client = client_for(sz_city_reviewer)
    html = client.get("/admin/recognitions/").content.decode()
    assert register["gd"].number in html and register["zj"].number not in html
    assert client.get(f"/admin/recognitions/inspect/{register['zj'].pk}/").status_code == 404
    assert client.get(f"/admin/recognitions/{register['zj'].pk}/certificate/").status_code == 404
    inspect = client.get(f"/admin/recognitions/inspect/{register['gd'].pk}/").content.decode()
    assert register["gd"].number in inspect and "官方编号格式尚未确认" in inspect


def test_the_register_filters(register, superuser):
    client = client_for(superuser)
    html = client.get("/admin/recognitions/", {"level": "innovative"}).content.decode()
    assert register["zj"].number in html and register["gd"].number not in html
    html = client.get("/admin/recognitions/", {"region": "330000"}).content.decode()
    assert register["zj"].number in html and register["gd"].number not in html
    html = client.get("/admin/recognitions/", {"status": "expired"}).content.decode()
    assert register["zj"].number not in html
    html = client.get("/admin/recognitions/", {"q": register["gd"].uscc}).content.decode()
    assert register["gd"].number in html and register["zj"].number not in html


def test_the_register_exports_to_excel_and_logs_it(register, gd_reviewer):
    response = client_for(gd_reviewer).get("/admin/recognitions/", {"export": "xlsx"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:5] == ("企业名称", "统一社会信用代码", "认定级别", "认定年度", "认定编号")
    assert [row[4] for row in rows[1:]] == [register["gd"].number]
    assert rows[1][7] == "有效" and rows[1][8] == "广东省 深圳市 南山区"
    assert ModelLogEntry.objects.filter(action="reports.export").exists()


def test_the_register_exports_csv_too(register, superuser):
    response = client_for(superuser).get("/admin/recognitions/", {"export": "csv"})
    body = b"".join(response.streaming_content).decode("utf-8")
    assert response.status_code == 200 and "认定编号" in body.splitlines()[0]
    assert register["gd"].number in body and register["zj"].number in body


def test_staff_download_the_certificate_of_their_region(register, gd_reviewer):
    response = client_for(gd_reviewer).get(f"/admin/recognitions/{register['gd'].pk}/certificate/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert ModelLogEntry.objects.filter(action="recognition.certificate_downloaded").exists()


def test_reviewers_without_a_scope_see_no_register(register, django_user_model):
    staff = django_user_model.objects.create_user("plain_staff", password="x", is_staff=True)
    from django.contrib.auth.models import Permission

    staff.user_permissions.add(Permission.objects.get(codename="access_admin"))
    assert client_for(staff).get("/admin/recognitions/").status_code in (302, 403)
