"""Reads of evidence archives. Every lookup is scoped to the enterprise that owns the archive:
there is no way to fetch someone else's archive by its id."""

from __future__ import annotations

import uuid

from django.db.models import QuerySet

from portal.filings.models import EvidenceArchive


def list_archives_for_enterprise(enterprise) -> QuerySet[EvidenceArchive]:
    return (
        EvidenceArchive.objects.filter(enterprise=enterprise)
        .select_related("replaces")
        .order_by("-created_at", "-pk")
    )


def get_archive_for_enterprise(enterprise, public_id) -> EvidenceArchive | None:
    """The enterprise's archive ``public_id`` (None for anything else, a malformed id included: the
    filing's submit form posts it as typed)."""
    if enterprise is None:
        return None
    try:
        public_id = uuid.UUID(str(public_id))
    except ValueError:
        return None
    return (
        EvidenceArchive.objects.select_related("replaces")
        .filter(enterprise=enterprise, public_id=public_id)
        .first()
    )
