"""The draft 公示 notice a 公示 creates in the CMS: a 省级公告 of the province (a 部级公告 for the
ministry's list) under the notice index, listing the enterprises, for editors to review and publish.

The body uses only what the notice editor keeps (paragraphs and an ordered list), so an editor can
open and change it without losing the list.
"""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from cms.models import NoticeIndexPage, NoticeLevel, NoticePage


class NoticeIndexMissingError(Exception):
    """There is no notice index (/notices/) to put the draft under."""


def notice_index() -> NoticeIndexPage | None:
    return NoticeIndexPage.objects.first()


def draft_publicity_notice(*, publicity: Any, filings: list[Any], authority: str, user: Any) -> NoticePage:
    """Create the draft notice of ``publicity`` (not live) with a first revision; raises
    NoticeIndexMissingError."""
    index = notice_index()
    if index is None:
        raise NoticeIndexMissingError
    level_label = publicity.get_level_display()
    body = render_to_string(
        "recognition/publicity_notice_body.html",
        {"publicity": publicity, "filings": filings, "level_label": level_label},
    )
    page = NoticePage(
        title=publicity.title,
        slug=f"publicity-{publicity.pk}",
        level=NoticeLevel.MINISTRY if publicity.province_id is None else NoticeLevel.PROVINCIAL,
        province="" if publicity.province_id is None else publicity.province.code,
        summary=_("拟认定为%(level)s的 %(count)s 家企业名单公示，公示期自本公告发布之日起 %(days)s 天。")
        % {"level": level_label, "count": len(filings), "days": publicity.period_days},
        body=body,
        issuer=authority,
        live=False,
        owner=user,
    )
    index.add_child(instance=page)
    page.save_revision(user=user, log_action=False)
    log(instance=page, action="wagtail.create", user=user)
    return page
