"""企业信息 pages: the profile, its edit form (【编辑】 / 【信息更新】) and its history.

Every page shows the signed-in user's own enterprise only: no URL carries an enterprise id, so
one account can never address another's profile. Accounts without an enterprise get a page
that says what to do (【立即认证】, or FAQ 2 for natural-person accounts).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _
from django.views import View

from .forms import EnterpriseProfileForm
from .models import Enterprise, EnterpriseProfileVersion
from .selectors import (
    enterprise_for_user,
    list_profile_versions,
    missing_profile_fields,
    profile_edit_state,
    questionnaire_key_for,
    region_label,
)
from .services import ProfileLockedError, update_enterprise_profile

QUESTIONNAIRE_TITLES = {
    "digital_manufacturing": "制造业",
    "digital_services": "生产性服务业",
    "digital_other": "其他行业",
}


def _user_type(user) -> str | None:
    # The accounts app defines Account (one-to-one on User); read it defensively.
    return getattr(getattr(user, "account", None), "user_type", None)


def _chinese_date(value) -> str:
    return formats.date_format(value, "Y年n月j日")


def _window_notice(state) -> str:
    window = state.window
    return _("已认定企业每年 %(start)s 至 %(end)s 开放信息更新，其余时间不可编辑。下次开放时间：%(opens)s。") % {
        "start": f"{window.start.month}月{window.start.day}日",
        "end": f"{window.end.month}月{window.end.day}日",
        "opens": _chinese_date(window.start),
    }


class EnterpriseMixin(LoginRequiredMixin):
    """Resolve ``self.enterprise`` for the signed-in user or answer with the not-verified page."""

    enterprise: Enterprise

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        enterprise = enterprise_for_user(request.user)
        if enterprise is None:
            return render(
                request,
                "enterprises/enterprise_missing.html",
                {"is_natural_person": _user_type(request.user) == "natural"},
            )
        self.enterprise = enterprise
        return super().dispatch(request, *args, **kwargs)


class EnterpriseProfileView(EnterpriseMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        enterprise = self.enterprise
        state = profile_edit_state(enterprise)
        key = questionnaire_key_for(enterprise)
        return render(
            request,
            "enterprises/enterprise_detail.html",
            {
                "enterprise": enterprise,
                "region_label": region_label(enterprise.region.code if enterprise.region_id else None),
                "missing_fields": missing_profile_fields(enterprise),
                "questionnaire_title": QUESTIONNAIRE_TITLES.get(key or "", ""),
                "state": state,
                "window_notice": _window_notice(state),
                "window_closes_on": _chinese_date(state.window.end),
            },
        )


class EnterpriseProfileEditView(EnterpriseMixin, View):
    template_name = "enterprises/enterprise_form.html"

    def _render(self, request: HttpRequest, form: EnterpriseProfileForm, state) -> HttpResponse:
        return render(
            request,
            self.template_name,
            {"enterprise": self.enterprise, "form": form, "state": state, "window_notice": _window_notice(state),
             "window_closes_on": _chinese_date(state.window.end)},
        )

    def get(self, request: HttpRequest) -> HttpResponse:
        state = profile_edit_state(self.enterprise)
        if not state.can_edit:
            messages.warning(request, _window_notice(state))
            return redirect("enterprises:profile")
        return self._render(request, EnterpriseProfileForm(instance=self.enterprise), state)

    def post(self, request: HttpRequest) -> HttpResponse:
        state = profile_edit_state(self.enterprise)
        form = EnterpriseProfileForm(request.POST, instance=self.enterprise)
        if form.is_valid():
            try:
                update_enterprise_profile(enterprise=self.enterprise, user=request.user, data=form.cleaned_data)
            except ProfileLockedError:
                # The window closed while the page was open: keep everything typed, say why.
                state = profile_edit_state(self.enterprise)
                form.add_error(None, _("信息更新已关闭，本次修改未保存。") + _window_notice(state))
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                label = _("信息更新") if state.mode == EnterpriseProfileVersion.Kind.ANNUAL_UPDATE else _("编辑")
                messages.success(request, _("企业信息已保存（%(label)s）。") % {"label": label})
                return redirect("enterprises:profile")
        return self._render(request, form, state)


class EnterpriseProfileHistoryView(EnterpriseMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        return render(
            request,
            "enterprises/enterprise_history.html",
            {"enterprise": self.enterprise, "entries": list_profile_versions(self.enterprise),
             "profile_url": reverse("enterprises:profile")},
        )
