"""URLs of the enterprise centre, mounted at /enterprise/ (SPEC F-64); /assessment/ is portal.assessments'.

Pages whose feature is not built yet already have their stable URL here: the app that builds one
replaces the view of its path and nothing else.
"""

from django.urls import path, reverse_lazy
from django.views.generic import RedirectView

from . import views

app_name = "enterprises"

urlpatterns = [
    path("", views.EnterpriseProfileView.as_view(), name="profile"),
    path("home/", views.CentreHomeView.as_view(), name="home"),
    path("edit/", views.EnterpriseProfileEditView.as_view(), name="edit"),
    path("history/", views.EnterpriseProfileHistoryView.as_view(), name="history"),
    path("messages/", views.CentreFeatureView.as_view(feature_key="messages"), name="messages"),
    path("filings/", views.FilingsView.as_view(), name="filings"),
    # 创新型中小企业 starts with the 自测表 (F-31); the form's start guard checks account and profile
    path(
        "filings/innovation/",
        RedirectView.as_view(url=reverse_lazy("forms_engine:fill", args=["innovation_self_test"])),
        name="filing-innovation",
    ),
    path("filings/<path:rest>", views.FilingsView.as_view()),
    path("changes/", views.CentreFeatureView.as_view(feature_key="changes"), name="changes"),
    path("renewals/", views.CentreFeatureView.as_view(feature_key="renewals"), name="renewals"),
]
