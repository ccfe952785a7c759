"""Services: version lifecycle (immutability, publishing, pinning) and submissions."""

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

pytestmark = pytest.mark.django_db


def current(definition) -> FormVersion:
    return definition.versions.get(status=FormVersion.Status.PUBLISHED)


def new_draft(definition, **kwargs) -> FormVersion:
    return services.create_draft_from_version(source=current(definition), **kwargs)


def test_create_form_version_refuses_invalid_schema_with_every_issue(innovation_definition):
    schema = copy.deepcopy(current(innovation_definition).schema)
    schema["steps"][0]["sections"][0]["fields"][0]["type"] = "colour"
    schema["steps"][1]["sections"][0]["fields"][0]["key"] = "Bad Key"
    with pytest.raises(SchemaValidationError) as info:
        services.create_form_version(definition=innovation_definition, schema=schema)
    codes = {issue.code for issue in info.value.issues}
    assert {"unknown_field_type", "invalid_key"} <= codes
    assert innovation_definition.versions.count() == 1


def test_published_version_cannot_be_edited(innovation_definition):
    published = current(innovation_definition)
    with pytest.raises(services.FormVersionImmutableError):
        services.update_form_version(version=published, schema=published.schema, change_note="x")
    published.refresh_from_db()
    assert published.change_note != "x"


def test_draft_can_be_edited_and_its_checksum_follows(innovation_definition):
    draft = new_draft(innovation_definition)
    schema = copy.deepcopy(draft.schema)
    schema["title"] = "创新型中小企业自测表（2027）"
    updated = services.update_form_version(version=draft, schema=schema)
    assert updated.schema["title"].endswith("（2027）")
    assert updated.checksum != current(innovation_definition).checksum


def test_publish_makes_draft_current_and_retires_previous(innovation_definition, admin_user):
    old = current(innovation_definition)
    draft = new_draft(innovation_definition)
    services.publish_form_version(version=draft, user=admin_user)
    old.refresh_from_db()
    draft.refresh_from_db()
    assert draft.status == FormVersion.Status.PUBLISHED and draft.published_by == admin_user
    assert old.status == FormVersion.Status.RETIRED and old.retired_at is not None
    actions = set(ModelLogEntry.objects.values_list("action", flat=True))
    assert {"wagtail.publish", "forms_engine.retire", "wagtail.create"} <= actions


def test_publish_refuses_a_version_that_is_not_a_draft(innovation_definition):
    with pytest.raises(services.FormVersionStateError):
        services.publish_form_version(version=current(innovation_definition))


def test_publish_refuses_a_draft_tampered_outside_the_services(innovation_definition):
    draft = new_draft(innovation_definition)
    tampered = copy.deepcopy(draft.schema)
    tampered["title"] = "被直接改过"
    FormVersion.objects.filter(pk=draft.pk).update(schema=tampered)
    with pytest.raises(SchemaValidationError) as info:
        services.publish_form_version(version=draft)
    assert info.value.issues[0].code == "checksum_mismatch"


def test_database_allows_only_one_published_version(innovation_definition):
    draft = new_draft(innovation_definition)
    with pytest.raises(IntegrityError), transaction.atomic():
        FormVersion.objects.filter(pk=draft.pk).update(status=FormVersion.Status.PUBLISHED)


def test_retire_leaves_no_current_version(innovation_definition):
    services.retire_form_version(version=current(innovation_definition))
    assert not innovation_definition.versions.filter(status=FormVersion.Status.PUBLISHED).exists()
    with pytest.raises(services.DefinitionNotAvailableError):
        services.resume_or_start_submission(definition=innovation_definition, owner=None)


def test_draft_started_on_v1_stays_on_v1_after_v2_is_published(innovation_definition, enterprise_user,
                                                              other_user):
    v1 = current(innovation_definition)
    started = services.resume_or_start_submission(definition=innovation_definition, owner=enterprise_user)
    v2 = services.publish_form_version(version=new_draft(innovation_definition))
    resumed = services.resume_or_start_submission(definition=innovation_definition, owner=enterprise_user)
    assert resumed.pk == started.pk and resumed.version_id == v1.pk
    fresh = services.resume_or_start_submission(definition=innovation_definition, owner=other_user)
    assert fresh.version_id == v2.pk


def test_version_with_submissions_cannot_be_deleted(innovation_definition, enterprise_user):
    services.resume_or_start_submission(definition=innovation_definition, owner=enterprise_user)
    with pytest.raises(ProtectedError):
        current(innovation_definition).delete()


def test_stale_revision_is_refused_and_nothing_is_overwritten(innovation_definition, enterprise_user):
    submission = services.resume_or_start_submission(definition=innovation_definition, owner=enterprise_user)
    services.save_submission_progress(submission=submission, expected_revision=0, wizard_state={},
                                      answers={"main_product": "第一个窗口"})
    with pytest.raises(services.SubmissionConflictError):
        services.save_submission_progress(submission=FormSubmission.objects.get(pk=submission.pk),
                                          expected_revision=0, wizard_state={},
                                          answers={"main_product": "第二个窗口"})
    submission.refresh_from_db()
    assert submission.answers["main_product"] == "第一个窗口" and submission.revision == 1


def test_submit_refuses_incomplete_answers_listing_every_issue(innovation_definition, enterprise_user,
                                                              innovation_answers):
    submission = services.resume_or_start_submission(definition=innovation_definition, owner=enterprise_user)
    del innovation_answers["revenue"]
    innovation_answers["main_revenue"] = 5000
    submission.answers = innovation_answers
    submission.save()
    with pytest.raises(services.SubmissionInvalidError) as info:
        services.submit_submission(submission=submission)
    issues = {(i.field, i.code) for i in info.value.issues}
    assert ("revenue", "required") in issues
    submission.refresh_from_db()
    assert submission.state == FormSubmission.State.DRAFT and submission.score is None


def test_submit_scores_and_freezes_and_a_second_submit_changes_nothing(innovation_definition, enterprise_user,
                                                                      innovation_answers):
    submission = services.resume_or_start_submission(definition=innovation_definition, owner=enterprise_user)
    submission.answers = innovation_answers
    submission.save()
    done = services.submit_submission(submission=submission)
    assert done.state == FormSubmission.State.SUBMITTED
    assert done.score["total"] == 85 and done.score["outcome"]["qualified"] is True
    assert done.score["groups"]["innovation"]["points"] == 25
    again = services.submit_submission(submission=submission)
    assert again.submitted_at == done.submitted_at and again.revision == done.revision
    with pytest.raises(services.SubmissionClosedError):
        services.save_submission_progress(submission=done, expected_revision=done.revision, wizard_state={},
                                          answers={})


def test_prefill_comes_from_registered_sources(innovation_definition, enterprise_user):
    prefill_sources.register("profile.name", lambda *, user, context: f"{user.username} 有限公司")
    prefill_sources.register("profile.uscc", lambda *, user, context: 1 / 0)  # a broken source
    try:
        submission = services.resume_or_start_submission(definition=innovation_definition, owner=enterprise_user)
    finally:
        prefill_sources.unregister("profile.name")
        prefill_sources.unregister("profile.uscc")
    assert submission.answers["enterprise_name"] == "qiye01 有限公司"
    assert "uscc" not in submission.answers


def test_context_prefill_source_reads_the_submission_context(innovation_definition, enterprise_user):
    schema = copy.deepcopy(current(innovation_definition).schema)
    schema["steps"][0]["sections"][0]["fields"][2]["prefill"] = "context.main_product"
    draft = services.create_form_version(definition=innovation_definition, schema=schema)
    published = services.publish_form_version(version=draft)
    submission = services.start_submission(version=published, owner=enterprise_user,
                                           context={"main_product": "压力传感器"})
    assert submission.answers["main_product"] == "压力传感器"


def test_loading_a_definition_file_twice_creates_nothing_new(innovation_document):
    services.import_definition_document(document=innovation_document)
    report = services.import_definition_document(document=innovation_document)
    assert report == [] and FormVersion.objects.count() == 1


def test_loading_a_changed_published_version_reports_and_keeps_it(innovation_document):
    services.import_definition_document(document=innovation_document)
    changed = copy.deepcopy(innovation_document)
    changed["versions"][0]["schema"]["title"] = "改过的标题"
    report = services.import_definition_document(document=changed)
    assert "未修改" in report[0]
    assert FormVersion.objects.get().schema["title"] == "创新型中小企业自测表"
