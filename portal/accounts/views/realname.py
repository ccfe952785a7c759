"""实名认证, 人工实名认证 and the private uploads (SPEC F-12, F-13)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from portal.accounts import selectors, services
from portal.accounts.forms import (
    ManualVerificationForm,
    RealNameForm,
)
from portal.accounts.models import Account, PhoneChangeRequest, RealNameVerification


class RealNameView(LoginRequiredMixin, View):
    template_name = "accounts/realname.html"
    form_class = RealNameForm

    def context(self, request, form):
        account = Account.objects.filter(user=request.user).first()
        return {"form": form, "account": account, "latest": selectors.latest_verification(request.user),
                "pending": selectors.pending_manual_verification(request.user)}

    def get(self, request):
        return render(request, self.template_name, self.context(request, self.form_class()))

    def post(self, request):
        form = self.form_class(request.POST, request.FILES)
        if form.is_valid():
            try:
                verification = self.submit(request, form.cleaned_data)
            except ValidationError as exc:
                form.add_error("uscc" if exc.code == "uscc_taken" else None, exc)
            else:
                return self.done(request, verification)
        return render(request, self.template_name, self.context(request, form))

    def submit(self, request, data):
        return services.submit_realname_verification(
            user=request.user, user_type=data["user_type"], name=data["name"], id_number=data["id_number"],
            enterprise_name=data.get("enterprise_name", ""), uscc=data.get("uscc", ""),
            licence=data.get("licence"), email=data.get("email", ""),
        )

    def done(self, request, verification):
        if verification.status == "approved":
            messages.success(request, _("实名认证成功。"))
        else:
            messages.error(request, _("实名认证未通过：%(reason)s 您可以申请人工实名认证。") % {"reason": verification.reason})
        return redirect("accounts:realname")


class ManualVerificationView(RealNameView):
    template_name = "accounts/realname_manual.html"
    form_class = ManualVerificationForm

    def submit(self, request, data):
        return services.request_manual_verification(
            user=request.user, user_type=data["user_type"], name=data["name"], id_number=data["id_number"],
            enterprise_name=data.get("enterprise_name", ""), uscc=data.get("uscc", ""),
            licence=data.get("licence"), evidence=data["evidence"], note=data.get("note", ""),
            email=data.get("email", ""),
        )

    def done(self, request, verification):
        messages.success(request, _("人工实名认证申请已提交，请等待审核。"))
        return redirect("accounts:realname")


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
        response = FileResponse(upload.open("rb"), as_attachment=not upload.name.lower().endswith(
            (".jpg", ".jpeg", ".png")), filename=upload.name.rsplit("/", 1)[-1])
        response["Cache-Control"] = "private, no-store"
        return response
