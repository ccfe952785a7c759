"""我的消息 (SPEC F-23): the enterprise's inbox and :func:`portal.inbox.services.notify`, the one way
every event (review actions, recognition, scheduled reminders) leaves a message for an enterprise.

Labelled ``inbox``: ``messages`` is Django's messages framework. See docs/inbox.md.
"""
