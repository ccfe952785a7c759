"""Rendering of each page type, and the home page's entries leading to pages that exist."""

import pytest

from cms.models import FAQPage, HelpPage

from .factories import attach_document

pytestmark = pytest.mark.django_db


def test_home_page_lists_latest_ministry_and_provincial_notices(client, make_notice):
    ministry = make_notice(title="工业和信息化部关于开展2026年度专精特新中小企业梯度培育工作的通知")
    provincial = make_notice(
        title="广东省工业和信息化厅关于组织开展2026年创新型中小企业评价工作的通知",
        level="provincial",
        province="440000",
    )
    html = client.get("/").content.decode()
    assert f'href="{ministry.url}"' in html
    assert f'href="{provincial.url}"' in html
    assert "部级公告" in html and "省级公告" in html
    assert 'href="/notices/?level=ministry"' in html
    assert 'href="/notices/?level=provincial"' in html


def test_home_page_shows_at_most_eight_notices_per_level(client, make_notice):
    for _ in range(10):
        make_notice()
    response = client.get("/")
    assert len(response.context["ministry_notices"]) == 8


def test_home_page_query_entry_leads_to_the_query(client, home):
    html = client.get("/").content.decode()
    assert 'href="/query/"' in html
    response = client.get("/query/")
    assert response.status_code == 200
    assert "统一社会信用代码" in response.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/assessment/",
        "/enterprise/filings/apply/innovative/",
        "/enterprise/filings/apply/specialized/",
        "/enterprise/filings/apply/little_giant/",
    ],
)
def test_home_page_enterprise_entries_send_visitors_to_login_and_back(client, home, url):
    """F-04: an anonymous visitor is sent to login and returned afterwards."""
    html = client.get("/").content.decode()
    assert f'href="{url}"' in html
    response = client.get(url, follow=True)
    assert response.redirect_chain[-1][0] == f"/accounts/login/?next={url}"
    assert response.status_code == 200


def test_home_page_tells_visitors_the_windows_show_after_login(client, home):
    html = client.get("/").content.decode()
    assert "登录后显示本省申报时间" in html and "尚未开放" not in html


def test_home_page_says_which_filing_levels_are_open_in_the_enterprises_province(client, home):
    from tests.factories.filings import FilingEnterpriseFactory, FilingWindowFactory

    enterprise = FilingEnterpriseFactory()
    FilingWindowFactory(level="innovative")  # 广东, the enterprise's province
    client.force_login(enterprise.owner)
    html = client.get("/").content.decode()
    levels = html[html.index('data-testid="home-filing-levels"') :]
    innovation = levels[levels.index('href="/enterprise/filings/apply/innovative/"') :]
    assert "申报中" in innovation[: innovation.index("</a>")]
    specialized = levels[levels.index('href="/enterprise/filings/apply/specialized/"') :]
    assert "未在申报期" in specialized[: specialized.index("</a>")]


def test_home_page_marks_the_enterprise_query_as_opening_later_only_when_switched_off(client, home):
    from portal.recognition.models import RecognitionSettings

    html = client.get("/").content.decode()
    assert "企业认定查询" in html and "稍后开放" not in html and "【去自评】" in html
    config = RecognitionSettings.load()
    config.query_enabled = False
    config.save()  # a setting saved: the cached home page goes stale (cms.signals)
    html = client.get("/").content.decode()
    assert "企业认定查询" in html and "稍后开放" in html


def test_notice_page_renders_body_meta_and_attachments(client, make_notice):
    notice = make_notice(
        title="广东省工业和信息化厅关于开展2026年专精特新中小企业认定工作的通知",
        level="provincial",
        province="440000",
        body="<p>申报对象为中小企业。</p>",
    )
    attachment = attach_document(notice, title="申报材料清单")
    html = client.get(notice.url).content.decode()
    assert "<h1" in html and notice.title in html
    assert "申报对象为中小企业。" in html
    assert "广东省" in html and "省级公告" in html
    assert attachment.document.url in html and "申报材料清单" in html


def test_faq_page_renders_each_question_and_answer(client, home):
    faq = home.add_child(
        instance=FAQPage(
            title="常见问题解答",
            slug="faq",
            questions=[
                (
                    "question_answer",
                    {"question": "数字化水平评测可以多次答题吗？", "answer": "<p>可以。</p>"},
                ),
            ],
        )
    )
    response = client.get("/faq/")
    assert response.status_code == 200
    html = response.content.decode()
    assert faq.title in html and "数字化水平评测可以多次答题吗？" in html and "<p>可以。</p>" in html


def test_help_page_renders_heading_and_paragraph_blocks(client, home):
    home.add_child(
        instance=HelpPage(
            title="平台使用指南",
            slug="help",
            body=[
                ("heading", "企业注册"),
                ("paragraph", "<p>点击注册。</p>"),
            ],
        )
    )
    html = client.get("/help/").content.decode()
    assert '<h2 class="h5 mt-4">企业注册</h2>' in html and "点击注册。" in html


def test_pages_keep_the_base_layout_landmarks(client, notice_index):
    html = client.get("/notices/").content.decode()
    for landmark in ("<header", "<nav", '<main id="main"', "<footer", 'class="navbar-toggler"'):
        assert landmark in html
