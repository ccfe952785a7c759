"""What the filing pages and the PDF show, built from a filing read by the selectors.

- :func:`filing_view` — a filing as last submitted (readable answers by step and section, the score
  with its explanation, evidence, timeline) or, before the first 【提交】, as it stands.
- :func:`submit_view` — the last look before 【确认提交】: the score and eligibility of the answers as
  they are now, what must still be fixed, the window and the prerequisites.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import timezone

from forms_engine.answers import AnswerRow, answers_display
from forms_engine.models import FormSubmissionRevision, FormVersion
from forms_engine.scoring import score
from forms_engine.values import clean_answers
from portal.enterprises.selectors import enterprise_province_code

from . import selectors, states
from .models import Filing, FilingEvent


def points_text(value: Any) -> str:
    if value is None or value == "":
        return ""
    number = Decimal(str(value)).normalize()
    return f"{number.quantize(Decimal(1)) if number == number.to_integral_value() else number:f}"


@dataclass
class Section:
    title: str
    rows: list[AnswerRow]


@dataclass
class Step:
    title: str
    sections: list[Section]


@dataclass
class ScoreView:
    total: str
    max_total: str
    outcome_label: str
    outcome_key: str
    qualified: bool | None
    reasons: list[str]
    explanation: list[str]
    items: list[dict[str, Any]]
    groups: list[dict[str, Any]]
    conditions: list[dict[str, Any]]
    complete: bool

    @classmethod
    def from_dict(cls, raw: dict[str, Any] | None) -> ScoreView | None:
        if not raw:
            return None
        outcome = raw.get("outcome") or {}
        return cls(
            total=points_text(raw.get("total")),
            max_total=points_text(raw.get("max_total")),
            outcome_label=outcome.get("label", ""),
            outcome_key=outcome.get("key", ""),
            qualified=outcome.get("qualified"),
            reasons=list(outcome.get("reasons") or []),
            explanation=list(raw.get("explanation") or []),
            items=[
                {
                    **item,
                    "points_text": points_text(item.get("points")),
                    "max_text": points_text(item.get("max")),
                }
                for item in raw.get("items") or []
            ],
            groups=[
                {
                    **group,
                    "points_text": points_text(group.get("points")),
                    "max_text": points_text(group.get("max")),
                }
                for group in (raw.get("groups") or {}).values()
            ],
            conditions=list(raw.get("conditions") or []),
            complete=bool(raw.get("complete", True)),
        )


def answer_steps(rows: list[AnswerRow]) -> list[Step]:
    """Answer rows grouped by step, then section, in schema order."""
    steps = []
    for step_title, step_rows in itertools.groupby(rows, key=lambda r: r.step):
        sections = [
            Section(section_title, list(section_rows))
            for section_title, section_rows in itertools.groupby(step_rows, key=lambda r: r.section)
        ]
        steps.append(Step(step_title, sections))
    return steps


@dataclass
class FilingView:
    filing: Filing
    version: FormVersion
    submitted: FormSubmissionRevision | None  # the state shown; None before the first 【提交】
    steps: list[Step]
    score: ScoreView | None
    events: list[FilingEvent]
    can_fill: bool
    can_withdraw: bool
    window_open: bool
    chain: list[states.ChainStep] = field(default_factory=list)

    @property
    def title(self) -> str:
        return self.version.parsed.title or self.version.definition.title

    @property
    def policy_basis(self) -> str:
        return self.version.policy_basis or str(self.version.parsed.metadata.get("policy_basis") or "")

    @property
    def has_pdf(self) -> bool:
        return self.submitted is not None


def latest_submitted(filing: Filing) -> FormSubmissionRevision | None:
    return (
        filing.submission.revisions.filter(event=FormSubmissionRevision.Event.SUBMITTED)
        .select_related("version__definition")
        .order_by("-number")
        .first()
    )


def filing_view(filing: Filing) -> FilingView:
    submission = filing.submission
    submitted = latest_submitted(filing)
    if submitted is not None:
        version, answers, context, raw_score = (
            submitted.version,
            submitted.answers,
            submitted.context,
            submitted.score,
        )
    else:
        version, answers, context = submission.version, submission.answers, submission.context
        raw_score = None
    rows = answers_display(version.parsed, answers, context=context)
    window_open = filing.accepts_submission(timezone.now())
    return FilingView(
        filing=filing,
        version=version,
        submitted=submitted,
        steps=answer_steps(rows),
        score=ScoreView.from_dict(raw_score),
        events=list(filing.events.all()),
        can_fill=filing.is_editable and window_open,
        can_withdraw=filing.is_editable,
        window_open=window_open,
        chain=filing.chain_steps,
    )


@dataclass
class Problem:
    step: str
    label: str
    message: str


@dataclass
class SubmitView:
    filing: Filing
    version: FormVersion
    revision: int
    score: ScoreView | None
    problems: list[Problem]
    warnings: list[Problem]
    window: selectors.WindowState
    unmet: list[selectors.Unmet]
    requires_evidence: bool

    @property
    def can_submit(self) -> bool:
        return not self.problems and not self.unmet and self.window.is_open


def submit_view(filing: Filing, user) -> SubmitView:
    submission = filing.submission
    version = submission.version
    schema = version.parsed
    cleaned = clean_answers(schema, submission.answers, context=submission.context)
    fields = schema.field_map()
    step_titles = {
        f.key: step.title for step in schema.steps for section in step.sections for f in section.fields
    }

    def problem(issue) -> Problem:
        spec = fields.get(issue.field)
        return Problem(step_titles.get(issue.field, ""), spec.label if spec else "", issue.message)

    result = score(schema, submission.answers, context=submission.context) if schema.scoring.enabled else None
    province = enterprise_province_code(filing.enterprise)
    requirement = selectors.requirement_for(filing.level, province)
    return SubmitView(
        filing=filing,
        version=version,
        revision=submission.revision,
        score=ScoreView.from_dict(result.as_dict()) if result is not None else None,
        problems=[problem(issue) for issue in cleaned.issues],
        warnings=[problem(issue) for issue in cleaned.warnings],
        window=selectors.filing_window_state(filing),
        unmet=selectors.unmet_prerequisites(enterprise=filing.enterprise, user=user, requirement=requirement),
        requires_evidence=bool(requirement and requirement.requires_evidence),
    )
