"""Reads of digital assessments.

For the filings (stable, see docs/assessment.md):

- :func:`latest_assessment` — the latest *submitted* attempt of an enterprise (FAQ 6: it counts).
- :func:`assessment_block` — None when a submitted assessment exists, else the message
  “请先完成数字化水平评测” (the manual's 企业申报 step 4).
- :func:`digital_level_value` — the ``specialized_filing`` indicator 5 option of a level.

For the pages: :func:`assessment_overview` (/assessment/ and the centre's module),
:func:`assessment_of` (one attempt, the owner's only), :func:`assessment_result` (the result page).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from forms_engine.answers import AnswerRow, answers_display
from forms_engine.models import FormDefinition, FormVersion
from forms_engine.schema import Schema
from forms_engine.scoring import SCENARIO_LEVEL_NAMES, level_shortfall
from portal.enterprises.models import Enterprise
from portal.enterprises.selectors import QUESTIONNAIRE_KEYS, questionnaire_key_for
from portal.reference.models import Industry

from .models import Assessment, points_text

# Assessment.level → the option value of ``specialized_filing``'s ``digital_level`` (indicator 5)
DIGITAL_LEVEL_VALUES: dict[int, str] = {4: "4", 3: "3", 2: "2", 1: "1", 0: "none"}

# what lists need of an attempt's submission and version: not the answers, the wizard state, the
# score or the schema (tens of kilobytes each)
_HEAVY = (
    "submission__answers",
    "submission__wizard_state",
    "submission__score",
    "submission__context",
    "submission__version__schema",
)


def submitted_assessments(enterprise: Enterprise) -> QuerySet[Assessment]:
    """The enterprise's submitted attempts, newest first."""
    return (
        Assessment.objects.filter(enterprise=enterprise, submitted_at__isnull=False)
        .select_related("submission__version__definition")
        .defer(*_HEAVY)
        .order_by("-submitted_at", "-pk")
    )


def latest_assessment(enterprise: Enterprise) -> Assessment | None:
    """The latest submitted attempt (the one that counts, FAQ 6), or None. Its ``submitted_at``,
    ``total``, ``level`` (0–4, 0 = 未达到一级), ``level_label``, ``category`` and ``definition_key``
    are the result the filings use."""
    return submitted_assessments(enterprise).first()


def assessment_block(enterprise: Enterprise) -> str | None:
    """A prerequisite check: None when the enterprise has a submitted assessment, else the reason."""
    if Assessment.objects.filter(enterprise=enterprise, submitted_at__isnull=False).exists():
        return None
    return _("请先完成数字化水平评测")


def digital_level_value(level: int | None) -> str | None:
    """``"4"``, ``"3"``, ``"2"``, ``"1"`` or ``"none"`` (未达到一级); None without a result."""
    return None if level is None else DIGITAL_LEVEL_VALUES[level]


def latest_level_of_owner(user: Any) -> int | None:
    """The level of the latest submitted attempt of the enterprise ``user`` owns (one query)."""
    if user is None or not getattr(user, "pk", None):
        return None
    return (
        Assessment.objects.filter(enterprise__owner_id=user.pk, submitted_at__isnull=False)
        .order_by("-submitted_at", "-pk")
        .values_list("level", flat=True)
        .first()
    )


def assessment_of(enterprise: Enterprise | None, pk: int) -> Assessment | None:
    """Attempt ``pk`` if it belongs to ``enterprise`` (None otherwise: the page answers 404)."""
    if enterprise is None:
        return None
    return (
        Assessment.objects.select_related(
            "enterprise", "submission__version__definition", "submission__owner"
        )
        .filter(enterprise=enterprise, pk=pk)
        .first()
    )


# --- the questionnaire the enterprise gets -------------------------------------------------------


@dataclass(frozen=True)
class Questionnaire:
    key: str
    title: str
    version: int | None  # the current published version (None: none published)
    provisional: bool
    provisional_reason: str

    @property
    def available(self) -> bool:
        return self.version is not None


def questionnaire_for(enterprise: Enterprise) -> Questionnaire | None:
    """The questionnaire the enterprise's 所属行业 gives now (None without an industry)."""
    key = questionnaire_key_for(enterprise)
    if key is None:
        return None
    row = (
        FormVersion.objects.filter(definition__key=key, status=FormVersion.Status.PUBLISHED, purpose="")
        .values(
            "number",
            "definition__title",
            "schema__metadata__provisional",
            "schema__metadata__provisional_reason",
        )
        .first()
    )
    if row is None:
        title = FormDefinition.objects.filter(key=key).values_list("title", flat=True).first()
        if not title:  # not loaded at all: name it by its category, never by its internal key
            category = next((c for c, k in QUESTIONNAIRE_KEYS.items() if k == key), None)
            label = Industry.QuestionnaireCategory(category).label if category else ""
            title = (
                _("数字化水平评测表（%(category)s）") % {"category": label}
                if label
                else _("数字化水平评测表")
            )
        return Questionnaire(key, str(title), None, False, "")
    return Questionnaire(
        key=key,
        title=row["definition__title"],
        version=row["number"],
        provisional=row["schema__metadata__provisional"] is True,
        provisional_reason=row["schema__metadata__provisional_reason"] or "",
    )


@dataclass(frozen=True)
class HistoryEntry:
    assessment: Assessment
    title: str
    version: int
    provisional: bool
    is_latest: bool


@dataclass(frozen=True)
class Overview:
    questionnaire: Questionnaire | None
    latest: Assessment | None
    open_draft: Assessment | None  # of the questionnaire the enterprise gets now
    history: list[HistoryEntry] = field(default_factory=list)


def _provisional_versions(version_ids: set[int]) -> set[int]:
    return set(
        FormVersion.objects.filter(pk__in=version_ids, schema__metadata__provisional=True).values_list(
            "pk", flat=True
        )
    )


def assessment_overview(enterprise: Enterprise, *, history: bool = True) -> Overview:
    """What /assessment/ shows: the questionnaire the enterprise gets now, the latest result, the
    open draft to resume (【继续填写】) and every submitted attempt (a constant number of queries)."""
    questionnaire = questionnaire_for(enterprise)
    draft = None
    if questionnaire is not None:
        draft = (
            Assessment.objects.filter(
                enterprise=enterprise, definition_key=questionnaire.key, submitted_at__isnull=True
            )
            .select_related("submission")
            .defer(*_HEAVY[:4])
            .first()
        )
    attempts = list(submitted_assessments(enterprise) if history else submitted_assessments(enterprise)[:1])
    provisional = _provisional_versions({a.submission.version_id for a in attempts}) if history else set()
    entries = [
        HistoryEntry(
            assessment=a,
            title=a.submission.version.definition.title,
            version=a.submission.version.number,
            provisional=a.submission.version_id in provisional,
            is_latest=i == 0,
        )
        for i, a in enumerate(attempts)
    ]
    return Overview(questionnaire, attempts[0] if attempts else None, draft, entries if history else [])


# --- the result page -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ItemRow:
    label: str
    points: str
    max: str


@dataclass(frozen=True)
class Dimension:
    key: str
    label: str
    points: str
    max: str
    percent: str  # of the dimension's maximum, e.g. "65"
    width: str  # bar length in the chart's 0–100 coordinates (an SVG attribute: never localised)
    items: list[ItemRow]


@dataclass(frozen=True)
class ScenarioTally:
    level_label: str
    count: int
    constraint: int


@dataclass(frozen=True)
class Result:
    assessment: Assessment
    version: FormVersion
    schema: Schema
    is_latest: bool
    dimensions: list[Dimension]
    scenarios: list[ScenarioTally]
    scenario_total: int
    level_rules: list[str]
    next_level: str  # the label of the next level up ("" at 四级)
    next_level_needs: list[str]
    answer_steps: list[tuple[str, list[AnswerRow]]]

    @property
    def provisional(self) -> bool:
        return self.schema.provisional

    @property
    def provisional_reason(self) -> str:
        return str(self.schema.metadata.get("provisional_reason") or "")

    @property
    def level_rule_unverified(self) -> bool:
        return bool(self.schema.metadata.get("level_rule_unverified"))


SCENE_TYPES = {"constraint": "约束性", "guidance": "指导性"}


def _percent(points: Decimal, maximum: Decimal | None) -> Decimal:
    if not maximum:
        return Decimal(0)
    return min(max(points / maximum * 100, Decimal(0)), Decimal(100))


def _dimensions(assessment: Assessment, score: dict[str, Any]) -> list[Dimension]:
    items = score.get("items") or []
    rows = []
    for dimension in assessment.dimensions:
        points = Decimal(dimension["points"])
        maximum = Decimal(dimension["max"]) if dimension.get("max") is not None else None
        percent = _percent(points, maximum)
        rows.append(
            Dimension(
                key=dimension["key"],
                label=dimension["label"],
                points=points_text(points),
                max=points_text(maximum),
                percent=points_text(percent.quantize(Decimal(1), rounding=ROUND_HALF_UP)),  # 四舍五入
                width=f"{percent.quantize(Decimal('0.1'), rounding=ROUND_HALF_UP):f}",
                items=[
                    ItemRow(i["label"], points_text(str(i["points"])), points_text(str(i["max"])))
                    for i in items
                    if i.get("group") == dimension["key"]
                ],
            )
        )
    return rows


def _level_rule(level: Any) -> str:
    parts = []
    if level.min_total is not None:
        parts.append(f"总分{'≥' if level.min_total_inclusive else '>'}{points_text(level.min_total)}分")
    for rule in level.scenario_counts:
        kind = SCENE_TYPES.get(rule.scene_type or "", "")
        reached = SCENARIO_LEVEL_NAMES.get(rule.min_level, str(rule.min_level))
        parts.append(f"达到{reached}及以上的{kind}场景≥{rule.count}个")
    return f"{level.label}：" + "，".join(parts)


def assessment_result(assessment: Assessment) -> Result:
    """Everything the result page shows of a submitted attempt: total and level (on the model),
    the per-dimension chart with each question's points, the scenario self-ratings, the level rule
    and what the next level asks, and the answers as a person reads them."""
    submission = assessment.submission
    version = submission.version
    schema = version.parsed
    score = submission.score or {}
    scenarios = tuple((key, int(level), kind) for key, level, kind in score.get("scenario_levels") or ())
    counts = [
        ScenarioTally(
            SCENARIO_LEVEL_NAMES[n],
            sum(1 for _k, level, _t in scenarios if level >= n),
            sum(1 for _k, level, kind in scenarios if level >= n and kind == "constraint"),
        )
        for n in (4, 3, 2, 1)
    ]
    levels = schema.scoring.outcome.levels
    next_level, needs = "", []
    if assessment.level is not None and assessment.level < len(levels):
        target = levels[len(levels) - assessment.level - 1]  # highest first: 一级 is the last one
        next_level = target.label
        needs = level_shortfall(target, assessment.total, scenarios)
    rows = answers_display(schema, submission.answers, context=submission.context)
    latest = latest_assessment(assessment.enterprise)
    return Result(
        assessment=assessment,
        version=version,
        schema=schema,
        is_latest=latest is not None and latest.pk == assessment.pk,
        dimensions=_dimensions(assessment, score),
        scenarios=counts,
        scenario_total=len(schema.scenario_fields),
        level_rules=[_level_rule(level) for level in levels],
        next_level=next_level,
        next_level_needs=needs,
        answer_steps=[(step, list(group)) for step, group in itertools.groupby(rows, key=lambda r: r.step)],
    )
