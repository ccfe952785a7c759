"""Opening an editor page of a shipped form and saving it unchanged changes nothing: every
attribute the forms show is read back exactly, and the ones they do not show are kept."""

from __future__ import annotations

import pytest
from django import forms
from django.urls import reverse

from forms_engine import services
from forms_engine.diff import diff_schemas
from forms_engine.models import FormDefinition
from tests.forms_engine import designer_fixtures as fx
from tests.forms_engine.conftest import load_document

pytestmark = pytest.mark.django_db

author = fx.author
SHIPPED = ["innovation_self_test", "specialized_filing", "digital_manufacturing"]


def as_post(form_or_formset) -> dict:
    """The POST data a browser sends for a page as rendered (unchanged)."""
    data = {}
    forms_ = [form_or_formset]
    if hasattr(form_or_formset, "management_form"):
        forms_ = [form_or_formset.management_form, *form_or_formset.forms]
    for form in forms_:
        for bound in form:
            if bound.field.disabled:
                continue
            value = bound.value()
            if isinstance(bound.field.widget, forms.CheckboxInput):
                if value:
                    data[bound.html_name] = "on"
            elif value is not None:
                data[bound.html_name] = value
    return data


@pytest.fixture(params=SHIPPED)
def shipped_draft(request, author):
    services.import_definition_document(document=load_document(request.param))
    definition = FormDefinition.objects.get(key=request.param)
    source = definition.versions.order_by("-number").first()
    return services.create_draft_from_version(source=source, created_by=author)


def post_unchanged(client, url: str, context_names: list[str]) -> None:
    context = client.get(url).context
    data = {}
    for name in context_names:
        data.update(as_post(context[name]))
    response = client.post(url, data)
    assert response.status_code == 302, (url, response.context and response.context.get("issues"))


def test_saving_every_page_unchanged_keeps_the_schema(client, shipped_draft, author):
    draft = shipped_draft
    before = draft.schema
    client.force_login(author)
    fields = [f["key"] for st in before["steps"] for se in st["sections"] for f in se["fields"]]
    for key in fields:
        post_unchanged(
            client, reverse("forms_designer:field_edit", args=[draft.pk, key]), ["form", "options"]
        )
    for item in (before.get("scoring") or {}).get("items") or []:
        post_unchanged(
            client, reverse("forms_designer:item_edit", args=[draft.pk, item["key"]]), ["form", "bands"]
        )
    for step in before["steps"]:
        post_unchanged(client, reverse("forms_designer:step_edit", args=[draft.pk, step["key"]]), ["form"])
        for section in step["sections"]:
            post_unchanged(
                client, reverse("forms_designer:section_edit", args=[draft.pk, section["key"]]), ["form"]
            )
    for name in ("groups", "validations", "outcome"):
        url = reverse(f"forms_designer:{name}", args=[draft.pk])
        context = client.get(url).context
        data = as_post(context["form"]) if context["form"] else {}
        for _label, formset in context["formsets"]:
            data.update(as_post(formset))
        response = client.post(url, data)
        assert response.status_code == 302, (name, response.context.get("issues"))
    draft.refresh_from_db()
    assert diff_schemas(before, draft.schema).rows == ()
    assert draft.schema == before
