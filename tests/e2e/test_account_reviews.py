"""Browser (issue 12 item 10, F-45): a 省级 reviewer of 江苏 signs in to the admin, opens 账号审核 →
人工实名认证, finds the pending request (its USCC masked in the list), opens it and decides
【不通过】 with a reason; the request reads 未通过 and the applicant is texted. Then 手机号修改（人工核验）
is 【通过】ed and the new phone is bound."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import admin_login, bind_staff_phone

pytestmark = pytest.mark.django_db(transaction=True)
REVIEWER_PHONE = "13900000410"
PASSWORD = "Shenhe-Pass-2026"


@pytest.fixture
def world(transactional_db):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Permission

    from portal.accounts.models import PhoneChangeRequest, RealNameVerification
    from portal.review.models import ReviewerScope
    from tests.accounts.factories import AccountFactory, make_id_number, make_uscc
    from tests.factories.recognition import region

    reviewer = get_user_model().objects.create_user(username="js_zhanghao", password=PASSWORD, is_staff=True)
    reviewer.user_permissions.add(
        *Permission.objects.filter(
            codename__in=[
                "access_admin",
                "view_realnameverification",
                "change_realnameverification",
                "view_phonechangerequest",
                "change_phonechangerequest",
            ]
        )
    )
    ReviewerScope.objects.create(
        user=reviewer, level="province", region=region("320000", "江苏省", "province")
    )
    bind_staff_phone(reviewer, REVIEWER_PHONE)
    applicant = AccountFactory(
        user__username="qiye_review_e2e", phone="13800004321", verification_status="pending"
    )
    uscc = make_uscc(region="320582")
    verification = RealNameVerification.objects.create(
        user=applicant.user,
        user_type="legal",
        method="manual",
        enterprise_name="张家港浏览器测试机械有限公司",
        uscc=uscc,
        name="张三",
        id_number=make_id_number(),
        province_code="320000",
    )
    mover = AccountFactory(user__username="qiye_phone_e2e", phone="13800004322")
    change = PhoneChangeRequest.objects.create(
        user=mover.user,
        method="manual",
        old_phone=mover.phone,
        new_phone="13700004322",
        name="李四",
        id_number=uscc,
        province_code="320000",
    )
    return {"verification": verification, "uscc": uscc, "change": change, "mover": mover}


def test_a_provincial_reviewer_decides_account_requests(page, world):
    from portal.accounts import sms
    from portal.accounts.models import Account, PhoneChangeRequest, RealNameVerification

    admin_login(page, "js_zhanghao", PASSWORD, REVIEWER_PHONE)
    page.get_by_role("button", name="账号审核").click()
    page.get_by_role("link", name="人工实名认证").click()
    expect(page).to_have_url(re.compile(r"/admin/account-reviews/realname/"))
    row = page.get_by_role("row").filter(has_text="张家港浏览器测试机械有限公司")
    expect(row).to_be_visible()
    expect(row).not_to_contain_text(world["uscc"])
    expect(page.get_by_test_id("state-counts")).to_contain_text("待审核 1")
    row.get_by_role("link", name=re.compile("张家港浏览器测试机械有限公司")).click()

    expect(page.get_by_text(world["uscc"])).to_be_visible()  # the decider compares it with the licence
    page.get_by_label("不通过理由").fill("营业执照照片模糊，请重新上传清晰照片。")
    page.get_by_role("button", name="不通过", exact=True).click()
    expect(page.get_by_text("审核结果已保存：不通过")).to_be_visible()
    expect(page.get_by_test_id("request-status")).to_have_text("未通过")
    assert RealNameVerification.objects.get().status == "rejected"
    assert any(m.phone == "13800004321" and "未通过审核" in m.text for m in sms.outbox)

    page.goto("/admin/account-reviews/phone/")
    page.get_by_role("link", name="qiye_phone_e2e").click()
    expect(page.get_by_text("137****4322", exact=True)).to_be_visible()
    expect(page.get_by_text("13700004322")).to_have_count(0)
    page.get_by_role("button", name="通过", exact=True).click()
    expect(page.get_by_text("审核结果已保存：通过")).to_be_visible()
    assert PhoneChangeRequest.objects.get().status == "approved"
    assert Account.objects.get(pk=world["mover"].pk).phone == "13700004322"
