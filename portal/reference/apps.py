from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReferenceConfig(AppConfig):
    name = "portal.reference"
    label = "reference"
    verbose_name = _("参考数据")

    def ready(self) -> None:
        from forms_engine.lookups import lookups

        from .lookups import IndustryLookup, RegionLookup

        lookups.register("region", RegionLookup())
        lookups.register("industry", IndustryLookup())
