"""实名认证, 人工实名认证 and 认领, and the private uploads (SPEC F-12, F-13, F-17)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from portal.accounts import selectors, services
from portal.accounts.forms import ManualVerificationForm, RealNameForm
from portal.accounts.models import PhoneChangeRequest, RealNameVerification
from portal.accounts.verification import automatic_verification_available
from portal.accounts.views.common import add_service_error, keep_typed
from portal.core.uploads import KeptUploads, safe_extension

ERROR_FIELDS = {"uscc_taken": "uscc", "claim_not_needed": "claim", "licence_required": "licence"}
KEPT_KEY = "realname"  # the 实名认证 and 人工实名认证 forms share the kept licence


class RealNameView(LoginRequiredMixin, View):
    """实名认证: automatic when a decisive backend is configured, else the manual form itself."""

    template_name = "accounts/realname.html"

    def form_class(self):
        return RealNameForm if automatic_verification_available() else ManualVerificationForm

    def context(self, request, form, **extra):
        kept = KeptUploads(request, KEPT_KEY)
        for shown in (form, extra.get("claim_form")):
            for name in getattr(shown, "file_fields", ()):
                if kept.name(name) and name not in shown.errors:
                    # BoundFields are built (and cached) during validation: set the text on both
                    shown.fields[name].help_text = shown[name].help_text = _(
                        "已上传：%(name)s（如需更换，请重新选择文件）"
                    ) % {"name": kept.name(name)}
        account = selectors.account_of(request.user)
        return {
            "form": form,
            "account": account,
            "latest": selectors.latest_verification(request.user),
            "pending": selectors.pending_manual_verification(request.user),
            "manual": isinstance(form, ManualVerificationForm),
            **extra,
        }

    def get(self, request):
        form_class = self.form_class()
        initial = (
            {"claim": True} if request.GET.get("claim") and form_class is ManualVerificationForm else None
        )
        return render(request, self.template_name, self.context(request, form_class(initial=initial)))

    def post(self, request):
        form_class = self.form_class()
        kept = KeptUploads(request, KEPT_KEY)
        form = form_class(request.POST, kept.merge_into(request.FILES, form_class.file_fields))
        extra = {}
        if form.is_valid():
            try:
                verification = self.submit(request, form_class, form.cleaned_data)
            except ValidationError as exc:
                add_service_error(form, exc, ERROR_FIELDS)
                if exc.code == "uscc_taken" and form_class is RealNameForm:
                    # FAQ 3: offer the 认领 right here, with everything typed and the licence kept
                    extra["claim_form"] = ManualVerificationForm(
                        initial={**keep_typed(form).dict(), "claim": True}
                    )
            else:
                kept.clear()
                return self.done(request, verification)
        kept.keep_valid(form, form_class.file_fields)
        return render(request, self.template_name, self.context(request, form, **extra))

    def submit(self, request, form_class, data):
        common = {
            "user": request.user,
            "user_type": data["user_type"],
            "name": data["name"],
            "id_number": data["id_number"],
            "enterprise_name": data.get("enterprise_name", ""),
            "uscc": data.get("uscc", ""),
            "licence": data.get("licence"),
            "email": data.get("email", ""),
        }
        if form_class is RealNameForm:
            return services.submit_realname_verification(**common)
        return services.request_manual_verification(
            **common, evidence=data["evidence"], note=data.get("note", ""), claim=data.get("claim", False)
        )

    def done(self, request, verification):
        if verification.method == RealNameVerification.Method.MANUAL:
            messages.success(request, _("人工实名认证申请已提交，请等待审核。"))
        elif verification.status == "approved":
            messages.success(request, _("实名认证成功。"))
        else:
            messages.error(
                request,
                _("实名认证未通过：%(reason)s 您可以申请人工实名认证。") % {"reason": verification.reason},
            )
        return redirect("accounts:realname")


class ManualVerificationView(RealNameView):
    template_name = "accounts/realname_manual.html"

    def form_class(self):
        return ManualVerificationForm


PRIVATE_FILES = {
    "realname": (RealNameVerification, {"licence", "evidence"}),
    "phone-change": (PhoneChangeRequest, {"evidence"}),
}


class PrivateFileView(LoginRequiredMixin, View):
    """Licence images and evidence: only the owner and staff allowed to review the request."""

    def get(self, request, kind: str, pk: int, field: str):
        model, fields = PRIVATE_FILES.get(kind, (None, set()))
        if model is None or field not in fields:
            raise Http404
        obj = get_object_or_404(model, pk=pk)
        if not selectors.can_read_private_file(request.user, obj):
            raise Http404  # not 403: do not confirm that the object exists
        upload = getattr(obj, field)
        if not upload:
            raise Http404
        extension = safe_extension(upload.name)
        # the download is named after the field, never after what the uploader called the file
        filename = f"{model._meta.get_field(field).verbose_name}{extension}"
        response = FileResponse(
            upload.open("rb"), as_attachment=extension not in (".jpg", ".jpeg", ".png"), filename=filename
        )
        response["Cache-Control"] = "private, no-store"
        response["X-Content-Type-Options"] = "nosniff"
        return response
