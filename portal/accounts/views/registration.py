"""注册, 登录, lockout page, 账号设置 (SPEC F-10, F-14)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from portal.accounts import services
from portal.accounts.backends import find_user_by_login_name
from portal.accounts.forms import (
    SEND_CODE,
    LoginForm,
    RegisterForm,
)
from portal.accounts.masking import mask_email, mask_phone
from portal.accounts.models import Account, SmsCode
from portal.accounts.throttles import login_captcha_required
from portal.accounts.views.common import AUTH_BACKEND, keep_typed, send_code


class RegisterView(View):
    template_name = "accounts/register.html"

    def get(self, request):
        return render(request, self.template_name, {"form": RegisterForm()})

    def post(self, request):
        action = request.POST.get("action", "")
        form = RegisterForm(request.POST, action=action)
        if action == SEND_CODE:
            if form.is_valid():
                phone = form.cleaned_data["phone"]
                if Account.objects.filter(phone=phone).exists():
                    form.add_error("phone", ValidationError(_("该手机号已注册，请直接登录或使用【账号找回】。"),
                                                            code="phone_taken"))
                elif send_code(request, form, phone=phone, purpose=SmsCode.Purpose.REGISTER):
                    messages.info(request, _("验证码已发送至 %(phone)s，5分钟内有效。") % {"phone": mask_phone(phone)})
                    form = RegisterForm(initial=keep_typed(form))
            return render(request, self.template_name, {"form": form})
        if form.is_valid():
            data = form.cleaned_data
            try:
                user = services.register_account(phone=data["phone"], code=data["code"], username=data["username"],
                                                 password=data["password1"])
            except ValidationError as exc:
                field = {"phone_taken": "phone", "username_taken": "username"}.get(exc.code, "code")
                form.add_error(field, exc)
            else:
                auth_login(request, user, backend=AUTH_BACKEND)
                return redirect("accounts:register_done")
        return render(request, self.template_name, {"form": form})


class RegisterDoneView(LoginRequiredMixin, TemplateView):
    template_name = "accounts/register_done.html"


class LoginView(View):
    template_name = "accounts/login.html"

    def next_url(self, request) -> str:
        url = request.POST.get("next") or request.GET.get("next") or ""
        if url and url_has_allowed_host_and_scheme(url, {request.get_host()}, require_https=request.is_secure()):
            return url
        return settings.LOGIN_REDIRECT_URL

    def make_form(self, request, data=None, *, action="", initial=None):
        login_name = (data or {}).get("username", "") if data is not None else ""
        return LoginForm(data, action=action, initial=initial,
                         require_captcha=login_captcha_required(request, login_name),
                         require_sms=settings.ACCOUNTS_LOGIN_SMS_REQUIRED)

    def respond(self, request, form):
        return render(request, self.template_name, {"form": form, "next": self.next_url(request)})

    def get(self, request):
        if request.user.is_authenticated:
            return redirect(self.next_url(request))
        return self.respond(request, self.make_form(request))

    def post(self, request):
        action = request.POST.get("action", "")
        form = self.make_form(request, request.POST, action=action)
        if action == SEND_CODE:
            if form.is_valid():
                user = find_user_by_login_name(form.cleaned_data["username"])
                account = Account.objects.filter(user=user).first() if user else None
                # the same answer whether or not the name exists: no account enumeration
                if send_code(request, form, phone=account.phone if account else None, purpose=SmsCode.Purpose.LOGIN):
                    messages.info(request, _("短信验证码已发送至该登录名绑定的手机号，5分钟内有效。"))
                    form = self.make_form(request, action="", initial=keep_typed(form))
            return self.respond(request, form)
        if form.is_valid():
            data = form.cleaned_data
            try:
                user = services.authenticate_with_sms(request=request, login_name=data["username"],
                                                      password=data["password"], code=data.get("sms_code"))
            except ValidationError as exc:
                form = self.make_form(request, request.POST)
                form.is_valid()
                form.add_error("sms_code" if exc.code.startswith("code_") else None, exc)
            else:
                auth_login(request, user)
                return redirect(self.next_url(request))
        return self.respond(request, form)


def lockout_response(request, original_response=None, credentials=None):
    """django-axes lockout page: a clear message and the time the lock ends."""
    cool_off = settings.AXES_COOLOFF_TIME
    context = {
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "minutes": int(cool_off.total_seconds() // 60),
        "unlock_at": timezone.localtime(timezone.now() + cool_off),
    }
    return render(request, "accounts/locked_out.html", context, status=settings.AXES_HTTP_RESPONSE_CODE)


class AccountSettingsView(LoginRequiredMixin, TemplateView):
    template_name = "accounts/settings.html"

    def get_context_data(self, **kwargs):
        account = Account.objects.filter(user=self.request.user).first()
        return super().get_context_data(account=account, masked_phone=mask_phone(account.phone) if account else "",
                                        masked_email=mask_email(account.email) if account and account.email else "",
                                        **kwargs)
