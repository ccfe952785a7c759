"""Factories of CMS pages. Pages are created in the tree with ``add_child`` (live, indexed)."""

from __future__ import annotations

import datetime

import factory
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model

from cms.models import NoticeAttachment, NoticePage


class NoticePageFactory(factory.Factory):
    class Meta:
        model = NoticePage

    title = factory.Sequence(lambda n: f"工业和信息化部关于做好第{n}批中小企业服务工作的通知")
    slug = factory.Sequence(lambda n: f"notice-{n}")
    level = "ministry"
    province = ""
    publish_date = factory.Sequence(lambda n: datetime.date(2026, 6, 30) - datetime.timedelta(days=n))
    summary = "做好中小企业服务工作。"
    body = "<p>各有关单位：现将有关事项通知如下。</p>"

    @classmethod
    def _create(cls, model_class, *args, parent=None, **kwargs):
        if parent is None:
            raise ValueError("NoticePageFactory needs parent=<NoticeIndexPage>")
        page = model_class(**kwargs)
        parent.add_child(instance=page)
        return page


def attach_document(
    notice: NoticePage, *, title: str = "申报材料清单", filename: str = "checklist.txt"
) -> NoticeAttachment:
    document = get_document_model()(title=title)
    document.file.save(filename, ContentFile("申报材料清单".encode()), save=False)
    document.save()
    return NoticeAttachment.objects.create(page=notice, document=document, sort_order=0)
