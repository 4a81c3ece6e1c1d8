"""Who may do what, as a matrix of person × action × unit.

The request sits at Kankemenag Pasuruan (a PPID unit) or at KUA Bangil (a
satker whose PPID is the Kankemenag). Handling follows the portal's rule that
an office's role covers the units below it; identity data and objection
decisions stay with the unit's own PPID and Atasan PPID."""

import pytest
from django.contrib.auth.models import AnonymousUser

from ppid import policy, services
from ppid.models import Objection

from .factories import submit_request

pytestmark = pytest.mark.django_db

ACTIONS = (
    "manage_unit",
    "handle",
    "identity",
    "decide_objection",
    "view_request",
    "view_report",
    "publish_report",
)

# fmt: off
MATRIX = {
    # person:           manage handle identity decide view  report publish
    "ppid":            (True,  True,  True,    False, True,  True,  True),
    "ppid_kanwil":     (True,  True,  False,   False, True,  True,  True),
    "ppid_lain":       (False, False, False,   False, False, False, False),
    "atasan":          (False, False, False,   True,  True,  True,  False),
    "atasan_kanwil":   (False, False, False,   False, False, True,  False),
    "pimpinan":        (False, False, False,   False, False, True,  False),
    "kontributor":     (False, False, False,   False, False, False, False),
    "outsider":        (False, False, False,   False, False, False, False),
    "anonymous":       (False, False, False,   False, False, False, False),
}
# fmt: on


def answers(user, ppid_request, objection):
    unit = ppid_request.unit
    return (
        policy.can_manage_unit(user, unit),
        policy.can_handle_request(user, ppid_request),
        policy.can_view_identity(user, ppid_request),
        policy.can_decide_objection(user, objection),
        policy.can_view_request(user, ppid_request),
        policy.can_view_report(user, unit),
        policy.can_publish_report(user, unit),
    )


def with_objection(ppid_request):
    objection = Objection.objects.create(
        request=ppid_request,
        registration_number=f"{ppid_request.unit.code}/KEB/2026/{ppid_request.pk:04d}",
        grounds=["c"],
        reasons="Belum dijawab",
        filed_on=ppid_request.received_on,
        due_on=ppid_request.due_on,
    )
    ppid_request.refresh_from_db()
    return objection


def person(ppid_people, name):
    return AnonymousUser() if name == "anonymous" else getattr(ppid_people, name)


@pytest.mark.parametrize("name", list(MATRIX))
def test_matrix_for_a_request_at_the_kankemenag(name, org, ppid_people):
    ppid_request = submit_request(org.pasuruan).request
    objection = with_objection(ppid_request)
    got = dict(zip(ACTIONS, answers(person(ppid_people, name), ppid_request, objection), strict=True))
    assert got == dict(zip(ACTIONS, MATRIX[name], strict=True))


# At a satker the Kankemenag is the unit's own PPID: its PPID sees identity
# data and its head decides objections; the Kanwil still only coordinates.
# fmt: off
SATKER_MATRIX = {
    "ppid":            (True,  True,  True,    False, True,  True,  True),
    "ppid_kanwil":     (True,  True,  False,   False, True,  True,  True),
    "ppid_lain":       (False, False, False,   False, False, False, False),
    "atasan":          (False, False, False,   True,  True,  True,  False),
    "atasan_kanwil":   (False, False, False,   False, False, True,  False),
    "outsider":        (False, False, False,   False, False, False, False),
}
# fmt: on


@pytest.mark.parametrize("name", list(SATKER_MATRIX))
def test_matrix_for_a_request_at_a_satker_under_the_kankemenag(name, org, ppid_people):
    ppid_request = submit_request(org.kua_bangil).request
    objection = with_objection(ppid_request)
    got = dict(zip(ACTIONS, answers(person(ppid_people, name), ppid_request, objection), strict=True))
    assert got == dict(zip(ACTIONS, SATKER_MATRIX[name], strict=True))


def test_services_refuse_people_the_policy_refuses(org, ppid_people):
    from django.core.exceptions import PermissionDenied

    ppid_request = submit_request(org.pasuruan).request
    with pytest.raises(PermissionDenied):
        services.ppid_request_extend(
            request=ppid_request, actor=ppid_people.ppid_lain, reason="Bukan unit saya"
        )
    with pytest.raises(PermissionDenied):
        services.ppid_request_answer(
            request=ppid_request, actor=ppid_people.atasan, decision="tidak_dikuasai", holder_info="x"
        )
    with pytest.raises(PermissionDenied):
        services.ppid_identity_reveal(request=ppid_request, actor=ppid_people.ppid_kanwil)
    objection = with_objection(ppid_request)
    with pytest.raises(PermissionDenied):
        services.ppid_objection_answer(
            objection=objection,
            actor=ppid_people.ppid,
            outcome="ditolak",
            answer="PPID tidak memutus keberatan",
        )
    with pytest.raises(PermissionDenied):
        services.ppid_objection_answer(
            objection=objection, actor=ppid_people.atasan_kanwil, outcome="ditolak", answer="Bukan atasannya"
        )


def test_objection_queue_filter_matches_the_policy(org, ppid_people):
    here = with_objection(submit_request(org.pasuruan).request)
    satker = with_objection(submit_request(org.kua_bangil).request)
    elsewhere = with_objection(submit_request(org.sidoarjo).request)
    mine = set(Objection.objects.filter(policy.objection_filter(ppid_people.atasan)))
    assert mine == {here, satker}
    assert elsewhere not in set(Objection.objects.filter(policy.objection_filter(ppid_people.atasan_kanwil)))
    assert not Objection.objects.filter(policy.objection_filter(ppid_people.outsider)).exists()
