"""Accounts: the portal profile of a Django user, SMS codes, real-name verification requests,
and phone-change requests. Which region a staff member looks after is their 审核人员范围
(``portal.review.models.ReviewerScope``).

Users are Django's ``auth.User`` (username = 登录名); ``Account`` holds the bound phone, the user
type and the verified identity used to log in by USCC (法人) or ID number (自然人).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.core.identity import is_uscc
from portal.core.masking import mask_id_number, mask_phone, mask_uscc
from portal.core.storage import private_storage
from portal.core.uploads import PrivateUploadTo


class UserType(models.TextChoices):
    NONE = "none", _("未认证")
    LEGAL = "legal", _("法人")
    NATURAL = "natural", _("自然人")


class Account(models.Model):
    class Status(models.TextChoices):
        UNVERIFIED = "unverified", _("未实名认证")
        PENDING = "pending", _("人工实名认证审核中")
        VERIFIED = "verified", _("已实名认证")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="account", verbose_name=_("用户")
    )
    phone = models.CharField(_("手机号"), max_length=11, unique=True)
    email = models.EmailField(_("邮箱"), blank=True)
    user_type = models.CharField(
        _("用户类型"), max_length=16, choices=UserType.choices, default=UserType.NONE
    )
    verification_status = models.CharField(
        _("实名认证状态"), max_length=16, choices=Status.choices, default=Status.UNVERIFIED
    )
    real_name = models.CharField(
        _("姓名"), max_length=64, blank=True, help_text=_("自然人本人姓名，或法人的法定代表人姓名。")
    )
    uscc = models.CharField(_("统一社会信用代码"), max_length=18, unique=True, null=True, blank=True)
    id_number = models.CharField(
        _("身份证号"),
        max_length=18,
        unique=True,
        null=True,
        blank=True,
        help_text=_("仅自然人：已认证后可用身份证号登录。"),
    )
    verified_at = models.DateTimeField(_("认证时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("注册时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("账号")
        verbose_name_plural = _("账号")

    def __str__(self) -> str:
        return f"{self.user.get_username()}（{mask_phone(self.phone)}）"

    @property
    def is_verified(self) -> bool:
        return self.verification_status == self.Status.VERIFIED

    @property
    def is_legal_person(self) -> bool:
        return self.is_verified and self.user_type == UserType.LEGAL


class SmsCode(models.Model):
    """A one-time SMS code. Only an HMAC of the code is stored (see ``portal.accounts.codes``)."""

    class Purpose(models.TextChoices):
        REGISTER = "register", _("注册")
        LOGIN = "login", _("登录")
        PHONE_CHANGE = "phone_change", _("手机号修改")
        RECOVER = "recover", _("账号找回")
        ADMIN_LOGIN = "admin_login", _("管理端登录")

    phone = models.CharField(_("手机号"), max_length=11)
    purpose = models.CharField(_("用途"), max_length=16, choices=Purpose.choices)
    code_hash = models.CharField(max_length=64)
    attempts = models.PositiveSmallIntegerField(_("错误次数"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("短信验证码")
        verbose_name_plural = _("短信验证码")
        indexes = [
            models.Index(fields=["phone", "purpose", "-created_at"], name="accounts_smscode_lookup_idx")
        ]

    def __str__(self) -> str:
        return f"{mask_phone(self.phone)} {self.get_purpose_display()}"


class ReviewStatus(models.TextChoices):
    PENDING = "pending", _("待审核")
    APPROVED = "approved", _("已通过")
    REJECTED = "rejected", _("未通过")
    # an approved verification taken back when staff approve another applicant's claim (FAQ 3)
    REVOKED = "revoked", _("已撤销")


class StaffReviewedRequest(models.Model):
    """What a request reviewed by provincial staff carries: evidence, the applicant's note, the
    decision with its reason, who decided and when, and the province whose staff see it."""

    status = models.CharField(
        _("状态"), max_length=16, choices=ReviewStatus.choices, default=ReviewStatus.PENDING
    )
    evidence = models.FileField(
        _("证明材料"), storage=private_storage, upload_to=PrivateUploadTo("evidence"), blank=True
    )
    note = models.TextField(_("申请说明"), blank=True)
    reason = models.TextField(_("审核意见"), blank=True)
    province_code = models.CharField(_("所属省份代码"), max_length=6, blank=True, db_index=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("审核人"),
    )
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("提交时间"), auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["-created_at"]


class RealNameVerification(StaffReviewedRequest):
    """One 实名认证 attempt: automatic (decided at once) or 人工实名认证 (decided by provincial staff)."""

    class Method(models.TextChoices):
        AUTO = "auto", _("实名认证")
        MANUAL = "manual", _("人工实名认证")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="realname_verifications",
        verbose_name=_("用户"),
    )
    user_type = models.CharField(
        _("用户类型"),
        max_length=16,
        choices=[(UserType.LEGAL, UserType.LEGAL.label), (UserType.NATURAL, UserType.NATURAL.label)],
    )
    method = models.CharField(_("认证方式"), max_length=16, choices=Method.choices, default=Method.AUTO)
    enterprise_name = models.CharField(_("企业名称"), max_length=200, blank=True)
    uscc = models.CharField(_("统一社会信用代码"), max_length=18, blank=True, db_index=True)
    name = models.CharField(_("姓名"), max_length=64, help_text=_("法定代表人姓名或自然人姓名。"))
    id_number = models.CharField(_("身份证号"), max_length=18)
    licence = models.FileField(
        _("营业执照"), storage=private_storage, upload_to=PrivateUploadTo("licences"), blank=True
    )
    # FAQ 3 认领: the USCC was verified by this other account; approving the claim revokes that
    claimed_from = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("认领自账号"),
    )

    @property
    def is_claim(self) -> bool:
        return self.claimed_from_id is not None

    class Meta:
        verbose_name = _("实名认证申请")
        verbose_name_plural = _("实名认证申请")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        subject = self.enterprise_name or self.name
        return f"{subject}（{self.get_method_display()}，{self.get_status_display()}）"

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.id_number)

    @property
    def masked_uscc(self) -> str:
        return mask_uscc(self.uscc) if self.uscc else ""

    @property
    def applicant_label(self) -> str:
        """The queue's title: the enterprise for a 法人, else the person, with the login name."""
        return f"{self.enterprise_name or self.name}（{self.user.get_username()}）"

    @property
    def claim_label(self) -> str:
        return str(_("认领")) if self.is_claim else ""


class PhoneChangeRequest(StaffReviewedRequest):
    """【手机号修改】 by 邮箱核验 (signed link) or 人工核验 (staff review)."""

    class Method(models.TextChoices):
        EMAIL = "email", _("邮箱核验")
        MANUAL = "manual", _("人工核验")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="phone_change_requests",
        verbose_name=_("用户"),
    )
    method = models.CharField(_("核验方式"), max_length=16, choices=Method.choices)
    old_phone = models.CharField(_("原手机号"), max_length=11)
    new_phone = models.CharField(_("新手机号"), max_length=11)
    name = models.CharField(_("姓名"), max_length=64, blank=True)
    id_number = models.CharField(_("统一社会信用代码或身份证号"), max_length=18, blank=True)

    class Meta:
        verbose_name = _("手机号修改申请")
        verbose_name_plural = _("手机号修改申请")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{mask_phone(self.old_phone)} → {mask_phone(self.new_phone)}（{self.get_method_display()}）"

    @property
    def masked_old_phone(self) -> str:
        return mask_phone(self.old_phone)

    @property
    def masked_new_phone(self) -> str:
        return mask_phone(self.new_phone)

    @property
    def masked_id_number(self) -> str:
        """The typed 统一社会信用代码或身份证号, masked (a USCC keeps its USCC mask)."""
        if not self.id_number:
            return ""
        return mask_uscc(self.id_number) if is_uscc(self.id_number) else mask_id_number(self.id_number)
