"""Fixtures: the few regions and industries the tests need, users and enterprises."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from portal.reference.models import Industry, Region

from .factories import EnterpriseFactory, UserFactory


@pytest.fixture
def regions(db) -> dict[str, Region]:
    def add(code, name, level, parent=None):
        return Region.objects.create(code=code, name=name, level=level, parent=parent)

    gd = add("440000", "广东省", Region.Level.PROVINCE)
    sz = add("440300", "深圳市", Region.Level.PREFECTURE, gd)
    ns = add("440305", "南山区", Region.Level.COUNTY, sz)
    ft = add("440304", "福田区", Region.Level.COUNTY, sz)
    zj = add("330000", "浙江省", Region.Level.PROVINCE)
    hz = add("330100", "杭州市", Region.Level.PREFECTURE, zj)
    xh = add("330106", "西湖区", Region.Level.COUNTY, hz)
    return {"440000": gd, "440300": sz, "440305": ns, "440304": ft, "330000": zj, "330100": hz, "330106": xh}


@pytest.fixture
def industries(db) -> dict[str, Industry]:
    cat = Industry.QuestionnaireCategory
    c = Industry.objects.create(
        code="C", name="制造业", level="section", questionnaire_category=cat.MANUFACTURING
    )
    i = Industry.objects.create(
        code="I",
        name="信息传输、软件和信息技术服务业",
        level="section",
        questionnaire_category=cat.PRODUCER_SERVICES,
    )
    h = Industry.objects.create(
        code="H", name="住宿和餐饮业", level="section", questionnaire_category=cat.OTHER
    )
    return {
        "C": c,
        "I": i,
        "H": h,
        "39": Industry.objects.create(
            code="39",
            name="计算机、通信和其他电子设备制造业",
            level="division",
            parent=c,
            questionnaire_category=cat.MANUFACTURING,
        ),
        "65": Industry.objects.create(
            code="65",
            name="软件和信息技术服务业",
            level="division",
            parent=i,
            questionnaire_category=cat.PRODUCER_SERVICES,
        ),
        "62": Industry.objects.create(
            code="62", name="餐饮业", level="division", parent=h, questionnaire_category=cat.OTHER
        ),
    }


@pytest.fixture
def owner(db):
    return UserFactory(username="qiye_a")


@pytest.fixture
def other_owner(db):
    return UserFactory(username="qiye_b")


@pytest.fixture
def enterprise(owner):
    return EnterpriseFactory(owner=owner, name="深圳市甲科技有限公司")


@pytest.fixture
def other_enterprise(other_owner, regions, industries):
    return EnterpriseFactory(
        owner=other_owner,
        name="杭州市乙软件有限公司",
        region=regions["330106"],
        industry=industries["65"],
        contact_phone="13912345678",
        contact_name="乙联系人",
        address="乙地址",
        main_products="乙产品",
        established_on=dt.date(2015, 1, 1),
        registered_capital=Decimal("100"),
        size_class="small",
        employees=10,
        contact_email="b@example.cn",
    )


def profile_data(regions, industries, **overrides) -> dict:
    """A complete, valid set of editable profile values (service-level: instances and Python types)."""
    data = {
        "region": regions["440305"],
        "industry": industries["39"],
        "established_on": dt.date(2015, 6, 1),
        "registered_capital": Decimal("1200.5"),
        "size_class": "small",
        "employees": 120,
        "contact_name": "李四",
        "contact_phone": "13812345678",
        "contact_email": "li@example.cn",
        "address": "深圳市南山区科技园1号",
        "main_products": "工业传感器",
    }
    data.update(overrides)
    return data


def form_post(**overrides) -> dict:
    """The same values as the edit form posts them (region picker: three selects)."""
    data = {
        "region_0": "440000",
        "region_1": "440300",
        "region_2": "440305",
        "industry": "39",
        "established_on": "2015-06-01",
        "registered_capital": "1200.5",
        "size_class": "small",
        "employees": "120",
        "contact_name": "李四",
        "contact_phone": "13812345678",
        "contact_email": "li@example.cn",
        "address": "深圳市南山区科技园1号",
        "main_products": "工业传感器",
    }
    data.update(overrides)
    return data
