"""报告 → 网站历史 is scoped like the review queue: Wagtail shows every log entry of a model to anyone
holding a permission on it, so a reviewer (``filings.view_filing``) read the 通过 / 退回 entries —
with the enterprise's name — of every other region's filings."""

from __future__ import annotations

import pytest
from wagtail.log_actions import log

from tests.factories import recognition as factories

pytestmark = pytest.mark.django_db


def test_a_reviewer_reads_the_history_of_filings_in_their_region_only(client):
    regions = factories.gd_regions()
    js = factories.region("320000", "江苏省", "province")
    zjg = factories.region(
        "320582", "张家港市", "county", factories.region("320500", "苏州市", "prefecture", js)
    )
    mine = factories.approved_filing(
        enterprise_row=factories.enterprise(region=regions["440305"], name="深圳本省精密有限公司")
    )
    theirs = factories.approved_filing(
        enterprise_row=factories.enterprise(region=zjg, name="张家港他省机械有限公司")
    )
    reviewer = factories.reviewer_user(level="province", region=regions["440000"])
    for filing in (mine, theirs):
        log(instance=filing, action="filings.pass", user=None, data={"step": "省级"})
    client.force_login(reviewer)
    page = client.get("/admin/reports/site-history/").content.decode()
    assert str(mine) in page
    assert str(theirs) not in page and "张家港他省机械有限公司" not in page


def test_a_reviewer_reads_the_history_of_recognitions_and_publicities_in_their_region_only(client):
    """公示 and 认定 entries (the 公示 title, the recognition's label) would show to every staff member
    an operator gives a permission on those models: the report cuts them to the member's region."""
    from django.contrib.auth.models import Permission

    from portal.recognition.actions import CreatePublicityAction, RecogniseFilingAction

    factories.notice_site()
    regions = factories.gd_regions()
    zj_reviewer = factories.reviewer_user(level="province", region=regions["330000"])
    gd_reviewer = factories.reviewer_user(level="province", region=regions["440000"])
    filing = factories.approved_filing(
        enterprise_row=factories.enterprise(region=regions["440305"], name="深圳南山认定精密有限公司")
    )
    publicity = CreatePublicityAction(
        [filing], user=gd_reviewer, title="广东省认定名单公示（测试）"
    ).execute()
    factories.end_publicity(publicity)
    recognition = RecogniseFilingAction(filing, user=gd_reviewer, skip_permission_checks=True).execute()
    viewing = Permission.objects.filter(
        content_type__app_label="recognition", codename__in=["view_publicity", "view_recognition"]
    )
    for user, sees in ((gd_reviewer, True), (zj_reviewer, False)):
        user.user_permissions.add(*viewing)
        client.force_login(user)
        page = client.get("/admin/reports/site-history/").content.decode()
        assert ("广东省认定名单公示（测试）" in page) is sees
        assert (str(recognition) in page) is sees


def test_a_province_reviewer_reads_the_history_of_major_changes_in_their_province_only(client):
    """审核人员 hold changes.view_majorchange, so Wagtail showed them the 重大变更 entries of every
    province."""
    from django.utils import timezone

    from portal.changes.models import MajorChange
    from tests.factories.forms import SubmissionFactory

    regions = factories.gd_regions()
    changes = {}
    for code, name in (("440305", "深圳变更精密有限公司"), ("330106", "杭州变更机械有限公司")):
        company = factories.enterprise(region=regions[code], name=name)
        changes[code] = MajorChange.objects.create(
            enterprise=company,
            change_type="rename",
            submission=SubmissionFactory(owner=company.owner),
            state=MajorChange.State.PENDING,
            submitted_at=timezone.now(),
            region_code=code,
        )
        log(instance=changes[code], action="changes.submit", user=company.owner)
    client.force_login(factories.reviewer_user(level="province", region=regions["440000"]))
    page = client.get("/admin/reports/site-history/").content.decode()
    assert str(changes["440305"]) in page
    assert str(changes["330106"]) not in page
