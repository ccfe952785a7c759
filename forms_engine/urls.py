from django.urls import path

from forms_engine import views, wizard

app_name = "forms_engine"

_dummy = [("_", wizard._DummyForm)]

urlpatterns = [
    path("fill/<slug:key>/", views.fill_form, name="fill"),
    path("s/<uuid:uuid>/", wizard.SubmissionWizardView.as_view(form_list=_dummy), name="wizard"),
    path("s/<uuid:uuid>/result/", views.submission_result, name="result"),
    path("s/<uuid:uuid>/score/", views.score_preview, name="score_preview"),
    path("preview/<int:version_id>/", wizard.PreviewWizardView.as_view(form_list=_dummy), name="preview"),
    path("preview/<int:version_id>/score/", views.preview_score, name="preview_score"),
]
