"""Issue 12 items 3-6 as a reviewer and an enterprise notice them: the queue (filters, sorting,
counts, both scores), the review page (answers, self-score explanation, evidence members and the
logged download, profile, earlier filings, timeline), 退回 only by the current level and only while
the window is open, the notes beside the fields of the reopened draft, the diff on resubmission,
and verified scores with the deciding level's total deciding."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from wagtail.models import ModelLogEntry

from forms_engine.actions import ActionError
from portal.filings import services
from portal.filings.models import Filing, FilingWindow
from portal.review import selectors
from portal.review.actions import AdjustScoreAction, PassFilingAction, ReturnFilingAction
from tests.factories.filings import FilingEnterpriseFactory, submitted_filing

pytestmark = pytest.mark.django_db
QUEUE = "/admin/review/"


def fresh(filing: Filing) -> Filing:
    return Filing.objects.select_related("enterprise", "window", "submission", "evidence").get(pk=filing.pk)


def pass_to(filing: Filing, *users) -> Filing:
    for user in users:
        PassFilingAction(fresh(filing), user=user).execute()
    return fresh(filing)


def returned_and_resubmitted(filing, city, *, notes, new_answers) -> Filing:
    ReturnFilingAction(fresh(filing), user=city, comment="请修改", notes=notes).execute()
    filing = fresh(filing)
    submission = filing.submission
    from forms_engine import services as engine

    engine.save_submission_progress(
        submission=submission,
        expected_revision=submission.revision,
        wizard_state={},
        answers={**submission.answers, **new_answers},
    )
    return services.submit_filing(
        filing=fresh(filing), user=filing.enterprise.owner, evidence=filing.evidence
    )


# --- the queue ----------------------------------------------------------------------------------


def test_queue_shows_my_level_counts_both_scores_and_filters(client, regions, reviewers, filing):
    other = submitted_filing(
        enterprise=FilingEnterpriseFactory(name="深圳市福田另一科技有限公司", region=regions["440304"]),
        window=filing.window,
    )
    client.force_login(reviewers["county"])
    page = client.get(QUEUE).content.decode()
    assert "深圳市审核测试科技有限公司" in page and "深圳市福田另一科技有限公司" not in page
    assert '<span data-testid="todo-count">1</span>' in page
    assert "85 分" in page  # the self-score with its unit; the verified score not yet recorded

    # a verified score at the county: the queue shows both
    item = selectors.latest_score(filing)["items"][0]
    AdjustScoreAction(
        fresh(filing), user=reviewers["county"], item_key=item["key"], points=0, comment="核减"
    ).execute()
    expected = Decimal(filing.self_score) - Decimal(str(item["points"]))
    page = client.get(QUEUE).content.decode()
    assert "85 分" in page and f"{expected.normalize():f} 分" in page

    # filters: keyword (name, USCC), state, level, score range, region below the scope
    client.force_login(reviewers["province"])
    pass_to(filing, reviewers["county"], reviewers["city"])
    pass_to(other, reviewers["other_county"], reviewers["city"])
    assert client.get(QUEUE).content.decode().count('data-testid="todo-count">2<') == 1
    by_name = client.get(QUEUE, {"q": "福田另一"}).content.decode()
    assert "深圳市福田另一科技有限公司" in by_name and "深圳市审核测试科技有限公司" not in by_name
    by_uscc = client.get(QUEUE, {"q": filing.enterprise.uscc}).content.decode()
    assert "深圳市审核测试科技有限公司" in by_uscc and "深圳市福田另一科技有限公司" not in by_uscc
    assert "深圳市审核测试科技有限公司" not in client.get(QUEUE, {"level": "specialized"}).content.decode()
    assert "深圳市审核测试科技有限公司" not in client.get(QUEUE, {"score_min": 90}).content.decode()
    assert (
        "深圳市审核测试科技有限公司" in client.get(QUEUE, {"score_min": 80, "score_max": 90}).content.decode()
    )
    assert "深圳市审核测试科技有限公司" not in client.get(QUEUE, {"state": "returned"}).content.decode()
    counts = selectors.state_counts(selectors.filings_visible_to(reviewers["province"]))
    assert counts["pending"] == 2 and counts["returned"] == 0
    window = filing.window
    by_round = client.get(QUEUE, {"year": window.year, "batch": window.batch}).content.decode()
    assert "深圳市审核测试科技有限公司" in by_round
    other_batch = client.get(QUEUE, {"year": window.year, "batch": window.batch % 12 + 1}).content.decode()
    assert "深圳市审核测试科技有限公司" not in other_batch
    # sorting by the self-score, both ways, answers
    assert client.get(QUEUE, {"ordering": "-self_score"}).status_code == 200
    assert client.get(QUEUE, {"ordering": "verified_score"}).status_code == 200


def test_a_form_without_points_shows_its_outcome_not_zero(reviewers, filing):
    Filing.objects.filter(pk=filing.pk).update(self_score=0, max_score=None, outcome_label="符合条件")
    row = fresh(filing)
    assert row.score_cell == "符合条件" and row.verified_cell == "—"


# --- the review page ----------------------------------------------------------------------------


def test_review_page_shows_answers_score_evidence_profile_earlier_and_timeline(client, reviewers, filing):
    client.force_login(reviewers["county"])
    page = client.get(f"{QUEUE}inspect/{filing.pk}/").content.decode()
    assert "工业压力传感器" in page  # a readable answer
    assert "自评得分与核定" in page and "得分说明" in page
    assert "说明.txt" in page and "SHA-256" in page  # the zip's members
    assert filing.enterprise.legal_representative_id not in page  # the ID masked
    assert "通用设备制造业" in page or "所属行业" in page  # the profile
    assert "办理记录" in page and "提交申报" in page
    response = client.get(f"{QUEUE}{filing.pk}/evidence/")
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    assert ModelLogEntry.objects.filter(
        action="filings.evidence_downloaded", user_id=reviewers["county"].pk
    ).exists()
    # another county: 404 for the page and the zip, nothing logged
    client.force_login(reviewers["other_county"])
    assert client.get(f"{QUEUE}inspect/{filing.pk}/").status_code == 404
    assert client.get(f"{QUEUE}{filing.pk}/evidence/").status_code == 404
    assert not ModelLogEntry.objects.filter(
        action="filings.evidence_downloaded", user_id=reviewers["other_county"].pk
    ).exists()


def test_each_label_of_the_review_page_names_its_own_control(client, reviewers, filing):
    """The 通过, 不通过 and 退回 forms all have a comment: one id each (the labels of 不通过理由 and
    退回理由 pointed at the 通过 box, and a screen reader read the wrong field)."""
    import re

    client.force_login(reviewers["county"])
    page = client.get(f"{QUEUE}inspect/{filing.pk}/").content.decode()
    ids = re.findall(r'\sid="([^"]+)"', page)
    duplicated = {i for i in ids if ids.count(i) > 1}
    assert not duplicated, duplicated
    assert '<label for="return-comment">退回理由</label>' in page


def test_review_page_lists_the_enterprises_earlier_filings(client, reviewers, filing):
    old_window = FilingWindow.objects.create(
        province=filing.window.province,
        level="innovative",
        year=filing.window.year - 1,
        batch=1,
        opens_at=timezone.now() - dt.timedelta(days=400),
        closes_at=timezone.now() - dt.timedelta(days=370),
    )
    Filing.objects.create(
        enterprise=filing.enterprise,
        level="innovative",
        window=old_window,
        submission=filing.submission.__class__.objects.create(
            version=filing.submission.version, owner=filing.enterprise.owner, answers={}
        ),
        state="rejected",
        region_code=filing.region_code,
        reached_rank=1,
        self_score=55,
        max_score=100,
    )
    client.force_login(reviewers["county"])
    page = client.get(f"{QUEUE}inspect/{filing.pk}/").content.decode()
    assert "该企业的其他申报" in page and f"{filing.window.year - 1}年" in page and "未通过" in page


# --- 退回: the current level only, the window open only (FAQ 7) ---------------------------------


def test_only_the_current_level_returns(reviewers, filing):
    with pytest.raises(PermissionDenied):  # the city sees nothing yet, and may not act
        ReturnFilingAction(fresh(filing), user=reviewers["city"], comment="请修改").execute()
    pass_to(filing, reviewers["county"])
    with pytest.raises(PermissionDenied):  # the county has passed it on: no longer its level
        ReturnFilingAction(fresh(filing), user=reviewers["county"], comment="请修改").execute()
    ReturnFilingAction(fresh(filing), user=reviewers["city"], comment="请修改").execute()
    assert fresh(filing).state == "returned"


def test_no_return_after_the_window_closed(client, reviewers, filing):
    FilingWindow.objects.filter(pk=filing.window_id).update(
        opens_at=timezone.now() - dt.timedelta(days=30), closes_at=timezone.now() - dt.timedelta(hours=1)
    )
    with pytest.raises(ActionError) as refused:
        ReturnFilingAction(fresh(filing), user=reviewers["county"], comment="请修改").execute()
    assert refused.value.code == "window_closed"
    client.force_login(reviewers["county"])
    page = client.get(f"{QUEUE}inspect/{filing.pk}/").content.decode()
    assert 'data-testid="return-closed"' in page and "review:return" not in page
    response = client.post(f"{QUEUE}{filing.pk}/return/", {"comment": "请修改"}, follow=True)
    assert "本批次申报已截止" in response.content.decode()
    assert fresh(filing).state == "pending"
    # 通过 still works after the deadline
    PassFilingAction(fresh(filing), user=reviewers["county"]).execute()


# --- field-anchored notes and the diff --------------------------------------------------------


def test_notes_beside_the_flagged_fields_of_the_reopened_draft(client, reviewers, filing):
    pass_to(filing, reviewers["county"])
    ReturnFilingAction(
        fresh(filing),
        user=reviewers["city"],
        comment="请核实",
        notes=[
            {"kind": "field", "field_key": "main_product", "comment": "请写明产品型号"},
            {"kind": "evidence", "comment": "请补充检测报告"},
        ],
    ).execute()
    client.force_login(filing.enterprise.owner)
    page = client.get(f"/enterprise/filings/{filing.pk}/fill/", follow=True).content.decode()
    assert "请核实" in page
    start = page.index('data-field="main_product"')
    assert "请写明产品型号" in page[start : start + 400]
    assert "请补充检测报告" in page


def test_resubmission_shows_the_reviewer_what_changed_field_by_field(client, reviewers, filing):
    pass_to(filing, reviewers["county"])
    filing = returned_and_resubmitted(
        filing,
        reviewers["city"],
        notes=[{"kind": "field", "field_key": "main_product", "comment": "请写明型号"}],
        new_answers={"main_product": "工业压力传感器（P-100 型）", "rd_spend": 45},
    )
    assert filing.state == "pending" and filing.current_level == "city"
    client.force_login(reviewers["city"])
    page = client.get(f"{QUEUE}inspect/{filing.pk}/").content.decode()
    section = page[page.index('data-testid="changes"') :]
    section = section[: section.index("</section>")]
    assert "工业压力传感器（P-100 型）" in section and "修改" in section
    assert "45" in section and "30" in section  # 研发费用 before / after
    assert "工业压力传感器</td>" in section  # the value before the return beside the new one


# --- verified scores ----------------------------------------------------------------------------


def test_the_deciding_levels_verified_total_decides(reviewers, filing):
    items = [i for i in selectors.latest_score(filing)["items"] if i.get("max")]
    first, second = items[0], items[1]
    AdjustScoreAction(
        fresh(filing), user=reviewers["county"], item_key=first["key"], points=0, comment="县核减"
    ).execute()
    pass_to(filing, reviewers["county"])
    AdjustScoreAction(
        fresh(filing), user=reviewers["city"], item_key=second["key"], points=0, comment="市核减"
    ).execute()
    pass_to(filing, reviewers["city"])
    # the province (deciding) restores the first indicator: its value is in force
    AdjustScoreAction(
        fresh(filing),
        user=reviewers["province"],
        item_key=first["key"],
        points=first["points"],
        comment="省核实",
    ).execute()
    filing = pass_to(filing, reviewers["province"])
    assert filing.state == "approved"
    expected = Decimal(str(selectors.latest_score(filing)["total"])) - Decimal(str(second["points"]))
    assert filing.verified_score == expected
    chosen = selectors.verified_points(filing)
    assert chosen[first["key"]].level == "province" and chosen[second["key"]].level == "city"
    with pytest.raises(PermissionDenied):  # decided: nobody adjusts any more
        AdjustScoreAction(
            fresh(filing), user=reviewers["province"], item_key=first["key"], points=0, comment="x"
        ).execute()


def test_a_verified_score_outside_the_indicator_is_refused(reviewers, filing):
    item = next(i for i in selectors.latest_score(filing)["items"] if i.get("max"))
    with pytest.raises(ActionError) as refused:
        AdjustScoreAction(
            fresh(filing),
            user=reviewers["county"],
            item_key=item["key"],
            points=Decimal(item["max"]) + 1,
            comment="x",
        ).execute()
    assert refused.value.code == "points_range"
    with pytest.raises(ActionError) as refused:
        AdjustScoreAction(
            fresh(filing), user=reviewers["county"], item_key=item["key"], points=0, comment=""
        ).execute()
    assert refused.value.code == "reason_required"
