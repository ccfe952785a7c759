"""The staff queues of account requests (issue 12 item 10, F-45): /admin/account-reviews/… —
scoped by the reviewer's 审核人员范围, counts per state, personal data masked, 通过 / 不通过 as
actions (audit entry, the applicant's SMS, one transaction, a second submit harmless)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from wagtail.models import ModelLogEntry

from portal.accounts import sms
from portal.accounts.actions import ApproveRealNameAction, RejectPhoneChangeAction
from portal.accounts.models import Account, PhoneChangeRequest, RealNameVerification
from portal.review.models import ReviewerScope
from tests.accounts.factories import AccountFactory, UserFactory, make_id_number, make_uscc, staff
from tests.factories.recognition import region

pytestmark = pytest.mark.django_db
QUEUE = "/admin/account-reviews/realname/"
PHONE_QUEUE = "/admin/account-reviews/phone/"
ID_JS = make_id_number()
USCC_JS = make_uscc(region="320582")


def realname_request(*, province="320000", status="pending", name="苏州甲精密机械有限公司", uscc=USCC_JS):
    account = AccountFactory(verification_status="pending")
    return RealNameVerification.objects.create(
        user=account.user,
        user_type="legal",
        method="manual",
        status=status,
        enterprise_name=name,
        uscc=uscc,
        name="张三",
        id_number=ID_JS,
        province_code=province,
    )


def phone_request(*, province="320000"):
    account = AccountFactory(phone="13800009999")
    return PhoneChangeRequest.objects.create(
        user=account.user,
        method="manual",
        old_phone=account.phone,
        new_phone="13700002222",
        name="张三",
        id_number=USCC_JS,
        province_code=province,
    )


def reviewer(level: str, place, *, decide: bool = True):
    """Staff of the account queues with a scope of ``level`` over ``place`` (None: 部级)."""
    user = UserFactory(is_staff=True)
    codenames = ["access_admin", "view_realnameverification", "view_phonechangerequest"]
    if decide:
        codenames += ["change_realnameverification", "change_phonechangerequest"]
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    ReviewerScope.objects.create(user=user, level=level, region=place)
    return user


@pytest.fixture
def jiangsu():
    return region("320000", "江苏省", "province")


def test_queue_opens_on_pending_with_counts_per_state(client):
    realname_request(name="苏州待审有限公司")
    realname_request(name="苏州已驳回有限公司", status="rejected")
    realname_request(name="杭州他省有限公司", province="330000")
    client.force_login(staff("320000", "江苏省"))
    page = client.get(QUEUE).content.decode()
    assert "苏州待审有限公司" in page and "苏州已驳回有限公司" not in page and "杭州他省有限公司" not in page
    assert 'data-state-count="pending">1<' in page and 'data-state-count="rejected">1<' in page
    everything = client.get(QUEUE, {"status": ""}).content.decode()
    assert "苏州已驳回有限公司" in everything and "杭州他省有限公司" not in everything


def test_list_and_export_mask_personal_data(client):
    realname_request()
    client.force_login(staff("320000", "江苏省"))
    page = client.get(QUEUE).content.decode()
    exported = b"".join(client.get(QUEUE, {"export": "csv"}).streaming_content).decode("utf-8-sig")
    for shown in (page, exported):
        assert ID_JS not in shown and USCC_JS not in shown
        assert ID_JS[:4] + "*" * 10 + ID_JS[-4:] in shown
    assert "苏州甲精密机械有限公司" in exported


def test_a_county_or_city_scope_covers_no_account_request(client, jiangsu):
    """Requests are located by province (one province rule): only a 省级 or 部级 scope covers one."""
    request = realname_request()
    city = region("320500", "苏州市", "prefecture", jiangsu)
    for scope in (reviewer("city", city), reviewer("county", region("320582", "张家港市", "county", city))):
        client.force_login(scope)
        assert "苏州甲精密机械有限公司" not in client.get(QUEUE).content.decode()
        assert client.get(f"{QUEUE}inspect/{request.pk}/").status_code == 404


def test_a_ministry_scope_sees_every_province(client):
    realname_request(name="苏州甲有限公司")
    realname_request(name="杭州乙有限公司", province="330000")
    client.force_login(reviewer("ministry", None))
    page = client.get(QUEUE).content.decode()
    assert "苏州甲有限公司" in page and "杭州乙有限公司" in page


def test_staff_without_a_scope_cannot_open_the_queue(client):
    user = reviewer("province", region("320000", "江苏省", "province"))
    ReviewerScope.objects.filter(user=user).delete()
    client.force_login(user)
    assert client.get(QUEUE).status_code == 302  # Wagtail: no permission → the dashboard


def test_view_only_staff_read_the_id_number_masked_and_cannot_decide(client, jiangsu):
    request = realname_request()
    viewer = reviewer("province", jiangsu, decide=False)
    client.force_login(viewer)
    page = client.get(f"{QUEUE}inspect/{request.pk}/").content.decode()
    assert ID_JS not in page and "不通过理由" not in page and "没有审核权限" in page
    assert client.post(f"{QUEUE}{request.pk}/approve/", {"reason": ""}).status_code == 302
    assert RealNameVerification.objects.get().status == "pending"


def test_the_decider_reads_the_full_id_number(client, jiangsu):
    request = realname_request()
    client.force_login(reviewer("province", jiangsu))
    assert ID_JS in client.get(f"{QUEUE}inspect/{request.pk}/").content.decode()


def test_approval_logs_texts_and_a_second_submit_changes_nothing(
    client, jiangsu, django_capture_on_commit_callbacks
):
    request = realname_request()
    decider = reviewer("province", jiangsu)
    client.force_login(decider)
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(f"{QUEUE}{request.pk}/approve/", {"reason": "材料齐全"}, follow=True)
        second = client.post(f"{QUEUE}{request.pk}/approve/", {"reason": ""}, follow=True)
    assert "审核结果已保存" in first.content.decode()
    assert "该申请已审核" in second.content.decode()
    request.refresh_from_db()
    assert request.status == "approved" and request.reason == "材料齐全" and request.reviewed_by == decider
    assert Account.objects.get(user=request.user).is_legal_person
    entries = ModelLogEntry.objects.filter(action="accounts.realname_approved")
    assert entries.count() == 1 and entries.get().user_id == decider.pk
    texts = [m.text for m in sms.outbox if "实名认证申请已审核通过" in m.text]
    assert len(texts) == 1


def test_rejection_needs_a_reason_and_tells_the_applicant(
    client, jiangsu, django_capture_on_commit_callbacks
):
    request = realname_request()
    client.force_login(reviewer("province", jiangsu))
    page = client.post(f"{QUEUE}{request.pk}/reject/", {"reason": "  "}, follow=True).content.decode()
    assert "请填写不通过理由" in page and RealNameVerification.objects.get().status == "pending"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"{QUEUE}{request.pk}/reject/", {"reason": "营业执照模糊"})
    request.refresh_from_db()
    assert request.status == "rejected" and request.reason == "营业执照模糊"
    assert Account.objects.get(user=request.user).verification_status == "unverified"
    assert ModelLogEntry.objects.get(action="accounts.realname_rejected").data["reason"] == "营业执照模糊"
    assert any("未通过审核" in m.text for m in sms.outbox)


def test_a_refused_approval_leaves_nothing_behind(jiangsu, django_capture_on_commit_callbacks):
    """The USCC was verified by another account meanwhile: the action rolls back whole."""
    from forms_engine.actions import ActionError
    from tests.accounts.factories import VerifiedLegalAccountFactory

    request = realname_request()
    VerifiedLegalAccountFactory(uscc=USCC_JS)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ActionError) as refused:
        ApproveRealNameAction(request, user=reviewer("province", jiangsu)).execute()
    assert refused.value.code == "uscc_taken"
    assert RealNameVerification.objects.get(pk=request.pk).status == "pending"
    assert not ModelLogEntry.objects.filter(action="accounts.realname_approved").exists()
    assert not sms.outbox


def test_a_reviewer_of_another_province_is_refused_by_the_action(jiangsu):
    from django.core.exceptions import PermissionDenied

    change = phone_request()
    with pytest.raises(PermissionDenied):
        RejectPhoneChangeAction(change, user=staff("440000", "广东省"), reason="不符").execute()
    assert PhoneChangeRequest.objects.get().status == "pending"


def test_phone_change_queue_masks_phones_and_rejection_texts_the_new_phone(
    client, jiangsu, django_capture_on_commit_callbacks
):
    change = phone_request()
    client.force_login(reviewer("province", jiangsu))
    page = client.get(PHONE_QUEUE).content.decode()
    assert "13800009999" not in page and "138****9999" in page and "137****2222" in page
    inspect = client.get(f"{PHONE_QUEUE}inspect/{change.pk}/").content.decode()
    assert "13700002222" not in inspect
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"{PHONE_QUEUE}{change.pk}/reject/", {"reason": "证明材料与账号不符"})
    change.refresh_from_db()
    assert change.status == "rejected"
    assert Account.objects.get(user=change.user).phone == "13800009999"
    assert sms.outbox[-1].phone == "13700002222" and "证明材料与账号不符" in sms.outbox[-1].text


def test_the_menu_lists_both_queues_for_their_reviewers(client, jiangsu):
    client.force_login(reviewer("province", jiangsu))
    page = client.get("/admin/").content.decode()
    assert QUEUE in page and PHONE_QUEUE in page
