"""URLs of the evidence archive, mounted at /enterprise/filings/evidence/ (namespace
``filings:evidence``). Every one of them is owner-only (:mod:`.access`)."""

from django.urls import path

from . import tus, views

app_name = "evidence"

urlpatterns = [
    path("", views.EvidenceArchiveListView.as_view(), name="list"),
    path("uploads/", tus.TusCreateView.as_view(), name="tus-create"),
    path("uploads/<uuid:public_id>", tus.TusUploadView.as_view(), name="tus-upload"),
    path("<uuid:public_id>/status/", views.EvidenceArchiveStatusView.as_view(), name="status"),
    path("<uuid:public_id>/delete/", views.EvidenceArchiveDeleteView.as_view(), name="delete"),
    path("<uuid:public_id>/download/", views.EvidenceArchiveDownloadView.as_view(), name="download"),
]
