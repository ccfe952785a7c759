"""Browser: issue 13's "done when" for the lifecycle after recognition — a recognised enterprise of
深圳 reports its move to 广州 (注册地变更) and once the province approves it its filing under review
is 广州's city reviewers' and no longer 深圳's; an enterprise near expiry
gets its 认定到期 message from the scheduled job (``manage.py run_job expiry_reminders``), opens 认证到期
管理, 【去复核】, fills and submits the 复核, the review chain passes it, and it reads the new validity;
a staff member of the deciding level cancels a recognition in the admin, the enterprise finds the
取消认定 message in 我的消息 and the public 企业认定查询 reads 已取消. Screenshots in
``$LIFECYCLE_SHOTS`` (default /tmp/shots-lifecycle/)."""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.helpers import admin_login, bind_staff_phone, sign_in, tree_root

pytestmark = pytest.mark.django_db(transaction=True)

SHOTS = Path(os.environ.get("LIFECYCLE_SHOTS", "/tmp/shots-lifecycle"))
NAME = "深圳市复核浏览器测试精密科技有限公司"
REVIEWER_PHONE = "13900000320"


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


@pytest.fixture
def world(transactional_db, settings, tmp_path):
    from portal.filings.models import FilingRequirement
    from portal.lifecycle.models import RenewalRule
    from portal.recognition.services import import_recognition
    from tests.factories import recognition as factories
    from tests.factories.filings import nationwide_requirements
    from tests.factories.forms import FormVersionFactory, field, make_schema
    from tests.lifecycle.conftest import verified_enterprise

    settings.STORAGES = {
        **settings.STORAGES,
        "filing_documents": {
            "BACKEND": "portal.filings.evidence.storage.PrivateEvidenceStorage",
            "OPTIONS": {"location": str(tmp_path / "documents")},
        },
    }
    tree_root()
    call_command("seed_demo_content", verbosity=0)
    nationwide_requirements()
    FilingRequirement.objects.filter(level="innovative", province__isnull=True).update(
        requires_evidence=False
    )
    # a short 复核 form (the shipped ones are walked in their own tests)
    version = FormVersionFactory(
        schema=make_schema(
            field("revenue", "integer", "上年度营业收入（万元）"), title="创新型中小企业复核表"
        )
    )
    RenewalRule.objects.create(level="innovative", opens_days=90, definition_key=version.definition.key)
    regions = factories.gd_regions()
    enterprise = verified_enterprise(regions["440305"], name=NAME)
    until = timezone.localdate() + dt.timedelta(days=25)
    recognition = import_recognition(
        enterprise=enterprise,
        level="innovative",
        year=until.year - 3,
        valid_from=until.replace(year=until.year - 3) + dt.timedelta(days=1),
    )
    reviewers = [
        factories.reviewer_user(level="county", region=regions["440305"], username="ns_county"),
        factories.reviewer_user(level="city", region=regions["440300"], username="sz_city"),
        factories.reviewer_user(level="province", region=regions["440000"], username="gd_province"),
    ]
    bind_staff_phone(reviewers[-1], REVIEWER_PHONE)
    return {"enterprise": enterprise, "recognition": recognition, "reviewers": reviewers}


def test_expiry_message_from_the_job_then_renewal_passes_with_a_new_validity(page, live_server, world):
    from portal.filings.models import Filing
    from portal.jobs.models import JobRun
    from portal.recognition.models import Recognition
    from portal.review.actions import PassFilingAction

    recognition = world["recognition"]
    call_command("run_job", "expiry_reminders")  # what the scheduler queues every day at 08:00
    assert JobRun.objects.get(name="expiry_reminders").result["sent"] == 1

    sign_in(page, live_server, world["enterprise"].owner.username)
    page.goto("/enterprise/messages/")
    message = page.get_by_test_id("message-list").get_by_role("link", name=re.compile("认定到期提醒"))
    expect(message).to_be_visible()
    message.click()
    expect(page.get_by_test_id("message-body")).to_contain_text("还有 25 天到期")
    shot(page, "01-expiry-message")
    page.get_by_test_id("message-link").click()

    expect(page.get_by_role("heading", name="认证到期管理", level=1)).to_be_visible()
    expect(page.get_by_test_id("renewal-state")).to_contain_text("复核开放中")
    shot(page, "02-renewals")
    page.get_by_test_id("start-renewal").click()

    expect(page.get_by_role("heading", name="创新型中小企业复核表")).to_be_visible()
    page.get_by_label(re.compile(r"^\s*上年度营业收入")).fill("5200")
    shot(page, "03-renewal-form")
    page.get_by_role("button", name="提交").click()
    page.get_by_role("button", name="确认提交").click()
    expect(page.get_by_text("提交成功，申报已进入审核。")).to_be_visible()
    shot(page, "04-renewal-submitted")

    filing = Filing.objects.get(renewal_of=recognition)
    for reviewer in world["reviewers"]:  # 县/区 → 市 → 省 (认定), as on the review pages
        PassFilingAction(Filing.objects.get(pk=filing.pk), user=reviewer).execute()
    new = Recognition.objects.get(filing=filing)

    page.goto("/enterprise/renewals/")
    rows = page.get_by_test_id("recognition-row")
    expect(rows.filter(has_text=new.number).get_by_test_id("validity")).to_have_text(
        f"{new.valid_from.year}年{new.valid_from.month}月{new.valid_from.day}日 至 "
        f"{new.valid_until.year}年{new.valid_until.month}月{new.valid_until.day}日"
    )
    expect(rows.filter(has_text=recognition.number).get_by_test_id("renewal-state")).to_contain_text(
        "复核已通过"
    )
    expect(page.get_by_test_id("renewal-history")).to_contain_text("已认定")
    shot(page, "05-renewed")
    page.goto("/enterprise/messages/")
    expect(page.get_by_test_id("message-list")).to_contain_text("复核通过")


def test_a_staff_cancellation_shows_in_the_inbox_and_the_public_query(page, new_context, live_server, world):
    from tests.factories import recognition as factories

    recognition = world["recognition"]
    admin_login(page, "gd_province", factories.PASSWORD, REVIEWER_PHONE)
    page.goto(f"/admin/recognitions/inspect/{recognition.pk}/")
    page.get_by_role("link", name="取消认定").click()
    page.get_by_label(re.compile(r"^\s*取消类别")).select_option("fraud")
    page.get_by_label(re.compile(r"^\s*取消原因")).fill("复查发现申报的研发费用数据造假。")
    shot(page, "06-admin-cancel")
    page.get_by_test_id("cancel-recognition").click()
    expect(page.get_by_text("已取消", exact=True)).to_be_visible()
    expect(page.get_by_test_id("cancel-reason")).to_contain_text("研发费用数据造假")
    shot(page, "07-admin-cancelled")

    enterprise = new_context().new_page()
    sign_in(enterprise, live_server, world["enterprise"].owner.username)
    enterprise.goto("/enterprise/messages/")
    enterprise.get_by_test_id("message-list").get_by_role("link", name=re.compile("取消认定")).click()
    expect(enterprise.get_by_test_id("message-body")).to_contain_text("数据造假")
    expect(enterprise.get_by_test_id("message-body")).to_contain_text("起可再次申报")
    shot(enterprise, "08-cancellation-message")

    visitor = new_context().new_page()
    visitor.goto("/query/")
    visitor.get_by_label(re.compile(r"^\s*企业名称")).fill(NAME)
    visitor.get_by_label(re.compile(r"^\s*统一社会信用代码")).fill(recognition.uscc)
    visitor.get_by_role("textbox", name="图形验证码").fill("PASSED")
    visitor.get_by_role("button", name="查询").click()
    result = visitor.get_by_test_id("recognition-result")
    expect(result).to_contain_text(recognition.number)
    expect(result.get_by_test_id("recognition-status")).to_have_text("已取消")
    shot(visitor, "09-query-cancelled")


def test_an_approved_region_change_moves_the_enterprise_to_another_citys_reviewers(
    page, new_context, live_server, world
):
    """A recognised enterprise of 深圳 reports its move to 广州 (注册地变更); once the province approves
    it, its filing under review at the city level is 广州's reviewers' and no longer 深圳's."""
    from forms_engine.services import import_definition_document
    from portal.changes.models import MajorChange
    from portal.filings.models import Filing
    from portal.review.selectors import filings_visible_to
    from tests.factories import recognition as factories
    from tests.forms_engine.conftest import load_document

    import_definition_document(document=load_document("change_region"))
    gd = factories.region("440000", "广东省", "province")
    guangzhou = factories.region("440100", "广州市", "prefecture", gd)
    factories.region("440106", "天河区", "county", guangzhou)
    from django.core.cache import cache

    cache.clear()  # the region picker's lists are cached
    enterprise = world["enterprise"]
    filing = factories.approved_filing(enterprise_row=enterprise, level="specialized", state="pending")
    Filing.objects.filter(pk=filing.pk).update(step=1, current_level="city", reached_rank=2)
    sz_city = world["reviewers"][1]
    gz_city = factories.reviewer_user(level="city", region=guangzhou, username="gz_city")
    assert filings_visible_to(sz_city).filter(pk=filing.pk).exists()

    sign_in(page, live_server, enterprise.owner.username)
    page.goto("/enterprise/changes/")
    page.get_by_role("button", name="注册地变更").click()
    page.locator('select[name$="new_region_0"]').select_option(label="广东省")
    page.locator('select[name$="new_region_1"]').select_option(label="广州市")
    page.locator('select[name$="new_region_2"]').select_option(label="天河区")
    page.get_by_label(re.compile(r"^\s*变更后通讯地址")).fill("广州市天河区珠江新城1号")
    page.get_by_label(re.compile(r"^\s*变更生效日期")).fill(timezone.localdate().isoformat())
    page.get_by_label(re.compile(r"^\s*变更情况说明")).fill("企业整体迁至广州市天河区。")
    shot(page, "10-region-change-form")
    page.get_by_role("button", name="提交").click()
    change = MajorChange.objects.get(enterprise=enterprise)
    expect(page.get_by_text(re.compile("待审核|审核中"))).to_be_visible()

    # the 审核人员 group's permission (a transactional test flushed the group its migration made)
    from django.contrib.auth.models import Permission

    world["reviewers"][2].user_permissions.add(Permission.objects.get(codename="review_majorchange"))
    admin = new_context().new_page()
    admin_login(admin, "gd_province", factories.PASSWORD, REVIEWER_PHONE)
    admin.goto(f"/admin/changes/inspect/{change.pk}/")
    admin.get_by_role("button", name="核准", exact=True).click()
    admin.wait_for_load_state()
    admin.goto(f"/admin/changes/inspect/{change.pk}/")
    expect(admin.get_by_test_id("change-state")).to_contain_text("已核准")
    shot(admin, "11-region-change-approved")

    filing.refresh_from_db()
    assert filing.region_code == "440106"
    assert filings_visible_to(gz_city).filter(pk=filing.pk).exists()
    assert not filings_visible_to(sz_city).filter(pk=filing.pk).exists()
    page.goto("/enterprise/")
    expect(page.get_by_test_id("region")).to_contain_text("广州市")
    shot(page, "12-profile-new-region")
