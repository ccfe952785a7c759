import re

import pytest
from wagtail.models import ModelLogEntry

from portal.accounts.models import RealNameVerification
from tests.accounts.factories import (
    AccountFactory,
    VerifiedLegalAccountFactory,
    error_codes,
    make_id_number,
    make_uscc,
    pdf_upload,
    png_upload,
    wrong_check,
)

pytestmark = pytest.mark.django_db
URL = "/accounts/realname/"
USCC = make_uscc(region="320582")
ID = make_id_number()


@pytest.fixture
def account(client):
    account = AccountFactory()
    client.force_login(account.user)
    return account


def legal_data(**overrides):
    return {
        "user_type": "legal",
        "enterprise_name": "苏州测试精密机械有限公司",
        "uscc": USCC,
        "name": "张三",
        "id_number": ID,
        "licence": png_upload(),
        "email": "zhang@example.com",
        **overrides,
    }


def test_realname_requires_login(client):
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_realname_page_shows_labels_and_manual_link(client, account):
    html = client.get(URL).content.decode()
    for label in (
        "用户类型",
        "法人",
        "自然人",
        "企业名称",
        "统一社会信用代码",
        "法定代表人姓名",
        "营业执照",
        "人工实名认证",
    ):
        assert label in html


def test_legal_only_fields_carry_the_required_star(client, account):
    """企业名称, 统一社会信用代码 and 营业执照 are required for 法人: they carry the manual's * (issue 9, item 11)."""
    html = client.get(URL).content.decode()
    for field in ("enterprise_name", "uscc", "licence"):
        label = re.search(rf'<label\s+for="id_{field}"[^>]*>(.*?)</label>', html, re.S).group(1)
        assert 'class="asteriskField"' in label, field
        assert re.search(rf'name="{field}"[^>]*data-show-when="user_type=legal"', html), field


def test_legal_verification_happy_path_links_the_enterprise(client, account):
    response = client.post(URL, legal_data())
    assert response.status_code == 302
    account.refresh_from_db()
    assert account.is_legal_person and account.uscc == USCC and account.real_name == "张三"
    assert account.email == "zhang@example.com"
    verification = RealNameVerification.objects.get()
    assert verification.status == "approved" and verification.licence.name.startswith("licences/")
    assert verification.province_code == "320000"
    from portal.enterprises.selectors import enterprise_for_user

    enterprise = enterprise_for_user(account.user)
    assert enterprise is not None and enterprise.uscc == USCC
    assert ModelLogEntry.objects.filter(action="accounts.realname_approved").exists()


def test_success_links_onward_to_the_profile_and_the_centre(client, account):
    """Real-name success is no dead end (issue 9, item 16)."""
    client.post(URL, legal_data())
    html = client.get(URL).content.decode()
    assert 'href="/enterprise/"' in html and 'href="/enterprise/home/"' in html


def test_licence_is_stored_under_a_server_generated_name(client, account):
    client.post(URL, legal_data(licence=png_upload(name="../../营业执照 (1).png")))
    name = RealNameVerification.objects.get().licence.name
    assert re.fullmatch(r"licences/\d{4}/\d{2}/[0-9a-f]{32}\.png", name)


def test_natural_person_verification_and_faq2_notice(client, account):
    response = client.post(URL, {"user_type": "natural", "name": "李四", "id_number": ID})
    assert response.status_code == 302
    account.refresh_from_db()
    assert account.user_type == "natural" and account.id_number == ID and account.is_verified
    html = client.get(URL).content.decode()
    assert "需通过【法人账户】完成申报" in html


@pytest.mark.parametrize("field", ["enterprise_name", "uscc", "licence"])
def test_legal_verification_requires_fields(client, account, field):
    data = legal_data()
    data.pop(field)
    response = client.post(URL, data)
    assert error_codes(response, field) == {"required"}
    assert not RealNameVerification.objects.exists()


def test_licence_is_kept_when_another_field_fails(client, account):
    """The licence need not be chosen again after another error (issue 9, item 11)."""
    response = client.post(URL, legal_data(id_number=wrong_check(ID)))
    assert error_codes(response, "id_number") == {"id_checksum"}
    assert "licence.png" in response.content.decode()  # 已上传：licence.png
    data = legal_data()
    data.pop("licence")
    assert client.post(URL, data).status_code == 302
    assert RealNameVerification.objects.get().licence


def test_legal_verification_rejects_bad_uscc_check_character_and_keeps_input(client, account):
    response = client.post(URL, legal_data(uscc=wrong_check(USCC)))
    assert error_codes(response, "uscc") == {"uscc_checksum"}
    assert "苏州测试精密机械有限公司" in response.content.decode()


def test_legal_verification_rejects_bad_id_check_digit(client, account):
    assert error_codes(client.post(URL, legal_data(id_number=wrong_check(ID))), "id_number") == {
        "id_checksum"
    }


def test_legal_verification_rejects_bad_birth_date(client, account):
    response = client.post(URL, legal_data(id_number=make_id_number(birth="19900231")))
    assert error_codes(response, "id_number") == {"id_birth_date"}


def test_duplicate_uscc_is_refused_and_offers_the_claim(client, account):
    VerifiedLegalAccountFactory(uscc=USCC)
    response = client.post(URL, legal_data())
    assert error_codes(response, "uscc") == {"uscc_taken"}
    claim_form = response.context["claim_form"]
    assert claim_form.initial["claim"] is True and claim_form.initial["uscc"] == USCC
    assert 'action="/accounts/realname/manual/"' in response.content.decode()
    assert not RealNameVerification.objects.exists()
    account.refresh_from_db()
    assert not account.is_verified


def test_uscc_claimed_in_enterprises_is_refused(client, account):
    from portal.enterprises.services import register_verified_enterprise

    other = AccountFactory()
    register_verified_enterprise(
        user=other.user, name="别家", uscc=USCC, legal_representative="王五", legal_representative_id=ID
    )
    assert error_codes(client.post(URL, legal_data()), "uscc") == {"uscc_taken"}
    account.refresh_from_db()
    assert not account.is_verified and account.uscc is None


def test_licence_must_be_an_image(client, account):
    response = client.post(URL, legal_data(licence=pdf_upload("licence.pdf")))
    assert error_codes(response, "licence") and not RealNameVerification.objects.exists()


def test_licence_size_is_limited(client, account, settings):
    settings.ACCOUNTS_LICENCE_MAX_BYTES = 100
    response = client.post(URL, legal_data(licence=png_upload(size=(200, 200))))
    assert error_codes(response, "licence") == {"file_too_large"}


class TestProductionDefault:
    """Without ACCOUNTS_LOCAL_RULES_APPROVE a well-formed number approves nothing: every claim is
    reviewed by staff (identity squatting, issue 8, item 3)."""

    @pytest.fixture(autouse=True)
    def manual_only(self, settings):
        settings.ACCOUNTS_LOCAL_RULES_APPROVE = False

    def test_the_realname_page_is_the_manual_form(self, client, account):
        response = client.get(URL)
        assert response.context["manual"] and "evidence" in response.context["form"].fields

    def test_a_well_formed_claim_waits_for_review(self, client, account):
        response = client.post(URL, legal_data(evidence=pdf_upload()))
        assert response.status_code == 302
        verification = RealNameVerification.objects.get()
        assert verification.method == "manual" and verification.status == "pending"
        account.refresh_from_db()
        assert not account.is_verified and account.uscc is None

    def test_the_automatic_service_refuses(self, account):
        from django.core.exceptions import ValidationError

        from portal.accounts.services import submit_realname_verification

        with pytest.raises(ValidationError) as exc:
            submit_realname_verification(
                user=account.user,
                user_type="legal",
                name="张三",
                id_number=ID,
                enterprise_name="苏州测试",
                uscc=USCC,
                licence=png_upload(),
            )
        assert exc.value.code == "manual_review_required"
        assert not RealNameVerification.objects.exists()

    def test_a_registry_adapter_can_approve(self, client, account, settings):
        settings.ACCOUNTS_VERIFICATION_BACKENDS = [
            "portal.accounts.verification.LocalRulesBackend",
            "tests.accounts.test_realname.ApprovingRegistry",
        ]
        assert client.post(URL, legal_data()).status_code == 302
        account.refresh_from_db()
        assert account.is_legal_person


def test_deploy_check_warns_when_format_alone_approves(settings):
    from portal.accounts.checks import check_local_rules_approval

    settings.ACCOUNTS_LOCAL_RULES_APPROVE = True
    assert [message.id for message in check_local_rules_approval()] == ["accounts.W001"]
    settings.ACCOUNTS_LOCAL_RULES_APPROVE = False
    assert check_local_rules_approval() == []


def test_production_settings_do_not_approve_by_format():
    from portal.settings import base

    assert (
        base.ACCOUNTS_LOCAL_RULES_APPROVE is False
        or "ACCOUNTS_LOCAL_RULES_APPROVE" in __import__("os").environ
    )


from portal.accounts.verification import ExternalRegistryBackend, VerificationResult  # noqa: E402


class ApprovingRegistry(ExternalRegistryBackend):
    """A registry adapter that confirms every claim (stands in for the market regulator's)."""

    def lookup(self, claim):
        return VerificationResult(True)
