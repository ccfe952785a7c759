"""Reads of the form engine (with the joins they need, so pages keep a constant query count)."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Count, Q, QuerySet

from forms_engine.models import FormDefinition, FormSubmission, FormVersion


def submissions_for_user(user: AbstractBaseUser) -> QuerySet[FormSubmission]:
    """Submissions a user may open: their own (reviewers get theirs through the review app)."""
    return FormSubmission.objects.select_related("version__definition", "owner").filter(owner=user)


def current_version(definition: FormDefinition) -> FormVersion | None:
    return definition.versions.filter(status=FormVersion.Status.PUBLISHED).first()


def list_definitions_with_versions() -> QuerySet[FormDefinition]:
    """Every definition with its versions and per-version submission counts (for lists)."""
    return FormDefinition.objects.prefetch_related(
        "versions",
    ).annotate(
        draft_count=Count("versions", filter=Q(versions__status=FormVersion.Status.DRAFT), distinct=True),
    ).order_by("key")


def versions_with_submission_counts(definition: FormDefinition) -> QuerySet[FormVersion]:
    return definition.versions.annotate(
        submission_count=Count("submissions"),
        submitted_count=Count("submissions", filter=Q(submissions__state=FormSubmission.State.SUBMITTED)),
    ).order_by("-number")
