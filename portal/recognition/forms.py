"""Forms of recognition: the public 企业认定查询 and the deciding level's 公示 and 认定 forms."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.accounts.forms import CaptchaErrorMixin, captcha_field
from portal.core.identity import normalize_uscc, validate_uscc
from portal.review.forms import IdListField

from .actions import CANCEL_REASON_MAX, TITLE_MAX
from .models import CancelCategory


class RecognitionQueryForm(CaptchaErrorMixin, forms.Form):
    """企业名称 + 统一社会信用代码 + 图形验证码 (F-03): both must match exactly, no partial names."""

    name = forms.CharField(
        label=_("企业名称"),
        max_length=200,
        help_text=_("请输入完整的企业名称（与营业执照一致），不支持模糊查询。"),
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    uscc = forms.CharField(
        label=_("统一社会信用代码"),
        max_length=24,
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "spellcheck": "false"}),
    )
    captcha = captcha_field()

    def clean_name(self) -> str:
        return self.cleaned_data["name"].strip()

    def clean_uscc(self) -> str:
        value = normalize_uscc(self.cleaned_data["uscc"])
        validate_uscc(value)
        return value


class TickedIdsMixin:
    """The ticked rows' checkboxes are named ``id`` (one per row, outside the form's own markup);
    the form reads them as its ``ids`` field."""

    def __init__(self, data=None, *args, **kwargs):
        if data is not None and hasattr(data, "getlist"):
            data = data.copy()
            data.setlist("ids", data.getlist("id"))
        super().__init__(data, *args, **kwargs)


class CreatePublicityForm(TickedIdsMixin, forms.Form):
    ids = IdListField(label=_("所选申报"))
    title = forms.CharField(
        label=_("公示标题（可选）"),
        required=False,
        max_length=TITLE_MAX,
        help_text=_("留空时按“省份 + 年度 + 级别”生成。"),
    )

    def clean_ids(self):
        ids = self.cleaned_data["ids"]
        if not ids:
            raise ValidationError(_("请先勾选要公示的申报。"), code="nothing_selected")
        return ids


class RecogniseForm(TickedIdsMixin, forms.Form):
    """批量认定: the ticked filings (all are ticked at first) and the start of validity."""

    ids = IdListField(label=_("所选申报"), error_messages={"required": _("请勾选要认定的企业。")})
    valid_from = forms.DateField(
        label=_("有效期起始日期"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("默认为今天；不能早于公示期满的次日，也不能晚于今天。"),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"valid_from": timezone.localdate()})
        super().__init__(*args, **kwargs)


class CancelRecognitionForm(forms.Form):
    """取消认定 (F-44): the category and the reason the enterprise reads."""

    category = forms.ChoiceField(
        label=_("取消类别"),
        choices=[("", "---------"), *CancelCategory.choices],
        help_text=_(
            "“数据造假”的企业在设置的年限内不得再次申报（依据117号，默认3年）。其他取消情形的完整清单尚未确认。"
        ),
    )
    reason = forms.CharField(
        label=_("取消原因"),
        max_length=CANCEL_REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("企业将在“我的消息”中看到此原因。"),
    )
