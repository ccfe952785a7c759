"""The designer against bad input and for people who read it (issues 8, 9): deep or huge JSON,
unknown formats, rule errors in Chinese, personal data masked, Beijing time, readable labels."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from forms_engine import services
from forms_engine.models import FormSubmission
from tests.forms_engine import designer_fixtures as fx

pytestmark = pytest.mark.django_db

digital, author, approver, draft = fx.digital, fx.author, fx.approver, fx.draft


@pytest.fixture
def staff_client(client, author):
    client.force_login(author)
    return client


def post_json(client, draft, text: str):
    return client.post(reverse("forms_designer:json", args=[draft.pk]), {"schema": text})


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("[" * 100_000 + "]" * 100_000, "too_deep"),
        (json.dumps({"format": 2, "x": json.loads("[" * 500 + "]" * 500)}), "too_deep"),
        ("{" + '"a": 1, ' * 300_000 + '"b": 2}', "too_large"),
        ("[1, 2]", "invalid"),
        ("{not json", "invalid"),
    ],
)
def test_the_json_box_refuses_what_it_cannot_use_with_a_message(staff_client, draft, text, code):
    response = post_json(staff_client, draft, text)
    assert response.status_code == 200
    form = response.context["form"]
    assert form.has_error("schema", code)
    draft.refresh_from_db()
    assert draft.schema["format"] == 2  # unchanged


@pytest.mark.parametrize("fmt", ["2", None, 2.0, [2], 99])
def test_a_schema_with_a_wrong_format_is_an_issue_not_a_server_error(staff_client, draft, fmt):
    schema = (
        {**draft.schema, "format": fmt}
        if fmt is not None
        else {k: v for k, v in draft.schema.items() if k != "format"}
    )
    response = post_json(staff_client, draft, json.dumps(schema, ensure_ascii=False))
    assert response.status_code == 200
    codes = {issue["code"] for issue in response.context["issues"]}
    assert codes & {"invalid_format", "missing_format", "unsupported_format"}


def test_the_answers_box_of_test_score_refuses_deep_json(staff_client, draft):
    response = staff_client.post(
        reverse("forms_designer:test_score", args=[draft.pk]), {"answers": "[" * 50_000 + "]" * 50_000}
    )
    assert response.status_code == 200
    assert response.context["form"].has_error("answers", "too_deep")


def test_rule_errors_are_in_chinese_without_codes_or_pythons_english(staff_client, draft):
    response = staff_client.post(
        reverse("forms_designer:field_add", args=[draft.pk, "data_gathering"]),
        {
            "key": "cloud",
            "type": "yes_no",
            "label": "是否上云",
            "visible_if": "(network_build == 1",
            "options-TOTAL_FORMS": "0",
            "options-INITIAL_FORMS": "0",
            "options-MIN_NUM_FORMS": "0",
            "options-MAX_NUM_FORMS": "1000",
        },
    )
    page = response.content.decode()
    issue = next(i for i in response.context["issues"] if i["code"] == "expression_syntax")
    assert "括号" in issue["message"] and "was never closed" not in page
    assert ">expression_syntax<" not in page and "<code>expression_syntax</code>" not in page


def test_field_types_methods_and_outcome_are_shown_by_their_chinese_names(staff_client, draft):
    page = staff_client.get(reverse("forms_designer:version", args=[draft.pk])).content.decode()
    assert "多选" in page and "按选项分值" in page and "等级" in page
    for raw in ("· multiple_choice", "· single_choice", "<td>option</td>", "levels："):
        assert raw not in page
    form_page = staff_client.get(
        reverse("forms_designer:field_edit", args=[draft.pk, "planning"])
    ).content.decode()
    assert ">单选<" in form_page and "（single_choice）" not in form_page


def test_the_version_comparison_defaults_to_the_previous_version(staff_client, digital, draft):
    response = staff_client.get(reverse("forms_designer:diff", args=[digital.key]))
    form = response.context["form"]
    # the page compares at once (the form is bound to the defaults, as if 比较 had been pressed)
    assert (str(form["a"].value()), str(form["b"].value())) == (
        str(digital.versions.get(number=1).pk),
        str(draft.pk),
    )


@pytest.fixture
def stored(digital, enterprise_user):
    """A submission made at 2026-12-02 03:06 Beijing time (2026-12-01 19:06 UTC), with an enterprise name."""
    version = digital.versions.get(number=1)
    submission = services.start_submission(version=version, owner=enterprise_user)
    answers = {"network_build": ["B"], "equipment_total": 40, "pledge_truthful": True}
    FormSubmission.objects.filter(pk=submission.pk).update(
        state=FormSubmission.State.SUBMITTED,
        answers=answers,
        submitted_at=dt.datetime(2026, 12, 2, 3, 6, tzinfo=timezone.get_fixed_timezone(480)),
    )
    return FormSubmission.objects.get(pk=submission.pk)


def test_the_submission_picker_shows_beijing_time_and_not_who_filled_it_in(staff_client, draft, stored):
    page = staff_client.get(reverse("forms_designer:test_score", args=[draft.pk])).content.decode()
    assert "2026-12-02 03:06" in page and "2026-12-01" not in page
    assert stored.owner.username not in page


def test_test_score_masks_personal_data_of_a_stored_submission(staff_client, draft, stored):
    # a free-text answer that the score does not use: the digital questionnaire has none, so add one
    schema = json.loads(json.dumps(draft.schema))
    schema["steps"][0]["sections"][0]["fields"].append({"key": "contact", "type": "text", "label": "联系人"})
    services.save_draft_schema(version=draft, schema=schema, user=None)
    FormSubmission.objects.filter(pk=stored.pk).update(
        answers={**stored.answers, "contact": "张三 13800138000"}
    )
    response = staff_client.post(
        reverse("forms_designer:test_score", args=[draft.pk]), {"submission": stored.pk, "load": "1"}
    )
    page = response.content.decode()
    assert "张三" not in page and "13800138000" not in page
    assert "（已隐去）" in page
    assert response.context["result"].total > 0  # the score still uses the stored answers


def test_the_impact_preview_does_not_show_who_filled_in(staff_client, draft, stored):
    page = staff_client.get(reverse("forms_designer:impact", args=[draft.pk]) + "?show=all").content.decode()
    assert f"#{stored.pk}" in page and stored.owner.username not in page
    row = staff_client.get(reverse("forms_designer:impact_row", args=[draft.pk, stored.pk])).content.decode()
    assert stored.owner.username not in row
