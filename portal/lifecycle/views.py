"""认证到期管理 in the enterprise centre (SPEC F-26, F-43; the manual's 三(五)).

- ``/enterprise/renewals/`` (:class:`RenewalIndexView`): the enterprise's recognitions with their
  validity and what 复核 allows now (【去复核】, or the reason it is refused: not open yet, 不具备
  复核资格 with the missed 信息更新, barred, cancelled, expired), the 信息更新 of this year, and the
  history of 复核 with 【详情】 (the filing's own page). Not-recognised enterprises have no 复核.
- ``/enterprise/renewals/<pk>/start/`` (:class:`RenewalStartView`): POST 【去复核】 → the filing's form.

Ids of another enterprise's recognitions answer 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.views import View

from portal.enterprises.views import CentreMixin
from portal.filings.services import FilingRefusedError
from portal.recognition import selectors as recognition_selectors

from . import selectors, services
from .models import AnnualUpdate

CENTRE_KEY = "renewals"


class RenewalIndexView(CentreMixin, View):
    centre_active = CENTRE_KEY

    def get(self, request: HttpRequest) -> HttpResponse:
        enterprise = self.enterprise
        today = timezone.localdate()
        recognitions = recognition_selectors.recognitions_of_enterprise(enterprise)
        rows = [selectors.renewal_state(r, today=today) for r in recognitions]
        cycle = selectors.update_cycle(today.year)
        update = None
        missed = None
        if enterprise is not None and recognitions:
            update = AnnualUpdate.objects.filter(enterprise=enterprise, year=cycle.year).first()
            missed = selectors.missed_update(enterprise, today=today)
        return self.render_centre(
            request,
            "lifecycle/renewal_index.html",
            {
                "rows": rows,
                "renewals": list(selectors.renewals_of_enterprise(enterprise)),
                "cycle": cycle,
                "update": update,
                "missed": missed,
                "today": today,
            },
        )


class RenewalStartView(CentreMixin, View):
    centre_active = CENTRE_KEY

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        recognition = recognition_selectors.recognition_of_owner(request.user, pk)
        if recognition is None:
            raise Http404
        try:
            filing = services.start_renewal(recognition=recognition, user=request.user)
        except FilingRefusedError as exc:
            messages.error(request, exc.messages[0])
            return redirect("renewals:index")
        return redirect("filings:fill", pk=filing.pk)
