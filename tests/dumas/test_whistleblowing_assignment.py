"""A whistleblowing report is never assigned to someone of the unit it is
about: the choice list on the desk leaves them out, and the assignment
service refuses them even when the form is bypassed."""

import re

import pytest
from django.urls import reverse

from dumas import policy, services
from dumas.workflow import ComplaintKind, Violation
from humas_portal.core.models import Role
from humas_portal.core.workflow import WorkflowError

from ..factories import grant
from ..helpers import named_user
from .factories import ComplaintFactory

pytestmark = pytest.mark.django_db


def whistleblowing(unit):
    return ComplaintFactory(unit=unit, kind=ComplaintKind.WHISTLEBLOWING, violation=Violation.PUNGLI)


@pytest.fixture
def double_hat(org):
    """A Petugas Dumas of Kankemenag Pasuruan who also writes the news of
    KUA Bangil: an officer of the office, and one of the KUA's people."""
    user = named_user("petugas_merangkap", Role.PETUGAS_DUMAS, org.pasuruan)
    grant(user, Role.KONTRIBUTOR, org.kua_bangil)
    return user


def assignee_choices(html: str) -> set[str]:
    select = re.search(r'<select name="assignee".*?</select>', html, flags=re.S).group(0)
    return {value for value in re.findall(r'<option value="(\d+)"', select)}


def unit_choices(html: str) -> set[str]:
    select = re.search(r'<select name="unit".*?</select>', html, flags=re.S).group(0)
    return {value for value in re.findall(r'<option value="(\d+)"', select)}


class TestPolicy:
    def test_an_officer_who_also_holds_a_role_at_the_reported_unit_is_left_out(
        self, org, dumas_people, double_hat
    ):
        people = set(policy.assignable_people(whistleblowing(org.kua_bangil)))
        assert double_hat not in people
        assert people == {dumas_people.petugas, dumas_people.petugas_kanwil}

    def test_the_same_officer_may_take_a_report_about_another_unit(self, org, dumas_people, double_hat):
        assert double_hat in set(policy.assignable_people(whistleblowing(org.man_pasuruan)))
        # An ordinary complaint about the KUA may go to its own people.
        assert double_hat in set(policy.assignable_people(ComplaintFactory(unit=org.kua_bangil)))

    def test_a_report_about_the_office_itself_goes_above_it(self, org, dumas_people):
        complaint = whistleblowing(org.pasuruan)
        assert set(policy.assignable_people(complaint)) == {dumas_people.petugas_kanwil}
        assert list(policy.assignment_units(complaint)) == []

    def test_a_report_about_a_satker_may_still_go_to_the_office(self, org, dumas_people):
        assert list(policy.assignment_units(whistleblowing(org.kua_bangil))) == [org.pasuruan]


class TestService:
    def test_assigning_someone_of_the_reported_unit_is_refused(self, org, dumas_people, double_hat):
        complaint = whistleblowing(org.kua_bangil)
        with pytest.raises(WorkflowError):
            services.complaint_assign(complaint=complaint, actor=dumas_people.petugas, assignee=double_hat)
        complaint.refresh_from_db()
        assert complaint.assignee is None

    def test_a_report_about_the_office_is_not_assigned_to_its_officers_or_to_it(self, org, dumas_people):
        complaint = whistleblowing(org.pasuruan)
        with pytest.raises(WorkflowError):
            services.complaint_assign(
                complaint=complaint, actor=dumas_people.petugas_kanwil, assignee=dumas_people.petugas
            )
        with pytest.raises(WorkflowError):
            services.complaint_assign(
                complaint=complaint, actor=dumas_people.petugas_kanwil, unit=org.pasuruan
            )
        complaint = services.complaint_assign(
            complaint=complaint, actor=dumas_people.petugas_kanwil, assignee=dumas_people.petugas_kanwil
        )
        assert complaint.assignee == dumas_people.petugas_kanwil


class TestDesk:
    def test_the_choice_list_leaves_out_people_of_the_reported_unit(
        self, client, org, dumas_people, double_hat
    ):
        complaint = whistleblowing(org.kua_bangil)
        client.force_login(dumas_people.petugas)
        page = client.get(complaint.get_absolute_url()).content.decode()
        assert assignee_choices(page) == {str(dumas_people.petugas.pk), str(dumas_people.petugas_kanwil.pk)}
        assert unit_choices(page) == {str(org.pasuruan.pk)}

    def test_posting_someone_of_the_reported_unit_assigns_nobody(self, client, org, dumas_people, double_hat):
        complaint = whistleblowing(org.kua_bangil)
        client.force_login(dumas_people.petugas)
        response = client.post(
            reverse("dumas:assign", kwargs={"pk": complaint.pk}), {"assignee": double_hat.pk}
        )
        assert response.status_code == 302
        complaint.refresh_from_db()
        assert complaint.assignee is None
