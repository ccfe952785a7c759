"""认证到期管理 and 复核 (F-26, F-43): 【去复核】 inside the renewal window starts a 复核 filing linked
to the recognition, reviewed through the chain like any filing; the recognition stays in force
during 复核; passing gives 3 more years with a new number; failing ends it at expiry."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from forms_engine import services as engine
from portal.filings.models import Filing, FilingRequirement
from portal.filings.services import FilingRefusedError
from portal.filings.states import State
from portal.inbox.models import Message
from portal.lifecycle import selectors, services
from portal.lifecycle.models import AnnualUpdate, RenewalRule
from portal.recognition.models import Recognition
from portal.recognition.services import import_recognition
from portal.review.actions import PassFilingAction, RejectFilingAction
from tests.factories import recognition as factories
from tests.factories.forms import FormVersionFactory, field, make_schema

from .conftest import verified_enterprise

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def renewal_form(db):
    """A small 复核 form for 创新型 (the shipped forms have their own tests), no evidence zip needed."""
    version = FormVersionFactory(
        schema=make_schema(field("revenue", "integer", "营业收入（万元）"), title="复核表（测试）")
    )
    RenewalRule.objects.create(level="innovative", opens_days=90, definition_key=version.definition.key)
    FilingRequirement.objects.filter(level="innovative", province__isnull=True).update(
        requires_evidence=False
    )
    return version


def recognised(region, *, days_left: int) -> Recognition:
    enterprise = verified_enterprise(region)
    until = timezone.localdate() + dt.timedelta(days=days_left)
    valid_from = until.replace(year=until.year - 3) + dt.timedelta(days=1)
    return import_recognition(
        enterprise=enterprise, level="innovative", year=valid_from.year, valid_from=valid_from
    )


def submit(filing: Filing) -> Filing:
    submission = filing.submission
    submission.answers = {"revenue": 5000}
    submission.save(update_fields=["answers"])
    engine.submit_submission(submission=submission, user=filing.enterprise.owner)
    return Filing.objects.get(pk=filing.pk)


@pytest.fixture
def chain_reviewers(regions):
    return [
        factories.reviewer_user(level="county", region=regions["440305"], username="ns_county"),
        factories.reviewer_user(level=factories.CITY, region=regions["440300"], username="sz_city2"),
        factories.reviewer_user(level=factories.PROVINCE, region=regions["440000"], username="gd_prov2"),
    ]


def pass_through(filing, reviewers) -> Filing:
    for reviewer in reviewers:
        PassFilingAction(Filing.objects.get(pk=filing.pk), user=reviewer).execute()
    return Filing.objects.get(pk=filing.pk)


def test_passing_renews_for_three_years_with_a_new_number(regions, chain_reviewers):
    old = recognised(regions["440305"], days_left=30)
    filing = services.start_renewal(recognition=old, user=old.enterprise.owner)
    assert filing.kind == "renewal" and filing.renewal_of == old and filing.window is None
    assert services.start_renewal(recognition=old, user=old.enterprise.owner) == filing  # resumes

    filing = submit(filing)
    assert filing.state == State.PENDING and filing.current_level == "county"
    old.refresh_from_db()
    assert old.renewal_pending and old.current_status == "valid"

    filing = pass_through(filing, chain_reviewers)
    assert filing.state == State.RECOGNISED
    new = Recognition.objects.get(filing=filing)
    old.refresh_from_db()
    assert new.valid_from == old.valid_until + dt.timedelta(days=1)
    assert new.valid_until == new.valid_from.replace(year=new.valid_from.year + 3) - dt.timedelta(days=1)
    assert new.number != old.number and old.status == "valid" and not old.renewal_pending
    enterprise = new.enterprise
    enterprise.refresh_from_db()
    assert enterprise.recognition_valid_until == new.valid_until
    message = Message.objects.get(enterprise=enterprise, category="recognition")
    assert "复核通过" in message.title and new.number in message.body
    assert selectors.renewal_state(old).code == "renewed"


def test_failing_ends_the_recognition_at_expiry(regions, chain_reviewers):
    old = recognised(regions["440305"], days_left=5)
    filing = submit(services.start_renewal(recognition=old, user=old.enterprise.owner))
    # the review outlasts the validity: the recognition stays in force meanwhile
    Recognition.objects.filter(pk=old.pk).update(
        valid_from=old.valid_from - dt.timedelta(days=10),
        valid_until=timezone.localdate() - dt.timedelta(days=1),
    )
    old.refresh_from_db()
    assert old.current_status == "valid"
    RejectFilingAction(filing, user=chain_reviewers[0], comment="研发投入不达标").execute()
    old.refresh_from_db()
    assert old.status == "expired" and not old.renewal_pending
    old.enterprise.refresh_from_db()
    assert not old.enterprise.is_recognised
    assert selectors.renewal_state(old).code == "failed"


def test_refusals_name_their_reason(regions):
    far = recognised(regions["440305"], days_left=200)
    with pytest.raises(FilingRefusedError) as exc:
        services.start_renewal(recognition=far, user=far.enterprise.owner)
    opens = far.valid_until - dt.timedelta(days=90)
    assert (
        exc.value.code == "not_yet_open"
        and f"{opens.year}年{opens.month}月{opens.day}日" in exc.value.messages[0]
    )

    near = recognised(regions["440304"], days_left=20)
    cycle = selectors.last_closed_cycle(timezone.localdate())
    AnnualUpdate.objects.create(
        enterprise=near.enterprise, year=cycle.year, deadline=cycle.end, state=AnnualUpdate.State.MISSED
    )
    with pytest.raises(FilingRefusedError) as exc:
        services.start_renewal(recognition=near, user=near.enterprise.owner)
    assert exc.value.code == "ineligible" and "不具备复核资格" in exc.value.messages[0]
    assert not Filing.objects.filter(kind="renewal").exists()


def test_the_page_offers_renewal_only_to_the_recognised(client, regions):
    rec = recognised(regions["440305"], days_left=30)
    client.force_login(rec.enterprise.owner)
    html = client.get(reverse("renewals:index")).content.decode()
    assert "【去复核】" in html and rec.number in html
    response = client.post(reverse("renewals:start", args=[rec.pk]))
    filing = Filing.objects.get(renewal_of=rec)
    assert response.status_code == 302 and response["Location"] == reverse("filings:fill", args=[filing.pk])

    other = verified_enterprise(regions["440304"])
    client.force_login(other.owner)
    html = client.get(reverse("renewals:index")).content.decode()
    assert "【去复核】" not in html and "暂无认定记录" in html
    assert client.post(reverse("renewals:start", args=[rec.pk])).status_code == 404
