"""The contract host apps (filings, the digital assessment, review) build on: ownership, starting
on a chosen version with context and prefill, submit hooks inside the transaction, reopening for
revision with history, readable answers, versions side by side, migrating a draft, locked
values from the verified profile, region levels through the host's lookup."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.db.models.deletion import ProtectedError
from wagtail.models import ModelLogEntry

from forms_engine import services
from forms_engine.answers import answers_display, diff_answers, plan_migration
from forms_engine.host import SubmissionRefusedError
from forms_engine.models import FormSubmission, FormSubmissionRevision, FormVersion
from forms_engine.prefill import prefill_sources
from forms_engine.schema import parse_schema
from tests.factories.forms import (
    FormVersionFactory,
    OwnerFactory,
    SubmissionFactory,
    field,
    make_schema,
    option,
)

pytestmark = pytest.mark.django_db

CHOICE = field(
    "level", "single_choice", "研发机构级别", options=[option("national", "国家级"), option("none", "无")]
)


def schema_v1():
    return make_schema(
        field("revenue", "money", "营业收入", required=True),
        field("staff", "integer", "职工人数", unit="人", required=True),
        CHOICE,
    )


def submit(submission, **answers):
    services.save_submission_progress(
        submission=submission,
        expected_revision=submission.revision,
        wizard_state={},
        answers={**submission.answers, **answers},
    )
    submission.refresh_from_db()
    return services.submit_submission(submission=submission)


# --- ownership ----------------------------------------------------------------------------------


def test_deleting_the_owner_of_a_submission_is_refused():
    submission = SubmissionFactory(answers={"revenue": 10})
    with pytest.raises(ProtectedError):
        submission.owner.delete()
    assert FormSubmission.objects.filter(pk=submission.pk).exists()


# --- starting on a chosen version -----------------------------------------------------------------


def test_a_host_starts_a_submission_on_any_published_version_with_context_and_prefill():
    review = FormVersionFactory(schema=schema_v1(), purpose="review")
    owner = OwnerFactory()
    submission = services.start_submission(
        version=review, owner=owner, context={"province": "440000"}, prefill={"staff": 120, "not_a_field": 1}
    )
    assert submission.version == review and submission.is_draft
    assert submission.context == {"province": "440000"}
    assert submission.answers == {"staff": 120}


def test_starting_on_a_draft_version_is_refused():
    draft = FormVersionFactory(status=FormVersion.Status.DRAFT)
    with pytest.raises(services.DefinitionNotAvailableError):
        services.start_submission(version=draft, owner=OwnerFactory())


def test_versions_for_different_purposes_are_in_force_side_by_side():
    general = FormVersionFactory(schema=schema_v1())
    review = FormVersionFactory(definition=general.definition, schema=schema_v1(), purpose="review")
    newer = FormVersionFactory(definition=general.definition, schema=schema_v1())
    general.refresh_from_db()
    review.refresh_from_db()
    assert general.status == FormVersion.Status.RETIRED  # replaced by the newer general version
    assert review.status == FormVersion.Status.PUBLISHED  # the review version stays in force
    assert services.current_version(general.definition) == newer
    assert services.current_version(general.definition, "review") == review


def test_resume_or_start_keeps_drafts_of_each_purpose_apart():
    general = FormVersionFactory(schema=schema_v1())
    review = FormVersionFactory(definition=general.definition, schema=schema_v1(), purpose="review")
    owner = OwnerFactory()
    first = services.resume_or_start_submission(definition=general.definition, owner=owner)
    second = services.resume_or_start_submission(definition=general.definition, owner=owner, purpose="review")
    assert (first.version, second.version) == (general, review)
    assert (
        services.resume_or_start_submission(definition=general.definition, owner=owner, purpose="review")
        == second
    )


# --- submit hooks ---------------------------------------------------------------------------------

SEEN: list[dict] = []


def recording_hook(*, submission, result):
    """Sees the submission as submitted, inside the submit transaction."""
    SEEN.append(
        {
            "state": FormSubmission.objects.get(pk=submission.pk).state,
            "in_transaction": transaction.get_connection().in_atomic_block,
            "total": result.total if result is not None else None,
        }
    )


def refusing_hook(*, submission, result):
    raise SubmissionRefusedError("申报窗口已关闭，不能提交。", code="window_closed")


@pytest.fixture
def hooks(settings):
    SEEN.clear()

    def configure(**mapping):
        settings.FORMS_ENGINE_SUBMIT_HOOKS = {key.replace("__", ":"): value for key, value in mapping.items()}

    return configure


def test_submit_hook_runs_inside_the_submit_transaction(hooks):
    submission = SubmissionFactory(version=FormVersionFactory(schema=schema_v1()))
    hooks(category__filing=f"{__name__}.recording_hook")
    submit(submission, revenue=100, staff=10)
    assert SEEN == [{"state": "submitted", "in_transaction": True, "total": None}]


def test_a_refusing_hook_rolls_the_whole_submit_back_with_its_message(hooks):
    submission = SubmissionFactory(version=FormVersionFactory(schema=schema_v1()))
    hooks(**{submission.version.definition.key: f"{__name__}.refusing_hook"})
    with pytest.raises(SubmissionRefusedError) as info:
        submit(submission, revenue=100, staff=10)
    assert info.value.code == "window_closed" and info.value.message
    submission.refresh_from_db()
    assert submission.is_draft and submission.submitted_at is None
    assert not FormSubmissionRevision.objects.exists()
    assert not ModelLogEntry.objects.filter(action="forms_engine.submit").exists()


def test_hooks_of_other_definitions_and_categories_are_not_run(hooks):
    submission = SubmissionFactory(version=FormVersionFactory(schema=schema_v1()))
    hooks(
        other_form=f"{__name__}.refusing_hook",
        category__assessment=f"{__name__}.refusing_hook",
        **{"*": [f"{__name__}.recording_hook"]},
    )
    submit(submission, revenue=100, staff=10)
    assert len(SEEN) == 1


# --- reopening for revision (退回) and history ------------------------------------------------------


def test_reopen_keeps_the_pinned_version_even_after_a_newer_one_was_published():
    v1 = FormVersionFactory(schema=schema_v1())
    submission = SubmissionFactory(version=v1)
    submit(submission, revenue=100, staff=10, level="none")
    FormVersionFactory(definition=v1.definition, schema=schema_v1())  # v2, current now
    reviewer = OwnerFactory(username="shenhe")
    reopened = services.reopen_submission(
        submission=submission, user=reviewer, reason="营业收入与审计报告不符"
    )
    assert reopened.is_draft and reopened.version == v1
    resubmitted = submit(reopened, revenue=120)
    assert resubmitted.version == v1 and resubmitted.answers["revenue"] == 120
    history = list(resubmitted.revisions.order_by("number"))
    assert [(r.number, r.answers["revenue"], r.version_id) for r in history] == [
        (1, 100, v1.pk),
        (2, 120, v1.pk),
    ]
    assert history[0].reopened_by == reviewer and history[0].reopen_reason == "营业收入与审计报告不符"
    assert history[1].reopened_at is None
    assert ModelLogEntry.objects.filter(action="forms_engine.reopen").count() == 1


def test_the_reviewer_sees_what_changed_on_resubmission():
    version = FormVersionFactory(schema=schema_v1())
    submission = SubmissionFactory(version=version)
    submit(submission, revenue=100, staff=10, level="none")
    services.reopen_submission(submission=submission, user=None, reason="请核对")
    submission.refresh_from_db()
    submit(submission, revenue=120, level="national")
    first, second = submission.revisions.order_by("number")
    changes = diff_answers(version.parsed, first.answers, second.answers)
    assert [(c.key, c.old, c.new, c.change) for c in changes] == [
        ("revenue", "100 万元", "120 万元", "changed"),
        ("level", "无", "国家级", "changed"),
    ]


def test_only_a_submitted_submission_can_be_reopened():
    with pytest.raises(services.SubmissionStateError) as info:
        services.reopen_submission(submission=SubmissionFactory(), user=None)
    assert info.value.code == "not_submitted"


# --- readable answers ------------------------------------------------------------------------------

READABLE = make_schema(
    field("name", "text", "企业名称"),
    field("revenue", "money", "营业收入"),
    field("share", "percentage", "研发占比"),
    field("staff", "integer", "职工人数", unit="人"),
    field("listed", "yes_no", "是否上市"),
    CHOICE,
    field("fields", "multiple_choice", "领域", options=[option("B", "B. 新材料"), option("C", "C. 新能源")]),
    field("founded", "date", "成立日期"),
    field("since", "year", "起始年份"),
    field("county", "region", "所在区县"),
    field("industry", "industry", "所属行业"),
    field("ratio", "computed", "人均收入", expression="revenue / staff", unit="万元/人"),
    field(
        "patents", "table", "专利", columns=[field("title", "text", "名称"), field("own", "yes_no", "自主")]
    ),
    field("licence", "file", "营业执照"),
)


def test_answers_display_renders_every_value_as_a_person_reads_it(guangdong):
    rows = answers_display(
        parse_schema(READABLE),
        {
            "name": "测试企业",
            "revenue": 12345.5,
            "share": 3.5,
            "staff": 120,
            "listed": False,
            "level": "national",
            "fields": ["C", "B"],
            "founded": "2010-05-06",
            "since": 2015,
            "county": "441900",
            "industry": "39",
            "patents": [{"title": "传感器", "own": True}],
            "licence": {"name": "执照.pdf", "path": "forms/x/licence/a.pdf", "size": 2 * 1024 * 1024},
        },
    )
    shown = {row.key: row.text for row in rows}
    assert shown == {
        "name": "测试企业",
        "revenue": "12,345.5 万元",
        "share": "3.5%",
        "staff": "120 人",
        "listed": "否",
        "level": "国家级",
        "fields": "B. 新材料、C. 新能源",
        "founded": "2010年5月6日",
        "since": "2015",
        "county": "广东省 东莞市",
        "industry": "39 计算机、通信和其他电子设备制造业",
        "ratio": "102.88 万元/人",
        "patents": "第 1 行：名称：传感器；自主：是",
        "licence": "执照.pdf（2.0 MB）",
    }
    assert rows[0].step == "第1步" and rows[0].section == "分组1"
    assert not any(raw in shown.values() for raw in ("True", "False", "national", "['C', 'B']", "39"))


def test_the_result_page_shows_readable_answers(client, guangdong):
    version = FormVersionFactory(schema=READABLE)
    submission = SubmissionFactory(
        version=version, answers={"listed": True, "level": "national", "county": "441900"}
    )
    client.force_login(submission.owner)
    page = client.get(f"/forms/s/{submission.uuid}/result/").content.decode()
    assert "国家级" in page and "广东省 东莞市" in page and ">是<" in page
    assert "national" not in page and "True" not in page


# --- 【迁移到新版本】 ---------------------------------------------------------------------------------


def schema_v2():
    return make_schema(
        field("revenue", "money", "营业收入", required=True),
        field("staff", "text", "职工人数（文字）"),  # the type changed
        field("rd", "money", "研发费用", required=True),
        CHOICE,
    )  # new and required


def test_migration_plan_carries_unchanged_answers_and_lists_what_to_answer_again():
    plan = plan_migration(
        parse_schema(schema_v1()),
        parse_schema(schema_v2()),
        {"revenue": 100, "staff": 10, "level": "national"},
    )
    assert plan.answers == {"revenue": 100, "level": "national"}
    assert {(r.key, r.reason) for r in plan.reanswer} == {("staff", "题型已改变"), ("rd", "新增的必填项")}


def test_migrate_draft_moves_the_same_submission_and_keeps_the_old_draft_in_history():
    v1 = FormVersionFactory(schema=schema_v1())
    draft = SubmissionFactory(version=v1, answers={"revenue": 100, "staff": 10})
    v2 = FormVersionFactory(definition=v1.definition, schema=schema_v2())
    draft = FormSubmission.objects.get(pk=draft.pk)  # as a request loads it: v1 is retired now
    assert services.migration_target(draft) == v2
    moved = services.migrate_draft(submission=draft, target=v2, user=draft.owner)
    assert moved.pk == draft.pk and moved.version == v2
    assert moved.answers == {"revenue": 100}
    old = moved.revisions.get()
    assert (
        old.event == FormSubmissionRevision.Event.MIGRATED
        and old.answers["staff"] == 10
        and old.version == v1
    )
    assert services.migration_target(moved) is None


def test_the_migrate_page_asks_before_it_moves_anything(client):
    v1 = FormVersionFactory(schema=schema_v1())
    draft = SubmissionFactory(version=v1, answers={"revenue": 100, "staff": 10})
    v2 = FormVersionFactory(definition=v1.definition, schema=schema_v2())
    client.force_login(draft.owner)
    page = client.get(f"/forms/s/{draft.uuid}/").content.decode()
    assert "迁移到新版本" in page
    plan_page = client.get(f"/forms/s/{draft.uuid}/migrate/").content.decode()
    assert "研发费用（新增的必填项）" in plan_page and "营业收入" in plan_page
    draft.refresh_from_db()
    assert draft.version == v1  # nothing changed until confirmed
    client.post(f"/forms/s/{draft.uuid}/migrate/", {"revision": draft.revision})
    draft.refresh_from_db()
    assert draft.version == v2


# --- locked values from the verified profile ---------------------------------------------------------


@pytest.fixture
def verified_name():
    prefill_sources.register("test.verified_name", lambda *, user, context: "真实企业有限公司", locked=True)
    yield
    prefill_sources.unregister("test.verified_name")


def locked_schema():
    return make_schema(
        field("name", "text", "企业名称", prefill="test.verified_name", required=True),
        field("revenue", "money", "营业收入"),
    )


def test_a_locked_value_is_taken_server_side_at_save_and_at_submit(verified_name):
    submission = SubmissionFactory(version=FormVersionFactory(schema=locked_schema()))
    assert submission.answers["name"] == "真实企业有限公司"
    saved = services.save_submission_progress(
        submission=submission,
        expected_revision=submission.revision,
        wizard_state={},
        answers={"name": "别人的企业", "revenue": 5},
    )
    assert saved.answers == {"name": "真实企业有限公司", "revenue": 5}
    submitted = services.submit_submission(submission=saved, answers={"name": "别人的企业", "revenue": 5})
    assert submitted.answers["name"] == "真实企业有限公司"


def test_a_locked_field_is_read_only_in_the_wizard_and_a_forged_post_is_ignored(client, verified_name):
    submission = SubmissionFactory(version=FormVersionFactory(schema=locked_schema()))
    client.force_login(submission.owner)
    page = client.get(f"/forms/s/{submission.uuid}/").content.decode()
    assert "来自已认证的企业信息" in page and "disabled" in page
    prefix = f"form_{submission.version_id}"
    client.post(
        f"/forms/s/{submission.uuid}/",
        {
            f"{prefix}-current_step": "step1",
            "wizard_action": "save",
            "wizard_revision": submission.revision,
            "step1-name": "别人的企业",
            "step1-revenue": "5",
        },
    )
    submission.refresh_from_db()
    assert submission.answers["name"] == "真实企业有限公司" and submission.answers["revenue"] == 5


def test_a_readonly_field_keeps_its_prefilled_value():
    schema = make_schema(
        field("code", "text", "编号", readonly=True, default="A-1"), field("revenue", "money", "营业收入")
    )
    submission = SubmissionFactory(version=FormVersionFactory(schema=schema))
    saved = services.save_submission_progress(
        submission=submission,
        expected_revision=submission.revision,
        wizard_state={},
        answers={"code": "B-2", "revenue": 1},
    )
    assert saved.answers["code"] == "A-1"


# --- region levels through the host's lookup -------------------------------------------------------------


@pytest.fixture
def guangdong():
    from portal.reference.models import Industry, Region

    manufacturing = Industry.objects.create(code="C", name="制造业", level=Industry.Level.SECTION)
    Industry.objects.create(
        code="39",
        name="计算机、通信和其他电子设备制造业",
        level=Industry.Level.DIVISION,
        parent=manufacturing,
    )

    province = Region.objects.create(code="440000", name="广东省", level=Region.Level.PROVINCE)
    Region.objects.create(
        code="441900", name="东莞市", level=Region.Level.PREFECTURE, parent=province
    )  # no counties
    shenzhen = Region.objects.create(
        code="440300", name="深圳市", level=Region.Level.PREFECTURE, parent=province
    )
    Region.objects.create(code="440305", name="南山区", level=Region.Level.COUNTY, parent=shenzhen)
    return province


@pytest.mark.parametrize(
    ("code", "issue"),
    [
        ("441900", None),
        ("440305", None),
        ("440300", "region_level"),
        ("440000", "region_level"),
        ("449999", "unknown_code"),
    ],
)
def test_region_levels_are_decided_by_the_hosts_lookup(guangdong, code, issue):
    from forms_engine.values import clean_answers

    schema = parse_schema(make_schema(field("county", "region", "所在区县")))
    issues = clean_answers(schema, {"county": code}).issues
    assert [i.code for i in issues] == ([issue] if issue else [])


# --- a host's own wizard page -------------------------------------------------------------------------------


def test_a_host_wizard_view_shows_its_notes_beside_fields_and_fills_the_template_blocks(
    client, settings, tmp_path
):
    from django.test import RequestFactory
    from django.urls import path

    from forms_engine.wizard import SubmissionWizardView, _DummyForm

    (tmp_path / "host").mkdir()
    (tmp_path / "host" / "fill.html").write_text(
        '{% extends "forms_engine/wizard.html" %}{% block wizard_panels %}<section id="evidence">证明材料上传'
        '</section>{% endblock %}{% block wizard_aside %}<p id="summary">申报摘要</p>{% endblock %}',
        encoding="utf-8",
    )
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}]
    submission = SubmissionFactory(version=FormVersionFactory(schema=schema_v1()))

    class FilingFill(SubmissionWizardView):
        template_name = "host/fill.html"

        def get_submission(self):
            return submission  # the host looks the submission up through its own filing

        def get_field_annotations(self):
            return {"revenue": ["审核意见：与审计报告不一致，请核对"]}

    request = RequestFactory().get("/enterprise/filings/1/fill/")
    request.user = submission.owner
    request.session = client.session
    view = FilingFill.as_view(form_list=[("_", _DummyForm)])
    response = view(request, pk=1)
    response.render()
    page = response.content.decode()
    assert "证明材料上传" in page and "申报摘要" in page
    assert "审核意见：与审计报告不一致，请核对" in page
    assert path  # the view is mounted by the host's own urls.py
