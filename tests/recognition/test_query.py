"""企业认定查询 at /query/ (F-03): name and USCC must both match, captcha, throttle, switch, no cache."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from cms.cache import SKIP_PREFIXES
from portal.recognition.models import Recognition, RecognitionSettings, RecognitionStatus
from portal.recognition.services import import_recognition
from tests.factories import recognition as factories

pytestmark = pytest.mark.django_db

URL = "/query/"
NAME = "深圳市查询测试科技有限公司"


@pytest.fixture
def recognised(regions) -> Recognition:
    enterprise = factories.enterprise(region=regions["440305"], name=NAME)
    return import_recognition(
        enterprise=enterprise,
        level="specialized",
        year=2026,
        valid_from=timezone.localdate() - dt.timedelta(days=10),
    )


def query(client, name, uscc, captcha="PASSED", **extra):
    data = {"name": name, "uscc": uscc, "captcha_0": "key", "captcha_1": captcha}
    return client.post(URL, data, **extra)


def test_the_page_asks_for_name_uscc_and_the_captcha(client):
    response = client.get(URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert "企业名称" in html and "统一社会信用代码" in html and "图形验证码" in html and "查询" in html


def test_a_query_with_both_matching_shows_the_recognition(client, recognised):
    response = query(client, NAME, recognised.uscc)
    html = response.content.decode()
    assert response.status_code == 200
    assert recognised.number in html
    assert "专精特新中小企业" in html and "2026年度" in html and "有效" in html
    assert (
        f"{recognised.valid_until.year}年{recognised.valid_until.month}月{recognised.valid_until.day}日"
        in html
    )
    assert "正式编号规则待主管部门确认" in html  # the unconfirmed number format is said


def test_trimmed_name_and_lower_case_uscc_match(client, recognised):
    html = query(client, f"  {NAME} ", f" {recognised.uscc.lower()} ").content.decode()
    assert recognised.number in html


@pytest.mark.parametrize(
    "name",
    [
        "深圳市查询测试",
        "查询测试科技有限公司",
        "深圳市查询测试科技有限公司 分公司",
        "深圳市另一家科技有限公司",
    ],
)
def test_a_partial_or_other_name_finds_nothing(client, recognised, name):
    html = query(client, name, recognised.uscc).content.decode()
    assert "未查询到认定信息" in html and recognised.number not in html


def test_the_right_name_with_another_uscc_finds_nothing(client, recognised, regions):
    other = factories.make_uscc("440305")
    html = query(client, NAME, other).content.decode()
    assert "未查询到认定信息" in html and recognised.number not in html


def test_an_invalid_uscc_is_refused_with_a_message(client, recognised):
    response = query(client, NAME, recognised.uscc[:-1] + ("0" if recognised.uscc[-1] != "0" else "1"))
    assert response.status_code == 400
    assert recognised.number not in response.content.decode()


def test_the_captcha_is_required(client, recognised):
    response = query(client, NAME, recognised.uscc, captcha="WRONG")
    html = response.content.decode()
    assert response.status_code == 400
    assert "图形验证码不正确" in html and recognised.number not in html


def test_expired_and_cancelled_recognitions_say_so(client, recognised, regions):
    Recognition.objects.filter(pk=recognised.pk).update(
        valid_from=dt.date(2020, 1, 1), valid_until=dt.date(2022, 12, 31)
    )
    assert "已到期" in query(client, NAME, recognised.uscc).content.decode()
    Recognition.objects.filter(pk=recognised.pk).update(status=RecognitionStatus.CANCELLED)
    assert "已取消" in query(client, NAME, recognised.uscc).content.decode()


def test_queries_are_throttled_per_address(client, recognised, settings):
    settings.RECOGNITION_QUERY_HOURLY_LIMIT_PER_IP = 2
    assert query(client, NAME, recognised.uscc).status_code == 200
    assert query(client, NAME, recognised.uscc).status_code == 200
    response = query(client, NAME, recognised.uscc)
    assert response.status_code == 429
    assert "查询过于频繁" in response.content.decode() and recognised.number not in response.content.decode()
    # another address is not held up
    assert query(client, NAME, recognised.uscc, REMOTE_ADDR="10.1.2.3").status_code == 200


def test_switched_off_the_page_says_opening_later(client, recognised):
    config = RecognitionSettings.load()
    config.query_enabled = False
    config.save()
    html = client.get(URL).content.decode()
    assert "稍后开放" in html and "图形验证码" not in html
    response = query(client, NAME, recognised.uscc)
    assert "稍后开放" in response.content.decode() and recognised.number not in response.content.decode()


def test_the_page_is_never_cached(client, recognised, settings):
    settings.PORTAL_PAGE_CACHE_SECONDS = 600
    assert any(URL.startswith(prefix) for prefix in SKIP_PREFIXES)
    first = client.get(URL)
    assert "no-cache" in first["Cache-Control"] and "X-Page-Cache" not in first
    second = client.get(URL)
    assert "X-Page-Cache" not in second


def test_the_home_page_entry_leads_here(client, site):
    html = client.get("/").content.decode()
    assert 'href="/query/"' in html and "稍后开放" not in html
