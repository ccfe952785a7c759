"""Account forms. A form that can send an SMS code takes ``action``: with ``send_code`` only the
phone (or login name) and the 图形验证码 are validated; otherwise every field is."""

from __future__ import annotations

from captcha.fields import CaptchaField, CaptchaTextInput
from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import SetPasswordForm
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.utils.translation import gettext_lazy as _

from portal.accounts.models import PhoneChangeRequest, UserType
from portal.core.identity import (
    normalize_id_number,
    normalize_uscc,
    validate_id_number,
    validate_phone,
    validate_uscc,
)
from portal.core.uploads import MaxUploadSizeValidator

SEND_CODE = "send_code"
IMAGE_EXTENSIONS = ["jpg", "jpeg", "png"]
EVIDENCE_EXTENSIONS = ["jpg", "jpeg", "png", "pdf"]


class PortalCaptchaInput(CaptchaTextInput):
    """Chinese alt text; the visible answer box carries the accessible name (crispy renders a
    multi-widget field under a legend, not a label)."""

    template_name = "accounts/captcha_widget.html"

    invalid = False  # set by CaptchaErrorMixin when the answer was wrong: Bootstrap then shows the error

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        hidden = context["widget"]["subwidgets"][0]["attrs"]
        hidden.pop("aria-label", None)
        hidden.pop("class", None)
        answer = context["widget"]["subwidgets"][-1]["attrs"]
        context["widget"]["invalid"] = self.invalid
        if self.invalid:
            answer["class"] = (answer.get("class", "") + " is-invalid").strip()
            answer["aria-invalid"] = "true"
        return context


class PortalCaptchaField(CaptchaField):
    """django-simple-captcha raises its error without a code; ours is ``captcha_invalid``."""

    def clean(self, value):
        try:
            return super().clean(value)
        except ValidationError as exc:
            # a list of errors (a NUL byte in the hidden key, say) has no single code: invalid too
            if getattr(exc, "code", None):
                raise
            raise ValidationError(self.error_messages["invalid"], code="captcha_invalid") from None


def captcha_field() -> CaptchaField:
    return PortalCaptchaField(
        label=_("图形验证码"),
        error_messages={"invalid": _("图形验证码不正确。"), "required": _("请输入图形验证码。")},
        widget=PortalCaptchaInput(
            attrs={"class": "form-control", "autocomplete": "off", "aria-label": _("图形验证码")}
        ),
    )


def sms_code_field(label=None) -> forms.CharField:
    return forms.RegexField(
        label=label or _("验证码"),
        regex=r"^\d{6}$",
        max_length=6,
        error_messages={"invalid": _("请输入6位数字验证码。")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )


def phone_field(label=None) -> forms.CharField:
    return forms.CharField(
        label=label or _("手机号"),
        max_length=11,
        validators=[validate_phone],
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )


def licence_field(**kwargs) -> forms.ImageField:
    return forms.ImageField(
        label=_("营业执照"),
        help_text=_("JPG 或 PNG 图片。"),
        validators=[
            FileExtensionValidator(IMAGE_EXTENSIONS),
            MaxUploadSizeValidator("ACCOUNTS_LICENCE_MAX_BYTES"),
        ],
        **kwargs,
    )


def evidence_field(**kwargs) -> forms.FileField:
    kwargs.setdefault("help_text", _("加盖公章的证明、身份证照片等，JPG、PNG 或 PDF。"))
    return forms.FileField(
        label=_("证明材料"),
        validators=[
            FileExtensionValidator(EVIDENCE_EXTENSIONS),
            MaxUploadSizeValidator("ACCOUNTS_EVIDENCE_MAX_BYTES"),
        ],
        **kwargs,
    )


class CaptchaErrorMixin:
    """A wrong 图形验证码 marks its answer box invalid, so the error under it is visible (Bootstrap
    shows ``.invalid-feedback`` only next to an ``.is-invalid`` input; crispy cannot mark the
    box of a two-widget field itself). Listed first, so it sees the errors ``SendCodeMixin`` kept."""

    def full_clean(self):
        super().full_clean()
        field = self.fields.get("captcha")
        if field is not None:
            field.widget.invalid = "captcha" in self._errors


class SendCodeMixin:
    """Validates only ``code_fields`` when the user pressed 【获取验证码】."""

    code_fields: tuple[str, ...] = ()

    def __init__(self, *args, action: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.action = action
        if self.sending_code:
            for name, field in self.fields.items():
                if name not in self.code_fields:
                    field.required = False
        elif "captcha" in self.fields:
            # the 图形验证码 guards sending a code; the final submit does not need it
            self.fields["captcha"].required = False

    @property
    def sending_code(self) -> bool:
        return self.action == SEND_CODE

    def full_clean(self):
        super().full_clean()
        if self.sending_code and hasattr(self, "cleaned_data"):
            # errors of fields the user has not reached yet are not shown on 【获取验证码】
            for name in list(self._errors):
                if name not in self.code_fields:
                    del self._errors[name]
        elif "captcha" in self.fields and not self.fields["captcha"].required and self._errors:
            self._errors.pop("captcha", None)


class RegisterForm(CaptchaErrorMixin, SendCodeMixin, forms.Form):
    code_fields = ("phone", "captcha")

    phone = phone_field()
    captcha = captcha_field()
    code = sms_code_field()
    username = forms.RegexField(
        label=_("登录名"),
        max_length=30,
        min_length=4,
        regex=r"^[A-Za-z][A-Za-z0-9_]*$",
        help_text=_("4–30位，以字母开头，可含字母、数字和下划线。"),
        error_messages={"invalid": _("登录名须以字母开头，只能包含字母、数字和下划线。")},
        widget=forms.TextInput(attrs={"autocomplete": "username"}),
    )
    password1 = forms.CharField(
        label=_("密码"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("确认密码"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def clean(self):
        cleaned = super().clean()
        if self.sending_code:
            return cleaned
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error(
                "password2", ValidationError(_("两次输入的密码不一致。"), code="password_mismatch")
            )
        elif password1:
            from django.contrib.auth.models import User

            try:
                password_validation.validate_password(password1, User(username=cleaned.get("username", "")))
            except ValidationError as exc:
                self.add_error("password1", exc)
        return cleaned


class LoginForm(CaptchaErrorMixin, SendCodeMixin, forms.Form):
    """登录名 + 密码 + 短信验证码; 图形验证码 for 【获取验证码】 and after repeated failures."""

    code_fields = ("username", "captcha")
    # 【获取短信验证码】 reloads the page and passwords are never sent back to the browser, so the
    # code step comes before the password: nothing typed is lost.
    field_order = ("username", "captcha", "password", "sms_code")

    username = forms.CharField(
        label=_("登录名"),
        max_length=150,
        help_text=_(
            "已实名认证的法人账号也可使用统一社会信用代码登录，自然人账号也可使用本人身份证号登录"
            "（法定代表人的身份证号不能用于登录法人账号）。"
        ),
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    password = forms.CharField(
        label=_("密码"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )
    sms_code = sms_code_field(_("短信验证码"))
    captcha = captcha_field()

    def __init__(self, *args, require_captcha: bool = False, require_sms: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not require_sms:
            del self.fields["sms_code"]
        # always shown (【获取验证码】 needs it); required for logging in only after failures
        self.fields["captcha"].required = self.sending_code or require_captcha
        self.captcha_after_failures = require_captcha


class StaffLoginForm(LoginForm):
    """The admin's login (工作人员): the same fields; the SMS code always (F-14)."""

    def __init__(self, *args, **kwargs):
        kwargs["require_sms"] = True
        super().__init__(*args, **kwargs)
        self.fields["username"].help_text = ""
        self.fields["sms_code"].help_text = _("发送至工作人员绑定的手机号。")


class RealNameForm(forms.Form):
    user_type = forms.ChoiceField(
        label=_("用户类型"),
        widget=forms.RadioSelect,
        initial=UserType.LEGAL,
        choices=[(UserType.LEGAL, UserType.LEGAL.label), (UserType.NATURAL, UserType.NATURAL.label)],
        help_text=_("只有进行法人实名认证才可进行后续申报。"),
    )
    enterprise_name = forms.CharField(label=_("企业名称"), max_length=200)
    uscc = forms.CharField(label=_("统一社会信用代码"), max_length=18)
    name = forms.CharField(
        label=_("法定代表人姓名"), max_length=64, help_text=_("用户类型为自然人时，填写本人姓名。")
    )
    id_number = forms.CharField(
        label=_("法定代表人身份证号"), max_length=18, help_text=_("用户类型为自然人时，填写本人身份证号。")
    )
    licence = licence_field()
    email = forms.EmailField(
        label=_("邮箱"), required=False, help_text=_("用于手机号修改（邮箱核验）和账号找回。")
    )

    # required for 法人 only: marked required (the * of the manual) unless 自然人 was chosen
    legal_only = ("enterprise_name", "uscc", "licence")
    file_fields = ("licence",)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user_type = self.data.get("user_type") if self.is_bound else self.fields["user_type"].initial
        for name in self.legal_only:
            self.fields[name].required = user_type != UserType.NATURAL
            self.fields[name].widget.attrs["data-show-when"] = f"user_type={UserType.LEGAL}"

    def clean_uscc(self):
        value = normalize_uscc(self.cleaned_data.get("uscc", ""))
        if value:
            validate_uscc(value)
        return value

    def clean_id_number(self):
        value = normalize_id_number(self.cleaned_data["id_number"])
        validate_id_number(value)
        return value

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("user_type") == UserType.NATURAL:
            for name in self.legal_only:
                cleaned[name] = None if name in self.file_fields else ""
        return cleaned


class ManualVerificationForm(RealNameForm):
    evidence = evidence_field()
    note = forms.CharField(label=_("申请说明"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    claim = forms.BooleanField(
        label=_("该统一社会信用代码已被其他账号认证，申请认领"),
        required=False,
        help_text=_(
            "勾选后请在证明材料中上传加盖公章的认领说明。审核通过后，原账号的实名认证将被撤销，企业归本账号所有。"
        ),
    )

    file_fields = ("licence", "evidence")


class PhoneChangeForm(CaptchaErrorMixin, SendCodeMixin, forms.Form):
    code_fields = ("new_phone", "captcha")

    login_name = forms.CharField(label=_("登录名"), max_length=150)
    method = forms.ChoiceField(
        label=_("核验方式"),
        widget=forms.RadioSelect,
        choices=PhoneChangeRequest.Method.choices,
        initial=PhoneChangeRequest.Method.EMAIL,
    )
    new_phone = phone_field(_("新手机号"))
    captcha = captcha_field()
    code = sms_code_field()
    name = forms.CharField(
        label=_("法定代表人姓名"), max_length=64, required=False, help_text=_("人工核验时填写。")
    )
    id_number = forms.CharField(
        label=_("统一社会信用代码或身份证号"), max_length=18, required=False, help_text=_("人工核验时填写。")
    )
    evidence = evidence_field(required=False, help_text=_("人工核验时上传，JPG、PNG 或 PDF。"))
    note = forms.CharField(label=_("申请说明"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    manual_only = ("name", "id_number", "evidence", "note")
    file_fields = ("evidence",)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.manual_only:
            self.fields[name].widget.attrs["data-show-when"] = f"method={PhoneChangeRequest.Method.MANUAL}"

    def clean(self):
        cleaned = super().clean()
        if not self.sending_code and cleaned.get("method") == PhoneChangeRequest.Method.MANUAL:
            for name in ("name", "id_number", "evidence"):
                if not cleaned.get(name) and name not in self._errors:
                    self.add_error(name, ValidationError(_("人工核验必须填写此项。"), code="required"))
        return cleaned


class RecoverForm(CaptchaErrorMixin, forms.Form):
    identifier = forms.CharField(label=_("统一社会信用代码或身份证号"), max_length=18)
    name = forms.CharField(label=_("法定代表人姓名"), max_length=64, help_text=_("自然人填写本人姓名。"))
    captcha = captcha_field()


class RecoverResetForm(CaptchaErrorMixin, SendCodeMixin, SetPasswordForm):
    """Step 2 of 账号找回 by phone: the code sent to the bound phone and a new password."""

    code_fields = ("captcha",)

    captcha = captcha_field()
    code = sms_code_field()

    field_order = ["captcha", "code", "new_password1", "new_password2"]

    def __init__(self, user, *args, action: str = "", **kwargs):
        super().__init__(user, *args, action=action, **kwargs)
        self.fields["new_password1"].label = _("新密码")
        self.fields["new_password2"].label = _("确认新密码")

    def save(self, commit=True):  # the service sets the password
        raise NotImplementedError
