"""Browser: a verified enterprise uploads its evidence zip on 申报材料 with the progress bar; pauses
and resumes; survives a dropped connection; reloads the page mid-upload and resumes by choosing
the same file again; the real worker process inspects it (检查中 → 通过 without a reload) and the
GBK-named member shows decoded; a second zip with a bad file name is refused by name."""

from __future__ import annotations

import os
import re

import pytest
from django.test import Client
from playwright.sync_api import expect

from portal.filings.models import EvidenceArchive
from tests.filings.conftest import make_legal_user
from tests.filings.worker import DATABASE_TASKS, running_worker
from tests.filings.zipcraft import Entry, build, zip_of

pytestmark = pytest.mark.django_db(transaction=True)
CHUNK = 256 * 1024
SCREENSHOTS = os.environ.get("E2E_SCREENSHOTS")  # a directory, to look at the pages


def shot(page, name: str) -> None:
    if SCREENSHOTS:
        page.screenshot(path=os.path.join(SCREENSHOTS, f"evidence-{name}.png"), full_page=True)


@pytest.fixture
def evidence_setup(settings, tmp_path):
    root = tmp_path / "evidence"
    settings.STORAGES = {
        **settings.STORAGES,
        "evidence": {
            "BACKEND": "portal.filings.evidence.storage.PrivateEvidenceStorage",
            "OPTIONS": {"location": str(root)},
        },
    }
    settings.TASKS = DATABASE_TASKS
    settings.EVIDENCE_CHUNK_BYTES = CHUNK
    return root


@pytest.fixture
def signed_in(page, live_server, evidence_setup):
    user = make_legal_user(name="深圳市浏览器证据科技有限公司")
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    return page


class Network:
    """Holds, drops or lets through the tus PATCH requests, so the test decides when the
    connection stalls (as on a slow line), drops, or comes back."""

    def __init__(self, page):
        self.allow_until = 0  # PATCH requests with a lower number go through
        self.drop = set()  # PATCH numbers answered with a connection reset
        self.count = 0
        self.held = []
        self.offsets = []
        page.route(re.compile(r".*/enterprise/filings/evidence/uploads/.+"), self.handle)

    def handle(self, route, request):
        if request.method != "PATCH":
            route.continue_()
            return
        self.count += 1
        self.offsets.append(int(request.headers["upload-offset"]))
        if self.count in self.drop:
            route.abort("connectionreset")
        elif self.count <= self.allow_until:
            route.continue_()
        else:
            self.held.append(route)

    def release(self, until: int | None = None) -> None:
        """Let requests through again; those held meanwhile were given up by the browser (pause,
        reload): they fail as a dropped connection would."""
        self.allow_until = until if until is not None else 10**9
        held, self.held = self.held, []
        for route in held:
            try:
                route.abort("connectionreset")
            except Exception:  # noqa: BLE001 - already cancelled by the browser
                pass


def server_offset() -> int:
    return EvidenceArchive.objects.get(filename="2026年申报材料.zip").offset


def wait_for(predicate, page, timeout_ms: int = 15_000) -> None:
    for _ in range(timeout_ms // 100):
        if predicate():
            return
        page.wait_for_timeout(100)
    raise AssertionError("condition not reached in time")


def test_resumable_upload_with_progress_pause_drop_reload_and_inspection(signed_in, tmp_path, evidence_setup):
    page = signed_in
    big = tmp_path / "2026年申报材料.zip"
    big.write_bytes(
        build(
            [
                Entry(
                    "申报材料/营业执照副本.pdf".encode("gbk"),
                    b"%PDF-1.7 " + os.urandom(6 * 1024 * 1024),
                    method=0,
                ),
                Entry(
                    "申报材料/知识产权/发明专利证书.pdf".encode("gbk"),
                    b"%PDF-1.7 " + os.urandom(2 * 1024 * 1024),
                    method=0,
                ),
            ]
        )
    )
    chunks = -(-big.stat().st_size // CHUNK)
    network = Network(page)
    network.allow_until = 5

    with running_worker(evidence_setup):
        page.goto("/enterprise/filings/evidence/")
        expect(page.get_by_role("heading", name="申报材料")).to_be_visible()
        expect(page.get_by_text("尚未上传压缩包。")).to_be_visible()
        expect(page.get_by_text("大小不超过 300 MB")).to_be_visible()

        with page.expect_file_chooser() as chooser:
            page.get_by_role("button", name="上传", exact=True).click()
        chooser.value.set_files(str(big))

        # five chunks through, the sixth stalls: the bar shows the progress so far
        wait_for(lambda: len(network.held) == 1, page)
        progress = page.get_by_label("上传进度", exact=True)
        expect(progress).to_have_attribute("value", str(5 * CHUNK * 100 // big.stat().st_size))
        expect(page.get_by_text(re.compile(r"已上传 1\.3 MB / 8 MB（\d+%）")).first).to_be_visible()
        shot(page, "1-uploading")

        # 【暂停】 then 【继续】
        page.get_by_role("button", name="暂停").click()
        expect(page.get_by_text("已暂停，点【继续】接着上传。")).to_be_visible()
        network.release(until=12)
        network.drop = {13, 14}  # then the connection drops twice: tus-js-client retries by itself
        page.get_by_role("button", name="继续", exact=True).click()
        wait_for(lambda: len(network.held) == 1 and network.count >= 15, page)
        assert network.offsets[12] == network.offsets[13] == network.offsets[14]  # the retries resend
        held_at = server_offset()
        assert held_at == network.offsets[-1] == 11 * CHUNK  # 5 before the pause, 6 after it

        # reload in the middle: the page shows the unfinished upload; choosing the file again resumes it
        page.reload()
        network.release()
        row = page.locator("[data-evidence-archive]", has_text="2026年申报材料.zip")
        expect(row.get_by_test_id("archive-state")).to_have_text("上传中")
        expect(row.get_by_text("上传未完成：重新选择同一文件即可从中断处继续。")).to_be_visible()
        shot(page, "2-after-reload")
        requests_before = network.count
        with page.expect_file_chooser() as chooser:
            row.get_by_role("button", name="继续上传").click()
        chooser.value.set_files(str(big))

        # 检查中 appears, then 通过, without reloading the page
        expect(row.get_by_test_id("archive-state")).to_have_text(re.compile("检查中|通过"), timeout=30_000)
        expect(row.get_by_test_id("archive-state")).to_have_text("通过", timeout=30_000)
        assert network.offsets[requests_before] == held_at  # resumed, not restarted
        assert network.count - requests_before == chunks - 11
        row.get_by_text(re.compile("检查通过：共 2 个文件")).click()
        expect(row.get_by_text("申报材料/营业执照副本.pdf")).to_be_visible()
        expect(row.get_by_text("申报材料/知识产权/发明专利证书.pdf")).to_be_visible()
        shot(page, "3-passed")

        # a zip with a name the platform cannot take is refused, naming the member and the character
        bad = tmp_path / "补充材料.zip"
        bad.write_bytes(zip_of({"补充/报告?.pdf": b"%PDF-1.7 x", "补充/说明.pdf": b"%PDF-1.7 y"}))
        with page.expect_file_chooser() as chooser:
            page.get_by_role("button", name="上传", exact=True).click()
        chooser.value.set_files(str(bad))
        bad_row = page.locator("[data-evidence-archive]", has_text="补充材料.zip")
        expect(bad_row.get_by_test_id("archive-state")).to_have_text("未通过", timeout=30_000)
        expect(bad_row.get_by_test_id("refusal")).to_have_text(
            "压缩包内文件“补充/报告?.pdf”的名称含有不支持的字符“?”，请改名后重新上传。"
        )
        shot(page, "4-refused")

        # 【删除】 the refused one (with confirmation); the passed one stays
        page.once("dialog", lambda dialog: dialog.accept())
        bad_row.get_by_role("button", name="删除").click()
        expect(page.get_by_text("已删除“补充材料.zip”。")).to_be_visible()
        expect(page.locator("[data-evidence-archive]")).to_have_count(1)

    archive = EvidenceArchive.objects.get()
    assert archive.state == "passed" and archive.size == big.stat().st_size


def test_replace_a_passed_archive_and_the_old_one_goes_once_the_new_one_passes(
    signed_in, tmp_path, evidence_setup
):
    page = signed_in
    first = tmp_path / "第一版.zip"
    first.write_bytes(zip_of({"申请书.pdf": b"%PDF-1.7 " + os.urandom(3000)}))
    second = tmp_path / "第二版.zip"
    second.write_bytes(zip_of({"申请书（修订）.pdf": b"%PDF-1.7 " + os.urandom(3000)}))
    with running_worker(evidence_setup):
        page.goto("/enterprise/filings/evidence/")
        with page.expect_file_chooser() as chooser:
            page.get_by_role("button", name="上传", exact=True).click()
        chooser.value.set_files(str(first))
        old_row = page.locator("[data-evidence-archive]", has_text="第一版.zip")
        expect(old_row.get_by_test_id("archive-state")).to_have_text("通过", timeout=30_000)

        with page.expect_file_chooser() as chooser:
            old_row.get_by_role("button", name="替换").click()
        chooser.value.set_files(str(second))
        new_row = page.locator("[data-evidence-archive]", has_text="第二版.zip")
        expect(new_row.get_by_test_id("archive-state")).to_have_text("通过", timeout=30_000)
        expect(page.locator("[data-evidence-archive]", has_text="第一版.zip")).to_have_count(0)
    assert list(EvidenceArchive.objects.values_list("filename", flat=True)) == ["第二版.zip"]
