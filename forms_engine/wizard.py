"""The multi-step wizard runtime on django-formtools.

:class:`SubmissionStorage` is a formtools storage backend that keeps the wizard state inside the
:class:`~forms_engine.models.FormSubmission` row, so a draft survives logout and opens on another
device. :class:`SubmissionWizardView` adds to formtools' step flow the buttons of the manual:
【暂存】 (save without full validation), 【上一步】/【下一步】 (keep what was typed, valid or not)
and 【提交】 (formtools re-validates every step, then the submit service freezes the submission).
Every save carries the revision the page was loaded with; a stale revision (another tab or
device saved since) is refused with a clear message instead of overwriting.

:class:`PreviewWizardView` runs the same wizard for staff on any version with session storage:
it shows the score and stores nothing.
"""

from __future__ import annotations

import copy
from collections import OrderedDict
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.files.storage import FileSystemStorage
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from formtools.wizard.storage.base import BaseStorage
from formtools.wizard.storage.session import SessionStorage
from formtools.wizard.views import StepsHelper, WizardView

from forms_engine import selectors, services
from forms_engine.models import FormSubmission, FormVersion
from forms_engine.rendering import StepForm, build_step_forms
from forms_engine.scoring import score
from forms_engine.services import SubmissionClosedError, SubmissionConflictError, SubmissionInvalidError

ACTIONS = ("save", "prev", "next", "submit")
IGNORED_KEYS = {"csrfmiddlewaretoken", "wizard_action", "wizard_revision", "wizard_goto_step"}


def upload_storage() -> FileSystemStorage:
    return FileSystemStorage(location=str(settings.MEDIA_ROOT / "form_uploads"),
                             base_url=f"{settings.MEDIA_URL}form_uploads/")


class SubmissionStorage(BaseStorage):
    """Wizard state kept in ``FormSubmission.wizard_state`` (written by the view via a service)."""

    def __init__(self, prefix: str, request: HttpRequest | None = None, file_storage: Any = None, *,
                 submission: FormSubmission):
        super().__init__(prefix, request, file_storage)
        self.submission = submission
        self.data = copy.deepcopy(submission.wizard_state) or None
        if not self.data:
            self.init_data()

    def reset(self) -> None:
        # formtools resets on GET and after done(); a stored draft must never be wiped that way.
        return


class _DummyForm(forms.Form):
    """Placeholder for formtools' as_view(); see BaseEngineWizard.dispatch."""


class BaseEngineWizard(WizardView):
    template_name = "forms_engine/wizard.html"
    file_storage = upload_storage()
    preview = False

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

    # -- flow ---------------------------------------------------------------------------
    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        step = self.storage.current_step if self.storage.current_step in self.form_list else self.steps.first
        self.storage.current_step = step
        return self.render(self.get_quiet_form(step))

    def post(self, *args: Any, **kwargs: Any) -> HttpResponse:
        request = self.request
        action = request.POST.get("wizard_action", "next")
        goto = request.POST.get("wizard_goto_step")
        current = request.POST.get(f"{self.prefix}-current_step") or self.storage.current_step
        if current not in self.form_list:
            current = self.steps.first
        self.storage.current_step = current
        form = self.get_form(step=current, data=request.POST, files=request.FILES)
        conflict = self.check_revision()
        if conflict:
            return self.render(form, conflict=conflict, status=409)

        if goto in self.form_list or action in ("save", "prev"):
            target = goto if goto in self.form_list else current
            if action == "prev" and not goto:
                target = self.steps.prev or current
            form.quiet = True
            form.is_valid()  # keep the values that are valid; errors stay hidden until 下一步/提交
            self.remember_step(form)
            if not self.persist():
                return self.render(form, conflict=self.conflict_message, status=409)
            if action == "save" and not goto:
                messages.success(request, _("已暂存。您可以随时回来继续填写，换一台设备登录也能继续。"))
            self.storage.current_step = target
            return self.render(self.get_quiet_form(target))

        # 下一步 / 提交: full validation of this step
        valid = form.is_valid()
        self.remember_step(form)
        if not valid:
            self.persist()
            return self.render(form)
        if self.steps.current == self.steps.last or action == "submit":
            if not self.persist():
                return self.render(form, conflict=self.conflict_message, status=409)
            return self.render_done(form, **kwargs)
        if not self.persist():
            return self.render(form, conflict=self.conflict_message, status=409)
        next_step = self.steps.next
        self.storage.current_step = next_step
        return self.render(self.get_quiet_form(next_step))

    def remember_step(self, form: StepForm) -> None:
        data = {k: v for k, v in dict(form.data.lists()).items() if k not in IGNORED_KEYS} \
            if hasattr(form.data, "lists") else dict(form.data)
        self.storage.set_step_data(form.step.key, data)
        valid_files = {k: f for k, f in (form.files or {}).items()
                       if k.removeprefix(f"{form.prefix}-") not in form.errors}
        if valid_files:
            self.storage.set_step_files(form.step.key, valid_files)
        answers = self.engine_answers()
        if hasattr(form, "cleaned_data"):
            for spec in form.step.fields:
                if spec.stored:
                    answers.pop(spec.key, None)
            answers.update(form.step_answers())
            for key, info in self.storage.data[self.storage.step_files_key].get(form.step.key, {}).items():
                answers[key.removeprefix(f"{form.prefix}-")] = {
                    "name": info["name"], "path": info["tmp_name"], "size": info["size"],
                    "content_type": info.get("content_type") or ""}
        self.storage.extra_data = {**self.storage.extra_data, "answers": answers}

    conflict_message = ""

    def check_revision(self) -> str:
        """A message when the page was rendered from an outdated revision ("" = fine)."""
        return ""

    def persist(self) -> bool:
        """Store the wizard state; False (with ``conflict_message``) if refused."""
        return True

    def render(self, form: StepForm | None = None, *, conflict: str = "", status: int = 200,
               **kwargs: Any) -> HttpResponse:
        form = form or self.get_form()
        context = self.get_context_data(form=form, conflict=conflict, **kwargs)
        response = self.render_to_response(context)
        response.status_code = status
        return response

    def get_context_data(self, form: StepForm, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(form=form, **kwargs)
        answers = self.engine_answers()
        context.update({
            "version": self.version,
            "schema": self.schema,
            "step": form.step,
            "sections": form.layout(),
            "preview": self.preview,
            "score_result": score(self.schema, answers, context=self.engine_context())
            if self.schema.scoring.enabled else None,
            "step_list": [(key, self.schema.steps[i].title) for i, key in enumerate(self.form_list)],
            "is_last": self.steps.current == self.steps.last,
        })
        context.pop("answers", None)  # raw answers live in extra_data; not for the template
        return context


class SubmissionWizardView(LoginRequiredMixin, BaseEngineWizard):
    """An enterprise fills in its own submission at /forms/s/<uuid>/."""

    def get_version(self) -> FormVersion:
        self.submission = get_object_or_404(selectors.submissions_for_user(self.request.user),
                                            uuid=self.kwargs["uuid"])
        return self.submission.version

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        return super().dispatch(request, *args, **kwargs)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not self.submission.is_draft:
            return HttpResponseRedirect(reverse("forms_engine:result", args=[self.submission.uuid]))
        return super().get(request, *args, **kwargs)

    def post(self, *args: Any, **kwargs: Any) -> HttpResponse:
        if not self.submission.is_draft:  # a second click on 提交, or a resent page
            return HttpResponseRedirect(reverse("forms_engine:result", args=[self.submission.uuid]))
        return super().post(*args, **kwargs)

    def make_storage(self, request: HttpRequest) -> BaseStorage:
        storage = SubmissionStorage(self.prefix, request, self.file_storage, submission=self.submission)
        if "answers" not in storage.extra_data:
            storage.extra_data = {**storage.extra_data, "answers": dict(self.submission.answers)}
        return storage

    def engine_context(self) -> dict[str, Any]:
        return dict(self.submission.context)

    def check_revision(self) -> str:
        posted = self.request.POST.get("wizard_revision", "")
        if posted != str(self.submission.revision):
            return _("该草稿已在其他窗口或设备上保存过。为避免覆盖，本次操作未保存；"
                     "您在本页填写的内容仍在下方，请复制需要保留的内容后刷新页面。")
        return ""

    def persist(self) -> bool:
        data = self.storage.data
        answers = self.engine_answers()
        try:
            self.submission = services.save_submission_progress(
                submission=self.submission, expected_revision=self.submission.revision,
                wizard_state=data, answers=answers)
        except SubmissionConflictError as exc:
            self.conflict_message = str(exc)
            return False
        except SubmissionClosedError as exc:
            self.conflict_message = str(exc)
            return False
        self.storage.submission = self.submission
        return True

    def get_context_data(self, form: StepForm, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(form=form, **kwargs)
        context["submission"] = self.submission
        context["revision"] = self.submission.revision
        context["preview_url"] = reverse("forms_engine:score_preview", args=[self.submission.uuid])
        return context

    def done(self, form_list: list[StepForm], **kwargs: Any) -> HttpResponse:
        try:
            submitted = services.submit_submission(submission=self.submission,
                                                   expected_revision=self.submission.revision)
        except SubmissionInvalidError as exc:
            first = exc.issues[0]
            step = first.step or self.steps.first
            self.storage.current_step = step
            form = self.get_form(step=step, data=self.storage.get_step_data(step),
                                 files=self.storage.get_step_files(step))
            form.is_valid()
            for issue in exc.issues:
                if issue.step == step and issue.field in form.fields and issue.field not in form.errors:
                    form.add_error(issue.field, issue.message)
            return self.render(form)
        except SubmissionConflictError as exc:
            return self.render(form_list[-1], conflict=str(exc), status=409)
        messages.success(self.request, _("提交成功。"))
        return HttpResponseRedirect(reverse("forms_engine:result", args=[submitted.uuid]))

    def render_revalidation_failure(self, step: str, form: StepForm, **kwargs: Any) -> HttpResponse:
        self.storage.current_step = step
        self.persist()
        messages.error(self.request, _("“%(step)s”中有需要修改的内容，请修改后再提交。") % {"step": form.step.title})
        return self.render(form)


class PreviewWizardView(LoginRequiredMixin, PermissionRequiredMixin, BaseEngineWizard):
    """Staff 试填 any version (draft or published): shows the score, stores nothing real."""

    permission_required = "forms_engine.preview_formdefinition"
    preview = True

    def get_version(self) -> FormVersion:
        return get_object_or_404(FormVersion.objects.select_related("definition"), pk=self.kwargs["version_id"])

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not self.has_permission():
            return self.handle_no_permission()
        return super().dispatch(request, *args, **kwargs)

    def make_storage(self, request: HttpRequest) -> BaseStorage:
        storage = SessionStorage(self.prefix, request, self.file_storage)
        if request.method == "GET" and request.GET.get("restart"):
            storage.init_data()
        return storage

    def engine_context(self) -> dict[str, Any]:
        province = self.request.GET.get("province") or self.storage.extra_data.get("province")
        return {"province": province} if province else {}

    def done(self, form_list: list[StepForm], **kwargs: Any) -> HttpResponse:
        result = score(self.schema, self.engine_answers(), context=self.engine_context())
        self.storage.init_data()
        return render(self.request, "forms_engine/result.html", {
            "version": self.version, "schema": self.schema, "result": result.as_dict(),
            "answers_display": [], "preview": True,
        })

    def get_context_data(self, form: StepForm, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(form=form, **kwargs)
        context["revision"] = ""
        context["preview_url"] = reverse("forms_engine:preview_score", args=[self.version.pk])
        return context
