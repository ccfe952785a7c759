"""The enterprise's messages about its filings (申报提醒), through the inbox's one ``notify()``."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from portal.filings.models import Filing


def filing_message(filing: Filing, *, title: str, body: str, comment: str = "") -> None:
    from portal.inbox.services import notify

    text = body if not comment else body + "\n" + _("审核意见：%(comment)s") % {"comment": comment}
    notify(
        enterprise=filing.enterprise,
        category="filing",
        title=title,
        body=text,
        link=reverse("filings:detail", args=[filing.pk]),
    )
