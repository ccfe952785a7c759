"""Issue 8, item 10: the enterprise name and USCC a form takes from the verified profile cannot be
changed by the enterprise — read-only on the page and taken server-side, whatever is posted."""

from __future__ import annotations

import pytest

from forms_engine.models import FormSubmission
from forms_engine.prefill import prefill_sources
from tests.security.world import B_NAME

pytestmark = pytest.mark.django_db


def test_the_verified_identity_sources_are_locked():
    for name in ("name", "uscc", "legal_representative"):
        assert prefill_sources.is_locked(f"profile.{name}"), name
    assert not prefill_sources.is_locked("profile.employees")  # the rest of the profile is a suggestion


def test_the_self_test_keeps_the_verified_identity_whatever_is_posted(client, world):
    submission, b = world.b_submission, world.users["enterprise_b"]
    b_uscc, a = world.enterprise_b_enterprise.uscc, world.enterprise_a_enterprise
    client.force_login(b)
    page = client.get(f"/forms/s/{submission.uuid}/")
    form = page.context["form"]
    assert form.fields["enterprise_name"].disabled and form.fields["uscc"].disabled
    assert B_NAME in page.content.decode()
    response = client.post(
        f"/forms/s/{submission.uuid}/",
        {
            f"form_{submission.version_id}-current_step": "basic",
            "wizard_action": "save",
            "wizard_revision": submission.revision,
            "basic-enterprise_name": a.name,  # another enterprise's identity
            "basic-uscc": a.uscc,
            "basic-main_product": "数控机床",
        },
    )
    assert response.status_code == 200
    saved = FormSubmission.objects.get(pk=submission.pk)
    assert (saved.answers["enterprise_name"], saved.answers["uscc"]) == (B_NAME, b_uscc)
    assert saved.answers["main_product"] == "数控机床"
