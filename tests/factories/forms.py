"""Factories of the form engine: schemas built in code, definitions, versions through the services.

Engine tests build exactly the form they need instead of loading a shipped definition::

    schema = make_schema(field("revenue", "money", required=True), field("staff", "integer", unit="人"))
    version = FormVersionFactory(schema=schema)               # published (through the services)
    draft = FormVersionFactory(definition=version.definition, schema=schema, status="draft")
    submission = SubmissionFactory(version=version, answers={"revenue": 100})
"""

from __future__ import annotations

from typing import Any

import factory

from forms_engine import services
from forms_engine.models import FormDefinition, FormSubmission, FormVersion
from tests.factories.accounts import UserFactory


def field(key: str, type: str = "integer", label: str | None = None, **attrs: Any) -> dict[str, Any]:
    """One field of a schema (``label`` defaults to the key)."""
    return {"key": key, "type": type, "label": label or key, **attrs}


def option(value: str, label: str | None = None, score: Any = None, **attrs: Any) -> dict[str, Any]:
    item = {"value": value, "label": label or value, **attrs}
    if score is not None:
        item["score"] = score
    return item


def make_schema(
    *fields: dict[str, Any],
    steps: list[list[dict[str, Any]]] | None = None,
    validations: list[dict[str, Any]] | None = None,
    scoring: dict[str, Any] | None = None,
    title: str = "测试表单",
    **top: Any,
) -> dict[str, Any]:
    """A format-2 schema: ``fields`` in one step, or ``steps`` as lists of fields (one section each)."""
    step_fields = steps or [list(fields)]
    schema: dict[str, Any] = {
        "format": 2,
        "title": title,
        "steps": [
            {
                "key": f"step{i}",
                "title": f"第{i}步",
                "sections": [{"key": f"section{i}", "title": f"分组{i}", "fields": fs}],
            }
            for i, fs in enumerate(step_fields, start=1)
        ],
        **top,
    }
    if validations:
        schema["validations"] = validations
    if scoring:
        schema["scoring"] = scoring
    return schema


def simple_schema() -> dict[str, Any]:
    return make_schema(
        field("revenue", "money", "营业收入", required=True),
        field("staff", "integer", "职工人数", unit="人"),
        field("note", "text", "说明"),
    )


class OwnerFactory(UserFactory):
    """A login that fills in forms (the engine knows only the owner user)."""

    username = factory.Sequence(lambda n: f"tianbao{n:03d}")


class FormDefinitionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FormDefinition
        django_get_or_create = ("key",)

    key = factory.Sequence(lambda n: f"test_form_{n}")
    title = factory.Sequence(lambda n: f"测试表单{n}")
    category = FormDefinition.Category.FILING
    # the engine's own pages (/forms/fill/, /forms/s/…) serve self-service forms only; host apps'
    # forms (filings, assessments, changes) say self_service=False
    self_service = True


class FormVersionFactory(factory.Factory):
    """A version created (and, unless ``status="draft"``, published) through the services, so
    checksums, numbering and retiring behave as in production."""

    class Meta:
        model = FormVersion

    definition = factory.SubFactory(FormDefinitionFactory)
    schema = factory.LazyFunction(simple_schema)
    status = FormVersion.Status.PUBLISHED
    purpose = ""

    @classmethod
    def _create(
        cls,
        model_class: type,
        *,
        definition: FormDefinition,
        schema: dict[str, Any],
        status: str,
        purpose: str,
        **attrs: Any,
    ) -> FormVersion:
        version = services.create_form_version(definition=definition, schema=schema, purpose=purpose, **attrs)
        if status in (FormVersion.Status.PUBLISHED, FormVersion.Status.RETIRED):
            version = services.publish_form_version(version=version)
        if status == FormVersion.Status.RETIRED:
            version = services.retire_form_version(version=version)
        return version


class SubmissionFactory(factory.Factory):
    """A draft started through the services (``answers`` overlay the prefilled ones)."""

    class Meta:
        model = FormSubmission

    version = factory.SubFactory(FormVersionFactory)
    owner = factory.SubFactory(OwnerFactory)
    context = factory.LazyFunction(dict)
    answers = factory.LazyFunction(dict)

    @classmethod
    def _create(
        cls,
        model_class: type,
        *,
        version: FormVersion,
        owner: Any,
        context: dict,
        answers: dict,
        **attrs: Any,
    ) -> FormSubmission:
        submission = services.start_submission(version=version, owner=owner, context=context)
        if answers:
            submission = services.save_submission_progress(
                submission=submission,
                expected_revision=submission.revision,
                wizard_state={},
                answers={**submission.answers, **answers},
            )
        return submission
