"""Top-level URL map. Paths are stable (SPEC F-64): users bookmark them."""

from django.conf import settings
from django.urls import include, path, re_path
from django.views.generic import RedirectView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from portal.accounts.views import StaffLoginView
from portal.core import admin_views as core_admin_views
from portal.core import views as core_views

urlpatterns = [
    # Before the admin's own URLs, which they replace: the admin's login needs the SMS code too
    # (accounts.views.login), and the site history is scoped like every register (core.admin_views).
    path("admin/login/", StaffLoginView.as_view(), name="staff_login"),
    re_path(
        r"^admin/reports/site-history/(?P<results>results/)?$",
        core_admin_views.site_history,
        name="scoped_site_history",
    ),
    # Wagtail's front-end login (/_util/login/, a plain password form) is not a way in: the site's
    # login with its SMS code is.
    path(
        "_util/login/", RedirectView.as_view(url=settings.LOGIN_URL, query_string=True), name="frontend_login"
    ),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("forms/", include("forms_engine.urls")),
    path("reference/", include("portal.reference.urls")),
    path("accounts/", include("portal.accounts.urls")),
    path("captcha/", include("captcha.urls")),
    path("healthz", core_views.healthz, name="healthz"),
    path("enterprise/filings/", include("portal.filings.urls")),
    path("enterprise/changes/", include("portal.changes.urls")),
    path("enterprise/renewals/", include("portal.lifecycle.urls")),
    path("enterprise/messages/", include("portal.inbox.urls")),
    # /query/ (企业认定查询) and /enterprise/recognitions/<pk>/certificate/
    path("", include("portal.recognition.urls")),
    path("enterprise/", include("portal.enterprises.urls")),
    path("assessment/", include("portal.assessments.urls")),
    # Features planned in SPEC but not built yet answer with a clear "not open yet" page.
    path("", include("portal.core.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# a request that meets an unreachable database answers 503 系统繁忙 and keeps what was typed
handler500 = "portal.core.views.server_error"
handler400 = "portal.core.views.bad_request"  # a session not written for the same reason

# Wagtail serves every remaining path: home, /notices/, /faq/, help pages.
urlpatterns += [path("", include(wagtail_urls))]
