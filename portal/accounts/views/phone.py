"""手机号修改 (SPEC F-15)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from portal.accounts import services
from portal.accounts.forms import (
    SEND_CODE,
    PhoneChangeForm,
)
from portal.accounts.masking import mask_phone
from portal.accounts.models import Account, PhoneChangeRequest, SmsCode
from portal.accounts.views.common import keep_typed, send_code


class PhoneChangeView(View):
    template_name = "accounts/phone_change.html"

    def get(self, request):
        initial = {"method": request.GET.get("method")} if request.GET.get("method") else None
        return render(request, self.template_name, {"form": PhoneChangeForm(initial=initial)})

    def post(self, request):
        action = request.POST.get("action", "")
        form = PhoneChangeForm(request.POST, request.FILES, action=action)
        if action == SEND_CODE:
            if form.is_valid():
                phone = form.cleaned_data["new_phone"]
                if Account.objects.filter(phone=phone).exists():
                    form.add_error("new_phone", ValidationError(_("新手机号已绑定其他账号。"), code="phone_taken"))
                elif send_code(request, form, phone=phone, purpose=SmsCode.Purpose.PHONE_CHANGE):
                    messages.info(request, _("验证码已发送至 %(phone)s，5分钟内有效。") % {"phone": mask_phone(phone)})
                    form = PhoneChangeForm(initial=keep_typed(form))
            return render(request, self.template_name, {"form": form})
        if form.is_valid():
            data = form.cleaned_data
            try:
                change = services.request_phone_change(
                    login_name=data["login_name"], new_phone=data["new_phone"], code=data["code"],
                    method=data["method"], name=data.get("name", ""), id_number=data.get("id_number", ""),
                    evidence=data.get("evidence"), note=data.get("note", ""))
            except ValidationError as exc:
                field = {"account_missing": "login_name", "phone_taken": "new_phone",
                         "evidence_required": "evidence", "email_missing": "method"}.get(exc.code, "code")
                form.add_error(field, exc)
            else:
                if change.method == PhoneChangeRequest.Method.EMAIL:
                    self.send_link(request, change)
                return render(request, "accounts/phone_change_submitted.html", {"change": change})
        return render(request, self.template_name, {"form": form})

    def send_link(self, request, change):
        link = request.build_absolute_uri(
            reverse("accounts:phone_change_confirm", args=[services.make_phone_change_token(change)]))
        body = render_to_string("accounts/email/phone_change.txt",
                                {"link": link, "username": change.user.get_username(),
                                 "hours": settings.ACCOUNTS_EMAIL_LINK_MAX_AGE // 3600})
        send_mail(_("手机号修改邮箱核验"), body, None, [change.user.account.email])


class PhoneChangeConfirmView(View):
    """The emailed link: GET asks for a click (mail scanners must not apply it), POST applies."""

    template_name = "accounts/phone_change_confirm.html"

    def get(self, request, token: str):
        return render(request, self.template_name, {"token": token})

    def post(self, request, token: str):
        try:
            change = services.confirm_phone_change_by_email(token=token)
        except ValidationError as exc:
            return render(request, self.template_name, {"token": token, "error": exc.messages[0]}, status=400)
        return render(request, self.template_name, {"change": change, "done": True})
