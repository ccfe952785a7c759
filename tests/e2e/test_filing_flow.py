"""Browser: 企业申报 as an enterprise walks it, by visible labels (issue 11).

A verified enterprise in 广东, where every level's 申报时间 is open: 企业申报信息 → 【申请】
创新型中小企业 → the self-test (暂存 once) → 提交 → the confirmation page with the score → 其他材料:
a small zip uploaded and checked (通过) → 确认提交 → the details with 待审核 and the timeline →
【下载】 the PDF. 专精特新中小企业 is refused until the assessment is done (【去自评】), 专精特新
“小巨人” for an enterprise that is not recognised. Screenshots at desktop and phone size go to
/tmp/filing-shots/ (FILING_SHOTS to change).
"""

from __future__ import annotations

import io
import os
import re
import zipfile
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import sign_in
from tests.factories.filings import (
    FilingEnterpriseFactory,
    FilingWindowFactory,
    filing_forms,
    nationwide_requirements,
)

pytestmark = pytest.mark.django_db(transaction=True)

SHOTS = Path(os.environ.get("FILING_SHOTS", "/tmp/filing-shots"))
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def shot(page, name: str) -> None:
    """A full-page screenshot at desktop and at phone size; at phone size nothing scrolls sideways."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    for size, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size(viewport)
        page.screenshot(path=str(SHOTS / f"{name}-{size}.png"), full_page=True)
        if size == "phone":
            assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), name
    page.set_viewport_size(DESKTOP)


@pytest.fixture
def enterprise(transactional_db, settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "evidence": {
            "BACKEND": "portal.filings.evidence.storage.PrivateEvidenceStorage",
            "OPTIONS": {"location": str(tmp_path / "evidence")},
        },
        "filing_documents": {
            "BACKEND": "portal.filings.evidence.storage.PrivateEvidenceStorage",
            "OPTIONS": {"location": str(tmp_path / "filing-documents")},
        },
    }
    nationwide_requirements()  # flushed by the transactional tests before this one
    filing_forms("innovative")
    enterprise = FilingEnterpriseFactory(name="深圳市流程测试科技有限公司")
    for level in ("innovative", "specialized", "little_giant"):
        FilingWindowFactory(level=level, batch=1)
    return enterprise


def choose(page, name: str, value: str) -> None:
    page.locator(f'input[name="{name}"][value="{value}"]').check()


def small_zip(tmp_path) -> Path:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("申报材料/营业执照.txt", "营业执照副本")
        archive.writestr("申报材料/知识产权清单.txt", "发明专利 1 项")
    path = tmp_path / "申报材料.zip"
    path.write_bytes(buffer.getvalue())
    return path


def fill_the_self_test(page) -> None:
    """The four steps of the self-test, with 暂存 once on the second."""
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
    page.get_by_label("上年度营业收入").fill("1000")
    page.get_by_label(re.compile(r"^\s*上年度主营业务收入")).fill("700")
    page.get_by_role("button", name="暂存").click()
    expect(page.get_by_text("已暂存")).to_be_visible()
    page.get_by_label("上上年度主营业务收入").fill("600")
    page.get_by_label("上年度研发费用").fill("30")
    page.get_by_label("上年末资产总额").fill("1000")
    page.get_by_label("上年末负债总额").fill("550")
    page.get_by_role("button", name="下一步").click()

    choose(page, "indicators-ip_class", "C")
    choose(page, "indicators-main_product_field", "strategic")
    page.get_by_role("button", name="下一步").click()

    for key in ("st_award", "valid_honour", "rd_institution"):
        choose(page, f"direct-{key}", "false")
    page.get_by_label("近三年新增股权融资总额（合格机构投资者的实缴额）").fill("0")
    choose(page, "direct-pledge_truthful", "true")


def test_innovation_filing_from_apply_to_pdf(page, live_server, enterprise, tmp_path):
    sign_in(page, live_server, enterprise.owner.username)
    page.goto("/enterprise/home/")
    page.get_by_role("navigation", name="企业信息管理").get_by_role("link", name="企业申报信息").click()
    expect(page.get_by_role("heading", name="企业申报信息", level=1)).to_be_visible()
    shot(page, "01-filings")

    page.get_by_role("link", name="【申请】 创新型中小企业").click()
    expect(page.get_by_role("heading", name="创新型中小企业自测表")).to_be_visible()
    expect(page.get_by_label("企业名称")).to_have_value(enterprise.name)
    shot(page, "02-self-test")
    fill_the_self_test(page)
    page.get_by_role("button", name="提交").click()

    # the confirmation page: score and outcome, nothing submitted yet
    expect(page.get_by_role("heading", name="确认提交：创新型中小企业")).to_be_visible()
    expect(page.get_by_test_id("score-total")).to_contain_text("85")
    expect(page.get_by_test_id("score-outcome")).to_have_text("符合创新型中小企业公告条件")
    shot(page, "03-confirm")

    # 其他材料: upload a small zip, wait until it is checked, use it for this filing
    with page.expect_file_chooser() as chooser:
        page.get_by_role("button", name="上传", exact=True).click()
    chooser.value.set_files(str(small_zip(tmp_path)))
    row = page.locator("[data-evidence-archive]").filter(has_text="申报材料.zip")
    expect(row.get_by_test_id("archive-state")).to_have_text("通过", timeout=30_000)
    use = page.get_by_label("用于本次申报（“申报材料.zip”）")
    use.check()
    shot(page, "04-evidence-passed")

    page.get_by_role("button", name="确认提交").click()
    expect(page.get_by_text("提交成功，申报已进入审核。")).to_be_visible()
    expect(page.get_by_test_id("filing-state")).to_contain_text("待审核")
    timeline = page.get_by_test_id("timeline")
    expect(timeline).to_contain_text("开始填写")
    expect(timeline).to_contain_text("提交申报")
    shot(page, "05-detail")

    with page.expect_download() as download:
        page.get_by_role("link", name="【下载】申报书 PDF").click()
    saved = tmp_path / "download.pdf"
    download.value.save_as(saved)
    assert download.value.suggested_filename.endswith(".pdf")
    assert saved.read_bytes().startswith(b"%PDF")


def test_specialized_is_refused_until_the_assessment_is_done(page, live_server, enterprise):
    sign_in(page, live_server, enterprise.owner.username)
    page.goto("/enterprise/filings/")
    page.get_by_role("link", name="【申请】 专精特新中小企业").click()
    expect(page.get_by_test_id("refusal")).to_contain_text("请先完成数字化水平评测")
    shot(page, "06-specialized-refused")
    page.get_by_role("link", name="【去自评】").click()
    expect(page.get_by_role("heading", name="数字化水平评测", level=1)).to_be_visible()


def test_little_giant_is_refused_for_an_enterprise_not_recognised(page, live_server, enterprise):
    sign_in(page, live_server, enterprise.owner.username)
    page.goto("/enterprise/filings/")
    page.get_by_role("link", name="【申请】 专精特新“小巨人”").click()
    expect(page.get_by_test_id("refusal")).to_contain_text("须为有效期内的专精特新中小企业")
    shot(page, "07-little-giant-refused")
