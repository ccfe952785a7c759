"""注册, 账号设置 (SPEC F-10)."""

from __future__ import annotations

from django.contrib.auth import login as auth_login
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from portal.accounts import selectors, services
from portal.accounts.forms import SEND_CODE, RegisterForm
from portal.accounts.views.common import AUTH_BACKEND, add_service_error, handle_send_code
from portal.core.masking import mask_email, mask_phone

ERROR_FIELDS = {"phone_taken": "phone", "username_taken": "username"}


class RegisterView(View):
    template_name = "accounts/register.html"

    def get(self, request):
        return render(request, self.template_name, {"form": RegisterForm()})

    def post(self, request):
        action = request.POST.get("action", "")
        form = RegisterForm(request.POST, action=action)
        if action == SEND_CODE:
            form = handle_send_code(
                request,
                form,
                error_fields=ERROR_FIELDS,
                send=lambda data, ip: services.send_registration_code(phone=data["phone"], ip=ip),
                sent_message=_("验证码已发送至 %(phone)s，5分钟内有效。")
                % {"phone": mask_phone(form.data.get("phone", ""))},
                fresh=lambda initial: RegisterForm(initial=initial),
            )
            return render(request, self.template_name, {"form": form})
        if form.is_valid():
            data = form.cleaned_data
            try:
                user = services.register_account(
                    phone=data["phone"],
                    code=data["code"],
                    username=data["username"],
                    password=data["password1"],
                )
            except ValidationError as exc:
                add_service_error(form, exc, ERROR_FIELDS, default="code")
            else:
                auth_login(request, user, backend=AUTH_BACKEND)
                return redirect("accounts:register_done")
        return render(request, self.template_name, {"form": form})


class RegisterDoneView(LoginRequiredMixin, TemplateView):
    template_name = "accounts/register_done.html"


class AccountSettingsView(LoginRequiredMixin, TemplateView):
    template_name = "accounts/settings.html"

    def get_context_data(self, **kwargs):
        account = selectors.account_of(self.request.user)
        return super().get_context_data(
            account=account,
            masked_phone=mask_phone(account.phone) if account else "",
            masked_email=mask_email(account.email) if account and account.email else "",
            **kwargs,
        )
