"""Dates and moments as Chinese readers write them, for messages, notices and pages: 2026年3月1日,
and 2026年3月1日 09:00 in Beijing time (the site's time zone). Independent of the active language,
so a scheduled job writes them as a request does."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone


def chinese_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def chinese_datetime(moment: dt.datetime) -> str:
    local = timezone.localtime(moment)
    return f"{chinese_date(local)} {local:%H:%M}"
