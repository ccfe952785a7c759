"""URLs of 认证到期管理, mounted at /enterprise/renewals/ (namespace ``renewals``, SPEC F-64)."""

from django.urls import path

from . import views

app_name = "renewals"

urlpatterns = [
    path("", views.RenewalIndexView.as_view(), name="index"),
    path("<int:pk>/start/", views.RenewalStartView.as_view(), name="start"),
]
