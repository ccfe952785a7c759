"""The region and industry fields the form engine gets through its lookup registry."""

import pytest
from django import forms

from forms_engine.lookups import lookups


def _region_form(**field_kwargs):
    return type("RegionForm", (forms.Form,), {"region": lookups.get("region").formfield(**field_kwargs)})


def _data(*codes):
    return {f"region_{index}": code for index, code in enumerate(codes)}


def test_lookups_are_registered():
    assert "region" in lookups and "industry" in lookups


def test_region_field_accepts_a_county():
    form = _region_form()(data=_data("130000", "130100", "130102"))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["region"] == "130102"


def test_region_field_refuses_a_province_naming_the_problem():
    form = _region_form()(data=_data("130000"))
    assert not form.is_valid()
    assert form.errors.as_data()["region"][0].code == "too_coarse"
    assert form.errors["region"] == ["请选择到区县一级：“河北省”是省级，不是区县。"]


def test_region_field_refuses_an_unknown_code():
    form = _region_form()(data=_data("990000"))
    assert not form.is_valid()
    assert form.errors.as_data()["region"][0].code == "unknown"
    assert "990000" in form.errors["region"][0]


def test_region_field_accepts_a_prefecture_when_min_level_allows():
    form = _region_form(min_level="prefecture")(data=_data("130000", "130100"))
    assert form.is_valid(), form.errors


def test_region_field_accepts_a_city_without_counties():
    form = _region_form()(data=_data("440000", "441900"))
    assert form.is_valid(), form.errors


def test_region_field_ignores_a_stale_lower_choice():
    # province changed without JavaScript: the old city and county must not be taken
    form = _region_form()(data=_data("110000", "130100", "130102"))
    assert not form.is_valid()
    assert form.errors.as_data()["region"][0].code == "too_coarse"


def test_region_field_required_message():
    form = _region_form()(data=_data())
    assert not form.is_valid() and form.errors.as_data()["region"][0].code == "required"


def test_region_widget_rerenders_the_chosen_path_without_javascript():
    form = _region_form()(data=_data("130000", "130100"))
    form.is_valid()
    html = str(form["region"])
    assert '<option value="130100" selected>石家庄市</option>' in html
    assert '<option value="130102">长安区</option>' in html  # county list rendered server-side
    assert 'name="region_2"' in html


def test_region_widget_renders_initial_value():
    form = _region_form()(initial={"region": "110101"})
    html = str(form["region"])
    assert '<option value="110000" selected>北京市</option>' in html
    assert '<option value="110101" selected>东城区</option>' in html


def test_region_widget_carries_its_script():
    assert "reference/js/region-picker.js" in str(_region_form()().media)


@pytest.mark.urls("tests.reference.urls")
def test_region_widget_points_at_the_children_endpoint():
    assert 'data-children-url="/reference/regions/children/"' in str(_region_form()()["region"])


def test_region_lookup_validates_and_labels():
    lookup = lookups.get("region")
    assert lookup.is_valid("110101") and not lookup.is_valid("999999")
    assert lookup.label("110101") == "北京市 东城区"
    assert lookup.label("999999") == "999999"


def test_industry_field_is_grouped_by_section():
    field = lookups.get("industry").formfield(required=True)
    groups = dict(field.choices)
    assert ("39", "39 计算机、通信和其他电子设备制造业") in groups["C 制造业"]
    assert len([label for label, options in field.choices if isinstance(options, list)]) == 20


def test_industry_field_validates():
    form_class = type("IndustryForm", (forms.Form,), {"industry": lookups.get("industry").formfield()})
    assert form_class(data={"industry": "65"}).is_valid()
    assert not form_class(data={"industry": "C"}).is_valid()
    assert not form_class(data={"industry": "98"}).is_valid()


def test_industry_lookup_validates_and_labels():
    lookup = lookups.get("industry")
    assert lookup.is_valid("65") and not lookup.is_valid("98")
    assert lookup.label("65") == "65 软件和信息技术服务业"


def test_region_selects_are_not_browser_required():
    assert " required" not in str(_region_form()()["region"])
