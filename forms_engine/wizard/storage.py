"""Where the wizard keeps its state, and what it keeps of a POST.

:class:`SubmissionStorage` is a formtools storage backend that keeps the wizard state inside the
:class:`~forms_engine.models.FormSubmission` row (written by the view through a service), so a
draft survives logout and opens on another device. Uploaded files go to the engine's private
storage under server-generated names (formtools would save them under the user's file name).
:func:`clean_post` removes what no database can store (NUL and other control characters, in values
and in the names posted with them) and caps what is kept of each value, so 【暂存】 never stores
more than a field allows.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping
from typing import Any

from django.http import HttpRequest, QueryDict
from formtools.wizard.storage.base import BaseStorage
from formtools.wizard.storage.session import SessionStorage

from forms_engine import uploads
from forms_engine.models import FormSubmission
from forms_engine.schema.nodes import Field, Step

IGNORED_KEYS = {"csrfmiddlewaretoken", "wizard_action", "wizard_revision", "wizard_goto_step"}
# what a browser never sends on purpose; NUL cannot be stored in PostgreSQL text or JSON
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
DEFAULT_RAW_LIMIT = 1000  # characters kept of a value of a field without its own length limit


class PrivateFilesMixin:
    """Uploaded files are saved privately as ``forms/<owner>/<field>/<random>.<ext>``."""

    owner_key = "preview"

    def set_step_files(self, step: str, files: Mapping[str, Any] | None) -> None:
        bucket = self.data[self.step_files_key].setdefault(step, {})
        for name, upload in (files or {}).items():
            answer = uploads.save_upload(upload, owner=self.owner_key, field_key=name.rsplit("-", 1)[-1])
            bucket[name] = {
                "tmp_name": answer["path"],
                "name": answer["name"],
                "size": answer["size"],
                "content_type": answer["content_type"],
                "charset": getattr(upload, "charset", None),
            }


class SubmissionStorage(PrivateFilesMixin, BaseStorage):
    """Wizard state kept in ``FormSubmission.wizard_state`` (written by the view via a service)."""

    def __init__(
        self,
        prefix: str,
        request: HttpRequest | None = None,
        file_storage: Any = None,
        *,
        submission: FormSubmission,
    ):
        super().__init__(prefix, request, file_storage)
        self.submission = submission
        self.owner_key = str(submission.uuid)
        self.data = copy.deepcopy(submission.wizard_state) or None
        if not self.data:
            self.init_data()

    def reset(self) -> None:
        # formtools resets on GET and after done(); a stored draft must never be wiped that way.
        return


class PreviewStorage(PrivateFilesMixin, SessionStorage):
    """Staff 试填: session storage; files (if any) private too, under a preview prefix."""


def _raw_limit(spec: Field | None) -> int:
    if spec is not None and spec.max_length:
        return spec.max_length
    return DEFAULT_RAW_LIMIT


def clean_post(data: QueryDict, step: Step, prefix: str) -> tuple[QueryDict, dict[str, list[str]], list[str]]:
    """The posted step without control characters (what the form validates and shows), what may
    be stored of it (each value capped to what its field allows), and the labels of fields that
    had control characters.

    A value over its field's limit is validated (and refused, with a message) as it was typed,
    and re-shown as typed: only the stored copy is capped, so nothing typed is lost on the page.
    """
    fields = {f"{prefix}-{f.key}": f for f in step.fields}
    shown = QueryDict(mutable=True)
    stored: dict[str, list[str]] = {}
    had_control = []
    for key, values in data.lists():
        if CONTROL.search(key):
            continue  # no field is named so; PostgreSQL cannot store a NUL even as a JSON key
        spec = fields.get(key) or fields.get(key.rsplit("-", 2)[0])  # table cells: <field>-<row>-<column>
        clean = []
        for value in values:
            if CONTROL.search(value):
                value = CONTROL.sub("", value)
                had_control.append(spec.label if spec is not None else key)
            clean.append(value)
        shown.setlist(key, clean)
        if key not in IGNORED_KEYS:
            limit = _raw_limit(spec)
            stored[key] = [value[:limit] for value in clean]
    return shown, stored, list(dict.fromkeys(had_control))


def step_data_to_store(form_data: QueryDict | Mapping[str, Any]) -> dict[str, list[str]]:
    if hasattr(form_data, "lists"):
        return {k: v for k, v in dict(form_data.lists()).items() if k not in IGNORED_KEYS}
    return dict(form_data)
