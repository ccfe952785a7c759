"""Every write of digital assessments.

- :func:`start_assessment` — 【去自评】 / 【继续填写】: the enterprise's open draft of its questionnaire,
  or a new attempt on the questionnaire its 所属行业 gives today.
- :func:`record_assessment_result` — the form engine's submit hook (``FORMS_ENGINE_SUBMIT_HOOKS``
  ``category:assessment``): stores total, level and per-dimension subtotals inside the submit's
  transaction, or refuses the submit.

Services are keyword-only, own their transaction and write Wagtail's audit log.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from forms_engine import services as engine
from forms_engine.host import SubmissionRefusedError
from forms_engine.models import FormDefinition, FormSubmission
from forms_engine.schema import Schema
from forms_engine.scoring import ScoreResult
from portal.enterprises.models import Enterprise
from portal.enterprises.selectors import QUESTIONNAIRE_KEYS, enterprise_province_code, questionnaire_key_for

from .models import Assessment

CATEGORY_OF_KEY: dict[str, str] = {key: category for category, key in QUESTIONNAIRE_KEYS.items()}


def start_assessment(*, enterprise: Enterprise, user: AbstractBaseUser) -> Assessment:
    """The open draft of the questionnaire the enterprise's 所属行业 gives now, or a new attempt on
    its current published version.

    A draft of another questionnaire (started before the industry changed) is left as it is.
    Raises ValidationError: ``industry_missing`` (no 所属行业 yet), ``questionnaire_unavailable``
    (the questionnaire is not loaded or has no published version).
    """
    key = questionnaire_key_for(enterprise)
    if key is None:
        raise ValidationError(
            _("请先在企业信息中填写所属行业，系统据此匹配评测表。"), code="industry_missing"
        )
    with transaction.atomic():
        # two clicks on 【去自评】 (two tabs) wait for each other here and the second resumes the first
        Enterprise.objects.select_for_update().filter(pk=enterprise.pk).first()
        draft = _open_draft(enterprise, key)
        if draft is not None:
            return draft
        definition = FormDefinition.objects.filter(key=key).first()
        version = engine.current_version(definition) if definition is not None else None
        if version is None:
            raise ValidationError(
                _("本企业适用的评测表暂无可填写的版本，请稍后再试或联系管理员。"),
                code="questionnaire_unavailable",
            )
        submission = engine.start_submission(
            version=version, owner=user, context={"province": enterprise_province_code(enterprise)}
        )
        try:
            with transaction.atomic():
                assessment = Assessment.objects.create(
                    enterprise=enterprise,
                    submission=submission,
                    category=CATEGORY_OF_KEY[key],
                    definition_key=key,
                )
        except IntegrityError:  # a database without row locks (SQLite) let a second click through
            submission.delete()
            return _open_draft(enterprise, key)
        log(
            instance=assessment,
            action="assessments.start",
            user=user,
            data={"definition": key, "version": version.number},
        )
    return assessment


def _open_draft(enterprise: Enterprise, key: str) -> Assessment | None:
    return (
        Assessment.objects.select_related("submission")
        .filter(enterprise=enterprise, definition_key=key, submitted_at__isnull=True)
        .first()
    )


def level_number(schema: Schema, outcome_key: str) -> int | None:
    """0 (未达到一级) … 4 (四级) of an outcome key: levels are listed highest first, so the last one
    is 一级. None when the questionnaire has no level rule or more than four levels."""
    levels = [level.key for level in schema.scoring.outcome.levels]
    if schema.scoring.outcome.type != "levels" or not 0 < len(levels) <= 4:
        return None
    if outcome_key == "none":
        return Assessment.Level.NONE
    if outcome_key not in levels:
        return None
    return len(levels) - levels.index(outcome_key)


def record_assessment_result(
    *, submission: FormSubmission, result: ScoreResult | None, **_kwargs: Any
) -> None:
    """Submit hook: store the result of the attempt that owns ``submission``.

    Runs inside the engine's submit transaction, after validation and scoring. Raises
    SubmissionRefusedError (nothing is submitted then): ``assessment_not_started`` (not started
    from /assessment/), ``questionnaire_changed`` (the 所属行业 now gives another questionnaire: the
    other questionnaires cannot be filled by this enterprise), ``assessment_without_levels``
    (the questionnaire has no usable level rule).
    """
    assessment = (
        Assessment.objects.select_for_update(of=("self",))
        .select_related("enterprise__industry")
        .filter(submission=submission)
        .first()
    )
    if assessment is None:
        raise SubmissionRefusedError(_("请从“数字化水平评测”页面开始评测。"), code="assessment_not_started")
    current = questionnaire_key_for(assessment.enterprise)
    if current != assessment.definition_key:
        raise SubmissionRefusedError(
            _(
                "企业所属行业已变更，适用的评测表已不是本评测表，本次评测不能提交。请返回“数字化水平评测”重新开始评测。"
            ),
            code="questionnaire_changed",
        )
    schema = submission.version.parsed
    level = level_number(schema, result.outcome.key) if result is not None else None
    if level is None:
        raise SubmissionRefusedError(
            _("该评测表未设置可用的等级规则，暂不能提交，请联系管理员。"), code="assessment_without_levels"
        )
    assessment.total = result.total
    assessment.max_total = result.max_total
    assessment.level = level
    assessment.dimensions = [
        {
            "key": g.key,
            "label": g.label,
            "points": f"{g.points.normalize():f}",
            "max": None if g.max is None else f"{g.max.normalize():f}",
        }
        for g in result.groups
    ]
    assessment.submitted_at = submission.submitted_at
    assessment.save()
    log(
        instance=assessment,
        action="assessments.submit",
        user=submission.owner,
        data={
            "definition": assessment.definition_key,
            "version": submission.version.number,
            "total": f"{result.total.normalize():f}",
            "level": level,
        },
    )
