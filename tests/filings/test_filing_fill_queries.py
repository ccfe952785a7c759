"""The filing wizard's 【暂存】 reads the filing, its enterprise, submission and version in one query
and runs the same number of queries whatever the data (issue 11, "Benchmarks"); the pages of a
filing still answer 404 to anyone but its enterprise."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from forms_engine.services import import_definition_document
from portal.filings import services
from portal.filings.models import FilingEvent, FilingWindow
from tests.accounts.factories import VerifiedLegalAccountFactory
from tests.factories.enterprises import CompleteEnterpriseFactory, _reference_rows

pytestmark = pytest.mark.django_db

FORM = Path(settings.BASE_DIR) / "fixtures" / "forms" / "innovation_self_test.json"


@pytest.fixture
def window(db):
    import_definition_document(document=json.loads(FORM.read_text(encoding="utf-8")))
    county, _ = _reference_rows()
    now = timezone.now()
    return FilingWindow.objects.create(
        province=county.parent.parent,
        level="innovative",
        year=now.year,
        opens_at=now - dt.timedelta(days=1),
        closes_at=now + dt.timedelta(days=30),
    )


def filing_of_new_enterprise():
    account = VerifiedLegalAccountFactory()
    enterprise = CompleteEnterpriseFactory(owner=account.user, uscc=account.uscc)
    return services.start_filing(enterprise=enterprise, user=account.user, level="innovative")


def save(client: Client, filing, text: str, **headers):
    submission = filing.submission
    submission.refresh_from_db()
    with CaptureQueriesContext(connection) as ctx:
        response = client.post(
            f"/enterprise/filings/{filing.pk}/fill/",
            {
                f"form_{submission.version_id}-current_step": "basic",
                "wizard_action": "save",
                "wizard_revision": submission.revision,
                "basic-main_product": text,
            },
            **headers,
        )
    assert response.status_code == 200
    return len(ctx.captured_queries), response


def test_a_save_runs_the_same_few_queries_whatever_the_data(window):
    filing = filing_of_new_enterprise()
    client = Client()
    client.force_login(filing.enterprise.owner)
    client.get(f"/enterprise/filings/{filing.pk}/fill/")  # stamps the session's idle-timer refresh
    in_place, response = save(client, filing, "甲", HTTP_ACCEPT="application/json")
    assert response.json()["saved"] is True
    page, response = save(client, filing, "乙")
    assert "已暂存" in response.content.decode()
    for _ in range(5):
        filing_of_new_enterprise()
    FilingEvent.objects.bulk_create(
        FilingEvent(filing=filing, action="evidence", actor_role="enterprise") for _ in range(50)
    )
    assert save(client, filing, "丙" * 100, HTTP_ACCEPT="application/json")[0] == in_place
    assert save(client, filing, "丁" * 100)[0] == page
    # session, user, the filing with everything it needs, the update (the session's idle-timer
    # refresh, 3 more, comes at most once a minute); the page adds the centre navigation's unread count
    assert in_place <= 4 and page <= 5
    filing.submission.refresh_from_db()
    assert filing.submission.answers["main_product"] == "丁" * 100


def test_the_pages_of_a_filing_answer_404_to_another_enterprise(window):
    filing = filing_of_new_enterprise()
    other = filing_of_new_enterprise()
    client = Client()
    client.force_login(other.enterprise.owner)
    for suffix in ("", "fill/", "submit/", "pdf/"):
        assert client.get(f"/enterprise/filings/{filing.pk}/{suffix}").status_code == 404
    assert client.get(f"/enterprise/filings/{other.pk}/fill/").status_code == 200
    assert client.get(f"/enterprise/filings/{other.pk}/submit/").status_code == 200
