"""Services: version lifecycle (immutability, publishing, pinning) and submissions.

Versions are built with the engine's factories (the form each test needs), not loaded from a
shipped definition; the shipped ones have their own tests (test_shipped_*).
"""

from __future__ import annotations

import copy

import pytest
from django.db import IntegrityError, transaction
from django.db.models.deletion import ProtectedError
from wagtail.models import ModelLogEntry

from forms_engine import services
from forms_engine.models import FormSubmission, FormVersion
from forms_engine.prefill import prefill_sources
from forms_engine.schema import SchemaValidationError
from tests.factories.forms import FormVersionFactory, field, make_schema, option

pytestmark = pytest.mark.django_db

SCORED = make_schema(
    field("name", "text", "企业名称", prefill="profile.name", required=True),
    field("code", "text", "统一社会信用代码", prefill="profile.uscc"),
    field("product", "text", "主要产品"),
    field("revenue", "money", "营业收入", required=True),
    field("main_revenue", "money", "主营业务收入", required=True),
    field("ip", "single_choice", "知识产权", options=[option("A", "A. 一类", 20), option("B", "B. 二类", 5)]),
    validations=[
        {
            "key": "main_le_total",
            "check": "main_revenue <= revenue",
            "fields": ["main_revenue"],
            "message": "主营业务收入不能大于营业收入",
        }
    ],
    scoring={
        "groups": [{"key": "innovation", "label": "创新能力", "max": 40}],
        "items": [
            {
                "key": "ip",
                "label": "知识产权",
                "method": "option",
                "field": "ip",
                "group": "innovation",
                "max": 20,
            },
            {
                "key": "share",
                "label": "主营占比",
                "method": "bands",
                "value": "main_revenue / revenue * 100",
                "group": "innovation",
                "max": 20,
                "bands": [{"min": 70, "min_inclusive": True, "points": 20}],
            },
        ],
        "outcome": {"type": "qualification", "min_total": 30},
    },
)
ANSWERS = {"name": "测试企业", "revenue": 1000, "main_revenue": 800, "ip": "B"}  # 5 + 20 = 25


@pytest.fixture
def published():
    return FormVersionFactory(schema=SCORED)


@pytest.fixture
def definition(published):
    return published.definition


def current(definition) -> FormVersion:
    return definition.versions.get(status=FormVersion.Status.PUBLISHED)


def new_draft(definition, **kwargs) -> FormVersion:
    return services.create_draft_from_version(source=current(definition), **kwargs)


def test_create_form_version_refuses_invalid_schema_with_every_issue(definition):
    schema = copy.deepcopy(current(definition).schema)
    schema["steps"][0]["sections"][0]["fields"][0]["type"] = "colour"
    schema["steps"][0]["sections"][0]["fields"][1]["key"] = "Bad Key"
    with pytest.raises(SchemaValidationError) as info:
        services.create_form_version(definition=definition, schema=schema)
    codes = {issue.code for issue in info.value.issues}
    assert {"unknown_field_type", "invalid_key"} <= codes
    assert definition.versions.count() == 1


def test_published_version_cannot_be_edited(published):
    with pytest.raises(services.FormVersionImmutableError):
        services.update_form_version(version=published, schema=published.schema, change_note="x")
    published.refresh_from_db()
    assert published.change_note != "x"


def test_draft_can_be_edited_and_its_checksum_follows(definition):
    draft = new_draft(definition)
    schema = copy.deepcopy(draft.schema)
    schema["title"] = "测试表单（2027）"
    updated = services.update_form_version(version=draft, schema=schema)
    assert updated.schema["title"].endswith("（2027）")
    assert updated.checksum != current(definition).checksum


def test_publish_makes_draft_current_and_retires_previous(definition, admin_user):
    old = current(definition)
    draft = new_draft(definition)
    services.publish_form_version(version=draft, user=admin_user)
    old.refresh_from_db()
    draft.refresh_from_db()
    assert draft.status == FormVersion.Status.PUBLISHED and draft.published_by == admin_user
    assert old.status == FormVersion.Status.RETIRED and old.retired_at is not None
    actions = set(ModelLogEntry.objects.values_list("action", flat=True))
    assert {"wagtail.publish", "forms_engine.retire", "wagtail.create"} <= actions


def test_publish_refuses_a_version_that_is_not_a_draft(published):
    with pytest.raises(services.FormVersionStateError):
        services.publish_form_version(version=published)


def test_publish_refuses_a_draft_tampered_outside_the_services(definition):
    draft = new_draft(definition)
    tampered = copy.deepcopy(draft.schema)
    tampered["title"] = "被直接改过"
    FormVersion.objects.filter(pk=draft.pk).update(schema=tampered)
    with pytest.raises(SchemaValidationError) as info:
        services.publish_form_version(version=draft)
    assert info.value.issues[0].code == "checksum_mismatch"


def test_database_allows_only_one_published_version_per_purpose(definition):
    draft = new_draft(definition)
    with pytest.raises(IntegrityError), transaction.atomic():
        FormVersion.objects.filter(pk=draft.pk).update(status=FormVersion.Status.PUBLISHED)
    FormVersion.objects.filter(pk=draft.pk).update(status=FormVersion.Status.PUBLISHED, purpose="review")


def test_retire_leaves_no_current_version(definition):
    services.retire_form_version(version=current(definition))
    assert not definition.versions.filter(status=FormVersion.Status.PUBLISHED).exists()
    with pytest.raises(services.DefinitionNotAvailableError):
        services.resume_or_start_submission(definition=definition, owner=None)


def test_draft_started_on_v1_stays_on_v1_after_v2_is_published(definition, enterprise_user, other_user):
    v1 = current(definition)
    started = services.resume_or_start_submission(definition=definition, owner=enterprise_user)
    v2 = services.publish_form_version(version=new_draft(definition))
    resumed = services.resume_or_start_submission(definition=definition, owner=enterprise_user)
    assert resumed.pk == started.pk and resumed.version_id == v1.pk
    fresh = services.resume_or_start_submission(definition=definition, owner=other_user)
    assert fresh.version_id == v2.pk


def test_version_with_submissions_cannot_be_deleted(definition, enterprise_user):
    services.resume_or_start_submission(definition=definition, owner=enterprise_user)
    with pytest.raises(ProtectedError):
        current(definition).delete()


def test_stale_revision_is_refused_and_nothing_is_overwritten(definition, enterprise_user):
    submission = services.resume_or_start_submission(definition=definition, owner=enterprise_user)
    services.save_submission_progress(
        submission=submission, expected_revision=0, wizard_state={}, answers={"product": "第一个窗口"}
    )
    with pytest.raises(services.SubmissionConflictError):
        services.save_submission_progress(
            submission=FormSubmission.objects.get(pk=submission.pk),
            expected_revision=0,
            wizard_state={},
            answers={"product": "第二个窗口"},
        )
    submission.refresh_from_db()
    assert submission.answers["product"] == "第一个窗口" and submission.revision == 1


def test_submit_refuses_incomplete_answers_listing_every_issue(definition, enterprise_user):
    submission = services.resume_or_start_submission(definition=definition, owner=enterprise_user)
    submission.answers = {**ANSWERS, "main_revenue": 5000}
    del submission.answers["revenue"]
    submission.save()
    with pytest.raises(services.SubmissionInvalidError) as info:
        services.submit_submission(submission=submission)
    assert ("revenue", "required") in {(i.field, i.code) for i in info.value.issues}
    submission.refresh_from_db()
    assert submission.state == FormSubmission.State.DRAFT and submission.score is None


def test_submit_refuses_a_broken_cross_field_rule(definition, enterprise_user):
    submission = services.resume_or_start_submission(definition=definition, owner=enterprise_user)
    submission.answers = {**ANSWERS, "main_revenue": 5000}
    submission.save()
    with pytest.raises(services.SubmissionInvalidError) as info:
        services.submit_submission(submission=submission)
    assert [i.code for i in info.value.issues] == ["rule_main_le_total"]


def test_submit_scores_and_freezes_and_a_second_submit_changes_nothing(definition, enterprise_user):
    submission = services.resume_or_start_submission(definition=definition, owner=enterprise_user)
    submission.answers = ANSWERS
    submission.save()
    done = services.submit_submission(submission=submission)
    assert done.state == FormSubmission.State.SUBMITTED
    assert done.score["total"] == 25 and done.score["outcome"]["qualified"] is False
    assert done.score["groups"]["innovation"]["points"] == 25
    assert done.revisions.count() == 1
    again = services.submit_submission(submission=submission)
    assert again.submitted_at == done.submitted_at and again.revision == done.revision
    assert done.revisions.count() == 1
    with pytest.raises(services.SubmissionClosedError):
        services.save_submission_progress(
            submission=done, expected_revision=done.revision, wizard_state={}, answers={}
        )


def test_prefill_comes_from_registered_sources(definition, enterprise_user):
    saved = {
        name: (prefill_sources.source(name), prefill_sources.is_locked(name))
        for name in ("profile.name", "profile.uscc")
    }
    prefill_sources.register("profile.name", lambda *, user, context: f"{user.username} 有限公司")
    prefill_sources.register("profile.uscc", lambda *, user, context: 1 / 0)  # a broken source
    try:
        submission = services.resume_or_start_submission(definition=definition, owner=enterprise_user)
    finally:
        for name, (source, locked) in saved.items():  # the host's sources, as they were
            prefill_sources.unregister(name)
            if source is not None:
                prefill_sources.register(name, source, locked=locked)
    assert submission.answers["name"] == "qiye01 有限公司"
    assert "code" not in submission.answers


def test_context_prefill_source_reads_the_submission_context(enterprise_user):
    version = FormVersionFactory(
        schema=make_schema(field("product", "text", "主要产品", prefill="context.main_product"))
    )
    submission = services.start_submission(
        version=version, owner=enterprise_user, context={"main_product": "压力传感器"}
    )
    assert submission.answers["product"] == "压力传感器"


def document() -> dict:
    return {
        "definition": {"key": "test_document", "title": "测试表单", "category": "filing"},
        "versions": [{"number": 1, "status": "published", "schema": SCORED}],
    }


def test_loading_a_definition_file_twice_creates_nothing_new():
    services.import_definition_document(document=document())
    report = services.import_definition_document(document=document())
    assert report == [] and FormVersion.objects.filter(definition__key="test_document").count() == 1


def test_loading_a_changed_published_version_reports_and_keeps_it():
    services.import_definition_document(document=document())
    changed = copy.deepcopy(document())
    changed["versions"][0]["schema"]["title"] = "改过的标题"
    report = services.import_definition_document(document=changed)
    assert "未修改" in report[0]
    assert FormVersion.objects.get(definition__key="test_document").schema["title"] == "测试表单"


@pytest.mark.parametrize(
    ("bad", "fragment"),
    [
        (None, "JSON 对象"),
        ([1, 2], "JSON 对象"),
        ({"definition": None}, "definition"),
        ({"definition": {"key": "Bad Key"}, "versions": [{}]}, "definition.key"),
        ({"definition": {"key": "x"}, "versions": [None]}, "第 1 个版本"),
        ({"definition": {"key": "x"}, "versions": [{"schema": None}]}, "schema"),
        (
            {"definition": {"key": "x"}, "versions": [{"schema": {}, "effective_date": "2026/1/1"}]},
            "effective_date",
        ),
        ({"definition": {"key": "x", "category": "bogus"}, "versions": [{"schema": {}}]}, "category"),
    ],
)
def test_a_malformed_definition_document_is_refused_naming_what_is_wrong(bad, fragment):
    with pytest.raises(services.DocumentError) as info:
        services.import_definition_document(document=bad)
    assert fragment in str(info.value)
