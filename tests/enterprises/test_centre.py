"""The enterprise centre's frame: the post-login 企业申报页面, the side navigation on every page,
the pages whose feature is not built yet, and the badge registry (issue 9.6)."""

from __future__ import annotations

import pytest
from wagtail.models import Page, Site

from cms.models import HomePage, NoticeIndexPage
from portal.enterprises import centre
from portal.enterprises.models import Enterprise
from tests.cms.factories import NoticePageFactory

from .factories import CompleteEnterpriseFactory

# what CompleteEnterpriseFactory fills in beyond a bare enterprise (F-31's complete profile)
PROFILE_FIELDS = (
    "region",
    "industry",
    "established_on",
    "registered_capital",
    "size_class",
    "employees",
    "contact_name",
    "contact_phone",
    "contact_email",
    "address",
    "main_products",
)

pytestmark = pytest.mark.django_db

CENTRE_PAGES = {
    "/enterprise/home/": "home",
    "/enterprise/": "profile",
    "/enterprise/history/": "profile",
    "/enterprise/messages/": "messages",
    "/enterprise/filings/": "filings",
    "/enterprise/changes/": "changes",
    "/enterprise/renewals/": "renewals",
    "/assessment/": "assessment",
}


@pytest.fixture
def notices(db, regions):
    home = Page.get_first_root_node().add_child(instance=HomePage(title="首页", slug="portal-home"))
    Site.objects.filter(is_default_site=True).update(root_page=home)
    index = home.add_child(instance=NoticeIndexPage(title="通知公告", slug="notices"))
    return {
        "ministry": NoticePageFactory(
            parent=index, title="工业和信息化部关于梯度培育的通知", level="ministry"
        ),
        "gd": NoticePageFactory(
            parent=index, title="广东省关于创新型中小企业评价的通知", level="provincial", province="440000"
        ),
        "zj": NoticePageFactory(
            parent=index, title="浙江省关于专精特新认定的通知", level="provincial", province="330000"
        ),
    }


@pytest.mark.parametrize(("url", "active"), CENTRE_PAGES.items())
def test_every_centre_page_has_the_side_navigation_with_its_item_active(
    client, owner, enterprise, url, active
):
    client.force_login(owner)
    response = client.get(url)
    assert response.status_code == 200
    nav = response.context["centre_nav"]
    assert [entry.key for entry in nav] == [item.key for item in centre.CENTRE_NAV]
    assert [entry.key for entry in nav if entry.active] == [active]
    assert f'aria-current="page" data-centre-nav="{active}"' in response.content.decode()


def test_every_centre_feature_is_built_and_renewals_answer_inside_the_frame(client, owner, enterprise):
    assert centre.NOT_OPEN_FEATURES == {}  # 认证到期管理 (issue 13) was the last placeholder
    client.force_login(owner)
    body = client.get("/enterprise/renewals/").content.decode()
    assert 'data-testid="not-open"' not in body and 'id="centre-nav-title"' in body
    assert 'aria-current="page" data-centre-nav="renewals"' in body


def test_filing_refusal_page_has_the_side_navigation_with_filings_active(client, owner, enterprise):
    client.force_login(owner)
    response = client.get("/enterprise/filings/apply/specialized/")  # no 申报时间: refused in the frame
    assert response.status_code == 403
    assert [entry.key for entry in response.context["centre_nav"] if entry.active] == ["filings"]
    assert 'aria-current="page" data-centre-nav="filings"' in response.content.decode()


@pytest.mark.parametrize("url", [*CENTRE_PAGES, "/enterprise/filings/apply/specialized/"])
def test_anonymous_visitor_is_sent_to_login_and_back(client, url):
    response = client.get(url)
    assert response.status_code == 302 and response["Location"] == f"/accounts/login/?next={url}"


def test_anonymous_visitor_of_an_old_filing_entry_is_sent_to_login_and_back_to_apply(client):
    response = client.get("/enterprise/filings/specialized/", follow=True)
    assert response.redirect_chain[-1][0] == "/accounts/login/?next=/enterprise/filings/apply/specialized/"


def test_login_lands_on_the_centre_home(client, owner):
    client.force_login(owner)
    response = client.get("/accounts/login/")  # a signed-in visitor is sent where login lands
    assert response.status_code == 302 and response["Location"] == "/enterprise/home/"


def test_home_shows_the_latest_notices_of_the_enterprises_province_and_the_ministry(
    client, owner, enterprise, regions, notices
):
    Enterprise.objects.filter(pk=enterprise.pk).update(region=regions["440305"])
    client.force_login(owner)
    body = client.get("/enterprise/home/").content.decode()
    assert notices["ministry"].title in body and notices["gd"].title in body
    assert notices["zj"].title not in body
    assert "广东省省级公告" in body and "/notices/?level=provincial&amp;province=440000" in body


def test_home_without_a_region_takes_the_province_from_the_uscc(client, owner, enterprise, notices):
    """The one province rule (enterprise_province_code): 注册地 when filled in, else the
    registration authority's division in the USCC (the factory's 91440305… is 广东)."""
    client.force_login(owner)
    body = client.get("/enterprise/home/").content.decode()
    assert notices["ministry"].title in body and notices["gd"].title in body
    assert notices["zj"].title not in body


def test_home_links_the_self_test_from_the_innovation_filing_entry(
    client, owner, enterprise, regions, industries
):
    from portal.accounts.models import Account
    from tests.factories.filings import FilingWindowFactory, filing_forms

    filing_forms("innovative")
    FilingWindowFactory(level="innovative", province=regions["440000"])
    Account.objects.create(user=owner, phone="13900009999", user_type="legal", verification_status="verified")
    profile = CompleteEnterpriseFactory.build(region=regions["440305"], industry=industries["39"])
    Enterprise.objects.filter(pk=enterprise.pk).update(
        **{name: getattr(profile, name) for name in PROFILE_FIELDS}
    )
    client.force_login(owner)
    body = client.get("/enterprise/home/").content.decode()
    assert 'href="/enterprise/filings/apply/innovative/"' in body and 'href="/assessment/"' in body
    response = client.get("/enterprise/filings/apply/innovative/")
    assert response.status_code == 302 and response["Location"].endswith("/fill/")
    assert client.get(response["Location"]).context["submission"].version.definition.key == (
        "innovation_self_test"
    )


def test_home_query_count_does_not_grow_with_notices(
    client, owner, enterprise, regions, notices, django_assert_max_num_queries
):
    Enterprise.objects.filter(pk=enterprise.pk).update(region=regions["440305"])
    client.force_login(owner)
    client.get("/enterprise/home/")
    # 12 for the frame and the notices; 7 more for the 企业申报 module (the enterprise's filings and
    # the 申报时间 state of each of the three levels), whatever the number of notices
    with django_assert_max_num_queries(19):
        client.get("/enterprise/home/")


def test_a_registered_badge_shows_its_count_on_its_item(client, owner, enterprise, monkeypatch):
    monkeypatch.setattr(centre, "_BADGES", {})
    centre.register_badge("messages", lambda e: 3 if e.pk == enterprise.pk else 0)
    client.force_login(owner)
    body = client.get("/enterprise/home/").content.decode()
    assert '3<span class="visually-hidden">条未读</span>' in body


def test_register_badge_refuses_an_unknown_item():
    with pytest.raises(KeyError):
        centre.register_badge("inbox", lambda e: 1)


def test_user_menu_links_the_centre(client, owner, enterprise):
    client.force_login(owner)
    body = client.get("/enterprise/").content.decode()
    menu = body[body.index('class="dropdown-menu') :]
    for url in (
        "/enterprise/home/",
        "/enterprise/messages/",
        "/enterprise/filings/",
        "/enterprise/changes/",
        "/enterprise/renewals/",
        "/assessment/",
    ):
        assert f'href="{url}"' in menu


def test_footer_and_centre_link_the_help_pages(client, owner, enterprise):
    client.force_login(owner)
    body = client.get("/enterprise/home/").content.decode()
    nav = body[
        body.index('id="centre-nav-links"') : body.index("</nav>", body.index('id="centre-nav-links"'))
    ]
    footer = body[body.index("<footer") :]
    for html in (nav, footer):
        assert 'href="/help/"' in html and 'href="/help/filing-guide/"' in html
