"""实名认证 and 人工实名认证 (SPEC F-12, F-13, F-17)."""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import log

from portal.accounts.masking import mask_id_number
from portal.accounts.models import (
    Account,
    RealNameVerification,
    ReviewStatus,
    UserType,
)
from portal.accounts.selectors import can_review
from portal.accounts.validators import normalize_id_number, normalize_uscc, uscc_region_code
from portal.accounts.verification import USCC_TAKEN_MESSAGE, IdentityClaim, run_verification

logger = logging.getLogger(__name__)


def province_code_for(*, user=None, uscc: str = "", id_number: str = "") -> str:
    """The province (GB/T 2260 code, ``xx0000``) whose staff review a request.

    The enterprise's registered region when the enterprises app knows it; else USCC digits 3–8
    (the registration authority's division); else the ID number's first digits (the issuing region).
    """
    from django.apps import apps

    if user is not None and apps.is_installed("portal.enterprises"):
        from portal.enterprises.selectors import enterprise_for_user

        enterprise = enterprise_for_user(user)
        region = getattr(enterprise, "region", None)
        if region is not None and getattr(region, "code", ""):
            return region.code[:2] + "0000"
    if uscc and len(uscc) == 18:
        return uscc_region_code(uscc)[:2] + "0000"
    if id_number and len(id_number) >= 6:
        return id_number[:2] + "0000"
    return ""


def _claim(*, user, user_type: str, name: str, id_number: str, enterprise_name: str, uscc: str) -> IdentityClaim:
    return IdentityClaim(
        user_id=user.pk, user_type=user_type, name=name.strip(), id_number=normalize_id_number(id_number),
        enterprise_name=enterprise_name.strip() if user_type == UserType.LEGAL else "",
        uscc=normalize_uscc(uscc) if user_type == UserType.LEGAL else "",
    )


def _ensure_can_verify(user) -> Account:
    account = Account.objects.select_for_update().get(user=user)
    if account.is_verified:
        raise ValidationError(_("您已完成实名认证。"), code="already_verified")
    return account


def _apply_identity(*, account: Account, verification: RealNameVerification, email: str = "") -> None:
    """Mark the account verified and, for a 法人, create or link its enterprise."""
    account.user_type = verification.user_type
    account.real_name = verification.name
    account.verification_status = Account.Status.VERIFIED
    account.verified_at = timezone.now()
    if email:
        account.email = email
    if verification.user_type == UserType.LEGAL:
        account.uscc = verification.uscc
        account.id_number = None
    else:
        account.id_number = verification.id_number
        account.uscc = None
    try:
        with transaction.atomic():
            account.save()
    except IntegrityError:
        raise ValidationError(USCC_TAKEN_MESSAGE, code="uscc_taken") from None
    if verification.user_type == UserType.LEGAL:
        _register_enterprise(account=account, verification=verification)


def _register_enterprise(*, account: Account, verification: RealNameVerification) -> None:
    from django.apps import apps

    if not apps.is_installed("portal.enterprises"):  # the enterprises app has not landed yet
        logger.warning("portal.enterprises not installed: enterprise of account %s not created", account.pk)
        return
    from portal.enterprises import services as enterprise_services

    try:
        enterprise_services.register_verified_enterprise(
            user=account.user, name=verification.enterprise_name, uscc=verification.uscc,
            legal_representative=verification.name, legal_representative_id=verification.id_number,
        )
    except enterprise_services.EnterpriseAlreadyClaimedError:
        raise ValidationError(USCC_TAKEN_MESSAGE, code="uscc_taken") from None
    except enterprise_services.EnterpriseRegistrationError:
        raise ValidationError(_("该账号已关联其他企业，不能再认证为另一家企业。"), code="enterprise_mismatch") from None


def submit_realname_verification(*, user, user_type: str, name: str, id_number: str, enterprise_name: str = "",
                                 uscc: str = "", licence=None, email: str = "") -> RealNameVerification:
    """Automatic 实名认证 through the configured backends.

    Returns the saved verification: APPROVED (account verified, enterprise linked) or REJECTED with
    the backend's reason (the user may then ask for 人工实名认证).
    Raises ValidationError ``already_verified``, ``uscc_taken`` (FAQ 3; nothing saved).
    """
    claim = _claim(user=user, user_type=user_type, name=name, id_number=id_number,
                   enterprise_name=enterprise_name, uscc=uscc)
    with transaction.atomic():
        account = _ensure_can_verify(user)
        result = run_verification(claim)
        if not result.ok and result.code == "uscc_taken":
            raise ValidationError(USCC_TAKEN_MESSAGE, code="uscc_taken")
        verification = RealNameVerification.objects.create(
            user=user, user_type=user_type, method=RealNameVerification.Method.AUTO,
            status=ReviewStatus.APPROVED if result.ok else ReviewStatus.REJECTED,
            enterprise_name=claim.enterprise_name, uscc=claim.uscc, name=claim.name, id_number=claim.id_number,
            licence=licence or "", reason=result.reason,
            province_code=province_code_for(uscc=claim.uscc, id_number=claim.id_number),
            reviewed_at=timezone.now(),
        )
        if result.ok:
            _apply_identity(account=account, verification=verification, email=email)
        log(instance=verification, action="accounts.realname_approved" if result.ok else "accounts.realname_rejected",
            user=user, data={"method": "auto", "user_type": user_type, "code": result.code,
                             "id_number": mask_id_number(claim.id_number)})
    return verification


def request_manual_verification(*, user, user_type: str, name: str, id_number: str, enterprise_name: str = "",
                                uscc: str = "", licence=None, evidence=None, note: str = "",
                                email: str = "") -> RealNameVerification:
    """人工实名认证: store the claim and evidence for provincial staff.

    Raises ValidationError ``already_verified``, ``already_pending``, ``uscc_taken``.
    """
    claim = _claim(user=user, user_type=user_type, name=name, id_number=id_number,
                   enterprise_name=enterprise_name, uscc=uscc)
    with transaction.atomic():
        account = _ensure_can_verify(user)
        if RealNameVerification.objects.filter(user=user, method=RealNameVerification.Method.MANUAL,
                                               status=ReviewStatus.PENDING).exists():
            raise ValidationError(_("您已提交人工实名认证申请，请等待审核。"), code="already_pending")
        if claim.uscc and Account.objects.filter(uscc=claim.uscc).exclude(user=user).exists():
            raise ValidationError(USCC_TAKEN_MESSAGE, code="uscc_taken")
        verification = RealNameVerification.objects.create(
            user=user, user_type=user_type, method=RealNameVerification.Method.MANUAL,
            enterprise_name=claim.enterprise_name, uscc=claim.uscc, name=claim.name, id_number=claim.id_number,
            licence=licence or "", evidence=evidence or "", note=note,
            province_code=province_code_for(user=user, uscc=claim.uscc, id_number=claim.id_number),
        )
        account.verification_status = Account.Status.PENDING
        if email:
            account.email = email
        account.save(update_fields=["verification_status", "email"])
        log(instance=verification, action="accounts.realname_requested", user=user,
            data={"user_type": user_type, "province": verification.province_code})
    return verification


def decide_realname_verification(*, verification: RealNameVerification, reviewer, approve: bool,
                                 reason: str = "") -> RealNameVerification:
    """Approve or reject a pending 人工实名认证 request.

    Raises PermissionDenied (other province / no permission), ValidationError ``not_pending``,
    ``reason_required``, ``uscc_taken``.
    """
    if not can_review(reviewer, verification, "change"):
        raise PermissionDenied
    if not approve and not reason.strip():
        raise ValidationError(_("驳回时请填写审核意见。"), code="reason_required")
    with transaction.atomic():
        verification = RealNameVerification.objects.select_for_update().get(pk=verification.pk)
        if verification.status != ReviewStatus.PENDING:
            raise ValidationError(_("该申请已审核。"), code="not_pending")
        account = Account.objects.select_for_update().get(user_id=verification.user_id)
        verification.status = ReviewStatus.APPROVED if approve else ReviewStatus.REJECTED
        verification.reason = reason.strip()
        verification.reviewed_by = reviewer
        verification.reviewed_at = timezone.now()
        verification.save()
        if approve:
            if verification.uscc and Account.objects.filter(uscc=verification.uscc).exclude(
                    pk=account.pk).exists():
                raise ValidationError(USCC_TAKEN_MESSAGE, code="uscc_taken")
            _apply_identity(account=account, verification=verification)
        else:
            account.verification_status = Account.Status.UNVERIFIED
            account.save(update_fields=["verification_status"])
        log(instance=verification, action="accounts.realname_approved" if approve else "accounts.realname_rejected",
            user=reviewer, data={"method": "manual", "reason": verification.reason})
    return verification
