"""URLs of 我的消息, mounted at /enterprise/messages/ (SPEC F-64), before the centre's /enterprise/."""

from django.urls import path

from . import views

app_name = "inbox"

urlpatterns = [
    path("", views.MessageIndexView.as_view(), name="index"),
    path("read-all/", views.MessageMarkAllReadView.as_view(), name="mark_all_read"),
    path("<int:pk>/", views.MessageDetailView.as_view(), name="detail"),
]
