"""The wizard as an enterprise uses it: steps, 暂存, 上一步/下一步, 提交, conflicts, drafts across sessions."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from forms_engine.models import FormSubmission, FormVersion
from tests.forms_engine.conftest import INNOVATION_ANSWERS

pytestmark = pytest.mark.django_db

STEP_FIELDS = {
    "basic": [
        "enterprise_name",
        "uscc",
        "main_product",
        "independent_legal_person",
        "is_sme",
        "not_on_lists",
        "no_major_incident",
        "product_permitted",
    ],
    "finance": [
        "revenue",
        "main_revenue",
        "main_revenue_prev",
        "rd_spend",
        "total_assets",
        "total_liabilities",
    ],
    "indicators": ["ip_class", "main_product_field"],
    "direct": ["st_award", "valid_honour", "rd_institution", "equity_financing", "pledge_truthful"],
}


def post_value(value):
    if value is True:
        return "true"
    if value is False:
        return "false"
    return str(value)


class Filler:
    """Drives one browser tab: remembers the revision the page was rendered with."""

    def __init__(self, client: Client, url: str, version: FormVersion):
        self.client, self.url, self.prefix = client, url, f"form_{version.pk}"
        self.response = client.get(url)
        assert self.response.status_code == 200

    @property
    def step(self) -> str:
        return self.response.context["step"].key

    def post(self, action: str, values: dict | None = None, *, step: str | None = None, **extra):
        step = step or self.step
        data = {
            f"{self.prefix}-current_step": step,
            "wizard_action": action,
            "wizard_revision": self.response.context["revision"],
            **extra,
        }
        for key, value in (values or {}).items():
            data[f"{step}-{key}"] = post_value(value)
        self.response = self.client.post(self.url, data)
        return self.response

    def fill_step(self, step: str, action: str = "next", **overrides):
        values = {k: INNOVATION_ANSWERS[k] for k in STEP_FIELDS[step]}
        values.update(overrides)
        return self.post(action, values, step=step)


@pytest.fixture
def logged_in(client, enterprise_user):
    client.force_login(enterprise_user)
    return client


@pytest.fixture
def filler(logged_in, innovation_definition):
    response = logged_in.get("/forms/fill/innovation_self_test/")
    assert response.status_code == 302
    submission = FormSubmission.objects.get()
    return Filler(logged_in, response["Location"], submission.version)


def errors_of(response) -> dict:
    form = response.context["wizard"]["form"]
    return {key: [str(e) for e in errs] for key, errs in form.errors.items()}


def test_anonymous_user_is_sent_to_login_and_back(client, innovation_definition):
    response = client.get("/forms/fill/innovation_self_test/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/forms/fill/innovation_self_test/")


def test_filing_forms_are_not_self_service(logged_in, innovation_definition):
    innovation_definition.self_service = False
    innovation_definition.save()
    assert logged_in.get("/forms/fill/innovation_self_test/").status_code == 404


def test_first_page_shows_the_manual_buttons(filler):
    html = filler.response.content.decode()
    assert "暂存" in html and "下一步" in html and "上一步" not in html
    assert "基本情况" in html and "得分预览" in html


def test_next_with_errors_stays_on_the_step_with_chinese_messages_and_keeps_input(filler):
    response = filler.fill_step("basic", uscc="abc123", is_sme="")
    assert response.status_code == 200 and filler.step == "basic"
    errors = errors_of(response)
    assert errors["uscc"] == ["请输入18位统一社会信用代码（数字或大写字母）"]
    assert errors["is_sme"] == ["此项为必填项"]
    html = response.content.decode()
    assert 'value="abc123"' in html and "深圳市测试传感科技有限公司" in html


def test_save_keeps_invalid_input_without_showing_errors(filler):
    response = filler.fill_step("basic", action="save", uscc="abc123")
    assert filler.step == "basic"
    assert "已暂存" in response.content.decode()
    assert "invalid-feedback" not in response.content.decode()
    submission = FormSubmission.objects.get()
    assert submission.revision == 1
    assert submission.answers["enterprise_name"] == "深圳市测试传感科技有限公司"
    assert "uscc" not in submission.answers  # the invalid value is kept as typed, not as an answer
    assert 'value="abc123"' in response.content.decode()


def test_previous_keeps_what_was_typed_on_the_current_step(filler):
    filler.fill_step("basic")
    assert filler.step == "finance"
    filler.post("prev", {"revenue": "1234.5", "rd_spend": "oops"}, step="finance")
    assert filler.step == "basic"
    filler.post("next", {k: INNOVATION_ANSWERS[k] for k in STEP_FIELDS["basic"]}, step="basic")
    html = filler.response.content.decode()
    assert filler.step == "finance" and 'value="1234.5"' in html and 'value="oops"' in html


def test_draft_survives_logout_and_opens_on_another_device(filler, enterprise_user, innovation_definition):
    filler.fill_step("basic")
    filler.fill_step("finance", action="save", revenue=888)
    filler.client.logout()
    other_device = Client()
    other_device.login(username="qiye01", password="Qiye-Pass-2026")
    response = other_device.get("/forms/fill/innovation_self_test/")
    assert response["Location"] == filler.url
    page = other_device.get(filler.url)
    html = page.content.decode()
    assert page.context["step"].key == "finance" and 'value="888"' in html


def test_second_tab_save_is_refused_with_a_clear_message(filler):
    second_tab = Filler(filler.client, filler.url, FormSubmission.objects.get().version)
    filler.fill_step("basic", action="save", main_product="第一个窗口的产品")
    response = second_tab.fill_step("basic", action="save", main_product="第二个窗口的产品")
    assert response.status_code == 409
    html = response.content.decode()
    assert "其他窗口或设备上保存过" in html and "第二个窗口的产品" in html
    assert FormSubmission.objects.get().answers["main_product"] == "第一个窗口的产品"


def test_full_walk_submits_scores_and_shows_the_result(filler):
    for step in ("basic", "finance", "indicators"):
        filler.fill_step(step)
    response = filler.fill_step("direct", action="submit")
    submission = FormSubmission.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(
        f"/forms/s/{submission.uuid}/result/"
    )
    assert submission.state == FormSubmission.State.SUBMITTED and submission.score["total"] == 85
    result = filler.client.get(response["Location"]).content.decode()
    assert "符合创新型中小企业公告条件" in result and "85" in result
    # the explanation lines carry their own labels (①, ②, …): no list numbers in front of them
    explanation = result[result.index("得分说明") :]
    assert "<ol" not in explanation[: explanation.index("</section>")]


def window_closed(*, submission, result):
    from forms_engine.host import SubmissionRefusedError

    raise SubmissionRefusedError("申报窗口已关闭，不能提交。", code="window_closed")


def test_a_host_hook_refusing_the_submit_is_shown_and_nothing_is_submitted(filler, settings):
    settings.FORMS_ENGINE_SUBMIT_HOOKS = {"innovation_self_test": f"{__name__}.window_closed"}
    for step in ("basic", "finance", "indicators"):
        filler.fill_step(step)
    response = filler.fill_step("direct", action="submit")
    assert response.status_code == 409
    assert "申报窗口已关闭，不能提交。" in response.content.decode()
    submission = FormSubmission.objects.get()
    assert submission.is_draft and submission.score is None and not submission.revisions.exists()
    assert submission.answers["revenue"] == INNOVATION_ANSWERS["revenue"]  # nothing typed is lost


def test_submit_again_is_harmless(filler):
    for step in ("basic", "finance", "indicators"):
        filler.fill_step(step)
    filler.fill_step("direct", action="submit")
    submitted_at = FormSubmission.objects.get().submitted_at
    response = filler.client.post(filler.url, {"wizard_action": "submit"})
    assert response.status_code == 302
    assert FormSubmission.objects.get().submitted_at == submitted_at
    assert FormSubmission.objects.count() == 1


def test_cross_field_rule_shows_next_to_the_field(filler):
    filler.fill_step("basic")
    response = filler.fill_step("finance", main_revenue=2000)
    assert errors_of(response)["main_revenue"] == ["主营业务收入不能大于营业收入"]


def test_another_user_cannot_open_the_draft(filler, other_user):
    intruder = Client()
    intruder.force_login(other_user)
    assert intruder.get(filler.url).status_code == 404
    assert intruder.post(filler.url, {"wizard_action": "save"}).status_code == 404


def test_live_score_preview_uses_unsaved_values_and_stores_nothing(filler):
    filler.fill_step("basic")
    submission = FormSubmission.objects.get()
    response = filler.client.post(
        f"/forms/s/{submission.uuid}/score/",
        {f"{filler.prefix}-current_step": "finance", "finance-revenue": "1000", "finance-rd_spend": "50"},
    )
    assert response.status_code == 200
    assert "20" in response.content.decode()  # R&D ratio 5 % → 20 points
    assert FormSubmission.objects.get().revision == submission.revision


def live_panel(filler, **values) -> str:
    """The score panel of the live preview (the scoring API of the wizard) for unsaved finance values."""
    filler.fill_step("basic")
    filler.fill_step("finance")
    filler.fill_step("indicators")
    submission = FormSubmission.objects.get()
    data = {f"{filler.prefix}-current_step": "finance"}
    data.update({f"finance-{k}": post_value(INNOVATION_ANSWERS[k]) for k in STEP_FIELDS["finance"]})
    data.update({f"finance-{k}": v for k, v in values.items()})
    response = filler.client.post(f"/forms/s/{submission.uuid}/score/", data, HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    assert FormSubmission.objects.get().revision == submission.revision  # nothing stored
    return response.content.decode()


@pytest.mark.parametrize("revenue", ["-1", "1e30", "NaN", "Infinity", "1000.00001", "一千"])
def test_live_preview_of_an_invalid_input_is_incomplete_and_names_the_field(filler, revenue):
    panel = live_panel(filler, revenue=revenue)
    assert 'data-testid="score-outcome">待补充<' in panel
    assert "「上年度营业收入」" in panel
    assert "符合创新型中小企业公告条件" not in panel and "暂不符合" not in panel


def test_live_preview_runs_cross_field_rules_as_warnings_and_gives_no_verdict(filler):
    panel = live_panel(filler, revenue="1000", main_revenue="1200")  # a 120 % share
    assert 'data-testid="score-warnings"' in panel and "主营业务收入不能大于营业收入" in panel
    assert 'data-testid="score-outcome">待补充<' in panel
    assert "符合创新型中小企业公告条件" not in panel


def test_step_save_runs_a_constant_number_of_queries(filler):
    def save_queries(**values) -> int:
        with CaptureQueriesContext(connection) as ctx:
            filler.fill_step("basic", action="save", **values)
        return len(ctx.captured_queries)

    first = save_queries(main_product="甲")
    second = save_queries(main_product="乙" * 50)
    # 13: session, user, submission, the enterprise (the verified identity is re-read on every
    # save), the update in a savepoint, refresh, two permission reads of the page, the session
    assert first == second and first <= 13


@pytest.fixture
def staff_client(client, django_user_model):
    staff = django_user_model.objects.create_user(username="zhengce", password="x", is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="preview_formdefinition"))
    client.force_login(staff)
    return client


def test_staff_preview_shows_the_score_and_stores_nothing(staff_client, innovation_definition):
    version = innovation_definition.versions.get()
    url = f"/forms/preview/{version.pk}/"
    filler = Filler(staff_client, url + "?restart=1", version)
    filler.url = url
    assert "试填模式" in filler.response.content.decode()
    for step in ("basic", "finance", "indicators"):
        filler.fill_step(step)
    response = filler.fill_step("direct", action="submit")
    html = response.content.decode()
    assert "试填结果" in html and "符合创新型中小企业公告条件" in html
    assert FormSubmission.objects.count() == 0


def test_preview_is_refused_without_permission(logged_in, innovation_definition):
    version = innovation_definition.versions.get()
    response = logged_in.get(f"/forms/preview/{version.pk}/")
    assert response.status_code in (302, 403)
    assert FormSubmission.objects.count() == 0


def refuse_everyone(request, definition):
    from django.http import HttpResponseForbidden

    return HttpResponseForbidden(f"不能填写{definition.title}")


def test_the_host_start_guard_can_refuse(logged_in, innovation_definition, settings):
    settings.FORMS_ENGINE_START_GUARD = "tests.forms_engine.test_wizard.refuse_everyone"
    response = logged_in.get("/forms/fill/innovation_self_test/")
    assert response.status_code == 403 and "不能填写创新型中小企业自测表" in response.content.decode()
    assert FormSubmission.objects.count() == 0
