"""The multi-step wizard runtime on django-formtools.

* :mod:`~forms_engine.wizard.storage` — the wizard state in the submission row, private files,
  what is kept of a POST;
* :mod:`~forms_engine.wizard.base` — the shared step flow (【暂存】【上一步】【下一步】【提交】);
* :mod:`~forms_engine.wizard.views` — :class:`SubmissionWizardView` (the engine's page, and the
  class host apps subclass to run the wizard on a submission they own) and
  :class:`PreviewWizardView` (staff 试填 in session storage: shows the score, stores nothing).
"""

from forms_engine.wizard.base import BaseEngineWizard, _DummyForm, wants_json
from forms_engine.wizard.storage import PreviewStorage, SubmissionStorage
from forms_engine.wizard.views import PreviewWizardView, SubmissionWizardView

__all__ = [
    "BaseEngineWizard",
    "PreviewStorage",
    "PreviewWizardView",
    "SubmissionStorage",
    "SubmissionWizardView",
    "_DummyForm",
    "wants_json",
]
