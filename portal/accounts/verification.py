"""Pluggable identity verification for 实名认证 (SPEC F-12, F-13, F-17).

``settings.ACCOUNTS_VERIFICATION_BACKENDS`` lists dotted paths; each backend's
``verify(claim) -> VerificationResult`` runs in order and the first refusal wins. A claim is
approved automatically only when a *decisive* backend accepted it:

- ``LocalRulesBackend`` checks formats and check characters (GB 32100, GB 11643) and uniqueness.
  A well-formed number proves nothing about who typed it, so the backend is decisive only when an
  operator says so with ``ACCOUNTS_LOCAL_RULES_APPROVE=1`` (development and the demo; a deploy
  check warns when it is on). Otherwise — the production default — every claim goes to
  人工实名认证 and provincial staff look at the licence (identity squatting, issue 8).
- ``ExternalRegistryBackend`` is the adapter interface for an external registry (e.g. the market
  regulator's enterprise registry or an identity service): subclass it and implement ``lookup``.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from portal.accounts.models import Account, UserType
from portal.core.identity import validate_id_number, validate_uscc

USCC_TAKEN_MESSAGE = _(
    "统一社会信用代码已存在，说明企业已有注册账户。您可以："
    "1）使用统一社会信用代码/身份证号登录；"
    "2）在登录页点击【账号找回】，填写信息进行找回；"
    "3）若找回时提示“信息有误”，在登录页点击【手机号修改】，核验方式选择“人工核验”填写信息进行找回；"
    "4）若该代码被他人冒用认证，请提交【认领申请】并上传营业执照和加盖公章的证明材料，经人工审核通过后，"
    "冒用账号的实名认证将被撤销。"
)
MANUAL_REVIEW_MESSAGE = _("本平台的实名认证由人工审核：请上传营业执照和证明材料，提交人工实名认证申请。")


@dataclass(frozen=True)
class IdentityClaim:
    user_id: int
    user_type: str
    name: str
    id_number: str
    enterprise_name: str = ""
    uscc: str = ""


@dataclass(frozen=True)
class VerificationResult:
    ok: bool
    code: str = ""
    reason: str = ""


class LocalRulesBackend:
    @property
    def decisive(self) -> bool:
        return settings.ACCOUNTS_LOCAL_RULES_APPROVE

    def verify(self, claim: IdentityClaim) -> VerificationResult:
        try:
            validate_id_number(claim.id_number)
            if claim.user_type == UserType.LEGAL:
                validate_uscc(claim.uscc)
        except ValidationError as exc:
            return VerificationResult(False, exc.code or "invalid", str(exc.messages[0]))
        if claim.user_type == UserType.LEGAL:
            if Account.objects.filter(uscc=claim.uscc).exclude(user_id=claim.user_id).exists():
                return VerificationResult(False, "uscc_taken", str(USCC_TAKEN_MESSAGE))
        elif Account.objects.filter(id_number=claim.id_number).exclude(user_id=claim.user_id).exists():
            return VerificationResult(False, "id_number_taken", str(_("该身份证号已完成自然人实名认证。")))
        return VerificationResult(True)


class ExternalRegistryBackend:
    """Adapter interface: ``lookup`` asks the registry and returns a VerificationResult.

    Implementations must apply a timeout and return ``VerificationResult(False, "registry_unavailable", …)``
    rather than raise when the registry cannot be reached, so the user is offered 人工实名认证.
    """

    decisive = True

    def lookup(self, claim: IdentityClaim) -> VerificationResult:  # pragma: no cover - interface
        raise NotImplementedError

    def verify(self, claim: IdentityClaim) -> VerificationResult:
        return self.lookup(claim)


def get_verification_backends() -> list:
    return [import_string(path)() for path in settings.ACCOUNTS_VERIFICATION_BACKENDS]


def automatic_verification_available() -> bool:
    """Whether some configured backend may approve a claim on its own (else: manual review only)."""
    return any(backend.decisive for backend in get_verification_backends())


def run_verification(claim: IdentityClaim) -> VerificationResult:
    """The first refusal; else approval if a decisive backend accepted; else ``manual_review_required``."""
    decided = False
    for backend in get_verification_backends():
        result = backend.verify(claim)
        if not result.ok:
            return result
        decided = decided or backend.decisive
    if not decided:
        return VerificationResult(False, "manual_review_required", str(MANUAL_REVIEW_MESSAGE))
    return VerificationResult(True)
