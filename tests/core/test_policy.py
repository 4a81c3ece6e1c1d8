import pytest

from humas_portal.core import policy
from humas_portal.core.models import Role, WorkUnit

pytestmark = pytest.mark.django_db


def test_a_role_at_an_office_covers_the_units_under_it(org, people):
    assert policy.has_role(people.verifikator, Role.VERIFIKATOR, org.kua_bangil)
    assert policy.has_role(people.verifikator, Role.VERIFIKATOR, org.pasuruan)
    assert not policy.has_role(people.verifikator, Role.VERIFIKATOR, org.kua_sidoarjo)
    assert not policy.has_role(people.verifikator, Role.VERIFIKATOR, org.kanwil)


def test_a_role_at_a_satker_does_not_cover_its_siblings(org, people):
    assert policy.has_role(people.kontributor, Role.KONTRIBUTOR, org.kua_bangil)
    assert not policy.has_role(people.kontributor, Role.KONTRIBUTOR, org.man_pasuruan)


def test_units_for_lists_the_covered_subtree(org, people):
    units = set(policy.units_for(people.verifikator, Role.VERIFIKATOR))
    assert units == {org.pasuruan, org.kua_bangil, org.man_pasuruan}
    assert not policy.units_for(people.outsider, Role.VERIFIKATOR).exists()


def test_users_with_role_finds_verifiers_above_a_satker(org, people):
    assert list(policy.users_with_role(Role.VERIFIKATOR, org.kua_bangil)) == [people.verifikator]


def test_moving_a_unit_moves_its_subtree(org):
    org.pasuruan.parent = None
    org.pasuruan.save()
    org.kua_bangil.refresh_from_db()
    assert org.kua_bangil.path == f"/{org.pasuruan.pk}/{org.kua_bangil.pk}/"
    assert set(WorkUnit.objects.under(org.kanwil)) == {org.kanwil, org.sidoarjo, org.kua_sidoarjo}


def test_roles_in_an_inactive_unit_do_not_count(org, people):
    org.pasuruan.is_active = False
    org.pasuruan.save()
    policy.forget_roles(people.verifikator)
    assert not policy.has_role(people.verifikator, Role.VERIFIKATOR, org.kua_bangil)
