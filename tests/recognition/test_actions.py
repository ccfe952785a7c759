"""The deciding level's verbs: 公示 (CreatePublicityAction) and 认定 (RecogniseFilingAction)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from wagtail.models import ModelLogEntry, PageLogEntry

from cms.models import NoticePage
from forms_engine.actions import ActionError
from portal.enterprises.models import Enterprise
from portal.filings.states import State
from portal.recognition.actions import CreatePublicityAction, RecogniseFilingAction, recognise_publicity
from portal.recognition.models import ProvinceRecognitionSetting, Publicity, Recognition
from tests.factories import recognition as factories

from .fake_inbox import messages

pytestmark = pytest.mark.django_db

LEVEL = Enterprise.RecognitionLevel


def publicise(filings, user, **kwargs):
    return CreatePublicityAction(filings, user=user, **kwargs).execute()


# --- 公示 ----------------------------------------------------------------------------------------


def test_a_publicity_drafts_a_provincial_notice_listing_the_enterprises(regions, site, gd_reviewer, inbox):
    first = factories.approved_filing(region=regions["440305"])
    second = factories.approved_filing(region=regions["440304"])

    publicity = publicise([first, second], gd_reviewer)

    assert publicity.state == Publicity.State.DRAFT and publicity.period_start is None
    assert publicity.period_days == 5  # Guangdong: the default, 5 calendar days
    assert publicity.province.code == "440000" and publicity.deciding_level == "province"
    assert publicity.title == f"广东省{timezone.localdate().year}年拟认定创新型中小企业名单公示"
    notice = NoticePage.objects.get(pk=publicity.notice_id)
    assert not notice.live and notice.has_unpublished_changes
    assert (notice.level, notice.province, notice.get_parent().specific_class.__name__) == (
        "provincial",
        "440000",
        "NoticeIndexPage",
    )
    for filing in (first, second):
        filing.refresh_from_db()
        assert filing.state == State.PUBLICISING
        assert filing.enterprise.name in str(notice.body) and filing.enterprise.uscc in str(notice.body)
        assert filing.events.filter(action="publicise").exists()
        assert messages(inbox, "filing", filing.enterprise)[0]["title"] == "申报进入公示"
    assert "创新型中小企业" in str(notice.body) and "5 天" in str(notice.body)
    assert ModelLogEntry.objects.filter(action="recognition.publicity_create").count() == 1
    assert PageLogEntry.objects.filter(page=notice, action="wagtail.create").exists()


def test_a_province_setting_gives_its_own_period(regions, site, gd_reviewer):
    ProvinceRecognitionSetting.objects.create(province=regions["440000"], publicity_days=7)
    publicity = publicise([factories.approved_filing(region=regions["440305"])], gd_reviewer)
    assert publicity.period_days == 7


def test_the_period_starts_when_the_notice_is_published(regions, site, gd_reviewer):
    publicity = publicise([factories.approved_filing(region=regions["440305"])], gd_reviewer)
    factories.publish_notice(publicity)
    today = timezone.localdate()
    assert publicity.state == Publicity.State.PUBLICISING
    assert (publicity.period_start, publicity.period_end) == (today, today + dt.timedelta(days=4))
    # publishing again (an editor's correction) keeps the dates
    NoticePage.objects.get(pk=publicity.notice_id).save_revision().publish()
    publicity.refresh_from_db()
    assert publicity.period_start == today


def test_the_ministry_publicises_little_giants_of_several_provinces(regions, site, ministry_reviewer):
    filings = [
        factories.approved_filing(region=regions["440305"], level=LEVEL.LITTLE_GIANT),
        factories.approved_filing(region=regions["330106"], level=LEVEL.LITTLE_GIANT),
    ]
    publicity = publicise(filings, ministry_reviewer)
    notice = NoticePage.objects.get(pk=publicity.notice_id)
    assert publicity.province is None and publicity.deciding_level == "ministry"
    assert (notice.level, notice.province, notice.issuer) == ("ministry", "", "中华人民共和国工业和信息化部")


@pytest.mark.parametrize(
    ("make", "code"),
    [
        (
            lambda r: [
                factories.approved_filing(region=r["440305"], level=LEVEL.SPECIALIZED),
                factories.approved_filing(region=r["440304"]),
            ],
            "mixed_levels",
        ),
        (lambda r: [factories.approved_filing(region=r["440305"], state=State.PENDING)], "not_approved"),
        (lambda r: [], "nothing_selected"),
    ],
)
def test_a_publicity_is_refused_when(regions, site, superuser, make, code):
    with pytest.raises(ActionError) as refused:
        publicise(make(regions), superuser)
    assert refused.value.code == code


def test_a_publicity_mixes_no_provinces(regions, site, superuser):
    filings = [
        factories.approved_filing(region=regions["440305"]),
        factories.approved_filing(region=regions["330106"]),
    ]
    with pytest.raises(ActionError) as refused:
        publicise(filings, superuser)
    assert refused.value.code == "mixed_provinces"


def test_a_publicity_needs_the_notice_index(regions, superuser):
    with pytest.raises(ActionError) as refused:
        publicise([factories.approved_filing(region=regions["440305"])], superuser)
    assert refused.value.code == "no_notice_index"
    assert not Publicity.objects.exists()


@pytest.mark.parametrize("who", ["zj_reviewer", "sz_city_reviewer", "ministry_reviewer"])
def test_only_the_deciding_level_of_the_region_may_publicise(regions, site, request, who):
    """Another province's reviewer, a reviewer of a non-deciding level of the same region, and the
    ministry (which decides 小巨人, not 创新型) are all refused."""
    filing = factories.approved_filing(region=regions["440305"])
    with pytest.raises(PermissionDenied):
        publicise([filing], request.getfixturevalue(who))
    filing.refresh_from_db()
    assert filing.state == State.APPROVED


def test_a_city_that_decides_may_publicise_its_own_filings(regions, site, sz_city_reviewer):
    """A province may end a chain at the city (data, not code): the deciding level is the chain's last."""
    from portal.filings.states import ChainStep, StepRole

    chain = (ChainStep("county"), ChainStep("city", StepRole.DECIDE))
    filing = factories.approved_filing(region=regions["440305"], chain=chain)
    publicity = publicise([filing], sz_city_reviewer)
    assert publicity.deciding_level == "city" and publicity.region_prefix == "4403"


# --- 认定 ----------------------------------------------------------------------------------------


@pytest.fixture
def publicised(regions, site, gd_reviewer):
    filing = factories.approved_filing(region=regions["440305"])
    publicity = publicise([filing], gd_reviewer)
    filing.refresh_from_db()
    return filing, publicity


def test_recognition_is_refused_before_the_notice_is_published(publicised, gd_reviewer):
    filing, _publicity = publicised
    with pytest.raises(ActionError) as refused:
        RecogniseFilingAction(filing, user=gd_reviewer).execute()
    assert refused.value.code == "publicity_not_started"


def test_recognition_is_refused_during_the_period_with_the_date(publicised, gd_reviewer):
    filing, publicity = publicised
    factories.publish_notice(publicity)
    with pytest.raises(ActionError) as refused:
        RecogniseFilingAction(filing, user=gd_reviewer).execute()
    end = publicity.period_end
    first = end + dt.timedelta(days=1)
    assert refused.value.code == "publicity_not_ended"
    assert f"{end.year}年{end.month}月{end.day}日" in refused.value.message
    assert f"{first.year}年{first.month}月{first.day}日 起" in refused.value.message
    assert not Recognition.objects.exists()


def test_recognition_after_the_period(publicised, gd_reviewer, inbox):
    filing, publicity = publicised
    factories.end_publicity(publicity)
    today = timezone.localdate()

    recognition = RecogniseFilingAction(filing, user=gd_reviewer).execute()

    year = filing.window.year
    assert recognition.number == f"粤CX{year}00001"
    assert recognition.number_pattern == "{province_abbr}{level_code}{year}{seq:05d}"
    assert (recognition.level, recognition.year, recognition.valid_from) == ("innovative", year, today)
    assert recognition.valid_until == today.replace(year=today.year + 3) - dt.timedelta(days=1)
    assert recognition.authority == "广东省中小企业主管部门"
    assert (recognition.enterprise_name, recognition.uscc) == (filing.enterprise.name, filing.enterprise.uscc)
    filing.refresh_from_db()
    assert filing.state == State.RECOGNISED
    assert filing.events.get(action="recognise").data["number"] == recognition.number
    enterprise = Enterprise.objects.get(pk=filing.enterprise_id)
    assert enterprise.is_recognised and enterprise.recognition_level == "innovative"
    assert (enterprise.recognition_valid_from, enterprise.recognition_valid_until) == (
        recognition.valid_from,
        recognition.valid_until,
    )
    publicity.refresh_from_db()
    assert publicity.state == Publicity.State.RECOGNISED and publicity.recognised_at is not None
    [message] = messages(inbox, "recognition", filing.enterprise)
    assert message["title"] == "认定通知：创新型中小企业"
    assert recognition.number in message["body"] and message["link"] == f"/enterprise/filings/{filing.pk}/"
    assert ModelLogEntry.objects.filter(
        action="recognition.recognise", object_id=str(recognition.pk)
    ).exists()


def test_a_province_names_its_authority(publicised, gd_reviewer, regions):
    ProvinceRecognitionSetting.objects.create(province=regions["440000"], authority="广东省工业和信息化厅")
    filing, publicity = publicised
    factories.end_publicity(publicity)
    assert RecogniseFilingAction(filing, user=gd_reviewer).execute().authority == "广东省工业和信息化厅"


@pytest.mark.parametrize(
    ("days", "code"),
    [(-3, "start_before_period_end"), (1, "start_in_future")],
)
def test_the_start_date_is_after_the_period_and_not_in_the_future(publicised, gd_reviewer, days, code):
    filing, publicity = publicised
    factories.end_publicity(publicity)
    with pytest.raises(ActionError) as refused:
        RecogniseFilingAction(
            filing, user=gd_reviewer, valid_from=timezone.localdate() + dt.timedelta(days=days)
        ).execute()
    assert refused.value.code == code


def test_a_chosen_start_date_sets_the_validity(publicised, gd_reviewer):
    filing, publicity = publicised
    factories.end_publicity(publicity)
    start = publicity.period_end + dt.timedelta(days=1)
    recognition = RecogniseFilingAction(filing, user=gd_reviewer, valid_from=start).execute()
    assert recognition.valid_from == start
    assert recognition.valid_until == start.replace(year=start.year + 3) - dt.timedelta(days=1)


@pytest.mark.parametrize("who", ["zj_reviewer", "sz_city_reviewer", "ministry_reviewer"])
def test_only_the_deciding_level_of_the_region_may_recognise(publicised, request, who):
    filing, publicity = publicised
    factories.end_publicity(publicity)
    with pytest.raises(PermissionDenied):
        RecogniseFilingAction(filing, user=request.getfixturevalue(who)).execute()
    assert not Recognition.objects.exists()


def test_a_filing_not_on_a_publicity_is_not_recognised(regions, superuser):
    filing = factories.approved_filing(region=regions["440305"])
    with pytest.raises(ActionError) as refused:
        RecogniseFilingAction(filing, user=superuser).execute()
    assert refused.value.code == "publicity_required"


def test_batch_recognition_numbers_in_order_and_leaves_the_unticked(regions, site, gd_reviewer):
    filings = [factories.approved_filing(region=regions["440305"]) for _ in range(3)]
    publicity = publicise(filings, gd_reviewer)
    factories.end_publicity(publicity)
    for filing in filings:
        filing.refresh_from_db()

    done, refused = recognise_publicity(publicity, user=gd_reviewer, filings=filings[:2])

    assert refused == []
    year = filings[0].window.year
    assert [r.number for r in done] == [f"粤CX{year}00001", f"粤CX{year}00002"]
    publicity.refresh_from_db()
    assert publicity.state == Publicity.State.PUBLICISING  # one enterprise still 公示中
    done, _ = recognise_publicity(publicity, user=gd_reviewer)
    assert [r.number for r in done] == [f"粤CX{year}00003"]
    publicity.refresh_from_db()
    assert publicity.state == Publicity.State.RECOGNISED


def test_a_recognised_filing_is_not_recognised_twice(publicised, gd_reviewer):
    filing, publicity = publicised
    factories.end_publicity(publicity)
    RecogniseFilingAction(filing, user=gd_reviewer).execute()
    with pytest.raises(ActionError) as refused:
        RecogniseFilingAction(filing, user=gd_reviewer).execute()
    assert refused.value.code == "stale"
    assert Recognition.objects.count() == 1
