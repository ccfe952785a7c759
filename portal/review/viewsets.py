"""The review queue in the Wagtail admin: a ModelViewSet on :class:`Filing` with only the views a
reviewer needs (queue, review page) plus the action endpoints; filings are never created, edited or
deleted here, whoever asks (:class:`FilingReviewPermissionPolicy`)."""

from __future__ import annotations

from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail.permission_policies.base import ModelPermissionPolicy

from portal.core.admin import StaffQueueViewSet
from portal.filings.models import Filing

from . import selectors, views


class FilingReviewPermissionPolicy(ModelPermissionPolicy):
    """Reviewers (a scope) may view; nobody may add, change or delete a filing through the admin:
    every change is an action of :mod:`portal.review.actions`."""

    def user_has_permission(self, user, action):
        return action == "view" and selectors.scope_of(user) is not None

    def user_has_any_permission(self, user, actions):
        return "view" in actions and selectors.scope_of(user) is not None

    def user_has_permission_for_instance(self, user, action, instance):
        return action == "view" and selectors.can_view(user, instance)


class FilingReviewViewSet(StaffQueueViewSet):
    model = Filing
    name = "review"
    icon = "tasks"
    menu_label = _("申报审核")
    menu_order = 240
    add_to_admin_menu = True
    index_view_class = views.FilingQueueView
    inspect_view_class = views.FilingReviewView
    export_filename = "申报审核"  # the viewset passes its own (default: the table name) to the index view

    def action_urlpatterns(self):
        return [
            path("<int:pk>/pass/", views.PassView.as_view(), name="pass"),
            path("<int:pk>/return/", views.ReturnView.as_view(), name="return"),
            path("<int:pk>/reject/", views.RejectView.as_view(), name="reject"),
            path("<int:pk>/adjust/", views.AdjustScoreView.as_view(), name="adjust"),
            path("<int:pk>/evidence/", views.EvidenceDownloadView.as_view(), name="evidence"),
            path("batch-pass/", views.BatchPassView.as_view(), name="batch_pass"),
        ]
