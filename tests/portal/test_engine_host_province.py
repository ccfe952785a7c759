"""Issue 9 item 8: the province of an engine submission follows the one rule
(``enterprise_province_code``: 注册地, else the USCC's registration authority)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from portal.core.engine_host import submission_province
from tests.enterprises.factories import EnterpriseFactory
from tests.factories.identity import make_uscc

pytestmark = pytest.mark.django_db


def test_a_submission_without_a_stored_province_takes_the_enterprise_one():
    enterprise = EnterpriseFactory(uscc=make_uscc("MA5D8XX81", region="330106"))  # no 注册地 yet
    submission = SimpleNamespace(context={}, owner=enterprise.owner)
    assert submission_province(submission) == "330000"


def test_a_stored_province_wins_and_an_owner_without_enterprise_has_none():
    enterprise = EnterpriseFactory(uscc=make_uscc("MA5D8XX82", region="330106"))
    assert (
        submission_province(SimpleNamespace(context={"province": "440000"}, owner=enterprise.owner))
        == "440000"
    )
    from tests.enterprises.factories import UserFactory

    assert submission_province(SimpleNamespace(context={}, owner=UserFactory())) == ""
