"""URLs of 数字化水平评测, mounted at /assessment/ (SPEC F-64)."""

from django.urls import path

from forms_engine.wizard import _DummyForm

from . import views

app_name = "assessments"

urlpatterns = [
    path("", views.AssessmentIndexView.as_view(), name="index"),
    path("start/", views.AssessmentStartView.as_view(), name="start"),
    path("<int:pk>/", views.AssessmentDetailView.as_view(), name="detail"),
    # formtools' as_view() wants a form list; the steps come from the attempt's pinned version
    path("<int:pk>/fill/", views.AssessmentFillView.as_view(form_list=[("_", _DummyForm)]), name="fill"),
]
