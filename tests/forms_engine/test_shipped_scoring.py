"""Scoring of the shipped definitions at every band boundary, against hand-computed values.

Pure tests: no database. Every expected number below is computed by hand from the policy tables
(shared/policy/standards.md §1.2, §2, §5, §6.2.1), never read from the fixtures. Boundary values
fall in the higher-points band (以上/以下含本数), as the fixtures' notes say.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from forms_engine.schema.parser import parse_schema
from forms_engine.scoring import score
from forms_engine.values import clean_answers

FORMS_DIR = Path(__file__).resolve().parents[2] / "fixtures" / "forms"


def load_schema(key: str, number: int):
    document = json.loads((FORMS_DIR / f"{key}.json").read_text(encoding="utf-8"))
    return parse_schema(next(v for v in document["versions"] if v["number"] == number)["schema"])


INNOVATION = load_schema("innovation_self_test", 1)
SPECIALIZED_V1 = load_schema("specialized_filing", 1)
SPECIALIZED_V2 = load_schema("specialized_filing", 2)
LITTLE_GIANT = load_schema("little_giant_filing", 1)
DIGITAL = load_schema("digital_manufacturing", 1)
DIGITAL_SERVICES = load_schema("digital_services", 1)
DIGITAL_OTHER = load_schema("digital_other", 1)


def item_points(schema, answers, key, context=None) -> Decimal:
    result = score(schema, answers, context=context)
    return next(i.points for i in result.items if i.key == key)


def conditions(schema, answers) -> dict[str, bool]:
    return {c.key: c.met for c in score(schema, answers).conditions}


def d(value) -> Decimal:
    return Decimal(str(value))


# =============================================================================================
# 创新型中小企业自测表 (63号 附件1) — every band boundary: at, just below, just above
# =============================================================================================

INNOVATION_BANDS = [
    # ② R&D / revenue (revenue 1000): ≥5 → 20 · 3–5 → 15 · 2–3 → 10 · 1–2 → 5 · <1 → 0
    ("rd_ratio", {"revenue": 1000, "rd_spend": 9.9}, 0),  # 0.99 %
    ("rd_ratio", {"revenue": 1000, "rd_spend": 10}, 5),  # 1 %
    ("rd_ratio", {"revenue": 1000, "rd_spend": 10.1}, 5),  # 1.01 %
    ("rd_ratio", {"revenue": 1000, "rd_spend": 19.9}, 5),
    ("rd_ratio", {"revenue": 1000, "rd_spend": 20}, 10),
    ("rd_ratio", {"revenue": 1000, "rd_spend": 20.1}, 10),
    ("rd_ratio", {"revenue": 1000, "rd_spend": 29.9}, 10),
    ("rd_ratio", {"revenue": 1000, "rd_spend": 30}, 15),
    ("rd_ratio", {"revenue": 1000, "rd_spend": 30.1}, 15),
    ("rd_ratio", {"revenue": 1000, "rd_spend": 49.9}, 15),
    ("rd_ratio", {"revenue": 1000, "rd_spend": 50}, 20),
    ("rd_ratio", {"revenue": 1000, "rd_spend": 50.1}, 20),
    # ③ main-business growth (prev 1000): ≥15 → 20 · 10–15 → 15 · 5–10 → 10 · 0–5 → 5 · <0 → 0
    ("growth", {"main_revenue_prev": 1000, "main_revenue": 999.9}, 0),  # −0.01 %
    ("growth", {"main_revenue_prev": 1000, "main_revenue": 1000}, 5),  # 0 %
    ("growth", {"main_revenue_prev": 1000, "main_revenue": 1000.1}, 5),
    ("growth", {"main_revenue_prev": 1000, "main_revenue": 1049.9}, 5),
    ("growth", {"main_revenue_prev": 1000, "main_revenue": 1050}, 10),
    ("growth", {"main_revenue_prev": 1000, "main_revenue": 1050.1}, 10),
    ("growth", {"main_revenue_prev": 1000, "main_revenue": 1099.9}, 10),
    ("growth", {"main_revenue_prev": 1000, "main_revenue": 1100}, 15),
    ("growth", {"main_revenue_prev": 1000, "main_revenue": 1100.1}, 15),
    ("growth", {"main_revenue_prev": 1000, "main_revenue": 1149.9}, 15),
    ("growth", {"main_revenue_prev": 1000, "main_revenue": 1150}, 20),
    ("growth", {"main_revenue_prev": 1000, "main_revenue": 1150.1}, 20),
    # ④ debt ratio (assets 1000): ≤55 → 10 · 55–75 (incl. 75) → 5 · >75 → 0
    ("debt_ratio", {"total_assets": 1000, "total_liabilities": 549.9}, 10),
    ("debt_ratio", {"total_assets": 1000, "total_liabilities": 550}, 10),
    ("debt_ratio", {"total_assets": 1000, "total_liabilities": 550.1}, 5),
    ("debt_ratio", {"total_assets": 1000, "total_liabilities": 749.9}, 5),
    ("debt_ratio", {"total_assets": 1000, "total_liabilities": 750}, 5),
    ("debt_ratio", {"total_assets": 1000, "total_liabilities": 750.1}, 0),
    # ⑥ main-business share (revenue 1000): ≥70 → 20 · 60–70 → 15 · 55–60 → 10 · 50–55 → 5 · <50 → 0
    ("main_share", {"revenue": 1000, "main_revenue": 499.9}, 0),
    ("main_share", {"revenue": 1000, "main_revenue": 500}, 5),
    ("main_share", {"revenue": 1000, "main_revenue": 500.1}, 5),
    ("main_share", {"revenue": 1000, "main_revenue": 549.9}, 5),
    ("main_share", {"revenue": 1000, "main_revenue": 550}, 10),
    ("main_share", {"revenue": 1000, "main_revenue": 550.1}, 10),
    ("main_share", {"revenue": 1000, "main_revenue": 599.9}, 10),
    ("main_share", {"revenue": 1000, "main_revenue": 600}, 15),
    ("main_share", {"revenue": 1000, "main_revenue": 600.1}, 15),
    ("main_share", {"revenue": 1000, "main_revenue": 699.9}, 15),
    ("main_share", {"revenue": 1000, "main_revenue": 700}, 20),
    ("main_share", {"revenue": 1000, "main_revenue": 700.1}, 20),
    # options
    ("ip", {"ip_class": "A"}, 20),
    ("ip", {"ip_class": "B"}, 15),
    ("ip", {"ip_class": "C"}, 10),
    ("ip", {"ip_class": "D"}, 5),
    ("ip", {"ip_class": "E"}, 0),
    ("product_field", {"main_product_field": "strategic"}, 10),
    ("product_field", {"main_product_field": "other"}, 5),
]


@pytest.mark.parametrize(("item", "answers", "expected"), INNOVATION_BANDS)
def test_innovation_band_boundaries(item, answers, expected):
    assert item_points(INNOVATION, answers, item) == d(expected)


INNOVATION_BASE = {
    "independent_legal_person": True,
    "is_sme": True,
    "not_on_lists": True,
    "no_major_incident": True,
    "product_permitted": True,
    "revenue": 1000,
    "main_revenue": 800,
    "main_revenue_prev": 700,  # share 80 % → 20; growth 14.29 % → 15
    "rd_spend": 40,  # 4 % → 15
    "total_assets": 1000,
    "total_liabilities": 500,  # 50 % → 10
    "ip_class": "C",
    "main_product_field": "strategic",  # 10, 10
    "st_award": False,
    "valid_honour": False,
    "rd_institution": False,
    "equity_financing": 0,
    "pledge_truthful": True,
}
WEAK_INNOVATION = {"ip_class": "E", "rd_spend": 20}  # innovation 0 + 10 = 10 < 20

INNOVATION_CASES = [
    # (name, overrides, total, {group: points}, qualified)
    ("qualified_by_score", {}, 80, {"innovation": 25, "growth": 25, "specialization": 30}, True),
    (
        "group_minimum_fails",
        WEAK_INNOVATION,
        65,
        {"innovation": 10, "growth": 25, "specialization": 30},
        False,
    ),
    ("direct_path_st_award", {**WEAK_INNOVATION, "st_award": True}, 65, None, True),
    ("direct_path_equity_500", {**WEAK_INNOVATION, "equity_financing": 500}, 65, None, True),
    ("direct_path_equity_below", {**WEAK_INNOVATION, "equity_financing": 499.99}, 65, None, False),
    ("eligibility_fails", {"is_sme": False}, 80, None, False),
    (
        "total_below_60",
        {"ip_class": "E", "main_product_field": "other", "total_liabilities": 800},
        # innovation 15 fails too; total 0+15 + 15+0 + 5+20 = 55
        55,
        {"innovation": 15, "growth": 15, "specialization": 25},
        False,
    ),
]


@pytest.mark.parametrize(
    ("name", "overrides", "total", "groups", "qualified"),
    INNOVATION_CASES,
    ids=[c[0] for c in INNOVATION_CASES],
)
def test_innovation_full_answer_sets(name, overrides, total, groups, qualified):
    result = score(INNOVATION, {**INNOVATION_BASE, **overrides})
    assert result.total == d(total)
    if groups:
        assert {g.key: g.points for g in result.groups} == {k: d(v) for k, v in groups.items()}
    assert result.outcome.qualified is qualified


# =============================================================================================
# 专精特新 version 1 (63号 附件2) — 13 indicators
# =============================================================================================

SPECIALIZED_V1_BANDS = [
    # 1 main-business share (revenue 1000): ≥80 → 5 · 70–80 → 3 · 60–70 → 1 · <60 → 0
    ("main_share", {"revenue": 1000, "main_revenue": 599.9}, 0),
    ("main_share", {"revenue": 1000, "main_revenue": 600}, 1),
    ("main_share", {"revenue": 1000, "main_revenue": 600.1}, 1),
    ("main_share", {"revenue": 1000, "main_revenue": 699.9}, 1),
    ("main_share", {"revenue": 1000, "main_revenue": 700}, 3),
    ("main_share", {"revenue": 1000, "main_revenue": 700.1}, 3),
    ("main_share", {"revenue": 1000, "main_revenue": 799.9}, 3),
    ("main_share", {"revenue": 1000, "main_revenue": 800}, 5),
    ("main_share", {"revenue": 1000, "main_revenue": 800.1}, 5),
    # 2 two-year average growth; prev2 = prev = 1000 so average = (main − 1000) / 20 %:
    #   ≥10 → 10 · 8–10 → 8 · 6–8 → 6 · 4–6 → 4 · 0–4 → 2 · <0 → 0
    *[
        ("avg_growth", {"main_revenue_prev2": 1000, "main_revenue_prev": 1000, "main_revenue": main}, points)
        for main, points in [
            (999.8, 0),
            (1000, 2),
            (1000.2, 2),
            (1079.8, 2),
            (1080, 4),
            (1080.2, 4),
            (1119.8, 4),
            (1120, 6),
            (1120.2, 6),
            (1159.8, 6),
            (1160, 8),
            (1160.2, 8),
            (1199.8, 8),
            (1200, 10),
            (1200.2, 10),
        ]
    ],
    # average of unequal years: (10 % + 2 %) / 2 = 6 % → 6
    ("avg_growth", {"main_revenue_prev2": 1000, "main_revenue_prev": 1020, "main_revenue": 1122}, 6),
    # 3 niche years: 1 point per full 2 years, max 5
    *[
        ("niche_years", {"niche_years": years}, points)
        for years, points in [
            (0, 0),
            (1.9, 0),
            (2, 1),
            (2.1, 1),
            (3.9, 1),
            (4, 2),
            (5.9, 2),
            (6, 3),
            (7.9, 3),
            (8, 4),
            (9.9, 4),
            (10, 5),
            (10.1, 5),
            (30, 5),
        ]
    ],
    # 4 main product field
    ("product_field", {"main_product_field": "A"}, 5),
    ("product_field", {"main_product_field": "B"}, 3),
    ("product_field", {"main_product_field": "C"}, 0),
    # 5 digital level: 三级及以上 5 · 二级 3 · 一级 0
    ("digital_level", {"digital_level": "4"}, 5),
    ("digital_level", {"digital_level": "3"}, 5),
    ("digital_level", {"digital_level": "2"}, 3),
    ("digital_level", {"digital_level": "1"}, 0),
    ("digital_level", {"digital_level": "none"}, 0),
    ("digital_level", {}, 0),
    # 6 quality: 3 per item, max 5
    ("quality", {"quality_items": []}, 0),
    ("quality", {"quality_items": ["iso9001"]}, 3),
    ("quality", {"quality_items": ["iso9001", "own_brand"]}, 5),
    ("quality", {"quality_items": ["quality_award", "iso9001", "own_brand", "standards"]}, 5),
    # 7 net margin (revenue 1000): ≥10 → 10 · 8–10 → 8 · 6–8 → 6 · 4–6 → 4 · 2–4 → 2 · <2 → 0
    *[
        ("net_margin", {"revenue": 1000, "net_profit": profit}, points)
        for profit, points in [
            (-50, 0),
            (19.9, 0),
            (20, 2),
            (20.1, 2),
            (39.9, 2),
            (40, 4),
            (40.1, 4),
            (59.9, 4),
            (60, 6),
            (60.1, 6),
            (79.9, 6),
            (80, 8),
            (80.1, 8),
            (99.9, 8),
            (100, 10),
            (100.1, 10),
        ]
    ],
    # 8 debt ratio (assets 1000): ≤50 → 5 · 50–60 → 3 · 60–70 → 1 · >70 → 0 (upper bounds inclusive)
    *[
        ("debt_ratio", {"total_assets": 1000, "total_liabilities": liabilities}, points)
        for liabilities, points in [
            (499.9, 5),
            (500, 5),
            (500.1, 3),
            (599.9, 3),
            (600, 3),
            (600.1, 1),
            (699.9, 1),
            (700, 1),
            (700.1, 0),
        ]
    ],
    # 10 IP
    ("ip", {"ip_class": "A"}, 10),
    ("ip", {"ip_class": "B"}, 8),
    ("ip", {"ip_class": "C"}, 6),
    ("ip", {"ip_class": "D"}, 2),
    ("ip", {"ip_class": "E"}, 0),
    # 11 R&D input by amount (revenue 1 000 000 keeps the ratio part at 0):
    #   ≥500 → 10 · 400–500 → 8 · 300–400 → 6 · 200–300 → 4 · 100–200 → 2 · <100 → 0
    *[
        ("rd_input", {"revenue": 1000000, "rd_spend": amount}, points)
        for amount, points in [
            (99.9, 0),
            (100, 2),
            (100.1, 2),
            (199.9, 2),
            (200, 4),
            (200.1, 4),
            (299.9, 4),
            (300, 6),
            (300.1, 6),
            (399.9, 6),
            (400, 8),
            (400.1, 8),
            (499.9, 8),
            (500, 10),
            (500.1, 10),
        ]
    ],
    # 11 R&D input by ratio (revenue 500, amounts < 100 keep the amount part at 0):
    #   ≥10 → 10 · 8–10 → 8 · 6–8 → 6 · 4–6 → 4 · 3–4 → 2 · <3 → 0
    *[
        ("rd_input", {"revenue": 500, "rd_spend": amount}, points)
        for amount, points in [
            (14.95, 0),
            (15, 2),
            (15.05, 2),
            (19.95, 2),
            (20, 4),
            (20.05, 4),
            (29.95, 4),
            (30, 6),
            (30.05, 6),
            (39.95, 6),
            (40, 8),
            (40.05, 8),
            (49.95, 8),
            (50, 10),
            (50.05, 10),
        ]
    ],
    # 11 best of both: 250万 (4) at 10 % (10) → 10; 450万 (8) at 3 % (2) → 8
    ("rd_input", {"revenue": 2500, "rd_spend": 250}, 10),
    ("rd_input", {"revenue": 15000, "rd_spend": 450}, 8),
    # 12 R&D staff share (1000 staff): ≥20 → 5 · 10–20 → 3 · 5–10 → 1 · <5 → 0
    *[
        ("rd_staff_share", {"employees": 1000, "rd_staff": staff}, points)
        for staff, points in [
            (49, 0),
            (50, 1),
            (51, 1),
            (99, 1),
            (100, 3),
            (101, 3),
            (199, 3),
            (200, 5),
            (201, 5),
        ]
    ],
    # 13 R&D institution
    ("rd_institution", {"rd_institution_level": "national"}, 10),
    ("rd_institution", {"rd_institution_level": "provincial"}, 8),
    ("rd_institution", {"rd_institution_level": "municipal"}, 4),
    ("rd_institution", {"rd_institution_level": "below_municipal"}, 2),
    ("rd_institution", {"rd_institution_level": "none"}, 0),
]


@pytest.mark.parametrize(("item", "answers", "expected"), SPECIALIZED_V1_BANDS)
def test_specialized_v1_band_boundaries(item, answers, expected):
    assert item_points(SPECIALIZED_V1, answers, item) == d(expected)


def distinctiveness(answers, context=None) -> Decimal:
    result = score(SPECIALIZED_V1, answers, context=context)
    return next(g.points for g in result.groups if g.key == "distinctiveness")


@pytest.mark.parametrize(
    ("context", "answers", "expected"),
    [
        # three generic local indicators, 5 points each, in every province (no province's own
        # indicators are known, so none is shipped: an invented one would change real scores)
        (None, {"local_indicator_1": True, "local_indicator_2": True, "local_indicator_3": True}, 15),
        (None, {"local_indicator_1": True, "local_indicator_2": False, "local_indicator_3": True}, 10),
        ({"province": "110000"}, {"local_indicator_1": True}, 5),
        (
            {"province": "440000"},
            {"local_indicator_1": True, "local_indicator_2": True, "local_indicator_3": True},
            15,
        ),
        ({"province": "440000"}, {"local_indicator_1": True}, 5),
    ],
)
def test_specialized_v1_distinctiveness_is_the_same_generic_items_everywhere(context, answers, expected):
    assert distinctiveness(answers, context) == d(expected)


def test_specialized_v1_ships_no_province_specific_questions():
    expressions = [f.visible_if.source for f in SPECIALIZED_V1.fields if f.visible_if] + [
        i.when.source for i in SPECIALIZED_V1.scoring.items if i.when
    ]
    assert not any("ctx_province" in source for source in expressions)
    assert "local_indicator_provinces" not in SPECIALIZED_V1.metadata


def test_specialized_v1_scores_a_case_the_same_in_guangdong_as_elsewhere():
    answers = {**SPECIALIZED_V1_BASE}
    totals = {
        score(SPECIALIZED_V1, answers, context=ctx).total
        for ctx in (None, {"province": "440000"}, {"province": "110000"})
    }
    assert totals == {d(72)}


SPECIALIZED_V1_BASE = {
    "niche_years": 6,  # 3
    "revenue": 5000,
    "main_revenue": 4500,  # 90 % → 5
    "main_revenue_prev": 4000,
    "main_revenue_prev2": 3600,  # (12.5 % + 11.1 %) / 2 → 10
    "main_product_field": "A",  # 5   → 专业化 23
    "digital_level": "3",  # 5
    "quality_items": ["iso9001", "own_brand"],  # 6 → 5
    "net_profit": 400,  # 8 % → 8
    "total_assets": 10000,
    "total_liabilities": 4000,  # 40 % → 5 → 精细化 23
    "local_indicator_1": True,
    "local_indicator_2": False,
    "local_indicator_3": False,  # 特色化 5
    "ip_class": "B",  # 8
    "rd_spend": 300,
    "rd_spend_prev": 200,  # 300万 → 6, 6 % → 6: 6
    "employees": 200,
    "rd_staff": 30,  # 15 % → 3
    "rd_institution_level": "municipal",  # 4   → 创新能力 21
    "equity_financing_2y": 0,
    "provincial_award_top3": False,
    "national_award_top5": False,
    "maker_china_top500": False,
    "pledge_truthful": True,
}
AT_60 = {"ip_class": "E", "rd_institution_level": "none"}  # 72 − 8 − 4 = 60
AT_59 = {**AT_60, "niche_years": 5}  # niche 3 → 2: 59

SPECIALIZED_V1_CASES = [
    (
        "qualified_by_score",
        {},
        72,
        {"specialization": 23, "refinement": 23, "distinctiveness": 5, "innovation": 21},
        True,
    ),
    ("exactly_60_qualifies", AT_60, 60, None, True),
    ("59_does_not", AT_59, 59, None, False),
    ("direct_path_rd_average_1000", {**AT_59, "rd_spend_prev": 1700}, 59, None, True),  # (300 + 1700) / 2
    ("direct_path_rd_average_below", {**AT_59, "rd_spend_prev": 1699.9}, 59, None, False),
    ("direct_path_equity_6000", {**AT_59, "equity_financing_2y": 6000}, 59, None, True),
    ("direct_path_equity_below", {**AT_59, "equity_financing_2y": 5999.99}, 59, None, False),
    ("direct_path_provincial_award", {**AT_59, "provincial_award_top3": True}, 59, None, True),
    ("direct_path_national_award", {**AT_59, "national_award_top5": True}, 59, None, True),
    ("direct_path_maker_china", {**AT_59, "maker_china_top500": True}, 59, None, True),
    ("condition_1_niche_fails", {"niche_years": 1.9}, 69, None, False),  # niche 3 → 0
    (
        "condition_2_rd_ratio_fails",
        {"rd_spend": 149.9},
        68,
        None,
        False,
    ),  # 2.998 %; item 11: 149.9万 → 2 (was 6)
    ("condition_3_revenue_fails", {"revenue": 999.9, "main_revenue": 899.91}, None, None, False),
    (
        "condition_3_financing_path",
        {"revenue": 999.9, "main_revenue": 899.91, "equity_financing_2y": 2000},
        None,
        None,
        True,
    ),
    (
        "direct_path_cannot_replace_condition",
        {"niche_years": 1.9, "maker_china_top500": True},
        69,
        None,
        False,
    ),
]


@pytest.mark.parametrize(
    ("name", "overrides", "total", "groups", "qualified"),
    SPECIALIZED_V1_CASES,
    ids=[c[0] for c in SPECIALIZED_V1_CASES],
)
def test_specialized_v1_full_answer_sets(name, overrides, total, groups, qualified):
    result = score(SPECIALIZED_V1, {**SPECIALIZED_V1_BASE, **overrides})
    if total is not None:
        assert result.total == d(total)
    if groups:
        assert {g.key: g.points for g in result.groups} == {k: d(v) for k, v in groups.items()}
    assert result.outcome.qualified is qualified


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"niche_years": 2}, {"niche_market": True}),
        ({"niche_years": 1.9}, {"niche_market": False}),
        ({"revenue": 5000, "rd_spend": 150}, {"rd_input": True}),  # 150万, exactly 3 %
        ({"revenue": 5000, "rd_spend": 149.99}, {"rd_input": False}),  # < 3 %
        ({"revenue": 3000, "rd_spend": 100}, {"rd_input": True}),  # exactly 100万, 3.33 %
        ({"revenue": 3000, "rd_spend": 99.99}, {"rd_input": False}),  # < 100万
        ({"revenue": 1000}, {"revenue_or_financing": True}),
        ({"revenue": 999.99, "equity_financing_2y": 1999.99}, {"revenue_or_financing": False}),
        ({"revenue": 999.99, "equity_financing_2y": 2000}, {"revenue_or_financing": True}),
    ],
)
def test_specialized_v1_basic_conditions_at_thresholds(overrides, expected):
    met = conditions(SPECIALIZED_V1, {**SPECIALIZED_V1_BASE, **overrides})
    assert {k: met[k] for k in expected} == expected


# =============================================================================================
# 专精特新 version 2 (2026): six threshold conditions, no points
# =============================================================================================

SPECIALIZED_V2_BASE = {
    "is_tech_innovative": True,
    "niche_years": 3,
    "revenue": 2000,
    "revenue_prev": 2000,
    "main_revenue": 1600,  # share 80 %
    "equity_financing_2y": 0,
    "total_assets": 1000,
    "total_liabilities": 800,  # debt 80 %
    "rd_spend": 100,
    "rd_spend_prev": 100,  # 5 % each year
    "ip_class1_count": 1,
    "provincial_award_top3": False,
    "has_rd_institution": False,
    "market_share_leading": True,
    "market_share_statement": "国内细分市场排名第五。",
    "development_score": 50,
    "pledge_truthful": True,
}


def test_specialized_v2_base_qualifies_with_no_points():
    result = score(SPECIALIZED_V2, SPECIALIZED_V2_BASE)
    assert result.items == () and result.total == 0
    assert all(c.met for c in result.conditions) and len(result.conditions) == 6
    assert result.outcome.qualified is True


SPECIALIZED_V2_THRESHOLDS = [
    ("tier_and_niche", {"niche_years": 3}, True),
    ("tier_and_niche", {"niche_years": 2.9}, False),
    ("tier_and_niche", {"is_tech_innovative": False}, False),
    ("scale", {"revenue": 1500, "revenue_prev": 1500, "main_revenue": 1200}, True),  # 1500万, 80 %
    ("scale", {"revenue": 1499.99, "main_revenue": 1199.992}, False),  # 80 %, < 1500万
    ("scale", {"revenue": 1499.99, "main_revenue": 1199.992, "equity_financing_2y": 2000}, True),
    ("scale", {"revenue": 1499.99, "main_revenue": 1199.992, "equity_financing_2y": 1999.99}, False),
    ("scale", {"main_revenue": 1599.9}, False),  # 79.995 %
    ("scale", {"total_liabilities": 800.1}, False),  # 80.01 %
    ("rd", {"rd_spend": 99.99}, False),
    ("rd", {"rd_spend_prev": 99.99}, False),
    ("rd", {"revenue_prev": 4000, "rd_spend_prev": 120}, True),  # exactly 3 %
    ("rd", {"revenue_prev": 4000.1, "rd_spend_prev": 120}, False),  # < 3 %
    ("rd", {"revenue": 4000, "main_revenue": 3200, "rd_spend": 120}, True),
    ("rd", {"revenue": 4000.1, "main_revenue": 3200, "rd_spend": 120}, False),
    ("ip", {"ip_class1_count": 0}, False),
    ("ip", {"ip_class1_count": 0, "provincial_award_top3": True}, True),
    ("ip", {"ip_class1_count": 0, "has_rd_institution": True}, True),
    ("market_share", {"market_share_leading": False}, False),
    ("development_score", {"development_score": 49.99}, False),
    ("development_score", {"development_score": 50.01}, True),
]


@pytest.mark.parametrize(("condition", "overrides", "met"), SPECIALIZED_V2_THRESHOLDS)
def test_specialized_v2_conditions_at_thresholds(condition, overrides, met):
    answers = {**SPECIALIZED_V2_BASE, **overrides}
    assert conditions(SPECIALIZED_V2, answers)[condition] is met
    others_met = all(v for k, v in conditions(SPECIALIZED_V2, answers).items() if k != condition)
    assert score(SPECIALIZED_V2, answers).outcome.qualified is (met and others_met)


# =============================================================================================
# 小巨人 (2026): seven conditions
# =============================================================================================

LITTLE_GIANT_BASE = {
    "enterprise_name": "测试精密机械有限公司",
    "uscc": "91440300MA5D8XXX1X",
    "main_product": "精密减速器",
    "main_product_code": "3412010100",
    "is_review": False,
    "is_specialized": True,
    "niche_years": 3,
    "revenue": 5512.5,
    "revenue_prev": 5200,
    "revenue_prev2": 5000,  # 5512.5 / 5000 = 1.1025 → CAGR exactly 5 %
    "main_revenue": 4961.25,  # exactly 90 %
    "total_assets": 1000,
    "total_liabilities": 750,  # exactly 75 %
    "rd_spend": 600,
    "rd_spend_prev": 600,  # 1200万 together
    "ip_class1_count": 4,
    "national_award_top3": False,
    "market_share": 10,
    "domestic_rank": 5,
    "market_statement": "国内细分市场占有率约10%。",
    "main_product_field": "six_foundations",
    "key_chain_link": True,
    "evaluation_score": 60,
    "pledge_truthful": True,
}


def test_little_giant_base_qualifies_at_every_threshold():
    result = score(LITTLE_GIANT, LITTLE_GIANT_BASE)
    assert {c.key: c.met for c in result.conditions} == {
        "tier_and_niche": True,
        "scale_and_growth": True,
        "rd": True,
        "ip": True,
        "market_share": True,
        "product_field": True,
        "evaluation_score": True,
    }
    assert result.outcome.qualified is True
    assert clean_answers(LITTLE_GIANT, LITTLE_GIANT_BASE).values["revenue_cagr"] == Decimal("5.00")


LITTLE_GIANT_THRESHOLDS = [
    ("tier_and_niche", {"niche_years": 2.9}, False),
    ("tier_and_niche", {"is_specialized": False}, False),
    ("scale_and_growth", {"revenue": 5000, "main_revenue": 4500, "revenue_prev2": 4000}, True),
    ("scale_and_growth", {"revenue": 4999.99, "main_revenue": 4499.991, "revenue_prev2": 4000}, False),
    ("scale_and_growth", {"main_revenue": 4961.2}, False),  # 89.999 %
    ("scale_and_growth", {"revenue_prev2": 5000.01}, False),  # CAGR just below 5 %
    ("scale_and_growth", {"revenue_prev2": 5000.01, "is_review": True}, True),  # 复核: growth not checked
    ("scale_and_growth", {"revenue_prev2": None, "is_review": True}, True),
    ("scale_and_growth", {"total_liabilities": 750.01}, False),
    ("rd", {"rd_spend_prev": 599.99}, False),  # 1199.99万
    ("rd", {"rd_spend": 1044, "rd_spend_prev": 156}, True),  # 156 / 5200 = exactly 3 %
    ("rd", {"rd_spend": 1044.01, "rd_spend_prev": 155.99}, False),  # < 3 % in the earlier year
    ("ip", {"ip_class1_count": 3}, False),
    ("ip", {"ip_class1_count": 3, "national_award_top3": True}, True),
    ("market_share", {"market_share": 9.99, "domestic_rank": 4}, False),
    ("market_share", {"market_share": 9.99, "domestic_rank": 3}, True),
    ("product_field", {"main_product_field": "future"}, True),
    ("product_field", {"main_product_field": "none"}, False),
    ("product_field", {"key_chain_link": False}, False),
    ("evaluation_score", {"evaluation_score": 59.99}, False),
    ("evaluation_score", {"evaluation_score": 59.99, "is_review": True, "evaluation_score_prev": 60}, True),
    (
        "evaluation_score",
        {"evaluation_score": 59.99, "is_review": True, "evaluation_score_prev": 59.99},
        False,
    ),
    # the previous year's score only counts for a review (the field is hidden otherwise)
    ("evaluation_score", {"evaluation_score": 59.99, "evaluation_score_prev": 60}, False),
]


@pytest.mark.parametrize(("condition", "overrides", "met"), LITTLE_GIANT_THRESHOLDS)
def test_little_giant_conditions_at_thresholds(condition, overrides, met):
    answers = {**LITTLE_GIANT_BASE, **overrides}
    assert conditions(LITTLE_GIANT, answers)[condition] is met


@pytest.mark.parametrize(
    ("code", "valid"),
    [("3412010100", True), ("341201010", False), ("34120101001", False), ("341201010X", False)],
)
def test_little_giant_product_code_has_ten_digits(code, valid):
    cleaned = clean_answers(LITTLE_GIANT, {**LITTLE_GIANT_BASE, "main_product_code": code})
    assert (not cleaned.issues_for("main_product_code")) is valid


# =============================================================================================
# 数字化水平评测（制造业）: totals at 20/40/60/80 and the scenario-count thresholds
# =============================================================================================

ZERO = {
    "network_build": ["A"],
    "equipment_digital_rate": "A",
    "equipment_network_rate": "A",
    "data_collection": ["A"],
    "information_systems": "A",
    "network_security": ["A"],
    "data_security": ["A"],
    "planning": "A",
    "management_rules": ["A"],
    "digital_talent": ["A"],
    "digital_funding": "A",
    "energy_change": "A",
    "quality_change": "A",
    "revenue_per_employee_change": "A",
    "cost_per_revenue_change": "A",
}
FOUNDATION_MAX = {  # 8 + 6 + 6 + 10 + 10 + 5 + 5 = 50
    "network_build": ["B", "C", "D", "E"],
    "equipment_digital_rate": "E",
    "equipment_network_rate": "E",
    "data_collection": list("BCDEFGHIJKLMNO"),
    "information_systems": "E",
    "network_security": ["B", "C", "D", "E"],
    "data_security": ["B", "C", "D", "E"],
}
MANAGEMENT_MAX = {
    "planning": "F",
    "management_rules": ["B", "C", "D", "E"],  # 7.5 × 4 = 30
    "digital_talent": ["B", "C", "D", "E", "F"],
    "digital_funding": "E",
}
RESULTS_MAX = {
    "energy_change": "C",
    "quality_change": "C",  # 7 + 7 + 3 + 3 = 20
    "revenue_per_employee_change": "C",
    "cost_per_revenue_change": "C",
}
BASIC_40 = {
    "network_build": ["B", "C", "D", "E"],
    "equipment_digital_rate": "E",
    "equipment_network_rate": "E",
    "information_systems": "E",
    "network_security": ["B", "C", "D", "E"],
    "data_security": ["B", "C", "D", "E"],
}  # 8 + 6 + 6 + 10 + 5 + 5 = 40
BASIC_20 = {
    "network_build": ["B", "C", "D", "E"],
    "equipment_digital_rate": "E",
    "equipment_network_rate": "E",
}

TOTALS = {  # name: (answers, hand-computed total)
    "100": ({**FOUNDATION_MAX, **MANAGEMENT_MAX, **RESULTS_MAX}, 100),
    "81.5": ({**FOUNDATION_MAX, **MANAGEMENT_MAX, "revenue_per_employee_change": "B"}, 81.5),
    "80": ({**FOUNDATION_MAX, **MANAGEMENT_MAX}, 80),
    "78.5": ({**FOUNDATION_MAX, **MANAGEMENT_MAX, "planning": "E"}, 78.5),  # F 7.5 → E 6
    "61.5": (
        {
            **FOUNDATION_MAX,
            "energy_change": "C",
            "revenue_per_employee_change": "C",
            "cost_per_revenue_change": "B",
        },
        61.5,
    ),
    "60": ({**FOUNDATION_MAX, "energy_change": "C", "revenue_per_employee_change": "C"}, 60),
    "58.5": ({**FOUNDATION_MAX, "energy_change": "C", "revenue_per_employee_change": "B"}, 58.5),
    "40.7": ({**BASIC_40, "data_collection": ["B"]}, 40.7),
    "40": (BASIC_40, 40),
    "38.75": ({**BASIC_40, "data_security": ["B", "C", "D"]}, 38.75),
    "20.9": ({**BASIC_20, "data_collection": ["O"]}, 20.9),  # 人力资源 0.9
    "20": (BASIC_20, 20),
    "19.2": (
        {**BASIC_20, "equipment_network_rate": "D", "data_collection": ["B"]},
        19.2,
    ),  # 8 + 6 + 4.5 + 0.7
}

CONSTRAINT = [
    "scene_product_design",
    "scene_marketing",
    "scene_production_control",
    "scene_quality",
    "scene_equipment",
    "scene_safety",
    "scene_energy",
    "scene_procurement",
    "scene_warehousing_logistics",
    "scene_finance",
]
GUIDANCE = [
    "scene_process_design",
    "scene_after_sales",
    "scene_planning_scheduling",
    "scene_human_resources",
    "scene_collaboration",
    "scene_decision_support",
]


def scenes(high: int, n_constraint: int, n_guidance: int, low: int | None = None) -> dict[str, str]:
    """n_constraint + n_guidance scenarios at level ``high``; the rest at ``low`` (or unanswered)."""
    answers = {}
    for keys, n in ((CONSTRAINT, n_constraint), (GUIDANCE, n_guidance)):
        for i, key in enumerate(keys):
            if i < n:
                answers[key] = str(high)
            elif low is not None:
                answers[key] = str(low)
    return answers


@pytest.mark.parametrize("name", list(TOTALS))
def test_digital_manufacturing_totals(name):
    answers, total = TOTALS[name]
    result = score(DIGITAL, {**ZERO, **answers, **scenes(1, 10, 6)})
    assert result.total == d(total)


def test_digital_manufacturing_dimension_subtotals():
    result = score(
        DIGITAL, {**ZERO, **FOUNDATION_MAX, **MANAGEMENT_MAX, "energy_change": "B", "quality_change": "C"}
    )
    assert {g.key: g.points for g in result.groups} == {
        "foundation": 50,
        "management": 30,
        "results": d("10.5"),
    }
    assert result.total == d("90.5")


DIGITAL_LEVELS = [
    # (total case, scenario answers, expected level label)
    ("100", scenes(4, 10, 6), "四级"),
    ("80", scenes(4, 10, 6), "四级"),  # exactly 80 counts (inclusive assumed)
    ("81.5", scenes(4, 10, 6), "四级"),
    ("78.5", scenes(4, 10, 6), "三级"),
    ("80", scenes(4, 6, 3, low=3), "三级"),  # only 9 scenarios at L4 → falls to 三级
    ("80", scenes(4, 6, 4, low=3), "四级"),  # 10 at L4, 6 constraint
    ("80", scenes(4, 5, 5, low=3), "三级"),  # 10 at L4 but only 5 constraint
    ("60", scenes(3, 10, 6), "三级"),
    ("61.5", scenes(3, 10, 6), "三级"),
    ("58.5", scenes(3, 10, 6), "二级"),
    ("60", scenes(3, 5, 3, low=2), "三级"),  # 8 at ≥L3 of which 5 constraint
    ("60", scenes(3, 5, 2, low=2), "二级"),  # 7 at ≥L3
    ("60", scenes(3, 4, 4, low=2), "二级"),  # 8 at ≥L3 but 4 constraint
    ("80", scenes(3, 10, 6), "三级"),  # high score, scenarios only at L3
    ("40", scenes(2, 10, 6), "二级"),
    ("40.7", scenes(2, 10, 6), "二级"),
    ("38.75", scenes(2, 10, 6), "一级"),
    ("40", scenes(2, 3, 3, low=1), "二级"),  # 6 at ≥L2 of which 3 constraint
    ("40", scenes(2, 2, 3, low=1), "一级"),  # 5 at ≥L2
    ("40", scenes(2, 2, 4, low=1), "一级"),  # 6 at ≥L2 but 2 constraint
    ("20", scenes(1, 10, 6), "一级"),
    ("20.9", scenes(1, 10, 6), "一级"),
    ("19.2", scenes(1, 10, 6), "未达到一级"),
    # every scenario self-rating is required: with some missing there is no level yet, only 待补充
    ("20", scenes(1, 3, 3), "待补充"),  # only 6 answered, 3 constraint
    ("20", scenes(1, 3, 2), "待补充"),  # only 5 answered
    ("20", scenes(1, 0, 6), "待补充"),  # 6 answered, none constraint
    ("100", {}, "待补充"),  # no scenario self-ratings, even at 100 points
]


@pytest.mark.parametrize(("total_case", "scenario_answers", "level"), DIGITAL_LEVELS)
def test_digital_manufacturing_levels(total_case, scenario_answers, level):
    answers, _ = TOTALS[total_case]
    result = score(DIGITAL, {**ZERO, **answers, **scenario_answers})
    assert result.outcome.label == level
    assert result.complete is (level != "待补充")


def test_digital_manufacturing_without_scenario_ratings_names_the_missing_ones():
    answers, _ = TOTALS["100"]
    result = score(DIGITAL, {**ZERO, **answers})
    assert result.outcome.key == "incomplete"
    missing = {i.field for i in result.issues if i.code == "required"}
    assert set(CONSTRAINT + GUIDANCE) <= missing


CONSISTENCY = [
    # (answers beside a complete questionnaire, the consistency warnings expected)
    (
        {"equipment_digital_rate": "B", "equipment_total": 40, "equipment_digital_count": 40},
        "equipment_digital_rate_band_1",
    ),
    ({"equipment_digital_rate": "E", "equipment_total": 40, "equipment_digital_count": 40}, ""),
    ({"equipment_digital_rate": "A", "equipment_total": 40, "equipment_digital_count": 4}, ""),  # 10 %
    ({"equipment_digital_rate": "B", "equipment_total": 40, "equipment_digital_count": 5}, ""),  # 12.5 %
    ({"equipment_digital_rate": "B", "equipment_digital_rate_value": 75}, "equipment_digital_rate_band_2"),
    (
        {"equipment_network_rate": "E", "equipment_total": 40, "equipment_networked_count": 2},
        "equipment_network_rate_band_1",
    ),
    (
        {"equipment_total": 40, "equipment_digital_count": 41, "equipment_digital_rate": "E"},
        "equipment_digital_count_le_total equipment_digital_rate_band_1",  # 102.5 % fits no band either
    ),
    (
        {
            "revenue_per_employee_change": "C",  # 增加, yet 10 万元/人 → 8 万元/人
            "revenue_last_year": 800,
            "employees_last_year": 100,
            "revenue_prev_year": 1000,
            "employees_prev_year": 100,
        },
        "revenue_per_employee_change_trend",
    ),
]


@pytest.mark.parametrize(("answers", "rules"), CONSISTENCY)
def test_digital_manufacturing_warns_when_a_band_contradicts_the_figures_entered(answers, rules):
    base, _total = TOTALS["100"]
    result = score(DIGITAL, {**ZERO, **base, **scenes(4, 10, 6), **answers})
    assert {w.code.removeprefix("rule_") for w in result.warnings} == set(rules.split())
    assert not [i for i in result.issues if i.code.startswith("rule_")]  # a hint, never an error
    assert result.complete and result.outcome.label == "四级"  # the verdict stands; the hint is shown


def test_digital_level_keys_map_to_specialized_indicator_5():
    """The assessment outcome keys (level4…level1, none) map onto the filing's digital_level options."""
    filing_options = {o.value for o in SPECIALIZED_V1.field_map()["digital_level"].options}
    outcome_keys = {lv.key for lv in DIGITAL.scoring.outcome.levels} | {"none"}
    assert {key.removeprefix("level") for key in outcome_keys} == filing_options


# --- provisional services / other questionnaires ------------------------------------------------


def extreme_answers(schema, best: bool, level: int) -> dict:
    answers = {}
    for item in schema.scoring.items:
        field = schema.field_map()[item.field]
        if field.type == "multiple_choice":
            answers[field.key] = (
                [o.value for o in field.options if not o.exclusive]
                if best
                else [next(o.value for o in field.options if o.exclusive)]
            )
        else:
            pick = max if best else min
            answers[field.key] = pick(field.options, key=lambda o: o.score).value
    answers.update({f.key: str(level) for f in schema.scenario_fields})
    return answers


@pytest.mark.parametrize(
    ("schema", "seven_point_question"),
    [(DIGITAL_SERVICES, "delivery_cycle_change"), (DIGITAL_OTHER, "online_share_change")],
    ids=["services", "other"],
)
def test_provisional_digital_questionnaires_score_and_level(schema, seven_point_question):
    assert schema.provisional is True
    best = score(schema, extreme_answers(schema, True, 4))
    assert best.total == 100
    assert {g.key: g.points for g in best.groups} == {"foundation": 50, "management": 30, "results": 20}
    assert best.outcome.label == "四级"
    worst = score(schema, extreme_answers(schema, False, 1))
    assert worst.total == 0 and worst.outcome.label == "未达到一级"
    # foundation at its maximum (50) + a 7-point result (C) + revenue per employee up (C, 3) = 60 → 三级
    foundation = {i.field for i in schema.scoring.items if i.group == "foundation"}
    at_60 = {
        **extreme_answers(schema, False, 3),
        **{k: v for k, v in extreme_answers(schema, True, 3).items() if k in foundation},
        seven_point_question: "C",
        "revenue_per_employee_change": "C",
    }
    result = score(schema, at_60)
    assert (result.total, result.outcome.label) == (60, "三级")
    result = score(schema, {**at_60, "revenue_per_employee_change": "B"})  # 58.5
    assert (result.total, result.outcome.label) == (d("58.5"), "二级")
