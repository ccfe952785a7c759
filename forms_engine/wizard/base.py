"""The step flow every engine wizard shares (django-formtools underneath).

:class:`BaseEngineWizard` adds to formtools' step flow the buttons of the manual: 【暂存】 (save
without full validation), 【上一步】/【下一步】 (keep what was typed, valid or not) and 【提交】
(formtools re-validates every step, then ``done`` submits). Subclasses say where the version and
the state come from and how a save is stored.
"""

from __future__ import annotations

import hashlib
import json
from collections import OrderedDict
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from formtools.wizard.storage.base import BaseStorage
from formtools.wizard.views import StepsHelper, WizardView

from forms_engine import host
from forms_engine.models import FormVersion
from forms_engine.rendering import StepForm, build_step_forms
from forms_engine.scoring import score
from forms_engine.values import clean_answers
from forms_engine.wizard.storage import clean_post, step_data_to_store

# errors 【暂存】 and 【上一步】 show at once: the value is over a limit, so storing it is refused
# (a half-typed code or an empty required field is normal in a draft and stays quiet)
LIMIT_CODES = frozenset(
    {
        "max_length",
        "min_value",
        "max_value",
        "decimal_places",
        "max_rows",
        "max_selected",
        "file_size",
        "file_type",
        "invalid_character",
    }
)


SAVED_MESSAGE = _lazy("已暂存。您可以随时回来继续填写，换一台设备登录也能继续。")


def not_saved_in_place() -> JsonResponse:
    """【暂存】 from the page's script that was not stored: the script posts the classic way instead."""
    return JsonResponse({"saved": False})


def wants_json(request: HttpRequest) -> bool:
    """The page's script asks for the in-place 【暂存】 (wizard.js: Accept: application/json)."""
    return request.headers.get("Accept", "").startswith("application/json")


class _DummyForm(forms.Form):
    """Placeholder for formtools' as_view(); see BaseEngineWizard.dispatch."""


def limit_errors(form: StepForm) -> bool:
    """Keep only errors over a limit on ``form`` (others hidden); True if there are any."""
    kept = {}
    for name, errors in form.errors.items():
        over = [e for e in errors.as_data() if e.code in LIMIT_CODES]
        if over:
            kept[name] = form.error_class(over, renderer=form.renderer)
    form._errors = forms.utils.ErrorDict(kept)
    return bool(kept)


class BaseEngineWizard(WizardView):
    template_name = "forms_engine/wizard.html"
    preview = False
    conflict_message = ""
    store_score = True  # persist() keeps the score with the state (not for an in-place 【暂存】)

    @property
    def file_storage(self):
        # looked up on first use: a form without file answers works even where no private
        # upload storage is configured
        return SimpleLazyObject(host.upload_storage)

    # -- set-up -------------------------------------------------------------------------
    def get_version(self) -> FormVersion:
        raise NotImplementedError

    def make_storage(self, request: HttpRequest) -> BaseStorage:
        raise NotImplementedError

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.version = self.get_version()
        self.schema = self.version.parsed
        self.form_list = OrderedDict(build_step_forms(self.schema))
        self.condition_dict = {}
        self.initial_dict = {}
        self.instance_dict = {}
        self.prefix = self.get_prefix(request, *args, **kwargs)
        self.storage = self.make_storage(request)
        self.steps = StepsHelper(self)
        response = super(WizardView, self).dispatch(request, *args, **kwargs)
        self.storage.update_response(response)
        return response

    def get_prefix(self, request: HttpRequest, *args: Any, **kwargs: Any) -> str:
        return f"form_{self.version.pk}"

    def engine_answers(self) -> dict[str, Any]:
        return dict(self.storage.extra_data.get("answers", {}))

    def engine_context(self) -> dict[str, Any]:
        return {}

    def get_form_kwargs(self, step: str | None = None) -> dict[str, Any]:
        return {"answers": self.engine_answers(), "context": self.engine_context()}

    def get_quiet_form(self, step: str) -> StepForm:
        """The step as stored (what was typed, valid or not) without showing errors."""
        data = self.storage.get_step_data(step)
        form = self.get_form(step=step, data=data, files=self.storage.get_step_files(step))
        form.quiet = data is not None
        return form

    # -- host hooks ---------------------------------------------------------------------
    def get_field_annotations(self) -> dict[str, list[str]]:
        """Notes shown beside fields, by field key (a host shows reviewers' 退回 comments here)."""
        return {}

    # -- flow ---------------------------------------------------------------------------
    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        step = self.storage.current_step if self.storage.current_step in self.form_list else self.steps.first
        self.storage.current_step = step
        return self.render(self.get_quiet_form(step))

    def _posted_step(self) -> str:
        current = self.request.POST.get(f"{self.prefix}-current_step") or self.storage.current_step
        return current if current in self.form_list else self.steps.first

    def post(self, *args: Any, **kwargs: Any) -> HttpResponse:
        request = self.request
        action = request.POST.get("wizard_action", "next")
        goto = request.POST.get("wizard_goto_step")
        current = self._posted_step()
        self.storage.current_step = current
        step = self.schema.steps[list(self.form_list).index(current)]
        shown, stored, had_control = clean_post(request.POST, step, current)
        in_place = action == "save" and not goto and wants_json(request)
        if in_place and had_control:
            return not_saved_in_place()  # the page posts the classic way and shows what was removed
        form = self.get_form(step=current, data=shown, files=request.FILES)
        if had_control:
            messages.warning(
                request,
                _("“%(fields)s”中含有无法保存的控制字符，已自动去除，请核对。")
                % {"fields": "、".join(had_control)},
            )
        conflict = self.check_revision()
        if conflict:
            return not_saved_in_place() if in_place else self.render(form, conflict=conflict, status=409)
        if in_place:
            return self._save_in_place(form, stored)
        if goto in self.form_list or action in ("save", "prev"):
            return self._save_and_move(form, stored, action, goto, current)
        # 下一步 / 提交: full validation of this step
        valid = form.is_valid()
        self.remember_step(form, stored)
        if not valid:
            self.persist()
            return self.render(form)
        if not self.persist():
            return self.render(form, conflict=self.conflict_message, status=409)
        if self.steps.current == self.steps.last or action == "submit":
            return self.render_done(form, **kwargs)
        next_step = self.steps.next
        self.storage.current_step = next_step
        return self.render(self.get_quiet_form(next_step))

    def _save_and_move(
        self, form: StepForm, stored: dict, action: str, goto: str | None, current: str
    ) -> HttpResponse:
        """【暂存】, 【上一步】 and a click on a step: store what was typed, valid or not."""
        target = goto if goto in self.form_list else current
        if action == "prev" and not goto:
            target = self.steps.prev or current
        form.is_valid()  # keep the values that are valid
        over_limit = limit_errors(form)  # a value over its limit is shown at once, not stored
        form.quiet = not over_limit
        self.remember_step(form, stored)
        if not self.persist():
            return self.render(form, conflict=self.conflict_message, status=409)
        if over_limit:
            messages.warning(
                self.request, _("其余内容已暂存；标出的内容超出限制，未能保存，请修改后再暂存。")
            )
            return self.render(form)
        if action == "save" and not goto:
            messages.success(self.request, SAVED_MESSAGE)
        self.storage.current_step = target
        return self.render(self.get_quiet_form(target))

    def _save_in_place(self, form: StepForm, stored: dict) -> HttpResponse:
        """【暂存】 from the page's script: store the step and answer with the new revision and the
        notes beside the step's fields instead of rendering the page again (the page stays as
        typed). Anything but a clean save — a value over its limit, a conflict — is left to the
        classic POST (the script sends it), which shows it; nothing is stored then."""
        form.is_valid()
        if limit_errors(form):
            return not_saved_in_place()
        self.remember_step(form, stored)
        self.store_score = False  # the page is not rendered: nothing shows a score now
        if not self.persist():
            return not_saved_in_place()
        annotations = {key: list(notes) for key, notes in self.get_field_annotations().items()}
        for key, notes in self.consistency_warnings(form.step).items():
            annotations.setdefault(key, []).extend(notes)
        return JsonResponse(
            {
                "saved": True,
                "revision": self.page_revision(),
                "message": SAVED_MESSAGE,
                "notes": {f.key: annotations.get(f.key, []) for f in form.step.fields},
            }
        )

    def page_revision(self) -> int | str:
        """The revision the page's next save carries (``wizard_revision``; "" without one)."""
        return ""

    def remember_step(self, form: StepForm, stored: dict[str, list[str]] | None = None) -> None:
        """Keep the step as typed (capped) and its valid answers, files included."""
        self.storage.set_step_data(
            form.step.key, stored if stored is not None else step_data_to_store(form.data)
        )
        # only the step's own file questions, and only those that passed their checks: an upload
        # under any other name (or one with a NUL) is neither saved nor made an answer
        posted = form.files or {}
        valid_files = {
            f"{form.prefix}-{name}": posted[f"{form.prefix}-{name}"]
            for name, field in form.fields.items()
            if isinstance(field.widget, forms.FileInput)  # the questions that read request.FILES
            and not field.disabled
            and f"{form.prefix}-{name}" in posted
            and name not in form.errors
        }
        if valid_files:
            self.storage.set_step_files(form.step.key, valid_files)
        answers = self.engine_answers()
        if hasattr(form, "cleaned_data"):
            for spec in form.step.fields:
                if spec.stored and not form.fields[spec.key].disabled:
                    answers.pop(spec.key, None)
            answers.update({k: v for k, v in form.step_answers().items() if not form.fields[k].disabled})
            for key, info in self.storage.data[self.storage.step_files_key].get(form.step.key, {}).items():
                answers[key.removeprefix(f"{form.prefix}-")] = {
                    "name": info["name"],
                    "path": info["tmp_name"],
                    "size": info["size"],
                    "content_type": info.get("content_type") or "",
                }
        self.storage.extra_data = {**self.storage.extra_data, "answers": answers}

    def check_revision(self) -> str:
        """A message when the page was rendered from an outdated revision ("" = fine)."""
        return ""

    def persist(self) -> bool:
        """Store the wizard state; False (with ``conflict_message``) if refused."""
        return True

    # -- rendering ----------------------------------------------------------------------
    def render(
        self, form: StepForm | None = None, *, conflict: str = "", status: int = 200, **kwargs: Any
    ) -> HttpResponse:
        form = form or self.get_form()
        context = self.get_context_data(form=form, conflict=conflict, **kwargs)
        response = self.render_to_response(context)
        response.status_code = status
        return response

    def score_dict(self) -> dict[str, Any] | None:
        """The score of the answers so far, computed only when they changed since the last one."""
        if not self.schema.scoring.enabled:
            return None
        answers, context = self.engine_answers(), self.engine_context()
        fingerprint = hashlib.sha256(
            json.dumps([answers, context], sort_keys=True, ensure_ascii=False, default=str).encode()
        ).hexdigest()
        cached = self.storage.extra_data.get("score")
        if cached and cached.get("for") == fingerprint:
            return cached["result"]
        result = score(self.schema, answers, context=context).as_dict()
        self.storage.extra_data = {**self.storage.extra_data, "score": {"for": fingerprint, "result": result}}
        return result

    def live_url(self) -> str:
        return ""

    def consistency_warnings(self, step: Any) -> dict[str, list[str]]:
        """Consistency hints (validations of severity "warning") the stored answers of ``step`` break."""
        if not any(v.severity == "warning" for v in self.schema.validations):
            return {}
        cleaned = clean_answers(
            self.schema, self.engine_answers(), context=self.engine_context(), steps={step.key}
        )
        notes: dict[str, list[str]] = {}
        for warning in cleaned.warnings:
            notes.setdefault(warning.field, []).append(f"请核对：{warning.message}")
        return notes

    def get_context_data(self, form: StepForm, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(form=form, **kwargs)
        annotations = {key: list(notes) for key, notes in self.get_field_annotations().items()}
        for key, notes in self.consistency_warnings(form.step).items():
            annotations.setdefault(key, []).extend(notes)
        context.update(
            {
                "version": self.version,
                "schema": self.schema,
                "step": form.step,
                "sections": form.layout(annotations),
                "preview": self.preview,
                "score_result": self.score_dict(),
                "live_url": self.live_url(),
                "max_post_bytes": settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0,
                "step_list": [(key, self.schema.steps[i].title) for i, key in enumerate(self.form_list)],
                "is_last": self.steps.current == self.steps.last,
                "annotations": annotations,
            }
        )
        context.pop("answers", None)  # raw answers live in extra_data; not for the template
        return context

    def result_url(self, uuid: Any) -> str:
        return reverse("forms_engine:result", args=[uuid])
