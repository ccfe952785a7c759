"""The engine's own submission pages open self-service forms only: a host's form (a filing, an
assessment, a change) is filled and submitted through the host's pages and their checks."""

import pytest

from tests.factories.forms import FormDefinitionFactory, FormVersionFactory, SubmissionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def host_owned():
    version = FormVersionFactory(definition=FormDefinitionFactory(key="host_form", self_service=False))
    return SubmissionFactory(version=version)


@pytest.mark.parametrize("path", ["/forms/s/{uuid}/", "/forms/s/{uuid}/result/", "/forms/s/{uuid}/migrate/"])
def test_a_host_owned_draft_is_not_opened_by_the_engines_pages(client, host_owned, path):
    client.force_login(host_owned.owner)
    assert client.get(path.format(uuid=host_owned.uuid)).status_code == 404


def test_a_host_owned_draft_cannot_be_submitted_through_the_engines_wizard(client, host_owned):
    client.force_login(host_owned.owner)
    response = client.post(f"/forms/s/{host_owned.uuid}/", {"wizard_action": "submit"})
    assert response.status_code == 404
    host_owned.refresh_from_db()
    assert host_owned.is_draft


def test_a_self_service_draft_still_opens(client):
    version = FormVersionFactory(definition=FormDefinitionFactory(key="own_form", self_service=True))
    submission = SubmissionFactory(version=version)
    client.force_login(submission.owner)
    assert client.get(f"/forms/s/{submission.uuid}/").status_code == 200
