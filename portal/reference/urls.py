"""URLs of the reference app, mounted at /reference/ by portal/urls.py."""

from django.urls import path

from . import views

app_name = "reference"

urlpatterns = [
    path("regions/children/", views.RegionChildrenView.as_view(), name="region-children"),
]
