"""Django forms of the designer: each edits one piece of a schema and converts it to/from JSON.

Each form validates its own piece (types, numbers, required parts); the whole schema is then
validated by the engine's parser when the draft is saved, and its issues are shown by place.
"""

from forms_engine.designer.forms.base import RowFormSet, number, row_formset
from forms_engine.designer.forms.pages import (
    CommentForm,
    DiffForm,
    MetadataForm,
    NewDraftForm,
    PublishForm,
    SchemaJsonForm,
    TestScoreForm,
)
from forms_engine.designer.forms.scoring import (
    BandForm,
    BandFormSetFactory,
    ConditionForm,
    ConditionFormSetFactory,
    GroupForm,
    GroupFormSetFactory,
    LevelForm,
    LevelFormSetFactory,
    OutcomeForm,
    ScoreItemForm,
    ValidationFormSetFactory,
    ValidationRuleForm,
)
from forms_engine.designer.forms.structure import (
    ContainerForm,
    FieldForm,
    OptionForm,
    OptionFormSetFactory,
    option_initial,
)

__all__ = [
    "BandForm",
    "BandFormSetFactory",
    "CommentForm",
    "ConditionForm",
    "ConditionFormSetFactory",
    "ContainerForm",
    "DiffForm",
    "FieldForm",
    "GroupForm",
    "GroupFormSetFactory",
    "LevelForm",
    "LevelFormSetFactory",
    "MetadataForm",
    "NewDraftForm",
    "OptionForm",
    "OptionFormSetFactory",
    "OutcomeForm",
    "PublishForm",
    "RowFormSet",
    "SchemaJsonForm",
    "ScoreItemForm",
    "TestScoreForm",
    "ValidationFormSetFactory",
    "ValidationRuleForm",
    "number",
    "option_initial",
    "row_formset",
]
