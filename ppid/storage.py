"""Where the PPID app keeps its files.

Everything the app stores (identity scans, powers of attorney, answer files,
written notices, DIP documents) lives under ``PRIVATE_MEDIA_ROOT`` and has no
URL of its own: each file is served by a view that checks who is asking. DIP
documents are public, but an entry can be reclassified as exempt at any time,
and a file reachable under ``MEDIA_URL`` would stay reachable after that.
"""

from __future__ import annotations

import os
from functools import lru_cache

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.functional import cached_property


class PrivateStorage(FileSystemStorage):
    @cached_property
    def base_location(self):
        return self._value_or_setting(self._location, settings.PRIVATE_MEDIA_ROOT)

    @cached_property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError("Private PPID files have no public URL; serve them through a view.")


@lru_cache(maxsize=1)
def private_storage() -> PrivateStorage:
    """The storage instance, as a callable so that migrations do not freeze
    the path and tests can point ``PRIVATE_MEDIA_ROOT`` elsewhere."""
    return PrivateStorage()
