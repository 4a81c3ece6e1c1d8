"""The demo data loads through the services and only once."""

import io

import pytest

from dumas.demo import seed_demo
from dumas.models import Complaint, ComplaintLocation
from dumas.workflow import ComplaintStatus
from humas_portal.core.models import Role, UnitKind

from ..factories import UserFactory, WorkUnitFactory, grant

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_units():
    office = WorkUnitFactory(code="KK3514", name="Kankemenag Kabupaten Pasuruan", kind=UnitKind.KANKEMENAG)
    kua = WorkUnitFactory(code="KUA351401", name="KUA Bangil", short_name="KUA Bangil", parent=office)
    WorkUnitFactory(code="MAN351401", name="MAN 1 Pasuruan", kind=UnitKind.MAN, parent=office)
    officer = UserFactory(username="petugas_dumas")
    grant(officer, Role.PETUGAS_DUMAS, office)
    return office, kua


def test_the_demo_fills_every_stage_once(demo_units, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    out = io.StringIO()
    seed_demo(out)
    seed_demo(out)
    statuses = sorted(Complaint.objects.values_list("status", flat=True))
    assert statuses == sorted(
        [
            ComplaintStatus.RECEIVED,
            ComplaintStatus.ANSWERED,
            ComplaintStatus.VERIFIED,
            ComplaintStatus.IN_FOLLOW_UP,
            ComplaintStatus.ON_HOLD,
        ]
    )
    assert ComplaintLocation.objects.count() == 3
    assert Complaint.objects.overdue().count() == 1
    assert Complaint.objects.get(status=ComplaintStatus.ANSWERED).attachments.count() == 1
    assert "5 pengaduan contoh" in out.getvalue() and "0 pengaduan contoh" in out.getvalue()


def test_without_an_officer_the_demo_says_so(settings):
    out = io.StringIO()
    seed_demo(out)
    assert "dilewati" in out.getvalue()
    assert not Complaint.objects.exists()
