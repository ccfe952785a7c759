"""Browser (issue 12 items 7 and 9, F-03, F-42): the province's reviewer signs in to the admin, opens
公示与认定, ticks the approved filing and 【创建公示】; the notice is published and the period moved
past its end in the set-up; the reviewer 【认定】s it; the enterprise finds 认定结果 on the filing's
【详情】 and downloads its certificate (real text); a visitor finds the recognition with 企业认定查询
and a wrong name finds nothing. Screenshots (desktop; 390×844 for public pages) in
``$RECOGNITION_SHOTS`` (default /tmp/recognition-shots/)."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.e2e.helpers import admin_login, bind_staff_phone, sign_in, tree_root

pytestmark = pytest.mark.django_db(transaction=True)

SHOTS = Path(os.environ.get("RECOGNITION_SHOTS", "/tmp/recognition-shots"))
PHONE_VIEWPORT = {"width": 390, "height": 844}
REVIEWER_PHONE = "13900000310"
NAME = "深圳市认定浏览器测试精密科技有限公司"


def shot(page, name: str, full_page: bool = True) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    for image in page.locator("img.captcha").all():  # the 图形验证码 is drawn on request: wait for it
        expect(image).to_have_js_property("complete", True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=full_page)


@pytest.fixture
def world(transactional_db, monkeypatch, settings, tmp_path):
    from tests.factories import recognition as factories
    from tests.recognition.fake_inbox import install

    install(monkeypatch)  # the inbox's notify() until its branch is merged (see fake_inbox.py)
    settings.STORAGES = {
        **settings.STORAGES,
        "filing_documents": {
            "BACKEND": "portal.filings.evidence.storage.PrivateEvidenceStorage",
            "OPTIONS": {"location": str(tmp_path / "documents")},
        },
    }
    tree_root()
    call_command("seed_demo_content", verbosity=0)  # the home page, the notice index
    regions = factories.gd_regions()
    reviewer = factories.reviewer_user(
        level=factories.PROVINCE, region=regions["440000"], username="gd_shenhe"
    )
    bind_staff_phone(reviewer, REVIEWER_PHONE)
    filing = factories.approved_filing(
        enterprise_row=factories.enterprise(
            region=regions["440305"], name=NAME, **factories.complete_profile()
        ),
        level="specialized",
    )
    return {"reviewer": reviewer, "filing": filing}


def test_publicity_recognition_certificate_and_the_public_query(page, new_context, live_server, world):
    from portal.recognition.models import Publicity
    from tests.factories import recognition as factories

    filing = world["filing"]

    # the province's reviewer: 公示与认定 → 从审核通过的申报创建公示 → tick → 【创建公示】
    admin_login(page, "gd_shenhe", factories.PASSWORD, REVIEWER_PHONE)
    page.goto("/admin/publicity/")
    expect(page.get_by_role("heading", name="公示与认定")).to_be_visible()
    page.get_by_text("1 份审核通过的申报待公示").click()
    expect(page.get_by_role("heading", name="待公示的申报")).to_be_visible()
    row = page.get_by_role("row").filter(has_text=NAME)
    expect(row.get_by_role("checkbox")).to_be_checked()
    shot(page, "admin-ready")
    page.get_by_role("button", name="创建公示").click()
    expect(page.get_by_text("已创建公示")).to_be_visible()
    expect(page.get_by_test_id("notice-state")).to_contain_text("草稿，待编辑审核发布")
    expect(page.get_by_test_id("recognise-not-yet")).to_contain_text("公示公告尚未发布")
    shot(page, "admin-publicity-draft")

    # an editor publishes the notice; the clock moves past the period (set-up, not the browser)
    publicity = Publicity.objects.get()
    factories.end_publicity(publicity)
    page.reload()
    expect(page.get_by_test_id("publicity-status")).to_have_text("已结束")
    page.get_by_role("button", name="认定", exact=True).click()
    expect(page.get_by_text(re.compile(r"已认定 1 家企业，认定编号 粤ZJTX\d{4}00001"))).to_be_visible()
    number = filing.__class__.objects.get(pk=filing.pk).recognition.number
    expect(page.get_by_role("row").filter(has_text=NAME)).to_contain_text(number)
    shot(page, "admin-publicity-recognised")
    page.goto("/admin/recognitions/")
    expect(page.get_by_role("row").filter(has_text=NAME)).to_contain_text(number)
    shot(page, "admin-register")

    # the enterprise: the filing's 【详情】 shows 认定结果; 【下载认定证书】
    enterprise_page = new_context().new_page()
    sign_in(enterprise_page, live_server, filing.enterprise.owner.get_username())
    enterprise_page.goto(f"/enterprise/filings/{filing.pk}/")
    card = enterprise_page.get_by_test_id("filing-recognition")
    expect(card).to_contain_text(number)
    expect(enterprise_page.get_by_test_id("filing-state")).to_have_text("已认定")
    shot(enterprise_page, "enterprise-filing-detail")
    with enterprise_page.expect_download() as download:
        card.get_by_role("link", name="【下载认定证书】").click()
    pdf = Path(download.value.path()).read_bytes()
    text = "".join(
        subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True)
        .stdout.decode()
        .split()
    )
    assert NAME in text and number in text and "专精特新中小企业" in text and "样式" in text
    enterprise_page.goto("/enterprise/")
    expect(enterprise_page.get_by_test_id("recognition")).to_contain_text(number)
    shot(enterprise_page, "enterprise-profile")

    # a visitor: the published 公示 notice lists the enterprise
    visitor = new_context().new_page()
    visitor.goto(publicity.notice.url)
    expect(visitor.get_by_role("heading", level=1)).to_have_text(publicity.title)
    expect(visitor.get_by_role("listitem").filter(has_text=NAME)).to_contain_text(filing.enterprise.uscc)
    shot(visitor, "notice-desktop")

    # home → 企业认定查询 → both name and USCC → the recognition; a partial name → nothing
    visitor.goto("/")
    visitor.get_by_role("link", name="进入查询").click()
    expect(visitor.get_by_role("heading", name="企业认定查询")).to_be_visible()
    shot(visitor, "query-desktop")
    visitor.get_by_label(re.compile(r"^\s*企业名称")).fill(NAME)
    visitor.get_by_label(re.compile(r"^\s*统一社会信用代码")).fill(filing.enterprise.uscc.lower())
    visitor.get_by_role("textbox", name="图形验证码").fill("PASSED")
    visitor.get_by_role("button", name="查询").click()
    result = visitor.get_by_test_id("recognition-result")
    expect(result).to_contain_text(number)
    expect(result.get_by_test_id("recognition-status")).to_have_text("有效")
    shot(visitor, "query-result-desktop")

    phone = new_context().new_page()
    phone.set_viewport_size(PHONE_VIEWPORT)
    phone.goto("/query/")
    shot(phone, "query-phone", full_page=False)
    phone.get_by_label(re.compile(r"^\s*企业名称")).fill(NAME[:6])
    phone.get_by_label(re.compile(r"^\s*统一社会信用代码")).fill(filing.enterprise.uscc)
    phone.get_by_role("textbox", name="图形验证码").fill("PASSED")
    phone.get_by_role("button", name="查询").click()
    expect(phone.get_by_test_id("query-not-found")).to_contain_text("未查询到认定信息")
    shot(phone, "query-not-found-phone")
    phone.get_by_label(re.compile(r"^\s*企业名称")).fill(NAME)
    phone.get_by_role("textbox", name="图形验证码").fill("PASSED")
    phone.get_by_role("button", name="查询").click()
    expect(phone.get_by_test_id("recognition-result")).to_contain_text(number)
    shot(phone, "query-result-phone")

    # switched off in 认定设置: the page and the home entry say 稍后开放
    from portal.recognition.models import RecognitionSettings

    config = RecognitionSettings.load()
    config.query_enabled = False
    config.save()
    phone.goto("/query/")
    expect(phone.get_by_test_id("query-closed")).to_contain_text("稍后开放")
    shot(phone, "query-closed-phone")
    phone.goto("/")
    expect(phone.get_by_test_id("query-later")).to_have_text("稍后开放")
