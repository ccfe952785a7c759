"""The streamed, masked, audited export (:mod:`portal.reports.exports`) for wagtail-modeladmin
registers: set ``index_view_class = ExportingIndexView`` and, on the ``ModelAdmin``,
``list_export``, ``export_headings``, ``export_filename``, ``export_list_name`` and ``export_masks``."""

from __future__ import annotations

from wagtail_modeladmin.views import IndexView

from .exports import StreamingExportMixin


class ExportingIndexView(StreamingExportMixin, IndexView):
    def __init__(self, model_admin, *args, **kwargs):
        super().__init__(model_admin, *args, **kwargs)
        self.export_headings = getattr(model_admin, "export_headings", {})
        self.export_list_name = getattr(model_admin, "export_list_name", "")
        self.export_masks = getattr(model_admin, "export_masks", {})
