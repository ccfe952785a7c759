"""Pages at /enterprise/: profile, 【编辑】/【信息更新】, history, access and error messages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone
from wagtail.models import ModelLogEntry

from portal.core.masking import mask_id_number
from portal.enterprises.models import Enterprise

from .conftest import form_post
from .factories import UserFactory

pytestmark = pytest.mark.django_db

PROFILE, EDIT, HISTORY = "/enterprise/", "/enterprise/edit/", "/enterprise/history/"


@pytest.fixture
def on_day(monkeypatch):
    def set_day(day: dt.date) -> None:
        monkeypatch.setattr(timezone, "localdate", lambda *a, **k: day)

    return set_day


def recognise(enterprise) -> None:
    Enterprise.objects.filter(pk=enterprise.pk).update(is_recognised=True)
    enterprise.refresh_from_db()


# --- access -------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", [PROFILE, EDIT, HISTORY])
def test_anonymous_is_sent_to_login(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=" + url)


def test_anonymous_post_to_edit_changes_nothing(client, other_enterprise):
    response = client.post(EDIT, form_post())
    assert response.status_code == 302
    other_enterprise.refresh_from_db()
    assert other_enterprise.contact_name == "乙联系人"


@pytest.mark.parametrize("url", [PROFILE, EDIT, HISTORY])
def test_user_never_sees_another_enterprise(client, owner, enterprise, other_enterprise, url):
    client.force_login(owner)
    body = client.get(url).content.decode()
    assert enterprise.name in body
    assert other_enterprise.name not in body
    assert other_enterprise.uscc not in body
    assert "乙联系人" not in body and "13912345678" not in body


def test_user_cannot_change_another_enterprise_by_posting(
    client, owner, enterprise, other_enterprise, regions, industries
):
    client.force_login(owner)
    response = client.post(
        EDIT,
        form_post(
            enterprise=other_enterprise.pk,
            uscc=other_enterprise.uscc,
            owner=owner.pk,
            name="篡改",
            is_recognised="on",
        ),
    )
    assert response.status_code == 302
    other_enterprise.refresh_from_db()
    enterprise.refresh_from_db()
    assert other_enterprise.contact_name == "乙联系人" and not other_enterprise.versions.exists()
    assert enterprise.contact_name == "李四"
    assert enterprise.name == "深圳市甲科技有限公司" and not enterprise.is_recognised


def test_history_of_another_enterprise_is_not_reachable(
    client, owner, enterprise, other_enterprise, other_owner
):
    from portal.enterprises.services import update_enterprise_profile

    update_enterprise_profile(enterprise=other_enterprise, user=other_owner, data={"employees": 99})
    client.force_login(owner)
    body = client.get(HISTORY).content.decode()
    assert "99" not in body
    assert "暂无历史版本" in body
    # there is no URL that takes an enterprise id
    assert client.get(f"/enterprise/{other_enterprise.pk}/").status_code == 404
    assert client.get(f"/enterprise/history/{other_enterprise.pk}/").status_code == 404


def test_user_without_enterprise_is_asked_to_verify(client, db):
    client.force_login(UserFactory())
    for url in (PROFILE, EDIT, HISTORY):
        response = client.get(url)
        assert response.status_code == 200
        body = response.content.decode()
        assert "立即认证" in body and 'href="/accounts/realname/"' in body


def test_natural_person_gets_faq_2_advice(client, db):
    from portal.accounts.models import Account

    user = UserFactory()
    Account.objects.create(user=user, phone="13700000001", user_type="natural")
    client.force_login(user)
    body = client.get(PROFILE).content.decode()
    assert "自然人账号" in body and "法人账户" in body
    assert "立即认证" not in body


# --- profile page ---------------------------------------------------------------------------------


def test_profile_of_not_recognised_enterprise_offers_edit(client, owner, enterprise, on_day):
    on_day(dt.date(2026, 8, 1))
    client.force_login(owner)
    body = client.get(PROFILE).content.decode()
    assert ">编辑</a>" in body
    assert "信息更新</a>" not in body
    assert "企业基本信息尚未完善" in body and "注册地" in body


def test_profile_masks_the_legal_representatives_id_number(client, owner, enterprise):
    client.force_login(owner)
    body = client.get(PROFILE).content.decode()
    assert enterprise.legal_representative_id not in body
    assert mask_id_number(enterprise.legal_representative_id) in body


def test_owner_reveals_the_id_number_on_request_and_it_is_logged(client, owner, enterprise):
    client.force_login(owner)
    response = client.post(PROFILE)
    assert response.status_code == 200
    assert enterprise.legal_representative_id in response.content.decode()
    entry = ModelLogEntry.objects.get(action="enterprises.reveal_legal_representative_id")
    assert entry.user == owner and entry.object_id == str(enterprise.pk)
    assert enterprise.legal_representative_id not in str(entry.data)


def test_reveal_needs_the_csrf_token(owner, enterprise):
    client = Client(enforce_csrf_checks=True)
    client.force_login(owner)
    assert client.post(PROFILE).status_code == 403
    assert not ModelLogEntry.objects.filter(action="enterprises.reveal_legal_representative_id").exists()


def test_recognised_profile_shows_level_year_and_validity(client, owner, enterprise):
    Enterprise.objects.filter(pk=enterprise.pk).update(
        is_recognised=True,
        recognition_level="specialized",
        recognition_year=2024,
        recognition_valid_from=dt.date(2024, 12, 20),
        recognition_valid_until=dt.date(2027, 12, 19),
    )
    client.force_login(owner)
    body = client.get(PROFILE).content.decode()
    assert "专精特新中小企业" in body and "2024年度" in body
    assert "2024年12月20日 至 2027年12月19日" in body


def test_profile_of_recognised_enterprise_offers_update_inside_window(client, owner, enterprise, on_day):
    recognise(enterprise)
    on_day(dt.date(2026, 4, 30))
    client.force_login(owner)
    body = client.get(PROFILE).content.decode()
    assert ">信息更新</a>" in body
    assert ">编辑</a>" not in body
    assert "2026年4月30日" in body


def test_profile_of_recognised_enterprise_says_when_window_opens(client, owner, enterprise, on_day):
    recognise(enterprise)
    on_day(dt.date(2026, 5, 1))
    client.force_login(owner)
    body = client.get(PROFILE).content.decode()
    assert "信息更新</a>" not in body and ">编辑</a>" not in body
    assert "2027年1月1日" in body


def test_edit_page_redirects_when_window_closed(client, owner, enterprise, on_day):
    recognise(enterprise)
    on_day(dt.date(2026, 5, 1))
    client.force_login(owner)
    response = client.get(EDIT, follow=True)
    assert response.redirect_chain[-1][0] == PROFILE
    assert "2027年1月1日" in response.content.decode()


# --- editing ----------------------------------------------------------------------------------


def test_edit_form_saves_and_shows_values_and_version(client, owner, enterprise, regions, industries):
    client.force_login(owner)
    page = client.get(EDIT)
    assert page.status_code == 200
    assert 'src="/static/reference/js/region-picker.js"' in page.content.decode()

    response = client.post(EDIT, form_post(), follow=True)

    body = response.content.decode()
    assert response.redirect_chain[-1][0] == PROFILE
    assert "企业信息已保存" in body
    assert "广东省 深圳市 南山区" in body
    assert "39 计算机、通信和其他电子设备制造业" in body
    assert "数字化水平评测：制造业" in body
    assert "企业基本信息尚未完善" not in body
    history = client.get(HISTORY).content.decode()
    assert "v1" in history and "编辑" in history and "qiye_a" in history and "南山区" in history


def test_edit_form_prefills_current_values(client, owner, enterprise, regions, industries):
    client.force_login(owner)
    client.post(EDIT, form_post())
    body = client.get(EDIT).content.decode()
    assert 'value="440305" selected' in body
    assert 'value="39" selected' in body
    assert 'value="李四"' in body


def test_annual_update_inside_window_is_recorded_as_such(
    client, owner, enterprise, regions, industries, on_day
):
    recognise(enterprise)
    on_day(dt.date(2026, 1, 1))
    client.force_login(owner)
    response = client.post(EDIT, form_post(), follow=True)
    assert "信息更新" in response.content.decode()
    assert enterprise.versions.get().kind == "annual_update"


def test_window_closing_while_editing_keeps_everything_typed(
    client, owner, enterprise, regions, industries, on_day
):
    recognise(enterprise)
    on_day(dt.date(2026, 5, 1))
    client.force_login(owner)
    response = client.post(EDIT, form_post(contact_name="王小二"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "信息更新已关闭，本次修改未保存" in body
    assert 'value="王小二"' in body and 'value="440305" selected' in body
    assert not enterprise.versions.exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("contact_name", "", "请填写“联系人”。"),
        ("region_0", "", "请选择“注册地”。"),
        ("industry", "", "请选择“所属行业”。"),
        ("contact_phone", "12345", "联系电话格式不正确"),
        ("contact_email", "not-an-email", "“联系邮箱”格式不正确"),
        ("registered_capital", "abc", "“注册资本（万元）”请填写数字。"),
        ("registered_capital", "-1", "注册资本（万元）不能为负数。"),
        ("employees", "0", "“从业人员数（人）”至少为 1。"),
        ("established_on", "2015-13-45", "“成立日期”格式不正确"),
        ("established_on", "2999-01-01", "“成立日期”不能晚于今天。"),
        ("size_class", "huge", "“企业规模”的选项无效"),
        ("size_class", "large", "“企业规模”的选项无效"),
        ("employees", "999999999999", "“从业人员数（人）”不能超过 100000。"),
    ],
)
def test_bad_input_gets_chinese_message_naming_the_field_and_keeps_input(
    client, owner, enterprise, regions, industries, field, value, message
):
    client.force_login(owner)
    response = client.post(EDIT, form_post(**{field: value, "address": "我刚输入的地址"}))
    body = response.content.decode()
    assert response.status_code == 200
    assert message in body
    assert 'value="我刚输入的地址"' in body
    if field != "contact_name":
        assert 'value="李四"' in body
    assert not enterprise.versions.exists()


def test_region_must_reach_county_level(client, owner, enterprise, regions, industries):
    client.force_login(owner)
    body = client.post(EDIT, form_post(region_2="")).content.decode()
    assert "“注册地”请选择到区县一级" in body
    # the province and city chosen are still selected, and the county list is filled
    assert 'value="440300" selected' in body and 'value="440305"' in body


def test_annual_update_of_recognised_enterprise_keeps_locked_region_and_industry(
    client, owner, enterprise, regions, industries, on_day
):
    """Issue 9.1: the browser does not post the disabled 注册地/所属行业 pickers; the form must take
    their codes (not the foreign keys' primary keys) from the stored profile and save."""
    Enterprise.objects.filter(pk=enterprise.pk).update(region=regions["440305"], industry=industries["39"])
    recognise(enterprise)
    on_day(dt.date(2026, 2, 1))
    client.force_login(owner)
    posted = {
        k: v for k, v in form_post(contact_name="王小二").items() if not k.startswith(("region", "industry"))
    }
    response = client.post(EDIT, posted)
    assert response.status_code == 302, response.content.decode()
    enterprise.refresh_from_db()
    assert enterprise.region.code == "440305" and enterprise.industry.code == "39"
    assert enterprise.contact_name == "王小二"
    changed = enterprise.versions.get().changed_fields
    assert "contact_name" in changed and "region" not in changed and "industry" not in changed


def test_update_form_of_recognised_enterprise_shows_locked_region_and_industry(
    client, owner, enterprise, regions, industries, on_day
):
    Enterprise.objects.filter(pk=enterprise.pk).update(region=regions["440305"], industry=industries["39"])
    recognise(enterprise)
    on_day(dt.date(2026, 2, 1))
    client.force_login(owner)
    posted = {
        k: v for k, v in form_post(contact_phone="123").items() if not k.startswith(("region", "industry"))
    }
    body = client.post(EDIT, posted).content.decode()
    # re-shown after an error: still the stored region and industry, not blank or another one
    assert 'value="440305" selected' in body and 'value="39" selected' in body
