"""Background work on the Django Tasks API: the certificate of a new recognition is rendered once
the recognition commits, so the enterprise's first download is instant. The argument is a primary
key and the task re-reads the row, so running it twice changes nothing."""

from __future__ import annotations

from django_tasks import task

from .models import Recognition


@task()
def render_certificate(recognition_id: int) -> str:
    from .certificate import ensure_certificate

    recognition = Recognition.objects.filter(pk=recognition_id).first()
    return ensure_certificate(recognition) if recognition is not None else ""
