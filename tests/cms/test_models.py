"""Page-tree rules and single-row validation of the CMS models."""

import pytest
from django.core.exceptions import ValidationError
from wagtail.models import Page

from cms.models import FAQPage, HelpPage, HomePage, NoticeIndexPage, NoticePage

pytestmark = pytest.mark.django_db


def test_notice_page_can_only_be_created_under_the_notice_index(home, notice_index):
    assert not NoticePage.can_create_at(home)
    assert NoticePage.can_create_at(notice_index)


def test_home_page_is_unique_and_only_at_the_tree_root(home):
    assert not HomePage.can_create_at(Page.get_first_root_node())
    assert not HomePage.can_create_at(home)


def test_notice_index_faq_and_help_pages_live_under_the_home_page(home, notice_index):
    assert not NoticeIndexPage.can_create_at(home)  # max_count 1, already there
    assert FAQPage.can_create_at(home)
    assert HelpPage.can_create_at(home)
    assert not FAQPage.can_create_at(notice_index)
    assert not HelpPage.can_create_at(notice_index)
    assert set(HomePage.allowed_subpage_models()) == {NoticeIndexPage, FAQPage, HelpPage}


def test_help_page_can_nest_help_pages(home):
    guide = home.add_child(instance=HelpPage(title="平台使用指南", slug="help"))
    assert HelpPage.can_create_at(guide)


def test_provincial_notice_requires_a_province():
    notice = NoticePage(title="通知", slug="n", level="provincial", province="", body="<p>x</p>")
    with pytest.raises(ValidationError) as excinfo:
        notice.clean()
    assert excinfo.value.error_dict["province"][0].code == "province_required"


def test_ministry_notice_forbids_a_province():
    notice = NoticePage(title="通知", slug="n", level="ministry", province="440000", body="<p>x</p>")
    with pytest.raises(ValidationError) as excinfo:
        notice.clean()
    assert excinfo.value.error_dict["province"][0].code == "province_forbidden"


def test_notice_index_slug_must_be_notices(home):
    index = NoticeIndexPage(title="通知公告", slug="gonggao")
    with pytest.raises(ValidationError) as excinfo:
        index.clean()
    assert excinfo.value.error_dict["slug"][0].code == "notices_slug"


def test_notice_search_text_has_bigrams_of_title_and_body(make_notice):
    notice = make_notice(title="关于专精特新的通知", body="<p>数字化水平评测</p>")
    text = notice.search_text().split()
    assert "精特" in text and "评测" in text
