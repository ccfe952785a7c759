"""Background work of the inbox (Django Tasks API; the worker is ``manage.py db_worker``).

The argument is the message's primary key: the task re-reads the row, so running it twice
texts nobody twice (``sms_sent_at``).
"""

from __future__ import annotations

from django_tasks import task

from . import services


@task()
def send_message_sms(message_id: int) -> bool:
    """Tell the owner's bound phone that a message is waiting; True when the SMS went out."""
    return services.deliver_sms(message_id=message_id)
