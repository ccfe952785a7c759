"""Browser (issue 11 item 2, F-04, F-35, FAQ 6): from the home page's 【去自评】 an anonymous visitor
logs in and comes back to /assessment/; the verified manufacturing enterprise answers the
manufacturing questionnaire across its four steps with 【暂存】 and a reload in between, submits,
sees the total, the level, the per-dimension chart and its answers as a person reads them, retakes
the assessment and finds both attempts in the history. Screenshots (desktop and 390×844) in
.test-media/screenshots/."""

from __future__ import annotations

import json
import re

import pytest
from django.conf import settings
from django.core.management import call_command
from playwright.sync_api import expect

from tests.e2e.helpers import tree_root
from tests.e2e.test_innovation_self_test import PHONE, enterprise  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db(transaction=True)

SHOTS = settings.BASE_DIR / ".test-media" / "screenshots"
PHONE_VIEWPORT = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
# an answer shown as its stored code instead of its label: "B", "B、C", "3", "True", "['A']"
RAW = re.compile(r"^\s*([A-Z](、[A-Z])*|[1-4]|True|False|\[.*\])\s*$")


@pytest.fixture
def site(transactional_db):
    from forms_engine.services import import_definition_document

    tree_root()
    call_command("seed_demo_content", verbosity=0)  # the home page and its 【去自评】
    for key in ("digital_manufacturing", "digital_services", "digital_other"):
        path = settings.BASE_DIR / "fixtures" / "forms" / f"{key}.json"
        import_definition_document(document=json.loads(path.read_text(encoding="utf-8")))


def fill_login(page) -> None:
    """The login form the visitor was sent to: 登录名, 图形验证码, 【获取短信验证码】, 密码, 短信验证码."""
    from tests.accounts.factories import last_code

    page.get_by_label("登录名").fill("qiye_e2e")
    page.get_by_role("textbox", name="图形验证码").fill("PASSED")
    page.get_by_role("button", name="获取短信验证码").click()
    page.get_by_label("密码").fill("Qiye-Pass-2026")
    page.get_by_label("短信验证码").fill(last_code(PHONE))
    page.get_by_role("button", name="登录", exact=True).click()


def question(page, label: str):
    """The group of options of the question labelled ``label`` (its legend; required ones end in *)."""
    return page.get_by_role("group", name=re.compile(rf"^\s*{re.escape(label)}\s*\*?\s*$"))


def pick(page, label: str, *options: str) -> None:
    """Tick the options of a question by the start of their visible label (“B.”, “三级：”)."""
    group = question(page, label)
    for option in options:
        group.get_by_label(re.compile(rf"^\s*{re.escape(option)}")).check()


FOUNDATION = [  # 8 + 6 + 6 + 1.4 + 10 + 5 + 5 = 41.4 of 50
    ("企业网络建设连接情况", ("B.", "C.", "D.", "E.")),
    ("企业的生产设备数字化率", ("E.",)),
    ("企业的生产设备联网率", ("E.",)),
    ("企业实现数据自动采集的业务环节覆盖范围", ("B.", "C.")),
    ("企业使用本地或云化部署的信息化服务，实现业务的数字化管理情况", ("E.",)),
    ("企业在保障网络安全方面采取的举措", ("B.", "C.", "D.", "E.")),
    ("企业在保障数据安全方面采取的举措", ("B.", "C.", "D.", "E.")),
]
SCENARIOS = [
    "产品设计",
    "工艺设计",
    "营销管理",
    "售后服务",
    "计划排程",
    "生产管控",
    "质量管理",
    "设备管理",
    "安全生产",
    "能耗管理",
    "采购管理",
    "仓储物流",
    "财务管理",
    "人力资源",
    "协同办公",
    "决策支持",
]
MANAGEMENT = [  # 7.5 of 30
    ("企业对数字化的认识与执行水平情况", ("F.",)),
    ("企业数字化管理制度的建立情况", ("A.",)),
    ("企业在数字化人才建设方面采取的举措", ("A.",)),
    (
        "企业近三年平均数字化投入总额占营业额的平均比例（企业成立不满三年按照实际成立时长计算年均投入）",
        ("A.",),
    ),
]
RESULTS = [  # 7 + 7 + 1.5 + 3 = 18.5 of 20
    ("企业数字化改造后每百元营业收入中综合能源消费量相比于改造前的变化情况", ("C.",)),
    ("企业数字化改造后月均产品合格率相比于改造前的变化情况", ("C.",)),
    ("企业上年度人均营业收入相比于前年变化情况", ("B.",)),
    ("企业上年度每百元营业收入中的成本相比于前年变化情况", ("C.",)),
    ("本企业承诺所填信息真实、准确、完整", ("是",)),
]


def answer(page, questions) -> None:
    for label, options in questions:
        pick(page, label, *options)


def next_step(page, heading: str) -> None:
    page.get_by_role("button", name="下一步").click()
    expect(page.get_by_role("heading", name=heading, level=2)).to_be_visible()


def readable_answers(page) -> list[str]:
    cells = page.get_by_test_id("answers").locator("tbody td:nth-child(2)").all_inner_texts()
    assert cells
    return [text for text in cells if RAW.match(text)]


def test_assess_save_reload_submit_see_the_result_retake_and_the_history(site, enterprise, page):  # noqa: F811
    SHOTS.mkdir(parents=True, exist_ok=True)

    # F-04: the home page's 【去自评】 without a session → login → back to the assessment
    page.goto("/")
    page.locator("#entry-assessment").locator("xpath=..").get_by_role("link", name="【去自评】").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/assessment/$"))
    fill_login(page)
    expect(page).to_have_url(re.compile(r"/assessment/$"))
    expect(page.get_by_role("heading", name="数字化水平评测", level=1)).to_be_visible()
    expect(page.get_by_test_id("questionnaire")).to_contain_text("中小企业数字化水平评测（制造业）")
    expect(page.get_by_test_id("provisional")).to_have_count(0)  # the manufacturing one is the platform's
    expect(page.get_by_test_id("no-result")).to_be_visible()

    # 【去自评】 → the wizard inside the centre's frame
    page.locator("#assessment-questionnaire").locator("xpath=..").get_by_role(
        "link", name="【去自评】"
    ).click()
    expect(page.get_by_role("heading", name="中小企业数字化水平评测（制造业）", level=1)).to_be_visible()
    expect(
        page.get_by_role("navigation", name="企业信息管理").get_by_role("link", name="数字化水平评测")
    ).to_have_attribute("aria-current", "page")
    expect(page.get_by_role("heading", name="数字化基础（50分）", level=2)).to_be_visible()
    answer(page, FOUNDATION)
    page.screenshot(path=str(SHOTS / "assessment-wizard-desktop.png"), full_page=True)
    next_step(page, "数字化经营（场景等级自评，不计分）")

    # half of the scenarios, 【暂存】, then open the page again: everything is still there
    for label in SCENARIOS[:8]:
        pick(page, label, "三级：")
    page.get_by_role("button", name="暂存").click()
    expect(page.get_by_text("已暂存")).to_be_visible()
    page.goto(page.url)  # a GET: reloading would resend the POST
    expect(page.get_by_role("heading", name="数字化经营（场景等级自评，不计分）", level=2)).to_be_visible()
    for label in SCENARIOS[:8]:
        expect(question(page, label).get_by_label(re.compile(r"^\s*三级："))).to_be_checked()
    for label in SCENARIOS[8:]:
        pick(page, label, "三级：")
    page.set_viewport_size(PHONE_VIEWPORT)
    page.screenshot(path=str(SHOTS / "assessment-wizard-phone.png"), full_page=False)
    page.set_viewport_size(DESKTOP)
    next_step(page, "数字化管理（30分）")
    answer(page, MANAGEMENT)
    next_step(page, "数字化成效（20分）")
    answer(page, RESULTS)
    page.get_by_role("button", name="提交").click()

    # the result: 41.4 + 7.5 + 18.5 = 67.4 points, every scenario at 三级 → 三级
    expect(page.get_by_text("提交成功")).to_be_visible()
    expect(page.get_by_role("heading", name="数字化水平评测结果", level=1)).to_be_visible()
    expect(page.get_by_test_id("result-level")).to_have_text("三级")
    expect(page.get_by_test_id("result-total")).to_have_text(re.compile(r"^67\.4\s*/\s*100 分$"))
    expect(page.locator("svg.assessment-bar")).to_have_count(3)
    expect(page.get_by_test_id("dimension-foundation")).to_contain_text("41.4 / 50 分（得分率 83%）")
    expect(page.get_by_test_id("dimension-management")).to_contain_text("7.5 / 30 分（得分率 25%）")
    expect(page.get_by_test_id("dimension-results")).to_contain_text("18.5 / 20 分（得分率 93%）")
    expect(page.get_by_role("img", name="数字化基础得分率 83%")).to_be_visible()
    expect(page.get_by_test_id("next-level")).to_contain_text("距“四级”还需")
    row = page.get_by_role("row", name=re.compile("^企业网络建设连接情况"))
    expect(row).to_contain_text("B. 企业车间建成工控网络")
    expect(page.get_by_role("row", name=re.compile("^本企业承诺所填信息真实"))).to_contain_text("是")
    expect(page.get_by_role("row", name=re.compile("^产品设计"))).to_contain_text("三级：")
    assert readable_answers(page) == []
    page.screenshot(path=str(SHOTS / "assessment-result-desktop.png"), full_page=True)
    page.set_viewport_size(PHONE_VIEWPORT)
    expect(page.get_by_test_id("dimension-results")).to_be_visible()
    page.screenshot(path=str(SHOTS / "assessment-result-phone.png"), full_page=True)
    page.set_viewport_size(DESKTOP)

    # 【重新评测】: a new attempt, lower this time (40 points, scenarios at 二级 → 二级)
    page.get_by_role("link", name="【重新评测】").click()
    expect(page.get_by_role("heading", name="数字化基础（50分）", level=2)).to_be_visible()
    expect(question(page, "企业网络建设连接情况").get_by_label(re.compile(r"^\s*B\."))).not_to_be_checked()
    answer(
        page,
        [
            FOUNDATION[0],
            FOUNDATION[1],
            FOUNDATION[2],
            ("企业实现数据自动采集的业务环节覆盖范围", ("A.",)),
            *FOUNDATION[4:],
        ],
    )
    next_step(page, "数字化经营（场景等级自评，不计分）")
    for label in SCENARIOS:
        pick(page, label, "二级：")
    next_step(page, "数字化管理（30分）")
    answer(page, [(label, ("A.",)) for label, _options in MANAGEMENT])
    next_step(page, "数字化成效（20分）")
    answer(page, [(label, ("A.",)) for label, _options in RESULTS[:4]] + [RESULTS[4]])
    page.get_by_role("button", name="提交").click()
    expect(page.get_by_test_id("result-level")).to_have_text("二级")
    expect(page.get_by_test_id("result-total")).to_have_text(re.compile(r"^40\s*/\s*100 分$"))

    # the history: both attempts, newest first, the latest counts (FAQ 6)
    page.get_by_role("navigation", name="企业信息管理").get_by_role("link", name="数字化水平评测").click()
    expect(page.get_by_test_id("latest-level")).to_have_text("二级")
    rows = page.get_by_test_id("history").locator("tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("40 分")
    expect(rows.nth(0)).to_contain_text("二级")
    expect(rows.nth(0)).to_contain_text("当前有效")
    expect(rows.nth(1)).to_contain_text("67.4 分")
    expect(rows.nth(1)).to_contain_text("三级")
    expect(rows.nth(1)).to_contain_text("制造业")
    page.screenshot(path=str(SHOTS / "assessment-history-desktop.png"), full_page=True)
    page.set_viewport_size(PHONE_VIEWPORT)
    expect(page.get_by_test_id("history")).to_be_visible()
    page.screenshot(path=str(SHOTS / "assessment-history-phone.png"), full_page=True)
    rows.nth(1).get_by_role("link", name=re.compile("【详情】")).click()
    expect(page.get_by_test_id("result-level")).to_have_text("三级")
    expect(page.get_by_test_id("not-latest")).to_be_visible()

    # the centre's landing page: the latest result and 【去自评】
    page.set_viewport_size(DESKTOP)
    page.goto("/enterprise/home/")
    module = page.locator("#centre-assessment").locator("xpath=..")
    expect(module.get_by_test_id("latest-level")).to_have_text("二级")
    # a badge the page's own styles colour (white text on the primary blue), not white on white
    expect(module.get_by_test_id("latest-level")).to_have_css("background-color", "rgb(10, 88, 202)")
    expect(module.get_by_test_id("latest-total")).to_have_text("40 分（满分 100 分）")
    expect(module.get_by_role("link", name="【去自评】")).to_be_visible()
    page.screenshot(path=str(SHOTS / "assessment-centre-home-desktop.png"), full_page=True)
