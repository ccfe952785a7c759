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
