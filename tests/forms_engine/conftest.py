"""Fixtures for form engine tests: shipped definitions loaded through the services."""

from __future__ import annotations

import json
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.conf import settings

FORMS_DIR = Path(settings.BASE_DIR) / "fixtures" / "forms"


@contextmanager
def lookups_removed():
    """The pure engine: region/industry codes checked by pattern, not against the host project's
    database-backed lookups (registered by portal.reference), which are restored afterwards."""
    from forms_engine.lookups import lookups

    saved = {name: lookups.get(name) for name in ("region", "industry") if name in lookups}
    for name in saved:
        lookups.unregister(name)
    try:
        yield
    finally:
        for name, lookup in saved.items():
            lookups.register(name, lookup)


def load_document(key: str) -> dict:
    return json.loads((FORMS_DIR / f"{key}.json").read_text(encoding="utf-8"))


@pytest.fixture(autouse=True)
def _engine_without_host_guard(settings):
    """Engine tests exercise the engine; the portal's start guard (FAQ 2) and its filing hook (a
    filing form is submitted only through a filing, tests/filings) have their own tests."""
    settings.FORMS_ENGINE_START_GUARD = None
    settings.FORMS_ENGINE_SUBMIT_HOOKS = {
        key: hook for key, hook in settings.FORMS_ENGINE_SUBMIT_HOOKS.items() if key != "*"
    }


@pytest.fixture
def innovation_definition(innovation_self_test):
    """The shipped self-test as the wizard tests use it (the shared fixture of tests/conftest.py).

    The engine's own pages (/forms/fill/…) are tried on it as on any self-service form; the portal
    files it only as a 创新型中小企业 filing (tests/filings)."""
    from forms_engine.models import FormDefinition

    FormDefinition.objects.filter(key="innovation_self_test").update(self_service=True)
    innovation_self_test.refresh_from_db()
    return innovation_self_test


@pytest.fixture
def enterprise_user(django_user_model):
    return django_user_model.objects.create_user(username="qiye01", password="Qiye-Pass-2026")


@pytest.fixture
def other_user(django_user_model):
    return django_user_model.objects.create_user(username="qiye02", password="Qiye-Pass-2026")


# A complete, valid answer set of the innovation self-test (hand-computed: 85 points, qualified).
INNOVATION_ANSWERS = {
    "enterprise_name": "深圳市测试传感科技有限公司",
    "uscc": "91440300MA5D8XXX1X",
    "main_product": "工业压力传感器",
    "independent_legal_person": True,
    "is_sme": True,
    "not_on_lists": True,
    "no_major_incident": True,
    "product_permitted": True,
    "revenue": 1000,
    "main_revenue": 700,
    "main_revenue_prev": 600,
    "rd_spend": 30,
    "total_assets": 1000,
    "total_liabilities": 550,
    "ip_class": "C",
    "main_product_field": "strategic",
    "st_award": False,
    "valid_honour": False,
    "rd_institution": False,
    "equity_financing": 0,
    "pledge_truthful": True,
}


@pytest.fixture
def innovation_answers() -> dict:
    return dict(INNOVATION_ANSWERS)
