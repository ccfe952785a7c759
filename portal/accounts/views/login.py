"""登录 of the enterprise site and of the admin, and the lockout page (SPEC F-14).

Both pages are one flow (``LoginView``) with an audience: the same fields, factors, captcha and
lockout; ``StaffLoginView`` replaces Wagtail's ``/admin/login/`` (mounted before the admin's URLs)
so staff need the SMS code too and enterprise accounts never get an admin session.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import login as auth_login
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View

from portal.accounts import services
from portal.accounts.backends import account_key
from portal.accounts.forms import SEND_CODE, LoginForm, StaffLoginForm
from portal.accounts.throttles import login_captcha_required
from portal.accounts.views.common import handle_send_code

NOT_REDISPLAYED = ("password", "sms_code", "captcha_1")


class LoginView(View):
    template_name = "accounts/login.html"
    form_class = LoginForm
    audience = services.ENTERPRISE

    def success_url(self) -> str:
        return settings.LOGIN_REDIRECT_URL

    def next_url(self, request) -> str:
        url = request.POST.get("next") or request.GET.get("next") or ""
        if url and url_has_allowed_host_and_scheme(
            url, {request.get_host()}, require_https=request.is_secure()
        ):
            return url
        return self.success_url()

    def already_in(self, request) -> bool:
        return request.user.is_authenticated

    def make_form(self, request, data=None, *, action="", initial=None):
        login_name = (data or initial or {}).get("username", "")
        return self.form_class(
            data,
            action=action,
            initial=initial,
            require_captcha=login_captcha_required(request, account_key(login_name)),
            require_sms=settings.ACCOUNTS_LOGIN_SMS_REQUIRED,
        )

    def respond(self, request, form):
        return render(request, self.template_name, {"form": form, "next": self.next_url(request)})

    def get(self, request):
        if self.already_in(request):
            return redirect(self.next_url(request))
        return self.respond(request, self.make_form(request))

    def post(self, request):
        action = request.POST.get("action", "")
        form = self.make_form(request, request.POST, action=action)
        if action == SEND_CODE:
            form = handle_send_code(
                request,
                form,
                send=lambda data, ip: services.send_login_code(
                    login_name=data["username"], audience=self.audience, ip=ip
                ),
                # the same answer whether or not the name exists: no account enumeration
                sent_message=_("短信验证码已发送至该登录名绑定的手机号，5分钟内有效。"),
                fresh=lambda initial: self.make_form(request, initial=initial),
            )
            return self.respond(request, form)
        if form.is_valid():
            data = form.cleaned_data
            try:
                user = services.authenticate_with_sms(
                    request=request,
                    login_name=data["username"],
                    password=data["password"],
                    code=data.get("sms_code"),
                    audience=self.audience,
                )
            except ValidationError as exc:
                self.show_failure(request, form, exc)
            else:
                auth_login(request, user)
                return redirect(self.next_url(request))
        return self.respond(request, form)

    def show_failure(self, request, form, exc: ValidationError) -> None:
        """The error on the form as it was validated — never re-validated, so a 图形验证码 the
        failed attempt already used up is not reported as wrong — with a fresh image and, when
        failures made it necessary, the 图形验证码 required for the next try."""
        form.add_error(
            "sms_code" if exc.code.startswith("code_") and "sms_code" in form.fields else None, exc
        )
        form.data = form.data.copy()
        for name in NOT_REDISPLAYED:
            form.data.pop(name, None)
        if login_captcha_required(request, account_key(form.cleaned_data.get("username", ""))):
            form.fields["captcha"].required = True
            form.captcha_after_failures = True


class StaffLoginView(LoginView):
    """``/admin/login/``: password + SMS code to the staff member's bound phone (等保 2.0 三级:
    two combined authenticators for administrators), only for accounts with admin access."""

    template_name = "accounts/admin_login.html"
    form_class = StaffLoginForm
    audience = services.STAFF

    def success_url(self) -> str:
        return reverse("wagtailadmin_home")

    def already_in(self, request) -> bool:
        return request.user.is_authenticated and services.has_admin_access(request.user)


def lockout_response(request, original_response=None, credentials=None):
    """django-axes lockout page: a clear message and the time the lock ends."""
    cool_off = settings.AXES_COOLOFF_TIME
    context = {
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "minutes": int(cool_off.total_seconds() // 60),
        "unlock_at": timezone.localtime(timezone.now() + cool_off),
    }
    return render(request, "accounts/locked_out.html", context, status=settings.AXES_HTTP_RESPONSE_CODE)
