"""Browser: an enterprise fills the innovation self-test (a 创新型中小企业 filing, in the open
申报时间 of its province), 暂存s, comes back in a new session, finishes, and sees the score on the
confirmation page before anything is submitted."""

from __future__ import annotations

import json
import re

import pytest
from django.conf import settings
from playwright.sync_api import expect

from tests.enterprises.factories import CompleteEnterpriseFactory

pytestmark = pytest.mark.django_db(transaction=True)


APPLY = "/enterprise/filings/apply/innovative/"


@pytest.fixture
def self_test(transactional_db):
    """The self-test and an open 创新型中小企业 申报时间 in 广东 (the enterprise's province)."""
    from forms_engine.services import import_definition_document
    from tests.factories.filings import FilingWindowFactory, nationwide_requirements

    path = settings.BASE_DIR / "fixtures" / "forms" / "innovation_self_test.json"
    import_definition_document(document=json.loads(path.read_text(encoding="utf-8")))
    nationwide_requirements()  # flushed by the transactional tests before this one
    FilingWindowFactory(level="innovative")


PHONE = "13900000001"


@pytest.fixture
def enterprise(django_user_model, settings):
    from portal.accounts.models import Account

    settings.SMS_RESEND_SECONDS = 0  # this test logs in twice within a minute
    user = django_user_model.objects.create_user(username="qiye_e2e", password="Qiye-Pass-2026")
    Account.objects.create(
        user=user,
        phone=PHONE,
        user_type="legal",
        verification_status="verified",
        real_name="张三",
        uscc="91440300MA5D8XXX1X",
    )
    CompleteEnterpriseFactory(owner=user)  # F-31: the self-test needs a complete profile
    return user


def log_in(page, next_url: str) -> None:
    """登录名 + 图形验证码 → 【获取短信验证码】 → 密码 + 短信验证码 (read from the test SMS outbox)."""
    from tests.accounts.factories import last_code

    page.goto(f"/accounts/login/?next={next_url}")
    page.get_by_label("登录名").fill("qiye_e2e")
    page.get_by_role("textbox", name="图形验证码").fill("PASSED")
    page.get_by_role("button", name="获取短信验证码").click()
    page.get_by_label("密码").fill("Qiye-Pass-2026")
    page.get_by_label("短信验证码").fill(last_code(PHONE))
    page.get_by_role("button", name="登录", exact=True).click()


def choose(page, name: str, value: str) -> None:
    page.locator(f'input[name="{name}"][value="{value}"]').check()


def test_fill_save_resume_in_new_session_and_submit(self_test, enterprise, page, new_context):
    log_in(page, APPLY)
    expect(page.get_by_role("heading", name="创新型中小企业自测表")).to_be_visible()

    # step 1: 基本情况
    # taken from the verified profile: shown, read-only (issue 8 item 10)
    profile = enterprise.enterprise
    expect(page.get_by_label("企业名称")).to_have_value(profile.name)
    expect(page.get_by_label("企业名称")).to_be_disabled()
    expect(page.get_by_label("统一社会信用代码")).to_have_value(profile.uscc)
    expect(page.get_by_label("统一社会信用代码")).to_be_disabled()
    page.get_by_label("主导产品名称").fill("工业压力传感器")
    for key in (
        "independent_legal_person",
        "is_sme",
        "not_on_lists",
        "no_major_incident",
        "product_permitted",
    ):
        choose(page, f"basic-{key}", "true")
    page.get_by_role("button", name="下一步").click()

    # step 2: 经营数据, part of it, then 暂存 and leave
    expect(page.get_by_role("heading", name="经营数据")).to_be_visible()
    page.get_by_label("上年度营业收入").fill("1000")
    page.get_by_label(re.compile(r"^\s*上年度主营业务收入")).fill("700")
    page.get_by_role("button", name="暂存").click()
    expect(page.get_by_text("已暂存")).to_be_visible()
    page.context.close()

    # a new browser session (another device): log in again and continue where we left off
    page = new_context().new_page()
    log_in(page, APPLY)
    expect(page.get_by_role("heading", name="经营数据")).to_be_visible()
    expect(page.get_by_label("上年度营业收入")).to_have_value("1000")
    expect(page.get_by_label(re.compile(r"^\s*上年度主营业务收入"))).to_have_value("700")
    page.get_by_label("上上年度主营业务收入").fill("600")
    page.get_by_label("上年度研发费用").fill("30")
    page.get_by_label("上年末资产总额").fill("1000")
    page.get_by_label("上年末负债总额").fill("550")
    page.get_by_role("button", name="下一步").click()

    # step 3: 评价指标
    choose(page, "indicators-ip_class", "C")
    choose(page, "indicators-main_product_field", "strategic")
    expect(page.get_by_test_id("score-total")).to_have_text("85")  # live preview of the answers so far
    page.get_by_role("button", name="下一步").click()

    # step 4: 直通条件与承诺, then 提交
    for key in ("st_award", "valid_honour", "rd_institution"):
        choose(page, f"direct-{key}", "false")
    page.get_by_label("近三年新增股权融资总额（合格机构投资者的实缴额）").fill("0")
    choose(page, "direct-pledge_truthful", "true")
    page.get_by_role("button", name="提交").click()

    # 提交 leads to the confirmation page: the score and the outcome, nothing submitted yet
    expect(page.get_by_role("heading", name="确认提交：创新型中小企业")).to_be_visible()
    expect(page.get_by_test_id("score-total")).to_contain_text("85")
    expect(page.get_by_test_id("score-outcome")).to_have_text("符合创新型中小企业公告条件")
    expect(page.get_by_text("研发费用占营业收入比重（%） = 3，属于“3%–5%”档，得 15 分")).to_be_visible()
