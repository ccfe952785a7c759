"""Every write of the form engine: versions (create, edit drafts, publish, retire) and submissions.

Services are keyword-only, own their transaction and write the audit log (Wagtail's
``log_action``). Published versions are immutable: only :func:`update_form_version` edits a
schema and it refuses anything but a draft; only :func:`publish_form_version` publishes, and it
retires the previous current version in the same transaction.
"""

from forms_engine.services.approval import (
    approve_version,
    approved_review,
    draft_issues,
    publish_approved_version,
    reject_version,
    save_draft_schema,
    submit_version_for_approval,
)
from forms_engine.services.documents import (
    ensure_definition,
    export_definition_document,
    import_definition_document,
)
from forms_engine.services.errors import (
    DefinitionNotAvailableError,
    FormVersionApprovalError,
    FormVersionImmutableError,
    FormVersionStateError,
    SubmissionClosedError,
    SubmissionConflictError,
    SubmissionInvalidError,
)
from forms_engine.services.submissions import (
    prefilled_answers,
    resume_or_start_submission,
    save_submission_progress,
    start_submission,
    submit_submission,
)
from forms_engine.services.versions import (
    create_draft_from_version,
    create_form_version,
    publish_form_version,
    retire_form_version,
    update_form_version,
)

__all__ = [
    "DefinitionNotAvailableError", "FormVersionApprovalError", "FormVersionImmutableError", "FormVersionStateError",
    "SubmissionClosedError", "SubmissionConflictError", "SubmissionInvalidError", "approve_version",
    "approved_review", "create_draft_from_version", "create_form_version", "draft_issues", "ensure_definition",
    "export_definition_document", "import_definition_document", "prefilled_answers", "publish_approved_version",
    "publish_form_version", "reject_version", "resume_or_start_submission", "retire_form_version",
    "save_draft_schema", "save_submission_progress", "start_submission", "submit_submission",
    "submit_version_for_approval", "update_form_version",
]
