"""Designer services: key freezing on save, two-person approval, publishing only when approved."""

from __future__ import annotations

import copy

import pytest
from wagtail.models import ModelLogEntry

from forms_engine import services
from forms_engine.models import FormSubmission, FormVersion, FormVersionReview
from forms_engine.schema import SchemaValidationError
from tests.forms_engine import designer_fixtures as fx

pytestmark = pytest.mark.django_db

# shared fixtures (tests/forms_engine/conftest.py belongs to the engine)
digital, author, approver, draft = fx.digital, fx.author, fx.approver, fx.draft


def field(schema: dict, key: str) -> dict:
    return next(f for st in schema["steps"] for se in st["sections"] for f in se["fields"] if f["key"] == key)


def test_save_draft_schema_refuses_a_frozen_key_with_another_type(draft, author):
    schema = copy.deepcopy(draft.schema)
    field(schema, "equipment_total").update(type="text")
    with pytest.raises(SchemaValidationError) as exc:
        services.save_draft_schema(version=draft, schema=schema, user=author)
    assert "frozen_key_type_changed" in {i.code for i in exc.value.issues}


def test_save_draft_schema_allows_removing_a_frozen_field(draft, author):
    schema = copy.deepcopy(draft.schema)
    for step in schema["steps"]:
        for section in step["sections"]:
            section["fields"] = [f for f in section["fields"] if f["key"] != "pass_rate_value"]
    saved = services.save_draft_schema(version=draft, schema=schema, user=author)
    assert "pass_rate_value" not in {f.key for f in saved.parsed.fields}


def test_submit_refuses_a_draft_with_issues(draft, author):
    FormVersion.objects.filter(pk=draft.pk).update(schema={**draft.schema, "steps": []})
    draft.refresh_from_db()
    with pytest.raises(SchemaValidationError):
        services.submit_version_for_approval(version=draft, user=author)
    assert not draft.reviews.exists()


def test_submit_refuses_a_published_version(digital, author):
    with pytest.raises(services.FormVersionStateError):
        services.submit_version_for_approval(version=digital.versions.get(number=1), user=author)


def test_submit_twice_is_refused(draft, author):
    services.submit_version_for_approval(version=draft, user=author)
    with pytest.raises(services.FormVersionApprovalError) as exc:
        services.submit_version_for_approval(version=draft, user=author)
    assert exc.value.code == "already_pending"


def test_author_cannot_approve_own_submission(draft, author):
    services.submit_version_for_approval(version=draft, user=author)
    with pytest.raises(services.FormVersionApprovalError) as exc:
        services.approve_version(version=draft, user=author)
    assert exc.value.code == "self_approval"
    assert "不能审批自己提交的版本" in str(exc.value)


def test_approve_without_submission_is_refused(draft, approver):
    with pytest.raises(services.FormVersionApprovalError) as exc:
        services.approve_version(version=draft, user=approver)
    assert exc.value.code == "not_pending"


def test_reject_needs_a_comment(draft, author, approver):
    services.submit_version_for_approval(version=draft, user=author)
    with pytest.raises(services.FormVersionApprovalError) as exc:
        services.reject_version(version=draft, user=approver, comment=" ")
    assert exc.value.code == "comment_required"
    review = services.reject_version(version=draft, user=approver, comment="分值依据不足")
    assert review.decision == FormVersionReview.Decision.REJECTED


def test_approval_required_before_publish(draft, author):
    with pytest.raises(services.FormVersionApprovalError) as exc:
        services.publish_approved_version(version=draft, user=author)
    assert exc.value.code == "not_approved"
    draft.refresh_from_db()
    assert draft.status == FormVersion.Status.DRAFT


def test_editing_after_approval_voids_it(draft, author, approver):
    services.submit_version_for_approval(version=draft, user=author)
    services.approve_version(version=draft, user=approver, comment="同意")
    schema = copy.deepcopy(draft.schema)
    schema["title"] = schema["title"] + "（修订）"
    draft = services.save_draft_schema(version=draft, schema=schema, user=author)
    with pytest.raises(services.FormVersionApprovalError):
        services.publish_approved_version(version=draft, user=author)


def test_edit_after_submission_makes_approval_stale(draft, author, approver):
    services.submit_version_for_approval(version=draft, user=author)
    schema = copy.deepcopy(draft.schema)
    schema["title"] = "改过"
    services.save_draft_schema(version=draft, schema=schema, user=author)
    with pytest.raises(services.FormVersionApprovalError) as exc:
        services.approve_version(version=draft, user=approver)
    assert exc.value.code == "stale"
    services.submit_version_for_approval(version=draft, user=author)  # resubmitting replaces the old request
    assert draft.reviews.filter(decision=FormVersionReview.Decision.PENDING).count() == 1


def test_approved_draft_publishes_and_keeps_submissions(digital, draft, author, approver, enterprise_user):
    v1 = digital.versions.get(number=1)
    earlier = services.start_submission(version=v1, owner=enterprise_user)
    services.submit_version_for_approval(version=draft, user=author, note="调整分值")
    services.approve_version(version=draft, user=approver, comment="同意")
    published = services.publish_approved_version(version=draft, user=approver)
    assert published.status == FormVersion.Status.PUBLISHED and published.effective_date is not None
    v1.refresh_from_db()
    assert v1.status == FormVersion.Status.RETIRED
    assert FormSubmission.objects.get(pk=earlier.pk).version_id == v1.pk
    actions = set(ModelLogEntry.objects.filter(object_id=str(draft.pk)).values_list("action", flat=True))
    assert {"forms_engine.submit_for_approval", "forms_engine.approve", "wagtail.publish"} <= actions


def test_approving_and_publishing_need_the_permission_whoever_calls(draft, author, django_user_model):
    """The approve / publish actions check the permission themselves (not only the views)."""
    from django.core.exceptions import PermissionDenied

    from tests.forms_engine.designer_fixtures import make_staff

    designer_only = make_staff(django_user_model, "designer_only", group=None)
    services.submit_version_for_approval(version=draft, user=author)
    with pytest.raises(PermissionDenied):
        services.approve_version(version=draft, user=designer_only, comment="同意")
    with pytest.raises(PermissionDenied):
        services.publish_approved_version(version=draft, user=designer_only)
    assert draft.reviews.get().decision == FormVersionReview.Decision.PENDING
    assert not ModelLogEntry.objects.filter(action="forms_engine.approve").exists()


def test_a_second_approval_is_refused_and_logged_once(draft, author, approver):
    services.submit_version_for_approval(version=draft, user=author)
    services.approve_version(version=draft, user=approver, comment="同意")
    with pytest.raises(services.FormVersionApprovalError) as exc:
        services.approve_version(version=draft, user=approver, comment="同意")
    assert exc.value.code == "not_pending"
    assert ModelLogEntry.objects.filter(action="forms_engine.approve").count() == 1


def test_the_operator_path_publishes_without_approval_or_user(draft):
    published = services.publish_form_version(version=draft)
    assert published.status == FormVersion.Status.PUBLISHED
    entry = ModelLogEntry.objects.get(action="wagtail.publish", object_id=str(draft.pk))
    assert entry.user_id is None and entry.data["number"] == draft.number
