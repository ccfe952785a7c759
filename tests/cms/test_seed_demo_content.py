"""The demo-content command builds the public site once; a second run creates nothing."""

import pytest
from django.core.management import call_command
from wagtail.documents import get_document_model
from wagtail.models import Page, Site

from cms.models import FAQPage, HelpPage, HomePage, NoticeAttachment, NoticePage, PortalSettings

pytestmark = pytest.mark.django_db


def counts():
    return (
        Page.objects.count(),
        NoticePage.objects.count(),
        NoticeAttachment.objects.count(),
        get_document_model().objects.count(),
        HelpPage.objects.count(),
    )


def test_seed_demo_content_is_idempotent_and_believable(client):
    call_command("seed_demo_content", verbosity=0)
    first = counts()
    call_command("seed_demo_content", verbosity=0)
    assert counts() == first

    site = Site.objects.get(is_default_site=True)
    assert isinstance(site.root_page.specific, HomePage)
    notices = NoticePage.objects.live()
    assert notices.count() >= 30
    assert set(notices.values_list("level", flat=True)) == {"ministry", "provincial"}
    assert notices.exclude(province="").values("province").distinct().count() >= 6
    assert not notices.filter(attachments__isnull=True).exists()
    assert len(FAQPage.objects.get().questions) == 8
    assert PortalSettings.for_site(site).maker_contest_image is not None
    for url in ("/", "/notices/", "/faq/", "/help/"):
        assert client.get(url).status_code == 200


def test_demo_notices_read_as_chinese_notices(client):
    """Issue 9.20/9.21: the signature is right-aligned by the stylesheet (not an inline style the
    CSP blocks); attachment labels name the type once; the demo PDFs are Chinese and say they are
    demo content."""
    call_command("seed_demo_content", verbosity=0)
    notice = NoticePage.objects.live().order_by("-publish_date").first()
    body = client.get(notice.url).content.decode()
    assert 'class="notice-signature"' in body and notice.issuer in body
    assert "style=" not in body
    assert "（PDF） （PDF" not in body and "通知全文</a>" in body
    pdf = notice.attachments.order_by("sort_order").first().document.file.read()
    assert b"/BaseFont /STSong-Light" in pdf and b"/Encoding /UniGB-UCS2-H" in pdf
    assert "演示内容".encode("utf-16-be").hex().upper().encode() in pdf
    assert notice.title.encode("utf-16-be").hex().upper()[:40].encode() in pdf


def test_demo_faq_has_the_manuals_questions_without_its_typos(client):
    call_command("seed_demo_content", verbosity=0)
    body = client.get("/faq/").content.decode()
    assert "佐证材料上传时" in body and "请稍候再试" in body
    assert "作证材料" not in body and "稍侯" not in body
    text = str(FAQPage.objects.get().questions.raw_data)
    assert text.count("“") == text.count("”")
