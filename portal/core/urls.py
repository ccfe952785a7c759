from django.urls import path

from portal.core import views
from portal.core.features import PLANNED_FEATURES

app_name = "core"

# Centre features (in_centre) are routed by portal.enterprises, inside the centre's frame.
urlpatterns = [
    path(feature.path, views.feature_not_open, {"feature": feature}, name=feature.key)
    for feature in PLANNED_FEATURES
    if not feature.in_centre
]
