"""The project URLs plus the reference app, mounted as portal/urls.py is asked to mount it."""

from django.urls import include, path

from portal.urls import urlpatterns as portal_urlpatterns

urlpatterns = [path("reference/", include("portal.reference.urls")), *portal_urlpatterns]
