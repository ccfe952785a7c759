"""Every read of recognition: who decides, what is ready for 公示, the registers, the public query.

Who may 公示 and 认定 a filing (:func:`can_decide`): a reviewer whose scope is the *deciding* level
of the filing's chain (its last step: 省 for 创新型 and 专精特新, 部 for 小巨人 by default) and whose
region covers the enterprise's 注册地 — or a superuser. A 公示 is managed by the reviewers of its
deciding level whose region covers its ``region_prefix`` (:func:`can_manage_publicity`).

- :func:`filings_ready_for_publicity` — 审核通过 filings the reviewer decided (not yet on a 公示).
- :func:`publicities_visible_to` / :func:`publicity_for` — the 公示 lists of a reviewer (None: 404).
- :func:`recognitions_visible_to` / :func:`recognition_for_staff` — the 认定企业 register, cut to
  the staff member's review region.
- :func:`recognition_of_owner` — a recognition of the signed-in user's own enterprise, or None.
- :func:`find_recognitions` — the public query: name and USCC must both match exactly.
- :func:`recognition_settings`, :func:`publicity_days_for`, :func:`authority_for` — the settings.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from portal.enterprises.models import Enterprise
from portal.enterprises.selectors import enterprise_for_user, enterprise_province_code
from portal.filings.models import Filing, ReviewChain
from portal.filings.selectors import DEFAULT_CHAINS
from portal.filings.states import ReviewLevel, State, level_rank
from portal.review.selectors import Scope, scope_of

from .models import ProvinceRecognitionSetting, Publicity, Recognition, RecognitionSettings


def recognition_settings() -> RecognitionSettings:
    return RecognitionSettings.load()


def province_code_of(enterprise: Enterprise) -> str:
    return enterprise_province_code(enterprise)


def _province_setting(province_code: str) -> ProvinceRecognitionSetting | None:
    if not province_code:
        return None
    return ProvinceRecognitionSetting.objects.filter(province__code=province_code).first()


def publicity_days_for(province_code: str) -> int:
    """The 公示 period (calendar days) of a province's 公示 ("": the ministry's, the default)."""
    row = _province_setting(province_code)
    if row is not None and row.publicity_days:
        return row.publicity_days
    return recognition_settings().publicity_days


def authority_for(*, deciding_level: str, province_code: str) -> str:
    """The issuing authority printed on a certificate (a setting; the ministry for 部级 decisions)."""
    config = recognition_settings()
    if deciding_level == ReviewLevel.MINISTRY:
        return config.ministry_authority
    row = _province_setting(province_code)
    if row is not None and row.authority:
        return row.authority
    from cms.regions import PROVINCE_NAMES

    return config.provincial_authority.replace("{province}", PROVINCE_NAMES.get(province_code, ""))


# --- who decides ---------------------------------------------------------------------------------


def deciding_level(filing: Filing) -> str:
    steps = filing.chain_steps
    return steps[-1].level if steps else ""


def deciding_levels() -> set[str]:
    """Every level that decides in some chain (the configured ones and the defaults)."""
    levels = {chain[-1].level for chain in DEFAULT_CHAINS.values() if chain}
    for steps in ReviewChain.objects.values_list("steps", flat=True):
        if steps:
            levels.add(steps[-1].get("level", ""))
    return levels


def may_decide_somewhere(user) -> bool:
    """A superuser, or a reviewer whose level decides in some chain (the 公示与认定 menu)."""
    scope = scope_of(user)
    return scope is not None and (not scope.level or scope.level in deciding_levels())


def _covers(scope: Scope, region_code: str) -> bool:
    return not scope.prefix or region_code.startswith(scope.prefix)


def can_decide(user, filing: Filing, scope: Scope | None = None) -> bool:
    scope = scope if scope is not None else scope_of(user)
    if scope is None:
        return False
    if scope.level and scope.level != deciding_level(filing):
        return False
    return _covers(scope, filing.region_code)


def recognition_deciding_level(recognition: Recognition) -> str:
    """The level that decided ``recognition`` (as recorded; for rows without one, the default chain's
    deciding level of its level)."""
    if recognition.deciding_level:
        return recognition.deciding_level
    chain = DEFAULT_CHAINS.get(recognition.level) or ()
    return chain[-1].level if chain else ""


def can_cancel(user, recognition: Recognition, scope: Scope | None = None) -> bool:
    """取消认定 (F-44): the level that decides the recognition's level, in a region covering the
    enterprise's 注册地 as recognised, or a superuser."""
    scope = scope if scope is not None else scope_of(user)
    if scope is None:
        return False
    if scope.level and scope.level != recognition_deciding_level(recognition):
        return False
    return _covers(scope, recognition.region_code)


def application_bar(enterprise: Enterprise, *, today=None) -> Recognition | None:
    """The cancellation that still bars ``enterprise`` from new applications on ``today`` (the one
    lasting longest), or None."""
    from django.utils import timezone

    today = today or timezone.localdate()
    return (
        Recognition.objects.filter(enterprise=enterprise, barred_until__gt=today)
        .order_by("-barred_until", "-pk")
        .first()
    )


def filings_ready_for_publicity(user, scope: Scope | None = None) -> QuerySet[Filing]:
    """审核通过 filings in the reviewer's region decided at the reviewer's level. A filing approved
    at its deciding step reached exactly that step's rank (chains go strictly up), so the deciding
    level is matched on ``reached_rank`` without reading the chain."""
    scope = scope if scope is not None else scope_of(user)
    if scope is None:
        return Filing.objects.none()
    queryset = Filing.objects.filter(state=State.APPROVED, kind=Filing.Kind.APPLICATION)
    if scope.prefix:
        queryset = queryset.filter(region_code__startswith=scope.prefix)
    if scope.level:
        queryset = queryset.filter(reached_rank=level_rank(scope.level))
    return queryset


def can_manage_publicity(user, publicity: Publicity, scope: Scope | None = None) -> bool:
    scope = scope if scope is not None else scope_of(user)
    if scope is None:
        return False
    if not scope.level:
        return True
    return scope.level == publicity.deciding_level and publicity.region_prefix.startswith(scope.prefix)


def publicities_visible_to(user, scope: Scope | None = None) -> QuerySet[Publicity]:
    scope = scope if scope is not None else scope_of(user)
    if scope is None:
        return Publicity.objects.none()
    queryset = Publicity.objects.all()
    if scope.level:
        queryset = queryset.filter(deciding_level=scope.level, region_prefix__startswith=scope.prefix)
    return queryset


def publicity_for(user, pk: Any) -> Publicity | None:
    """公示 ``pk`` if the user manages it (None: the page answers 404)."""
    try:
        publicity = (
            Publicity.objects.select_related("province", "notice", "created_by").filter(pk=int(pk)).first()
        )
    except (TypeError, ValueError):
        return None
    return publicity if publicity is not None and can_manage_publicity(user, publicity) else None


def publicity_entries(publicity: Publicity) -> list:
    return list(
        publicity.entries.select_related(
            "filing__enterprise__region", "filing__window", "filing__recognition"
        ).order_by("position", "pk")
    )


# --- the registers -------------------------------------------------------------------------------


def recognitions_visible_to(user, scope: Scope | None = None) -> QuerySet[Recognition]:
    """Recognitions of enterprises registered inside the staff member's review region (any level)."""
    scope = scope if scope is not None else scope_of(user)
    if scope is None:
        return Recognition.objects.none()
    queryset = Recognition.objects.all()
    if scope.prefix:
        queryset = queryset.filter(region_code__startswith=scope.prefix)
    return queryset


def can_view_recognition(user, recognition: Recognition) -> bool:
    scope = scope_of(user)
    return scope is not None and _covers(scope, recognition.region_code)


def recognition_for_staff(user, pk: Any) -> Recognition | None:
    try:
        recognition = (
            Recognition.objects.select_related("enterprise", "filing__window").filter(pk=int(pk)).first()
        )
    except (TypeError, ValueError):
        return None
    return recognition if recognition is not None and can_view_recognition(user, recognition) else None


def recognitions_of_enterprise(enterprise: Enterprise | None) -> list[Recognition]:
    if enterprise is None:
        return []
    return list(Recognition.objects.filter(enterprise=enterprise).order_by("-valid_from", "-pk"))


def recognition_of_owner(user, pk: Any) -> Recognition | None:
    """Recognition ``pk`` of the user's own enterprise (None for anyone else: 404)."""
    enterprise = enterprise_for_user(user)
    if enterprise is None:
        return None
    try:
        return (
            Recognition.objects.select_related("enterprise").filter(pk=int(pk), enterprise=enterprise).first()
        )
    except (TypeError, ValueError):
        return None


def recognition_of_filing(filing: Filing) -> Recognition | None:
    return Recognition.objects.filter(filing=filing).first()


# --- the public query (F-03) ----------------------------------------------------------------------


def find_recognitions(*, name: str, uscc: str) -> list[Recognition]:
    """The recognitions of the enterprise whose USCC (any letter case) *and* name both match exactly,
    after trimming — its name as recognised or as it is now. Never a partial match."""
    name, uscc = (name or "").strip(), (uscc or "").strip().upper()
    if not name or not uscc:
        return []
    return list(
        Recognition.objects.filter(uscc=uscc)
        .filter(Q(enterprise_name=name) | Q(enterprise__name=name))
        .order_by("-valid_from", "-pk")
    )
