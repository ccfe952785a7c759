"""Every write of the form engine: versions (create, edit drafts, publish, retire) and submissions.

Services are keyword-only, own their transaction and write the audit log (Wagtail's
``log_action``). Published versions are immutable: only :func:`update_form_version` edits a
schema and it refuses anything but a draft; only :func:`publish_form_version` publishes, and it
retires the previous current version in the same transaction.
"""

from forms_engine.host import SubmissionRefusedError
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
    DocumentError,
    ensure_definition,
    export_definition_document,
    import_definition_document,
    read_document,
)
from forms_engine.services.errors import (
    DefinitionNotAvailableError,
    FormVersionApprovalError,
    FormVersionImmutableError,
    FormVersionStateError,
    SubmissionClosedError,
    SubmissionConflictError,
    SubmissionInvalidError,
    SubmissionStateError,
)
from forms_engine.services.migration import migrate_draft, migration_target, plan_draft_migration
from forms_engine.services.submissions import (
    current_version,
    locked_values,
    prefilled_answers,
    reopen_submission,
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
    "DefinitionNotAvailableError",
    "DocumentError",
    "FormVersionApprovalError",
    "FormVersionImmutableError",
    "FormVersionStateError",
    "SubmissionClosedError",
    "SubmissionConflictError",
    "SubmissionInvalidError",
    "SubmissionRefusedError",
    "SubmissionStateError",
    "approve_version",
    "approved_review",
    "create_draft_from_version",
    "create_form_version",
    "current_version",
    "draft_issues",
    "ensure_definition",
    "export_definition_document",
    "import_definition_document",
    "locked_values",
    "migrate_draft",
    "migration_target",
    "plan_draft_migration",
    "prefilled_answers",
    "publish_approved_version",
    "publish_form_version",
    "read_document",
    "reject_version",
    "reopen_submission",
    "resume_or_start_submission",
    "retire_form_version",
    "save_draft_schema",
    "save_submission_progress",
    "start_submission",
    "submit_submission",
    "submit_version_for_approval",
    "update_form_version",
]
