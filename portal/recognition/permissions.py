"""Permission policies of the two admin screens (ModelViewSets): nobody adds, edits or deletes a
公示 or a recognition through generic admin forms — every change is an action of
:mod:`portal.recognition.actions`. Who sees what is decided by :mod:`portal.recognition.selectors`.
"""

from __future__ import annotations

from wagtail.permission_policies.base import ModelPermissionPolicy

from . import selectors


class PublicityPermissionPolicy(ModelPermissionPolicy):
    """公示与认定: reviewers whose level decides in some chain (and superusers) may view."""

    def user_has_permission(self, user, action):
        return action == "view" and selectors.may_decide_somewhere(user)

    def user_has_any_permission(self, user, actions):
        return "view" in actions and selectors.may_decide_somewhere(user)

    def user_has_permission_for_instance(self, user, action, instance):
        return action == "view" and selectors.can_manage_publicity(user, instance)


class RecognitionPermissionPolicy(ModelPermissionPolicy):
    """认定企业: every reviewer (any level) views the recognitions of their region."""

    def user_has_permission(self, user, action):
        return action == "view" and selectors.scope_of(user) is not None

    def user_has_any_permission(self, user, actions):
        return "view" in actions and selectors.scope_of(user) is not None

    def user_has_permission_for_instance(self, user, action, instance):
        return action == "view" and selectors.can_view_recognition(user, instance)
