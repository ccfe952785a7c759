from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    """登录名 + 密码. The SMS second factor and lockout arrive with the accounts issue."""

    username = forms.CharField(label=_("登录名"), max_length=150,
                               widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}))
    password = forms.CharField(label=_("密码"), strip=False,
                               widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))

    error_messages = {
        "invalid_login": _("登录名或密码不正确，请重新输入。"),
        "inactive": _("该账号已停用。"),
    }
