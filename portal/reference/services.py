"""Writes to the reference data: loading the fixtures and staff edits of the category mapping.

``load_regions`` / ``load_industries`` are idempotent: rows are matched by code, created or
updated in bulk inside one transaction; rows missing from the fixture are reported, not deleted
(other tables PROTECT-reference them).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction

from .cache import bump_reference_cache_version
from .models import Industry, Region

FIXTURES_DIR = Path(settings.BASE_DIR) / "fixtures" / "reference"
REGION_LEVELS = [Region.Level.PROVINCE, Region.Level.PREFECTURE, Region.Level.COUNTY]
INDUSTRY_LEVELS = [Industry.Level.SECTION, Industry.Level.DIVISION, Industry.Level.GROUP]


class ReferenceFixtureError(ValueError):
    """The fixture file is malformed (unknown level, dangling parent, duplicate code)."""


@dataclass
class LoadResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    kept_staff_categories: int = 0
    not_in_fixture: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)


def read_fixture(path: Path) -> dict[str, Any]:
    """Parse a reference fixture; raises ReferenceFixtureError on duplicate codes."""
    document = json.loads(Path(path).read_text(encoding="utf-8"))
    codes = [item["code"] for item in document["items"]]
    if len(codes) != len(set(codes)):
        raise ReferenceFixtureError(f"{path}: duplicate codes")
    return document


def _sync_level(model, items, existing, fields, result, *, keep=None) -> None:
    """Create or update one level's rows in bulk; ``existing`` maps code -> instance (updated in place)."""
    to_create, to_update = [], []
    for values in items:
        obj = existing.get(values["code"])
        if obj is None:
            obj = model(**values)
            to_create.append(obj)
            continue
        if keep:
            values = keep(obj, values, result)
        if any(getattr(obj, name) != values[name] for name in fields):
            for name in fields:
                setattr(obj, name, values[name])
            to_update.append(obj)
        else:
            result.unchanged += 1
    model.objects.bulk_create(to_create, batch_size=500)
    if to_update:
        model.objects.bulk_update(to_update, fields, batch_size=500)
    result.created += len(to_create)
    result.updated += len(to_update)
    if to_create:
        # bulk_create sets primary keys on PostgreSQL but not on every backend: re-read them.
        created = model.objects.filter(code__in=[obj.code for obj in to_create])
        existing.update({obj.code: obj for obj in created})


def _prepare(items, levels, *, parent_field="parent", extra=()) -> dict[str, list[dict[str, Any]]]:
    by_level: dict[str, list[dict[str, Any]]] = {level: [] for level in levels}
    known = {item["code"]: item["level"] for item in items}
    for item in items:
        level = item["level"]
        if level not in by_level:
            raise ReferenceFixtureError(f"{item['code']}: unknown level {level!r}")
        parent = item.get(parent_field)
        if (parent is None) != (level == levels[0]):
            raise ReferenceFixtureError(f"{item['code']}: only top-level items have no parent")
        if parent is not None and levels.index(known.get(parent, levels[-1])) >= levels.index(level):
            raise ReferenceFixtureError(f"{item['code']}: parent {parent} missing or not above it")
        by_level[level].append(item)
    return by_level


@transaction.atomic
def load_regions(*, path: Path | None = None) -> LoadResult:
    """Load ``regions.json`` (or ``path``); raises ReferenceFixtureError on a malformed file."""
    document = read_fixture(path or FIXTURES_DIR / "regions.json")
    by_level = _prepare(document["items"], REGION_LEVELS)
    existing = {obj.code: obj for obj in Region.objects.all()}
    result = LoadResult()
    for level in REGION_LEVELS:
        rows = [
            {
                "code": item["code"],
                "name": item["name"],
                "level": level,
                "parent_id": existing[item["parent"]].pk if item["parent"] else None,
            }
            for item in by_level[level]
        ]
        _sync_level(Region, rows, existing, ["name", "level", "parent_id"], result)
        result.counts[level] = len(rows)
    fixture_codes = {item["code"] for item in document["items"]}
    result.not_in_fixture = sorted(set(existing) - fixture_codes)
    bump_reference_cache_version()
    return result


@transaction.atomic
def load_industries(*, path: Path | None = None, reset_categories: bool = False) -> LoadResult:
    """Load ``industries.json``; a staff-set category survives unless ``reset_categories``.

    Raises ReferenceFixtureError on a malformed file.
    """
    document = read_fixture(path or FIXTURES_DIR / "industries.json")
    by_level = _prepare(document["items"], INDUSTRY_LEVELS)
    valid_categories = set(Industry.QuestionnaireCategory.values)
    existing = {obj.code: obj for obj in Industry.objects.all()}
    result = LoadResult()

    def keep_staff_category(obj: Industry, values: dict[str, Any], result: LoadResult) -> dict[str, Any]:
        if obj.category_set_by_staff and not reset_categories:
            result.kept_staff_categories += 1
            return {
                **values,
                "questionnaire_category": obj.questionnaire_category,
                "category_set_by_staff": True,
            }
        return values

    fields = ["name", "level", "parent_id", "questionnaire_category", "category_set_by_staff"]
    for level in INDUSTRY_LEVELS:
        rows = []
        for item in by_level[level]:
            if item.get("questionnaire_category") not in valid_categories:
                raise ReferenceFixtureError(f"{item['code']}: missing or unknown questionnaire_category")
            rows.append(
                {
                    "code": item["code"],
                    "name": item["name"],
                    "level": level,
                    "parent_id": existing[item["parent"]].pk if item["parent"] else None,
                    "questionnaire_category": item["questionnaire_category"],
                    "category_set_by_staff": False,
                }
            )
        _sync_level(Industry, rows, existing, fields, result, keep=keep_staff_category)
        result.counts[level] = len(rows)
    result.not_in_fixture = sorted(set(existing) - {item["code"] for item in document["items"]})
    bump_reference_cache_version()
    return result


@transaction.atomic
def set_industry_category(*, industry: Industry, category: str) -> Industry:
    """Record a staff choice of questionnaire category; later reloads keep it."""
    industry.questionnaire_category = category
    industry.category_set_by_staff = True
    industry.save(update_fields=["questionnaire_category", "category_set_by_staff"])
    bump_reference_cache_version()
    return industry
