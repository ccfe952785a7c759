"""手机号修改 (SPEC F-15)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views import View

from portal.accounts import services
from portal.accounts.forms import SEND_CODE, PhoneChangeForm
from portal.accounts.views.common import add_service_error, handle_send_code
from portal.core.masking import mask_phone
from portal.core.uploads import KeptUploads

ERROR_FIELDS = {
    "account_missing": "login_name",
    "phone_taken": "new_phone",
    "evidence_required": "evidence",
    "email_missing": "method",
    "email_too_soon": "method",
    "email_daily_limit": "method",
}


class PhoneChangeView(View):
    template_name = "accounts/phone_change.html"

    def respond(self, request, form, kept):
        for name in PhoneChangeForm.file_fields:
            if kept.name(name) and name not in form.errors:
                form.fields[name].help_text = form[name].help_text = _(
                    "已上传：%(name)s（如需更换，请重新选择文件）"
                ) % {"name": kept.name(name)}
        return render(request, self.template_name, {"form": form})

    def get(self, request):
        initial = {"method": request.GET.get("method")} if request.GET.get("method") else None
        return render(request, self.template_name, {"form": PhoneChangeForm(initial=initial)})

    def post(self, request):
        action = request.POST.get("action", "")
        kept = KeptUploads(request, "phone_change")
        files = kept.merge_into(request.FILES, PhoneChangeForm.file_fields)
        form = PhoneChangeForm(request.POST, files, action=action)
        if action == SEND_CODE:
            form = handle_send_code(
                request,
                form,
                send=lambda data, ip: services.send_phone_change_code(phone=data["new_phone"], ip=ip),
                sent_message=_("验证码已发送至 %(phone)s，5分钟内有效。")
                % {"phone": mask_phone(form.data.get("new_phone", ""))},
                fresh=lambda initial: PhoneChangeForm(initial=initial),
            )
            return self.respond(request, form, kept)
        if form.is_valid():
            data = form.cleaned_data
            try:
                change = services.request_phone_change(
                    login_name=data["login_name"],
                    new_phone=data["new_phone"],
                    code=data["code"],
                    method=data["method"],
                    name=data.get("name", ""),
                    id_number=data.get("id_number", ""),
                    evidence=data.get("evidence"),
                    note=data.get("note", ""),
                    site_url=request.build_absolute_uri("/"),
                )
            except ValidationError as exc:
                add_service_error(form, exc, ERROR_FIELDS, default="code")
            else:
                kept.clear()
                return render(request, "accounts/phone_change_submitted.html", {"change": change})
        kept.keep_valid(form, PhoneChangeForm.file_fields)
        return self.respond(request, form, kept)


class PhoneChangeConfirmView(View):
    """The emailed link: GET asks for a click (mail scanners must not apply it) — or says at once
    that the link is expired, used or invalid — and POST applies."""

    template_name = "accounts/phone_change_confirm.html"

    def get(self, request, token: str):
        try:
            services.pending_phone_change_for_token(token)
        except ValidationError as exc:
            return render(
                request, self.template_name, {"error": exc.messages[0], "error_code": exc.code}, status=400
            )
        return render(request, self.template_name, {"token": token})

    def post(self, request, token: str):
        try:
            change = services.confirm_phone_change_by_email(token=token)
        except ValidationError as exc:
            return render(
                request, self.template_name, {"error": exc.messages[0], "error_code": exc.code}, status=400
            )
        return render(request, self.template_name, {"change": change, "done": True})
