"""Browser tests: Playwright for Python driving Debian's Chromium (never a downloaded browser).

A browser test is never skipped: if Chromium is missing the test errors, so CI cannot pass
without having exercised the browser. Set CHROMIUM_PATH to use another binary.
"""

from __future__ import annotations

import os
import shutil

import pytest

# Playwright's sync API runs an event loop in this thread; the ORM calls made by test set-up
# in the same thread are safe here because nothing else runs concurrently on them.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def chromium_path() -> str:
    path = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        raise RuntimeError(
            "Chromium not found: install Debian's 'chromium' package (apt-get install chromium) "
            "or set CHROMIUM_PATH. Browser tests are never skipped."
        )
    return path


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(autouse=True)
def _fresh_content_types():
    """Transactional tests flush the database and content types come back with new ids; drop
    Django's in-process ContentType cache so pages and documents don't point at stale ones."""
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()
    yield
    ContentType.objects.clear_cache()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture(autouse=True)
def axe_on_every_page(request):
    """Every context a browser test opens (``page``, ``new_context`` or its own) runs axe-core on
    each public and enterprise page; serious or critical violations fail the test (tests/e2e/axe.py)."""
    from tests.e2e.axe import AxeRecorder

    recorder = AxeRecorder()
    browser = request.getfixturevalue("browser")
    original = browser.new_context

    def new_context(*args, **kwargs):
        context = original(*args, **kwargs)
        recorder.attach(context)
        return context

    browser.new_context = new_context
    yield recorder
    browser.new_context = original
    if recorder.violations:
        pytest.fail("axe-core found serious or critical accessibility violations:\n" + recorder.report())


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(
        locale="zh-CN", base_url=live_server.url, viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def new_context(browser, live_server):
    """Factory for extra contexts (another device / a fresh login session)."""
    contexts = []

    def make():
        context = browser.new_context(locale="zh-CN", base_url=live_server.url)
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()
