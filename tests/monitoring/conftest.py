"""Monitoring people on top of the shared ``org`` and ``people``:

- ``pimpinan``: Pimpinan of Kankemenag Pasuruan
- ``pimpinan_kanwil``: Pimpinan of the Kanwil (covers both Kankemenag)
- ``pimpinan_dua``: Pimpinan at Pasuruan and at Sidoarjo (picks an office)
- ``ppid``: PPID officer at Pasuruan (no access to monitoring)
- ``verifikator``, ``admin_humas``, ``kontributor``, ``outsider`` and
  ``verifikator_lain`` come from ``people``.

Time is frozen on Wednesday 18 June 2025, 10:00 WIB.
"""

from datetime import datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
import time_machine

from humas_portal.core.models import Role
from tests.factories import UserFactory, grant

WIB = ZoneInfo("Asia/Jakarta")
NOW = datetime(2025, 6, 18, 10, 0, tzinfo=WIB)


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def mon(org, people):
    def person(username, *grants):
        user = UserFactory(username=username, full_name=username.replace("_", " ").title())
        for role, unit in grants:
            grant(user, role, unit)
        return user

    return SimpleNamespace(
        pimpinan=person("pimpinan", (Role.PIMPINAN, org.pasuruan)),
        pimpinan_kanwil=person("pimpinan_kanwil", (Role.PIMPINAN, org.kanwil)),
        pimpinan_dua=person("pimpinan_dua", (Role.PIMPINAN, org.pasuruan), (Role.PIMPINAN, org.sidoarjo)),
        ppid=person("ppid_pasuruan", (Role.PPID, org.pasuruan)),
        verifikator=people.verifikator,
        verifikator_lain=people.verifikator_lain,
        admin_humas=people.admin_humas,
        kontributor=people.kontributor,
        outsider=people.outsider,
    )
