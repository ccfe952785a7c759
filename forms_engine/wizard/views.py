"""The wizard on a submission (the engine's own pages and host pages) and the staff preview.

:class:`SubmissionWizardView` runs the wizard on one :class:`~forms_engine.models.FormSubmission`.
The engine mounts it at ``/forms/s/<uuid>/``; a host app subclasses it to run the wizard on a
submission it owns, e.g. ``/enterprise/filings/<id>/fill/`` (see docs/forms-engine.md, "Host
contract"): override :meth:`get_submission` (and check its own permissions there), optionally
:meth:`get_field_annotations` (notes beside fields, e.g. reviewers' 退回 comments),
:meth:`get_success_url` and ``template_name`` (a template extending ``forms_engine/wizard.html``
and filling its blocks: ``wizard_intro``, ``wizard_panels``, ``wizard_aside``).

Every save carries the revision the page was loaded with; a stale revision (another tab or
device saved since) is refused with a clear message instead of overwriting.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from formtools.wizard.storage.base import BaseStorage

from forms_engine import selectors, services
from forms_engine.models import FormSubmission, FormVersion
from forms_engine.rendering import StepForm
from forms_engine.scoring import score
from forms_engine.services import (
    SubmissionClosedError,
    SubmissionConflictError,
    SubmissionInvalidError,
    SubmissionRefusedError,
)
from forms_engine.wizard.base import BaseEngineWizard
from forms_engine.wizard.storage import PreviewStorage, SubmissionStorage, clean_post


class SubmissionWizardView(LoginRequiredMixin, BaseEngineWizard):
    """An enterprise fills in a submission: its own at /forms/s/<uuid>/, or a host's page."""

    def get_submission(self) -> FormSubmission:
        """The submission to fill (404 unless the user may). Hosts override this; the engine's own
        page opens submissions of self-service forms only."""
        return get_object_or_404(
            selectors.self_service_submissions_for_user(self.request.user), uuid=self.kwargs["uuid"]
        )

    def get_success_url(self, submission: FormSubmission) -> str:
        """Where 【提交】 leads once the submission is frozen (default: the engine's result page)."""
        return self.result_url(submission.uuid)

    def get_version(self) -> FormVersion:
        self.submission = self.get_submission()
        return self.submission.version

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        return super().dispatch(request, *args, **kwargs)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not self.submission.is_draft:
            return HttpResponseRedirect(self.get_success_url(self.submission))
        return super().get(request, *args, **kwargs)

    def post(self, *args: Any, **kwargs: Any) -> HttpResponse:
        if not self.submission.is_draft:  # a second click on 提交, or a resent page
            return HttpResponseRedirect(self.get_success_url(self.submission))
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
        if posted != str(self.submission.revision) and not self._repeats_last_save(posted):
            return _(
                "该草稿已在其他窗口或设备上保存过。为避免覆盖，本次操作未保存；"
                "您在本页填写的内容仍在下方，请复制需要保留的内容后刷新页面。"
            )
        return ""

    def _repeats_last_save(self, posted: str) -> bool:
        """True if this POST is the page's previous save again, which was stored although its answer
        never arrived: the database went away after the commit (a restart; the page said 系统繁忙)
        and the person saves once more. The stored revision is then one past the page's and the
        step holds exactly what is posted; storing it again changes nothing, so it is no conflict."""
        if self.request.FILES or posted != str(self.submission.revision - 1):
            return False
        current = self._posted_step()
        step = self.schema.steps[list(self.form_list).index(current)]
        _shown, stored, _control = clean_post(self.request.POST, step, current)
        return self.storage.data.get(self.storage.step_data_key, {}).get(current) == stored

    def persist(self) -> bool:
        answers = self.engine_answers()
        if self.store_score:
            self.score_dict()  # stored with the state: rendering reuses it until the answers change
        else:  # nothing shows it now: the next page scores the answers once (and its save keeps it)
            self.storage.extra_data = {k: v for k, v in self.storage.extra_data.items() if k != "score"}
        try:
            self.submission = services.save_submission_progress(
                submission=self.submission,
                expected_revision=self.submission.revision,
                wizard_state=self.storage.data,
                answers=answers,
            )
        except (SubmissionConflictError, SubmissionClosedError) as exc:
            self.conflict_message = str(exc)
            return False
        self.storage.submission = self.submission
        # locked (verified) values replaced what was posted: the wizard shows the stored ones
        self.storage.extra_data = {**self.storage.extra_data, "answers": dict(self.submission.answers)}
        return True

    def live_url(self) -> str:
        return reverse("forms_engine:score_preview", args=[self.submission.uuid])

    def page_revision(self) -> int:
        return self.submission.revision

    def get_context_data(self, form: StepForm, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(form=form, **kwargs)
        context["submission"] = self.submission
        context["revision"] = self.submission.revision
        context["preview_url"] = context["live_url"]
        target = services.migration_target(self.submission)
        context["migration_url"] = (
            reverse("forms_engine:migrate", args=[self.submission.uuid]) if target else ""
        )
        context["migration_target"] = target
        return context

    def done(self, form_list: list[StepForm], **kwargs: Any) -> HttpResponse:
        try:
            submitted = services.submit_submission(
                submission=self.submission, expected_revision=self.submission.revision, user=self.request.user
            )
        except SubmissionInvalidError as exc:
            return self._show_issues(exc)
        except SubmissionConflictError as exc:
            return self.render(form_list[-1], conflict=str(exc), status=409)
        except SubmissionRefusedError as exc:
            messages.error(self.request, exc.message)
            return self.render(form_list[-1], status=409)
        messages.success(self.request, _("提交成功。"))
        return HttpResponseRedirect(self.get_success_url(submitted))

    def _show_issues(self, exc: SubmissionInvalidError) -> HttpResponse:
        first = exc.issues[0]
        step = first.step or self.steps.first
        self.storage.current_step = step
        form = self.get_form(
            step=step, data=self.storage.get_step_data(step), files=self.storage.get_step_files(step)
        )
        form.is_valid()
        for issue in exc.issues:
            if issue.step == step and issue.field in form.fields and issue.field not in form.errors:
                form.add_error(issue.field, issue.message)
        return self.render(form)

    def render_revalidation_failure(self, step: str, form: StepForm, **kwargs: Any) -> HttpResponse:
        self.storage.current_step = step
        self.persist()
        messages.error(
            self.request, _("“%(step)s”中有需要修改的内容，请修改后再提交。") % {"step": form.step.title}
        )
        return self.render(form)


class PreviewWizardView(LoginRequiredMixin, PermissionRequiredMixin, BaseEngineWizard):
    """Staff 试填 any version (draft or published): shows the score, stores nothing real."""

    permission_required = "forms_engine.preview_formdefinition"
    preview = True

    def get_version(self) -> FormVersion:
        return get_object_or_404(
            FormVersion.objects.select_related("definition"), pk=self.kwargs["version_id"]
        )

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not self.has_permission():
            return self.handle_no_permission()
        return super().dispatch(request, *args, **kwargs)

    def make_storage(self, request: HttpRequest) -> BaseStorage:
        storage = PreviewStorage(self.prefix, request, self.file_storage)
        if request.method == "GET" and request.GET.get("restart"):
            storage.init_data()
        return storage

    def engine_context(self) -> dict[str, Any]:
        province = self.request.GET.get("province") or self.storage.extra_data.get("province")
        return {"province": province} if province else {}

    def live_url(self) -> str:
        return reverse("forms_engine:preview_score", args=[self.version.pk])

    def done(self, form_list: list[StepForm], **kwargs: Any) -> HttpResponse:
        result = score(self.schema, self.engine_answers(), context=self.engine_context())
        self.storage.init_data()
        return render(
            self.request,
            "forms_engine/result.html",
            {
                "version": self.version,
                "schema": self.schema,
                "result": result.as_dict(),
                "answers_display": [],
                "preview": True,
            },
        )

    def get_context_data(self, form: StepForm, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(form=form, **kwargs)
        context["revision"] = ""
        context["preview_url"] = context["live_url"]
        return context
