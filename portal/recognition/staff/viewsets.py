"""The two admin screens as Wagtail ModelViewSets with only the views they need; neither 公示 nor
recognitions are created, edited or deleted through generic forms (the permission policies in
:mod:`portal.recognition.permissions` say so whoever asks): every change is an action."""

from __future__ import annotations

from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail.admin.viewsets.model import ModelViewSetGroup

from portal.core.admin import StaffQueueViewSet
from portal.filings.models import Filing

from ..models import Publicity, Recognition
from . import publicity, register


class PublicityViewSet(StaffQueueViewSet):
    model = Publicity
    name = "publicity"
    icon = "calendar-alt"
    menu_label = _("公示与认定")
    export_filename = "公示与认定"  # the viewset passes its own (default: the table name) to the views
    index_view_class = publicity.PublicityIndexView
    inspect_view_class = publicity.PublicityInspectView

    def action_urlpatterns(self):
        ready = self.construct_view(
            publicity.ReadyFilingsView,
            model=Filing,
            index_url_name=self.get_url_name("ready"),
            index_results_url_name=self.get_url_name("ready_results"),
            permission_policy=None,
            export_filename="待公示的申报",
            add_url_name=None,
            edit_url_name=None,
            delete_url_name=None,
            inspect_url_name=None,
            copy_url_name=None,
            history_url_name=None,
            usage_url_name=None,
        )
        return [
            path("ready/", ready, name="ready"),
            path("ready/results/", ready, name="ready_results"),
            path("create/", publicity.PublicityCreateView.as_view(), name="create"),
            path("<int:pk>/recognise/", publicity.PublicityRecogniseView.as_view(), name="recognise"),
        ]


class RecognitionViewSet(StaffQueueViewSet):
    model = Recognition
    name = "recognitions"
    icon = "success"
    menu_label = _("认定企业")
    export_filename = "认定企业"
    index_view_class = register.RecognitionIndexView
    inspect_view_class = register.RecognitionInspectView

    def action_urlpatterns(self):
        return [
            path("<int:pk>/certificate/", register.RecognitionCertificateView.as_view(), name="certificate"),
            path("<int:pk>/cancel/", register.RecognitionCancelView.as_view(), name="cancel"),
        ]


class RecognitionViewSetGroup(ModelViewSetGroup):
    menu_label = _("认定管理")
    menu_icon = "success"
    menu_order = 245
    items = (PublicityViewSet, RecognitionViewSet)
