"""The portal's URLs plus /bench/trivial/, the ceiling every benchmark is compared with."""

from django.http import HttpResponse
from django.urls import path

from portal.urls import handler400, handler500  # noqa: F401 - Django looks them up in the root URLconf
from portal.urls import urlpatterns as portal_urlpatterns


def trivial(request):
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [path("bench/trivial/", trivial, name="bench-trivial"), *portal_urlpatterns]
