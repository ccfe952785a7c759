"""实名认证, 人工实名认证 and 认领 (SPEC F-12, F-13, F-17, FAQ 3)."""

from __future__ import annotations

import logging

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import log

from portal.accounts.models import Account, RealNameVerification, ReviewStatus, UserType
from portal.accounts.verification import (
    USCC_TAKEN_MESSAGE,
    IdentityClaim,
    automatic_verification_available,
    run_verification,
)
from portal.core.identity import is_uscc, normalize_id_number, normalize_uscc
from portal.core.masking import mask_id_number, mask_uscc
from portal.enterprises import services as enterprise_services
from portal.enterprises.selectors import enterprise_for_user, enterprise_province_code

logger = logging.getLogger(__name__)

REVOKED_REASON = _(
    "经人工审核，统一社会信用代码 %(uscc)s 属于另一申请人，本账号的实名认证已撤销。"
    "如有异议，请重新提交人工实名认证并上传证明材料。"
)


def province_code_for(*, user=None, uscc: str = "", id_number: str = "") -> str:
    """The province (``xx0000``) whose staff review a request of ``user``.

    The user's enterprise decides when it exists (``enterprise_province_code``: 注册地 first); else
    the USCC of the claim; else — a 自然人 — the ID number's issuing region. ``id_number`` may hold
    a USCC (the phone-change form asks for 「统一社会信用代码或身份证号」): it is recognised as one.
    """
    enterprise = enterprise_for_user(user) if user is not None else None
    if id_number and not uscc and is_uscc(id_number):
        uscc, id_number = id_number, ""
    province = enterprise_province_code(enterprise, uscc=normalize_uscc(uscc))
    if province:
        return province
    number = normalize_id_number(id_number)
    return number[:2] + "0000" if len(number) == 18 and number[:2].isdigit() else ""


def _claim(
    *, user, user_type: str, name: str, id_number: str, enterprise_name: str, uscc: str
) -> IdentityClaim:
    return IdentityClaim(
        user_id=user.pk,
        user_type=user_type,
        name=name.strip(),
        id_number=normalize_id_number(id_number),
        enterprise_name=enterprise_name.strip() if user_type == UserType.LEGAL else "",
        uscc=normalize_uscc(uscc) if user_type == UserType.LEGAL else "",
    )


def _ensure_can_verify(user) -> Account:
    account = Account.objects.select_for_update().get(user=user)
    if account.is_verified:
        raise ValidationError(_("您已完成实名认证。"), code="already_verified")
    return account


def _uscc_holder(uscc: str, *, exclude_user_id: int) -> Account | None:
    if not uscc:
        return None
    return Account.objects.filter(uscc=uscc).exclude(user_id=exclude_user_id).select_related("user").first()


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
        try:
            enterprise_services.register_verified_enterprise(
                user=account.user,
                name=verification.enterprise_name,
                uscc=verification.uscc,
                legal_representative=verification.name,
                legal_representative_id=verification.id_number,
            )
        except enterprise_services.EnterpriseAlreadyClaimedError:
            raise ValidationError(USCC_TAKEN_MESSAGE, code="uscc_taken") from None
        except enterprise_services.EnterpriseRegistrationError:
            raise ValidationError(
                _("该账号已关联其他企业，不能再认证为另一家企业。"), code="enterprise_mismatch"
            ) from None


def submit_realname_verification(
    *,
    user,
    user_type: str,
    name: str,
    id_number: str,
    enterprise_name: str = "",
    uscc: str = "",
    licence=None,
    email: str = "",
) -> RealNameVerification:
    """Automatic 实名认证 through the configured backends.

    Returns the saved verification: APPROVED (account verified, enterprise linked) or REJECTED with
    the backend's reason (the user may then ask for 人工实名认证).
    Raises ValidationError ``manual_review_required`` (no backend may approve on its own: the
    production default), ``already_verified``, ``uscc_taken`` (FAQ 3; nothing saved).
    """
    if not automatic_verification_available():
        raise ValidationError(
            _("本平台的实名认证由人工审核，请提交人工实名认证申请。"), code="manual_review_required"
        )
    claim = _claim(
        user=user,
        user_type=user_type,
        name=name,
        id_number=id_number,
        enterprise_name=enterprise_name,
        uscc=uscc,
    )
    with transaction.atomic():
        account = _ensure_can_verify(user)
        result = run_verification(claim)
        if not result.ok and result.code == "uscc_taken":
            raise ValidationError(USCC_TAKEN_MESSAGE, code="uscc_taken")
        verification = RealNameVerification.objects.create(
            user=user,
            user_type=user_type,
            method=RealNameVerification.Method.AUTO,
            status=ReviewStatus.APPROVED if result.ok else ReviewStatus.REJECTED,
            enterprise_name=claim.enterprise_name,
            uscc=claim.uscc,
            name=claim.name,
            id_number=claim.id_number,
            licence=licence or "",
            reason=result.reason,
            province_code=province_code_for(user=user, uscc=claim.uscc, id_number=claim.id_number),
            reviewed_at=timezone.now(),
        )
        if result.ok:
            _apply_identity(account=account, verification=verification, email=email)
        log(
            instance=verification,
            action="accounts.realname_approved" if result.ok else "accounts.realname_rejected",
            user=user,
            data={
                "method": "auto",
                "user_type": user_type,
                "code": result.code,
                "id_number": mask_id_number(claim.id_number),
            },
        )
    return verification


def request_manual_verification(
    *,
    user,
    user_type: str,
    name: str,
    id_number: str,
    enterprise_name: str = "",
    uscc: str = "",
    licence=None,
    evidence=None,
    note: str = "",
    email: str = "",
    claim: bool = False,
) -> RealNameVerification:
    """人工实名认证: store the claim and evidence for provincial staff.

    ``claim=True`` files a FAQ 3 认领 of a USCC another account has verified: staff approving it
    revoke that account's verification and hand the enterprise over.
    Raises ValidationError ``already_verified``, ``already_pending``, ``uscc_taken`` (taken and
    ``claim`` not set), ``claim_not_needed`` (``claim`` set but the USCC is free),
    ``licence_required``.
    """
    identity = _claim(
        user=user,
        user_type=user_type,
        name=name,
        id_number=id_number,
        enterprise_name=enterprise_name,
        uscc=uscc,
    )
    with transaction.atomic():
        account = _ensure_can_verify(user)
        if RealNameVerification.objects.filter(
            user=user, method=RealNameVerification.Method.MANUAL, status=ReviewStatus.PENDING
        ).exists():
            raise ValidationError(_("您已提交人工实名认证申请，请等待审核。"), code="already_pending")
        if user_type == UserType.LEGAL and not licence:
            raise ValidationError(_("法人实名认证请上传营业执照。"), code="licence_required")
        holder = _uscc_holder(identity.uscc, exclude_user_id=user.pk)
        if holder is not None and not claim:
            raise ValidationError(USCC_TAKEN_MESSAGE, code="uscc_taken")
        if claim and holder is None:
            raise ValidationError(
                _("该统一社会信用代码尚未被其他账号认证，无需认领，请直接提交人工实名认证。"),
                code="claim_not_needed",
            )
        verification = RealNameVerification.objects.create(
            user=user,
            user_type=user_type,
            method=RealNameVerification.Method.MANUAL,
            enterprise_name=identity.enterprise_name,
            uscc=identity.uscc,
            name=identity.name,
            id_number=identity.id_number,
            licence=licence or "",
            evidence=evidence or "",
            note=note,
            claimed_from=holder.user if holder is not None else None,
            province_code=province_code_for(user=user, uscc=identity.uscc, id_number=identity.id_number),
        )
        account.verification_status = Account.Status.PENDING
        if email:
            account.email = email
        account.save(update_fields=["verification_status", "email"])
        log(
            instance=verification,
            action="accounts.realname_claimed" if holder else "accounts.realname_requested",
            user=user,
            data={
                "user_type": user_type,
                "province": verification.province_code,
                "uscc": mask_uscc(identity.uscc) if holder else "",
            },
        )
    return verification


def _revoke_holder(*, verification: RealNameVerification, reviewer) -> Account | None:
    """Take the USCC back from the account that verified it (the claim was approved)."""
    holder = (
        Account.objects.select_for_update()
        .filter(user_id=verification.claimed_from_id, uscc=verification.uscc)
        .first()
    )
    if holder is None:  # the holder lost or gave up the USCC since the claim was filed
        return None
    holder.verification_status = Account.Status.UNVERIFIED
    holder.user_type = UserType.NONE
    holder.uscc = None
    holder.real_name = ""
    holder.verified_at = None
    holder.save(update_fields=["verification_status", "user_type", "uscc", "real_name", "verified_at"])
    reason = REVOKED_REASON % {"uscc": verification.uscc}
    for revoked in RealNameVerification.objects.select_for_update().filter(
        user_id=holder.user_id, uscc=verification.uscc, status=ReviewStatus.APPROVED
    ):
        revoked.status, revoked.reason = ReviewStatus.REVOKED, reason
        revoked.reviewed_by, revoked.reviewed_at = reviewer, timezone.now()
        revoked.save(update_fields=["status", "reason", "reviewed_by", "reviewed_at"])
        log(
            instance=revoked,
            action="accounts.realname_revoked",
            user=reviewer,
            data={"claim": verification.pk, "uscc": mask_uscc(verification.uscc)},
        )
    enterprise_services.transfer_enterprise(
        uscc=verification.uscc,
        new_owner=verification.user,
        actor=reviewer,
        name=verification.enterprise_name,
        legal_representative=verification.name,
        legal_representative_id=verification.id_number,
    )
    return holder


def approve_identity(*, verification: RealNameVerification, reviewer) -> None:
    """The writes of an approved 人工实名认证, inside the caller's transaction (the request locked,
    ``ApproveRealNameAction``): a 认领 first takes the USCC back from its holder, then the account
    is verified and a 法人's enterprise registered. Raises ValidationError ``uscc_taken`` (a plain
    request whose USCC another account verified meanwhile: it must be filed as a 认领),
    ``enterprise_mismatch``."""
    account = Account.objects.select_for_update().get(user_id=verification.user_id)
    if verification.is_claim:
        _revoke_holder(verification=verification, reviewer=reviewer)
    if _uscc_holder(verification.uscc, exclude_user_id=account.user_id) is not None:
        raise ValidationError(USCC_TAKEN_MESSAGE, code="uscc_taken")
    _apply_identity(account=account, verification=verification)


def decide_realname_verification(
    *, verification: RealNameVerification, reviewer, approve: bool, reason: str = ""
) -> RealNameVerification:
    """Approve or reject a pending 人工实名认证 request (a 认领 included) as ``reviewer``: runs
    ``portal.accounts.actions.ApproveRealNameAction`` / ``RejectRealNameAction``.

    Raises PermissionDenied (outside the reviewer's region / no permission), ValidationError
    ``not_pending``, ``reason_required``, ``uscc_taken``, ``enterprise_mismatch``.
    """
    from portal.accounts.actions import ActionError, decision_for

    action = decision_for(verification, approve=approve)(verification, user=reviewer, reason=reason)
    try:
        return action.execute()
    except ActionError as exc:
        raise ValidationError(exc.message, code=exc.code) from None
