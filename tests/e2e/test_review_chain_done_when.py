"""Browser: issue 12's "done when" in one walk — a 小巨人 filing of a Guangdong county enterprise
(南山区, 深圳市) goes county → city → province → ministry: the city reviewer returns it with two
flagged fields, the enterprise sees the flags beside those fields, fixes them and resubmits, the city
sees what changed and passes it, the province recommends it, the ministry makes a 公示 of it and
recognises it; the enterprise gets the 认定通知 message and downloads its certificate; the public
企业认定查询 finds it; a reviewer of another county (福田区) sees none of it.

Set-up through services (the enterprise, its earlier 专精特新 recognition, the submitted filing, the
county's 通过, the editor publishing the 公示 notice and the period running out); every other step is
a person in the browser, found by visible labels. Screenshots in ``$REVIEW_SHOTS`` (default
/tmp/shots-review/)."""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.helpers import admin_login, bind_staff_phone, field, sign_in, tree_root

pytestmark = pytest.mark.django_db(transaction=True)

SHOTS = Path(os.environ.get("REVIEW_SHOTS", "/tmp/shots-review"))
NAME = "深圳市南山巨人精密传动有限公司"
PHONES = {
    "city": "13900000421",
    "province": "13900000431",
    "ministry": "13900000441",
    "futian": "13900000451",
}


def little_giant_answers(enterprise) -> dict:
    """The 2026 小巨人 conditions, all met at their thresholds (tests/forms_engine's base set); the
    typing is not what this test is about."""
    from tests.forms_engine.test_shipped_scoring import LITTLE_GIANT_BASE

    return {**LITTLE_GIANT_BASE, "enterprise_name": enterprise.name, "uscc": enterprise.uscc}


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    for image in page.locator("img.captcha").all():
        expect(image).to_have_js_property("complete", True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


@pytest.fixture
def world(transactional_db, settings, tmp_path):
    from portal.filings import services
    from portal.recognition.services import import_recognition
    from portal.review.actions import PassFilingAction
    from tests.factories import recognition as rec
    from tests.factories.filings import (
        EvidenceArchiveFactory,
        FilingEnterpriseFactory,
        FilingWindowFactory,
        answer,
        filing_forms,
        nationwide_requirements,
    )

    settings.STORAGES = {
        **settings.STORAGES,
        **{
            name: {
                "BACKEND": "portal.filings.evidence.storage.PrivateEvidenceStorage",
                "OPTIONS": {"location": str(tmp_path / name)},
            }
            for name in ("evidence", "filing_documents")
        },
    }
    tree_root()
    call_command("seed_demo_content", verbosity=0)  # the home page and the notice index
    nationwide_requirements()
    filing_forms("little_giant")
    regions = rec.gd_regions()
    enterprise = FilingEnterpriseFactory(name=NAME, region=regions["440305"])
    # recognised 专精特新中小企业 last year: what 小巨人 asks (F-42's only writer of the flag)
    year = timezone.localdate().year
    import_recognition(
        enterprise=enterprise,
        level="specialized",
        year=year - 1,
        valid_from=timezone.localdate() - dt.timedelta(days=200),
    )
    FilingWindowFactory(level="little_giant", batch=1)
    reviewers = {}
    for key, level, region, username in (
        ("county", "county", regions["440305"], "nanshan_shenhe"),
        ("city", "city", regions["440300"], "shenzhen_shenhe"),
        ("province", "province", regions["440000"], "guangdong_shenhe"),
        ("ministry", "ministry", None, "buji_shenhe"),
        ("futian", "county", regions["440304"], "futian_shenhe"),
    ):
        reviewers[key] = rec.reviewer_user(level=level, region=region, username=username)
        if key in PHONES:
            bind_staff_phone(reviewers[key], PHONES[key])
    filing = services.start_filing(enterprise=enterprise, user=enterprise.owner, level="little_giant")
    filing = answer(filing, little_giant_answers(enterprise))
    filing = services.submit_filing(
        filing=filing, user=enterprise.owner, evidence=EvidenceArchiveFactory(enterprise=enterprise)
    )
    assert filing.current_level == "county", filing.chain
    PassFilingAction(filing, user=reviewers["county"], comment="县级初审通过").execute()
    filing.refresh_from_db()
    assert filing.current_level == "city"
    return {"enterprise": enterprise, "filing": filing, "reviewers": reviewers}


def reviewer_page(new_context, key: str, reviewers):
    from tests.factories.recognition import PASSWORD

    page = new_context().new_page()
    page.set_viewport_size({"width": 1280, "height": 900})
    admin_login(page, reviewers[key].username, PASSWORD, PHONES[key])
    return page


def open_from_queue(page) -> None:
    page.goto("/admin/review/")
    expect(page.get_by_role("heading", name="申报审核")).to_be_visible()
    page.get_by_role("link", name=NAME).click()
    expect(page.get_by_role("heading", name=NAME, exact=True)).to_be_visible()


def test_little_giant_from_county_to_ministry_recognition(page, new_context, live_server, world):
    from portal.filings.models import Filing
    from portal.recognition.models import Publicity
    from tests.factories import recognition as rec

    filing, enterprise, reviewers = world["filing"], world["enterprise"], world["reviewers"]

    # --- 深圳市 (city): the queue, the review page, 退回 with two flagged fields ---------------
    city = reviewer_page(new_context, "city", reviewers)
    city.goto("/admin/review/")
    expect(city.get_by_test_id("todo-count")).to_have_text("1")
    row = city.get_by_role("row").filter(has_text=NAME)
    expect(row).to_contain_text("专精特新“小巨人”")
    expect(row).to_contain_text("待审核")
    shot(city, "01-city-queue")
    row.get_by_role("link", name=NAME).click()
    expect(city.get_by_role("heading", name=NAME, exact=True)).to_be_visible()
    expect(city.get_by_test_id("timeline")).to_contain_text("县级初审通过")
    expect(city.get_by_test_id("self-score")).to_have_text("符合专精特新“小巨人”企业认定条件")
    shot(city, "02-city-review-page")
    form = city.locator("form.review-return")
    form.get_by_label("退回理由").fill("请核实主导产品和细分市场说明后重新提交。")
    notes = form.locator(".review-note-row")
    notes.nth(0).get_by_label("标注填报项 1").select_option(label="主导产品名称")
    notes.nth(0).get_by_label("该项的修改意见").fill("请写明主导产品的具体型号。")
    notes.nth(1).get_by_label("标注填报项 2").select_option(label="细分市场及占有率情况说明")
    notes.nth(1).get_by_label("该项的修改意见").fill("请注明市场占有率的数据来源。")
    shot(city, "03-city-return-form")
    form.get_by_role("button", name="退回").click()
    expect(city.get_by_text(f"已退回“{NAME}”的申报")).to_be_visible()
    assert Filing.objects.get(pk=filing.pk).state == "returned"

    # --- the enterprise: the message, the flags beside the fields, fix, resubmit ------------------
    sign_in(page, live_server, enterprise.owner.username)
    page.goto("/enterprise/messages/")
    expect(page.get_by_role("link", name=re.compile("申报被退回修改"))).to_be_visible()
    page.goto(f"/enterprise/filings/{filing.pk}/")
    page.get_by_role("link", name="修改后重新提交").click()
    expect(page.get_by_test_id("returned-note")).to_contain_text("请核实主导产品和细分市场说明")
    expect(page.get_by_test_id("returned-note")).to_contain_text("2 个填报项标注了修改意见")
    expect(page.locator('.field-notes[data-field="main_product"]')).to_contain_text(
        "请写明主导产品的具体型号"
    )
    shot(page, "03-enterprise-returned-step1")
    field(page, "主导产品名称").fill("精密减速器（RV-40E 型）")
    while not page.locator('.field-notes[data-field="market_statement"]').is_visible():
        page.get_by_role("button", name="下一步").click()
    expect(page.locator('.field-notes[data-field="market_statement"]')).to_contain_text("数据来源")
    shot(page, "04-enterprise-returned-step3")
    field(page, "细分市场及占有率情况说明").fill("国内细分市场占有率约12%（数据来源：行业协会2025年统计）。")
    page.get_by_role("button", name="提交").click()
    expect(page.get_by_role("heading", name=re.compile("确认提交"))).to_be_visible()
    shot(page, "05-enterprise-confirm")
    page.get_by_role("button", name="确认提交").click()
    expect(page.get_by_test_id("filing-state")).to_contain_text("待审核")

    # --- 深圳市 again: what changed since the return, field by field; 通过 -------------------------
    open_from_queue(city)
    changes = city.get_by_test_id("changes")
    expect(changes).to_contain_text("退回以来的修改")
    expect(changes.get_by_role("row").filter(has_text="主导产品名称")).to_contain_text("RV-40E")
    expect(changes.get_by_role("row").filter(has_text="细分市场及占有率情况说明")).to_contain_text("行业协会")
    expect(changes.get_by_role("row")).to_have_count(3)  # the heading row and the two fields
    shot(city, "06-city-diff")
    city.locator("form.review-action").filter(
        has=city.get_by_role("button", name="通过", exact=True)
    ).get_by_role("button", name="通过", exact=True).click()
    expect(city.get_by_text(f"已通过“{NAME}”的申报")).to_be_visible()

    # --- 广东省 (province): recommends it to the ministry ------------------------------------------
    province = reviewer_page(new_context, "province", reviewers)
    open_from_queue(province)
    province.get_by_role("button", name="通过", exact=True).click()
    expect(province.get_by_text(f"已通过“{NAME}”的申报")).to_be_visible()
    filing.refresh_from_db()
    assert filing.current_level == "ministry", filing.state

    # --- the ministry: 通过 (审核通过), 公示, 认定 -------------------------------------------------
    ministry = reviewer_page(new_context, "ministry", reviewers)
    open_from_queue(ministry)
    shot(ministry, "07-ministry-review")
    ministry.get_by_role("button", name="通过", exact=True).click()
    expect(ministry.get_by_text(f"已通过“{NAME}”的申报")).to_be_visible()
    ministry.goto("/admin/publicity/")
    ministry.get_by_text("1 份审核通过的申报待公示").click()
    expect(ministry.get_by_role("row").filter(has_text=NAME).get_by_role("checkbox")).to_be_checked()
    ministry.get_by_role("button", name="创建公示").click()
    expect(ministry.get_by_text("已创建公示")).to_be_visible()
    expect(ministry.get_by_text("全国（部级认定）")).to_be_visible()
    shot(ministry, "08-ministry-publicity-draft")
    rec.end_publicity(Publicity.objects.get())  # an editor published the notice; the period is over
    ministry.reload()
    ministry.get_by_role("button", name="认定", exact=True).click()
    expect(ministry.get_by_text(re.compile(r"已认定 1 家企业"))).to_be_visible()
    shot(ministry, "09-ministry-recognised")
    number = Filing.objects.get(pk=filing.pk).recognition.number

    # --- the enterprise: 认定通知 in 我的消息, the certificate ------------------------------------
    page.goto("/enterprise/messages/?category=recognition")
    page.get_by_role("link", name=re.compile("认定通知：专精特新“小巨人”企业")).click()
    expect(page.get_by_text(number)).to_be_visible()
    shot(page, "10-enterprise-message")
    page.goto(f"/enterprise/filings/{filing.pk}/")
    card = page.get_by_test_id("filing-recognition")
    expect(card).to_contain_text(number)
    with page.expect_download() as download:
        card.get_by_role("link", name="【下载认定证书】").click()
    pdf = Path(download.value.path()).read_bytes()
    text = "".join(
        subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True)
        .stdout.decode()
        .split()
    )
    assert NAME in text and number in text and "小巨人" in text

    # --- the public 企业认定查询 -------------------------------------------------------------------
    visitor = new_context().new_page()
    visitor.goto("/query/")
    visitor.get_by_label(re.compile(r"^\s*企业名称")).fill(NAME)
    visitor.get_by_label(re.compile(r"^\s*统一社会信用代码")).fill(enterprise.uscc)
    visitor.get_by_role("textbox", name="图形验证码").fill("PASSED")
    visitor.get_by_role("button", name="查询").click()
    # both its recognitions: the earlier 专精特新 one and the new 小巨人 one
    expect(visitor.get_by_test_id("recognition-result")).to_have_count(2)
    result = visitor.get_by_test_id("recognition-result").filter(has_text=number)
    expect(result).to_contain_text("小巨人")
    expect(result.get_by_test_id("recognition-status")).to_have_text("有效")
    shot(visitor, "11-public-query")

    # --- 福田区 (another county): none of it -------------------------------------------------------
    futian = reviewer_page(new_context, "futian", reviewers)
    futian.goto("/admin/review/?view=all")
    expect(futian.get_by_role("heading", name="申报审核")).to_be_visible()
    expect(futian.get_by_text(NAME)).to_have_count(0)
    shot(futian, "12-other-county-queue")
    response = futian.goto(f"/admin/review/inspect/{filing.pk}/")
    assert response.status == 404
    futian.goto("/admin/recognitions/")
    expect(futian.get_by_text(NAME)).to_have_count(0)
    futian.goto("/admin/reports/site-history/")
    expect(futian.get_by_text(NAME)).to_have_count(0)
