"""URLs of the enterprise centre, mounted at /enterprise/ (SPEC F-64); /enterprise/messages/ is
portal.inbox', /enterprise/filings/ portal.filings', /enterprise/changes/ portal.changes',
/assessment/ portal.assessments'.

Pages whose feature is not built yet already have their stable URL here: the app that builds one
replaces the view of its path and nothing else.
"""

from django.urls import path

from . import views

app_name = "enterprises"

urlpatterns = [
    path("", views.EnterpriseProfileView.as_view(), name="profile"),
    path("home/", views.CentreHomeView.as_view(), name="home"),
    path("edit/", views.EnterpriseProfileEditView.as_view(), name="edit"),
    path("history/", views.EnterpriseProfileHistoryView.as_view(), name="history"),
]
