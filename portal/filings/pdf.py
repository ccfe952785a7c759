"""The PDF of a filing as submitted (【下载】, SPEC F-24), drawn by WeasyPrint.

A4, Noto CJK (Debian's ``fonts-noto-cjk``) so the text is real, searchable text; the enterprise's
name and USCC, every answer, the score breakdown, the form version and its policy basis, page
numbers, and room for the seal. One PDF per submitted state: it is rendered once (at submit, by the
task worker, or on the first download) and kept in ``STORAGES["filing_documents"]`` under a name
derived from the filing and the submitted state, so a resubmission after 退回 gets its own file.
"""

from __future__ import annotations

import io
from typing import IO

from django.core.files.base import ContentFile
from django.core.files.storage import Storage, storages
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.core.masking import mask_id_number

from .models import Filing
from .presenters import filing_view


class NothingSubmittedError(Exception):
    """The filing has never been submitted: there is no submitted state to print."""


def document_storage() -> Storage:
    return storages["filing_documents"]


def pdf_name(filing: Filing, revision_number: int) -> str:
    # the submission's uuid too: a database restored without the file storage must never serve
    # another filing's PDF that happens to have the same id
    return f"filings/{filing.pk}/filing-{filing.pk}-{filing.submission.uuid}-r{revision_number}.pdf"


def render_filing_pdf(filing: Filing) -> bytes:
    """The PDF bytes of the filing's latest submitted state. Raises NothingSubmittedError."""
    from weasyprint import HTML  # imported on use: the module loads Pango

    view = filing_view(filing)
    if view.submitted is None:
        raise NothingSubmittedError(filing.pk)
    html = render_to_string(
        "filings/filing_pdf.html",
        {
            "view": view,
            "filing": filing,
            "enterprise": filing.enterprise,
            "legal_representative_id": mask_id_number(filing.enterprise.legal_representative_id),
            "printed_at": timezone.localtime(),
        },
    )
    return HTML(string=html).write_pdf()  # title and author come from the page's <head>


def filing_pdf(filing: Filing) -> tuple[IO[bytes], str]:
    """An open file of the PDF of the filing's latest submitted state (rendered and kept on first
    use) and the name to download it as. Raises NothingSubmittedError."""
    view = filing_view(filing)
    if view.submitted is None:
        raise NothingSubmittedError(filing.pk)
    storage = document_storage()
    name = pdf_name(filing, view.submitted.number)
    if not storage.exists(name):
        stored = storage.save(name, ContentFile(render_filing_pdf(filing)))
        if stored != name:  # rendered twice at once: keep one
            storage.delete(stored)
    download = _("%(enterprise)s-%(level)s申报书-%(round)s.pdf") % {
        "enterprise": filing.enterprise.name,
        "level": filing.get_level_display(),
        "round": filing.round_label,
    }
    try:
        return storage.open(name, "rb"), download
    except FileNotFoundError:  # deleted between the check and the open: render in memory
        return io.BytesIO(render_filing_pdf(filing)), download
