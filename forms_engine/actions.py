"""One class per verb, in the style of ``wagtail/actions/``: the action primitive of the project.

An :class:`Action` holds one verb on one object — 审批 a form version, 通过 / 退回 a filing, decide an
identity check — as four overridable steps run by :meth:`Action.execute`:

1. :meth:`check_perms` — may ``user`` do this? (skipped with ``skip_permission_checks=True``, for
   the CLI and system jobs, which say so explicitly);
2. :meth:`check` — are the parameters and the object's state right? (raises :class:`ActionError`
   with a stable ``code``);
3. :meth:`_execute` — the state change, on the row locked by :meth:`lock`, inside one transaction;
4. the audit entry (Wagtail's ``log``, action :attr:`log_action`, data :meth:`log_data`) in the same
   transaction, and :meth:`notify` — messages to the people concerned, also inside it (a message
   service defers its own side effects, such as SMS, to after the commit).

Views, the CLI and batch actions call ``SomeAction(obj, user=…, …).execute()``; a batch runs one
action per object so one refusal does not undo the others.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from wagtail.log_actions import log


class ActionError(Exception):
    """An action refused for a reason the person can fix or must know: ``message``, stable ``code``."""

    def __init__(self, message: str, *, code: str):
        super().__init__(message)
        self.message = message
        self.code = code


class Action:
    """Subclasses set :attr:`log_action` and implement :meth:`_execute`; most also override
    :meth:`check_perms`, :meth:`check` and :meth:`log_data`."""

    log_action: ClassVar[str] = ""
    error_class: ClassVar[type[Exception]] = ActionError

    def __init__(self, obj: models.Model, *, user: Any = None, skip_permission_checks: bool = False):
        self.object = obj
        self.user = user
        self.skip_permission_checks = skip_permission_checks

    # -- steps a subclass overrides -----------------------------------------------------------
    def check_perms(self) -> None:
        """Raise PermissionDenied unless ``self.user`` may act on ``self.object``."""
        if self.user is None:
            raise PermissionDenied

    def check(self) -> None:
        """Raise ``error_class`` when the parameters cannot be used (before anything is locked)."""

    def lock(self) -> models.Model:
        """The object, locked for the transaction (``select_for_update``)."""
        return type(self.object)._default_manager.select_for_update().get(pk=self.object.pk)

    def _execute(self, locked: models.Model) -> Any:
        raise NotImplementedError

    def log_instance(self, locked: models.Model, result: Any) -> models.Model:
        return locked

    def log_data(self, locked: models.Model, result: Any) -> dict[str, Any]:
        return {}

    def notify(self, locked: models.Model, result: Any) -> None:
        """Tell the people concerned (inside the transaction)."""

    # -- the run ------------------------------------------------------------------------------
    def execute(self) -> Any:
        if not self.skip_permission_checks:
            self.check_perms()
        self.check()
        with transaction.atomic():
            locked = self.lock()
            result = self._execute(locked)
            if self.log_action:
                log(
                    instance=self.log_instance(locked, result),
                    action=self.log_action,
                    user=self.user,
                    data=self.log_data(locked, result),
                )
            self.notify(locked, result)
        return result
