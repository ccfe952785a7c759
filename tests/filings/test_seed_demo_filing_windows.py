"""``manage.py seed_demo_filing_windows`` (called by bootstrap_portal): open demo 申报时间 for the
demo enterprises' provinces, every level, idempotent."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from portal.filings.models import FilingLevel, FilingWindow
from portal.filings.selectors import window_state
from tests.factories.filings import province

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_provinces():
    for code, name in (
        ("440000", "广东省"),
        ("330000", "浙江省"),
        ("510000", "四川省"),
        ("110000", "北京市"),
    ):
        province(code, name)


def test_seed_opens_every_level_in_every_demo_province(demo_provinces):
    call_command("seed_demo_filing_windows", verbosity=0)
    for code in ("440000", "330000", "510000", "110000"):
        for level in FilingLevel:
            assert window_state(level, code).code == "open", (code, level)


def test_seed_twice_creates_nothing_more(demo_provinces):
    call_command("seed_demo_filing_windows", verbosity=0)
    call_command("seed_demo_filing_windows", verbosity=0)
    assert FilingWindow.objects.count() == 4 * len(FilingLevel)


def test_seed_skips_a_province_the_reference_data_lacks():
    province("440000", "广东省")
    call_command("seed_demo_filing_windows", verbosity=0)
    assert set(FilingWindow.objects.values_list("province__code", flat=True)) == {"440000"}


def test_seed_marks_its_windows_as_demo_data(demo_provinces):
    call_command("seed_demo_filing_windows", verbosity=0)
    assert all("演示数据" in note for note in FilingWindow.objects.values_list("note", flat=True))
