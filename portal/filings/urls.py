"""URLs of 企业申报, mounted at /enterprise/filings/ (namespace ``filings``)."""

from django.urls import include, path

app_name = "filings"

urlpatterns = [
    path("evidence/", include("portal.filings.evidence.urls", namespace="evidence")),
]
