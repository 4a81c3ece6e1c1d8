"""The monitoring policy as a matrix of person × action × office."""

import pytest

from monitoring import policy

pytestmark = pytest.mark.django_db

VIEW, BOARD, EXPORT, DOWNLOAD = (
    policy.VIEW_DASHBOARD,
    policy.VIEW_LEADERBOARD,
    policy.REQUEST_EXPORT,
    policy.DOWNLOAD_EXPORT,
)

# person → {office: set of allowed actions}; every pair not listed is refused.
MATRIX = {
    "pimpinan": {"pasuruan": {VIEW, BOARD, EXPORT, DOWNLOAD}, "kua_bangil": {VIEW, BOARD, EXPORT, DOWNLOAD}},
    "admin_humas": {
        "pasuruan": {VIEW, BOARD, EXPORT, DOWNLOAD},
        "kua_bangil": {VIEW, BOARD, EXPORT, DOWNLOAD},
    },
    "verifikator": {"pasuruan": {VIEW, BOARD}, "kua_bangil": {VIEW, BOARD}},
    "verifikator_lain": {"sidoarjo": {VIEW, BOARD}},
    "pimpinan_kanwil": {
        "kanwil": {VIEW, BOARD, EXPORT, DOWNLOAD},
        "pasuruan": {VIEW, BOARD, EXPORT, DOWNLOAD},
        "sidoarjo": {VIEW, BOARD, EXPORT, DOWNLOAD},
        "kua_bangil": {VIEW, BOARD, EXPORT, DOWNLOAD},
    },
    "pimpinan_dua": {
        "pasuruan": {VIEW, BOARD, EXPORT, DOWNLOAD},
        "sidoarjo": {VIEW, BOARD, EXPORT, DOWNLOAD},
        "kua_bangil": {VIEW, BOARD, EXPORT, DOWNLOAD},
    },
    "kontributor": {},
    "ppid": {},
    "outsider": {},
}
OFFICES = ("kanwil", "pasuruan", "kua_bangil", "sidoarjo")


@pytest.mark.parametrize("person", sorted(MATRIX))
@pytest.mark.parametrize("action", sorted(policy.ACTIONS))
@pytest.mark.parametrize("office", OFFICES)
def test_matrix(mon, org, person, action, office):
    """Each person may act exactly where their role covers the office."""
    user = getattr(mon, person)
    expected = action in MATRIX[person].get(office, set())
    assert policy.can(user, action, getattr(org, office)) is expected


def test_inactive_office_is_refused(mon, org):
    """A closed-down unit has no dashboard, whoever asks."""
    org.pasuruan.is_active = False
    org.pasuruan.save()
    assert not policy.can(mon.pimpinan, VIEW, org.pasuruan)


def test_anonymous_and_inactive_users_are_refused(mon, org):
    from django.contrib.auth.models import AnonymousUser

    assert not policy.can(AnonymousUser(), VIEW, org.pasuruan)
    mon.pimpinan.is_active = False
    assert not policy.can(mon.pimpinan, VIEW, org.pasuruan)


def test_offices_to_choose_from(mon, org):
    """The picker lists the offices a person covers and the units where they
    hold the role themselves, never a satker reached only through an office."""
    names = lambda user, action=VIEW: [u.slug for u in policy.offices_for(user, action)]  # noqa: E731
    assert names(mon.pimpinan) == ["kemenag-pasuruan"]
    # Siblings follow their ids in the materialised path, compared as text
    # ("/7/10/" before "/7/9/"), so only the hierarchy's order is pinned.
    assert sorted(names(mon.pimpinan_dua)) == ["kemenag-pasuruan", "kemenag-sidoarjo"]
    kanwil_first = names(mon.pimpinan_kanwil)
    assert kanwil_first[0] == "kanwil-jatim"
    assert sorted(kanwil_first[1:]) == ["kemenag-pasuruan", "kemenag-sidoarjo"]
    assert names(mon.verifikator, EXPORT) == []
    assert names(mon.kontributor) == []
    assert names(mon.outsider) == []


def test_unknown_action_is_a_bug(mon, org):
    with pytest.raises(ValueError):
        policy.can(mon.pimpinan, "delete_everything", org.pasuruan)
