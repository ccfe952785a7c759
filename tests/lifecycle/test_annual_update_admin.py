"""信息更新 in the admin (F-22, F-45): reviewers of the region see who has not updated, open an
update and 【审阅】 or 【退回】 it; another region's reviewer gets 404."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from wagtail.models import ModelLogEntry

from portal.inbox.models import Message
from portal.lifecycle.models import AnnualUpdate

from .conftest import verified_enterprise

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(regions):
    updated = verified_enterprise(regions["440305"], name="已更新科技有限公司")
    missed = verified_enterprise(regions["440304"], name="未更新科技有限公司")
    deadline = dt.date(2099, 4, 30)
    return {
        "updated": AnnualUpdate.objects.create(
            enterprise=updated, year=2099, deadline=deadline, state="updated", region_code="440305"
        ),
        "missed": AnnualUpdate.objects.create(
            enterprise=missed, year=2098, deadline=dt.date(2098, 4, 30), state="missed", region_code="440304"
        ),
    }


def test_reviewers_of_the_region_list_who_has_not_updated(client, records, gd_reviewer, zj_reviewer):
    client.force_login(gd_reviewer)
    html = client.get(reverse("annual_updates:index") + "?state=missed").content.decode()
    assert "未更新科技有限公司" in html and "已更新科技有限公司" not in html
    client.force_login(zj_reviewer)
    assert "未更新科技有限公司" not in client.get(reverse("annual_updates:index")).content.decode()
    assert client.get(reverse("annual_updates:inspect", args=[records["missed"].pk])).status_code == 404


def test_return_asks_the_enterprise_to_update_again(client, records, gd_reviewer):
    record = records["updated"]
    client.force_login(gd_reviewer)
    url = reverse("annual_updates:review", args=[record.pk])
    assert "【退回】" in client.get(reverse("annual_updates:inspect", args=[record.pk])).content.decode()
    client.post(url, {"decision": "returned", "note": ""})
    record.refresh_from_db()
    assert record.review == "" and record.state == "updated"  # a 退回 needs its note
    client.post(url, {"decision": "returned", "note": "主要产品填写不完整"})
    record.refresh_from_db()
    assert record.review == "returned" and record.state == "pending" and record.reviewed_by == gd_reviewer
    message = Message.objects.get(enterprise=record.enterprise, category="info_update")
    assert "主要产品填写不完整" in message.body
    assert ModelLogEntry.objects.filter(action="lifecycle.update_returned").exists()
