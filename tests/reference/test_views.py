"""The JSON children endpoint of the region picker."""

import pytest

pytestmark = pytest.mark.urls("tests.reference.urls")
URL = "/reference/regions/children/"


def test_without_parent_returns_the_provinces(client):
    response = client.get(URL)
    assert response.status_code == 200
    items = response.json()["items"]
    assert len(items) == 31 and items[0] == {
        "code": "110000", "name": "北京市", "level": "province", "has_children": True
    }  # fmt: skip


def test_returns_the_children_of_a_parent(client):
    items = client.get(URL, {"parent": "110000"}).json()["items"]
    assert [item["code"] for item in items] == ["110100"]
    counties = client.get(URL, {"parent": "110100"}).json()["items"]
    assert len(counties) == 16 and {item["level"] for item in counties} == {"county"}


def test_county_has_no_children(client):
    response = client.get(URL, {"parent": "110101"})
    assert response.status_code == 200 and response.json()["items"] == []


@pytest.mark.parametrize("parent", ["11", "abcdef", "1100000", "11000x"])
def test_malformed_code_is_400(client, parent):
    assert client.get(URL, {"parent": parent}).status_code == 400


def test_unknown_code_is_404(client):
    assert client.get(URL, {"parent": "999999"}).status_code == 404


def test_response_is_cacheable(client):
    assert "max-age=3600" in client.get(URL)["Cache-Control"]
