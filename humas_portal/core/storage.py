"""The one storage for private files (PPID documents, Dumas attachments,
monitoring exports): kept under ``PRIVATE_MEDIA_ROOT``, outside
``MEDIA_ROOT``, with no URL of their own. Each file is served by a view that
checks who is asking.
"""

from __future__ import annotations

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible


@deconstructible
class PrivateStorage(FileSystemStorage):
    """``FileSystemStorage`` rooted at ``PRIVATE_MEDIA_ROOT``.

    The location is read from settings on every use, not frozen when the
    models load, so a deployment or a test that moves it is honoured and
    migrations record no path.
    """

    @property
    def base_location(self):
        return str(settings.PRIVATE_MEDIA_ROOT)

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    @property
    def base_url(self):
        return None

    def url(self, name):
        raise ValueError("Private files have no public URL; serve them through a view that checks access.")


private_storage = PrivateStorage()
