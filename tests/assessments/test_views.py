"""The pages: /assessment/ (latest result, 【去自评】/【继续填写】, history), the start guard, the wizard
on the host's page, the result page, the centre's module; owners only (F-04, F-35, FAQ 2, FAQ 6)."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal.accounts.models import Account
from portal.assessments import services
from portal.assessments.models import Assessment
from portal.enterprises.models import Enterprise
from tests.assessments.conftest import answers_for, industry, take
from tests.enterprises.factories import UserFactory
from tests.forms_engine.test_wizard import Filler

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client, enterprise):
    client.force_login(enterprise.owner)
    return client


def body(response) -> str:
    return response.content.decode()


@pytest.mark.parametrize("url", ["/assessment/", "/assessment/start/"])
def test_anonymous_visitor_is_sent_to_login_and_back(client, url):
    """F-04: 【去自评】 without a session → login, then back to the assessment."""
    response = client.get(url)
    assert response.status_code == 302 and response["Location"] == f"/accounts/login/?next={url}"


@pytest.mark.parametrize(
    ("user_type", "status", "reason"),
    [
        ("natural", "verified", "natural_person"),
        ("legal", "unverified", "unverified"),
    ],
)
def test_natural_person_and_unverified_accounts_get_the_faq_2_page(
    client, questionnaires, user_type, status, reason
):
    user = UserFactory(username=f"u_{reason}")
    Account.objects.create(user=user, phone="13900000399", user_type=user_type, verification_status=status)
    client.force_login(user)
    response = client.get("/assessment/start/")
    assert response.status_code == 403 and response.context["reason"] == reason
    assert not Assessment.objects.exists()


def test_an_incomplete_profile_is_completed_first_and_brings_the_enterprise_back(
    signed_in, questionnaires, enterprise
):
    Enterprise.objects.filter(pk=enterprise.pk).update(industry=None, contact_email="")
    response = signed_in.get("/assessment/start/")
    assert response.status_code == 403
    assert response.context["missing_fields"] == ["所属行业", "联系邮箱"]
    assert response.context["edit_url"] == "/enterprise/edit/?next=%2Fassessment%2Fstart%2F"
    assert [e.key for e in response.context["centre_nav"] if e.active] == ["assessment"]
    assert not Assessment.objects.exists()


def test_index_offers_the_questionnaire_of_the_industry_and_go_assess(signed_in, questionnaires):
    response = signed_in.get("/assessment/")
    html = body(response)
    assert response.status_code == 200
    assert (
        "中小企业数字化水平评测（制造业）" in html
        and "【去自评】" in html
        and 'href="/assessment/start/"' in html
    )
    assert 'data-testid="no-result"' in html and 'data-testid="provisional"' not in html
    assert [e.key for e in response.context["centre_nav"] if e.active] == ["assessment"]


def test_start_opens_the_wizard_on_the_hosts_page_and_a_second_start_resumes(
    signed_in, questionnaires, enterprise
):
    response = signed_in.get("/assessment/start/")
    assessment = Assessment.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/assessment/{assessment.pk}/fill/"
    page = signed_in.get(response["Location"])
    html = body(page)
    assert page.status_code == 200 and "数字化基础（50分）" in html
    assert (
        'data-centre-nav="assessment"' in html and 'aria-current="page" data-centre-nav="assessment"' in html
    )
    assert signed_in.get("/assessment/start/")["Location"] == f"/assessment/{assessment.pk}/fill/"
    assert Assessment.objects.count() == 1
    assert "【继续填写】" in body(signed_in.get("/assessment/")) and "【继续填写】" in body(
        signed_in.get("/enterprise/home/")
    )


def test_wizard_saves_submits_and_lands_on_the_result(signed_in, questionnaires, enterprise):
    """【暂存】 a step, then every step with 【下一步】 and 【提交】: the host's hook stores the result."""
    assessment = services.start_assessment(enterprise=enterprise, user=enterprise.owner)
    version = assessment.submission.version
    filler = Filler(signed_in, f"/assessment/{assessment.pk}/fill/", version)
    answers = answers_for(version.parsed, scenario_level=3)
    steps = {step.key: [f.key for f in step.fields if f.key in answers] for step in version.parsed.steps}
    first = next(iter(steps))
    filler.post("save", {"network_build": "B"}, step=first)
    assessment.submission.refresh_from_db()
    assert assessment.submission.answers["network_build"] == ["B"]
    for i, (step, keys) in enumerate(steps.items()):
        post = {
            f"{filler.prefix}-current_step": step,
            "wizard_action": "submit" if i == len(steps) - 1 else "next",
            "wizard_revision": filler.response.context["revision"],
            **{f"{step}-{key}": "true" if answers[key] is True else answers[key] for key in keys},
        }
        filler.response = signed_in.post(filler.url, post)
    assert (
        filler.response.status_code == 302 and filler.response["Location"] == f"/assessment/{assessment.pk}/"
    )
    assessment.refresh_from_db()
    assert assessment.level == 3 and assessment.total == 100


def test_result_page_shows_total_level_chart_and_readable_answers(signed_in, questionnaires, enterprise):
    assessment = take(enterprise, scenario_level=3)
    response = signed_in.get(f"/assessment/{assessment.pk}/")
    html = body(response)
    assert response.status_code == 200
    assert re.search(r'data-testid="result-level">三级<', html)
    assert re.search(r'data-testid="result-total">100<', html)
    assert html.count('class="assessment-bar"') == 3 and 'data-testid="dimension-foundation"' in html
    answers = re.search(r'id="result-answers".*?</section>', html, re.S).group(0)
    cells = re.findall(r"<td>(.*?)</td>", answers, re.S)
    assert cells and not [c for c in cells if re.fullmatch(r"\s*([A-Z](、[A-Z])*|True|False|\[.*\])\s*", c)]
    assert "三级：" in answers  # scenario self-ratings read as their level descriptors


def test_result_page_is_csp_safe(signed_in, questionnaires, enterprise):
    assessment = take(enterprise)
    response = signed_in.get(f"/assessment/{assessment.pk}/")
    html = body(response)
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert not re.search(r"\sstyle=", html), "inline style attributes are refused by the CSP"
    assert not re.search(r"<script(?![^>]*\ssrc=)[^>]*>", html), "inline scripts are refused by the CSP"


@pytest.mark.parametrize("category", ["producer_services", "other"])
def test_provisional_questionnaires_say_so_on_the_start_and_result_pages(
    signed_in, questionnaires, enterprise, category
):
    Enterprise.objects.filter(pk=enterprise.pk).update(industry=industry(category))
    enterprise.refresh_from_db()
    assert 'data-testid="provisional"' in body(signed_in.get("/assessment/"))
    assessment = take(enterprise)
    assert 'data-testid="provisional"' in body(signed_in.get(f"/assessment/{assessment.pk}/"))


def test_manufacturing_result_is_not_marked_provisional(signed_in, questionnaires, enterprise):
    assessment = take(enterprise)
    assert 'data-testid="provisional"' not in body(signed_in.get(f"/assessment/{assessment.pk}/"))


def test_history_lists_every_attempt_newest_first_with_details(signed_in, questionnaires, enterprise):
    first = take(enterprise)
    second = take(enterprise, best=False, scenario_level=1)
    html = body(signed_in.get("/assessment/"))
    history = re.search(r'data-testid="history".*?</table>', html, re.S).group(0)
    assert history.index(f"/assessment/{second.pk}/") < history.index(f"/assessment/{first.pk}/")
    assert "100 分" in history and "0 分" in history and "四级" in history and "未达到一级" in history
    assert history.count("【详情】") == 2 and history.count("当前有效") == 1
    assert "制造业" in history


def test_centre_home_module_shows_the_latest_result(signed_in, questionnaires, enterprise):
    html = body(signed_in.get("/enterprise/home/"))
    assert (
        'data-testid="no-result"' in html
        and "【去自评】" in html
        and "尚未开放" not in html.split('id="centre-assessment"')[1].split("</section>")[0]
    )
    take(enterprise, scenario_level=3)
    module = (
        body(signed_in.get("/enterprise/home/")).split('id="centre-assessment"')[1].split("</section>")[0]
    )
    assert 'data-testid="latest-level">三级<' in module and "100 分（满分 100 分）" in module
    assert "【去自评】" in module and 'href="/assessment/start/"' in module


def test_a_draft_result_url_opens_the_wizard_and_a_submitted_wizard_url_the_result(
    signed_in, questionnaires, enterprise
):
    draft = services.start_assessment(enterprise=enterprise, user=enterprise.owner)
    assert signed_in.get(f"/assessment/{draft.pk}/")["Location"] == f"/assessment/{draft.pk}/fill/"
    done = take(enterprise)
    assert done.pk == draft.pk
    assert signed_in.get(f"/assessment/{done.pk}/fill/")["Location"] == f"/assessment/{done.pk}/"


def test_another_enterprise_gets_404_for_the_result_and_the_wizard(
    client, questionnaires, enterprise, other_enterprise
):
    theirs = take(other_enterprise)
    draft = services.start_assessment(enterprise=other_enterprise, user=other_enterprise.owner)
    client.force_login(enterprise.owner)
    assert client.get(f"/assessment/{theirs.pk}/").status_code == 404
    assert client.get(f"/assessment/{draft.pk}/fill/").status_code == 404
    assert client.post(f"/assessment/{draft.pk}/fill/", {"wizard_action": "save"}).status_code == 404
    assert other_enterprise.name not in body(client.get("/assessment/"))


@pytest.mark.parametrize("key", ["digital_manufacturing", "digital_services", "digital_other"])
def test_self_service_entries_of_the_questionnaires_are_closed(signed_in, questionnaires, key):
    """/forms/fill/ would let an enterprise fill another category's questionnaire: only /assessment/ starts one."""
    assert signed_in.get(f"/forms/fill/{key}/").status_code == 404


def test_index_runs_a_constant_number_of_queries(signed_in, questionnaires, enterprise):
    take(enterprise)
    signed_in.get("/assessment/")
    with CaptureQueriesContext(connection) as one:
        signed_in.get("/assessment/")
    for _ in range(4):
        take(enterprise, best=False, scenario_level=2)
    with CaptureQueriesContext(connection) as five:
        signed_in.get("/assessment/")
    assert len(five) == len(one)


def test_without_a_published_questionnaire_the_index_says_so_instead_of_offering_go_assess(
    signed_in, enterprise
):
    from forms_engine.models import FormDefinition

    FormDefinition.objects.create(
        key="digital_manufacturing", title="中小企业数字化水平评测（制造业）", category="assessment"
    )
    html = body(signed_in.get("/assessment/"))
    assert 'data-testid="unavailable"' in html and 'href="/assessment/start/"' not in html
    response = signed_in.get("/assessment/start/", follow=True)
    assert response.redirect_chain[-1][0] == "/assessment/"
    assert [m.level_tag for m in response.context["messages"]] == ["error"]  # the service's reason
