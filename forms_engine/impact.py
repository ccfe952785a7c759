"""Impact preview: what a draft would change for answers already given. Pure, no database.

:func:`impact_of` re-scores each answer set with the current schema and with the draft and
reports, per answer set and in total, which outcomes would change (符合 → 不符合, 三级 → 二级 …)
and how totals move. Nothing is stored: callers pass answers and contexts, not submissions.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from forms_engine.schema.nodes import Schema
from forms_engine.scoring import ScoreResult, score


@dataclass(frozen=True)
class AnswerSet:
    """Answers to re-score; ``ref`` identifies them to the caller (e.g. a submission id)."""

    ref: Any
    answers: Mapping[str, Any]
    context: Mapping[str, Any] = field(default_factory=dict)
    label: str = ""


@dataclass(frozen=True)
class ImpactRow:
    ref: Any
    label: str
    old_total: Decimal
    new_total: Decimal
    old_outcome: str
    new_outcome: str
    old_outcome_key: str
    new_outcome_key: str
    new_result: ScoreResult

    @property
    def outcome_changed(self) -> bool:
        return self.old_outcome_key != self.new_outcome_key or self.old_outcome != self.new_outcome

    @property
    def total_changed(self) -> bool:
        return self.old_total != self.new_total

    @property
    def delta(self) -> Decimal:
        return self.new_total - self.old_total


@dataclass(frozen=True)
class Impact:
    rows: tuple[ImpactRow, ...]

    @property
    def count(self) -> int:
        return len(self.rows)

    @property
    def changed(self) -> tuple[ImpactRow, ...]:
        return tuple(r for r in self.rows if r.outcome_changed)

    @property
    def changed_count(self) -> int:
        return len(self.changed)

    @property
    def total_changed_count(self) -> int:
        return sum(1 for r in self.rows if r.total_changed)

    @property
    def transitions(self) -> list[tuple[str, str, int]]:
        """(old outcome, new outcome, how many) for every outcome that changes, most first."""
        counter = Counter((r.old_outcome, r.new_outcome) for r in self.changed)
        return [(old, new, n) for (old, new), n in counter.most_common()]

    @property
    def outcome_counts(self) -> list[tuple[str, int, int]]:
        """(outcome label, how many now, how many with the draft)."""
        old = Counter(r.old_outcome for r in self.rows)
        new = Counter(r.new_outcome for r in self.rows)
        labels = list(dict.fromkeys([*old, *new]))
        return [(label, old[label], new[label]) for label in labels]


def impact_of(current_schema: Schema, draft_schema: Schema, answer_sets: Iterable[AnswerSet]) -> Impact:
    """Score every answer set with both schemas (answers the draft no longer asks are ignored,
    new questions count as unanswered). Never raises for bad answers: they score as unanswered."""
    rows = []
    for answer_set in answer_sets:
        old = score(current_schema, answer_set.answers, context=answer_set.context)
        new = score(draft_schema, answer_set.answers, context=answer_set.context)
        rows.append(
            ImpactRow(
                ref=answer_set.ref,
                label=answer_set.label,
                old_total=old.total,
                new_total=new.total,
                old_outcome=old.outcome.label,
                new_outcome=new.outcome.label,
                old_outcome_key=old.outcome.key,
                new_outcome_key=new.outcome.key,
                new_result=new,
            )
        )
    return Impact(tuple(rows))
