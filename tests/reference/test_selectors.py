"""Cached reads of the reference trees."""

import pytest

from portal.reference.cache import get_reference_cache_version
from portal.reference.models import Industry
from portal.reference.selectors import (
    RegionNotFoundError,
    get_region_path,
    list_industry_choices,
    list_region_children,
)
from portal.reference.services import set_industry_category


def test_root_children_are_the_provinces():
    children = list_region_children(None)
    assert len(children) == 31 and children[0].code == "110000" and children[0].has_children


def test_children_of_a_prefecture():
    codes = [c.code for c in list_region_children("130100")]
    assert "130102" in codes and all(code.startswith("1301") for code in codes)


def test_children_of_an_unknown_code_raise():
    with pytest.raises(RegionNotFoundError):
        list_region_children("999999")


def test_children_are_served_from_cache(django_assert_num_queries):
    list_region_children("110000")
    with django_assert_num_queries(0):
        list_region_children("110000")


def test_region_path_goes_province_prefecture_county():
    assert [r.code for r in get_region_path("130102")] == ["130000", "130100", "130102"]


def test_industry_choices_are_grouped_by_section():
    choices = dict(list_industry_choices())
    assert len(choices) == 20
    assert ("13", "13 农副食品加工业") in choices["C 制造业"]


def test_staff_edit_bumps_the_cache_version():
    before = get_reference_cache_version()
    set_industry_category(industry=Industry.objects.get(code="13"), category="other")
    assert get_reference_cache_version() > before
