"""Public and enterprise pages of recognition.

- ``/query/`` (:class:`RecognitionQueryView`, F-03): 企业名称 + 统一社会信用代码 + 图形验证码 → the
  enterprise's recognitions (level, year, number, validity, status) or “未查询到认定信息”. Both must
  match exactly; POST only (the USCC stays out of URLs and logs); throttled per client address;
  switched on and off in the admin (稍后开放 when off); never cached.
- ``/enterprise/recognitions/<pk>/certificate/`` (:class:`CertificateDownloadView`): the owner
  downloads the certificate (404 for anyone else).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache

from portal.accounts.throttles import client_ip, increment

from . import certificate, selectors
from .forms import RecognitionQueryForm

QUERY_TEMPLATE = "recognition/query.html"


def query_throttled(request: HttpRequest) -> bool:
    """Count this query against its address: ``RECOGNITION_QUERY_HOURLY_LIMIT_PER_IP`` an hour and
    ``RECOGNITION_QUERY_DAILY_LIMIT_PER_IP`` a day (shared cache, like the accounts throttles)."""
    ip = client_ip(request) or "-"
    now = timezone.localtime()
    hourly = increment(f"recognition:query:ip:{ip}:{now:%Y%m%d%H}", 3600)
    daily = increment(f"recognition:query:ip-day:{ip}:{now:%Y%m%d}", 24 * 3600)
    return (
        hourly > settings.RECOGNITION_QUERY_HOURLY_LIMIT_PER_IP
        or daily > settings.RECOGNITION_QUERY_DAILY_LIMIT_PER_IP
    )


@method_decorator(never_cache, name="dispatch")
class RecognitionQueryView(View):
    def _render(self, request: HttpRequest, context: dict, status: int = 200) -> HttpResponse:
        config = selectors.recognition_settings()
        return render(
            request,
            QUERY_TEMPLATE,
            {"enabled": config.query_enabled, "note": config.query_note, **context},
            status=status,
        )

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._render(request, {"form": RecognitionQueryForm()})

    def post(self, request: HttpRequest) -> HttpResponse:
        if not selectors.recognition_settings().query_enabled:
            return self._render(request, {})
        if query_throttled(request):
            return self._render(
                request,
                {
                    "form": RecognitionQueryForm(),
                    "throttled": _("查询过于频繁，请稍后再试（每个网络每小时可查询的次数有限）。"),
                },
                status=429,
            )
        form = RecognitionQueryForm(request.POST)
        if not form.is_valid():
            return self._render(request, {"form": form}, status=400)
        name, uscc = form.cleaned_data["name"], form.cleaned_data["uscc"]
        results = selectors.find_recognitions(name=name, uscc=uscc)
        return self._render(
            request,
            {
                # a fresh 图形验证码 for the next query; the typed values stay
                "form": RecognitionQueryForm(initial={"name": name, "uscc": uscc}),
                "searched": True,
                "searched_name": results[0].enterprise_name if results else name,
                "searched_uscc": uscc,
                "results": results,
                "today": timezone.localdate(),
            },
        )


class CertificateDownloadView(LoginRequiredMixin, View):
    """【下载认定证书】: the owner of the recognised enterprise only (404 for anyone else)."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        recognition = selectors.recognition_of_owner(request.user, pk)
        if recognition is None:
            raise Http404
        handle, filename = certificate.certificate_file(recognition)
        response = FileResponse(handle, as_attachment=True, filename=filename, content_type="application/pdf")
        response["Cache-Control"] = "private, no-store"
        return response
