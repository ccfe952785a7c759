"""A stand-in for ``portal.inbox.services.notify`` while the inbox app is built on its own branch.

The review and recognition actions call ``portal.inbox.services.notify(*, enterprise, category,
title, body, link="", dedupe_key="", sms=None)``. When the real module is importable it is used
(and this module does nothing); otherwise :func:`install` puts a recording fake in ``sys.modules``
for the test. Once the inbox branch is merged, this file and its fixture can go.
"""

from __future__ import annotations

import importlib.util
import sys
import types
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Outbox:
    messages: list[dict[str, Any]] = field(default_factory=list)
    real: bool = False

    def of(self, category: str) -> list[dict[str, Any]]:
        return [m for m in self.messages if m["category"] == category]


def inbox_available() -> bool:
    try:
        return importlib.util.find_spec("portal.inbox.services") is not None
    except (ModuleNotFoundError, ValueError):  # ValueError: this fake is installed already
        return False


def install(monkeypatch) -> Outbox:
    outbox = Outbox()
    if inbox_available():
        outbox.real = True
        return outbox

    def notify(*, enterprise, category, title, body, link="", dedupe_key="", sms=None):
        outbox.messages.append(
            {
                "enterprise": enterprise,
                "category": category,
                "title": title,
                "body": body,
                "link": link,
                "dedupe_key": dedupe_key,
                "sms": sms,
            }
        )

    package = types.ModuleType("portal.inbox")
    package.__path__ = []  # a package, so "portal.inbox.services" imports
    services = types.ModuleType("portal.inbox.services")
    services.notify = notify
    package.services = services
    monkeypatch.setitem(sys.modules, "portal.inbox", package)
    monkeypatch.setitem(sys.modules, "portal.inbox.services", services)
    return outbox


def messages(outbox: Outbox, category: str, enterprise) -> list[dict[str, Any]]:
    """The messages of ``category`` left for ``enterprise`` (the fake's record, or the real inbox)."""
    if outbox.real:
        from portal.inbox.models import Message

        return [
            {"category": m.category, "title": m.title, "body": m.body, "link": m.link}
            for m in Message.objects.filter(enterprise=enterprise, category=category)
        ]
    return [m for m in outbox.of(category) if m["enterprise"].pk == enterprise.pk]
