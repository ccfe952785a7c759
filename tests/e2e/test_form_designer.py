"""Browser: a policy-staff member adds a scored question to a draft of the digital questionnaire
in the admin, previews it, a second policy-staff member approves it, it is published; a
submission started afterwards gets the new question while a draft started earlier keeps v1."""

from __future__ import annotations

import datetime
import importlib
import re

import pytest
from django.conf import settings
from playwright.sync_api import expect

from tests.e2e.helpers import admin_login as sign_in
from tests.e2e.helpers import bind_staff_phone
from tests.forms_engine.conftest import load_document

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "Zhengce-Pass-2026"
PHONES = {"zhengce_a": "13700000011", "zhengce_b": "13700000012"}
TITLE = "中小企业数字化水平评测（制造业）"


@pytest.fixture
def setup(transactional_db, django_user_model):
    from django.contrib.auth.models import Group, Permission

    from forms_engine.models import FormDefinition, FormSubmission
    from forms_engine.services import import_definition_document, resume_or_start_submission

    # a transactional test flushes the rows data migrations wrote: create the group again with the
    # migration's permission list (the permissions themselves are recreated after each flush)
    migration = importlib.import_module("forms_engine.migrations.0003_policy_staff_group")
    group, _created = Group.objects.get_or_create(name=migration.POLICY_STAFF_GROUP)
    for app_label, model, codename in migration.PERMISSIONS:
        group.permissions.add(
            Permission.objects.get(
                content_type__app_label=app_label, content_type__model=model, codename=codename
            )
        )
    staff = {}
    for name in ("zhengce_a", "zhengce_b"):
        staff[name] = django_user_model.objects.create_user(username=name, password=PASSWORD, is_staff=True)
        staff[name].groups.add(group)
        bind_staff_phone(staff[name], PHONES[name])
    import_definition_document(document=load_document("digital_manufacturing"))
    definition = FormDefinition.objects.get(key="digital_manufacturing")
    enterprise = django_user_model.objects.create_user(username="qiye_early", password=PASSWORD)
    early = resume_or_start_submission(definition=definition, owner=enterprise)
    # one answer set submitted on v1 (stored as the submit service leaves it), for the impact preview
    submitter = django_user_model.objects.create_user(username="qiye_done", password=PASSWORD)
    FormSubmission.objects.create(
        version=early.version,
        owner=submitter,
        state=FormSubmission.State.SUBMITTED,
        answers={"information_systems": "B", "planning": "A"},
        score={"total": 0},
        submitted_at=datetime.datetime(2026, 12, 1, 19, 6, tzinfo=datetime.UTC),  # 12-02 03:06 in Beijing
    )
    return {"definition": definition, "early": early, "staff": staff}


def admin_login(page, username: str) -> None:
    sign_in(page, username, PASSWORD, PHONES[username])


def test_add_scored_question_preview_approve_publish(setup, page, new_context, django_user_model):
    from forms_engine.models import FormSubmission, FormVersion
    from forms_engine.services import resume_or_start_submission

    # staff A: 表单管理 → 表单设计 → the questionnaire → 新建草稿
    admin_login(page, "zhengce_a")
    page.get_by_role("button", name="表单管理").click()
    page.get_by_role("link", name="表单设计").click()
    page.get_by_role("link", name=TITLE).click()
    page.get_by_role("row", name=re.compile(r"^v1")).get_by_role("button", name="新建草稿").click()
    expect(page.get_by_text("已基于 v1 新建草稿 v2")).to_be_visible()

    # add a single-choice question with two scored options to the section 数据采集
    page.get_by_role("link", name="在“数据采集（10分）”中新增字段").click()
    page.get_by_label("标识").fill("cloud_use")
    page.get_by_label("题型").select_option("single_choice")
    page.get_by_label("题目").fill("企业是否使用工业云平台")
    page.get_by_label("选项1 选项值").fill("A")
    page.get_by_label("选项1 选项文字").fill("A. 未使用")
    page.get_by_label("选项1 分值").fill("0")
    page.get_by_label("选项2 选项值").fill("B")
    page.get_by_label("选项2 选项文字").fill("B. 已使用工业云平台")
    page.get_by_label("选项2 分值").fill("4")
    page.get_by_label("计入得分（按所选选项的分值）").check()
    page.get_by_label("计入得分组").select_option("foundation")
    page.get_by_label("本题满分").fill("4")
    # option text has the room to be read in full (issue 9 item 18)
    option_text = page.get_by_label("选项2 选项文字")
    assert option_text.bounding_box()["width"] >= 300
    # … and the whole row fits: 删除 and 排序 are not hidden past the right edge
    options_table = page.locator(".designer-formset-scroll").filter(has=option_text)
    widths = options_table.evaluate(
        "e => [e.scrollWidth, e.clientWidth, ...[...e.querySelectorAll('tr:nth-child(2) td')].map(td => td.className + ':' + td.offsetWidth)]"
    )
    assert widths[0] <= widths[1], f"the option rows scroll sideways: {widths}"
    shots = settings.BASE_DIR / ".test-media" / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    option_text.scroll_into_view_if_needed()
    page.screenshot(path=str(shots / "designer-field-options.png"))
    page.get_by_role("button", name="保存", exact=True).click()
    expect(page.get_by_text("字段“企业是否使用工业云平台”已保存。")).to_be_visible()
    draft_url = page.url.split("#")[0]

    # 版本比较 from the draft: v1 against this draft, shown at once (issue 9 item 18)
    page.get_by_role("link", name="版本比较").click()
    expect(page.get_by_role("heading", name="v1 → v2")).to_be_visible()
    expect(page.get_by_label("旧版本").locator("option:checked")).to_have_text(re.compile(r"^v1"))
    expect(page.get_by_label("新版本").locator("option:checked")).to_have_text(re.compile(r"^v2"))
    expect(page.get_by_text("企业是否使用工业云平台").first).to_be_visible()
    # 试算得分: the submitted answers are dated in Beijing time
    page.goto(draft_url)
    page.get_by_role("link", name="试算得分").click()
    picker = page.get_by_label("取用已提交的答案")
    expect(picker.locator("option", has_text="2026-12-02 03:06 提交")).to_have_count(1)
    expect(picker.locator("option", has_text="2026-12-01")).to_have_count(0)
    page.goto(draft_url)

    # 预览: the wizard as an enterprise sees it, with the new question on the first step
    # 影响预览: the submitted answers of v1 re-scored with the draft (nothing stored changes)
    page.get_by_role("link", name="影响预览").click()
    expect(page.get_by_test_id("impact-summary")).to_contain_text("1 份已提交填报：0 份结果会改变")
    page.goto(draft_url)
    preview_href = page.get_by_role("link", name="预览", exact=True).get_attribute("href")
    page.goto(preview_href)
    wizard = page.locator("#wizard-form")
    expect(wizard.get_by_text("企业是否使用工业云平台")).to_be_visible()
    expect(wizard.get_by_text("B. 已使用工业云平台")).to_be_visible()

    # submit for approval
    page.goto(draft_url)
    page.get_by_label("提交说明").fill("新增工业云平台使用情况一题")
    page.get_by_role("button", name="提交审批").click()
    expect(page.get_by_text("已提交审批")).to_be_visible()
    expect(page.get_by_text("等待另一位政策人员审批")).to_be_visible()

    # staff B, in another browser session: approve with a comment, then publish
    other = new_context().new_page()
    admin_login(other, "zhengce_b")
    other.goto(draft_url)
    other.get_by_label("审批意见").fill("分值合理，同意")
    other.get_by_role("button", name="批准").click()
    expect(other.get_by_text("已批准。")).to_be_visible()
    other.get_by_role("button", name="发布").click()
    expect(other.get_by_text("已发布。")).to_be_visible()

    definition = setup["definition"]
    v2 = definition.versions.get(number=2)
    assert v2.status == FormVersion.Status.PUBLISHED
    assert v2.published_by.username == "zhengce_b"
    assert definition.versions.get(number=1).status == FormVersion.Status.RETIRED

    # the draft started earlier keeps v1; a submission started now gets v2 with the question
    early = FormSubmission.objects.get(pk=setup["early"].pk)
    assert early.version.number == 1 and "cloud_use" not in early.version.parsed.field_map()
    latecomer = django_user_model.objects.create_user(username="qiye_late", password=PASSWORD)
    late = resume_or_start_submission(definition=definition, owner=latecomer)
    assert late.version_id == v2.pk
    assert [o.score for o in late.version.parsed.field("cloud_use").options] == [0, 4]

    # the history lists who did what
    page.goto(f"/admin/form-designer/d/{definition.key}/history/")
    for text in ("提交了表单版本审批", "批准了表单版本", "分值合理，同意"):
        expect(page.get_by_text(text).first).to_be_visible()
