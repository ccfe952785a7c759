"""URLs of 企业信息, mounted at /enterprise/ (SPEC F-64)."""

from django.urls import path

from . import views

app_name = "enterprises"

urlpatterns = [
    path("", views.EnterpriseProfileView.as_view(), name="profile"),
    path("edit/", views.EnterpriseProfileEditView.as_view(), name="edit"),
    path("history/", views.EnterpriseProfileHistoryView.as_view(), name="history"),
]
