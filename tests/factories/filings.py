"""Factories of 企业申报 (portal.filings): windows, requirements, evidence zips, enterprises that may
file, and filings started and submitted through the services.

::

    enterprise = FilingEnterpriseFactory()                 # verified 法人, complete profile, 广东·南山区
    window = FilingWindowFactory(level="innovative")        # open now in 广东
    filing = FilingFactory(enterprise=enterprise)           # 【申请】 (the definition is imported)
    filing = submitted_filing(enterprise=enterprise)        # answered, with a passed zip, 【确认提交】

The three shipped filing forms are imported on demand by :func:`filing_forms`; their nationwide
申报条件 come from the migration.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import zipfile
from typing import Any

import factory
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.utils import timezone

from forms_engine import services as engine
from forms_engine.models import FormDefinition
from portal.accounts.models import Account
from portal.enterprises.models import Enterprise
from portal.filings import services
from portal.filings.models import EvidenceArchive, Filing, FilingLevel, FilingRequirement, FilingWindow
from portal.reference.models import Region
from tests.accounts.factories import UserFactory, make_uscc
from tests.enterprises.factories import CompleteEnterpriseFactory

# The definition each level is filed on (as the migration seeds the nationwide 申报条件).
DEFINITIONS = {
    FilingLevel.INNOVATIVE: "innovation_self_test",
    FilingLevel.SPECIALIZED: "specialized_filing",
    FilingLevel.LITTLE_GIANT: "little_giant_filing",
}

# A complete, valid answer set of the innovation self-test (85 points, qualified); the enterprise's
# name and USCC are prefilled from the profile and left as they are.
INNOVATION_ANSWERS: dict[str, Any] = {
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


def filing_forms(*levels: str) -> list[FormDefinition]:
    """Import the shipped form of each level (all three without arguments); idempotent."""
    from tests.forms_engine.conftest import load_document

    definitions = []
    for level in levels or tuple(FilingLevel):
        key = DEFINITIONS[FilingLevel(level)]
        definition = FormDefinition.objects.filter(key=key).first()
        if definition is None or not definition.versions.exists():
            engine.import_definition_document(document=load_document(key))
            definition = FormDefinition.objects.get(key=key)
        definitions.append(definition)
    return definitions


def nationwide_requirements() -> None:
    """The nationwide 申报条件 and the 省级管理员 group as migration 0003 seeds them, again: a
    transactional (browser) test flushes what migrations wrote. Idempotent."""
    import importlib

    from django.contrib.auth.models import Group, Permission

    seeded = importlib.import_module("portal.filings.migrations.0003_default_requirements_provincial_admin")
    for row in seeded.REQUIREMENTS:
        FilingRequirement.objects.get_or_create(
            level=row["level"],
            province=None,
            defaults={
                "definition_key": row["definition_key"],
                "requires_assessment": row["requires_assessment"],
                "requires_recognition": row["requires_recognition"],
            },
        )
    group, _created = Group.objects.get_or_create(name=seeded.PROVINCIAL_ADMIN_GROUP)
    for app_label, model, codename in seeded.PERMISSIONS:
        group.permissions.add(
            Permission.objects.get(
                content_type__app_label=app_label, content_type__model=model, codename=codename
            )
        )


def province(code: str = "440000", name: str = "广东省") -> Region:
    return Region.objects.get_or_create(code=code, defaults={"name": name, "level": "province"})[0]


def county(code: str, name: str, prefecture: tuple[str, str], province_row: Region) -> Region:
    parent = Region.objects.get_or_create(
        code=prefecture[0], defaults={"name": prefecture[1], "level": "prefecture", "parent": province_row}
    )[0]
    return Region.objects.get_or_create(
        code=code, defaults={"name": name, "level": "county", "parent": parent}
    )[0]


def zhejiang_county() -> Region:
    """西湖区, 杭州市, 浙江省: an enterprise of another province than the factories' default."""
    return county("330106", "西湖区", ("330100", "杭州市"), province("330000", "浙江省"))


def dongguan() -> Region:
    """东莞市 441900: a prefecture without counties (an enterprise registers at the prefecture)."""
    return Region.objects.get_or_create(
        code="441900", defaults={"name": "东莞市", "level": "prefecture", "parent": province()}
    )[0]


class FilingWindowFactory(factory.django.DjangoModelFactory):
    """申报时间 open from yesterday to a month ahead (Guangdong, 创新型中小企业 unless told)."""

    class Meta:
        model = FilingWindow

    province = factory.LazyFunction(province)
    level = FilingLevel.INNOVATIVE
    year = factory.LazyFunction(lambda: timezone.localdate().year)
    batch = factory.Sequence(lambda n: n % 12 + 1)
    opens_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=1))
    closes_at = factory.LazyAttribute(lambda o: o.opens_at + dt.timedelta(days=31))


class FilingRequirementFactory(factory.django.DjangoModelFactory):
    """A province's own 申报条件 of a level (the nationwide rows come from the migration)."""

    class Meta:
        model = FilingRequirement

    level = FilingLevel.INNOVATIVE
    province = factory.LazyFunction(province)
    definition_key = factory.LazyAttribute(lambda o: DEFINITIONS[FilingLevel(o.level)])
    requires_complete_profile = True
    requires_assessment = False
    requires_recognition = ""
    requires_evidence = True


class FilingEnterpriseFactory(CompleteEnterpriseFactory):
    """An enterprise that may file: its owner is a verified 法人 account with the same USCC, and the
    profile is complete (registered in 南山区, 深圳市, 广东省)."""

    class Meta:
        model = Enterprise
        skip_postgeneration_save = True

    owner = factory.SubFactory(UserFactory)
    uscc = factory.Sequence(lambda n: make_uscc(region="440305", serial=f"MA5F{n:05d}"))

    @factory.post_generation
    def account(obj, create, extracted, **kwargs):
        if create:
            Account.objects.get_or_create(
                user=obj.owner,
                defaults={
                    "phone": f"139{obj.owner.pk:08d}",
                    "user_type": "legal",
                    "verification_status": "verified",
                    "real_name": obj.legal_representative,
                    "uscc": obj.uscc,
                },
            )


def zip_bytes(**members: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in (members or {"说明.txt": "申报材料"}).items():
            archive.writestr(name, text)
    return buffer.getvalue()


class EvidenceArchiveFactory(factory.django.DjangoModelFactory):
    """其他材料: a small zip that passed the check, in the private evidence storage."""

    class Meta:
        model = EvidenceArchive

    enterprise = factory.SubFactory(FilingEnterpriseFactory)
    uploaded_by = factory.LazyAttribute(lambda o: o.enterprise.owner)
    state = EvidenceArchive.State.PASSED
    filename = "申报材料.zip"
    size = factory.LazyFunction(lambda: len(zip_bytes()))
    offset = factory.LazyAttribute(lambda o: o.size)
    stored_name = factory.LazyAttribute(
        lambda o: storages["evidence"].save("tests/evidence.zip", ContentFile(zip_bytes()))
    )
    sha256 = factory.LazyFunction(lambda: hashlib.sha256(zip_bytes()).hexdigest())
    members = factory.LazyFunction(lambda: [{"name": "说明.txt", "size": len("申报材料".encode())}])
    member_count = 1
    uncompressed_size = factory.LazyFunction(lambda: len("申报材料".encode()))


class FilingFactory(factory.Factory):
    """【申请】 through :func:`portal.filings.services.start_filing` (a draft): the level's form is
    imported and, unless ``window`` is given, an open window of the enterprise's province created."""

    class Meta:
        model = Filing

    enterprise = factory.SubFactory(FilingEnterpriseFactory)
    level = FilingLevel.INNOVATIVE
    window = factory.LazyAttribute(
        lambda o: FilingWindowFactory(province=_province_of(o.enterprise), level=o.level)
    )

    @classmethod
    def _create(
        cls, model_class: type, *, enterprise: Enterprise, level: str, window: FilingWindow
    ) -> Filing:
        filing_forms(level)
        filing = services.start_filing(enterprise=enterprise, user=enterprise.owner, level=level)
        assert filing.window_id == window.pk
        return filing


def _province_of(enterprise: Enterprise) -> Region:
    from portal.enterprises.selectors import enterprise_province_code

    return Region.objects.get(code=enterprise_province_code(enterprise))


def answer(filing: Filing, answers: dict[str, Any] | None = None) -> Filing:
    """【暂存】 ``answers`` (default: the complete innovation answer set) on the filing's draft."""
    submission = filing.submission
    engine.save_submission_progress(
        submission=submission,
        expected_revision=submission.revision,
        wizard_state={},
        answers={**submission.answers, **(INNOVATION_ANSWERS if answers is None else answers)},
    )
    filing.refresh_from_db()
    return filing


def submitted_filing(*, evidence: EvidenceArchive | None = None, **kwargs: Any) -> Filing:
    """An innovation filing answered completely and submitted with a passed zip (待审核)."""
    filing = answer(FilingFactory(**kwargs))
    archive = evidence or EvidenceArchiveFactory(enterprise=filing.enterprise)
    return services.submit_filing(filing=filing, user=filing.enterprise.owner, evidence=archive)
