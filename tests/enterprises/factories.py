"""factory_boy factories for enterprise tests (valid USCC and ID check characters)."""

from __future__ import annotations

import datetime as dt

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


def _reference_rows():
    from portal.reference.models import Industry, Region

    gd, _ = Region.objects.get_or_create(code="440000", defaults={"name": "广东省", "level": "province"})
    sz, _ = Region.objects.get_or_create(
        code="440300", defaults={"name": "深圳市", "level": "prefecture", "parent": gd}
    )
    ns, _ = Region.objects.get_or_create(
        code="440305", defaults={"name": "南山区", "level": "county", "parent": sz}
    )
    section, _ = Industry.objects.get_or_create(
        code="C", defaults={"name": "制造业", "level": "section", "questionnaire_category": "manufacturing"}
    )
    division, _ = Industry.objects.get_or_create(
        code="39",
        defaults={
            "name": "计算机、通信和其他电子设备制造业",
            "level": "division",
            "parent": section,
            "questionnaire_category": "manufacturing",
        },
    )
    return ns, division


class CompleteEnterpriseFactory(EnterpriseFactory):
    """An enterprise whose profile is complete (what the filing flows require, F-31)."""

    region = factory.LazyFunction(lambda: _reference_rows()[0])
    industry = factory.LazyFunction(lambda: _reference_rows()[1])
    established_on = dt.date(2015, 6, 1)
    registered_capital = 1200
    size_class = "small"
    employees = 120
    contact_name = "李四"
    contact_phone = "13812345678"
    contact_email = "li@example.cn"
    address = "深圳市南山区科技园1号"
    main_products = "工业传感器"
