"""No URL of the project logs anyone in on a password alone (issue 8, item 2).

Every pattern of the URLconf (the permission matrix's walk and arguments) is POSTed the
credentials of an enterprise account — by 登录名 and by USCC — and of a staff member, as a
login form would send them; afterwards there must be no session. The two real logins are
covered by their own tests: they need the SMS code as well.
"""

from __future__ import annotations

import pytest

from tests.security.matrix import build_url, patterns
from tests.security.test_permission_matrix import DEFAULT_KWARGS, MATRIX

pytestmark = pytest.mark.django_db
PASSWORD = "Matrix-Pass-2026"


def test_no_url_gives_a_session_for_a_password_alone(client, world):
    enterprise = world.users["enterprise_b"]
    credentials = [
        {"username": enterprise.username, "password": PASSWORD},
        {"username": enterprise.account.uscc, "password": PASSWORD},
        {"username": world.users["superuser"].username, "password": PASSWORD},
        # the field names of other login forms (Django's, Wagtail's, allauth-style)
        {"login": enterprise.username, "password": PASSWORD},
        {"email": "root@example.com", "password": PASSWORD},
    ]
    opened = []
    for key, pattern in sorted(patterns().items()):
        url = build_url(pattern, MATRIX[key], world, DEFAULT_KWARGS)
        for data in credentials:
            client.logout()
            client.post(
                url, {**data, "next": "/", "action": "login", "captcha_0": "x", "captcha_1": "PASSED"}
            )
            if "_auth_user_id" in client.session:
                opened.append(f"{key} ({url}) with {sorted(data)}")
    assert not opened, "password-only sessions from: " + ", ".join(opened)
