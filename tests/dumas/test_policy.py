"""Who may do what with complaints, as a matrix of person × action × complaint."""

import pytest
from django.contrib.auth.models import AnonymousUser

from dumas import policy
from dumas.models import Complaint
from dumas.workflow import ComplaintAction, ComplaintKind, ComplaintStatus, IdentityMode, Violation

from .factories import ComplaintFactory

pytestmark = pytest.mark.django_db

PEOPLE = [
    "petugas",
    "petugas_kua",
    "petugas_kanwil",
    "petugas_lain",
    "pimpinan",
    "pimpinan_kua",
    "admin_humas",
    "kontributor",
    "outsider",
    "anonymous",
]


@pytest.fixture
def complaints(org):
    return {
        # A confidential complaint about KUA Bangil.
        "rahasia": ComplaintFactory(unit=org.kua_bangil),
        "terbuka": ComplaintFactory(unit=org.kua_bangil, identity_mode=IdentityMode.IDENTIFIED),
        "anonim": ComplaintFactory(
            unit=org.kua_bangil,
            identity_mode=IdentityMode.ANONYMOUS,
            reporter_name="",
            reporter_email="",
            reporter_phone="",
        ),
        # Pungli reported at KUA Bangil: for the Kankemenag's officers only.
        "wbs": ComplaintFactory(
            unit=org.kua_bangil, kind=ComplaintKind.WHISTLEBLOWING, violation=Violation.PUNGLI
        ),
        "sidoarjo": ComplaintFactory(unit=org.kua_sidoarjo),
    }


def who(dumas_people, name):
    return AnonymousUser() if name == "anonymous" else getattr(dumas_people, name)


def row(allowed: set[str]) -> dict[str, bool]:
    return {name: name in allowed for name in PEOPLE}


OFFICERS_BANGIL = {"petugas", "petugas_kua", "petugas_kanwil"}
READERS_BANGIL = {"pimpinan", "pimpinan_kua", "admin_humas"}
OFFICE_OFFICERS = {"petugas", "petugas_kanwil"}

VIEW = {
    "rahasia": OFFICERS_BANGIL | READERS_BANGIL,
    "terbuka": OFFICERS_BANGIL | READERS_BANGIL,
    "anonim": OFFICERS_BANGIL | READERS_BANGIL,
    "wbs": OFFICE_OFFICERS,
    "sidoarjo": {"petugas_lain", "petugas_kanwil"},
}
IDENTITY = {
    "rahasia": OFFICERS_BANGIL,
    "terbuka": OFFICERS_BANGIL | READERS_BANGIL,
    "anonim": set(),
    "wbs": OFFICE_OFFICERS,
    "sidoarjo": {"petugas_lain", "petugas_kanwil"},
}
HANDLE = {
    "rahasia": OFFICERS_BANGIL,
    "terbuka": OFFICERS_BANGIL,
    "anonim": OFFICERS_BANGIL,
    "wbs": OFFICE_OFFICERS,
    "sidoarjo": {"petugas_lain", "petugas_kanwil"},
}


@pytest.mark.parametrize("complaint_name", list(VIEW))
def test_who_sees_the_complaint(complaints, dumas_people, complaint_name):
    complaint = complaints[complaint_name]
    actual = {name: policy.can_view(who(dumas_people, name), complaint) for name in PEOPLE}
    assert actual == row(VIEW[complaint_name])


@pytest.mark.parametrize("complaint_name", list(IDENTITY))
def test_who_sees_the_complainant(complaints, dumas_people, complaint_name):
    complaint = complaints[complaint_name]
    actual = {name: policy.can_view_identity(who(dumas_people, name), complaint) for name in PEOPLE}
    assert actual == row(IDENTITY[complaint_name])


@pytest.mark.parametrize("complaint_name", list(HANDLE))
@pytest.mark.parametrize("action", [*ComplaintAction.values, policy.ASSIGN])
def test_who_handles_the_complaint(complaints, dumas_people, complaint_name, action):
    complaint = complaints[complaint_name]
    actual = {name: policy.can_act(who(dumas_people, name), complaint, action) for name in PEOPLE}
    assert actual == row(HANDLE[complaint_name])


def test_the_list_filter_agrees_with_the_detail_check(complaints, dumas_people):
    """The queue (a query) and the detail page (a check) never disagree."""
    for name in PEOPLE:
        user = who(dumas_people, name)
        listed = set(Complaint.objects.filter(policy.visible_filter(user)).values_list("pk", flat=True))
        expected = {c.pk for c in complaints.values() if policy.can_view(user, c)}
        assert listed == expected, name


def test_an_assignee_sees_and_reports_but_neither_handles_nor_sees_a_secret_identity(
    complaints, dumas_people
):
    complaint = complaints["rahasia"]
    complaint.assignee = dumas_people.kontributor
    complaint.status = ComplaintStatus.IN_FOLLOW_UP
    complaint.save()
    person = dumas_people.kontributor
    assert policy.can_view(person, complaint)
    assert policy.can_act(person, complaint, policy.REPORT)
    assert not policy.can_act(person, complaint, ComplaintAction.VERIFY)
    assert not policy.can_view_identity(person, complaint)
    assert complaint in policy.visible_complaints(person)
    complaint.status = ComplaintStatus.ANSWERED
    assert not policy.can_act(person, complaint, policy.REPORT)


def test_an_officer_of_the_assigned_unit_joins_the_officers(org, complaints, dumas_people):
    complaint = complaints["rahasia"]
    complaint.assigned_unit = org.kua_sidoarjo
    complaint.save()
    assert policy.can_view_identity(dumas_people.petugas_lain, complaint)
    assert policy.can_act(dumas_people.petugas_lain, complaint, ComplaintAction.ANSWER)


def test_whistleblowing_goes_only_to_officers_of_the_office(org, complaints, dumas_people):
    complaint = complaints["wbs"]
    assert list(policy.assignment_units(complaint)) == [org.pasuruan]
    people = set(policy.assignable_people(complaint))
    assert people == {dumas_people.petugas, dumas_people.petugas_kanwil}
    ordinary = set(policy.assignable_people(complaints["rahasia"]))
    assert {dumas_people.petugas_kua, dumas_people.pimpinan_kua, dumas_people.kontributor} <= ordinary
    assert dumas_people.petugas_lain not in ordinary


@pytest.mark.parametrize(
    ("name", "record", "locations", "recap"),
    [
        ("petugas", True, True, True),
        ("petugas_kua", True, True, True),
        ("petugas_kanwil", True, True, True),
        ("petugas_lain", False, False, True),
        ("pimpinan", False, False, True),
        ("pimpinan_kua", False, False, True),
        ("admin_humas", False, True, True),
        ("kontributor", False, False, False),
        ("outsider", False, False, False),
        ("anonymous", False, False, False),
    ],
)
def test_recording_locations_and_recap_at_kua_bangil(org, dumas_people, name, record, locations, recap):
    user = who(dumas_people, name)
    assert policy.can_record(user, org.kua_bangil) is record
    assert policy.can_manage_locations(user, org.kua_bangil) is locations
    assert policy.can_view_recap(user) is recap
