"""Build a believable public site: home page, /notices/ with 36 notices and attachments, /faq/,
help pages and the portal settings (maker-contest banner). Idempotent: a second run creates nothing.
"""

from __future__ import annotations

import datetime
import io

from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.core.management.base import BaseCommand
from django.db import transaction
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, Site

from cms.demo_files import make_banner_png, make_docx, make_pdf
from cms.management.commands import _demo_data as data
from cms.models import (
    FAQPage,
    HelpPage,
    HomePage,
    NoticeAttachment,
    NoticeIndexPage,
    NoticePage,
    PortalSettings,
)

SITE_NAME = "优质中小企业梯度培育平台"
BANNER_TITLE = "创客大赛横幅（演示）"


class Command(BaseCommand):
    help = "Create the demo public site (home, notices, FAQ, help pages, portal settings) if missing."

    @transaction.atomic
    def handle(self, *args, **options):
        self.created = 0
        home = self._home()
        index = self._notice_index(home)
        self._notices(index)
        self._faq(home)
        self._help_pages(home)
        self._settings(home)
        self.stdout.write(self.style.SUCCESS(f"Demo content ready ({self.created} objects created)."))

    # -- tree ---------------------------------------------------------------------------------

    def _home(self) -> HomePage:
        home = HomePage.objects.first()
        root = Page.get_first_root_node()
        if home is None:
            site = Site.objects.filter(is_default_site=True).first()
            # Wagtail's default "Welcome" page is a plain Page; Site.root_page cascades on delete,
            # so point the site at the tree root before removing the welcome page.
            for welcome in root.get_children().filter(
                content_type__app_label="wagtailcore", content_type__model="page"
            ):
                if site and site.root_page_id == welcome.id:
                    site.root_page = root
                    site.save()
                welcome.delete()
            home = root.add_child(instance=HomePage(title="首页", slug="home", seo_title=SITE_NAME))
            self.created += 1
        site = Site.objects.filter(is_default_site=True).first()
        if site is None:
            Site.objects.create(
                hostname="localhost", port=80, root_page=home, is_default_site=True, site_name=SITE_NAME
            )
        elif site.root_page_id != home.id or site.site_name != SITE_NAME:
            site.root_page = home
            site.site_name = SITE_NAME
            site.save()
        return home

    def _notice_index(self, home: HomePage) -> NoticeIndexPage:
        index = NoticeIndexPage.objects.first()
        if index is None:
            index = home.add_child(
                instance=NoticeIndexPage(
                    title="通知公告",
                    slug="notices",
                    intro="部级公告与省级公告，可按级别、省份、日期和关键词查询。",
                )
            )
            self.created += 1
        return index

    def _notices(self, index: NoticeIndexPage) -> None:
        existing = set(NoticePage.objects.values_list("slug", flat=True))
        for slug, date, title, summary in data.MINISTRY_NOTICES:
            if slug not in existing:
                self._notice(
                    index,
                    slug=slug,
                    date=date,
                    title=title,
                    summary=summary,
                    level="ministry",
                    province="",
                    authority=data.MINISTRY_AUTHORITY,
                )
        for number, (code, (authority, short, prefix)) in enumerate(data.PROVINCE_AUTHORITIES.items()):
            for offset, (date_pattern, title_tpl, summary_tpl) in enumerate(data.PROVINCIAL_TEMPLATES):
                year = 2025 if (number + offset) % 2 == 0 else 2026
                slug = f"{prefix}-{year}-{offset + 1:02d}"
                if slug in existing:
                    continue
                fmt = {"a": authority, "p": short, "y": year, "d": 3 + number * 3}
                self._notice(
                    index,
                    slug=slug,
                    date=date_pattern.format(**fmt),
                    title=title_tpl.format(**fmt),
                    summary=summary_tpl.format(**fmt),
                    level="provincial",
                    province=code,
                    authority=authority,
                )

    def _notice(self, index, *, slug, date, title, summary, level, province, authority) -> None:
        publish_date = datetime.date.fromisoformat(date)
        topic = summary.rstrip("。")
        paragraphs = [p.format(topic=topic) for p in data.BODY_PARAGRAPHS]
        body = "".join(f"<p>{p}</p>" for p in paragraphs)
        # the signature (落款: issuer and date) is rendered by the notice template from fields
        notice = NoticePage(
            title=title,
            slug=slug,
            level=level,
            province=province,
            publish_date=publish_date,
            summary=summary,
            body=body,
            issuer=authority,
        )
        index.add_child(instance=notice)
        signed = f"{publish_date.year}年{publish_date.month}月{publish_date.day}日"
        pdf = make_pdf(
            [
                *paragraphs,
                "",
                authority,
                signed,
                "",
                "（演示内容：本文件由平台示例数据生成，不是真实公文。）",
            ],
            title=title,
        )
        documents = [(f"{title}（正文）", f"{slug}.pdf", pdf)]
        if level == "provincial" or slug.endswith(("1", "3", "5", "7")):
            documents.append(
                (
                    "附件：申报材料清单",
                    f"{slug}-checklist.docx",
                    make_docx(
                        [
                            "申报材料清单",
                            "1. 企业基本信息表",
                            "2. 自测表（申报系统导出）",
                            "3. 佐证材料（打包为一个zip文件，不超过300M）",
                            f"发布单位：{authority}",
                        ]
                    ),
                )
            )
        for order, (doc_title, filename, content) in enumerate(documents):
            document = get_document_model()(title=doc_title)
            document.file.save(filename, ContentFile(content), save=False)
            document.save()
            NoticeAttachment.objects.create(
                page=notice, document=document, sort_order=order, title="" if order else "通知全文"
            )  # the page adds type and size
        notice.save_revision().publish()
        self.created += 1

    def _faq(self, home: HomePage) -> None:
        if FAQPage.objects.exists():
            return
        questions = [
            ("question_answer", {"question": q, "answer": "".join(f"<p>{line}</p>" for line in answer)})
            for q, answer in data.FAQ
        ]
        faq = home.add_child(instance=FAQPage(title="常见问题解答", slug="faq", questions=questions))
        faq.save_revision().publish()
        self.created += 1

    def _help_pages(self, home: HomePage) -> None:
        parent: Page = home
        for slug, title, blocks in data.HELP_PAGES:
            page = HelpPage.objects.filter(slug=slug).first()
            if page is None:
                body = [(kind, value if kind == "heading" else f"<p>{value}</p>") for kind, value in blocks]
                page = parent.add_child(instance=HelpPage(title=title, slug=slug, body=body))
                page.save_revision().publish()
                self.created += 1
            parent = page

    def _settings(self, home: HomePage) -> None:
        site = Site.objects.get(root_page=home)
        settings = PortalSettings.for_site(site)  # creates the row with the model defaults
        if settings.maker_contest_image_id is None:
            image_model = get_image_model()
            image = image_model.objects.filter(title=BANNER_TITLE).first()
            if image is None:
                image = image_model(
                    title=BANNER_TITLE,
                    file=ImageFile(io.BytesIO(make_banner_png()), name="maker-contest-banner.png"),
                )
                image.save()
                self.created += 1
            settings.maker_contest_image = image
            settings.save()
