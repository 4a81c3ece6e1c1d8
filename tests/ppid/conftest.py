"""PPID people on top of the shared ``org``: the PPID and Atasan PPID of
Kankemenag Pasuruan, the PPID of the Kanwil above it and of the sibling
Kankemenag Sidoarjo, and the Kanwil's Atasan."""

from types import SimpleNamespace

import pytest

from humas_portal.core import workdays
from humas_portal.core.models import Role
from tests.helpers import named_user


@pytest.fixture(autouse=True)
def relaxed_form_guard(settings):
    """Tests post forms at once and many times from one address; the tests
    of the limits themselves set their own numbers."""
    settings.PPID_FORM_MIN_SECONDS = 0
    settings.PPID_SUBMISSIONS_PER_HOUR = 10_000
    settings.PPID_SUBMISSIONS_SOFT_LIMIT = 10_000


@pytest.fixture(autouse=True)
def fresh_calendar(db):
    workdays.invalidate_overrides()
    yield
    workdays.invalidate_overrides()


@pytest.fixture
def ppid_people(org, people):
    return SimpleNamespace(
        ppid=named_user("ppid_pasuruan", Role.PPID, org.pasuruan),
        ppid_kanwil=named_user("ppid_kanwil", Role.PPID, org.kanwil),
        ppid_lain=named_user("ppid_sidoarjo", Role.PPID, org.sidoarjo),
        atasan=named_user("atasan_pasuruan", Role.ATASAN_PPID, org.pasuruan),
        atasan_kanwil=named_user("atasan_kanwil", Role.ATASAN_PPID, org.kanwil),
        pimpinan=named_user("pimpinan_pasuruan", Role.PIMPINAN, org.pasuruan),
        kontributor=people.kontributor,
        outsider=people.outsider,
    )
