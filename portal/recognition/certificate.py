"""The recognition certificate (认定证书), a PDF drawn by WeasyPrint.

A4 landscape, Noto CJK (Debian's ``fonts-noto-cjk``) so every word is real, searchable text: the
enterprise's name and USCC as recognised, the level, the number, the year, the validity and the
issuing authority (a setting). The official design is not known, so the page is marked 样式 and
carries the note of the settings (``certificate_note``).

Rendered once — by the task worker after the recognition commits, or on the first download — and
kept in ``STORAGES["filing_documents"]`` (private, no URL); only the owner's and staff's download
views hand it out.
"""

from __future__ import annotations

import io
from typing import IO

from django.core.files.base import ContentFile
from django.core.files.storage import Storage, storages
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from . import selectors, services
from .models import Recognition


def certificate_storage() -> Storage:
    return storages["filing_documents"]


def certificate_name(recognition: Recognition) -> str:
    return f"recognitions/{recognition.pk}/certificate-{recognition.pk}.pdf"


def render_certificate_pdf(recognition: Recognition) -> bytes:
    from weasyprint import HTML  # imported on use: the module loads Pango

    html = render_to_string(
        "recognition/certificate_pdf.html",
        {"recognition": recognition, "note": selectors.recognition_settings().certificate_note},
    )
    return HTML(string=html).write_pdf()


def ensure_certificate(recognition: Recognition) -> str:
    """The storage name of the recognition's certificate, rendered and kept if missing."""
    storage = certificate_storage()
    name = recognition.certificate_name or certificate_name(recognition)
    if not storage.exists(name):
        stored = storage.save(name, ContentFile(render_certificate_pdf(recognition)))
        if stored != name:  # rendered twice at once: keep one
            storage.delete(stored)
    if recognition.certificate_name != name:
        services.remember_certificate(recognition=recognition, name=name)
    return name


def download_name(recognition: Recognition) -> str:
    return _("%(enterprise)s-%(level)s认定证书-%(number)s.pdf") % {
        "enterprise": recognition.enterprise_name,
        "level": recognition.get_level_display(),
        "number": recognition.number,
    }


def certificate_file(recognition: Recognition) -> tuple[IO[bytes], str]:
    """An open file of the certificate (rendered on first use) and the name to download it as."""
    name = ensure_certificate(recognition)
    try:
        return certificate_storage().open(name, "rb"), download_name(recognition)
    except FileNotFoundError:  # deleted between the check and the open: render in memory
        return io.BytesIO(render_certificate_pdf(recognition)), download_name(recognition)
