"""Monitoring people on top of the shared ``org`` and ``people``:

- ``pimpinan``: Pimpinan of Kankemenag Pasuruan
- ``pimpinan_kanwil``: Pimpinan of the Kanwil (covers both Kankemenag)
- ``pimpinan_dua``: Pimpinan at Pasuruan and at Sidoarjo (picks an office)
- ``ppid``: PPID officer at Pasuruan (no access to monitoring)
- ``verifikator``, ``admin_humas``, ``kontributor``, ``outsider`` and
  ``verifikator_lain`` come from ``people``.

Time is frozen on Wednesday 18 June 2025, 10:00 WIB.
"""

from datetime import date, datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
import time_machine

from dumas.workflow import ComplaintKind, ComplaintStatus
from humas_portal.core.models import Role, UnitKind
from humas_portal.core.workflow import ReviewStatus
from news.models import PriorityProgram as P
from ppid.models import RequestStatus
from socialmedia.models import DeliveryState, Platform
from tests.factories import UserFactory, WorkUnitFactory, grant

from .factories import NewsFactory, complaint, decided, ppid_request, published, social_post

WIB = ZoneInfo("Asia/Jakarta")
NOW = datetime(2025, 6, 18, 10, 0, tzinfo=WIB)


@pytest.fixture(autouse=True)
def private_files(settings, tmp_path):
    """Each test keeps its exports in a folder of its own, so no file from
    another test (or an earlier run) is mistaken for one of its own."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return settings.PRIVATE_MEDIA_ROOT


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


def wib(*args) -> datetime:
    return datetime(*args, tzinfo=WIB)


@pytest.fixture
def scene(org, frozen):
    """Pasuruan with five units and known work; Sidoarjo's work must never
    show on Pasuruan's dashboard. ``NOW`` is 18 June 2025, 10:00 WIB, so the
    twelve months run from July 2024 (index 0) to June 2025 (index 11)."""
    kua_beji = WorkUnitFactory(name="KUA Kecamatan Beji", kind=UnitKind.KUA, parent=org.pasuruan)
    mtsn = WorkUnitFactory(name="MTsN 2 Pasuruan", kind=UnitKind.MTSN, parent=org.pasuruan)
    bangil, man = org.kua_bangil, org.man_pasuruan

    # News published (and some that must not count).
    published(bangil, wib(2025, 6, 2, 9), P.HAJI_UMRAH)
    published(bangil, wib(2025, 6, 17, 23, 30), P.KERUKUNAN)
    published(bangil, wib(2024, 7, 1, 0, 30), P.MODERASI)  # 30 June 17:30 UTC: July in WIB
    published(bangil, wib(2024, 6, 30, 23, 0), P.MODERASI)  # before the twelve months
    NewsFactory(unit=bangil, status=ReviewStatus.DRAFT, published_at=None)
    NewsFactory(unit=bangil, status=ReviewStatus.UNPUBLISHED, published_at=wib(2025, 5, 5, 9))
    published(man, wib(2025, 3, 12, 8), P.HAJI_UMRAH)
    published(man, wib(2025, 4, 20, 8), "")
    published(kua_beji, wib(2025, 6, 11, 0, 30), P.HAJI_UMRAH)  # 10 June 17:30 UTC: 7 days ago in WIB
    published(mtsn, wib(2025, 6, 10, 15), P.KERUKUNAN)  # 8 days ago
    published(org.kua_sidoarjo, wib(2025, 6, 10, 9), P.PRODUK_HALAL)

    # Social posts.
    social_post(bangil, wib(2025, 6, 10, 9), platforms=(Platform.FACEBOOK, Platform.INSTAGRAM))
    social_post(bangil, wib(2025, 6, 15, 9), platforms=(Platform.X,), state=DeliveryState.FAILED)
    social_post(bangil, wib(2023, 5, 1, 9))
    social_post(man, wib(2025, 6, 17, 8), platforms=(Platform.YOUTUBE,))
    social_post(org.kua_sidoarjo, wib(2025, 6, 12, 8), platforms=(Platform.TIKTOK,))

    # Approval times: Bangil 2, 4 and 12 hours; MAN 10 and 20 hours.
    for hours in (2, 4, 12):
        decided(bangil, wib(2025, 5, 6, 8), hours)
    for hours in (10, 20):
        decided(man, wib(2025, 2, 3, 8), hours, status=ReviewStatus.RETURNED)
    decided(bangil, wib(2024, 6, 1, 8), 100)  # decided before the twelve months
    # Returned, then submitted again and waiting: left out until decided.
    NewsFactory(
        unit=bangil,
        status=ReviewStatus.SUBMITTED,
        published_at=None,
        submitted_at=wib(2025, 6, 16, 8),
        decided_at=wib(2025, 6, 10, 8),
    )
    decided(org.kua_sidoarjo, wib(2025, 5, 6, 8), 300)

    # PPID requests at the office (its PPID unit); today is 18 June.
    ppid_request(org.pasuruan, received_on=date(2025, 6, 6), due_on=date(2025, 6, 20))
    ppid_request(org.pasuruan, received_on=date(2025, 6, 3), due_on=date(2025, 6, 17))
    ppid_request(
        org.pasuruan,
        received_on=date(2025, 5, 27),
        due_on=date(2025, 6, 10),
        extended_due_on=date(2025, 6, 25),
        status=RequestStatus.EXTENDED,
    )
    ppid_request(
        org.pasuruan,
        received_on=date(2025, 5, 22),
        due_on=date(2025, 6, 5),
        extended_due_on=date(2025, 6, 16),
        status=RequestStatus.EXTENDED,
    )
    ppid_request(
        org.pasuruan,
        received_on=date(2025, 5, 19),
        due_on=date(2025, 6, 1),
        status=RequestStatus.ANSWERED,
        decided_on=date(2025, 6, 2),
    )
    ppid_request(org.sidoarjo, received_on=date(2025, 5, 1), due_on=date(2025, 5, 15))

    # Dumas complaints.
    complaint(bangil, verify_due=date(2025, 6, 17))
    complaint(
        bangil,
        status=ComplaintStatus.VERIFIED,
        verify_due=date(2025, 6, 1),
        follow_up_due=date(2025, 6, 30),
    )
    complaint(
        bangil, status=ComplaintStatus.IN_FOLLOW_UP, verify_due=date(2025, 4, 1), finish_due=date(2025, 6, 1)
    )
    complaint(bangil, status=ComplaintStatus.ON_HOLD, verify_due=date(2025, 6, 1))
    complaint(bangil, status=ComplaintStatus.CLOSED, verify_due=date(2025, 6, 1))
    complaint(bangil, verify_due=date(2025, 6, 1), kind=ComplaintKind.WHISTLEBLOWING)
    complaint(man, verify_due=date(2025, 6, 20))
    complaint(org.kua_sidoarjo, verify_due=date(2025, 6, 1))

    return SimpleNamespace(
        office=org.pasuruan, bangil=bangil, man=man, kua_beji=kua_beji, mtsn=mtsn, sidoarjo=org.kua_sidoarjo
    )
