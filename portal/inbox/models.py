"""One message of an enterprise's inbox (我的消息, SPEC F-23).

Messages are written only by :mod:`portal.inbox.services` (``notify`` creates them, ``mark_read`` /
``mark_all_read`` set ``read_at``); the category keys are stored and never renamed.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _

TITLE_MAX_LENGTH = 200
LINK_MAX_LENGTH = 500
DEDUPE_KEY_MAX_LENGTH = 200


def is_same_site_path(link: str) -> bool:
    """A path on this site (``/enterprise/filings/12/``), never a scheme, a host or ``//host``."""
    return (
        link.startswith("/")
        and not link.startswith(("//", "/\\"))
        and url_has_allowed_host_and_scheme(link, allowed_hosts=set())
    )


def validate_same_site_path(link: str) -> None:
    if link and not is_same_site_path(link):
        raise ValidationError(_("链接只能是本站内的路径（以 / 开头）。"), code="link_not_local")


class MessageCategory(models.TextChoices):
    """The manual's five modules of 我的消息, in its order (三(二)). Keys are stored: never rename."""

    EXPIRY = "expiry", _("认定到期")
    INFO_UPDATE = "info_update", _("信息更新")
    RECOGNITION = "recognition", _("认定通知")
    CANCELLATION = "cancellation", _("取消认定")
    FILING = "filing", _("申报提醒")


class Message(models.Model):
    Category = MessageCategory

    # PROTECT: what the platform told an enterprise is part of its record (like its filings)
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        on_delete=models.PROTECT,
        related_name="inbox_messages",
        verbose_name=_("企业"),
    )
    category = models.CharField(_("消息类型"), max_length=16, choices=Category.choices)
    title = models.CharField(_("标题"), max_length=TITLE_MAX_LENGTH)
    body = models.TextField(_("内容"), blank=True, help_text=_("纯文本，换行按原样显示。"))
    link = models.CharField(
        _("链接"),
        max_length=LINK_MAX_LENGTH,
        blank=True,
        validators=[validate_same_site_path],
        help_text=_("本站内的路径，例如申报的【详情】页。"),
    )
    created_at = models.DateTimeField(_("发送时间"), auto_now_add=True)
    read_at = models.DateTimeField(_("阅读时间"), null=True, blank=True)
    # Scheduled jobs pass one ("expiry:<recognition id>:90d"), so running a job twice sends nothing
    # twice; unique per enterprise when not empty (see services.notify).
    dedupe_key = models.CharField(_("去重标识"), max_length=DEDUPE_KEY_MAX_LENGTH, blank=True, default="")
    sms_sent_at = models.DateTimeField(_("短信发送时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("消息")
        verbose_name_plural = _("消息")
        ordering = ["-created_at", "-pk"]
        indexes = [
            # the list (全部) and one tab, newest first
            models.Index(fields=["enterprise", "-created_at", "-id"], name="inbox_msg_ent_created"),
            models.Index(
                fields=["enterprise", "category", "-created_at", "-id"], name="inbox_msg_ent_cat_created"
            ),
            # the unread counts (the navigation's badge, the tabs): only unread rows are indexed
            models.Index(
                fields=["enterprise", "category"], condition=Q(read_at__isnull=True), name="inbox_msg_unread"
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "dedupe_key"],
                condition=~Q(dedupe_key=""),
                name="inbox_message_unique_dedupe_key",
            ),
            models.CheckConstraint(
                condition=Q(category__in=MessageCategory.values),
                name="inbox_message_known_category",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None
