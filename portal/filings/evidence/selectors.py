"""Reads of evidence archives. Every lookup is scoped to the enterprise that owns the archive:
there is no way to fetch someone else's archive by its id."""

from __future__ import annotations

from django.db.models import QuerySet

from portal.filings.models import EvidenceArchive


def list_archives_for_enterprise(enterprise) -> QuerySet[EvidenceArchive]:
    return (
        EvidenceArchive.objects.filter(enterprise=enterprise)
        .select_related("replaces")
        .order_by("-created_at", "-pk")
    )


def get_archive_for_enterprise(enterprise, public_id) -> EvidenceArchive | None:
    if enterprise is None:
        return None
    return (
        EvidenceArchive.objects.select_related("replaces")
        .filter(enterprise=enterprise, public_id=public_id)
        .first()
    )
