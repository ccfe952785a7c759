"""Reads of the designer, with the joins and counts its pages need."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Prefetch, Q, QuerySet
from wagtail.models import ModelLogEntry

from forms_engine.models import FormDefinition, FormSubmission, FormVersion, FormVersionReview


def versions_with_counts() -> QuerySet[FormVersion]:
    return FormVersion.objects.annotate(
        submission_count=Count("submissions", distinct=True),
        submitted_count=Count("submissions", filter=Q(submissions__state=FormSubmission.State.SUBMITTED),
                              distinct=True),
    ).order_by("-number")


def definitions_overview() -> QuerySet[FormDefinition]:
    """Every definition with its versions (newest first) and their submission counts."""
    return FormDefinition.objects.prefetch_related(
        Prefetch("versions", queryset=versions_with_counts().select_related("created_by"), to_attr="version_list"),
    ).order_by("key")


def definition_versions(definition: FormDefinition) -> QuerySet[FormVersion]:
    return versions_with_counts().filter(definition=definition).select_related(
        "created_by", "published_by").prefetch_related(
        Prefetch("reviews", queryset=FormVersionReview.objects.select_related("submitted_by", "decided_by")))


def version_for_designer(pk: int) -> FormVersion:
    """Raises FormVersion.DoesNotExist."""
    return FormVersion.objects.select_related("definition", "created_by", "published_by").get(pk=pk)


def latest_review(version: FormVersion) -> FormVersionReview | None:
    return version.reviews.select_related("submitted_by", "decided_by").order_by("-submitted_at", "-pk").first()


def frozen_schemas(definition: FormDefinition) -> list[dict]:
    return list(definition.versions.exclude(status=FormVersion.Status.DRAFT).values_list("schema", flat=True))


def submitted_submissions(version: FormVersion) -> QuerySet[FormSubmission]:
    return version.submissions.filter(state=FormSubmission.State.SUBMITTED).select_related("owner").order_by("pk")


def definition_submissions(definition: FormDefinition, limit: int = 200) -> QuerySet[FormSubmission]:
    return (FormSubmission.objects.filter(version__definition=definition, state=FormSubmission.State.SUBMITTED)
            .select_related("owner", "version").order_by("-submitted_at")[:limit])


def history(definition: FormDefinition) -> QuerySet[ModelLogEntry]:
    """Who created, changed, submitted, approved, rejected, published and retired which version."""
    content_type = ContentType.objects.get_for_model(FormVersion)
    ids = [str(pk) for pk in definition.versions.values_list("pk", flat=True)]
    return (ModelLogEntry.objects.filter(content_type=content_type, object_id__in=ids)
            .select_related("user").order_by("-timestamp", "-pk"))
