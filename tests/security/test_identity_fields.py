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


def test_a_filing_keeps_the_verified_identity_whatever_is_posted(client, world):
    filing, b = world.b_filing_draft, world.users["enterprise_b"]
    submission = filing.submission
    b_uscc, a = world.enterprise_b_enterprise.uscc, world.enterprise_a_enterprise
    client.force_login(b)
    url = f"/enterprise/filings/{filing.pk}/fill/"
    page = client.get(url)
    form = page.context["form"]
    assert form.fields["enterprise_name"].disabled and form.fields["uscc"].disabled
    assert B_NAME in page.content.decode()
    response = client.post(
        url,
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
