"""A fully seeded portal (reference data, forms, demo content and enterprises, one pending request
of each staff queue) and a superuser with a province, shared by the tests of a module."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import transaction


@pytest.fixture(scope="module")
def seeded_portal(django_db_setup, django_db_blocker):
    from django.contrib.auth import get_user_model

    from portal.accounts.models import PhoneChangeRequest, RealNameVerification
    from portal.reference.models import Region
    from portal.review.models import ReviewerScope
    from tests.accounts.factories import UserFactory

    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            call_command("bootstrap_portal", verbosity=0)
            admin = get_user_model().objects.get(username="admin")
            ReviewerScope.objects.create(
                user=admin, level="province", region=Region.objects.get(code="440000")
            )
            applicant = UserFactory(username="qiye_admin_walk")
            RealNameVerification.objects.create(
                user=applicant,
                user_type="legal",
                method="manual",
                enterprise_name="深圳市人工认证测试有限公司",
                uscc="91440300MA5D8AAA1X",
                name="张三",
                id_number="440305198001010013",
                province_code="440000",
            )
            PhoneChangeRequest.objects.create(
                user=applicant,
                method="manual",
                old_phone="13900000101",
                new_phone="13900000199",
                name="张三",
                id_number="440305198001010013",
                province_code="440000",
            )
            yield admin
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
