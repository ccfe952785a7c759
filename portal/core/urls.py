from django.urls import path

from portal.core import views
from portal.core.features import PLANNED_FEATURES

app_name = "core"

urlpatterns = [
    path(feature.path, views.feature_not_open, {"feature": feature}, name=feature.key)
    for feature in PLANNED_FEATURES
] + [
    # sub-pages of planned sections (e.g. /enterprise/filings/innovation/) land on the same page
    path(f"{feature.path}<path:rest>", views.feature_not_open, {"feature": feature})
    for feature in PLANNED_FEATURES
    if feature.key in {"filings", "assessment"}
]
