"""The demo-content command builds the public site once; a second run creates nothing."""

import pytest
from django.core.management import call_command
from wagtail.documents import get_document_model
from wagtail.models import Page, Site

from cms.models import FAQPage, HelpPage, HomePage, NoticeAttachment, NoticePage, PortalSettings

pytestmark = pytest.mark.django_db


def counts():
    return (Page.objects.count(), NoticePage.objects.count(), NoticeAttachment.objects.count(),
            get_document_model().objects.count(), HelpPage.objects.count())


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
