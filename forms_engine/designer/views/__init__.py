"""Views of the form designer (admin, under /admin/form-designer/). Thin: parse, call a service or
selector, render. Every view checks a model permission (see ``base.permission``)."""

from forms_engine.designer.views.review import approve, history, publish, reject, retire, submit_for_approval
from forms_engine.designer.views.scoring import groups, item_add, item_edit, metadata, outcome, validations
from forms_engine.designer.views.structure import (
    field_add,
    field_edit,
    section_add,
    section_edit,
    step_add,
    step_edit,
    structure_action,
)
from forms_engine.designer.views.versions import (
    definition_detail,
    diff,
    impact,
    impact_row,
    index,
    new_draft,
    schema_json,
    test_score,
    validate,
    version_detail,
)

__all__ = [
    "approve",
    "definition_detail",
    "diff",
    "field_add",
    "field_edit",
    "groups",
    "history",
    "impact",
    "impact_row",
    "index",
    "item_add",
    "item_edit",
    "metadata",
    "new_draft",
    "outcome",
    "publish",
    "reject",
    "retire",
    "schema_json",
    "section_add",
    "section_edit",
    "step_add",
    "step_edit",
    "structure_action",
    "submit_for_approval",
    "test_score",
    "validate",
    "validations",
    "version_detail",
]
