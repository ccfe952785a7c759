"""Reads of the form engine and its designer (with the joins they need, so pages keep a constant
query count), and :func:`schema_outline`, the designer's view of a version's schema."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Prefetch, Q, QuerySet
from wagtail.models import ModelLogEntry

from forms_engine.fields import field_types
from forms_engine.models import FormDefinition, FormSubmission, FormVersion, FormVersionReview


def submissions_for_user(user: AbstractBaseUser) -> QuerySet[FormSubmission]:
    """Submissions a user may open: their own (reviewers get theirs through the review app)."""
    return FormSubmission.objects.select_related("version__definition", "owner").filter(owner=user)


def self_service_submissions_for_user(user: AbstractBaseUser) -> QuerySet[FormSubmission]:
    """The user's submissions of self-service forms: what the engine's own pages (/forms/s/…) open.

    A host app's form (a filing, an assessment, a change) is filled and submitted only through the
    host's pages, which add their own checks and confirmation: its submissions are not opened here.
    """
    return submissions_for_user(user).filter(version__definition__self_service=True)


def current_version(definition: FormDefinition, purpose: str = "") -> FormVersion | None:
    return definition.versions.filter(status=FormVersion.Status.PUBLISHED, purpose=purpose).first()


def list_definitions_with_versions() -> QuerySet[FormDefinition]:
    """Every definition with its versions and per-version submission counts (for lists)."""
    return (
        FormDefinition.objects.prefetch_related(
            "versions",
        )
        .annotate(
            draft_count=Count("versions", filter=Q(versions__status=FormVersion.Status.DRAFT), distinct=True),
        )
        .order_by("key")
    )


def versions_with_submission_counts(definition: FormDefinition) -> QuerySet[FormVersion]:
    return definition.versions.annotate(
        submission_count=Count("submissions"),
        submitted_count=Count("submissions", filter=Q(submissions__state=FormSubmission.State.SUBMITTED)),
    ).order_by("-number")


# --- the designer -----------------------------------------------------------------------------


def versions_with_counts() -> QuerySet[FormVersion]:
    return FormVersion.objects.annotate(
        submission_count=Count("submissions", distinct=True),
        submitted_count=Count(
            "submissions", filter=Q(submissions__state=FormSubmission.State.SUBMITTED), distinct=True
        ),
    ).order_by("-number")


def definitions_overview() -> QuerySet[FormDefinition]:
    """Every definition with its versions (newest first) and their submission counts."""
    return FormDefinition.objects.prefetch_related(
        Prefetch(
            "versions", queryset=versions_with_counts().select_related("created_by"), to_attr="version_list"
        ),
    ).order_by("key")


def definition_versions(definition: FormDefinition) -> QuerySet[FormVersion]:
    return (
        versions_with_counts()
        .filter(definition=definition)
        .select_related("created_by", "published_by")
        .prefetch_related(
            Prefetch(
                "reviews", queryset=FormVersionReview.objects.select_related("submitted_by", "decided_by")
            )
        )
    )


def version_for_designer(pk: int) -> FormVersion:
    """Raises FormVersion.DoesNotExist."""
    return FormVersion.objects.select_related("definition", "created_by", "published_by").get(pk=pk)


def latest_review(version: FormVersion) -> FormVersionReview | None:
    return (
        version.reviews.select_related("submitted_by", "decided_by").order_by("-submitted_at", "-pk").first()
    )


def frozen_schemas(definition: FormDefinition) -> list[dict]:
    return list(definition.versions.exclude(status=FormVersion.Status.DRAFT).values_list("schema", flat=True))


def submitted_submissions(version: FormVersion) -> QuerySet[FormSubmission]:
    return version.submissions.filter(state=FormSubmission.State.SUBMITTED).order_by("pk")


def definition_submissions(definition: FormDefinition, limit: int = 200) -> QuerySet[FormSubmission]:
    return (
        FormSubmission.objects.filter(version__definition=definition, state=FormSubmission.State.SUBMITTED)
        .select_related("version")
        .order_by("-submitted_at")[:limit]
    )


def history(definition: FormDefinition) -> QuerySet[ModelLogEntry]:
    """Who created, changed, submitted, approved, rejected, published and retired which version."""
    content_type = ContentType.objects.get_for_model(FormVersion)
    ids = [str(pk) for pk in definition.versions.values_list("pk", flat=True)]
    return (
        ModelLogEntry.objects.filter(content_type=content_type, object_id__in=ids)
        .select_related("user")
        .order_by("-timestamp", "-pk")
    )


# --- the schema as the designer shows it ---------------------------------------------------------

METHOD_LABELS = {
    "option": "按选项分值",
    "bands": "按数值分档",
    "formula": "按公式",
    "count": "按数量",
    "max_of": "取子项最高分",
}
OUTCOME_LABELS = {"none": "只计分，不判定", "qualification": "是否符合条件", "levels": "等级"}


@dataclass(frozen=True)
class OutlineField:
    key: str
    type: str
    type_label: str
    label: str
    required: bool


@dataclass(frozen=True)
class OutlineItem:
    key: str
    label: str
    method_label: str
    max: Any
    group: str


@dataclass(frozen=True)
class Outline:
    """The tree of a version's schema for the editor (read from its JSON, which may be any draft)."""

    title: str
    steps: list[dict[str, Any]]  # {key, title, sections: [{key, title, fields: [OutlineField]}]}
    items: list[OutlineItem]
    groups: list[tuple[str, str]]  # (key, label)
    outcome_type: str
    outcome_label: str
    levels: list[str]

    @property
    def value_fields(self) -> list[tuple[str, str]]:
        """(key, label) of every question (help blocks left out), for the score-item form."""
        return [
            (f.key, f.label)
            for step in self.steps
            for section in step["sections"]
            for f in section["fields"]
            if f.type not in field_types or field_types.get(f.type).has_value
        ]


def _type_label(type_key: Any) -> str:
    return field_types.get(type_key).label if type_key in field_types else str(type_key)


def schema_outline(schema: dict[str, Any]) -> Outline:
    """The designer's outline of a schema's JSON (tolerant: a draft's JSON is shown as it is)."""
    steps = [
        {
            "key": st.get("key"),
            "title": st.get("title", ""),
            "sections": [
                {
                    "key": se.get("key"),
                    "title": se.get("title", ""),
                    "fields": [
                        OutlineField(
                            key=f.get("key"),
                            type=f.get("type"),
                            type_label=_type_label(f.get("type")),
                            label=f.get("label") or f.get("text") or "",
                            required=bool(f.get("required")),
                        )
                        for f in se.get("fields") or []
                        if isinstance(f, dict)
                    ],
                }
                for se in st.get("sections") or []
                if isinstance(se, dict)
            ],
        }
        for st in schema.get("steps") or []
        if isinstance(st, dict)
    ]
    scoring = schema.get("scoring") or {}
    groups = [(g.get("key"), g.get("label", "")) for g in scoring.get("groups") or [] if isinstance(g, dict)]
    group_labels = dict(groups)
    items = [
        OutlineItem(
            key=i.get("key"),
            label=i.get("label", ""),
            method_label=METHOD_LABELS.get(i.get("method"), str(i.get("method"))),
            max=i.get("max"),
            group=group_labels.get(i.get("group"), "—"),
        )
        for i in scoring.get("items") or []
        if isinstance(i, dict)
    ]
    outcome = scoring.get("outcome") or {}
    outcome_type = outcome.get("type", "none")
    levels = [
        f"{lv.get('label')}≥{lv.get('min_total', 0)}"
        for lv in outcome.get("levels") or []
        if isinstance(lv, dict)
    ]
    return Outline(
        title=schema.get("title", ""),
        steps=steps,
        items=items,
        groups=groups,
        outcome_type=outcome_type,
        outcome_label=OUTCOME_LABELS.get(outcome_type, str(outcome_type)),
        levels=levels,
    )
