"""axe-core on the public site and the enterprise centre, desktop and phone (issue 9.19). The
autouse fixture of tests/e2e/conftest.py fails a test on any serious or critical violation; here
every page is opened on purpose, and the harness itself is shown to catch a violation."""

from __future__ import annotations

import json

import pytest
from django.conf import settings
from django.core.management import call_command

from tests.e2e.helpers import sign_in, tree_root
from tests.factories.filings import nationwide_requirements

pytestmark = pytest.mark.django_db(transaction=True)

PUBLIC = [
    "/",
    "/notices/",
    "/notices/?level=provincial&province=440000",
    "/notices/?q=专精特新",
    "/notices/?date_from=2026-12-01&date_to=2026-01-01",
    "NOTICE",
    "/faq/",
    "/help/",
    "/help/filing-guide/",
    "/query/",
    "/accounts/login/",
    "/accounts/register/",
    "/accounts/recover/",
    "/accounts/phone-change/",
    "/no-such-page/",
]
ENTERPRISE = [
    "/enterprise/home/",
    "/enterprise/",
    "/enterprise/edit/",
    "/enterprise/history/",
    "/enterprise/messages/",
    "/enterprise/filings/",
    "/enterprise/changes/",
    "/enterprise/renewals/",
    "/assessment/",
    "/enterprise/filings/apply/innovative/",
    "FILING",
]


@pytest.fixture
def demo(transactional_db):
    from forms_engine.services import import_definition_document
    from portal.enterprises.models import ProfileUpdateWindow

    tree_root()
    call_command("load_reference_data", verbosity=0)
    call_command("seed_demo_content", verbosity=0)
    call_command("seed_demo_enterprises", verbosity=0)
    path = settings.BASE_DIR / "fixtures" / "forms" / "innovation_self_test.json"
    import_definition_document(document=json.loads(path.read_text(encoding="utf-8")))
    call_command("seed_demo_filing_windows", verbosity=0)
    nationwide_requirements()  # flushed by the transactional tests before this one
    window = ProfileUpdateWindow.load()
    window.start_month, window.start_day, window.end_month, window.end_day = 1, 1, 12, 31
    window.save()


def visit_all(page, urls, recorder):
    """Open every URL (NOTICE: the newest notice; FILING: the confirmation page and the details of
    the signed-in enterprise's filing, started by the 【申请】 URL before it)."""
    from cms.models import NoticePage
    from portal.filings.models import Filing

    notice = NoticePage.objects.live().order_by("-publish_date").first().url
    visited = []
    for url in urls:
        if url == "FILING":
            filing = Filing.objects.order_by("-pk").first()
            targets = [f"/enterprise/filings/{filing.pk}/submit/", f"/enterprise/filings/{filing.pk}/"]
        else:
            targets = [notice if url == "NOTICE" else url]
        for target in targets:
            page.goto(target)
            page.evaluate("() => window.__portalAxeDone")
            visited.append(target)
    checked = {url.split("?")[0] for url in recorder.checked}
    missing = [
        url
        for url in visited
        if url.split("?")[0] not in checked and not url.startswith("/enterprise/filings/apply/")
    ]  # 【申请】 redirects to the filing's form
    assert not missing, missing


@pytest.mark.parametrize(
    "viewport", [{"width": 1280, "height": 900}, {"width": 390, "height": 844}], ids=["desktop", "phone"]
)
def test_public_and_enterprise_pages_have_no_serious_violations(
    browser, live_server, demo, axe_on_every_page, viewport
):
    context = browser.new_context(
        locale="zh-CN", base_url=live_server.url, viewport=viewport, is_mobile=viewport["width"] < 500
    )
    try:
        page = context.new_page()
        visit_all(page, PUBLIC, axe_on_every_page)
        sign_in(page, live_server, "qiye_demo_sz")
        visit_all(page, ENTERPRISE, axe_on_every_page)
        assert any(url.endswith("/fill/") for url in axe_on_every_page.checked)  # the wizard on the filing
    finally:
        context.close()


def test_the_harness_catches_a_violation(page, live_server, axe_on_every_page):
    page.route(
        f"{live_server.url}/axe-self-test/",
        lambda route: route.fulfill(
            content_type="text/html",
            body='<!doctype html><html lang="zh-CN"><title>t</title><main>'
            '<img src="/favicon.ico"></main></html>',
        ),
    )
    page.goto("/axe-self-test/")
    page.evaluate("() => window.__portalAxeDone")
    found = axe_on_every_page.violations.pop("/axe-self-test/")  # expected here, so not a failure
    assert any(violation["rule"] == "image-alt" for violation in found)
