"""Browser (issue 9 items 4, 5): every field with a unit shows it beside the input; the computed
fields of the self-test (研发费用占比, 增长率, 占比, 资产负债率) fill in while typing and stay after
【暂存】; a consistency warning is shown beside its field. Screenshots in .test-media/screenshots/."""

from __future__ import annotations

import json
import re

import pytest
from django.conf import settings
from playwright.sync_api import expect

from tests.e2e.test_innovation_self_test import choose, enterprise, log_in  # noqa: F401 - fixtures
from tests.e2e.test_public_site import csp_violations

pytestmark = pytest.mark.django_db(transaction=True)

SHOTS = settings.BASE_DIR / ".test-media" / "screenshots"


@pytest.fixture
def forms(transactional_db):
    """The self-test (filled as a 创新型中小企业 filing: an open 申报时间 in 广东) and a questionnaire."""
    from forms_engine.services import import_definition_document
    from tests.factories.filings import FilingWindowFactory, nationwide_requirements

    for key in ("innovation_self_test", "digital_manufacturing"):
        path = settings.BASE_DIR / "fixtures" / "forms" / f"{key}.json"
        import_definition_document(document=json.loads(path.read_text(encoding="utf-8")))
    nationwide_requirements()  # flushed by the transactional tests before this one
    FilingWindowFactory(level="innovative")


def labelled(page, label: str):
    """The input whose label is exactly ``label`` (a required field's label ends in *)."""
    return page.get_by_label(re.compile(rf"^\s*{re.escape(label)}\s*\*?\s*$"))


def unit_of(page, label: str):
    """The unit shown beside the input labelled ``label`` (the input group's text)."""
    return labelled(page, label).locator(
        "xpath=following-sibling::span[contains(@class, 'input-group-text')]"
    )


def test_units_are_shown_and_computed_values_follow_the_typing(forms, enterprise, page):  # noqa: F811
    SHOTS.mkdir(parents=True, exist_ok=True)
    blocked = csp_violations(page)
    log_in(page, "/enterprise/filings/apply/innovative/")
    expect(page.get_by_label("企业名称")).to_be_disabled()  # from the verified profile
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
    expect(page.get_by_role("heading", name="经营数据")).to_be_visible()
    # the score card keeps its distance from the top while the page scrolls: the offset comes
    # from the stylesheet, which the CSP allows (an inline style was blocked) (issue 9 item 20)
    card = page.locator(".score-card")
    expect(card).to_be_visible()
    assert card.evaluate("e => [getComputedStyle(e).position, getComputedStyle(e).top]") == ["sticky", "16px"]
    page.mouse.wheel(0, 1500)
    expect(card).to_be_in_viewport()
    assert round(card.bounding_box()["y"]) == 16

    for label in ("上年度营业收入", "上年度主营业务收入", "上年度研发费用", "上年末资产总额"):
        expect(unit_of(page, label)).to_have_text("万元")
        expect(unit_of(page, label)).to_be_visible()
    expect(unit_of(page, "研发费用占营业收入比重（%）")).to_have_text("%")

    # typing fills the computed values in, before anything is saved
    page.get_by_label("上年度营业收入").fill("1000")
    labelled(page, "上年度主营业务收入").fill("700")
    page.get_by_label("上上年度主营业务收入").fill("600")
    page.get_by_label("上年度研发费用").fill("30")
    page.get_by_label("上年末资产总额").fill("1000")
    page.get_by_label("上年末负债总额").fill("550")
    expect(page.get_by_label("研发费用占营业收入比重（%）")).to_have_value("3.00")
    expect(page.get_by_label("主营业务收入增长率（%）")).to_have_value("16.67")
    expect(page.get_by_label("主营业务收入占营业收入比重（%）")).to_have_value("70.00")
    expect(page.get_by_label("资产负债率（%）")).to_have_value("55.00")
    page.screenshot(path=str(SHOTS / "wizard-units-computed.png"), full_page=True)

    # 暂存, then open the draft again: the computed values are still there
    page.get_by_role("button", name="暂存").click()
    expect(page.get_by_text("已暂存")).to_be_visible()
    page.goto(page.url)  # open the draft again (a GET: reloading would resend the POST)
    expect(page.locator("#conflict")).to_have_count(0)
    expect(page.get_by_label("研发费用占营业收入比重（%）")).to_have_value("3.00")
    expect(page.get_by_label("资产负债率（%）")).to_have_value("55.00")

    # a phone: the unit stays beside the input
    page.set_viewport_size({"width": 390, "height": 844})
    expect(unit_of(page, "上年度营业收入")).to_be_visible()
    page.screenshot(path=str(SHOTS / "wizard-units-phone.png"), full_page=True)
    assert blocked == []  # nothing was refused by the Content-Security-Policy


def test_a_consistency_warning_is_shown_beside_the_field(forms, enterprise, page):  # noqa: F811
    SHOTS.mkdir(parents=True, exist_ok=True)
    log_in(page, "/assessment/start/")  # the questionnaire of the industry, started by 数字化水平评测
    expect(page.get_by_role("heading", name=re.compile("数字化水平评测"))).to_be_visible()
    page.locator('input[name="foundation-equipment_digital_rate"][value="B"]').check()  # (10%,20%]
    page.get_by_label("其中生产设备数量为（台）").fill("40")
    page.get_by_label("实现数字化的生产设备数量为（台）").fill("40")  # 100 %
    expect(unit_of(page, "其中生产设备数量为（台）")).to_have_text("台")
    page.get_by_role("button", name="暂存").click()
    warning = page.locator('.field-notes[data-field="equipment_digital_rate"]')
    expect(warning).to_contain_text("请核对：所选档位与按填报的设备数量计算的数字化率")
    warning.scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / "wizard-consistency-warning.png"), full_page=False)


def test_a_step_too_large_to_send_is_stopped_in_the_page_and_nothing_is_lost(
    transactional_db,
    enterprise,  # noqa: F811
    page,
    settings,
):
    """Issue 9 item 10: the server would refuse the POST (DATA_UPLOAD_MAX_MEMORY_SIZE); the page
    says so before sending, and every field keeps what was typed."""
    from tests.factories.forms import FormDefinitionFactory, FormVersionFactory, field, make_schema

    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 20_000  # small, so the test types little
    definition = FormDefinitionFactory(
        key="e2e_long_text", title="长文本测试表", self_service=True, category="self_test"
    )
    FormVersionFactory(
        definition=definition,
        schema=make_schema(
            field("product", "text", "主要产品", max_length=100),
            field("story", "textarea", "企业简介", max_length=100_000),
            title="长文本测试表",
        ),
    )
    log_in(page, "/forms/fill/e2e_long_text/")
    labelled(page, "主要产品").fill("工业压力传感器")
    labelled(page, "企业简介").fill("创新" * 8_000)  # 16,000 characters, 48,000 bytes
    url = page.url
    page.get_by_role("button", name="暂存").click()
    alert = page.locator("#post-too-large")
    expect(alert).to_be_visible()
    expect(alert).to_contain_text("企业简介")
    assert page.url == url
    expect(labelled(page, "主要产品")).to_have_value("工业压力传感器")
    assert len(labelled(page, "企业简介").input_value()) == 16_000
    page.screenshot(path=str(SHOTS / "wizard-too-large.png"))
