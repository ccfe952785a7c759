"""Recognition is the only writer of the profile's recognition fields (STYLE: "the only writer of
'recognised'"): no code outside ``portal/recognition/services.py`` assigns them, and the profile's
own services refuse them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings

from portal.enterprises.services import ProfileFieldNotEditableError, update_enterprise_profile
from portal.recognition.services import PROFILE_FIELDS

ALLOWED = {
    Path("portal/recognition/services.py"),  # the writer
    Path("portal/enterprises/models.py"),  # the field definitions
}
NAMES = "|".join(PROFILE_FIELDS)
# an assignment (`x.is_recognised = …`), a keyword argument (`update(is_recognised=…)`) or a dict key
# (`"is_recognised": …`); keyword arguments of a lookup (`filter(is_recognised=True)`) only read
WRITE = re.compile(rf"(\.|\b)({NAMES})\s*=(?!=)|[\"']({NAMES})[\"']\s*:")
LOOKUPS = re.compile(r"\b(filter|exclude|get|Q)\($")


def writes(code: str) -> bool:
    for match in WRITE.finditer(code):
        before = code[: match.start()]
        opened = before.rfind("(")
        if match.group(2) and opened > before.rfind(")") and LOOKUPS.search(before[: opened + 1]):
            continue
        return True
    return False


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("Enterprise.objects.filter(pk=1).update(is_recognised=False)", True),
        ("enterprise.recognition_level = level", True),
        ('Enterprise.objects.create(name="x", recognition_year=2024)', True),
        ('{"recognition_valid_until": day}', True),
        ("Enterprise.objects.filter(is_recognised=True)", False),
        ("if enterprise.is_recognised and enterprise.recognition_level == level:", False),
        ('list_filter = (ProvinceListFilter, "is_recognised")', False),
    ],
)
def test_the_check_tells_writes_from_reads(code, expected):
    assert writes(code) is expected


def test_nothing_but_the_recognition_services_writes_the_recognition_fields():
    root = Path(settings.BASE_DIR)
    offenders = []
    for folder in ("portal", "cms", "forms_engine"):
        for path in (root / folder).rglob("*.py"):
            relative = path.relative_to(root)
            if relative in ALLOWED or "migrations" in relative.parts:
                continue
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if writes(line.split("#", 1)[0]):
                    offenders.append(f"{relative}:{number}: {line.strip()}")
    assert offenders == []


@pytest.mark.django_db
@pytest.mark.parametrize("field", PROFILE_FIELDS)
def test_the_profile_service_refuses_the_recognition_fields(regions, field):
    from tests.factories import recognition as factories

    enterprise = factories.enterprise(region=regions["440305"])
    with pytest.raises(ProfileFieldNotEditableError):
        update_enterprise_profile(enterprise=enterprise, user=enterprise.owner, data={field: True})
