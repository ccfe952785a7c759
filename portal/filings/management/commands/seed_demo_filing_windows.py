"""Demo 申报时间 (idempotent): ``manage.py seed_demo_filing_windows``.

For the provinces of the demo enterprises (Guangdong, Zhejiang, Sichuan, Beijing) one window per
level of the current year, open from 30 days ago to 60 days ahead, so that `make run` shows open
filing entries. Each carries the note “演示数据” — real windows are kept by provincial admins in
the admin's 企业申报 → 申报时间. Windows that exist already (same province, level, year and batch)
are left as they are.
"""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand
from django.utils import timezone

from portal.filings.models import FilingLevel, FilingWindow
from portal.reference.models import Region

DEMO_PROVINCES = ("440000", "330000", "510000", "110000")
NOTE = "演示数据：示例申报时间，非真实申报批次。"


class Command(BaseCommand):
    help = "Create open demo filing windows for the demo enterprises' provinces."

    def handle(self, *args, **options):
        today = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
        opens, closes = today - dt.timedelta(days=30), today + dt.timedelta(days=60)
        created = 0
        for code in DEMO_PROVINCES:
            province = Region.objects.filter(code=code).first()
            if province is None:
                continue
            for level in FilingLevel:
                _window, made = FilingWindow.objects.get_or_create(
                    province=province,
                    level=level,
                    year=today.year,
                    batch=1,
                    defaults={"opens_at": opens, "closes_at": closes, "note": NOTE},
                )
                created += made
        self.stdout.write(f"Demo filing windows ready ({created} created).")
