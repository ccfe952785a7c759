"""账号找回 (SPEC F-16)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views import View

from portal.accounts import selectors, services
from portal.accounts.forms import SEND_CODE, RecoverForm, RecoverResetForm
from portal.accounts.models import Account
from portal.accounts.views.common import add_service_error, handle_send_code
from portal.core.masking import mask_email, mask_phone

RECOVER_SALT = "portal.accounts.recover"


class RecoverView(View):
    template_name = "accounts/recover.html"

    def get(self, request):
        return render(request, self.template_name, {"form": RecoverForm()})

    def post(self, request):
        form = RecoverForm(request.POST)
        if form.is_valid():
            try:
                account = services.find_account_for_recovery(
                    identifier=form.cleaned_data["identifier"], name=form.cleaned_data["name"]
                )
            except ValidationError as exc:
                return render(
                    request,
                    self.template_name,
                    {"form": form, "mismatch": exc.messages[0], "mismatch_code": exc.code},
                )
            request.session["accounts_recover"] = signing.dumps({"account": account.pk}, salt=RECOVER_SALT)
            return redirect("accounts:recover_reset")
        return render(request, self.template_name, {"form": form})


class RecoverResetView(View):
    template_name = "accounts/recover_reset.html"

    def account(self, request) -> Account:
        try:
            data = signing.loads(
                request.session.get("accounts_recover", ""),
                salt=RECOVER_SALT,
                max_age=settings.ACCOUNTS_RECOVERY_MAX_AGE,
            )
        except signing.BadSignature:
            raise Http404 from None
        account = selectors.account_by_id(data["account"])
        if account is None:
            raise Http404
        return account

    def respond(self, request, account, form, **extra):
        return render(
            request,
            self.template_name,
            {
                "form": form,
                "masked_phone": mask_phone(account.phone),
                "masked_email": mask_email(account.email) if account.email else "",
                **extra,
            },
        )

    def get(self, request):
        if not request.session.get("accounts_recover"):
            return redirect("accounts:recover")
        account = self.account(request)
        return self.respond(request, account, RecoverResetForm(account.user))

    def post(self, request):
        if not request.session.get("accounts_recover"):
            return redirect("accounts:recover")
        account = self.account(request)
        action = request.POST.get("action", "")
        if action == "email":
            return self.send_email(request, account)
        form = RecoverResetForm(account.user, request.POST, action=action)
        if action == SEND_CODE:
            form = handle_send_code(
                request,
                form,
                send=lambda data, ip: services.send_recovery_code(account=account, ip=ip),
                sent_message=_("验证码已发送至 %(phone)s，5分钟内有效。")
                % {"phone": mask_phone(account.phone)},
                fresh=lambda initial: RecoverResetForm(account.user),
            )
            return self.respond(request, account, form)
        if form.is_valid():
            try:
                services.reset_password_by_sms(
                    account=account,
                    code=form.cleaned_data["code"],
                    password=form.cleaned_data["new_password1"],
                )
            except ValidationError as exc:
                add_service_error(form, exc, {}, default="code")
            else:
                request.session.pop("accounts_recover", None)
                return render(
                    request, "accounts/recover_done.html", {"username": account.user.get_username()}
                )
        return self.respond(request, account, form)

    def send_email(self, request, account):
        try:
            services.send_recovery_email(account=account, site_url=request.build_absolute_uri("/"))
        except ValidationError as exc:
            return self.respond(
                request,
                account,
                RecoverResetForm(account.user),
                email_error=exc.messages[0],
                email_error_code=exc.code,
            )
        return self.respond(request, account, RecoverResetForm(account.user), email_sent=True)


class RecoverEmailConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/recover_email_confirm.html"
    success_url = reverse_lazy("accounts:login")
    post_reset_login = False

    def form_valid(self, form):
        with transaction.atomic():  # the new password and its audit entry, or neither
            response = super().form_valid(form)
            services.record_password_reset_by_email(user=form.user)
        messages.success(
            self.request,
            _("密码已重置，您的登录名为 %(username)s，请登录。") % {"username": form.user.get_username()},
        )
        return response
