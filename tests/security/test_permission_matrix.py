"""The permission matrix (issue 8): every URL pattern of the project × every role.

In the style of Wagtail's ``test_page_permissions.py``: ``MATRIX`` has one row per URL name with
the roles that get the page (a 2xx answer); every other role must not. The URLconf is walked
(``get_resolver()``), so a URL added anywhere without a row fails ``test_every_url_has_a_row``.
Object URLs are built from enterprise B's objects (``world.py``): enterprise A is "another
owner", the reviewer and the 省级管理员 are staff of another region (广东; B is in 江苏). Nothing B owns may appear
in any page served to anyone but B and the superuser (``test_no_page_leaks_another_enterprises_data``).

Adding a URL: add its row (who may open it; ``kwargs`` for its arguments). Wagtail's own views
whose objects the world does not create get an id that does not exist (``MISSING``): staff get
a 404 like everybody, which still proves no one else gets in and nothing crashes.
Run with ``PERMISSION_MATRIX_SHOW=1`` to print what every role got, row by row.
"""

from __future__ import annotations

import os

import pytest

from tests.security.matrix import (
    ALL,
    NOBODY,
    Row,
    build_url,
    patterns,
    redirected_to,
    request_as,
    roles,
    served,
)
from tests.security.world import B_CONTACT_PHONE, B_LEGAL_REP_ID, B_NAME, B_PHONE, B_REVIEWERS, ROLES

pytestmark = pytest.mark.django_db

MISSING = 999_999

SIGNED_IN = ALL - {"anonymous"}
ACCOUNTS = roles("unverified", "natural", "enterprise_a", "enterprise_b")  # the site's own users
# the 审核人员 with a review scope (issue 12): B's county, another county of B's city, B's city,
# province and the ministry
SCOPED_REVIEWERS = roles(
    "reviewer_county", "reviewer_other_county", "reviewer_city", "reviewer_province", "reviewer_ministry"
)
STAFF = roles("editor", "policy", "reviewer", "provincial", "superuser") | SCOPED_REVIEWERS  # access_admin
SUPER = roles("superuser")
EDITORIAL = roles("editor", "superuser")
POLICY = roles("policy", "superuser")
REVIEW = roles("reviewer", "superuser")  # queues: but the reviewer is of another region
B_ONLY = roles("enterprise_b", "superuser")
PROVINCIAL = roles("provincial", "superuser")  # 申报时间 and 申报条件 of their own province

DEFAULT_KWARGS = {
    "page_id": lambda w: w.page.pk,
    "parent_page_id": lambda w: w.page.pk,
    "page_to_move_id": lambda w: w.page.pk,
    "destination_id": lambda w: w.page.pk,
    "page_pk": lambda w: w.page.pk,
    "image_id": lambda w: w.image.pk,
    "document_id": lambda w: w.document.pk,
    "doc_id": lambda w: w.document.pk,
    "redirect_id": lambda w: w.redirect.pk,
    "collection_id": lambda w: w.collection.pk,
    "task_id": lambda w: w.task.pk,
    "workflow_pk": lambda w: w.workflow.pk,
    "key": lambda w: w.definition.key,
    "version_id": lambda w: w.version.pk,
    "submission_id": lambda w: w.b_submission.pk,
    "uuid": lambda w: w.b_submission.uuid,
    "step": lambda w: 0,
    "section": lambda w: 0,
    "filter_spec": lambda w: "original",
    "action_name": lambda w: "publish",
    "action": lambda w: "delete",
    "app_label": lambda w: "cms",
    "model_name": lambda w: "noticepage",
    "content_type_app_name": lambda w: "cms",
    "content_type_model_name": lambda w: "noticepage",
    **{
        name: (lambda w: MISSING)
        for name in (
            "revision_id",
            "revision_id_a",
            "revision_id_b",
            "task_state_id",
            "workflow_state_id",
            "session_id",
            "uploaded_file_id",
            "restriction_id",
            "page_view_restriction_id",
            "object_id",
        )
    },
}


def pk(attribute: str):
    return lambda w: {"pk": getattr(w, attribute).pk}


def instance(attribute: str):
    return lambda w: {"instance_pk": getattr(w, attribute).pk}


def user_pk(role: str):
    return lambda w: {"pk": w.users[role].pk}


ADMIN_HOME = "/admin/"
WIZARD = "/forms/s/"
# Wagtail's generic "you may not" for staff is a redirect to the dashboard; a decision that was
# taken redirects back to the request's inspect page.
DECIDED = lambda response: response.status_code == 302 and "/inspect/" in response["Location"]  # noqa: E731


def acted(response) -> bool:
    """A POSTed action that worked: a redirect with a success message and no error message."""
    from django.contrib.messages import constants, get_messages

    if response.status_code != 302:
        return False
    levels = [message.level for message in get_messages(response.wsgi_request)]
    return constants.SUCCESS in levels and constants.ERROR not in levels


def readonly_register(
    prefix: str, instance_of: str, viewers: frozenset[str], *, history=None
) -> dict[str, Row]:
    """The rows of a read-only wagtail-modeladmin register (list, inspect, history; no writes)."""
    return {
        f"{prefix}_modeladmin_index": Row(viewers),
        f"{prefix}_modeladmin_create": Row(NOBODY),
        f"{prefix}_modeladmin_edit": Row(NOBODY, kwargs=instance(instance_of)),
        f"{prefix}_modeladmin_delete": Row(NOBODY, kwargs=instance(instance_of)),
        f"{prefix}_modeladmin_inspect": Row(
            viewers if history is None else history, kwargs=instance(instance_of)
        ),
        f"{prefix}_modeladmin_history": Row(
            viewers if history is None else history, kwargs=instance(instance_of)
        ),
    }


MATRIX: dict[str, Row] = {
    # --- the public site ----------------------------------------------------------------
    "wagtail_serve": Row(ALL, path="/"),
    "healthz": Row(ALL),
    "reference:region-children": Row(ALL),
    "captcha-image": Row(ALL, kwargs=lambda w: {"key": w.captcha_key}),
    "captcha-image-2x": Row(ALL, kwargs=lambda w: {"key": w.captcha_key}),
    "captcha-audio": Row(NOBODY, kwargs=lambda w: {"key": w.captcha_key}, note="no audio captcha configured"),
    "captcha-refresh": Row(NOBODY, note="answers XMLHttpRequests only"),
    # the enterprise centre (issue 9.6): signed-in users; without an enterprise the page says what to do
    "enterprises:home": Row(SIGNED_IN),
    "wagtailcore_authenticate_with_password": Row(NOBODY, note="no such page restriction"),
    "wagtaildocs_authenticate_with_password": Row(NOBODY, note="no such document restriction"),
    "wagtaildocs_serve": Row(ALL, path=lambda w: w.document.url, note="public documents: notice attachments"),
    # --- ways into a session: only the site's and the admin's login, with the SMS code ----
    "accounts:login": Row(roles("anonymous"), note="signed-in users are sent on"),
    "staff_login": Row(
        roles("anonymous", "unverified", "natural", "enterprise_a", "enterprise_b"),
        note="staff are sent on to the dashboard",
    ),
    "wagtailadmin_login": Row(
        roles("anonymous", "unverified", "natural", "enterprise_a", "enterprise_b"),
        note="shadowed by staff_login",
    ),
    "frontend_login": Row(NOBODY, note="/_util/login/ redirects to /accounts/login/"),
    "wagtailcore_login": Row(NOBODY, note="shadowed by frontend_login"),
    "accounts:logout": Row(NOBODY, note="POST only"),
    "wagtailadmin_logout": Row(NOBODY, note="POST only"),
    "wagtailadmin_password_reset": Row(NOBODY, note="WAGTAIL_PASSWORD_RESET_ENABLED = False"),
    "wagtailadmin_password_reset_done": Row(NOBODY),
    "wagtailadmin_password_reset_confirm": Row(NOBODY, kwargs={"uidb64": "MQ", "token": "x-y"}),
    "wagtailadmin_password_reset_complete": Row(NOBODY),
    # --- accounts ------------------------------------------------------------------------
    "accounts:register": Row(ALL),
    "accounts:register_done": Row(SIGNED_IN),
    "accounts:settings": Row(SIGNED_IN),
    "accounts:realname": Row(SIGNED_IN),
    "accounts:realname_manual": Row(SIGNED_IN),
    "accounts:phone_change": Row(ALL),
    "accounts:phone_change_confirm": Row(
        ALL,
        kwargs=lambda w: {
            "token": __import__("portal.accounts.services", fromlist=["x"]).make_phone_change_token(
                w.b_email_change
            )
        },
        note="the e-mailed link is the credential; GET only asks for a click",
    ),
    "accounts:recover": Row(ALL),
    "accounts:recover_reset": Row(NOBODY, note="only after step one, in the same session"),
    "accounts:recover_email_confirm": Row(
        ALL, kwargs=lambda w: {"uidb64": "MQ", "token": "bad-token"}, note="a wrong token: 链接无效, no form"
    ),
    "accounts:private_file": Row(
        B_ONLY,
        kwargs=lambda w: {"kind": "realname", "pk": w.b_verification.pk, "field": "licence"},
        note="B's licence: the owner and staff of B's province (the reviewer is of 广东)",
    ),
    # --- the enterprise centre: no ids in URLs, every page is the user's own -------------
    "enterprises:profile": Row(SIGNED_IN, note="without an enterprise: the page says what to do"),
    "enterprises:edit": Row(SIGNED_IN),
    "enterprises:history": Row(SIGNED_IN),
    # --- 其他材料 (the evidence zip, portal.filings): B's archive, its owner only -----------
    "filings:evidence:list": Row(roles("enterprise_a", "enterprise_b"), note="FAQ 2: verified 法人 only"),
    "filings:evidence:tus-create": Row(NOBODY, note="tus: POST only"),
    "filings:evidence:tus-upload": Row(
        NOBODY, kwargs=lambda w: {"public_id": w.b_archive.public_id}, note="tus: HEAD/PATCH only"
    ),
    "filings:evidence:status": Row(
        roles("enterprise_b"), kwargs=lambda w: {"public_id": w.b_archive.public_id}
    ),
    "filings:evidence:delete": Row(
        NOBODY, kwargs=lambda w: {"public_id": w.b_archive.public_id}, note="POST only"
    ),
    "filings:evidence:download": Row(
        roles("enterprise_b"), kwargs=lambda w: {"public_id": w.b_archive.public_id}
    ),
    # --- 企业申报 (portal.filings): B's filings, its owner only ----------------------------------
    "filings:index": Row(SIGNED_IN, note="without an enterprise: the page says what to do (FAQ 2)"),
    "filings:apply": Row(
        roles("enterprise_a", "enterprise_b"),
        kwargs={"level": "innovative"},
        served=redirected_to("/enterprise/filings/"),
        note="A starts a filing in 广东's open window; B is shown its submitted one",
    ),
    "enterprise/filings/innovation/": Row(ALL, served=redirected_to("/enterprise/filings/apply/innovative/")),
    "enterprise/filings/specialized/": Row(
        ALL, served=redirected_to("/enterprise/filings/apply/specialized/")
    ),
    "enterprise/filings/little-giant/": Row(
        ALL, served=redirected_to("/enterprise/filings/apply/little_giant/")
    ),
    "filings:detail": Row(roles("enterprise_b"), kwargs=pk("b_filing")),
    "filings:pdf": Row(
        roles("enterprise_b"), kwargs=pk("b_filing"), note="rendered by WeasyPrint on first use"
    ),
    "filings:fill": Row(roles("enterprise_b"), kwargs=pk("b_filing_draft")),
    "filings:submit": Row(roles("enterprise_b"), kwargs=pk("b_filing_draft")),
    "filings:withdraw": Row(
        roles("enterprise_b"),
        kwargs=pk("b_filing_draft"),
        method="post",
        served=redirected_to("/enterprise/filings/"),
        note="POST only; B's draft is withdrawn (rolled back)",
    ),
    # --- 数字化水平评测 (portal.assessments): B's attempts, its owner only --------------------
    "assessments:index": Row(SIGNED_IN, note="without an enterprise: the page says what to do (FAQ 2)"),
    "assessments:start": Row(
        roles("enterprise_a", "enterprise_b"),
        served=redirected_to("/assessment/"),
        note="FAQ 2 and a complete profile (the start guard); on to the wizard",
    ),
    "assessments:detail": Row(roles("enterprise_b"), kwargs=pk("b_assessment")),
    "assessments:fill": Row(roles("enterprise_b"), kwargs=pk("b_assessment_draft")),
    # --- 我的消息 (portal.inbox): B's message, its owner only --------------------------------
    "inbox:index": Row(SIGNED_IN, note="without an enterprise: the page says what to do"),
    "inbox:detail": Row(
        roles("enterprise_b"),
        kwargs=pk("b_message"),
        note="404 for everyone else, an account without one too",
    ),
    "inbox:mark_all_read": Row(
        roles("enterprise_a", "enterprise_b"),
        method="post",
        served=redirected_to("/enterprise/messages/"),
        note="each enterprise its own messages (each request rolled back)",
    ),
    # --- the form engine ------------------------------------------------------------------
    "forms_engine:fill": Row(
        roles("enterprise_a", "enterprise_b"),
        kwargs=lambda w: {"key": w.self_service.key},
        served=redirected_to(WIZARD),
        note="a self-service form: FAQ 2, verified 法人 only (the shipped forms are filed through filings)",
    ),
    # B's draft is a filing's (专精特新): the engine's own pages open self-service forms only, so even
    # its owner fills it through the filing's pages (filings:fill), never past the confirmation
    "forms_engine:wizard": Row(NOBODY, note="a filing's draft: only through filings:fill"),
    "forms_engine:result": Row(NOBODY, note="a filing's draft: only through filings:detail"),
    "forms_engine:score_preview": Row(
        roles("enterprise_b"), method="post", note="the live score of B's draft: its owner only"
    ),
    "forms_engine:file": Row(
        B_ONLY,
        kwargs=lambda w: {"uuid": w.b_submission.uuid, "field": "licence"},
        note="B's file answer: the owner and staff of B's province (the reviewer is of 广东)",
    ),
    "forms_engine:migrate": Row(NOBODY, note="a filing's draft is not migrated through the engine's page"),
    "forms_engine:preview": Row(POLICY),
    "forms_engine:preview_score": Row(NOBODY, note="POST only"),
    # --- recognition (issue 12 items 7, 9): the query, B's certificate, 公示与认定, 认定企业 ----
    "recognition:query": Row(ALL, note="企业认定查询: anyone (captcha and throttle on the POST)"),
    "recognition:certificate": Row(
        roles("enterprise_b"),
        kwargs=pk("b_recognition"),
        note="the owner only; staff use recognitions:certificate",
    ),
    # deciding-level reviewers: 江苏 decides B's 创新型 (江苏's chain), the ministry its own 小巨人 lists
    "publicity:index": Row(roles("reviewer_province", "reviewer_ministry", "superuser")),
    "publicity:index_results": Row(roles("reviewer_province", "reviewer_ministry", "superuser")),
    "publicity:ready": Row(roles("reviewer_province", "reviewer_ministry", "superuser")),
    "publicity:ready_results": Row(roles("reviewer_province", "reviewer_ministry", "superuser")),
    "publicity:inspect": Row(roles("reviewer_province", "superuser"), kwargs=pk("b_publicity")),
    "publicity:create": Row(NOBODY, note="POST only"),
    "publicity:recognise": Row(NOBODY, kwargs=pk("b_publicity"), note="POST only"),
    # 认定企业: every reviewer, the recognitions of their region (昆山's list lacks B's)
    "recognitions:index": Row(SCOPED_REVIEWERS | SUPER),
    "recognitions:index_results": Row(SCOPED_REVIEWERS | SUPER),
    "recognitions:inspect": Row(roles(*B_REVIEWERS, "superuser"), kwargs=pk("b_recognition")),
    "recognitions:certificate": Row(roles(*B_REVIEWERS, "superuser"), kwargs=pk("b_recognition")),
    "recognition_provincerecognitionsetting_modeladmin_index": Row(PROVINCIAL),
    "recognition_provincerecognitionsetting_modeladmin_create": Row(PROVINCIAL),
    "recognition_provincerecognitionsetting_modeladmin_edit": Row(
        SUPER, kwargs=instance("b_province_setting")
    ),
    "recognition_provincerecognitionsetting_modeladmin_delete": Row(
        SUPER, kwargs=instance("b_province_setting")
    ),
    "recognition_provincerecognitionsetting_modeladmin_history": Row(
        SUPER, kwargs=instance("b_province_setting")
    ),
    # --- lifecycle (issue 13 items 2-5): 认证到期管理, 复核, 取消认定, 信息更新 ----------------------
    "renewals:index": Row(
        SIGNED_IN, note="认证到期管理: without a recognition the page says there is no 复核"
    ),
    "renewals:start": Row(
        roles("enterprise_b"),
        kwargs=pk("b_recognition"),
        method="post",
        served=redirected_to("/enterprise/renewals/"),
        note="POST only (【去复核】); B's recognition is expired, so B is told why on its page",
    ),
    "recognitions:cancel": Row(
        roles("reviewer_province", "superuser"),
        kwargs=pk("b_recognition"),
        note="the deciding level of B's region (江苏's province level)",
    ),
    "annual_updates:index": Row(
        SCOPED_REVIEWERS | SUPER, note="信息更新: reviewers see their region's enterprises only"
    ),
    "annual_updates:index_results": Row(SCOPED_REVIEWERS | SUPER),
    "annual_updates:inspect": Row(
        roles("reviewer_county", "reviewer_city", "reviewer_province", "reviewer_ministry", "superuser"),
        kwargs=pk("b_annual_update"),
        note="B's record: reviewers whose scope holds 张家港 (not 昆山's)",
    ),
    "annual_updates:review": Row(NOBODY, kwargs=pk("b_annual_update"), note="POST only"),
    "lifecycle_renewalrule_modeladmin_index": Row(
        PROVINCIAL, note="复核设置: the 省级管理员 keeps 广东's (B's is 江苏's)"
    ),
    "lifecycle_renewalrule_modeladmin_create": Row(PROVINCIAL),
    "lifecycle_renewalrule_modeladmin_edit": Row(SUPER, kwargs=instance("b_renewal_rule")),
    "lifecycle_renewalrule_modeladmin_delete": Row(SUPER, kwargs=instance("b_renewal_rule")),
    "lifecycle_renewalrule_modeladmin_inspect": Row(SUPER, kwargs=instance("b_renewal_rule")),
    "lifecycle_renewalrule_modeladmin_history": Row(SUPER, kwargs=instance("b_renewal_rule")),
    # --- exports and 统计概览 (issue 12 item 11, portal.reports) -----------------------------
    # Exports are ?export=xlsx|csv on the lists' own URLs (their rows above); tests/reports covers
    # masking, scopes and the audit entry of each.
    "reports_dashboard": Row(
        SCOPED_REVIEWERS | SUPER,
        note="reviewers of filings (a scope and filings.review_filing), each over their own scope; "
        "tests/reports covers the counts of each level",
    ),
    # --- 申报审核 (portal.review, issue 12 items 1-6): B's 创新型 filing waits at 苏州 (江苏's chain
    # 市 → 省). 张家港's county reviewer sees it (it passed their level), 苏州 acts on it; 江苏 and the
    # ministry see it once it reaches them; 昆山 (another county) never. Actions succeed (a success
    # message) for the processing level and superusers only; everyone else is refused or gets 404.
    "review:index": Row(SCOPED_REVIEWERS | SUPER, note="a review scope; the queue shows only that scope"),
    "review:index_results": Row(SCOPED_REVIEWERS | SUPER),
    "review:inspect": Row(roles("reviewer_county", "reviewer_city", "superuser"), kwargs=pk("b_filing")),
    "review:evidence": Row(
        roles("reviewer_county", "reviewer_city", "superuser"),
        kwargs=pk("b_filing"),
        note="B's zip: reviewers who see the filing (each download in the audit log)",
    ),
    "review:pass": Row(
        roles("reviewer_city", "superuser"),
        kwargs=pk("b_filing"),
        method="post",
        data={"comment": "同意"},
        served=acted,
        note="the current processing level only (the county reviewer sees it, may not act)",
    ),
    "review:return": Row(
        roles("reviewer_city", "superuser"),
        kwargs=pk("b_filing"),
        method="post",
        data={"comment": "请补充", "flag_field_1": "main_product", "flag_comment_1": "请写明产品型号"},
        served=acted,
    ),
    "review:reject": Row(
        roles("reviewer_city", "superuser"),
        kwargs=pk("b_filing"),
        method="post",
        data={"comment": "不符合条件"},
        served=acted,
    ),
    "review:adjust": Row(
        roles("reviewer_city", "superuser"),
        kwargs=pk("b_filing"),
        method="post",
        data=lambda w: {"item": w.b_score_item, "points": "0", "reason": "佐证不足"},
        served=acted,
    ),
    "review:batch_pass": Row(
        roles("reviewer_city", "superuser"),
        method="post",
        data=lambda w: {"id": [w.b_filing.pk]},
        served=acted,
        note="B's filing ticked: passed only by its processing level",
    ),
    # 审核人员范围: the 省级管理员 of 广东 manages 广东's scopes (the one tried is 张家港's, in 江苏)
    "review_reviewerscope_modeladmin_index": Row(PROVINCIAL),
    "review_reviewerscope_modeladmin_create": Row(PROVINCIAL),
    "review_reviewerscope_modeladmin_edit": Row(SUPER, kwargs=instance("reviewer_county_scope")),
    "review_reviewerscope_modeladmin_delete": Row(SUPER, kwargs=instance("reviewer_county_scope")),
    "review_reviewerscope_modeladmin_history": Row(SUPER, kwargs=instance("reviewer_county_scope")),
    # --- 企业重大变更 (portal.changes, issue 13 item 1): B's changes, its owner; decided by 江苏's
    # province-level reviewers ------------------------------------------------------------------
    "changes:index": Row(SIGNED_IN, note="without an enterprise: the page says what to do"),
    "changes:start": Row(
        NOBODY,
        kwargs={"change_type": "rename"},
        method="post",
        served=lambda response: response.status_code == 302 and "/fill/" in response["Location"],
        note="POST; recognised enterprises only (A never was, B's recognition expired): refused",
    ),
    "changes:detail": Row(roles("enterprise_b"), kwargs=pk("b_change")),
    "changes:fill": Row(roles("enterprise_b"), kwargs=pk("b_change_draft")),
    "changes:delete": Row(
        roles("enterprise_b"),
        kwargs=pk("b_change_draft"),
        method="post",
        served=acted,
        note="B's draft (each request rolled back)",
    ),
    "changes_admin:index": Row(roles("reviewer_province", "superuser"), note="province-level reviewers"),
    "changes_admin:index_results": Row(roles("reviewer_province", "superuser")),
    "changes_admin:inspect": Row(roles("reviewer_province", "superuser"), kwargs=pk("b_change")),
    "changes_admin:decide": Row(
        roles("reviewer_province", "superuser"),
        kwargs=lambda w: {"pk": w.b_change.pk, "verb": "approve"},
        method="post",
        served=acted,
        note="核准 B's change: 江苏's province level",
    ),
    # --- the admin: shell, choosers, account ---------------------------------------------
    "wagtailadmin_home": Row(STAFF),
    "admin/test404/": Row(STAFF, note="Wagtail's own 404 test page"),
    "admin/^.*/$": Row(NOBODY),
    "wagtailadmin_sprite": Row(ALL),
    "wagtailadmin_javascript_catalog": Row(ALL),
    "wagtail_modeladmin:javascript_catalog": Row(STAFF),
    "wagtailadmin_account": Row(STAFF),
    "wagtailadmin_dismissibles": Row(STAFF),
    "wagtailadmin_tag_autocomplete": Row(STAFF),
    "wagtailadmin_tag_model_autocomplete": Row(
        NOBODY, kwargs={"app_name": "cms", "model_name": "noticepage"}
    ),
    "wagtailadmin_block_preview": Row(NOBODY),
    "wagtail_bulk_action": Row(NOBODY),
    "wagtailadmin_editing_sessions:ping": Row(NOBODY, note="POST only"),
    "wagtailadmin_editing_sessions:release": Row(NOBODY, note="POST only"),
    "wagtailadmin_choose_page": Row(STAFF),
    "wagtailadmin_choose_page_child": Row(STAFF),
    "wagtailadmin_choose_page_search": Row(STAFF),
    "wagtailadmin_choose_page_chosen_multiple": Row(STAFF),
    "wagtailadmin_choose_page_external_link": Row(STAFF),
    "wagtailadmin_choose_page_email_link": Row(STAFF),
    "wagtailadmin_choose_page_phone_link": Row(STAFF),
    "wagtailadmin_choose_page_anchor_link": Row(STAFF),
    "wagtailembeds:chooser": Row(STAFF),
    "wagtailembeds:chooser_upload": Row(STAFF),
    "wagtailadmin_api:pages:listing": Row(STAFF),
    "wagtailadmin_api:pages:detail": Row(EDITORIAL, kwargs=pk("page")),
    "wagtailadmin_api:pages:find": Row(NOBODY),
    "wagtailadmin_api:pages:action": Row(NOBODY, kwargs=pk("page"), note="POST only"),
    "wagtailadmin_api:documents:listing": Row(STAFF),
    "wagtailadmin_api:documents:detail": Row(STAFF, kwargs=pk("document")),
    "wagtailadmin_api:documents:find": Row(NOBODY),
    "wagtailadmin_api:images:listing": Row(STAFF),
    "wagtailadmin_api:images:detail": Row(STAFF, kwargs=pk("image")),
    "wagtailadmin_api:images:find": Row(NOBODY),
    # --- reports: the site history is scoped like the registers (portal.core.admin_views) --
    "scoped_site_history": Row(STAFF, kwargs={"results": "results/"}),
    "wagtailadmin_reports:site_history": Row(STAFF),
    "wagtailadmin_reports:site_history_results": Row(STAFF),
    "wagtailadmin_reports:aging_pages": Row(EDITORIAL),
    "wagtailadmin_reports:aging_pages_results": Row(EDITORIAL),
    "wagtailadmin_reports:locked_pages": Row(EDITORIAL),
    "wagtailadmin_reports:locked_pages_results": Row(EDITORIAL),
    "wagtailadmin_reports:page_types_usage": Row(EDITORIAL),
    "wagtailadmin_reports:page_types_usage_results": Row(EDITORIAL),
    "wagtailadmin_reports:workflow": Row(EDITORIAL),
    "wagtailadmin_reports:workflow_results": Row(EDITORIAL),
    "wagtailadmin_reports:workflow_tasks": Row(EDITORIAL),
    "wagtailadmin_reports:workflow_tasks_results": Row(EDITORIAL),
    # --- our registers ----------------------------------------------------------------------
    **readonly_register("enterprises_enterprise", "enterprise_b_enterprise", REVIEW, history=SUPER),
    **readonly_register("enterprises_enterpriseprofileversion", "b_version", REVIEW, history=SUPER),
    **readonly_register("reference_region", "province", SUPER),
    **readonly_register("reference_industry", "industry", SUPER),
    "reference_industry_modeladmin_edit": Row(
        SUPER, kwargs=instance("industry"), note="the questionnaire category is staff-editable"
    ),
    **readonly_register("forms_engine_formdefinition", "definition", POLICY),
    **readonly_register("forms_engine_formversion", "version", POLICY),
    # 企业申报 → 申报时间 / 申报条件: the 省级管理员 of 广东 keeps 广东's rows only (B's are 江苏's)
    "filings_filingwindow_modeladmin_index": Row(PROVINCIAL),
    "filings_filingwindow_modeladmin_create": Row(PROVINCIAL),
    "filings_filingwindow_modeladmin_edit": Row(SUPER, kwargs=instance("b_window")),
    "filings_filingwindow_modeladmin_delete": Row(SUPER, kwargs=instance("b_window")),
    "filings_filingwindow_modeladmin_inspect": Row(SUPER, kwargs=instance("b_window")),
    "filings_filingwindow_modeladmin_history": Row(SUPER, kwargs=instance("b_window")),
    "filings_filingrequirement_modeladmin_index": Row(
        roles("policy", "provincial", "superuser"), note="policy staff keep 申报条件 nationwide"
    ),
    "filings_filingrequirement_modeladmin_create": Row(roles("policy", "provincial", "superuser")),
    "filings_filingrequirement_modeladmin_edit": Row(
        roles("policy", "superuser"), kwargs=instance("b_requirement")
    ),
    "filings_filingrequirement_modeladmin_delete": Row(SUPER, kwargs=instance("b_requirement")),
    "filings_filingrequirement_modeladmin_inspect": Row(
        roles("policy", "superuser"), kwargs=instance("b_requirement")
    ),
    "filings_filingrequirement_modeladmin_history": Row(POLICY, kwargs=instance("b_requirement")),
    # --- 企业申报 → 审核流程 (issue 12 item 2): the 省级管理员 of 广东 keeps 广东's chains (B's is 江苏's)
    "filings_reviewchain_modeladmin_index": Row(PROVINCIAL),
    "filings_reviewchain_modeladmin_create": Row(PROVINCIAL),
    "filings_reviewchain_modeladmin_edit": Row(SUPER, kwargs=instance("b_chain")),
    "filings_reviewchain_modeladmin_delete": Row(SUPER, kwargs=instance("b_chain")),
    "filings_reviewchain_modeladmin_inspect": Row(SUPER, kwargs=instance("b_chain")),
    "filings_reviewchain_modeladmin_history": Row(SUPER, kwargs=instance("b_chain")),
    # --- 设置 → 定时任务记录 (issue 13 item 5): read-only, superusers
    **readonly_register("jobs_jobrun", "job_run", SUPER),
    # --- staff reviews of accounts and 审核人员范围 (issue 12 items 1, 10; the staffreviews branch) ---
    # The 人工实名认证 and 手机号修改 queues (ModelViewSets, portal.accounts.viewsets): the reviewer
    # (a 省级 scope of 广东) opens the queues but none of B's requests (江苏); a decision on B's
    # request is the superuser's (each request rolled back). 审核人员范围 (replaces the old
    # 工作人员所属省份): the 省级管理员 of 广东 manages 广东's scopes, B's province's scope is not theirs.
    "realname_reviews:index": Row(REVIEW),
    "realname_reviews:index_results": Row(REVIEW),
    "realname_reviews:inspect": Row(SUPER, kwargs=pk("b_verification")),
    "realname_reviews:approve": Row(
        SUPER, kwargs=pk("b_verification"), method="post", data={"reason": ""}, served=DECIDED
    ),
    "realname_reviews:reject": Row(
        SUPER, kwargs=pk("b_verification"), method="post", data={"reason": "材料不清晰"}, served=DECIDED
    ),
    "phone_reviews:index": Row(REVIEW),
    "phone_reviews:index_results": Row(REVIEW),
    "phone_reviews:inspect": Row(SUPER, kwargs=pk("b_phone_change")),
    "phone_reviews:approve": Row(
        SUPER, kwargs=pk("b_phone_change"), method="post", data={"reason": ""}, served=DECIDED
    ),
    "phone_reviews:reject": Row(
        SUPER, kwargs=pk("b_phone_change"), method="post", data={"reason": "材料不符"}, served=DECIDED
    ),
    "accounts_account_modeladmin_index": Row(SUPER, note="工作人员手机号"),
    "accounts_account_modeladmin_create": Row(SUPER),
    "accounts_account_modeladmin_edit": Row(SUPER, kwargs=instance("reviewer_account")),
    "accounts_account_modeladmin_delete": Row(SUPER, kwargs=instance("reviewer_account")),
    "accounts_account_modeladmin_history": Row(SUPER, kwargs=instance("reviewer_account")),
    "wagtailsettings:edit@admin/settings/<slug:app_name>/<slug:model_name>/": Row(
        NOBODY,
        kwargs={"app_name": "enterprises", "model_name": "profileupdatewindow"},
        note="redirects every staff member to the setting's own URL, checked by the next row",
    ),
    "wagtailsettings:edit@admin/settings/<slug:app_name>/<slug:model_name>/<int:pk>/": Row(
        SUPER,
        kwargs=lambda w: {"app_name": "enterprises", "model_name": "profileupdatewindow", "pk": w.window.pk},
    ),
    "wagtailsettings:preview_on_edit": Row(
        NOBODY,
        kwargs=lambda w: {"app_name": "enterprises", "model_name": "profileupdatewindow", "pk": w.window.pk},
    ),
    # --- the form designer (表单设计): policy staff; POST-only actions answer GET with 405 ---
    "forms_designer:approve": Row(NOBODY),
    "forms_designer:definition": Row(POLICY),
    "forms_designer:diff": Row(POLICY),
    "forms_designer:field_add": Row(NOBODY),
    "forms_designer:field_edit": Row(NOBODY),
    "forms_designer:groups": Row(NOBODY),
    "forms_designer:history": Row(POLICY),
    "forms_designer:impact": Row(POLICY),
    "forms_designer:impact_row": Row(NOBODY),
    "forms_designer:index": Row(POLICY),
    "forms_designer:item_add": Row(NOBODY),
    "forms_designer:item_edit": Row(NOBODY),
    "forms_designer:json": Row(POLICY),
    "forms_designer:metadata": Row(NOBODY),
    "forms_designer:new_draft": Row(NOBODY),
    "forms_designer:outcome": Row(NOBODY),
    "forms_designer:publish": Row(NOBODY),
    "forms_designer:reject": Row(NOBODY),
    "forms_designer:retire": Row(NOBODY),
    "forms_designer:section_add": Row(NOBODY),
    "forms_designer:section_edit": Row(NOBODY),
    "forms_designer:step_add": Row(NOBODY),
    "forms_designer:step_edit": Row(NOBODY),
    "forms_designer:structure_action": Row(NOBODY),
    "forms_designer:submit": Row(NOBODY),
    "forms_designer:test_score": Row(POLICY),
    "forms_designer:validate": Row(POLICY),
    "forms_designer:validations": Row(NOBODY),
    "forms_designer:version": Row(POLICY),
    # --- Wagtail's CMS: pages, images, documents, workflows, users, sites …  (editor group: pages,
    # images, documents; the rest superusers only — as Wagtail's own permission policies decide)
    "wagtailadmin_collections:add": Row(SUPER),
    "wagtailadmin_collections:index": Row(SUPER),
    "wagtailadmin_collections:set_privacy": Row(SUPER),
    "wagtailadmin_explore": Row(EDITORIAL),
    "wagtailadmin_explore_results": Row(EDITORIAL),
    "wagtailadmin_explore_root": Row(EDITORIAL),
    "wagtailadmin_pages:add": Row(NOBODY),
    "wagtailadmin_pages:add_subpage": Row(NOBODY),
    "wagtailadmin_pages:choose_parent": Row(STAFF),
    "wagtailadmin_pages:collect_workflow_action_data": Row(NOBODY),
    "wagtailadmin_pages:confirm_workflow_cancellation": Row(STAFF),
    "wagtailadmin_pages:convert_alias": Row(NOBODY),
    "wagtailadmin_pages:copy": Row(EDITORIAL),
    "wagtailadmin_pages:delete": Row(EDITORIAL),
    "wagtailadmin_pages:edit": Row(EDITORIAL),
    "wagtailadmin_pages:history": Row(EDITORIAL),
    "wagtailadmin_pages:history_results": Row(EDITORIAL),
    "wagtailadmin_pages:lock": Row(NOBODY),
    "wagtailadmin_pages:move": Row(EDITORIAL),
    "wagtailadmin_pages:move_confirm": Row(STAFF),
    "wagtailadmin_pages:preview_on_add": Row(EDITORIAL),
    "wagtailadmin_pages:preview_on_edit": Row(EDITORIAL),
    "wagtailadmin_pages:revisions_index": Row(NOBODY),
    "wagtailadmin_pages:revisions_revert": Row(NOBODY),
    "wagtailadmin_pages:revisions_unschedule": Row(NOBODY),
    "wagtailadmin_pages:revisions_view": Row(NOBODY),
    "wagtailadmin_pages:search": Row(EDITORIAL),
    "wagtailadmin_pages:search_results": Row(EDITORIAL),
    "wagtailadmin_pages:set_page_position": Row(NOBODY),
    "wagtailadmin_pages:set_privacy": Row(EDITORIAL),
    "wagtailadmin_pages:type_use": Row(EDITORIAL),
    "wagtailadmin_pages:type_use_results": Row(EDITORIAL),
    "wagtailadmin_pages:unlock": Row(NOBODY),
    "wagtailadmin_pages:unpublish": Row(EDITORIAL),
    "wagtailadmin_pages:usage": Row(EDITORIAL),
    "wagtailadmin_pages:view_draft": Row(EDITORIAL),
    "wagtailadmin_pages:workflow_action": Row(NOBODY),
    "wagtailadmin_pages:workflow_history": Row(EDITORIAL),
    "wagtailadmin_pages:workflow_history_detail": Row(NOBODY),
    "wagtailadmin_pages:workflow_preview": Row(NOBODY),
    "wagtailadmin_workflows:add": Row(SUPER),
    "wagtailadmin_workflows:add_task": Row(NOBODY),
    "wagtailadmin_workflows:index": Row(SUPER),
    "wagtailadmin_workflows:index_results": Row(SUPER),
    "wagtailadmin_workflows:remove@admin/workflows/remove/<int:page_pk>/": Row(NOBODY),
    "wagtailadmin_workflows:remove@admin/workflows/remove/<int:page_pk>/<int:workflow_pk>/": Row(NOBODY),
    "wagtailadmin_workflows:select_task_type": Row(NOBODY),
    "wagtailadmin_workflows:task_chooser": Row(STAFF),
    "wagtailadmin_workflows:task_chooser_create": Row(STAFF),
    "wagtailadmin_workflows:task_chooser_results": Row(STAFF),
    "wagtailadmin_workflows:task_chosen": Row(STAFF),
    "wagtailadmin_workflows:task_index": Row(SUPER),
    "wagtailadmin_workflows:task_index_results": Row(SUPER),
    "wagtaildocs:add": Row(EDITORIAL),
    "wagtaildocs:add_multiple": Row(EDITORIAL),
    "wagtaildocs:create_multiple_from_uploaded_document": Row(NOBODY),
    "wagtaildocs:delete": Row(EDITORIAL),
    "wagtaildocs:delete_multiple": Row(NOBODY),
    "wagtaildocs:delete_upload_multiple": Row(NOBODY),
    "wagtaildocs:document_usage": Row(EDITORIAL),
    "wagtaildocs:edit": Row(EDITORIAL),
    "wagtaildocs:edit_multiple": Row(NOBODY),
    "wagtaildocs:index": Row(EDITORIAL),
    "wagtaildocs:index_results": Row(EDITORIAL),
    "wagtaildocs_chooser:choose": Row(STAFF),
    "wagtaildocs_chooser:choose_results": Row(STAFF),
    "wagtaildocs_chooser:chosen_multiple": Row(STAFF),
    "wagtaildocs_chooser:create": Row(EDITORIAL),
    "wagtailforms:delete_submissions": Row(NOBODY),
    "wagtailforms:index": Row(EDITORIAL),
    "wagtailforms:index_results": Row(EDITORIAL),
    "wagtailforms:list_submissions": Row(NOBODY),
    "wagtailforms:list_submissions_results": Row(NOBODY),
    "wagtailimages:add": Row(EDITORIAL),
    "wagtailimages:add_multiple": Row(EDITORIAL),
    "wagtailimages:create_multiple_from_uploaded_image": Row(NOBODY),
    "wagtailimages:delete": Row(EDITORIAL),
    "wagtailimages:delete_multiple": Row(NOBODY),
    "wagtailimages:delete_upload_multiple": Row(NOBODY),
    "wagtailimages:edit": Row(EDITORIAL),
    "wagtailimages:edit_multiple": Row(NOBODY),
    "wagtailimages:image_usage": Row(EDITORIAL),
    "wagtailimages:index": Row(EDITORIAL),
    "wagtailimages:index_results": Row(EDITORIAL),
    "wagtailimages:preview": Row(EDITORIAL),
    "wagtailimages:url_generator": Row(NOBODY),
    "wagtailimages:url_generator_output": Row(NOBODY),
    "wagtailimages_chooser:choose": Row(STAFF),
    "wagtailimages_chooser:choose_results": Row(STAFF),
    "wagtailimages_chooser:chosen_multiple": Row(STAFF),
    "wagtailimages_chooser:create": Row(EDITORIAL),
    "wagtailimages_chooser:select_format": Row(EDITORIAL),
    "wagtailredirects:add": Row(SUPER),
    "wagtailredirects:delete": Row(SUPER),
    "wagtailredirects:edit": Row(SUPER),
    "wagtailredirects:index": Row(SUPER),
    "wagtailredirects:index_results": Row(SUPER),
    "wagtailredirects:process_import": Row(NOBODY),
    "wagtailredirects:start_import": Row(SUPER),
    "wagtailsites:add": Row(SUPER),
    "wagtailsites:index": Row(SUPER),
    "wagtailsites:index_results": Row(SUPER),
    "wagtailsnippets:index": Row(NOBODY),
    "wagtailusers_groups:add": Row(SUPER),
    "wagtailusers_groups:index": Row(SUPER),
    "wagtailusers_groups:index_results": Row(SUPER),
    "wagtailusers_users:add": Row(SUPER),
    "wagtailusers_users:index": Row(SUPER),
    "wagtailusers_users:index_results": Row(SUPER),
    "wagtailadmin_error_test": Row(STAFF, known_failure="Wagtail's deliberate 500 test page"),
    "wagtailadmin_pages:revisions_compare": Row(
        NOBODY, kwargs=lambda w: {"pk": w.page.pk, "revision_id_a": "earliest", "revision_id_b": "latest"}
    ),
    "wagtailadmin_collections:edit": Row(
        NOBODY, kwargs=pk("collection"), note="the root collection is not editable"
    ),
    "wagtailadmin_collections:delete": Row(NOBODY, kwargs=pk("collection")),
    "wagtailadmin_workflows:edit": Row(SUPER, kwargs=pk("workflow")),
    "wagtailadmin_workflows:enable": Row(NOBODY, kwargs=pk("workflow"), note="POST only"),
    "wagtailadmin_workflows:disable": Row(SUPER, kwargs=pk("workflow"), note="asks to confirm"),
    "wagtailadmin_workflows:usage": Row(SUPER, kwargs=pk("workflow")),
    "wagtailadmin_workflows:usage_results": Row(SUPER, kwargs=pk("workflow")),
    "wagtailadmin_workflows:edit_task": Row(SUPER, kwargs=pk("task")),
    "wagtailadmin_workflows:enable_task": Row(NOBODY, kwargs=pk("task"), note="POST only"),
    "wagtailadmin_workflows:disable_task": Row(SUPER, kwargs=pk("task"), note="asks to confirm"),
    "wagtaildocs_chooser:chosen": Row(EDITORIAL, kwargs=pk("document")),
    "wagtailimages_chooser:chosen": Row(EDITORIAL, kwargs=pk("image")),
    "wagtailsites:edit": Row(SUPER, kwargs=pk("site")),
    "wagtailsites:delete": Row(SUPER, kwargs=pk("site")),
    "wagtailsites:copy": Row(SUPER, kwargs=pk("site")),
    "wagtailsites:history": Row(SUPER, kwargs=pk("site")),
    "wagtailsites:history_results": Row(SUPER, kwargs=pk("site")),
    "wagtailsites:usage": Row(SUPER, kwargs=pk("site")),
    "wagtailusers_groups:edit": Row(SUPER, kwargs=pk("group")),
    "wagtailusers_groups:delete": Row(SUPER, kwargs=pk("group")),
    "wagtailusers_groups:history": Row(SUPER, kwargs=pk("group")),
    "wagtailusers_groups:history_results": Row(SUPER, kwargs=pk("group")),
    "wagtailusers_groups:usage": Row(SUPER, kwargs=pk("group")),
    "wagtailusers_users:edit": Row(SUPER, kwargs=user_pk("enterprise_b")),
    "wagtailusers_users:delete": Row(SUPER, kwargs=user_pk("enterprise_b")),
    "wagtailusers_users:copy": Row(SUPER, kwargs=user_pk("enterprise_b")),
    "wagtailusers_users:history": Row(SUPER, kwargs=user_pk("enterprise_b")),
    "wagtailusers_users:history_results": Row(SUPER, kwargs=user_pk("enterprise_b")),
    "wagtailusers_users:usage": Row(SUPER, kwargs=user_pk("enterprise_b")),
}


def _observe(client, world):
    """(key, url, {role: response or exception}) for every pattern of the URLconf."""
    for key, pattern in sorted(patterns().items()):
        row = MATRIX.get(key)
        if row is None:
            continue
        url = build_url(pattern, row, world, DEFAULT_KWARGS)
        results = {}
        for role in ROLES:
            try:
                results[role] = request_as(client, world, role, url, row)
            except Exception as exc:  # noqa: BLE001 - reported as a failure below
                results[role] = exc
        yield key, url, row, results


def test_every_url_has_a_row():
    """A URL added anywhere in the project without a row here fails: decide who may open it."""
    missing = sorted(set(patterns()) - set(MATRIX))
    stale = sorted(set(MATRIX) - set(patterns()))
    assert not missing, "URL patterns without a row in MATRIX: " + ", ".join(missing)
    assert not stale, "rows for URL patterns that no longer exist: " + ", ".join(stale)


def test_every_role_gets_exactly_its_pages(client, world):
    """Each role gets the pages of its row and nothing else; nothing crashes; and no page served to
    anyone but B and the superuser shows what B owns."""
    secrets = (B_NAME, world.enterprise_b_enterprise.uscc, B_LEGAL_REP_ID, B_CONTACT_PHONE, B_PHONE)
    # reviewers of B's region see B by name and USCC, never the full ID or the phone B signs in with
    reviewer_secrets = (B_LEGAL_REP_ID, B_PHONE)
    problems, shown = [], []
    for key, url, row, results in _observe(client, world):
        got = set()
        for role, result in results.items():
            if isinstance(result, Exception):
                if not (row.known_failure and role in row.allowed):
                    problems.append(f"{key} ({url}) as {role}: {type(result).__name__}: {result}")
                continue
            if served(result, row):
                got.add(role)
                if role not in B_ONLY:
                    content = result.content.decode("utf-8", "replace") if not result.streaming else ""
                    hidden = reviewer_secrets if role in B_REVIEWERS else secrets
                    leaked = [secret for secret in hidden if secret in content]
                    if leaked:
                        problems.append(f"{key} ({url}) shows B's {leaked} to {role}")
        tolerated = {role for role, result in results.items() if isinstance(result, Exception)}
        if got != set(row.allowed) - tolerated:
            problems.append(f"{key} ({url}): expected {sorted(row.allowed)}, got {sorted(got)}")
        shown.append(f"{key}: {url} -> {sorted(got)}")
    if os.environ.get("PERMISSION_MATRIX_SHOW"):
        print("\n".join(shown))
    assert not problems, "\n".join(problems)
