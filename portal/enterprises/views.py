"""The enterprise centre's pages: the post-login 企业申报页面, 企业信息 (profile, its edit form
【编辑】 / 【信息更新】, history), and the centre pages whose feature is not built yet.

Every page shows the signed-in user's own enterprise only: no URL carries an enterprise id, so
one account can never address another's profile. Accounts without an enterprise get a page
that says what to do (【立即认证】, or FAQ 2 for natural-person accounts). Every page renders in
the centre's frame (``enterprises/centre_base.html``, see :mod:`portal.enterprises.centre`).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View

from cms.selectors import notices_for_province
from portal.core.dates import chinese_date
from portal.core.masking import mask_id_number

from .centre import NOT_OPEN_FEATURES, centre_context
from .forms import EnterpriseProfileForm
from .models import Enterprise, EnterpriseProfileVersion
from .selectors import (
    enterprise_for_user,
    enterprise_province_code,
    list_profile_versions,
    missing_profile_fields,
    profile_edit_state,
    questionnaire_key_for,
    recognition_of,
    region_label,
)
from .services import ProfileLockedError, reveal_legal_representative_id, update_enterprise_profile

QUESTIONNAIRE_TITLES = {
    "digital_manufacturing": "制造业",
    "digital_services": "生产性服务业",
    "digital_other": "其他行业",
}


def _user_type(user) -> str | None:
    # The accounts app defines Account (one-to-one on User); read it defensively.
    return getattr(getattr(user, "account", None), "user_type", None)


def _window_notice(state) -> str:
    window = state.window
    return _(
        "已认定企业每年 %(start)s 至 %(end)s 开放信息更新，其余时间不可编辑。下次开放时间：%(opens)s。"
    ) % {
        "start": f"{window.start.month}月{window.start.day}日",
        "end": f"{window.end.month}月{window.end.day}日",
        "opens": chinese_date(window.start),
    }


class EnterpriseMixin(LoginRequiredMixin):
    """Resolve ``self.enterprise`` for the signed-in user or answer with the not-verified page."""

    enterprise: Enterprise

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        enterprise = self.get_enterprise(request)
        if enterprise is None:
            return render(
                request,
                "enterprises/enterprise_missing.html",
                {"is_natural_person": _user_type(request.user) == "natural"},
            )
        self.enterprise = enterprise
        return super().dispatch(request, *args, **kwargs)

    def get_enterprise(self, request: HttpRequest) -> Enterprise | None:
        """The signed-in user's enterprise (a page that reads it with its own object overrides this)."""
        return enterprise_for_user(request.user)


class CentreMixin(EnterpriseMixin):
    """A page of the centre: ``centre_active`` names its side-navigation item."""

    centre_active = "profile"

    def render_centre(
        self, request: HttpRequest, template: str, context: dict, status: int = 200
    ) -> HttpResponse:
        return render(
            request,
            template,
            {**centre_context(self.enterprise, self.centre_active), "enterprise": self.enterprise, **context},
            status=status,
        )


def _safe_next(request: HttpRequest) -> str:
    """A same-site ``next`` (e.g. the form the profile had to be completed for), else ""."""
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url and url_has_allowed_host_and_scheme(url, {request.get_host()}, require_https=request.is_secure()):
        return url
    return ""


class CentreHomeView(CentreMixin, View):
    """企业申报页面, where login lands: 企业最新消息, 数字化水平评测 and 企业申报 (the manual)."""

    centre_active = "home"

    def get(self, request: HttpRequest) -> HttpResponse:
        enterprise = self.enterprise
        province = enterprise_province_code(enterprise)  # the one rule (注册地, else the USCC)
        return self.render_centre(
            request,
            "enterprises/centre_home.html",
            {
                **notices_for_province(province, request=request),
                "province_code": province,
                "province_name": region_label(province),
                "missing_fields": missing_profile_fields(enterprise),
                "recognition": recognition_of(enterprise),
            },
        )


class CentreFeatureView(CentreMixin, View):
    """A centre page whose feature is not built yet: says so inside the frame. The app that builds
    it replaces this view at the same URL."""

    feature_key = ""

    def get(self, request: HttpRequest, rest: str = "") -> HttpResponse:
        feature = NOT_OPEN_FEATURES[self.feature_key]
        self.centre_active = self.feature_key
        return self.render_centre(request, "enterprises/centre_not_open.html", {"feature": feature})


class EnterpriseProfileView(CentreMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        return self._render(request, revealed_id="")

    def post(self, request: HttpRequest) -> HttpResponse:
        """【显示】 the legal representative's full ID number (logged); the page masks it otherwise."""
        return self._render(
            request, revealed_id=reveal_legal_representative_id(enterprise=self.enterprise, user=request.user)
        )

    def _render(self, request: HttpRequest, *, revealed_id: str) -> HttpResponse:
        enterprise = self.enterprise
        state = profile_edit_state(enterprise)
        key = questionnaire_key_for(enterprise)
        return self.render_centre(
            request,
            "enterprises/enterprise_detail.html",
            {
                "region_label": region_label(enterprise.region.code if enterprise.region_id else None),
                "missing_fields": missing_profile_fields(enterprise),
                "questionnaire_title": QUESTIONNAIRE_TITLES.get(key or "", ""),
                "state": state,
                "window_notice": _window_notice(state),
                "window_closes_on": chinese_date(state.window.end),
                "recognition": recognition_of(enterprise),
                "masked_id": mask_id_number(enterprise.legal_representative_id),
                "revealed_id": revealed_id,
            },
        )


class EnterpriseProfileEditView(CentreMixin, View):
    template_name = "enterprises/enterprise_form.html"

    def _render(self, request: HttpRequest, form: EnterpriseProfileForm, state) -> HttpResponse:
        return self.render_centre(
            request,
            self.template_name,
            {
                "form": form,
                "state": state,
                "window_notice": _window_notice(state),
                "window_closes_on": chinese_date(state.window.end),
                "next": _safe_next(request),
            },
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
                update_enterprise_profile(
                    enterprise=self.enterprise, user=request.user, data=form.cleaned_data
                )
            except ProfileLockedError:
                # The window closed while the page was open: keep everything typed, say why.
                state = profile_edit_state(self.enterprise)
                form.add_error(None, _("信息更新已关闭，本次修改未保存。") + _window_notice(state))
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                label = (
                    _("信息更新") if state.mode == EnterpriseProfileVersion.Kind.ANNUAL_UPDATE else _("编辑")
                )
                messages.success(request, _("企业信息已保存（%(label)s）。") % {"label": label})
                # back to where the profile had to be completed (e.g. the self-test), if anywhere
                return redirect(_safe_next(request) or "enterprises:profile")
        return self._render(request, form, state)


class EnterpriseProfileHistoryView(CentreMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        return self.render_centre(
            request,
            "enterprises/enterprise_history.html",
            {
                "entries": list_profile_versions(self.enterprise),
                "profile_url": reverse("enterprises:profile"),
            },
        )
