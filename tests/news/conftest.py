"""Fixtures shared by the news tests."""

import pytest

from humas_portal.core.models import UnitKind, UnitTimeZone
from tests.factories import WorkUnitFactory


@pytest.fixture
def wita_unit(org):
    """A KUA in WITA (UTC+8), under a Kankemenag of its own."""
    office = WorkUnitFactory(
        name="Kankemenag Kota Makassar",
        kind=UnitKind.KANKEMENAG,
        timezone=UnitTimeZone.WITA,
        parent=org.kanwil,
    )
    unit = WorkUnitFactory(
        name="KUA Kecamatan Tamalate", kind=UnitKind.KUA, timezone=UnitTimeZone.WITA, parent=office
    )
    unit.refresh_from_db()
    return unit
