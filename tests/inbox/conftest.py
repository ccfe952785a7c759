"""Fixtures: an enterprise whose owner has a bound phone, another enterprise, an empty SMS outbox."""

from __future__ import annotations

import pytest

from portal.accounts import sms
from portal.accounts.models import Account
from tests.enterprises.factories import EnterpriseFactory, UserFactory

OWNER_PHONE = "13900000401"
OTHER_PHONE = "13900000402"


@pytest.fixture(autouse=True)
def _empty_outbox():
    sms.outbox.clear()
    yield
    sms.outbox.clear()


def legal_owner(username: str, phone: str):
    user = UserFactory(username=username)
    Account.objects.create(
        user=user, phone=phone, user_type="legal", verification_status="verified", real_name="张三"
    )
    return user


@pytest.fixture
def owner(db):
    return legal_owner("qiye_inbox", OWNER_PHONE)


@pytest.fixture
def enterprise(owner):
    return EnterpriseFactory(owner=owner, name="深圳市甲智能装备有限公司")


@pytest.fixture
def other_owner(db):
    return legal_owner("qiye_inbox_other", OTHER_PHONE)


@pytest.fixture
def other_enterprise(other_owner):
    return EnterpriseFactory(owner=other_owner, name="深圳市乙电子有限公司")
