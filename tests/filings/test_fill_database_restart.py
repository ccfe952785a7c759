"""The filing wizard while PostgreSQL restarts (issue 13.7): a 【暂存】 that meets the restart tells
the person (503 系统繁忙) and keeps what was typed, stores nothing half-written, and goes through
when posted again; one that was stored just before the connection broke is not a conflict when it
is posted again. The outage is made with Django's execute_wrapper: the statements the database
would have refused raise the OperationalError Django raises then."""

from __future__ import annotations

import contextlib
import html
import re

import pytest
from django.db import OperationalError, connection
from django.test import Client

from forms_engine.models import FormSubmission
from tests.factories.filings import (
    FilingEnterpriseFactory,
    FilingFactory,
    FilingWindowFactory,
    filing_forms,
    nationwide_requirements,
)

# no test-wide transaction: as in production, a statement that fails ends nothing but its request
pytestmark = pytest.mark.django_db(transaction=True)

HIDDEN = re.compile(r'<input type="hidden" name="([^"]*)" value="([^"]*)">')
JSON = {"HTTP_ACCEPT": "application/json"}


@pytest.fixture
def filing():
    nationwide_requirements()  # flushed by the transactional tests before this one
    filing_forms()
    enterprise = FilingEnterpriseFactory(name="深圳市重启测试科技有限公司")
    return FilingFactory(enterprise=enterprise, window=FilingWindowFactory())


@pytest.fixture
def client(filing):
    client = Client(raise_request_exception=False)
    client.force_login(filing.enterprise.owner)
    return client


@contextlib.contextmanager
def database_down_at(fragment: str):
    """Every statement from the first one containing ``fragment`` on fails, as after a restart."""
    down = []

    def wrapper(execute, sql, params, many, context):
        if down or fragment in sql:
            down.append(sql)
            raise OperationalError("terminating connection due to administrator command")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        yield down


def save_fields(filing, revision: int, product: str) -> dict[str, str]:
    return {
        f"form_{filing.submission.version_id}-current_step": "basic",
        "wizard_action": "save",
        "wizard_revision": str(revision),
        "basic-main_product": product,
    }


def submission(filing) -> FormSubmission:
    return FormSubmission.objects.get(pk=filing.submission_id)


def test_a_save_that_meets_the_restart_keeps_what_was_typed_and_goes_through_again(client, filing):
    url = f"/enterprise/filings/{filing.pk}/fill/"
    before = submission(filing)
    with database_down_at('UPDATE "forms_engine_formsubmission"') as down:
        response = client.post(url, save_fields(filing, before.revision, "重启时填写的产品"))
    assert down  # the save did meet the outage
    body = response.content.decode()
    assert response.status_code == 503 and "系统繁忙" in body and "已保留在本页" in body
    kept = [(html.unescape(k), html.unescape(v)) for k, v in HIDDEN.findall(body)]
    assert ("basic-main_product", "重启时填写的产品") in kept
    assert submission(filing).revision == before.revision  # nothing stored

    # 【重新提交】 once the database is back: exactly the kept fields
    again = client.post(url, dict(kept))
    assert again.status_code == 200 and "已暂存" in again.content.decode()
    stored = submission(filing)
    assert stored.revision == before.revision + 1 and stored.answers["main_product"] == "重启时填写的产品"


def test_the_in_place_save_gets_json_so_the_page_stays_as_typed(client, filing):
    before = submission(filing)
    with database_down_at('UPDATE "forms_engine_formsubmission"'):
        response = client.post(
            f"/enterprise/filings/{filing.pk}/fill/", save_fields(filing, before.revision, "传感器"), **JSON
        )
    assert response.status_code == 503
    assert response.json()["unavailable"] is True and "系统繁忙" in response.json()["message"]
    assert submission(filing).revision == before.revision


def test_a_save_stored_before_the_connection_broke_is_no_conflict_when_posted_again(client, filing):
    url = f"/enterprise/filings/{filing.pk}/fill/"
    revision = submission(filing).revision
    # stored; then the database went away while the answer was on its way (the person saw 系统繁忙)
    first = client.post(url, save_fields(filing, revision, "已存的产品"), **JSON)
    assert first.json()["saved"] is True

    again = client.post(url, save_fields(filing, revision, "已存的产品"), **JSON)
    assert again.json()["saved"] is True and again.json()["revision"] == revision + 2
    assert submission(filing).answers["main_product"] == "已存的产品"

    # something else typed on a page that old is still a conflict (another tab saved meanwhile)
    other = client.post(url, save_fields(filing, revision + 1, "别的内容"), **JSON)
    assert other.json() == {"saved": False}
    assert submission(filing).answers["main_product"] == "已存的产品"


def test_a_stored_save_stands_when_only_the_session_refresh_fails(client, filing, settings):
    settings.SESSION_REFRESH_SECONDS = 0  # the idle timer's refresh is due at this save
    revision = submission(filing).revision
    with database_down_at('UPDATE "django_session"') as down:
        response = client.post(
            f"/enterprise/filings/{filing.pk}/fill/", save_fields(filing, revision, "会话刷新失败"), **JSON
        )
    assert down  # the idle timer's refresh met the outage
    assert response.status_code == 200 and response.json()["saved"] is True
    assert submission(filing).answers["main_product"] == "会话刷新失败"
