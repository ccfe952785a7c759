"""Enterprises: verified, with an empty or a complete profile (valid USCC and ID check characters)."""

from __future__ import annotations

import datetime as dt

import factory

from portal.enterprises.models import Enterprise
from tests.factories.accounts import UserFactory
from tests.factories.identity import make_id_number, make_uscc


class EnterpriseFactory(factory.django.DjangoModelFactory):
    """A verified enterprise with an empty profile (as right after 实名认证)."""

    class Meta:
        model = Enterprise

    owner = factory.SubFactory(UserFactory)
    name = factory.Sequence(lambda n: f"测试企业{n}有限公司")
    uscc = factory.Sequence(lambda n: make_uscc(n, region="440305"))
    legal_representative = "张三"
    legal_representative_id = factory.Sequence(lambda n: make_id_number(n, birth="19800101"))
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
