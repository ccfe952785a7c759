"""Browser: issue 11's "done when" in one walk — a verified enterprise that took the digital
assessment files 专精特新中小企业 in an open window, uploads a 300 MB zip on the confirmation page
with the progress bar (a GBK-named member accepted and shown decoded; a second zip with a bad
member name refused by name), the real task worker checks it, 确认提交, the timeline, the PDF; and
专精特新“小巨人” is refused with its reason. (The assessment itself is walked in test_assessment.py,
the 创新型 filing in test_filing_flow.py.)"""

from __future__ import annotations

import os
import re

import pytest
from playwright.sync_api import expect

from forms_engine import services as engine
from portal.filings.models import EvidenceArchive, Filing
from tests.assessments.conftest import take
from tests.e2e.helpers import sign_in
from tests.factories.filings import (
    FilingEnterpriseFactory,
    FilingWindowFactory,
    filing_forms,
    nationwide_requirements,
)
from tests.filings.worker import DATABASE_TASKS, running_worker
from tests.filings.zipcraft import Entry, build

pytestmark = pytest.mark.django_db(transaction=True)

MB = 1024 * 1024
# the 2026 专精特新 conditions, all met (the wizard's steps are walked, the typing is done here)
SPECIALIZED_ANSWERS = {
    "main_product": "工业压力传感器",
    "is_tech_innovative": True,
    "niche_years": 5,
    "revenue": 2000,
    "revenue_prev": 2000,
    "main_revenue": 1800,
    "equity_financing_2y": 0,
    "total_assets": 1000,
    "total_liabilities": 500,
    "rd_spend": 120,
    "rd_spend_prev": 110,
    "ip_class1_count": 2,
    "provincial_award_top3": False,
    "has_rd_institution": False,
    "market_share_leading": True,
    "market_share_statement": "国内细分市场排名第三。",
    "development_score": 60,
    "pledge_truthful": True,
}


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
    settings.TASKS = DATABASE_TASKS
    nationwide_requirements()
    filing_forms()
    from tests.forms_engine.conftest import load_document

    engine.import_definition_document(document=load_document("digital_manufacturing"))
    enterprise = FilingEnterpriseFactory(name="深圳市三百兆科技有限公司")
    for level in ("innovative", "specialized", "little_giant"):
        FilingWindowFactory(level=level, batch=1)
    take(enterprise)  # the digital assessment, submitted
    return enterprise


def big_zip(path) -> None:
    """A 299 MB zip whose member names are GBK, as Chinese Windows writes them (no UTF-8 flag)."""
    path.write_bytes(
        build(
            [
                Entry(
                    "申报材料/营业执照副本.pdf".encode("gbk"), b"%PDF-1.7 " + os.urandom(200 * MB), method=0
                ),
                Entry(
                    "申报材料/知识产权/发明专利证书.pdf".encode("gbk"),
                    b"%PDF-1.7 " + os.urandom(99 * MB),
                    method=0,
                ),
            ]
        )
    )


def bad_zip(path) -> None:
    path.write_bytes(build([Entry("申报材料/审计报告?.pdf", b"%PDF-1.7 report", method=0)]))


def upload(page, path) -> None:
    with page.expect_file_chooser() as chooser:
        page.get_by_role("button", name="上传", exact=True).click()
    chooser.value.set_files(str(path))


def test_specialized_filing_with_a_300_mb_zip_from_apply_to_pdf(page, live_server, enterprise, tmp_path):
    big, bad = tmp_path / "2026年专精特新申报材料.zip", tmp_path / "补充材料.zip"
    big_zip(big)
    bad_zip(bad)
    assert 295 * MB < big.stat().st_size <= 300 * MB
    sign_in(page, live_server, enterprise.owner.username)
    page.set_default_timeout(30_000)

    # 小巨人 first: refused with its reason (not a recognised 专精特新中小企业)
    page.goto("/enterprise/filings/")
    page.get_by_role("link", name="【申请】 专精特新“小巨人”").click()
    expect(page.get_by_test_id("refusal")).to_contain_text("须为有效期内的专精特新中小企业")

    # 专精特新: the assessment is done, so 【申请】 opens the form
    page.goto("/enterprise/filings/")
    page.get_by_role("link", name="【申请】 专精特新中小企业").click()
    expect(page.get_by_label("企业名称")).to_have_value(enterprise.name)
    filing = Filing.objects.get(enterprise=enterprise, level="specialized")
    submission = filing.submission
    engine.save_submission_progress(
        submission=submission,
        expected_revision=submission.revision,
        wizard_state={},
        answers={**submission.answers, **SPECIALIZED_ANSWERS},
    )
    page.reload()
    while page.get_by_role("button", name="下一步").count():
        page.get_by_role("button", name="下一步").click()
    page.get_by_role("button", name="提交").click()
    expect(page.get_by_role("heading", name="确认提交：专精特新中小企业")).to_be_visible()
    expect(page.get_by_test_id("score-outcome")).to_be_visible()

    # a line of ~40 MB/s: each 5 MB chunk takes its time, so the progress is seen moving
    def slow_line(route, request):
        if request.method == "PATCH":
            page.wait_for_timeout(120)
        route.continue_()

    page.route(re.compile(r".*/enterprise/filings/evidence/uploads/.+"), slow_line)
    with running_worker(tmp_path / "evidence"):
        upload(page, big)
        expect(page.locator("[data-progress-panel]")).to_be_visible()
        expect(page.get_by_text(re.compile(r"已上传 .+ / 29\d(\.\d)? MB（\d+%）")).first).to_be_visible(
            timeout=30_000
        )
        expect(page.locator("[data-progress]")).not_to_have_attribute("value", "0", timeout=60_000)
        row = page.locator("[data-evidence-archive]").filter(has_text=big.name)
        expect(row.get_by_test_id("archive-state")).to_have_text("通过", timeout=240_000)
        row.locator("summary").click()
        expect(row).to_contain_text("营业执照副本.pdf")  # the GBK name, decoded
        expect(row).to_contain_text("发明专利证书.pdf")

        upload(page, bad)
        refused = page.locator("[data-evidence-archive]").filter(has_text=bad.name)
        expect(refused.get_by_test_id("refusal")).to_be_visible(timeout=60_000)
        message = refused.get_by_test_id("refusal").inner_text()
        assert "审计报告?.pdf" in message and "不支持的字符“?”" in message, message

    archive = EvidenceArchive.objects.get(filename=big.name)
    assert archive.state == "passed" and archive.size == big.stat().st_size
    expect(page.get_by_label(f"用于本次申报（“{big.name}”）")).to_be_checked()
    page.get_by_role("button", name="确认提交").click()
    expect(page.get_by_text("提交成功，申报已进入审核。")).to_be_visible()
    expect(page.get_by_test_id("filing-state")).to_contain_text("待审核")
    timeline = page.get_by_test_id("timeline")
    expect(timeline).to_contain_text("开始填写")
    expect(timeline).to_contain_text("提交申报")
    with page.expect_download() as download:
        page.get_by_role("link", name="【下载】申报书 PDF").click()
    saved = tmp_path / "filing.pdf"
    download.value.save_as(saved)
    assert saved.read_bytes().startswith(b"%PDF")
    filing.refresh_from_db()
    assert filing.state == "pending" and filing.evidence_id == archive.pk
