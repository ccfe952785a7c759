"""我的消息 pages, inside the enterprise centre's frame (SPEC F-23, the manual's 三(二)).

- ``/enterprise/messages/`` (:class:`MessageIndexView`): the tabs 全部 and the five categories with
  their unread counts (``?category=<key>``), the messages newest first (unread in bold, 未读),
  paginated (``?page=``).
- ``/enterprise/messages/read-all/`` (:class:`MessageMarkAllReadView`): 【全部标为已读】 (POST), of the
  tab it was pressed on.
- ``/enterprise/messages/<pk>/`` (:class:`MessageDetailView`): the message; opening it reads it.

Every page with an id answers 404 unless the message belongs to the signed-in user's enterprise.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages as flash
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views import View

from portal.enterprises.selectors import enterprise_for_user
from portal.enterprises.views import CentreMixin

from . import selectors, services
from .models import Message

CENTRE_KEY = "messages"


def index_url(category: str) -> str:
    url = reverse("inbox:index")
    return f"{url}?{urlencode({'category': category})}" if category else url


class MessageIndexView(CentreMixin, View):
    centre_active = CENTRE_KEY

    def get(self, request: HttpRequest) -> HttpResponse:
        category = selectors.tab_key(request.GET.get("category"))
        tabs = selectors.category_counts(self.enterprise)
        current = next(tab for tab in tabs if tab.key == category)
        page = selectors.messages_page(
            self.enterprise, category=category, page_number=request.GET.get("page"), total=current.total
        )
        return self.render_centre(
            request, "inbox/message_index.html", {"tabs": tabs, "current_tab": current, "page_obj": page}
        )


class MessageMarkAllReadView(CentreMixin, View):
    """【全部标为已读】 of the tab it was pressed on; back to that tab."""

    centre_active = CENTRE_KEY
    http_method_names = ["post"]

    def post(self, request: HttpRequest) -> HttpResponse:
        category = selectors.tab_key(request.POST.get("category"))
        count = services.mark_all_read(
            enterprise=self.enterprise, user=request.user, category=category or None
        )
        if count:
            flash.success(request, _("已将 %(count)s 条消息标为已读。") % {"count": count})
        return redirect(index_url(category))


class MessageDetailView(CentreMixin, View):
    centre_active = CENTRE_KEY
    message: Message

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        # an id is answered with the message or a 404, never another page (not even to an
        # account without an enterprise, which the centre's other pages tell what to do)
        if request.user.is_authenticated:
            message = selectors.message_of(enterprise_for_user(request.user), kwargs["pk"])
            if message is None:
                raise Http404
            self.message = message
        return super().dispatch(request, *args, **kwargs)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        message = services.mark_read(message=self.message, user=request.user)
        return self.render_centre(
            request,
            "inbox/message_detail.html",
            # back to the tab the title was clicked on (the list's links say which: ``?tab=``)
            {"message": message, "back_url": index_url(selectors.tab_key(request.GET.get("tab")))},
        )
