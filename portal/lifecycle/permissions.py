"""Permission policy of the 信息更新 admin screen: nobody adds, edits or deletes a record through
generic forms (the records are written by the job and by 【审阅】 / 【退回】); reviewers view those of
their region (:func:`portal.lifecycle.selectors.annual_updates_visible_to`)."""

from __future__ import annotations

from wagtail.permission_policies.base import ModelPermissionPolicy

from portal.review.selectors import scope_of


class AnnualUpdatePermissionPolicy(ModelPermissionPolicy):
    def user_has_permission(self, user, action):
        return action == "view" and scope_of(user) is not None

    def user_has_any_permission(self, user, actions):
        return "view" in actions and scope_of(user) is not None

    def user_has_permission_for_instance(self, user, action, instance):
        scope = scope_of(user)
        return action == "view" and scope is not None and instance.region_code.startswith(scope.prefix)
