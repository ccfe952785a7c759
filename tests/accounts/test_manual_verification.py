import pytest
from wagtail.models import ModelLogEntry

from portal.accounts.models import Account, RealNameVerification
from portal.review.models import ReviewerScope
from tests.accounts.factories import (
    AccountFactory,
    VerifiedLegalAccountFactory,
    error_codes,
    make_id_number,
    make_uscc,
    pdf_upload,
    png_upload,
    staff,
)

pytestmark = pytest.mark.django_db
URL = "/accounts/realname/manual/"
USCC_JS = make_uscc(region="320582")  # 江苏
USCC_GD = make_uscc(region="440300", serial="MA5D80000")  # 广东


def manual_data(uscc=USCC_JS, **overrides):
    return {
        "user_type": "legal",
        "enterprise_name": "苏州测试精密机械有限公司",
        "uscc": uscc,
        "name": "张三",
        "id_number": make_id_number(),
        "licence": png_upload(),
        "evidence": pdf_upload(),
        "note": "工商登记信息已变更",
        **overrides,
    }


@pytest.fixture
def applicant(client):
    account = AccountFactory()
    client.force_login(account.user)
    return account


def submit(client, **overrides):
    return client.post(URL, manual_data(**overrides))


def test_manual_request_is_queued_for_the_uscc_province(client, applicant):
    assert submit(client).status_code == 302
    verification = RealNameVerification.objects.get()
    assert verification.method == "manual" and verification.status == "pending"
    assert verification.province_code == "320000"
    assert Account.objects.get(pk=applicant.pk).verification_status == "pending"
    assert "人工实名认证审核中" in client.get("/accounts/realname/").content.decode()
    assert ModelLogEntry.objects.filter(action="accounts.realname_requested").exists()


def test_manual_request_requires_evidence(client, applicant):
    data = manual_data()
    data.pop("evidence")
    assert error_codes(client.post(URL, data), "evidence") == {"required"}
    assert not RealNameVerification.objects.exists()


def test_second_pending_request_is_refused(client, applicant):
    submit(client)
    Account.objects.filter(pk=applicant.pk).update(verification_status="unverified")
    response = submit(client)
    assert error_codes(response) == {"already_pending"}
    assert RealNameVerification.objects.count() == 1


def test_queue_is_scoped_to_the_staff_province(client, applicant):
    submit(client)
    jiangsu, guangdong = staff("320000", "江苏省"), staff("440000", "广东省")
    client.force_login(jiangsu)
    listing = client.get("/admin/account-reviews/realname/")
    assert listing.status_code == 200 and "苏州测试精密机械有限公司" in listing.content.decode()
    client.force_login(guangdong)
    listing = client.get("/admin/account-reviews/realname/")
    assert "苏州测试精密机械有限公司" not in listing.content.decode()
    pk = RealNameVerification.objects.get().pk
    assert client.get(f"/admin/account-reviews/realname/inspect/{pk}/").status_code == 404
    response = client.post(f"/admin/account-reviews/realname/{pk}/approve/", {"reason": ""})
    assert response.status_code == 404  # not 403: the request's existence is not confirmed
    assert RealNameVerification.objects.get().status == "pending"


def test_staff_approves_and_user_is_verified_with_enterprise(client, applicant):
    submit(client)
    reviewer = staff("320000", "江苏省")
    client.force_login(reviewer)
    pk = RealNameVerification.objects.get().pk
    page = client.get(f"/admin/account-reviews/realname/inspect/{pk}/").content.decode()
    assert "不通过理由" in page and f"/accounts/files/realname/{pk}/evidence/" in page
    response = client.post(f"/admin/account-reviews/realname/{pk}/approve/", {"reason": ""})
    assert response.status_code == 302
    verification = RealNameVerification.objects.get()
    assert verification.status == "approved" and verification.reviewed_by == reviewer
    account = Account.objects.get(pk=applicant.pk)
    assert account.is_legal_person and account.uscc == USCC_JS
    from portal.enterprises.selectors import enterprise_for_user

    assert enterprise_for_user(account.user).uscc == USCC_JS
    entry = ModelLogEntry.objects.filter(action="accounts.realname_approved").get()
    assert entry.user_id == reviewer.pk


def test_staff_rejects_with_reason_and_user_sees_it(client, applicant):
    submit(client)
    client.force_login(staff("320000", "江苏省"))
    pk = RealNameVerification.objects.get().pk
    client.post(f"/admin/account-reviews/realname/{pk}/reject/", {"reason": ""})
    assert RealNameVerification.objects.get().status == "pending"  # a reason is required
    client.post(f"/admin/account-reviews/realname/{pk}/reject/", {"reason": "营业执照不清晰"})
    assert RealNameVerification.objects.get().status == "rejected"
    client.force_login(applicant.user)
    response = client.get("/accounts/realname/")
    assert response.context["latest"].status == "rejected" and "营业执照不清晰" in response.content.decode()


@pytest.mark.parametrize("reason", ["", "   "])
def test_a_rejection_without_a_reason_is_refused(client, applicant, reason):
    from django.core.exceptions import ValidationError

    from portal.accounts.services import decide_realname_verification

    submit(client)
    verification = RealNameVerification.objects.get()
    with pytest.raises(ValidationError) as exc:
        decide_realname_verification(
            verification=verification, reviewer=staff("320000", "江苏省"), approve=False, reason=reason
        )
    assert exc.value.code == "reason_required"
    assert RealNameVerification.objects.get().status == "pending"
    assert Account.objects.get(pk=applicant.pk).verification_status == "pending"


def test_decision_twice_is_refused(client, applicant):
    from django.core.exceptions import ValidationError

    from portal.accounts.services import decide_realname_verification

    submit(client)
    reviewer = staff("320000", "江苏省")
    verification = RealNameVerification.objects.get()
    decide_realname_verification(
        verification=verification, reviewer=reviewer, approve=False, reason="材料不全"
    )
    with pytest.raises(ValidationError) as exc:
        decide_realname_verification(verification=verification, reviewer=reviewer, approve=True)
    assert exc.value.code == "not_pending"


def test_staff_without_province_sees_nothing(client, applicant):
    submit(client)
    reviewer = staff("320000", "江苏省")
    ReviewerScope.objects.filter(user=reviewer).delete()
    client.force_login(reviewer)
    response = client.get("/admin/account-reviews/realname/")
    assert response.status_code in (302, 403) or "苏州测试精密机械有限公司" not in response.content.decode()


def test_list_masks_uscc(client, applicant):
    submit(client)
    client.force_login(staff("320000", "江苏省"))
    html = client.get("/admin/account-reviews/realname/").content.decode()
    assert USCC_JS not in html


def test_unknown_request_is_404(client):
    client.force_login(staff("320000", "江苏省"))
    assert client.post("/admin/account-reviews/realname/999999/approve/", {"reason": ""}).status_code == 404
    assert client.get("/admin/account-reviews/realname/inspect/999999/").status_code == 404


def test_taken_uscc_is_refused_without_the_claim_box(client, applicant):
    VerifiedLegalAccountFactory(uscc=USCC_JS)
    response = submit(client)
    assert error_codes(response, "uscc") == {"uscc_taken"}
    assert not RealNameVerification.objects.exists()


def test_claim_of_a_free_uscc_is_refused(client, applicant):
    assert error_codes(submit(client, claim="on"), "claim") == {"claim_not_needed"}


class TestClaim:
    """FAQ 3: the real owner claims a USCC someone else verified; approving the claim revokes the
    squatter's verification and hands the enterprise over (issue 8, item 3)."""

    @pytest.fixture
    def squatter(self, client):
        from portal.enterprises.services import register_verified_enterprise

        squatter = VerifiedLegalAccountFactory(uscc=USCC_JS, real_name="冒用者", user__username="maoyong")
        RealNameVerification.objects.create(
            user=squatter.user,
            user_type="legal",
            status="approved",
            enterprise_name="苏州测试精密机械有限公司",
            uscc=USCC_JS,
            name="冒用者",
            id_number=make_id_number(seq="999"),
            province_code="320000",
        )
        register_verified_enterprise(
            user=squatter.user,
            name="苏州测试精密机械有限公司",
            uscc=USCC_JS,
            legal_representative="冒用者",
            legal_representative_id=make_id_number(seq="999"),
        )
        return squatter

    def test_claim_is_queued_with_the_holder_named(self, client, applicant, squatter):
        assert submit(client, claim="on").status_code == 302
        claim = RealNameVerification.objects.get(user=applicant.user)
        assert claim.status == "pending" and claim.claimed_from == squatter.user
        assert ModelLogEntry.objects.filter(action="accounts.realname_claimed").exists()
        reviewer = staff("320000", "江苏省")
        client.force_login(reviewer)
        page = client.get(f"/admin/account-reviews/realname/inspect/{claim.pk}/").content.decode()
        assert "maoyong" in page and "撤销" in page

    def test_approving_the_claim_revokes_the_squatter_and_transfers_the_enterprise(
        self, client, applicant, squatter
    ):
        from portal.enterprises.models import Enterprise

        submit(client, claim="on")
        claim = RealNameVerification.objects.get(user=applicant.user)
        reviewer = staff("320000", "江苏省")
        client.force_login(reviewer)
        response = client.post(f"/admin/account-reviews/realname/{claim.pk}/approve/", {"reason": ""})
        assert response.status_code == 302
        applicant.refresh_from_db()
        squatter.refresh_from_db()
        assert applicant.is_legal_person and applicant.uscc == USCC_JS
        assert not squatter.is_verified and squatter.uscc is None and squatter.user_type == "none"
        enterprise = Enterprise.objects.get(uscc=USCC_JS)
        assert enterprise.owner == applicant.user and enterprise.legal_representative == "张三"
        revoked = RealNameVerification.objects.get(user=squatter.user)
        assert revoked.status == "revoked" and revoked.reviewed_by == reviewer
        actions = set(ModelLogEntry.objects.values_list("action", flat=True))
        assert {"accounts.realname_revoked", "accounts.realname_approved", "enterprises.transfer"} <= actions
        # the squatter is told on their 实名认证 page
        client.force_login(squatter.user)
        response = client.get("/accounts/realname/")
        assert response.context["latest"].status == "revoked" and USCC_JS in response.content.decode()

    def test_rejecting_the_claim_leaves_the_holder_verified(self, client, applicant, squatter):
        submit(client, claim="on")
        claim = RealNameVerification.objects.get(user=applicant.user)
        client.force_login(staff("320000", "江苏省"))
        client.post(f"/admin/account-reviews/realname/{claim.pk}/reject/", {"reason": "材料不足"})
        squatter.refresh_from_db()
        assert squatter.is_legal_person and squatter.uscc == USCC_JS

    def test_the_claim_is_offered_from_the_realname_page_keeping_the_licence(
        self, client, applicant, squatter
    ):
        response = client.post(
            "/accounts/realname/",
            {
                "user_type": "legal",
                "enterprise_name": "苏州测试精密机械有限公司",
                "uscc": USCC_JS,
                "name": "张三",
                "id_number": make_id_number(),
                "licence": png_upload(),
            },
        )
        assert error_codes(response, "uscc") == {"uscc_taken"} and response.context["claim_form"]
        data = manual_data(claim="on")
        data.pop("licence")  # kept from the first page
        assert client.post(URL, data).status_code == 302
        assert RealNameVerification.objects.get(user=applicant.user).licence
