"""The maker-contest banner comes from the PortalSettings site setting."""

import pytest
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Site

from cms.models import PortalSettings

pytestmark = pytest.mark.django_db


def test_banner_links_to_the_configured_url_with_a_text_banner(client, home):
    settings = PortalSettings.for_site(Site.objects.get(is_default_site=True))
    settings.maker_contest_title = "第十一届创客中国大赛"
    settings.maker_contest_url = "https://www.cnmaker.org.cn/"
    settings.save()
    html = client.get("/").content.decode()
    assert 'href="https://www.cnmaker.org.cn/"' in html
    assert "第十一届创客中国大赛" in html


def test_banner_shows_the_configured_image_with_alt_text(client, home):
    image = get_image_model().objects.create(title="横幅", file=get_test_image_file())
    settings = PortalSettings.for_site(Site.objects.get(is_default_site=True))
    settings.maker_contest_image = image
    settings.maker_contest_title = "创客中国"
    settings.save()
    html = client.get("/").content.decode()
    assert 'alt="创客中国"' in html
    assert "/images/" in html or "media/images" in html


def test_settings_defaults_point_at_the_real_maker_site(home):
    settings = PortalSettings.for_site(Site.objects.get(is_default_site=True))
    assert settings.maker_contest_url == "https://www.cnmaker.org.cn/"
