import pytest
from wagtail.models import ModelLogEntry

from portal.accounts.models import Account, RealNameVerification
from tests.accounts.factories import (
    AccountFactory,
    VerifiedLegalAccountFactory,
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
    return {"user_type": "legal", "enterprise_name": "苏州测试精密机械有限公司", "uscc": USCC, "name": "张三",
            "id_number": ID, "licence": png_upload(), "email": "zhang@example.com", **overrides}


def test_realname_requires_login(client):
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_realname_page_shows_labels_and_manual_link(client, account):
    html = client.get(URL).content.decode()
    for label in ("用户类型", "法人", "自然人", "企业名称", "统一社会信用代码", "法定代表人姓名", "营业执照",
                  "人工实名认证"):
        assert label in html


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
    assert "实名认证成功" in client.get(URL).content.decode()


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
    assert response.status_code == 200 and "法人实名认证必须填写此项" in response.content.decode()
    assert not RealNameVerification.objects.exists()


def test_legal_verification_rejects_bad_uscc_check_character_and_keeps_input(client, account):
    response = client.post(URL, legal_data(uscc=wrong_check(USCC)))
    html = response.content.decode()
    assert "统一社会信用代码校验位不正确" in html and "苏州测试精密机械有限公司" in html


def test_legal_verification_rejects_bad_id_check_digit(client, account):
    response = client.post(URL, legal_data(id_number=wrong_check(ID)))
    assert "身份证号校验位不正确" in response.content.decode()


def test_legal_verification_rejects_bad_birth_date(client, account):
    response = client.post(URL, legal_data(id_number=make_id_number(birth="19900231")))
    assert "出生日期无效" in response.content.decode()


def test_duplicate_uscc_is_refused_with_faq3_advice(client, account):
    VerifiedLegalAccountFactory(uscc=USCC)
    response = client.post(URL, legal_data())
    html = response.content.decode()
    assert "统一社会信用代码已存在" in html and "账号找回" in html and "人工核验" in html
    assert not RealNameVerification.objects.exists()
    account.refresh_from_db()
    assert not account.is_verified


def test_uscc_claimed_in_enterprises_is_refused(client, account):
    from portal.enterprises.services import register_verified_enterprise

    other = AccountFactory()
    register_verified_enterprise(user=other.user, name="别家", uscc=USCC, legal_representative="王五",
                                 legal_representative_id=ID)
    response = client.post(URL, legal_data())
    assert "统一社会信用代码已存在" in response.content.decode()
    account.refresh_from_db()
    assert not account.is_verified and account.uscc is None


def test_licence_must_be_an_image(client, account):
    response = client.post(URL, legal_data(licence=pdf_upload("licence.pdf")))
    assert response.status_code == 200 and not RealNameVerification.objects.exists()


def test_licence_size_is_limited(client, account, settings):
    settings.ACCOUNTS_LICENCE_MAX_BYTES = 50
    response = client.post(URL, legal_data())
    assert "文件不能超过" in response.content.decode()


def test_verified_account_cannot_verify_again(client):
    account = VerifiedLegalAccountFactory()
    client.force_login(account.user)
    response = client.post(URL, legal_data())
    assert response.status_code == 200 and not RealNameVerification.objects.exists()


def test_backend_refusal_is_saved_and_shown_with_manual_path(client, account, settings):
    settings.ACCOUNTS_VERIFICATION_BACKENDS = ["tests.accounts.test_realname.RefusingRegistry"]
    response = client.post(URL, legal_data())
    assert response.status_code == 302
    verification = RealNameVerification.objects.get()
    assert verification.status == "rejected" and verification.reason == "登记信息不一致"
    html = client.get(URL).content.decode()
    assert "登记信息不一致" in html and "人工实名认证" in html
    assert Account.objects.get(pk=account.pk).verification_status == "unverified"


from portal.accounts.verification import ExternalRegistryBackend, VerificationResult  # noqa: E402


class RefusingRegistry(ExternalRegistryBackend):
    def lookup(self, claim):
        return VerificationResult(False, "registry_mismatch", "登记信息不一致")
