"""Factories of recognition (portal.recognition): reviewers with a scope, filings already approved at
their deciding step, a site with the notice index, 公示 over and done with.

::

    regions = gd_regions()                                   # 广东 / 深圳 / 南山, 浙江 / 杭州 / 西湖
    reviewer = reviewer_user(level="province", region=regions["440000"])
    filing = approved_filing(region=regions["440305"])       # 创新型, decided by the province
    publicity = CreatePublicityAction([filing], user=reviewer).execute()
    end_publicity(publicity)                                  # published, its period over
    recognition = RecogniseFilingAction(filing, user=reviewer).execute()

An approved filing is made as rows (a submission on a small form, a window, the filing at the
deciding step of its chain) rather than filed and passed level by level: recognition starts from
审核通过, and the filing and review tests walk the way there.
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.utils import timezone
from wagtail.models import Site

from cms.models import HomePage, NoticeIndexPage
from forms_engine import services as engine
from portal.core.identity import uscc_check_character
from portal.enterprises.models import Enterprise
from portal.filings.models import Filing, FilingWindow
from portal.filings.selectors import DEFAULT_CHAINS
from portal.filings.states import ReviewLevel, State, level_rank
from portal.reference.models import Region
from portal.review.models import ReviewerScope
from tests.e2e.helpers import tree_root
from tests.factories.forms import FormVersionFactory, SubmissionFactory, field, make_schema

_serials = itertools.count(1)
PASSWORD = "Shenhe-Pass-2026"


def region(code: str, name: str, level: str, parent: Region | None = None) -> Region:
    return Region.objects.get_or_create(code=code, defaults={"name": name, "level": level, "parent": parent})[
        0
    ]


def gd_regions() -> dict[str, Region]:
    """广东省 / 深圳市 / 南山区, 福田区; 浙江省 / 杭州市 / 西湖区; 北京市 (a municipality)."""
    gd = region("440000", "广东省", "province")
    sz = region("440300", "深圳市", "prefecture", gd)
    zj = region("330000", "浙江省", "province")
    hz = region("330100", "杭州市", "prefecture", zj)
    return {
        "440000": gd,
        "440300": sz,
        "440305": region("440305", "南山区", "county", sz),
        "440304": region("440304", "福田区", "county", sz),
        "330000": zj,
        "330100": hz,
        "330106": region("330106", "西湖区", "county", hz),
    }


def complete_profile() -> dict[str, Any]:
    """What a filing enterprise's profile holds (F-20), so its pages show no "please complete"."""
    from portal.reference.models import Industry

    section = Industry.objects.get_or_create(
        code="C", defaults={"name": "制造业", "level": "section", "questionnaire_category": "manufacturing"}
    )[0]
    industry = Industry.objects.get_or_create(
        code="34",
        defaults={
            "name": "通用设备制造业",
            "level": "division",
            "parent": section,
            "questionnaire_category": "manufacturing",
        },
    )[0]
    return {
        "industry": industry,
        "established_on": dt.date(2012, 5, 18),
        "registered_capital": 2000,
        "size_class": "small",
        "employees": 180,
        "contact_name": "李四",
        "contact_phone": "13900000111",
        "contact_email": "contact@example.cn",
        "address": "深圳市南山区科技园1号",
        "main_products": "精密减速器",
    }


def make_uscc(region_code: str) -> str:
    first17 = f"91{region_code}MA{next(_serials):07d}"
    return first17 + uscc_check_character(first17)


def enterprise(*, region: Region, name: str = "", **extra: Any) -> Enterprise:
    n = next(_serials)
    owner = get_user_model().objects.create_user(username=f"qiye_rec{n}", password=PASSWORD)
    return Enterprise.objects.create(
        owner=owner,
        name=name or f"认定测试{n}科技有限公司",
        uscc=make_uscc(region.code),
        legal_representative="张三",
        legal_representative_id="440305198001010013",
        region=region,
        **extra,
    )


def reviewer_user(*, level: str, region: Region | None, username: str = "") -> Any:
    """Staff in the 审核人员 group with a scope (``region`` None: the ministry, the whole country)."""
    user = get_user_model().objects.create_user(
        username=username or f"shenhe{next(_serials)}", password=PASSWORD, is_staff=True
    )
    group = Group.objects.filter(name="审核人员").first()
    if group is not None:
        user.groups.add(group)
    else:  # a transactional test flushed the group the migrations made: its permissions directly
        user.user_permissions.add(
            *Permission.objects.filter(codename__in=["access_admin", "view_filing", "review_filing"])
        )
    ReviewerScope.objects.create(user=user, level=level, region=region)
    return get_user_model().objects.get(pk=user.pk)  # fresh permission caches


def _small_version():
    schema = make_schema(
        field("revenue", "integer", "营业收入（万元）"), title="专精特新中小企业申报表（测试）"
    )
    return FormVersionFactory(schema=schema)


def approved_filing(
    *,
    region: Region | None = None,
    level: str = Enterprise.RecognitionLevel.INNOVATIVE,
    enterprise_row: Enterprise | None = None,
    year: int | None = None,
    chain: tuple | None = None,
    state: str = State.APPROVED,
) -> Filing:
    """A filing of ``level`` at the deciding (last) step of its chain, 审核通过."""
    enterprise_row = enterprise_row or enterprise(region=region)
    province = Region.objects.get(code=enterprise_row.region.code[:2] + "0000")
    now = timezone.now()
    window = FilingWindow.objects.get_or_create(
        province=province,
        level=level,
        year=year or timezone.localdate().year,
        batch=1,
        defaults={"opens_at": now - dt.timedelta(days=30), "closes_at": now - dt.timedelta(days=1)},
    )[0]
    steps = list(chain or DEFAULT_CHAINS[level])
    submission = SubmissionFactory(
        version=_small_version(), owner=enterprise_row.owner, answers={"revenue": 1}
    )
    # submitted before the filing row exists, so the filings' submit hook has nothing to move
    submission = engine.submit_submission(submission=submission, user=enterprise_row.owner)
    return Filing.objects.create(
        enterprise=enterprise_row,
        level=level,
        window=window,
        submission=submission,
        state=state,
        chain=[step.as_dict() for step in steps],
        step=len(steps) - 1,
        current_level="",
        region_code=enterprise_row.region.code,
        province_code=province.code,
        reached_rank=level_rank(steps[-1].level),
        self_score=80,
        verified_score=80,
        submitted_at=now - dt.timedelta(days=20),
        first_submitted_at=now - dt.timedelta(days=20),
        decided_at=now - dt.timedelta(days=2),
    )


def notice_site() -> NoticeIndexPage:
    """The home page and the notice index (/notices/) the 公示 notices go under."""
    index = NoticeIndexPage.objects.first()
    if index is not None:
        return index
    root = tree_root()  # a transactional test flushed the one the migrations made
    home = root.add_child(instance=HomePage(title="首页", slug="portal-home"))
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(hostname="localhost", root_page=home, is_default_site=True)
    else:
        site.root_page = home
        site.save()
    return home.add_child(instance=NoticeIndexPage(title="通知公告", slug="notices"))


def publish_notice(publicity, *, on: dt.date | None = None) -> None:
    """An editor publishes the 公示 notice (the period starts); ``on`` backdates its dates."""
    from portal.recognition.models import Publicity

    notice = publicity.notice
    notice.save_revision().publish()
    if on is not None:
        Publicity.objects.filter(pk=publicity.pk).update(
            period_start=on, period_end=on + dt.timedelta(days=publicity.period_days - 1)
        )
    publicity.refresh_from_db()


def end_publicity(publicity) -> None:
    """Publish the notice as if it went out ``period_days + 1`` days ago: the period is over."""
    today = timezone.localdate()
    publish_notice(publicity, on=today - dt.timedelta(days=publicity.period_days + 1))


MINISTRY = ReviewLevel.MINISTRY
PROVINCE = ReviewLevel.PROVINCE
CITY = ReviewLevel.CITY
