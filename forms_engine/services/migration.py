"""【迁移到新版本】: move a draft started on an older version to a newer published one."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Max
from wagtail.log_actions import log

from forms_engine.answers import MigrationPlan, plan_migration
from forms_engine.models import FormSubmission, FormSubmissionRevision, FormVersion
from forms_engine.services.errors import SubmissionStateError
from forms_engine.services.submissions import current_version, locked_values, prefilled_answers


def migration_target(submission: FormSubmission) -> FormVersion | None:
    """The newer published version (same form, same purpose) a draft could move to, if any."""
    if not submission.is_draft or submission.version.status == FormVersion.Status.PUBLISHED:
        return None  # a draft on a current version has nothing newer (one current per purpose)
    target = current_version(submission.version.definition, submission.version.purpose)
    if target is None or target.pk == submission.version_id or target.number < submission.version.number:
        return None
    return target


def plan_draft_migration(*, submission: FormSubmission, target: FormVersion) -> MigrationPlan:
    return plan_migration(submission.version.parsed, target.parsed, submission.answers)


def migrate_draft(
    *,
    submission: FormSubmission,
    target: FormVersion,
    user: AbstractBaseUser | None,
    expected_revision: int | None = None,
) -> FormSubmission:
    """Move a draft to ``target`` once the person confirmed: answers of unchanged keys and types
    are carried over, new questions are prefilled, the old draft is kept in the history.

    The same submission row moves (a host's link to it stays). Raises SubmissionStateError
    (``not_draft``, ``not_newer``, ``stale``).
    """
    with transaction.atomic():
        locked = (
            FormSubmission.objects.select_for_update()
            .select_related("version__definition", "owner")
            .get(pk=submission.pk)
        )
        if not locked.is_draft:
            raise SubmissionStateError("只有草稿可以迁移到新版本。", code="not_draft")
        if migration_target(locked) is None or migration_target(locked).pk != target.pk:
            raise SubmissionStateError("没有可迁移的新版本。", code="not_newer")
        if expected_revision is not None and locked.revision != expected_revision:
            raise SubmissionStateError("该草稿已在其他窗口或设备上保存过，请刷新后再迁移。", code="stale")
        plan = plan_migration(locked.version.parsed, target.parsed, locked.answers)
        number = (locked.revisions.aggregate(n=Max("number"))["n"] or 0) + 1
        FormSubmissionRevision.objects.create(
            submission=locked,
            number=number,
            event=FormSubmissionRevision.Event.MIGRATED,
            version=locked.version,
            answers=locked.answers,
            context=locked.context,
            created_by=user,
        )
        old_number = locked.version.number
        fresh = prefilled_answers(version=target, owner=locked.owner, context=locked.context)
        locked.version = target
        locked.answers = {
            **fresh,
            **plan.answers,
            **locked_values(version=target, owner=locked.owner, context=locked.context),
        }
        locked.wizard_state = {}  # steps of the old version mean nothing on the new one
        locked.score = None
        locked.revision += 1
        locked.save()
        log(
            instance=locked,
            action="forms_engine.migrate",
            user=user,
            data={
                "definition": target.definition.key,
                "from": old_number,
                "to": target.number,
                "carried": len(plan.carried),
                "reanswer": len(plan.reanswer),
            },
        )
    return locked
