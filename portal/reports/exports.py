"""Excel (and CSV) export of every staff list (SPEC F-46, F-61), built on Wagtail's own
``SpreadsheetExportMixin`` (the ``list_export`` / ``export_headings`` / ``export_filename`` of a
generic ``IndexView`` or a wagtail-modeladmin ``IndexView``).

Wagtail's export writes the workbook into a ``BytesIO`` and iterates the queryset whole (Django
caches every row), so memory grows with the list. :class:`StreamingExportMixin` keeps what Wagtail
does (headings, value preprocessing, formula neutralising, date formats) and changes three things:

- **bounded memory**: rows are read with ``QuerySet.iterator(chunk_size=…)`` (a server-side cursor on
  PostgreSQL), written by openpyxl in write-only mode into a ``SpooledTemporaryFile`` (in memory up
  to ``export_spool_bytes``, on disk beyond), and sent with ``FileResponse`` in blocks;
- **masking** (F-61): the fields named in ``export_masks`` are masked with
  :mod:`portal.core.masking` unless the user may see personal data (:func:`may_see_personal_data`);
- **audit**: each export is a Wagtail log entry ``reports.export`` (who, which list, the filters, the
  number of rows, the format, masked or not), written once the file is complete.

Put it first in the bases: ``class QueueView(StreamingExportMixin, generic.IndexView)``.
"""

from __future__ import annotations

import codecs
import csv
import tempfile
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from django.db.models import QuerySet
from django.http import FileResponse
from django.utils.encoding import force_str
from wagtail.admin.views.mixins import Echo, ExcelDateFormatter
from wagtail.log_actions import log

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXPORT_ACTION = "reports.export"

# The one permission the code has for reading personal numbers in full (the 法定代表人 ID number
# on the enterprise's admin page); exports follow it for ID numbers, phones and e-mail addresses.
PERSONAL_DATA_PERMISSION = "enterprises.view_legal_representative_id"


def may_see_personal_data(user) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.has_perm(PERSONAL_DATA_PERMISSION)


class StreamingExportMixin:
    #: a stable name of the list for the audit log ("review", "recognitions", …)
    export_list_name = ""
    #: field of ``list_export`` → masking function (``portal.core.masking``)
    export_masks: dict[str, Callable[[str], str]] = {}
    export_chunk_size = 2000
    export_spool_bytes = 4 * 1024 * 1024

    # --- rows ---------------------------------------------------------------------------------

    @property
    def export_unmasked(self) -> bool:
        if not hasattr(self, "_export_unmasked"):
            self._export_unmasked = may_see_personal_data(self.request.user)
        return self._export_unmasked

    def to_row_dict(self, item):
        row = super().to_row_dict(item)
        if self.export_masks and not self.export_unmasked:
            for field, mask in self.export_masks.items():
                value = force_str(row.get(field) or "")
                if value.strip(" -—"):  # modeladmin writes "-" for an empty value
                    row[field] = mask(value)
        return row

    def export_items(self, queryset: Iterable[Any]) -> Iterator[Any]:
        """The rows, read in chunks rather than cached whole."""
        if isinstance(queryset, QuerySet):
            return queryset.iterator(chunk_size=self.export_chunk_size)
        return iter(queryset)

    # --- writers (Wagtail's, reading through export_items and counting) ------------------------

    def write_xlsx(self, queryset, output) -> int:
        from openpyxl import Workbook

        workbook = Workbook(write_only=True, iso_dates=True)
        worksheet = workbook.create_sheet(title=self.export_sheet_title())
        worksheet.append(self.get_heading(queryset, field) for field in self.list_export)
        date_format = ExcelDateFormatter().get()
        count = 0
        for item in self.export_items(queryset):
            worksheet.append(
                self.generate_xlsx_row(worksheet, self.to_row_dict(item), date_format=date_format)
            )
            count += 1
        workbook.save(output)
        return count

    def write_csv(self, queryset, output) -> int:
        writer = csv.DictWriter(Echo(), fieldnames=self.list_export)  # each row comes back as UTF-8
        output.write(codecs.BOM_UTF8)  # Excel reads a CSV with the BOM as UTF-8
        output.write(
            writer.writerow({field: self.get_heading(queryset, field) for field in self.list_export})
        )
        count = 0
        for item in self.export_items(queryset):
            output.write(self.write_csv_row(writer, self.to_row_dict(item)))
            count += 1
        return count

    def export_sheet_title(self) -> str:
        # Excel: at most 31 characters, none of []:*?/\
        title = force_str(self.get_filename())
        return "".join(c for c in title if c not in "[]:*?/\\")[:31] or "Sheet1"

    # --- the response -------------------------------------------------------------------------

    def get(self, request, *args, **kwargs):
        # Wagtail's generic IndexView exports context["object_list"], which its listing table has
        # already evaluated (every row cached in memory). Export the filtered, searched, ordered
        # queryset instead, before any context is built. (wagtail-modeladmin exports from
        # dispatch(), with the queryset unevaluated.)
        if getattr(self, "is_export", False) and hasattr(self, "get_base_queryset"):
            return self.as_spreadsheet(self.get_queryset(), request.GET.get("export"))
        return super().get(request, *args, **kwargs)

    def as_spreadsheet(self, queryset, spreadsheet_format):
        if spreadsheet_format not in (self.FORMAT_XLSX, self.FORMAT_CSV):
            return None
        spool = tempfile.SpooledTemporaryFile(max_size=self.export_spool_bytes)
        if spreadsheet_format == self.FORMAT_XLSX:
            rows = self.write_xlsx(queryset, spool)
            content_type = XLSX_TYPE
        else:
            rows = self.write_csv(queryset, spool)
            content_type = "text/csv; charset=utf-8"
        self.log_export(spreadsheet_format, rows)
        spool.seek(0)
        response = FileResponse(
            spool,
            as_attachment=True,
            filename=f"{force_str(self.get_filename())}.{spreadsheet_format}",
            content_type=content_type,
        )
        response["Cache-Control"] = "private, no-store"
        return response

    def export_filters(self) -> dict[str, str]:
        return {key: value for key, value in self.request.GET.items() if key not in ("export", "p")}

    def log_export(self, spreadsheet_format: str, rows: int) -> None:
        user = self.request.user
        log(
            instance=user,
            action=EXPORT_ACTION,
            user=user,
            data={
                "list": self.export_list_name or force_str(self.get_filename()),
                "title": force_str(self.get_filename()),
                "format": spreadsheet_format,
                "filters": self.export_filters(),
                "rows": rows,
                "masked": bool(self.export_masks) and not self.export_unmasked,
            },
        )
