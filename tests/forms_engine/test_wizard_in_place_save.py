"""【暂存】 in place (wizard.js posts the step with Accept: application/json): the step is stored and
the answer is the new revision and the step's notes, not the page; anything but a clean save is
stored by nothing and left to the classic POST, which shows why (issue 11, "Benchmarks")."""

from __future__ import annotations

import pytest

from forms_engine.models import FormSubmission
from tests.factories.forms import FormVersionFactory, SubmissionFactory, field, make_schema

pytestmark = pytest.mark.django_db

SCHEMA = make_schema(
    field("product", "text", "主要产品", max_length=100),
    field("revenue", "money", "营业收入", required=True),
    field("rd", "money", "研发费用"),
    validations=[
        {
            "key": "rd_not_above",
            "check": "rd <= revenue",
            "fields": ["rd"],
            "severity": "warning",
            "message": "研发费用高于营业收入",
        }
    ],
)
JSON = {"HTTP_ACCEPT": "application/json", "HTTP_X_REQUESTED_WITH": "XMLHttpRequest"}


@pytest.fixture
def page(client):
    submission = SubmissionFactory(version=FormVersionFactory(schema=SCHEMA))
    client.force_login(submission.owner)
    return client, submission


def save(client, submission, *, revision=None, headers=JSON, **values):
    submission.refresh_from_db()
    data = {
        f"form_{submission.version_id}-current_step": "step1",
        "wizard_action": "save",
        "wizard_revision": submission.revision if revision is None else revision,
    }
    data.update({f"step1-{k}": v for k, v in values.items()})
    return client.post(f"/forms/s/{submission.uuid}/", data, **headers)


def test_an_in_place_save_stores_the_step_and_answers_with_the_revision_and_the_notes(page):
    client, submission = page
    before = submission.revision
    response = save(client, submission, product="传感器", revenue="100", rd="150")
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    payload = response.json()
    submission.refresh_from_db()
    assert payload["saved"] is True and payload["revision"] == submission.revision == before + 1
    assert payload["message"].startswith("已暂存")
    assert payload["notes"] == {"product": [], "revenue": [], "rd": ["请核对：研发费用高于营业收入"]}
    assert submission.answers["product"] == "传感器" and submission.answers["rd"] == 150
    assert submission.wizard_state["step_data"]["step1"]["step1-revenue"] == ["100"]
    # nothing queued for the next page: the script showed the message
    assert "已暂存" not in client.get(f"/forms/s/{submission.uuid}/").content.decode()
    # the next save carries the revision the answer gave
    again = save(client, submission, revision=payload["revision"], product="传感器", revenue="200", rd="150")
    assert again.json()["saved"] is True and again.json()["notes"]["rd"] == []


@pytest.mark.parametrize(
    ("values", "revision"),
    [
        ({"product": "字" * 200, "revenue": "100"}, None),  # over its limit: the page shows it
        ({"product": "传感\x00器", "revenue": "100"}, None),  # control character: the page says so
        ({"product": "传感器", "revenue": "100"}, 0),  # another tab saved first: the conflict message
    ],
    ids=["over-limit", "control-character", "conflict"],
)
def test_anything_but_a_clean_save_stores_nothing_and_is_left_to_the_classic_post(page, values, revision):
    client, submission = page
    if revision is not None:
        save(client, submission, product="另一个窗口", revenue="1")
    submission.refresh_from_db()
    stored = (submission.revision, dict(submission.answers))
    response = save(client, submission, revision=revision, **values)
    assert response.status_code == 200 and response.json() == {"saved": False}
    submission.refresh_from_db()
    assert (submission.revision, dict(submission.answers)) == stored
    assert "已暂存" not in client.get(f"/forms/s/{submission.uuid}/").content.decode()


def test_the_classic_save_still_renders_the_page(page):
    client, submission = page
    response = save(client, submission, headers={}, product="传感器", revenue="100")
    assert response.status_code == 200 and "已暂存" in response.content.decode()
    assert FormSubmission.objects.get(pk=submission.pk).answers["product"] == "传感器"


def test_an_in_place_save_stores_no_score_and_the_next_page_scores_the_answers(client, monkeypatch):
    import forms_engine.wizard.base as base

    schema = make_schema(
        field("revenue", "money", "营业收入", required=True),
        field("rd", "money", "研发费用"),
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
    submission = SubmissionFactory(version=FormVersionFactory(schema=schema))
    client.force_login(submission.owner)
    calls = []
    real = base.score
    monkeypatch.setattr(base, "score", lambda *a, **k: calls.append(1) or real(*a, **k))
    assert save(client, submission, revenue="1000", rd="45").json()["saved"] is True
    submission.refresh_from_db()
    assert calls == [] and "score" not in submission.wizard_state["extra_data"]
    html = client.get(f"/forms/s/{submission.uuid}/").content.decode()
    assert calls == [1] and 'data-testid="score-total">10<' in html
