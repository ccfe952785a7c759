"""What several browser tests do: find a field by its visible label, upload a licence image, sign
in to the admin as a person would, give a page an enterprise's session, restore Wagtail's tree root.

The admin's login asks for 登录名 and 图形验证码 (``PASSED`` in test mode), then 【获取短信验证码】
sends a code to the staff member's bound phone; the test reads it from the SMS backend (locmem:
``portal.accounts.sms.outbox``, shared with the live server's thread), then types 密码 and
短信验证码.
"""

from __future__ import annotations

import io
import re

from django.contrib.auth import get_user_model
from django.test import Client
from playwright.sync_api import expect


def field(page, label: str):
    """The control labelled ``label`` (a required field's label ends in *)."""
    return page.get_by_label(re.compile(rf"^\s*{re.escape(label)}\s*\*?\s*$"))


def licence_png() -> dict:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (60, 40), "white").save(buffer, format="PNG")
    return {"name": "营业执照.png", "mimeType": "image/png", "buffer": buffer.getvalue()}


def bind_staff_phone(user, phone: str) -> None:
    """Give a staff user the phone the admin login texts (as 账号审核 → 工作人员手机号 does)."""
    from portal.accounts.models import Account

    Account.objects.update_or_create(user=user, defaults={"phone": phone})


def latest_sms_code(phone: str) -> str:
    from portal.accounts import sms

    for message in reversed(sms.outbox):
        if message.phone == phone:
            return re.search(r"验证码为 (\d{6})", message.text).group(1)
    raise AssertionError(f"no SMS code sent to {phone}")


def admin_login(page, username: str, password: str, phone: str) -> None:
    page.goto("/admin/login/")
    expect(page.get_by_role("heading", name="工作人员登录")).to_be_visible()
    page.get_by_label(re.compile(r"^\s*登录名")).fill(username)
    page.get_by_label(re.compile(r"^\s*图形验证码")).fill("PASSED")
    page.get_by_role("button", name="获取短信验证码").click()
    expect(page.get_by_text("短信验证码已发送")).to_be_visible()
    page.get_by_label(re.compile(r"^\s*密码")).fill(password)
    page.get_by_label(re.compile(r"^\s*短信验证码")).fill(latest_sms_code(phone))
    page.get_by_role("button", name="登录", exact=True).click()
    expect(page).to_have_url(re.compile(r"/admin/$"))


def sign_in(page, live_server, username: str) -> None:
    """Give the page a session of ``username`` (the login form's factors have their own tests)."""
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def tree_root():
    """Wagtail's tree root (and root collection), re-created when a transactional test flushed the
    rows its migrations made."""
    from wagtail.models import Collection, Locale, Page

    root = Page.get_first_root_node()
    if root is None:
        locale, _ = Locale.objects.get_or_create(language_code="zh-hans")
        root = Page.add_root(instance=Page(title="Root", slug="root", locale=locale))
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")
    return root
