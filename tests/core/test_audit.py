"""The audit trail: who did what to which object, and that nobody edits it."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from humas_portal.core.audit import audit_record, history_for
from humas_portal.core.models import AuditEntry, Role, RoleAssignment
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_record_names_the_actor_the_object_its_unit_and_the_states(org, people):
    assignment = RoleAssignment.objects.get(user=people.kontributor, role=Role.KONTRIBUTOR)
    entry = audit_record(
        actor=people.verifikator,
        action="return",
        obj=assignment,
        from_state="submitted",
        to_state="returned",
        note="Lengkapi nama narasumber.",
    )
    entry.refresh_from_db()
    assert entry.actor == people.verifikator
    assert entry.object_id == str(assignment.pk)
    assert entry.object_repr == str(assignment)
    # Taken from the object when not given.
    assert entry.unit == org.kua_bangil
    assert (entry.from_state, entry.to_state, entry.note) == (
        "submitted",
        "returned",
        "Lengkapi nama narasumber.",
    )
    assert entry.created_at is not None


def test_system_and_anonymous_actions_have_no_actor(org):
    assert audit_record(actor=None, action="publish", obj=org.kua_bangil).actor is None
    assert audit_record(actor=AnonymousUser(), action="view", obj=org.kua_bangil).actor is None


def test_history_lists_one_objects_entries_oldest_first(org, people):
    first = audit_record(actor=people.kontributor, action="submit", obj=org.kua_bangil)
    audit_record(actor=people.kontributor, action="submit", obj=org.man_pasuruan)
    # Another model's row with the same primary key is another object.
    same_pk_user = UserFactory()
    AuditEntry.objects.filter(pk=audit_record(actor=None, action="x", obj=same_pk_user).pk).update(
        object_id=str(org.kua_bangil.pk)
    )
    second = audit_record(actor=people.verifikator, action="approve", obj=org.kua_bangil, unit=org.pasuruan)
    history = list(history_for(org.kua_bangil))
    assert history == [first, second]
    assert history[1].unit == org.pasuruan


def test_history_loads_actors_without_a_query_per_row(org, people, django_assert_num_queries):
    for _number in range(5):
        audit_record(actor=people.kontributor, action="submit", obj=org.kua_bangil)
    # The content type is cached after its first lookup (done above), so
    # the history is one query: the entries joined with their actors.
    with django_assert_num_queries(1):
        assert [entry.actor.username for entry in history_for(org.kua_bangil)] == ["kontributor"] * 5


@pytest.fixture
def superuser_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def test_the_admin_shows_the_trail_read_only_even_to_a_superuser(org, people, superuser_client):
    entry = audit_record(actor=people.verifikator, action="approve", obj=org.kua_bangil, note="Bagus.")
    changelist = superuser_client.get(reverse("admin:core_auditentry_changelist"))
    assert changelist.status_code == 200
    assert "approve" in changelist.content.decode()

    change_url = reverse("admin:core_auditentry_change", args=[entry.pk])
    assert superuser_client.get(change_url).status_code == 200  # view only
    assert superuser_client.post(change_url, {"action": "changed", "note": "diubah"}).status_code == 403
    delete_url = reverse("admin:core_auditentry_delete", args=[entry.pk])
    assert superuser_client.get(delete_url).status_code == 403
    assert superuser_client.post(delete_url, {"post": "yes"}).status_code == 403
    assert superuser_client.get(reverse("admin:core_auditentry_add")).status_code == 403
    bulk = superuser_client.post(
        reverse("admin:core_auditentry_changelist"),
        {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"},
    )
    assert bulk.status_code in (200, 302)
    entry.refresh_from_db()
    assert (entry.action, entry.note) == ("approve", "Bagus.")
