"""Designer views: permissions (negative test for every view), the structured editor, key
freezing, validation listing by place, approval and publishing through the admin."""

from __future__ import annotations

import pytest
from django.urls import reverse

from forms_engine import services
from forms_engine.designer import urls as designer_urls
from forms_engine.models import FormVersion
from tests.forms_engine import designer_fixtures as fx

pytestmark = pytest.mark.django_db

# shared fixtures (tests/forms_engine/conftest.py belongs to the engine)
digital, author, approver, draft = fx.digital, fx.author, fx.approver, fx.draft


def all_designer_urls(draft) -> list[tuple[str, str]]:
    """(method, url) of every designer view, so a new view cannot miss its permission test."""
    args = {
        "key": "digital_manufacturing",
        "version_id": draft.pk,
        "step": "foundation",
        "section": "data_gathering",
        "submission_id": 1,
    }
    specific = {
        "step_edit": "foundation",
        "section_edit": "data_gathering",
        "field_edit": "data_collection",
        "item_edit": "data_collection",
    }
    found = []
    for pattern in designer_urls.urlpatterns:
        names = pattern.pattern.converters.keys()
        kwargs = {
            n: specific.get(pattern.name, args[n]) if n == "key" and pattern.name in specific else args[n]
            for n in names
        }
        method = (
            "post"
            if pattern.name
            in {"new_draft", "structure_action", "submit", "approve", "reject", "publish", "retire"}
            else "get"
        )
        found.append((method, reverse(f"forms_designer:{pattern.name}", kwargs=kwargs)))
    return found


@pytest.fixture
def editor(django_user_model):
    return fx.make_staff(django_user_model, "bianji", group="编辑")


@pytest.fixture
def plain_staff(django_user_model):
    return fx.make_staff(django_user_model, "staff_only", group=None)


@pytest.mark.parametrize("who", ["anonymous", "editor", "plain_staff", "enterprise"])
def test_every_designer_view_is_refused_without_the_permission(client, draft, who, request, enterprise_user):
    user = {"anonymous": None, "editor": "editor", "plain_staff": "plain_staff", "enterprise": None}[who]
    if user:
        client.force_login(request.getfixturevalue(user))
    elif who == "enterprise":
        client.force_login(enterprise_user)
    urls = all_designer_urls(draft)
    assert len(urls) == len(designer_urls.urlpatterns) >= 28
    for method, url in urls:
        response = getattr(client, method)(url)
        assert response.status_code in (302, 403), (who, url, response.status_code)
        if response.status_code == 302:
            assert "/login/" in response["Location"] or response["Location"].startswith("/admin/"), url
    draft.refresh_from_db()
    assert draft.status == FormVersion.Status.DRAFT


def test_designer_only_user_cannot_approve_or_publish(client, django_user_model, draft, author):
    from django.contrib.auth.models import Permission

    designer = fx.make_staff(django_user_model, "designer_only", group=None)
    designer.user_permissions.add(
        Permission.objects.get(codename="access_admin"), Permission.objects.get(codename="change_formversion")
    )
    services.submit_version_for_approval(version=draft, user=author)
    client.force_login(designer)
    assert client.get(reverse("forms_designer:version", args=[draft.pk])).status_code == 200
    # Wagtail turns PermissionDenied into a redirect to the dashboard with a message
    assert client.post(reverse("forms_designer:approve", args=[draft.pk]))["Location"] == "/admin/"
    assert client.post(reverse("forms_designer:publish", args=[draft.pk]))["Location"] == "/admin/"
    assert draft.reviews.get().decision == "pending"


def test_provisional_questionnaires_are_flagged_in_the_list(client, author):
    from tests.forms_engine.conftest import load_document

    services.import_definition_document(document=load_document("digital_services"))
    client.force_login(author)
    page = client.get(reverse("forms_designer:index")).content.decode()
    row = page[page.index("中小企业数字化水平评测（生产性服务业）") :]
    assert "暂行" in row[: row.index("</tr>")]


def test_designer_does_not_shadow_wagtail_form_submissions():
    assert reverse("forms_designer:index") == "/admin/form-designer/"
    assert reverse("wagtailforms:index") == "/admin/forms/"


def test_policy_staff_see_every_definition_with_versions_and_counts(client, digital, draft, author):
    client.force_login(author)
    page = client.get(reverse("forms_designer:index")).content.decode()
    assert "中小企业数字化水平评测（制造业）" in page
    assert f"v{draft.number}" in page
    assert reverse("forms_designer:index") in client.get("/admin/").content.decode()  # the sidebar menu


def test_new_draft_from_an_older_version(client, digital, draft, author):
    client.force_login(author)
    response = client.post(reverse("forms_designer:new_draft", args=[digital.versions.get(number=1).pk]))
    newest = digital.versions.order_by("-number").first()
    assert newest.number == draft.number + 1 and newest.status == FormVersion.Status.DRAFT
    assert response["Location"] == reverse("forms_designer:version", args=[newest.pk])


def field_post(**overrides) -> dict:
    data = {
        "key": "cloud_use",
        "type": "single_choice",
        "label": "企业是否使用云服务",
        "required": "on",
        "options-TOTAL_FORMS": "3",
        "options-INITIAL_FORMS": "0",
        "options-MIN_NUM_FORMS": "0",
        "options-MAX_NUM_FORMS": "1000",
        "options-0-value": "A",
        "options-0-label": "A. 未使用",
        "options-0-score": "0",
        "options-0-ORDER": "1",
        "options-1-value": "B",
        "options-1-label": "B. 已使用",
        "options-1-score": "3",
        "options-1-ORDER": "2",
        "scored": "on",
        "score_group": "foundation",
        "score_max": "3",
    }
    data.update(overrides)
    return data


def test_add_a_scored_single_choice_question(client, draft, author):
    client.force_login(author)
    response = client.post(
        reverse("forms_designer:field_add", args=[draft.pk, "data_gathering"]), field_post()
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    draft.refresh_from_db()
    field = draft.parsed.field("cloud_use")
    assert [o.score for o in field.options] == [0, 3]
    item = next(i for i in draft.parsed.scoring.items if i.key == "cloud_use")
    assert (item.method, item.field, item.group, item.max) == ("option", "cloud_use", "foundation", 3)


def test_invalid_field_is_not_saved_and_issues_link_to_the_place(client, draft, author):
    client.force_login(author)
    response = client.post(
        reverse("forms_designer:field_add", args=[draft.pk, "data_gathering"]),
        field_post(visible_if="no_such_field == 1"),
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "expression_unknown_name" in page
    assert reverse("forms_designer:field_edit", args=[draft.pk, "cloud_use"]) in page
    assert 'value="企业是否使用云服务"' in page  # what was typed is kept
    draft.refresh_from_db()
    assert "cloud_use" not in draft.parsed.field_map()


def test_frozen_key_is_read_only_and_explained(client, draft, author):
    client.force_login(author)
    url = reverse("forms_designer:field_edit", args=[draft.pk, "planning"])
    page = client.get(url).content.decode()
    assert "该字段已在已发布版本中使用，标识不能修改，否则已保存的答案将无法对应" in page
    form = client.get(url).context["form"]
    data = {name: ("" if value is None else value) for name, value in form.initial.items()}
    data.update(
        {
            "key": "renamed",
            "score_max": "7.5",
            "scored": "on",
            "score_group": "management",
            **{
                k: v
                for k, v in field_post().items()
                if k.startswith("options-") and "TOTAL" in k or "INITIAL" in k
            },
        }
    )
    data.update(
        {
            "options-TOTAL_FORMS": "0",
            "options-INITIAL_FORMS": "0",
            "options-MIN_NUM_FORMS": "0",
            "options-MAX_NUM_FORMS": "1000",
            "type": "single_choice",
            "label": "改题目",
        }
    )
    client.post(url, data)
    draft.refresh_from_db()
    assert "planning" in draft.parsed.field_map() and "renamed" not in draft.parsed.field_map()


def test_new_field_key_is_editable(client, draft, author):
    client.force_login(author)
    client.post(reverse("forms_designer:field_add", args=[draft.pk, "data_gathering"]), field_post())
    form = client.get(reverse("forms_designer:field_edit", args=[draft.pk, "cloud_use"])).context["form"]
    assert not form.fields["key"].disabled


def test_move_and_delete_a_field(client, draft, author):
    client.force_login(author)
    url = reverse("forms_designer:structure_action", args=[draft.pk])
    first, second = [f["key"] for f in draft.schema["steps"][0]["sections"][0]["fields"][:2]]
    client.post(url, {"kind": "field", "key": second, "action": "up"})
    draft.refresh_from_db()
    assert [f["key"] for f in draft.schema["steps"][0]["sections"][0]["fields"][:2]] == [second, first]
    # deleting a field a score item uses is refused with the score item's place
    response = client.post(url, {"kind": "field", "key": "data_collection", "action": "delete"})
    assert (
        reverse("forms_designer:item_edit", args=[draft.pk, "data_collection"]) in response.content.decode()
    )


def test_validation_page_lists_issues_by_place(client, draft, author):
    schema = dict(draft.schema)
    schema["scoring"] = {
        **schema["scoring"],
        "items": [
            *schema["scoring"]["items"],
            {
                "key": "broken",
                "label": "坏",
                "method": "formula",
                "max": 1,
                "expression": "missing_field + 1",
            },
        ],
    }
    FormVersion.objects.filter(pk=draft.pk).update(schema=schema)
    client.force_login(author)
    page = client.get(reverse("forms_designer:validate", args=[draft.pk])).content.decode()
    assert "expression_unknown_name" in page
    assert reverse("forms_designer:item_edit", args=[draft.pk, "broken"]) in page
    response = client.post(reverse("forms_designer:submit", args=[draft.pk]))
    assert "有问题的版本不能提交审批或发布" in response.content.decode()
    assert not draft.reviews.exists()


def test_score_band_editor_saves_bands(client, draft, author):
    client.force_login(author)
    data = {
        "key": "invest_band",
        "label": "数字化投入",
        "method": "bands",
        "max": "5",
        "group": "management",
        "value": "digital_investment_per_year",
        "bands-TOTAL_FORMS": "2",
        "bands-INITIAL_FORMS": "0",
        "bands-MIN_NUM_FORMS": "0",
        "bands-MAX_NUM_FORMS": "1000",
        "bands-0-min": "0",
        "bands-0-min_inclusive": "on",
        "bands-0-max": "100",
        "bands-0-points": "2",
        "bands-0-ORDER": "1",
        "bands-1-min": "100",
        "bands-1-min_inclusive": "on",
        "bands-1-points": "5",
        "bands-1-ORDER": "2",
    }
    response = client.post(reverse("forms_designer:item_add", args=[draft.pk]), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    draft.refresh_from_db()
    item = next(i for i in draft.parsed.scoring.items if i.key == "invest_band")
    assert [b.points for b in item.bands] == [2, 5]


def test_diff_page_shows_option_score_change(client, digital, draft, author):
    client.force_login(author)
    client.post(reverse("forms_designer:field_add", args=[draft.pk, "data_gathering"]), field_post())
    v1 = digital.versions.get(number=1)
    page = client.get(
        reverse("forms_designer:diff", args=["digital_manufacturing"]), {"a": v1.pk, "b": draft.pk}
    ).content.decode()
    assert "字段 cloud_use（企业是否使用云服务）" in page and "计分项 cloud_use" in page


def test_impact_page_counts_changed_outcomes_without_storing(client, digital, draft, author, enterprise_user):
    v1 = digital.versions.get(number=1)
    submission = services.start_submission(version=v1, owner=enterprise_user)
    answers = {"planning": "A"}
    submission.answers = answers
    submission.state, submission.score = "submitted", {"stored": True}
    submission.save()
    client.force_login(author)
    page = client.get(reverse("forms_designer:impact", args=[draft.pk])).content.decode()
    assert "1 份已提交填报：0 份结果会改变" in page
    submission.refresh_from_db()
    assert submission.score == {"stored": True}


def test_approval_through_the_admin(client, draft, author, approver):
    client.force_login(author)
    client.post(reverse("forms_designer:submit", args=[draft.pk]), {"comment": "请审批"})
    response = client.post(
        reverse("forms_designer:approve", args=[draft.pk]), {"comment": "自批"}, follow=True
    )
    assert "不能审批自己提交的版本" in response.content.decode()
    response = client.post(reverse("forms_designer:publish", args=[draft.pk]), follow=True)
    assert "尚未通过审批" in response.content.decode()
    client.force_login(approver)
    client.post(reverse("forms_designer:approve", args=[draft.pk]), {"comment": "同意"})
    client.post(reverse("forms_designer:publish", args=[draft.pk]), {"effective_date": "2026-07-01"})
    draft.refresh_from_db()
    assert draft.status == FormVersion.Status.PUBLISHED and str(draft.effective_date) == "2026-07-01"
    history = client.get(reverse("forms_designer:history", args=["digital_manufacturing"])).content.decode()
    for action in ("提交了表单版本审批", "批准了表单版本", "同意"):
        assert action in history


def test_test_score_from_the_questions(client, draft, author):
    client.force_login(author)
    response = client.post(
        reverse("forms_designer:test_score", args=[draft.pk]),
        {"q-foundation-information_systems": "B", "answers": ""},
    )
    lines = response.context["result"].explanation()
    assert any(line.startswith("信息系统") and "（未填）" not in line for line in lines), lines


def test_test_score_from_a_stored_submission(client, digital, draft, author, enterprise_user):
    submission = services.start_submission(version=digital.versions.get(number=1), owner=enterprise_user)
    submission.answers, submission.state = {"information_systems": "B"}, "submitted"
    submission.save()
    client.force_login(author)
    response = client.post(
        reverse("forms_designer:test_score", args=[draft.pk]),
        {"submission": str(submission.pk), "load": "1", "answers": ""},
    )
    assert response.context["result"].total > 0
    assert response.context["steps"][0]["information_systems"].value() == "B"  # shown in the question


def test_test_score_shows_the_explanation(client, draft, author):
    client.force_login(author)
    response = client.post(
        reverse("forms_designer:test_score", args=[draft.pk]),
        {"answers": '{"planning": "A", "information_systems": "B"}'},
    )
    assert response.status_code == 200
    assert response.context["result"].explanation()
    assert "总分" in response.content.decode()


def test_impact_numbers_on_seeded_submissions(client, innovation_definition, author, django_user_model):
    from tests.forms_engine.conftest import INNOVATION_ANSWERS

    v1 = innovation_definition.versions.get(number=1)
    seeded = [dict(INNOVATION_ANSWERS), dict(INNOVATION_ANSWERS), {**INNOVATION_ANSWERS, "is_sme": False}]
    for i, answers in enumerate(seeded):
        owner = django_user_model.objects.create_user(username=f"seed{i}", password="x")
        services.submit_submission(
            submission=services.start_submission(version=v1, owner=owner), answers=answers
        )
    stored = {s.pk: s.score for s in v1.submissions.all()}
    draft = services.create_draft_from_version(source=v1, created_by=author)
    schema = dict(draft.schema)
    schema["scoring"] = {**schema["scoring"], "outcome": {**schema["scoring"]["outcome"], "min_total": 90}}
    services.save_draft_schema(version=draft, schema=schema, user=author)
    client.force_login(author)
    response = client.get(reverse("forms_designer:impact", args=[draft.pk]))
    result = response.context["result"]
    outcome = schema["scoring"]["outcome"]
    assert (result.count, result.changed_count) == (3, 2)
    assert result.transitions == [(outcome["qualified_label"], outcome["not_qualified_label"], 2)]
    assert "3 份已提交填报：2 份结果会改变" in response.content.decode()
    row = result.changed[0]
    drill = client.get(reverse("forms_designer:impact_row", args=[draft.pk, row.ref])).content.decode()
    assert "总分 85 分" in drill
    assert {s.pk: s.score for s in v1.submissions.all()} == stored  # nothing stored changed


def test_the_test_score_picker_dates_submissions_in_beijing_time(client, digital, author, enterprise_user):
    """Issue 9 item 18: a submission made at 03:06 Beijing time on 2 December is not listed as
    1 December (UTC)."""
    import datetime

    v1 = digital.versions.get(number=1)
    submission = services.start_submission(version=v1, owner=enterprise_user)
    submission.state = "submitted"
    submission.submitted_at = datetime.datetime(2026, 12, 1, 19, 6, tzinfo=datetime.UTC)
    submission.save()
    client.force_login(author)
    page = client.get(reverse("forms_designer:test_score", args=[v1.pk])).content.decode()
    assert f"#{submission.pk} · v1 · 2026-12-02 03:06 提交" in page


def test_version_comparison_opens_on_the_previous_version_against_this_one(client, digital, draft, author):
    """Issue 9 item 18: never a version against itself, and shown without a further click."""
    client.force_login(author)
    client.post(reverse("forms_designer:field_add", args=[draft.pk, "data_gathering"]), field_post())
    v1 = digital.versions.get(number=1)
    version_page = client.get(reverse("forms_designer:version", args=[draft.pk])).content.decode()
    link = reverse("forms_designer:diff", args=["digital_manufacturing"]) + f"?a={v1.pk}&amp;b={draft.pk}"
    assert link in version_page
    page = client.get(reverse("forms_designer:diff", args=["digital_manufacturing"])).content.decode()
    assert "v1 → v2" in page and "字段 cloud_use（企业是否使用云服务）" in page
    assert f'<option value="{v1.pk}" selected>' in page and f'<option value="{draft.pk}" selected>' in page
