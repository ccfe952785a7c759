"""Demo enterprise users with profiles (idempotent): ``manage.py seed_demo_enterprises``.

Needs the reference data (``load_reference_data``). Profiles are written through the services,
so each demo enterprise has a version history; a recognised demo enterprise gets a real recognition
(``portal.recognition.services.import_recognition``: numbered from the configured pattern, with its
certificate, found by the public query), which sets the profile's recognition fields. When the
accounts app's ``Account`` model exists, each demo user gets a verified 法人 account with a bound
phone (SMS login codes go to it). Prints the logins.
"""

from __future__ import annotations

import datetime as dt
import os
from decimal import Decimal

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from portal.core.identity import id_check_character, uscc_check_character
from portal.enterprises.models import Enterprise
from portal.enterprises.services import register_verified_enterprise, update_enterprise_profile
from portal.recognition.services import import_recognition
from portal.reference.models import Industry, Region

DEMO_PASSWORD = os.environ.get("DEMO_ENTERPRISE_PASSWORD", "Qiye-Demo-2026")


def demo_uscc(region: str, serial: str) -> str:
    first17 = f"91{region}{serial}"
    return first17 + uscc_check_character(first17)


def demo_id_number(region: str, birth: str, serial: str) -> str:
    first17 = f"{region}{birth}{serial}"
    return first17 + id_check_character(first17)


DEMO_ENTERPRISES = [
    {
        "username": "qiye_demo_sz",
        "phone": "13900000101",
        # valid 3 years: 2024-12-20 to 2027-12-19
        "recognition": {
            "level": Enterprise.RecognitionLevel.SPECIALIZED,
            "year": 2024,
            "valid_from": dt.date(2024, 12, 20),
        },
        "identity": {
            "name": "深圳市示例智能装备有限公司",
            "uscc": demo_uscc("440305", "MA5DEM001"),
            "legal_representative": "张三",
            "legal_representative_id": demo_id_number("440305", "19800101", "001"),
        },
        "profile": {
            "region": "440305",
            "industry": "34",
            "established_on": dt.date(2012, 5, 18),
            "registered_capital": Decimal("2000"),
            "size_class": Enterprise.SizeClass.SMALL,
            "employees": 180,
            "contact_name": "李四",
            "contact_phone": "13900000111",
            "contact_email": "contact@sz-demo.example.cn",
            "address": "广东省深圳市南山区科技园示例路1号",
            "main_products": "工业机器人减速器、伺服系统",
        },
    },
    {
        "username": "qiye_demo_hz",
        "phone": "13900000102",
        "identity": {
            "name": "杭州示例软件科技有限公司",
            "uscc": demo_uscc("330106", "MA2DEM002"),
            "legal_representative": "王五",
            "legal_representative_id": demo_id_number("330106", "19850615", "002"),
        },
        "profile": {
            "region": "330106",
            "industry": "65",
            "established_on": dt.date(2016, 9, 1),
            "registered_capital": Decimal("500"),
            "size_class": Enterprise.SizeClass.SMALL,
            "employees": 60,
            "contact_name": "赵六",
            "contact_phone": "0571-88880000",
            "contact_email": "hr@hz-demo.example.cn",
            "address": "浙江省杭州市西湖区文三路示例大厦8层",
            "main_products": "工业互联网平台软件",
        },
    },
    {
        "username": "qiye_demo_cd",
        "phone": "13900000103",
        # valid 3 years: 2025-11-28 to 2028-11-27
        "recognition": {
            "level": Enterprise.RecognitionLevel.INNOVATIVE,
            "year": 2025,
            "valid_from": dt.date(2025, 11, 28),
        },
        "identity": {
            "name": "成都示例餐饮管理有限公司",
            "uscc": demo_uscc("510107", "MA6DEM003"),
            "legal_representative": "孙七",
            "legal_representative_id": demo_id_number("510107", "19790320", "003"),
        },
        "profile": {
            "region": "510107",
            "industry": "62",
            "established_on": dt.date(2010, 3, 8),
            "registered_capital": Decimal("300"),
            "size_class": Enterprise.SizeClass.MICRO,
            "employees": 25,
            "contact_name": "周八",
            "contact_phone": "13900000133",
            "contact_email": "service@cd-demo.example.cn",
            "address": "四川省成都市武侯区示例街2号",
            "main_products": "中式餐饮连锁服务",
        },
    },
    {
        # verified only: the profile is still incomplete (filing flows ask to complete it)
        "username": "qiye_demo_bj",
        "phone": "13900000104",
        "identity": {
            "name": "北京示例新材料有限公司",
            "uscc": demo_uscc("110108", "MA0DEM004"),
            "legal_representative": "吴九",
            "legal_representative_id": demo_id_number("110108", "19900909", "004"),
        },
        "profile": {},
    },
]


class Command(BaseCommand):
    help = "Create demo enterprise users and their profiles (idempotent); print their logins."

    def add_arguments(self, parser):
        parser.add_argument(
            "--demo",
            action="store_true",
            help="create them even where settings do not allow demo data (their passwords are public)",
        )

    def handle(self, *args, demo: bool = False, **options):
        if not (demo or settings.PORTAL_DEMO_DATA):
            # the same guard as bootstrap_portal's: these logins are printed in the README
            raise CommandError(
                "Demo enterprises have public passwords and these settings do not allow demo data "
                "(PORTAL_DEMO_DATA). Pass --demo to create them anyway."
            )
        if not Region.objects.exists() or not Industry.objects.exists():
            raise CommandError("Reference data missing: run `manage.py load_reference_data` first.")
        for spec in DEMO_ENTERPRISES:
            enterprise = self._seed(spec)
            self.stdout.write(
                f"Demo enterprise {enterprise.name}: username={spec['username']} password={DEMO_PASSWORD} "
                f"(USCC {enterprise.uscc}, phone {spec['phone']}, "
                f"{'已认定' if enterprise.is_recognised else '未认定'})"
            )

    @transaction.atomic
    def _seed(self, spec: dict) -> Enterprise:
        user_model = get_user_model()
        user, _created = user_model.objects.get_or_create(username=spec["username"])
        if not user.check_password(DEMO_PASSWORD):
            user.set_password(DEMO_PASSWORD)
            user.save()
        self._link_account(user, spec)
        enterprise = register_verified_enterprise(user=user, **spec["identity"])
        if spec["profile"] and not enterprise.is_recognised:
            # written before the recognition on the first run: a recognised profile changes only
            # in the 信息更新 window, so later runs leave it as it is
            enterprise = update_enterprise_profile(enterprise=enterprise, user=user, data=spec["profile"])
        if spec.get("recognition"):
            import_recognition(enterprise=enterprise, **spec["recognition"])
        enterprise.refresh_from_db()
        return enterprise

    def _link_account(self, user, spec: dict) -> None:
        """A verified 法人 Account (accounts app) so that login by USCC and SMS codes work."""
        try:
            account_model = apps.get_model("accounts", "Account")
        except LookupError:
            return
        account_model.objects.update_or_create(
            user=user,
            defaults={
                "phone": spec["phone"],
                "user_type": "legal",
                "verification_status": "verified",
                "real_name": spec["identity"]["legal_representative"],
                "uscc": spec["identity"]["uscc"],
            },
        )
