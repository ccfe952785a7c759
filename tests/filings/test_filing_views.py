"""企业申报信息 pages (/enterprise/filings/): 【申请】 and its refusals, the wizard on a filing, the
confirmation page, 【确认提交】, 【详情】, 【下载】 and 【撤回】 — each for its owner only."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess

import pytest
from django.test import Client
from django.utils import timezone

from forms_engine.models import FormSubmission
from portal.core.dates import chinese_datetime as when
from portal.filings import pdf
from portal.filings.models import Filing, FilingWindow
from portal.filings.states import State
from tests.accounts.factories import AccountFactory
from tests.assessments.conftest import take
from tests.factories.filings import (
    INNOVATION_ANSWERS,
    EvidenceArchiveFactory,
    FilingEnterpriseFactory,
    FilingFactory,
    FilingWindowFactory,
    answer,
    filing_forms,
    submitted_filing,
)
from tests.forms_engine.test_wizard import STEP_FIELDS, post_value

pytestmark = pytest.mark.django_db

PK_URLS = [
    ("get", "/enterprise/filings/{pk}/"),
    ("get", "/enterprise/filings/{pk}/fill/"),
    ("post", "/enterprise/filings/{pk}/fill/"),
    ("get", "/enterprise/filings/{pk}/submit/"),
    ("post", "/enterprise/filings/{pk}/submit/"),
    ("get", "/enterprise/filings/{pk}/pdf/"),
    ("post", "/enterprise/filings/{pk}/withdraw/"),
]
SIGNED_IN_URLS = [
    "/enterprise/filings/",
    "/enterprise/filings/apply/innovative/",
    "/enterprise/filings/{pk}/",
    "/enterprise/filings/{pk}/fill/",
    "/enterprise/filings/{pk}/submit/",
    "/enterprise/filings/{pk}/pdf/",
]


@pytest.fixture(autouse=True)
def forms(db):
    filing_forms()


@pytest.fixture
def enterprise():
    return FilingEnterpriseFactory(name="深圳市申报测试科技有限公司")


@pytest.fixture
def window():
    return FilingWindowFactory()


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def owner(enterprise) -> Client:
    return signed_in(enterprise.owner)


def pdf_text(content: bytes, tmp_path) -> str:
    path = tmp_path / "filing.pdf"
    path.write_bytes(content)
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True
    ).stdout.decode()


# --- who may open what ---------------------------------------------------------------------------


@pytest.mark.parametrize(("method", "url"), PK_URLS)
def test_another_enterprises_filing_is_not_found(window, method, url):
    theirs = submitted_filing(window=window)
    draft = FilingFactory(window=window)  # a draft of yet another enterprise, for the draft-only pages
    stranger = signed_in(FilingEnterpriseFactory().owner)
    for filing in (theirs, draft):
        response = getattr(stranger, method)(url.format(pk=filing.pk))
        assert response.status_code == 404, (url, filing.state)
    theirs.refresh_from_db()
    assert theirs.state == State.PENDING and Filing.objects.get(pk=draft.pk).state == State.DRAFT


@pytest.mark.parametrize(("method", "url"), PK_URLS)
def test_a_filing_id_that_does_not_exist_is_not_found(owner, method, url):
    assert getattr(owner, method)(url.format(pk=999_999)).status_code == 404


@pytest.mark.parametrize("url", SIGNED_IN_URLS)
def test_anonymous_visitor_is_sent_to_login_and_back(client, window, url):
    url = url.format(pk=submitted_filing(window=window).pk)
    response = client.get(url)
    assert response.status_code == 302 and response["Location"] == f"/accounts/login/?next={url}"


@pytest.mark.parametrize(
    ("legacy", "level"),
    [("innovation", "innovative"), ("specialized", "specialized"), ("little-giant", "little_giant")],
)
def test_legacy_entry_redirects_to_apply(client, legacy, level):
    response = client.get(f"/enterprise/filings/{legacy}/")
    assert response.status_code == 302 and response["Location"] == f"/enterprise/filings/apply/{level}/"


def test_natural_person_is_told_to_use_a_legal_person_account(window):
    natural = AccountFactory(user_type="natural", verification_status="verified").user
    response = signed_in(natural).get("/enterprise/filings/apply/innovative/")
    assert "需通过【法人账户】完成申报" in response.content.decode()
    assert not Filing.objects.exists()


# --- 【申请】 ---------------------------------------------------------------------------------------


def test_apply_starts_a_filing_and_opens_its_form(owner, window):
    response = owner.get("/enterprise/filings/apply/innovative/")
    filing = Filing.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/enterprise/filings/{filing.pk}/fill/"


def test_apply_twice_resumes_the_same_filing(owner, window):
    first = owner.get("/enterprise/filings/apply/innovative/")["Location"]
    assert owner.get("/enterprise/filings/apply/innovative/")["Location"] == first
    assert Filing.objects.count() == 1


def test_apply_for_a_submitted_filing_shows_its_details(owner, enterprise, window):
    filing = submitted_filing(enterprise=enterprise, window=window)
    response = owner.get("/enterprise/filings/apply/innovative/")
    assert response["Location"] == f"/enterprise/filings/{filing.pk}/"


def test_apply_for_an_unknown_level_is_not_found(owner):
    assert owner.get("/enterprise/filings/apply/gold/").status_code == 404


def test_apply_refusal_names_the_reason_and_the_way_to_fix_it(owner):
    FilingWindowFactory(level="specialized")
    response = owner.get("/enterprise/filings/apply/specialized/")
    body = response.content.decode()
    assert response.status_code == 403 and response.context["code"] == "assessment_required"
    assert 'data-code="assessment_required"' in body and "请先完成数字化水平评测" in body
    assert 'href="/assessment/"' in body and "【去自评】" in body
    assert not Filing.objects.exists()


def test_apply_refusal_outside_the_window_gives_the_window_and_the_faq(owner):
    now = timezone.now()
    upcoming = FilingWindowFactory(opens_at=now + dt.timedelta(days=3), closes_at=now + dt.timedelta(days=9))
    response = owner.get("/enterprise/filings/apply/innovative/")
    body = response.content.decode()
    assert response.status_code == 403 and response.context["code"] == "not_yet_open"
    assert when(upcoming.opens_at) in body and 'href="/faq/"' in body


def test_apply_refusal_for_little_giant_names_the_missing_recognition(owner):
    FilingWindowFactory(level="little_giant")
    response = owner.get("/enterprise/filings/apply/little_giant/")
    assert response.status_code == 403 and response.context["code"] == "recognition_required"
    assert "须为有效期内的专精特新中小企业" in response.content.decode()


def test_apply_after_the_assessment_starts_the_specialized_filing(owner, enterprise, questionnaires):
    FilingWindowFactory(level="specialized")
    take(enterprise)
    response = owner.get("/enterprise/filings/apply/specialized/")
    assert response.status_code == 302 and Filing.objects.get().level == "specialized"


# --- the index ---------------------------------------------------------------------------------------


def test_index_offers_apply_for_an_open_level_and_lists_the_history(owner, enterprise, window):
    filing = submitted_filing(enterprise=enterprise, window=window)
    body = owner.get("/enterprise/filings/").content.decode()
    assert (
        f'href="/enterprise/filings/{filing.pk}/"' in body
        and f'href="/enterprise/filings/{filing.pk}/pdf/"' in body
    )
    assert filing.state_label in body


def test_index_says_a_level_without_a_window_is_not_open(owner):
    body = owner.get("/enterprise/filings/").content.decode()
    assert 'data-testid="window-closed"' in body and 'href="/enterprise/filings/apply/' not in body


# --- the wizard on the filing --------------------------------------------------------------------------


class FilingFiller:
    """The wizard at /enterprise/filings/<pk>/fill/, one step at a time."""

    def __init__(self, client: Client, filing: Filing):
        self.client, self.url = client, f"/enterprise/filings/{filing.pk}/fill/"
        self.prefix = f"form_{filing.submission.version_id}"
        self.response = client.get(self.url)
        assert self.response.status_code == 200

    def fill_step(self, step: str, action: str = "next"):
        data = {
            f"{self.prefix}-current_step": step,
            "wizard_action": action,
            "wizard_revision": self.response.context["revision"],
        }
        for key in STEP_FIELDS[step]:
            if key in INNOVATION_ANSWERS:
                data[f"{step}-{key}"] = post_value(INNOVATION_ANSWERS[key])
        self.response = self.client.post(self.url, data)
        return self.response


def test_fill_shows_the_wizard_inside_the_centre(owner, enterprise, window):
    filing = FilingFactory(enterprise=enterprise, window=window)
    response = owner.get(f"/enterprise/filings/{filing.pk}/fill/")
    body = response.content.decode()
    assert response.status_code == 200 and 'id="centre-nav-title"' in body and "【暂存】" in body


def test_fill_save_keeps_the_draft_for_the_next_visit(owner, enterprise, window):
    filing = FilingFactory(enterprise=enterprise, window=window)
    filler = FilingFiller(owner, filing)
    filler.fill_step("basic", action="save")
    filing.submission.refresh_from_db()
    assert filing.submission.answers["main_product"] == INNOVATION_ANSWERS["main_product"]
    assert signed_in(enterprise.owner).get(filler.url).context["step"].key == "basic"


def test_fill_submit_leads_to_the_confirmation_page_without_submitting(owner, enterprise, window):
    filing = FilingFactory(enterprise=enterprise, window=window)
    filler = FilingFiller(owner, filing)
    for step in ("basic", "finance", "indicators"):
        filler.fill_step(step)
    response = filler.fill_step("direct", action="submit")
    assert response.status_code == 302 and response["Location"] == f"/enterprise/filings/{filing.pk}/submit/"
    filing.refresh_from_db()
    assert filing.state == State.DRAFT and filing.submission.is_draft


def test_fill_of_a_submitted_filing_shows_its_details(owner, enterprise, window):
    filing = submitted_filing(enterprise=enterprise, window=window)
    response = owner.get(f"/enterprise/filings/{filing.pk}/fill/")
    assert response.status_code == 302 and response["Location"] == f"/enterprise/filings/{filing.pk}/"


# --- the confirmation page and 【确认提交】 ---------------------------------------------------------


def test_confirmation_page_shows_score_and_outcome(owner, enterprise, window):
    filing = answer(FilingFactory(enterprise=enterprise, window=window))
    response = owner.get(f"/enterprise/filings/{filing.pk}/submit/")
    body = response.content.decode()
    view = response.context["view"]
    assert (view.score.total, view.score.qualified, view.problems) == ("85", True, [])
    assert 'data-testid="score-total"' in body and view.score.outcome_label in body
    assert view.can_submit


def test_confirmation_page_lists_the_answers_still_to_fix(owner, enterprise, window):
    filing = answer(
        FilingFactory(enterprise=enterprise, window=window), {**INNOVATION_ANSWERS, "main_product": ""}
    )
    response = owner.get(f"/enterprise/filings/{filing.pk}/submit/")
    view = response.context["view"]
    assert [problem.label for problem in view.problems] == ["主导产品名称"]
    assert 'data-testid="problems"' in response.content.decode() and not view.can_submit


def test_confirmation_page_offers_the_passed_zips_to_choose(owner, enterprise, window):
    filing = answer(FilingFactory(enterprise=enterprise, window=window))
    archive = EvidenceArchiveFactory(enterprise=enterprise)
    body = owner.get(f"/enterprise/filings/{filing.pk}/submit/").content.decode()
    assert 'name="evidence"' in body and f'value="{archive.public_id}"' in body
    assert 'form="filing-submit-form"' in body


def test_confirm_submits_and_shows_the_details(owner, enterprise, window):
    filing = answer(FilingFactory(enterprise=enterprise, window=window))
    archive = EvidenceArchiveFactory(enterprise=enterprise)
    response = owner.post(
        f"/enterprise/filings/{filing.pk}/submit/",
        {"evidence": str(archive.public_id), "revision": filing.submission.revision},
    )
    assert response.status_code == 302 and response["Location"] == f"/enterprise/filings/{filing.pk}/"
    filing.refresh_from_db()
    assert filing.state == State.PENDING and filing.evidence == archive


def test_confirm_without_a_zip_is_refused_with_the_reason(owner, enterprise, window):
    filing = answer(FilingFactory(enterprise=enterprise, window=window))
    response = owner.post(f"/enterprise/filings/{filing.pk}/submit/", {})
    assert response.status_code == 409 and response.context["refusal"].code == "evidence_required"
    assert 'data-code="evidence_required"' in response.content.decode()


def test_confirm_after_the_window_closed_is_refused(owner, enterprise, window):
    filing = answer(FilingFactory(enterprise=enterprise, window=window))
    archive = EvidenceArchiveFactory(enterprise=enterprise)
    assert owner.get(f"/enterprise/filings/{filing.pk}/submit/").status_code == 200
    FilingWindow.objects.filter(pk=window.pk).update(closes_at=timezone.now() - dt.timedelta(seconds=1))
    response = owner.post(f"/enterprise/filings/{filing.pk}/submit/", {"evidence": str(archive.public_id)})
    assert response.status_code == 409 and response.context["refusal"].code == "window_closed"
    assert Filing.objects.get(pk=filing.pk).state == State.DRAFT


def test_confirm_with_another_enterprises_zip_is_refused(owner, enterprise, window):
    filing = answer(FilingFactory(enterprise=enterprise, window=window))
    theirs = EvidenceArchiveFactory()
    response = owner.post(f"/enterprise/filings/{filing.pk}/submit/", {"evidence": str(theirs.public_id)})
    assert response.status_code == 400 and Filing.objects.get(pk=filing.pk).evidence is None


def test_confirm_with_answers_to_fix_goes_back_to_the_form(owner, enterprise, window):
    filing = FilingFactory(enterprise=enterprise, window=window)
    archive = EvidenceArchiveFactory(enterprise=enterprise)
    response = owner.post(f"/enterprise/filings/{filing.pk}/submit/", {"evidence": str(archive.public_id)})
    assert response.status_code == 302 and response["Location"] == f"/enterprise/filings/{filing.pk}/fill/"


def test_confirm_twice_is_harmless(owner, enterprise, window):
    filing = answer(FilingFactory(enterprise=enterprise, window=window))
    data = {"evidence": str(EvidenceArchiveFactory(enterprise=enterprise).public_id)}
    owner.post(f"/enterprise/filings/{filing.pk}/submit/", data)
    response = owner.post(f"/enterprise/filings/{filing.pk}/submit/", data)
    assert response.status_code == 302 and response["Location"] == f"/enterprise/filings/{filing.pk}/"
    assert FormSubmission.objects.get().revisions.count() == 1


def test_confirmation_page_of_a_submitted_filing_shows_its_details(owner, enterprise, window):
    filing = submitted_filing(enterprise=enterprise, window=window)
    response = owner.get(f"/enterprise/filings/{filing.pk}/submit/")
    assert response.status_code == 302 and response["Location"] == f"/enterprise/filings/{filing.pk}/"


# --- 【详情】 ---------------------------------------------------------------------------------------


def test_detail_shows_state_answers_and_timeline(owner, enterprise, window):
    filing = submitted_filing(enterprise=enterprise, window=window)
    response = owner.get(f"/enterprise/filings/{filing.pk}/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "待审核" in body and INNOVATION_ANSWERS["main_product"] in body
    assert [event.action for event in response.context["view"].events] == ["create", "submit"]
    assert "开始填写" in body and "提交申报" in body


# --- 【下载】 -----------------------------------------------------------------------------------------


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext) is not installed")
def test_pdf_is_a_pdf_with_name_uscc_and_answers(owner, enterprise, window, tmp_path):
    filing = submitted_filing(enterprise=enterprise, window=window)
    response = owner.get(f"/enterprise/filings/{filing.pk}/pdf/")
    content = b"".join(response.streaming_content)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"] and content.startswith(b"%PDF")
    text = pdf_text(content, tmp_path)
    compact = "".join(text.split())
    assert enterprise.name in compact and enterprise.uscc in compact
    assert INNOVATION_ANSWERS["main_product"] in compact


def test_pdf_second_download_serves_the_stored_file(
    owner, enterprise, window, monkeypatch, filing_documents_root
):
    filing = submitted_filing(enterprise=enterprise, window=window)
    first = b"".join(owner.get(f"/enterprise/filings/{filing.pk}/pdf/").streaming_content)

    def render_again(_filing):
        raise AssertionError("rendered again")

    monkeypatch.setattr(pdf, "render_filing_pdf", render_again)
    second = b"".join(owner.get(f"/enterprise/filings/{filing.pk}/pdf/").streaming_content)
    assert second == first and len(list(filing_documents_root.rglob("*.pdf"))) == 1


def test_pdf_of_a_filing_never_submitted_is_not_found(owner, enterprise, window):
    filing = FilingFactory(enterprise=enterprise, window=window)
    assert owner.get(f"/enterprise/filings/{filing.pk}/pdf/").status_code == 404


# --- 【撤回】 ---------------------------------------------------------------------------------------


def test_withdraw_ends_a_draft_and_returns_to_the_index(owner, enterprise, window):
    filing = FilingFactory(enterprise=enterprise, window=window)
    response = owner.post(f"/enterprise/filings/{filing.pk}/withdraw/")
    assert response.status_code == 302 and response["Location"] == "/enterprise/filings/"
    assert Filing.objects.get(pk=filing.pk).state == State.WITHDRAWN


def test_withdraw_of_a_submitted_filing_is_refused_with_a_message(owner, enterprise, window):
    filing = submitted_filing(enterprise=enterprise, window=window)
    response = owner.post(f"/enterprise/filings/{filing.pk}/withdraw/", follow=True)
    assert response.redirect_chain[-1][0] == f"/enterprise/filings/{filing.pk}/"
    assert Filing.objects.get(pk=filing.pk).state == State.PENDING
    assert [m.level_tag for m in response.context["messages"]] == ["error"]


def test_withdraw_answers_get_with_method_not_allowed(owner, enterprise, window):
    filing = FilingFactory(enterprise=enterprise, window=window)
    assert owner.get(f"/enterprise/filings/{filing.pk}/withdraw/").status_code == 405


def test_confirm_with_a_malformed_zip_id_is_refused(owner, enterprise, window):
    filing = answer(FilingFactory(enterprise=enterprise, window=window))
    response = owner.post(f"/enterprise/filings/{filing.pk}/submit/", {"evidence": "not-a-zip-id"})
    assert response.status_code == 400 and Filing.objects.get(pk=filing.pk).state == State.DRAFT
