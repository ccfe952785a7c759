"""factory_boy factories for enterprise tests (valid USCC and ID check characters)."""

from __future__ import annotations

import factory
from django.contrib.auth import get_user_model

from portal.core.identity import id_check_character, uscc_check_character
from portal.enterprises.models import Enterprise


def make_uscc(serial: int) -> str:
    first17 = f"91440305MA{serial:07d}"
    return first17 + uscc_check_character(first17)


def make_id_number(serial: int) -> str:
    first17 = f"44030519800101{serial % 1000:03d}"
    return first17 + id_check_character(first17)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"qiye{n:03d}")
    password = factory.django.Password("Qiye-Pass-2026")


class EnterpriseFactory(factory.django.DjangoModelFactory):
    """A verified enterprise with an empty profile (as right after 实名认证)."""

    class Meta:
        model = Enterprise

    owner = factory.SubFactory(UserFactory)
    name = factory.Sequence(lambda n: f"测试企业{n}有限公司")
    uscc = factory.Sequence(make_uscc)
    legal_representative = "张三"
    legal_representative_id = factory.Sequence(make_id_number)
    is_recognised = False
