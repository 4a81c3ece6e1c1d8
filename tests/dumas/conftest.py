"""Dumas fixtures: the complaint officers and readers around the shared
``org``, and a test client with its own address.

- ``petugas``: Petugas Dumas at Kankemenag Pasuruan (covers KUA Bangil, MAN)
- ``petugas_kua``: Petugas Dumas at KUA Bangil only
- ``petugas_kanwil``: Petugas Dumas at the Kanwil (covers everything)
- ``petugas_lain``: Petugas Dumas at Kankemenag Sidoarjo (no access)
- ``pimpinan``: Pimpinan of Kankemenag Pasuruan
- ``pimpinan_kua``: Pimpinan (Kepala) of KUA Bangil
- ``admin_humas``: Admin Humas of Kankemenag Pasuruan (from ``people``)
- ``kontributor``: Kontributor at KUA Bangil (from ``people``)
- ``outsider``: signed in, no role
"""

import ipaddress
import secrets
from types import SimpleNamespace

import pytest
from django.test import Client

from humas_portal.core.models import Role

from ..helpers import named_user


@pytest.fixture
def dumas_people(org, people):
    return SimpleNamespace(
        petugas=named_user("petugas", Role.PETUGAS_DUMAS, org.pasuruan),
        petugas_kua=named_user("petugas_kua", Role.PETUGAS_DUMAS, org.kua_bangil),
        petugas_kanwil=named_user("petugas_kanwil", Role.PETUGAS_DUMAS, org.kanwil),
        petugas_lain=named_user("petugas_lain", Role.PETUGAS_DUMAS, org.sidoarjo),
        pimpinan=named_user("pimpinan", Role.PIMPINAN, org.pasuruan),
        pimpinan_kua=named_user("pimpinan_kua", Role.PIMPINAN, org.kua_bangil),
        admin_humas=people.admin_humas,
        kontributor=people.kontributor,
        outsider=people.outsider,
    )


def random_address() -> str:
    return str(ipaddress.IPv4Address(0xC6120000 + secrets.randbelow(0x20000)))  # 198.18.0.0/15


@pytest.fixture
def client():
    # Rate-limit counters live in the shared Redis and outlive a test; a
    # fresh client address per test keeps tests from sharing a budget.
    return Client(REMOTE_ADDR=random_address())


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.PRIVATE_MEDIA_ROOT
