"""The site-history report (报告 → 网站历史) is scoped like the registers (issue 8, item 9)."""

from __future__ import annotations

import pytest

from tests.accounts.factories import AccountFactory, make_id_number, make_uscc, pdf_upload, png_upload, staff

pytestmark = pytest.mark.django_db
REPORT = "/admin/reports/site-history/"


@pytest.fixture
def jiangsu_request(client):
    applicant = AccountFactory()
    client.force_login(applicant.user)
    client.post(
        "/accounts/realname/manual/",
        {
            "user_type": "legal",
            "enterprise_name": "苏州史记测试有限公司",
            "uscc": make_uscc(region="320582"),
            "name": "张三",
            "id_number": make_id_number(),
            "licence": png_upload(),
            "evidence": pdf_upload(),
        },
    )
    client.logout()


@pytest.mark.parametrize("url", [REPORT, REPORT + "results/"])
def test_reviewers_see_only_their_province_in_the_site_history(client, jiangsu_request, url):
    client.force_login(staff("440000", "广东省"))
    other = client.get(url)
    assert other.status_code == 200 and "苏州史记测试有限公司" not in other.content.decode()
    client.force_login(staff("320000", "江苏省"))
    assert "苏州史记测试有限公司" in client.get(url).content.decode()


def test_superusers_see_every_province(client, jiangsu_request, admin_user):
    client.force_login(admin_user)
    assert "苏州史记测试有限公司" in client.get(REPORT).content.decode()


def test_the_report_is_ours_at_wagtails_path():
    from django.urls import resolve, reverse

    assert resolve(reverse("wagtailadmin_reports:site_history")).url_name == "scoped_site_history"


def test_submissions_are_in_the_site_history_of_superusers_only(client, admin_user):
    """Form submissions have no scoped register: a permission on the model used to show every
    province's entries to a reviewer of one."""
    from django.contrib.auth.models import Permission
    from wagtail.log_actions import log

    from tests.factories.forms import SubmissionFactory

    submission = SubmissionFactory(owner__username="qiye_jiangsu_history")
    log(instance=submission, action="forms_engine.submit", user=submission.owner)
    reviewer = staff("440000", "广东省")
    reviewer.user_permissions.add(
        Permission.objects.get(codename="view_formsubmission", content_type__app_label="forms_engine")
    )
    client.force_login(reviewer)
    page = client.get(REPORT)
    assert page.status_code == 200 and "qiye_jiangsu_history" not in page.content.decode()
    client.force_login(admin_user)
    assert "qiye_jiangsu_history" in client.get(REPORT).content.decode()


@pytest.mark.parametrize("url", [REPORT, REPORT + "results/"])
def test_filing_entries_only_for_the_reviewers_who_see_the_filing(client, url):
    """Reviewers hold view_filing: Wagtail's report showed every filing's entries (the enterprise's
    name in each) to a reviewer of any county; now only to those whose review scope shows it."""
    from wagtail.log_actions import log

    from tests.factories import recognition as factories

    regions = factories.gd_regions()
    filing = factories.approved_filing(
        enterprise_row=factories.enterprise(region=regions["440305"], name="南山史记测试科技有限公司")
    )
    log(instance=filing, action="filings.evidence_downloaded", user=filing.enterprise.owner)
    client.force_login(factories.reviewer_user(level="county", region=regions["440304"]))  # 福田区
    other = client.get(url)
    assert other.status_code == 200 and "南山史记测试科技有限公司" not in other.content.decode()
    client.force_login(factories.reviewer_user(level="province", region=regions["440000"]))
    assert "南山史记测试科技有限公司" in client.get(url).content.decode()
