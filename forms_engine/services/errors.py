"""Exceptions raised by the form engine services."""

from __future__ import annotations

from forms_engine.actions import ActionError
from forms_engine.values import AnswerIssue


class FormVersionImmutableError(Exception):
    """A published or retired version cannot be changed."""


class FormVersionStateError(Exception):
    """The version is not in a state that allows this action."""


class DefinitionNotAvailableError(Exception):
    """No published version to fill, or the definition is not self-service."""


class SubmissionConflictError(Exception):
    """Someone saved the draft since this page was loaded (another tab or device)."""


class SubmissionClosedError(Exception):
    """The submission was already submitted and is frozen."""


class FormVersionApprovalError(ActionError):
    """The two-person approval rule refuses this step (self-approval, no approval, stale review):
    an :class:`ActionError` of the version actions (``message``, ``code``)."""


class SubmissionStateError(Exception):
    """The submission is not in a state that allows this (e.g. reopening a draft)."""

    def __init__(self, message: str, *, code: str):
        self.code = code
        super().__init__(message)


class SubmissionInvalidError(Exception):
    def __init__(self, issues: list[AnswerIssue]):
        self.issues = issues
        super().__init__("; ".join(str(i) for i in issues))
