"""取消认定 (F-44): the deciding level cancels with a reason and a category; 数据造假 bars new
applications for 3 years (117号); the enterprise hears of it; the public query reads 已取消."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from forms_engine.actions import ActionError
from portal.filings import selectors as filing_selectors
from portal.inbox.models import Message
from portal.recognition.actions import CancelRecognitionAction
from portal.recognition.models import Recognition
from portal.recognition.services import import_recognition
from tests.factories import recognition as factories  # noqa: F401

from .conftest import verified_enterprise

pytestmark = pytest.mark.django_db


@pytest.fixture
def recognised(regions):
    enterprise = verified_enterprise(regions["440305"])
    today = timezone.localdate()
    recognition = import_recognition(
        enterprise=enterprise,
        level="specialized",
        year=today.year - 1,
        valid_from=today - dt.timedelta(days=200),
    )
    return recognition


def cancel(recognition, user, category="fraud", reason="申报材料中的研发费用数据造假"):
    return CancelRecognitionAction(recognition, user=user, reason=reason, category=category).execute()


def test_fraud_cancels_bars_three_years_and_tells_the_enterprise(recognised, gd_reviewer):
    result = cancel(recognised, gd_reviewer)

    today = timezone.localdate()
    assert result.status == "cancelled" and result.current_status_label == "已取消"
    assert result.barred_until == today.replace(year=today.year + 3)
    enterprise = result.enterprise
    enterprise.refresh_from_db()
    assert not enterprise.is_recognised and enterprise.recognition_level == ""
    message = Message.objects.get(enterprise=enterprise, category="cancellation")
    assert "数据造假" in message.body and "研发费用" in message.body
    assert f"{today.year + 3}年{today.month}月{today.day}日起可再次申报" in message.body
    entry = ModelLogEntry.objects.get(action="recognition.cancel")
    assert entry.user_id == gd_reviewer.pk and entry.data["category"] == "fraud"


def test_another_category_does_not_bar(recognised, gd_reviewer):
    result = cancel(recognised, gd_reviewer, category="other", reason="企业申请注销")
    assert result.barred_until is None
    assert (
        filing_selectors.unmet_prerequisites(
            enterprise=result.enterprise, user=result.enterprise.owner, requirement=None
        )[0].code
        != "barred"
    )


def test_a_barred_enterprise_is_refused_with_the_date_it_may_apply_again(recognised, gd_reviewer):
    cancel(recognised, gd_reviewer)
    enterprise = Recognition.objects.get(pk=recognised.pk).enterprise
    unmet = filing_selectors.unmet_prerequisites(
        enterprise=enterprise, user=enterprise.owner, requirement=None
    )
    today = timezone.localdate()
    assert unmet[0].code == "barred"
    assert f"{today.year + 3}年{today.month}月{today.day}日起可再次申报" in unmet[0].message


def test_only_the_deciding_level_of_the_region_may_cancel(recognised, sz_city_reviewer, zj_reviewer):
    for user in (sz_city_reviewer, zj_reviewer):
        with pytest.raises(PermissionDenied):
            cancel(recognised, user)
    assert Recognition.objects.get(pk=recognised.pk).status == "valid"


def test_reason_and_category_are_required_and_twice_is_refused(recognised, gd_reviewer):
    with pytest.raises(ActionError) as exc:
        cancel(recognised, gd_reviewer, reason="  ")
    assert exc.value.code == "reason_required"
    with pytest.raises(ActionError) as exc:
        cancel(recognised, gd_reviewer, category="nonsense")
    assert exc.value.code == "category_required"
    cancel(recognised, gd_reviewer)
    with pytest.raises(ActionError) as exc:
        cancel(Recognition.objects.get(pk=recognised.pk), gd_reviewer)
    assert exc.value.code == "not_in_force"
    assert Message.objects.filter(category="cancellation").count() == 1


def test_the_admin_form_cancels_and_the_query_shows_it(client, recognised, gd_reviewer, zj_reviewer):
    url = reverse("recognitions:cancel", args=[recognised.pk])
    client.force_login(zj_reviewer)
    assert client.get(url).status_code == 404
    client.force_login(gd_reviewer)
    page = client.get(reverse("recognitions:inspect", args=[recognised.pk])).content.decode()
    assert url in page and "取消认定" in page
    assert "确认取消认定" in client.get(url).content.decode()
    response = client.post(url, {"category": "fraud", "reason": "数据造假"})
    assert response.status_code == 302
    assert Recognition.objects.get(pk=recognised.pk).status == "cancelled"

    client.logout()
    response = client.post(
        reverse("recognition:query"),
        {
            "name": recognised.enterprise_name,
            "uscc": recognised.uscc,
            "captcha_0": "x",
            "captcha_1": "PASSED",
        },
    )
    html = response.content.decode()
    assert recognised.number in html and "已取消" in html
