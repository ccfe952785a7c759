"""Every page outside the admin is Chinese, whatever language the browser asks for."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("accept", ["en-US,en;q=0.9", "en", "fr-FR,fr;q=0.8,en;q=0.5"])
def test_a_browser_asking_for_english_gets_chinese_messages(accept):
    client = Client(HTTP_ACCEPT_LANGUAGE=accept)
    response = client.post("/accounts/register/", {})
    body = response.content.decode()
    assert response["Content-Language"] == "zh-hans"
    assert "This field is required." not in body
    assert "必需字段" in body  # Django's "This field is required.", in Chinese
