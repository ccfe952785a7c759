"""Fixtures of the lifecycle tests: certificates per test (regions and reviewers are the root
conftest's)."""

from __future__ import annotations

from tests.factories import recognition as factories
from tests.recognition.conftest import certificate_root  # noqa: F401  (autouse: certificates per test)


def verified_enterprise(region, **extra):
    """An enterprise with a complete profile whose owner is a verified 法人 account (may file)."""
    from tests.factories.accounts import VerifiedLegalAccountFactory

    enterprise = factories.enterprise(region=region, **{**factories.complete_profile(), **extra})
    VerifiedLegalAccountFactory(user=enterprise.owner, uscc=enterprise.uscc, real_name="张三")
    return enterprise
