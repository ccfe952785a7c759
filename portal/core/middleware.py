"""Session middleware: the idle timer refreshed at most once a minute, and never at an answer's cost.

A login session ends after ``SESSION_IDLE_MINUTES`` without a request (docs/accounts.md). Django
does that by saving the session on every request (``SESSION_SAVE_EVERY_REQUEST``): on the
database backend a transaction, an UPDATE and a commit for every page and every 【暂存】 — a
fifth of the cost of a save in place (docs/filings.md). Here the session is saved with a new
expiry only when its last refresh is ``SESSION_REFRESH_SECONDS`` (60) old or more, or when it
changed anyway; the idle timeout is thereby exact to within that minute. The time of the last
refresh is kept in the session itself (``_refreshed_at``, seconds since the epoch).

A failed refresh does not undo a committed answer (issue 13.7): when PostgreSQL goes away between
the view's commit and the session write — a restart mid-request — Django's middleware raised
(SessionInterrupted: a 400), and a 【暂存】 that *was* stored answered with an error: the person
saved again and met "已在其他窗口或设备上保存过". When the session holds nothing new (only the
expiry would move on), a failed write is skipped: the answer stands and the expiry moves on at
the next request. A session that changed (a login, a logout, anything stored in it) still fails
loudly, since dropping it would lose what changed.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib.sessions.exceptions import SessionInterrupted
from django.contrib.sessions.middleware import SessionMiddleware as DjangoSessionMiddleware
from django.db import InterfaceError, OperationalError

from portal.core.unavailable import database_unavailable

REFRESHED_AT = "_refreshed_at"


def _refresh(session) -> bool:
    """Stamp the session with the time of this refresh if it is due; True if only that changed."""
    accessed = session.accessed  # reading the stamp must not add ``Vary: Cookie`` to the answer
    try:
        if session.is_empty():
            return False
        modified = session.modified
        last = session.get(REFRESHED_AT)  # loads the session (the cookie may name a gone one)
        now = int(time.time())
        due = not isinstance(last, int) or now - last >= settings.SESSION_REFRESH_SECONDS
        if session.is_empty() or not (due or modified):
            return False
        session[REFRESHED_AT] = now
        return not modified
    finally:
        session.accessed = accessed


class SessionMiddleware(DjangoSessionMiddleware):
    def process_response(self, request, response):
        session = getattr(request, "session", None)
        only_refresh = session is not None and _refresh(session)
        if not only_refresh:
            return super().process_response(request, response)
        try:
            return super().process_response(request, response)
        except (OperationalError, InterfaceError, SessionInterrupted) as exc:
            # Django reports a failed UPDATE of the session row as SessionInterrupted (a 400)
            if not database_unavailable(exc):
                raise
            return response  # only the idle timer's refresh was lost
