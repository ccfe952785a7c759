"""Private file storage: uploads that must never be reachable under ``MEDIA_URL``.

Licence images, evidence and any other personal upload live in ``PRIVATE_MEDIA_ROOT`` (read at
each access, so tests can point it elsewhere). The storage has no URL: files are served only by
views that check who is asking (the owner, or staff whose scope covers the object), with
``Cache-Control: private, no-store``.
"""

from __future__ import annotations

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible


@deconstructible(path="portal.core.storage.PrivateStorage")
class PrivateStorage(FileSystemStorage):
    @property
    def base_location(self):
        return str(settings.PRIVATE_MEDIA_ROOT)

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError("private files have no URL; serve them through a permission-checked view")


private_storage = PrivateStorage()
