"""The 2022 小巨人 standard (63号 附件3) shipped as data for the 2026 复核 (117号): it parses, it is
marked provisional with every unconfirmed item named, and its six conditions decide as written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from forms_engine.schema.parser import parse_schema
from forms_engine.scoring import score
from portal.lifecycle.models import DEFAULT_RENEWAL_FORMS

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "forms" / "little_giant_review_2022.json"

GOOD = {
    "enterprise_name": "复核测试有限公司",
    "uscc": "91440300MA5D8A0001",
    "main_product": "精密减速器",
    "is_specialized": True,
    "niche_years": "3",
    "revenue": "12000",
    "revenue_prev": "11000",
    "main_revenue": "8400",  # 70 %
    "main_revenue_prev": "8000",
    "main_revenue_prev2": "7600",
    "info_system": True,
    "mgmt_certified": True,
    "total_assets": "10000",
    "total_liabilities": "7000",  # 70 %
    "market_share": "10",
    "own_brand": True,
    "rd_spend": "360",  # 3 %
    "rd_spend_prev": "330",
    "equity_financing_2y": "0",
    "employees": "300",
    "rd_staff": "60",
    "rd_institution": True,
    "ip_class1_count": "2",
    "national_award_top3": False,
    "maker_china_top50": False,
    "key_chain_link": True,
    "main_product_field": "six_foundations",
    "pledge_truthful": True,
}


def document() -> dict:
    return json.loads(FIXTURE.read_text(encoding="utf-8"))


def schema():
    return parse_schema(document()["versions"][-1]["schema"])


def outcome(answers):
    parsed = schema()
    result = score(parsed, answers)
    return result.outcome.qualified, {c.key: c.met for c in result.conditions}


def test_it_is_the_default_little_giant_renewal_form_and_not_self_service():
    doc = document()
    assert DEFAULT_RENEWAL_FORMS["little_giant"] == doc["definition"]["key"] == "little_giant_review_2022"
    assert doc["definition"]["self_service"] is False and doc["definition"]["category"] == "filing"
    assert "63号" in doc["versions"][-1]["policy_basis"] and "117号" in doc["versions"][-1]["policy_basis"]


def test_every_unconfirmed_item_is_flagged_in_the_data():
    parsed = schema()
    assert parsed.provisional  # the designer and the version list show 暂行
    parts = set(parsed.metadata["provisional_parts"])
    marked = {f.key for f in parsed.fields if "【未确认】" in (f.label + (getattr(f, "help", "") or ""))}
    assert marked and marked <= parts
    conditions = {
        c["key"]: c for c in document()["versions"][-1]["schema"]["scoring"]["outcome"]["conditions"]
    }
    assert {"supply_chain", "product_field"} <= parts
    assert all("【未确认】" in conditions[key]["label"] for key in ("supply_chain", "product_field"))
    assert sum("【未确认】" in note for note in parsed.metadata["notes"]) >= 4


def test_boundaries_qualify_and_each_aspect_can_fail():
    qualified, met = outcome(GOOD)
    assert qualified, met
    for change, aspect in (
        ({"main_revenue": "8399"}, "specialisation"),
        ({"total_liabilities": "7001"}, "refinement"),
        ({"market_share": "9.9"}, "distinctiveness"),
        ({"ip_class1_count": "1"}, "innovation"),
        ({"key_chain_link": False}, "supply_chain"),
        ({"main_product_field": "other"}, "product_field"),
    ):
        qualified, met = outcome({**GOOD, **change})
        assert not qualified and not met[aspect], (change, met)


@pytest.mark.parametrize(
    "change",
    [
        {
            "revenue": "8000",
            "revenue_prev": "7500",
            "main_revenue": "6000",
            "rd_spend": "480",
            "rd_spend_prev": "450",
        },
        {
            "revenue": "4000",
            "revenue_prev": "3500",
            "main_revenue": "3000",
            "main_revenue_prev": "2800",
            "main_revenue_prev2": "2600",
            "equity_financing_2y": "8000",
            "rd_spend": "1600",
            "rd_spend_prev": "1400",
            "rd_staff": "150",
        },
    ],
)
def test_the_rd_rule_follows_the_revenue_band(change):
    qualified, met = outcome({**GOOD, **change})
    assert met["innovation"], met
