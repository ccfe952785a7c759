"""The 申报材料 page, the status JSON it polls, download and 【删除】: owner-only, in Chinese."""

from __future__ import annotations

import os

import pytest
from django.test import Client

from portal.filings.evidence import services
from portal.filings.models import EvidenceArchive

from .conftest import tus_create, tus_patch, tus_upload
from .zipcraft import Entry, build, zip_of

pytestmark = pytest.mark.django_db
LIST_URL = "/enterprise/filings/evidence/"
GOOD = build([Entry("申报材料/营业执照副本.pdf".encode("gbk"), b"%PDF-1.7 " + os.urandom(3000))])


@pytest.fixture
def passed(owner_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        archive = tus_upload(owner_client, GOOD, filename="2026年申报材料.zip")
    archive.refresh_from_db()
    return archive


def test_anonymous_visitors_are_sent_to_login(client):
    response = client.get(LIST_URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/enterprise/filings/evidence/")


def test_a_natural_person_gets_the_legal_person_page(natural_user):
    client = Client()
    client.force_login(natural_user)
    response = client.get(LIST_URL)
    assert response.status_code == 403
    assert "自然人账号不能进行企业申报" in response.content.decode()


def test_the_page_lists_own_archives_with_state_and_members(owner_client, passed, other_client):
    page = owner_client.get(LIST_URL)
    html = page.content.decode()
    assert page.status_code == 200
    assert "2026年申报材料.zip" in html and "通过" in html
    assert "申报材料/营业执照副本.pdf" in html  # the GBK member, decoded
    assert "300 MB" in html
    assert 'id="evidence-config"' in html and "<script>" not in html  # config as JSON, no inline script
    assert "2026年申报材料.zip" not in other_client.get(LIST_URL).content.decode()


def test_the_page_shows_an_unfinished_upload_with_its_progress(owner_client):
    url = tus_create(owner_client, "一半.zip", len(GOOD))["Location"]
    tus_patch(owner_client, url, 0, GOOD[: len(GOOD) // 2])
    html = owner_client.get(LIST_URL).content.decode()
    assert "上传中" in html and "重新选择同一文件即可从中断处继续" in html
    assert f'value="{len(GOOD) // 2}"' in html


def test_status_json_reports_state_refusal_and_the_row(owner_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        archive = tus_upload(owner_client, zip_of({"合同<final>.pdf": b"x", "报告?.pdf": b"y"}))
    data = owner_client.get(f"/enterprise/filings/evidence/{archive.public_id}/status/").json()
    assert data["state"] == "refused" and data["state_label"] == "未通过"
    assert data["refusal_code"] == "bad_character"
    assert [problem["code"] for problem in data["problems"]] == ["bad_character", "bad_character"]
    assert "合同&lt;final&gt;.pdf" in data["html"]  # escaped in the row HTML
    assert data["percent"] == 100


def test_the_owner_downloads_the_archive_as_uploaded(owner_client, passed):
    response = owner_client.get(f"/enterprise/filings/evidence/{passed.public_id}/download/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == GOOD
    assert "attachment" in response["Content-Disposition"]


def test_delete_removes_an_archive_and_says_so(owner_client, passed):
    response = owner_client.post(f"/enterprise/filings/evidence/{passed.public_id}/delete/", follow=True)
    assert not EvidenceArchive.objects.exists()
    assert "已删除“2026年申报材料.zip”" in response.content.decode()


def test_a_locked_archive_cannot_be_deleted_from_the_page(owner_client, passed):
    services.lock_evidence_archive(archive=passed)
    response = owner_client.post(f"/enterprise/filings/evidence/{passed.public_id}/delete/", follow=True)
    html = response.content.decode()
    assert EvidenceArchive.objects.filter(pk=passed.pk).exists()
    assert "已随申报提交，不能删除" in html
    assert "替换</button>" not in html  # no 【替换】 or 【删除】 on a locked archive


def test_the_page_runs_the_same_queries_for_one_archive_or_many(
    owner_client, django_capture_on_commit_callbacks
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries() -> int:
        with CaptureQueriesContext(connection) as context:
            assert owner_client.get(LIST_URL).status_code == 200
        return len(context.captured_queries)

    with django_capture_on_commit_callbacks(execute=True):
        first = tus_upload(owner_client, GOOD, filename="1.zip")
    one = queries()
    with django_capture_on_commit_callbacks(execute=True):
        for index in range(2, 6):
            tus_upload(
                owner_client,
                GOOD,
                filename=f"{index}.zip",
                replaces=str(first.public_id) if index == 2 else "",
            )
    third = EvidenceArchive.objects.get(filename="3.zip")
    tus_create(owner_client, "unfinished.zip", 1000, replaces=str(third.public_id))
    assert EvidenceArchive.objects.count() == 5  # 2–5 passed (2 replaced 1), one unfinished replacement
    assert queries() == one


def test_an_empty_zip_is_refused_as_empty_not_as_not_a_zip(owner_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        archive = tus_upload(owner_client, zip_of({}))
    archive.refresh_from_db()
    assert archive.refusal_code == "empty_archive"
