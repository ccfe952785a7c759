"""The account queues in the Wagtail admin (SPEC F-45), in the style of the review queue
(``portal.review.viewsets``): a ModelViewSet per request model with only the queue, the request's
page and the two decision endpoints. Requests are never created, edited or deleted in the admin
(:class:`AccountRequestPermissionPolicy`): every decision is an action of
:mod:`portal.accounts.actions`.

- ``/admin/account-reviews/realname/`` — 人工实名认证 (``realname_reviews:*``)
- ``/admin/account-reviews/phone/`` — 手机号修改（人工核验） (``phone_reviews:*``)
"""

from __future__ import annotations

from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail.permission_policies.base import ModelPermissionPolicy

from portal.accounts import admin_views, selectors
from portal.accounts.models import PhoneChangeRequest, RealNameVerification
from portal.core.admin import StaffQueueViewSet, register_scope
from portal.core.scopes import staff_region_code


class AccountRequestPermissionPolicy(ModelPermissionPolicy):
    """Staff with the model's view permission and a region may open the queue; a request only when
    its province lies inside that region (``selectors.can_review``); nobody adds, changes or
    deletes a request through the admin's generic views."""

    def _may_list(self, user) -> bool:
        return (
            user.is_active
            and user.has_perm(f"{self.app_label}.view_{self.model_name}")
            and staff_region_code(user) != ""
        )

    def user_has_permission(self, user, action):
        return action == "view" and self._may_list(user)

    def user_has_any_permission(self, user, actions):
        return "view" in actions and self._may_list(user)

    def user_has_permission_for_instance(self, user, action, instance):
        return action == "view" and selectors.can_review(user, instance, "view")


class AccountRequestViewSet(StaffQueueViewSet):
    add_to_admin_menu = False  # listed in the 账号审核 menu (wagtail_hooks.AccountsAdminGroup)

    def action_urlpatterns(self):
        decide = {"model": self.model, "viewset_name": self.name}
        return [
            path("<int:pk>/approve/", admin_views.DecideView.as_view(approve=True, **decide), name="approve"),
            path("<int:pk>/reject/", admin_views.DecideView.as_view(approve=False, **decide), name="reject"),
        ]


class RealNameReviewViewSet(AccountRequestViewSet):
    model = RealNameVerification
    name = "realname_reviews"
    url_prefix = "account-reviews/realname"
    icon = "user"
    menu_label = _("人工实名认证")
    export_filename = "人工实名认证审核"  # the viewset passes its own (default: the table name) to the view
    index_view_class = admin_views.RealNameQueueView
    inspect_view_class = admin_views.RealNameReviewView


class PhoneChangeReviewViewSet(AccountRequestViewSet):
    model = PhoneChangeRequest
    name = "phone_reviews"
    url_prefix = "account-reviews/phone"
    icon = "mobile-alt"
    menu_label = _("手机号修改（人工核验）")
    export_filename = "手机号修改审核"
    index_view_class = admin_views.PhoneChangeQueueView
    inspect_view_class = admin_views.PhoneChangeReviewView


realname_reviews = RealNameReviewViewSet()
phone_reviews = PhoneChangeReviewViewSet()

# the site-history report shows a reviewer the entries of the requests of their own queues only
register_scope(RealNameVerification, lambda request: selectors.manual_verification_queue(request.user))
register_scope(PhoneChangeRequest, lambda request: selectors.phone_change_queue(request.user))
