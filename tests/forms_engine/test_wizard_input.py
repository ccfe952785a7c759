"""What the wizard keeps of hostile or careless input (issues 8 and 9): control characters, values
over their limits on 【暂存】, live computed values, consistency warnings, scoring only on change."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from forms_engine.models import FormSubmission
from tests.factories.forms import FormVersionFactory, SubmissionFactory, field, make_schema

pytestmark = pytest.mark.django_db

SCHEMA = make_schema(
    field("product", "text", "主要产品", max_length=100),
    field("revenue", "money", "营业收入", required=True),
    field("rd", "money", "研发费用"),
    field("rd_ratio", "computed", "研发费用占比", expression="rd / revenue * 100", unit="%"),
    validations=[
        {
            "key": "rd_not_above",
            "check": "rd <= revenue",
            "fields": ["rd"],
            "severity": "warning",
            "message": "研发费用高于营业收入",
        }
    ],
    scoring={
        "items": [
            {
                "key": "ratio",
                "label": "研发占比",
                "method": "bands",
                "value": "rd / revenue * 100",
                "max": 10,
                "bands": [{"min": 3, "min_inclusive": True, "points": 10}],
            }
        ]
    },
)


@pytest.fixture
def page(client):
    submission = SubmissionFactory(version=FormVersionFactory(schema=SCHEMA))
    client.force_login(submission.owner)
    return client, submission


def post(client, submission, action="save", **values):
    submission.refresh_from_db()
    data = {
        f"form_{submission.version_id}-current_step": "step1",
        "wizard_action": action,
        "wizard_revision": submission.revision,
    }
    data.update({f"step1-{k}": v for k, v in values.items()})
    return client.post(f"/forms/s/{submission.uuid}/", data)


def test_a_nul_byte_is_removed_with_a_message_and_the_rest_of_the_step_is_kept(page):
    client, submission = page
    response = post(client, submission, product="传感\x00器", revenue="100")
    assert response.status_code == 200
    assert "控制字符" in response.content.decode()
    submission.refresh_from_db()
    assert submission.answers["product"] == "传感器" and submission.answers["revenue"] == 100
    assert "\\u0000" not in json.dumps(submission.wizard_state)


def test_a_nul_byte_in_a_posted_name_is_dropped_and_the_step_is_kept(page):
    """PostgreSQL cannot store a NUL even as a JSON key: a 500 there, and the step was lost."""
    client, submission = page
    response = post(client, submission, product="传感器", revenue="100", **{"x\x00y": "v"})
    assert response.status_code == 200
    submission.refresh_from_db()
    assert submission.answers["product"] == "传感器" and submission.answers["revenue"] == 100
    assert "\\u0000" not in json.dumps(submission.wizard_state)  # nor a name holding one


def test_an_upload_under_a_name_that_is_no_file_question_is_neither_stored_nor_an_answer(
    page, settings, tmp_path
):
    """Only the step's own file questions take files: anything else posted as a file (another
    question's name, an unknown name, a name with a NUL) used to be saved and made an answer."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    client, submission = page
    response = post(
        client,
        submission,
        product="传感器",
        revenue="100",
        rd=SimpleUploadedFile("rd.bin", b"y" * 10),
        unknown=SimpleUploadedFile("big.bin", b"x" * 100_000),
        **{"n\x00": SimpleUploadedFile("nul.bin", b"z")},
    )
    assert response.status_code == 200
    submission.refresh_from_db()
    assert set(submission.answers) == {"product", "revenue", "rd"} and submission.answers["rd"] is None
    assert not [path for path in Path(tmp_path).rglob("*") if path.is_file()]


def test_save_refuses_a_value_over_its_limit_and_keeps_it_on_the_page(page):
    client, submission = page
    huge = "字" * 200_000
    response = post(client, submission, product=huge, revenue="100")
    html = response.content.decode()
    form = response.context["wizard"]["form"]
    assert form.has_error("product", "max_length")
    assert huge in html  # shown as typed: nothing is lost on the page
    submission.refresh_from_db()
    assert "product" not in submission.answers and submission.answers["revenue"] == 100
    stored = submission.wizard_state["step_data"]["step1"]["step1-product"][0]
    assert len(stored) == 100  # what is stored is capped to what the field allows


def test_save_of_a_value_within_limits_stays_quiet(page):
    client, submission = page
    response = post(client, submission, product="字" * 100, revenue="")
    assert not response.context["wizard"]["form"].errors
    assert "已暂存" in response.content.decode()


def test_computed_values_are_shown_after_save(page):
    client, submission = page
    post(client, submission, revenue="1000", rd="30")
    html = client.get(f"/forms/s/{submission.uuid}/").content.decode()
    assert 'value="3.00"' in html and 'data-computed="rd_ratio"' in html


def test_the_live_endpoint_returns_computed_values_of_unsaved_input(page):
    client, submission = page
    response = client.post(
        f"/forms/s/{submission.uuid}/score/",
        {f"form_{submission.version_id}-current_step": "step1", "step1-revenue": "1000", "step1-rd": "45"},
        HTTP_ACCEPT="application/json",
    )
    payload = response.json()
    assert payload["computed"] == {"rd_ratio": "4.50"}
    assert 'data-testid="score-total">10<' in payload["panel"]  # 4.5 % is in the ≥3 % band
    submission.refresh_from_db()
    assert "rd" not in submission.answers  # nothing stored


def test_a_consistency_warning_is_shown_beside_the_field_and_does_not_block(page):
    client, submission = page
    post(client, submission, "next", revenue="100", rd="150")
    submission = FormSubmission.objects.get(pk=submission.pk)
    assert submission.state == FormSubmission.State.SUBMITTED  # a warning never blocks
    draft = SubmissionFactory(version=submission.version, owner=submission.owner)
    post(client, draft, revenue="100", rd="150")
    html = client.get(f"/forms/s/{draft.uuid}/").content.decode()
    assert "请核对：研发费用高于营业收入" in html


def test_the_wizard_scores_only_when_the_answers_changed(page, monkeypatch):
    client, submission = page
    post(client, submission, revenue="1000", rd="30")
    calls = []
    import forms_engine.wizard.base as base

    real = base.score
    monkeypatch.setattr(base, "score", lambda *a, **k: calls.append(1) or real(*a, **k))
    client.get(f"/forms/s/{submission.uuid}/")
    client.get(f"/forms/s/{submission.uuid}/")
    assert calls == []  # the score stored with the last save is shown
    post(client, submission, revenue="2000", rd="30")
    assert calls == [1]
