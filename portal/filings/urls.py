"""URLs of 企业申报信息, mounted at /enterprise/filings/ (namespace ``filings``, SPEC F-64)."""

from django.urls import include, path, reverse_lazy
from django.views.generic import RedirectView

from forms_engine.wizard import _DummyForm

from . import views

app_name = "filings"

urlpatterns = [
    path("", views.FilingIndexView.as_view(), name="index"),
    path("apply/<slug:level>/", views.FilingApplyView.as_view(), name="apply"),
    # the entries the home page linked before filings existed (bookmarks keep working)
    path("innovation/", RedirectView.as_view(url=reverse_lazy("filings:apply", args=["innovative"]))),
    path("specialized/", RedirectView.as_view(url=reverse_lazy("filings:apply", args=["specialized"]))),
    path("little-giant/", RedirectView.as_view(url=reverse_lazy("filings:apply", args=["little_giant"]))),
    path("<int:pk>/", views.FilingDetailView.as_view(), name="detail"),
    # formtools' as_view() wants a form list; the steps come from the filing's pinned version
    path("<int:pk>/fill/", views.FilingFillView.as_view(form_list=[("_", _DummyForm)]), name="fill"),
    path("<int:pk>/submit/", views.FilingSubmitView.as_view(), name="submit"),
    path("<int:pk>/withdraw/", views.FilingWithdrawView.as_view(), name="withdraw"),
    path("<int:pk>/pdf/", views.FilingPdfView.as_view(), name="pdf"),
    path("evidence/", include("portal.filings.evidence.urls", namespace="evidence")),
]
