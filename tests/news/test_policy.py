"""The news desk policy as a matrix of role × action × unit.

Units, seen from the contributor at KUA Bangil: ``own`` is KUA Bangil,
``sibling`` is MAN 1 Pasuruan (same Kankemenag), ``other`` is KUA Sidoarjo
(another Kankemenag). Verifikator and Admin Humas hold their role at
Kankemenag Pasuruan; ``verifikator_lain`` at Kankemenag Sidoarjo.
"""

import pytest

from humas_portal.core.models import Role
from humas_portal.core.workflow import ReviewStatus
from news import policy
from news.models import NewsItem

from ..factories import UserFactory, grant
from .factories import NewsItemFactory

pytestmark = pytest.mark.django_db

ACTIONS = [
    "create",
    "edit",
    "submit",
    "approve",
    "return",
    "reject",
    "unpublish",
    "view",
    "schedule",
    "redraft",
]

# The state an item is in when the action makes sense, so the matrix tests
# the person and the unit, not the workflow.
STATE_FOR_ACTION = {
    "edit": ReviewStatus.DRAFT,
    "submit": ReviewStatus.DRAFT,
    "approve": ReviewStatus.SUBMITTED,
    "return": ReviewStatus.SUBMITTED,
    "reject": ReviewStatus.SUBMITTED,
    "unpublish": ReviewStatus.PUBLISHED,
    "view": ReviewStatus.DRAFT,
    "schedule": ReviewStatus.APPROVED,
    "redraft": ReviewStatus.UNPUBLISHED,
}

# Y = allowed, . = refused; columns in the order of ACTIONS:
#         create edit submit approve return reject unpublish view schedule redraft
EXPECTED = {
    ("kontributor", "own"): "Y Y Y . . . . Y . .",
    ("kontributor", "sibling"): ". . . . . . . . . .",
    ("kontributor", "other"): ". . . . . . . . . .",
    ("verifikator", "own"): ". . . Y Y Y . Y . .",
    ("verifikator", "sibling"): ". . . Y Y Y . Y . .",
    ("verifikator", "other"): ". . . . . . . . . .",
    ("admin_humas", "own"): "Y Y Y . . . Y Y Y Y",
    ("admin_humas", "sibling"): "Y Y Y . . . Y Y Y Y",
    ("admin_humas", "other"): ". . . . . . . . . .",
    ("outsider", "own"): ". . . . . . . . . .",
    ("outsider", "sibling"): ". . . . . . . . . .",
    ("outsider", "other"): ". . . . . . . . . .",
    ("verifikator_lain", "own"): ". . . . . . . . . .",
    ("verifikator_lain", "sibling"): ". . . . . . . . . .",
    ("verifikator_lain", "other"): ". . . Y Y Y . Y . .",
}

CASES = [
    (person, where, action, flags.split()[index] == "Y")
    for (person, where), flags in EXPECTED.items()
    for index, action in enumerate(ACTIONS)
]


def _unit(org, where):
    return {"own": org.kua_bangil, "sibling": org.man_pasuruan, "other": org.kua_sidoarjo}[where]


@pytest.mark.parametrize(("person", "where", "action", "allowed"), CASES)
def test_policy_matrix(org, people, person, where, action, allowed):
    user = getattr(people, person)
    unit = _unit(org, where)
    if action == "create":
        assert policy.can(user, action, unit=unit) is allowed
        return
    item = NewsItemFactory(unit=unit, author=people.kontributor, status=STATE_FOR_ACTION[action])
    assert policy.can(user, action, item=item) is allowed


@pytest.mark.parametrize(
    "status",
    [ReviewStatus.SUBMITTED, ReviewStatus.APPROVED, ReviewStatus.PUBLISHED, ReviewStatus.REJECTED],
)
def test_an_item_out_of_draft_is_locked_for_its_author_and_the_admin(org, people, status):
    item = NewsItemFactory(unit=org.kua_bangil, author=people.kontributor, status=status)
    assert not policy.can(people.kontributor, "edit", item=item)
    assert not policy.can(people.admin_humas, "edit", item=item)
    assert policy.can(people.kontributor, "view", item=item)


def test_a_returned_item_is_editable_again(org, people):
    item = NewsItemFactory(unit=org.kua_bangil, author=people.kontributor, status=ReviewStatus.RETURNED)
    assert policy.can(people.kontributor, "edit", item=item)


def test_a_colleague_in_the_same_unit_may_edit_the_draft(org, people):
    colleague = UserFactory()
    grant(colleague, Role.KONTRIBUTOR, org.kua_bangil)
    item = NewsItemFactory(unit=org.kua_bangil, author=people.kontributor)
    assert policy.can(colleague, "edit", item=item)


def test_pimpinan_reads_but_does_not_act(org):
    head = UserFactory()
    grant(head, Role.PIMPINAN, org.pasuruan)
    item = NewsItemFactory(unit=org.kua_bangil, status=ReviewStatus.SUBMITTED)
    assert policy.can(head, "view", item=item)
    assert policy.available_actions(head, item) == {"view"}


def test_an_inactive_user_may_do_nothing(org, people):
    people.admin_humas.is_active = False
    item = NewsItemFactory(unit=org.kua_bangil)
    assert not policy.can(people.admin_humas, "view", item=item)


def test_an_unknown_action_is_a_programming_error(people):
    with pytest.raises(ValueError, match="Unknown news action"):
        policy.can(people.kontributor, "publish_everything")


def test_without_a_unit_the_question_is_whether_anywhere(people):
    assert policy.can(people.kontributor, "create")
    assert not policy.can(people.verifikator, "create")
    assert policy.can(people.admin_humas, "manage_categories")
    assert not policy.can(people.kontributor, "manage_categories")
    assert not policy.can(people.outsider, "view")


def test_available_actions_combine_person_and_state(org, people):
    draft = NewsItemFactory(unit=org.kua_bangil)
    assert policy.available_actions(people.kontributor, draft) == {"view", "edit", "submit"}
    assert policy.available_actions(people.verifikator, draft) == {"view"}
    submitted = NewsItemFactory(unit=org.kua_bangil, status=ReviewStatus.SUBMITTED)
    assert policy.available_actions(people.kontributor, submitted) == {"view"}
    assert policy.available_actions(people.verifikator, submitted) == {"view", "approve", "return", "reject"}
    approved = NewsItemFactory(unit=org.kua_bangil, status=ReviewStatus.APPROVED)
    assert policy.available_actions(people.admin_humas, approved) == {"view", "schedule", "unpublish"}
    published = NewsItemFactory(unit=org.kua_bangil, published=True)
    assert policy.available_actions(people.admin_humas, published) == {"view", "unpublish"}


def test_named_filters_follow_the_subtree(org, people):
    own = NewsItemFactory(unit=org.kua_bangil, status=ReviewStatus.SUBMITTED)
    sibling = NewsItemFactory(unit=org.man_pasuruan, status=ReviewStatus.SUBMITTED)
    other = NewsItemFactory(unit=org.kua_sidoarjo, status=ReviewStatus.SUBMITTED)
    draft = NewsItemFactory(unit=org.kua_bangil)
    published = NewsItemFactory(unit=org.kua_bangil, published=True)

    def ids(query):
        return set(NewsItem.objects.filter(query).values_list("pk", flat=True))

    assert ids(policy.visible_items(people.kontributor)) == {own.pk, draft.pk, published.pk}
    assert ids(policy.visible_drafts(people.kontributor)) == {own.pk, draft.pk}
    assert ids(policy.review_queue(people.verifikator)) == {own.pk, sibling.pk}
    assert ids(policy.review_queue(people.verifikator_lain)) == {other.pk}
    assert ids(policy.review_queue(people.kontributor)) == set()
    assert ids(policy.visible_items(people.outsider)) == set()
    assert set(policy.editable_units(people.kontributor)) == {org.kua_bangil}
    assert set(policy.editable_units(people.admin_humas)) == {org.pasuruan, org.kua_bangil, org.man_pasuruan}
    assert set(policy.reviewable_units(people.verifikator)) == {
        org.pasuruan,
        org.kua_bangil,
        org.man_pasuruan,
    }


class TestSegregationOfDuties:
    """Nobody approves or schedules an item they wrote, whatever roles they
    hold over its unit; another officer does."""

    @pytest.fixture
    def writer_and_verifier(self, org):
        user = UserFactory(username="kasubbag_yang_menulis")
        grant(user, Role.KONTRIBUTOR, org.kua_bangil)
        grant(user, Role.VERIFIKATOR, org.pasuruan)
        grant(user, Role.ADMIN_HUMAS, org.pasuruan)
        return user

    def test_the_author_may_not_approve_or_schedule_their_own_item(self, org, writer_and_verifier):
        submitted = NewsItemFactory(
            unit=org.kua_bangil, author=writer_and_verifier, status=ReviewStatus.SUBMITTED
        )
        approved = NewsItemFactory(
            unit=org.kua_bangil, author=writer_and_verifier, status=ReviewStatus.APPROVED
        )
        assert not policy.can(writer_and_verifier, "approve", item=submitted)
        assert not policy.can(writer_and_verifier, "schedule", item=approved)
        assert "approve" not in policy.available_actions(writer_and_verifier, submitted)
        assert "schedule" not in policy.available_actions(writer_and_verifier, approved)
        # Returning or rejecting their own item stays open to them.
        assert policy.can(writer_and_verifier, "return", item=submitted)

    def test_the_same_person_approves_and_schedules_what_others_wrote(self, org, people, writer_and_verifier):
        submitted = NewsItemFactory(
            unit=org.kua_bangil, author=people.kontributor, status=ReviewStatus.SUBMITTED
        )
        approved = NewsItemFactory(
            unit=org.kua_bangil, author=people.kontributor, status=ReviewStatus.APPROVED
        )
        assert policy.can(writer_and_verifier, "approve", item=submitted)
        assert policy.can(writer_and_verifier, "schedule", item=approved)

    def test_their_own_item_is_not_in_their_review_queue(self, org, people, writer_and_verifier):
        own = NewsItemFactory(unit=org.kua_bangil, author=writer_and_verifier, status=ReviewStatus.SUBMITTED)
        other = NewsItemFactory(unit=org.kua_bangil, author=people.kontributor, status=ReviewStatus.SUBMITTED)
        queue = set(NewsItem.objects.filter(policy.review_queue(writer_and_verifier)))
        assert other in queue and own not in queue

    def test_the_services_refuse_with_the_reason(self, org, writer_and_verifier):
        from django.core.exceptions import PermissionDenied

        from news import services

        submitted = NewsItemFactory(
            unit=org.kua_bangil, author=writer_and_verifier, status=ReviewStatus.SUBMITTED
        )
        approved = NewsItemFactory(
            unit=org.kua_bangil, author=writer_and_verifier, status=ReviewStatus.APPROVED
        )
        with pytest.raises(PermissionDenied, match="petugas lain"):
            services.news_approve(item=submitted, actor=writer_and_verifier)
        with pytest.raises(PermissionDenied, match="petugas lain"):
            services.news_schedule(item=approved, actor=writer_and_verifier, publish_at=None)
        submitted.refresh_from_db()
        approved.refresh_from_db()
        assert (submitted.status, approved.status) == (ReviewStatus.SUBMITTED, ReviewStatus.APPROVED)
