"""The transition engine every app's state changes run through.

The rows here are news items moved by the review table; what is tested is
the engine, which knows no app: the permission it asks, the lock, the state
check, the audit row, the side effects after commit, and the workers'
claims.
"""

import threading
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.utils import timezone

from humas_portal.core.audit import history_for
from humas_portal.core.workflow import (
    REVIEW_TRANSITIONS,
    ReviewAction,
    ReviewStatus,
    StateMachine,
    Transition,
    WorkflowError,
    by_system,
    transition_apply,
    transition_claim,
    transition_claim_set,
)
from news.models import NewsItem
from tests.news.factories import NewsItemFactory


def anyone(actor, obj) -> bool:
    return True


def submitted(org, people, **fields) -> NewsItem:
    return NewsItemFactory(
        unit=org.kua_bangil,
        author=people.kontributor,
        status=ReviewStatus.SUBMITTED,
        submitted_at=timezone.now(),
        **fields,
    )


def approve(item, actor, **options):
    return transition_apply(
        item, ReviewAction.APPROVE, machine=REVIEW_TRANSITIONS, actor=actor, permitted=anyone, **options
    )


# --- the table ---------------------------------------------------------------------


def test_the_allowed_actions_come_from_the_table():
    assert REVIEW_TRANSITIONS.allowed(ReviewStatus.SUBMITTED) == [
        ReviewAction.APPROVE,
        ReviewAction.RETURN,
        ReviewAction.REJECT,
    ]
    assert REVIEW_TRANSITIONS.allowed(ReviewStatus.PUBLISHED) == [ReviewAction.UNPUBLISH]
    assert NewsItem(status=ReviewStatus.DRAFT).allowed_actions() == [ReviewAction.SUBMIT]


def test_an_action_is_declared_once_per_table():
    with pytest.raises(ValueError):
        StateMachine(Transition("a", frozenset({"x"}), "y"), Transition("a", frozenset({"y"}), "z"))


def test_a_caller_may_narrow_a_moves_sources_but_never_widen_them():
    assert REVIEW_TRANSITIONS.sources_of(ReviewAction.UNPUBLISH, {ReviewStatus.APPROVED}) == {
        ReviewStatus.APPROVED
    }
    with pytest.raises(ValueError):
        REVIEW_TRANSITIONS.sources_of(ReviewAction.APPROVE, {ReviewStatus.DRAFT})


# --- a person's transition ----------------------------------------------------------


@pytest.mark.django_db
def test_a_transition_writes_an_audit_row_with_from_to_actor_and_note(org, people):
    item = submitted(org, people)
    approved = approve(item, people.verifikator, note="  Sudah lengkap.  ")
    assert approved.status == ReviewStatus.APPROVED
    # The review table's stamp: who decided, when, with which note.
    assert (approved.decided_by, approved.review_note) == (people.verifikator, "Sudah lengkap.")
    entry = history_for(item).get()
    assert (entry.action, entry.from_state, entry.to_state, entry.actor, entry.note) == (
        "approve",
        "submitted",
        "approved",
        people.verifikator,
        "Sudah lengkap.",
    )
    assert entry.unit == org.kua_bangil


@pytest.mark.django_db
def test_a_refused_transition_names_the_action_and_the_state(org, people):
    item = NewsItemFactory(unit=org.kua_bangil, author=people.kontributor, status=ReviewStatus.DRAFT)
    with pytest.raises(WorkflowError) as refused:
        approve(item, people.verifikator)
    assert str(refused.value) == "Tindakan “Setujui” tidak dapat dilakukan karena statusnya “Draf”."
    item.refresh_from_db()
    assert item.status == ReviewStatus.DRAFT
    assert not history_for(item).exists()


@pytest.mark.django_db
def test_the_permission_is_asked_before_anything_changes(org, people):
    item = submitted(org, people)
    asked = []

    def nobody(actor, obj):
        asked.append((actor, obj.pk))
        return False

    with pytest.raises(PermissionDenied):
        transition_apply(
            item, ReviewAction.APPROVE, machine=REVIEW_TRANSITIONS, actor=people.outsider, permitted=nobody
        )
    assert asked == [(people.outsider, item.pk)]
    item.refresh_from_db()
    assert item.status == ReviewStatus.SUBMITTED
    assert not history_for(item).exists()


@pytest.mark.django_db
def test_the_system_permission_refuses_every_person(org, people):
    item = submitted(org, people)
    with pytest.raises(PermissionDenied):
        transition_apply(
            item,
            ReviewAction.APPROVE,
            machine=REVIEW_TRANSITIONS,
            actor=people.verifikator,
            permitted=by_system,
        )


@pytest.mark.django_db
def test_a_required_note_is_asked_for_with_the_tables_message(org, people):
    item = submitted(org, people)
    with pytest.raises(WorkflowError, match="Tuliskan alasan penolakan."):
        transition_apply(
            item, ReviewAction.REJECT, machine=REVIEW_TRANSITIONS, actor=people.verifikator, permitted=anyone
        )


@pytest.mark.django_db
def test_a_check_on_the_locked_row_can_refuse_and_nothing_is_kept(org, people):
    item = submitted(org, people)

    def too_short(locked):
        raise WorkflowError("Terlalu pendek.")

    with pytest.raises(WorkflowError, match="Terlalu pendek."):
        approve(item, people.verifikator, check=too_short, effects=lambda locked: pytest.fail("no effects"))
    item.refresh_from_db()
    assert item.status == ReviewStatus.SUBMITTED


@pytest.mark.django_db
def test_a_second_actor_holding_a_stale_copy_gets_the_error(org, people):
    item = submitted(org, people)
    stale = NewsItem.objects.get(pk=item.pk)
    approve(item, people.verifikator)
    with pytest.raises(WorkflowError, match="Disetujui, menunggu terbit"):
        transition_apply(
            stale,
            ReviewAction.REJECT,
            machine=REVIEW_TRANSITIONS,
            actor=people.verifikator,
            permitted=anyone,
            note="Terlambat.",
        )
    assert list(history_for(item).values_list("action", flat=True)) == ["approve"]


def run_together(functions):
    """Run ``functions`` in threads released at the same moment, each with
    its own database connection; returns their results or errors."""
    barrier = threading.Barrier(len(functions))
    outcomes = [None] * len(functions)

    def run(index, function):
        try:
            barrier.wait(timeout=30)
            outcomes[index] = function()
        except Exception as error:  # noqa: BLE001 - returned to the test
            outcomes[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, f)) for i, f in enumerate(functions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


@pytest.mark.django_db(transaction=True)
def test_of_two_actors_deciding_at_once_the_second_waits_and_gets_the_error(org, people):
    item = submitted(org, people)

    def decide(action, note):
        def run():
            with transaction.atomic():
                moved = transition_apply(
                    NewsItem.objects.get(pk=item.pk),
                    action,
                    machine=REVIEW_TRANSITIONS,
                    actor=people.verifikator,
                    permitted=anyone,
                    note=note,
                )
                return moved.status

        return run

    outcomes = run_together([decide(ReviewAction.APPROVE, ""), decide(ReviewAction.REJECT, "Tidak layak.")])
    errors = [o for o in outcomes if isinstance(o, Exception)]
    assert len(errors) == 1 and isinstance(errors[0], WorkflowError), outcomes
    item.refresh_from_db()
    assert item.status in (ReviewStatus.APPROVED, ReviewStatus.REJECTED)
    assert str(errors[0]).endswith(f"“{item.get_status_display()}”.")
    assert history_for(item).count() == 1


@pytest.mark.django_db
def test_side_effects_run_only_after_commit(org, people, django_capture_on_commit_callbacks):
    item = submitted(org, people)
    sent = []
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        approve(item, people.verifikator, on_commit=lambda approved: sent.append(approved.status))
        assert sent == []
    assert len(callbacks) == 1
    callbacks[0]()
    assert sent == [ReviewStatus.APPROVED]


@pytest.mark.django_db
def test_a_refused_transition_queues_no_side_effect(org, people, django_capture_on_commit_callbacks):
    item = NewsItemFactory(unit=org.kua_bangil, author=people.kontributor, status=ReviewStatus.DRAFT)
    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(WorkflowError):
        approve(item, people.verifikator, on_commit=lambda approved: pytest.fail("sent"))
    assert callbacks == []


@pytest.mark.django_db
def test_effects_and_changes_land_in_the_same_transaction(org, people):
    item = submitted(org, people)
    seen = []
    later = timezone.now().replace(microsecond=0) + timedelta(days=1)
    approved = approve(
        item,
        people.verifikator,
        changes=lambda locked, now: {"publish_at": later},
        effects=lambda locked: seen.append((locked.status, locked.publish_at)),
        audit_note=lambda locked: f"Terbit {locked.publish_at:%Y-%m-%d}",
    )
    assert seen == [(ReviewStatus.APPROVED, later)]
    assert NewsItem.objects.get(pk=item.pk).publish_at == later == approved.publish_at
    assert history_for(item).get().note == f"Terbit {later:%Y-%m-%d}"


# --- workers' claims ---------------------------------------------------------------------


def approved_item(org, people, **fields) -> NewsItem:
    return NewsItemFactory(
        unit=org.kua_bangil, author=people.kontributor, status=ReviewStatus.APPROVED, **fields
    )


@pytest.mark.django_db
def test_a_claim_wins_once_and_only_the_winner_audits_and_queues(
    org, people, django_capture_on_commit_callbacks
):
    item = approved_item(org, people)
    published = []
    with django_capture_on_commit_callbacks(execute=True):
        first = transition_claim(
            NewsItem, item.pk, ReviewAction.PUBLISH, machine=REVIEW_TRANSITIONS, on_commit=published.append
        )
        second = transition_claim(
            NewsItem, item.pk, ReviewAction.PUBLISH, machine=REVIEW_TRANSITIONS, on_commit=published.append
        )
    assert first is not None and first.status == ReviewStatus.PUBLISHED
    assert second is None
    assert [row.pk for row in published] == [item.pk]
    entry = history_for(item).get()
    assert (entry.action, entry.from_state, entry.to_state, entry.actor) == (
        "publish",
        "approved",
        "published",
        None,
    )


@pytest.mark.django_db
def test_a_claim_only_takes_rows_of_its_queryset(org, people):
    later = timezone.now() + timedelta(hours=1)
    item = approved_item(org, people, publish_at=later)
    due = NewsItem.objects.due_for_publishing(timezone.now())
    assert transition_claim(due, item.pk, ReviewAction.PUBLISH, machine=REVIEW_TRANSITIONS) is None
    item.refresh_from_db()
    assert item.status == ReviewStatus.APPROVED


@pytest.mark.django_db
def test_a_claim_audits_the_state_the_row_really_left(org, people):
    item = approved_item(org, people)
    claimed = transition_claim(
        NewsItem, item.pk, ReviewAction.UNPUBLISH, machine=REVIEW_TRANSITIONS, note="Kedaluwarsa."
    )
    assert claimed.status == ReviewStatus.UNPUBLISHED
    assert history_for(item).values_list("from_state", "note").get() == ("approved", "Kedaluwarsa.")


@pytest.mark.django_db(transaction=True)
def test_of_workers_claiming_at_once_exactly_one_wins(org, people):
    item = approved_item(org, people)

    def claim():
        won = transition_claim(NewsItem, item.pk, ReviewAction.PUBLISH, machine=REVIEW_TRANSITIONS)
        return won is not None

    assert sorted(run_together([claim] * 4)) == [False, False, False, True]
    assert history_for(item).count() == 1


@pytest.mark.django_db
def test_a_set_claim_takes_up_to_its_limit_and_audits_each_row_in_one_insert(
    org, people, django_assert_num_queries
):
    items = [approved_item(org, people) for _ in range(3)]
    history_for(items[0]).exists()  # the content type is cached after its first use
    candidates = NewsItem.objects.filter(pk__in=[i.pk for i in items]).order_by("pk")
    with transaction.atomic():
        # 1 the claim (one UPDATE … RETURNING), 1 loading the claimed rows,
        # 1 the audit rows (one INSERT); the savepoint and its release.
        with django_assert_num_queries(5):
            with transaction.atomic():
                claimed = transition_claim_set(
                    candidates, ReviewAction.PUBLISH, machine=REVIEW_TRANSITIONS, limit=2
                )
    assert [row.pk for row in claimed] == [items[0].pk, items[1].pk]
    assert [row.status for row in claimed] == [ReviewStatus.PUBLISHED] * 2
    for item in items[:2]:
        assert history_for(item).values_list("action", "from_state", "to_state").get() == (
            "publish",
            "approved",
            "published",
        )
    assert not history_for(items[2]).exists()
    assert transition_claim_set(candidates, ReviewAction.PUBLISH, machine=REVIEW_TRANSITIONS, limit=5) == [
        NewsItem.objects.get(pk=items[2].pk)
    ]


def test_a_set_claim_refuses_to_run_outside_a_transaction():
    # Its own transaction would commit the claim before the caller's work.
    with pytest.raises(transaction.TransactionManagementError):
        transition_claim_set(
            NewsItem.objects.all(), ReviewAction.PUBLISH, machine=REVIEW_TRANSITIONS, limit=1
        )
