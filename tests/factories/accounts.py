"""Logins and accounts: the one ``UserFactory`` of the test suite."""

from __future__ import annotations

import itertools

import factory
from django.contrib.auth import get_user_model

from portal.accounts.models import Account
from tests.factories.identity import make_uscc

PASSWORD = "Qiye-Pass-2026"
_phones = itertools.count(13800000000)


class UserFactory(factory.django.DjangoModelFactory):
    """A login (password :data:`PASSWORD`); an existing username is reused."""

    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"qiye{n:03d}")
    password = factory.django.Password(PASSWORD)


class AccountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Account

    user = factory.SubFactory(UserFactory)
    phone = factory.LazyFunction(lambda: str(next(_phones)))


class VerifiedLegalAccountFactory(AccountFactory):
    user_type = "legal"
    verification_status = "verified"
    real_name = "张三"
    uscc = factory.Sequence(lambda n: make_uscc(serial=f"MA5D8{n:04d}"))
