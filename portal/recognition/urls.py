"""Public URLs of recognition: ``/query/`` (企业认定查询, SPEC F-64) and the enterprise's certificate
download under ``/enterprise/recognitions/`` (namespace ``recognition``)."""

from django.urls import path

from . import views

app_name = "recognition"

urlpatterns = [
    path("query/", views.RecognitionQueryView.as_view(), name="query"),
    path(
        "enterprise/recognitions/<int:pk>/certificate/",
        views.CertificateDownloadView.as_view(),
        name="certificate",
    ),
]
