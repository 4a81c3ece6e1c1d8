"""Who may do what with social posts and accounts: role × action × unit."""

import pytest

from humas_portal.core.models import Role
from humas_portal.core.workflow import ReviewAction, ReviewStatus
from socialmedia import policy
from socialmedia.models import Delivery, DeliveryState

from ..factories import UserFactory, grant
from .factories import SocialAccountFactory, SocialPostFactory

pytestmark = pytest.mark.django_db

UNITS = ("kua_bangil", "man_pasuruan", "pasuruan", "kua_sidoarjo")

# For each person and action, the units where it is allowed; everywhere
# else it is refused.
MATRIX = {
    "kontributor": {
        "write": {"kua_bangil"},
        "edit_draft": {"kua_bangil"},
        "view": {"kua_bangil"},
    },
    "kontributor_man": {
        "write": {"man_pasuruan"},
        "edit_draft": {"man_pasuruan"},
        "view": {"man_pasuruan"},
    },
    "verifikator": {
        "view": {"kua_bangil", "man_pasuruan", "pasuruan"},
        "review": {"kua_bangil", "man_pasuruan", "pasuruan"},
        "cancel": {"kua_bangil", "man_pasuruan", "pasuruan"},
    },
    "verifikator_lain": {
        "view": {"kua_sidoarjo"},
        "review": {"kua_sidoarjo"},
        "cancel": {"kua_sidoarjo"},
    },
    "admin_humas": {
        "write": {"kua_bangil", "man_pasuruan", "pasuruan"},
        "edit_draft": {"kua_bangil", "man_pasuruan", "pasuruan"},
        "view": {"kua_bangil", "man_pasuruan", "pasuruan"},
        "cancel": {"kua_bangil", "man_pasuruan", "pasuruan"},
        "manage_accounts": {"kua_bangil", "man_pasuruan", "pasuruan"},
        "manage_delivery": {"kua_bangil", "man_pasuruan", "pasuruan"},
    },
    "pimpinan": {"view": {"kua_bangil", "man_pasuruan", "pasuruan"}},
    "outsider": {},
}
ACTIONS = ("write", "edit_draft", "view", "review", "cancel", "manage_accounts", "manage_delivery")


@pytest.fixture
def cast(org, people):
    pimpinan = UserFactory(username="pimpinan")
    grant(pimpinan, Role.PIMPINAN, org.pasuruan)
    return {**vars(people), "pimpinan": pimpinan}


def _allowed(user, action, unit):
    draft = SocialPostFactory(unit=unit, status=ReviewStatus.DRAFT)
    submitted = SocialPostFactory(unit=unit, status=ReviewStatus.SUBMITTED)
    approved = SocialPostFactory(unit=unit, status=ReviewStatus.APPROVED)
    account = SocialAccountFactory(unit=unit)
    delivery = Delivery.objects.create(
        post=approved,
        account=account,
        state=DeliveryState.UNCONFIRMED,
        scheduled_at=approved.scheduled_at,
        next_attempt_at=approved.scheduled_at,
    )
    return {
        "write": lambda: policy.can_write(user, unit),
        "edit_draft": lambda: (
            policy.can_edit_post(user, draft) and policy.can_act(user, draft, ReviewAction.SUBMIT)
        ),
        "view": lambda: policy.can_view_post(user, draft) and policy.can_view_account(user, account),
        "review": lambda: all(
            policy.can_act(user, submitted, a)
            for a in (ReviewAction.APPROVE, ReviewAction.RETURN, ReviewAction.REJECT)
        ),
        "cancel": lambda: policy.can_act(user, approved, ReviewAction.UNPUBLISH),
        "manage_accounts": lambda: (
            policy.can_manage_accounts(user, unit) and policy.can_manage_account(user, account)
        ),
        "manage_delivery": lambda: (
            policy.can_retry_delivery(user, delivery) and policy.can_mark_published(user, delivery)
        ),
    }[action]()


@pytest.mark.parametrize("person", list(MATRIX))
@pytest.mark.parametrize("action", ACTIONS)
def test_policy_matrix(org, cast, person, action):
    """Each role may act exactly in the units its assignment covers."""
    user = cast[person]
    for unit_name in UNITS:
        expected = unit_name in MATRIX[person].get(action, set())
        assert _allowed(user, action, getattr(org, unit_name)) == expected, (person, action, unit_name)


def test_state_limits_what_a_permitted_user_can_do(org, people):
    """Permission is not enough: a submitted post cannot be edited, an
    approved one cannot be approved again, a published delivery not retried."""
    submitted = SocialPostFactory(unit=org.kua_bangil, status=ReviewStatus.SUBMITTED)
    approved = SocialPostFactory(unit=org.kua_bangil, status=ReviewStatus.APPROVED)
    assert not policy.can_edit_post(people.kontributor, submitted)
    assert not policy.can_act(people.verifikator, approved, ReviewAction.APPROVE)
    assert policy.actions_for(people.verifikator, submitted) == [
        ReviewAction.APPROVE,
        ReviewAction.RETURN,
        ReviewAction.REJECT,
    ]
    delivery = Delivery.objects.create(
        post=approved,
        account=SocialAccountFactory(unit=org.kua_bangil),
        state=DeliveryState.PUBLISHED,
        scheduled_at=approved.scheduled_at,
        next_attempt_at=approved.scheduled_at,
    )
    assert not policy.can_retry_delivery(people.admin_humas, delivery)


def test_nobody_publishes_by_hand(org, people):
    """Publishing is the publisher's transition, never offered to a person."""
    approved = SocialPostFactory(unit=org.kua_bangil, status=ReviewStatus.APPROVED)
    for user in (people.admin_humas, people.verifikator, people.kontributor):
        assert not policy.can_act(user, approved, ReviewAction.PUBLISH)


def test_visible_querysets_follow_the_units(org, people):
    mine = SocialPostFactory(unit=org.kua_bangil)
    other = SocialPostFactory(unit=org.kua_sidoarjo)
    assert set(policy.visible_posts(people.verifikator)) == {mine}
    assert set(policy.visible_posts(people.verifikator_lain)) == {other}
    assert not policy.visible_posts(people.outsider).exists()


class TestSegregationOfDuties:
    """A post is approved by a reviewer who did not write it."""

    @pytest.fixture
    def writer_and_reviewer(self, org):
        user = UserFactory(username="menulis_dan_meninjau")
        grant(user, Role.KONTRIBUTOR, org.kua_bangil)
        grant(user, Role.VERIFIKATOR, org.pasuruan)
        return user

    def test_the_author_may_not_approve_their_own_post(self, org, people, writer_and_reviewer):
        own = SocialPostFactory(
            unit=org.kua_bangil, author=writer_and_reviewer, status=ReviewStatus.SUBMITTED
        )
        other = SocialPostFactory(
            unit=org.kua_bangil, author=people.kontributor, status=ReviewStatus.SUBMITTED
        )
        assert not policy.can_act(writer_and_reviewer, own, ReviewAction.APPROVE)
        assert ReviewAction.APPROVE not in policy.actions_for(writer_and_reviewer, own)
        assert policy.can_act(writer_and_reviewer, own, ReviewAction.RETURN)
        assert policy.can_act(writer_and_reviewer, other, ReviewAction.APPROVE)
        assert list(policy.review_queue(writer_and_reviewer)) == [other]

    def test_the_service_refuses_with_the_reason(self, org, writer_and_reviewer):
        from django.core.exceptions import PermissionDenied

        from socialmedia import services

        account = SocialAccountFactory(unit=org.kua_bangil)
        own = SocialPostFactory(
            unit=org.kua_bangil, author=writer_and_reviewer, status=ReviewStatus.SUBMITTED, accounts=[account]
        )
        with pytest.raises(PermissionDenied, match="peninjau lain"):
            services.post_review(post=own, actor=writer_and_reviewer, action=ReviewAction.APPROVE)
        own.refresh_from_db()
        assert own.status == ReviewStatus.SUBMITTED
        assert not Delivery.objects.filter(post=own).exists()
