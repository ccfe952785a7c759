"""Session middleware whose idle-timer refresh does not undo a committed answer (issue 13.7).

``SESSION_SAVE_EVERY_REQUEST`` (the idle timeout of docs/security.md) writes the session row
after every view. When PostgreSQL goes away between the view's commit and that write — a restart
mid-request — Django's middleware raised (SessionInterrupted: a 400), and a 【暂存】 that *was* stored
answered with an error:
the person saved again and met "已在其他窗口或设备上保存过". When the session holds nothing new
(only the expiry would move on), a failed write is skipped: the answer stands and the expiry moves
on at the next request. A session that changed (a login, a logout, anything stored in it) still
fails loudly, since dropping it would lose what changed.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.sessions.exceptions import SessionInterrupted
from django.contrib.sessions.middleware import SessionMiddleware as DjangoSessionMiddleware
from django.db import InterfaceError, OperationalError

from portal.core.unavailable import database_unavailable


class SessionMiddleware(DjangoSessionMiddleware):
    def process_response(self, request, response):
        session = getattr(request, "session", None)
        only_refresh = session is not None and settings.SESSION_SAVE_EVERY_REQUEST and not session.modified
        if not only_refresh:
            return super().process_response(request, response)
        try:
            return super().process_response(request, response)
        except (OperationalError, InterfaceError, SessionInterrupted) as exc:
            # Django reports a failed UPDATE of the session row as SessionInterrupted (a 400)
            if not database_unavailable(exc):
                raise
            return response  # only the idle timer's refresh was lost
