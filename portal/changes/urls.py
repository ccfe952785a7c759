"""URLs of 企业重大变更, mounted at /enterprise/changes/ (namespace ``changes``, SPEC F-64)."""

from django.urls import path

from forms_engine.wizard import _DummyForm

from . import views

app_name = "changes"

urlpatterns = [
    path("", views.ChangeIndexView.as_view(), name="index"),
    path("new/<slug:change_type>/", views.ChangeStartView.as_view(), name="start"),
    path("<int:pk>/", views.ChangeDetailView.as_view(), name="detail"),
    # formtools' as_view() wants a form list; the steps come from the change's pinned version
    path("<int:pk>/fill/", views.ChangeFillView.as_view(form_list=[("_", _DummyForm)]), name="fill"),
    path("<int:pk>/delete/", views.ChangeDeleteView.as_view(), name="delete"),
]
