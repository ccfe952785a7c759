from django.urls import path

from forms_engine import views, wizard

app_name = "forms_engine"

# formtools' as_view() insists on a form list; the real steps come from the submission's pinned
# version in dispatch(), so a placeholder is passed here.
_dummy = [("_", wizard._DummyForm)]

urlpatterns = [
    path("fill/<slug:key>/", views.fill_form, name="fill"),
    path("s/<uuid:uuid>/", wizard.SubmissionWizardView.as_view(form_list=_dummy), name="wizard"),
    path("s/<uuid:uuid>/result/", views.submission_result, name="result"),
    path("s/<uuid:uuid>/score/", views.score_preview, name="score_preview"),
    path("s/<uuid:uuid>/files/<slug:field>/", views.submission_file, name="file"),
    path("s/<uuid:uuid>/migrate/", views.migrate, name="migrate"),
    path("preview/<int:version_id>/", wizard.PreviewWizardView.as_view(form_list=_dummy), name="preview"),
    path("preview/<int:version_id>/score/", views.preview_score, name="preview_score"),
]
