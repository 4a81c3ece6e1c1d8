"""The news workflow services: permission, state, audit, revisions and the
emails each transition sends (only once the change is committed)."""

import threading
from datetime import UTC, datetime, timedelta
from unittest import mock

import pytest
import time_machine
from django.contrib.postgres.search import SearchQuery
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.utils import timezone
from kombu.exceptions import OperationalError

from humas_portal.core.audit import history_for
from humas_portal.core.models import Role
from humas_portal.core.workflow import ReviewStatus, WorkflowError
from news import services, tasks
from news.models import NewsItem, NewsSubscription, Tag

from ..factories import UserFactory, grant
from .factories import CategoryFactory, NewsItemFactory

pytestmark = pytest.mark.django_db

BODY = "<p>Kegiatan rapat kehumasan dibuka oleh Kepala KUA.</p>"


def _recipients():
    return sorted(address for message in mail.outbox for address in message.to)


def _draft(org, people, **kwargs):
    return NewsItemFactory(unit=org.kua_bangil, author=people.kontributor, **kwargs)


def _submitted(org, people, **kwargs):
    return _draft(org, people, status=ReviewStatus.SUBMITTED, submitted_at=timezone.now(), **kwargs)


def _subscribe(email, unit=None, confirmed=True):
    return NewsSubscription.objects.create(
        email=email,
        unit=unit,
        token=f"token-{email}-{unit.pk if unit else 'all'}",
        confirmed_at=timezone.now() if confirmed else None,
    )


# --- Creating and editing -----------------------------------------------------------


def test_create_sanitises_the_body_and_keeps_the_first_revision(org, people):
    item = services.news_create(
        actor=people.kontributor,
        unit=org.kua_bangil,
        title="Bimbingan Perkawinan di KUA Bangil",
        lead="Sebanyak 40 pasangan mengikuti bimbingan.",
        body='<p onclick="alert(1)">Isi <script>alert(1)</script><strong>penting</strong></p>',
        tags=["Bimwin", " moderasi  beragama ", "bimwin"],
        category=CategoryFactory(name="Layanan KUA"),
    )
    item.refresh_from_db()
    assert item.status == ReviewStatus.DRAFT
    assert item.body == "<p>Isi <strong>penting</strong></p>"
    assert item.slug == "bimbingan-perkawinan-di-kua-bangil"
    assert item.author == people.kontributor
    assert sorted(item.tags.values_list("name", flat=True)) == ["Bimwin", "moderasi beragama"]
    assert list(item.revisions.values_list("number", "body")) == [(1, item.body)]


def test_slugs_are_unique_with_numeric_suffixes(org, people):
    kwargs = {"actor": people.kontributor, "unit": org.kua_bangil, "lead": "Teras.", "body": BODY}
    first = services.news_create(title="Rapat Koordinasi", **kwargs)
    second = services.news_create(title="Rapat Koordinasi", **kwargs)
    third = services.news_create(title="Rapat koordinasi!", **kwargs)
    assert [first.slug, second.slug, third.slug] == [
        "rapat-koordinasi",
        "rapat-koordinasi-2",
        "rapat-koordinasi-3",
    ]


def test_a_title_of_symbols_still_gets_a_slug(org, people):
    item = services.news_create(
        actor=people.kontributor, unit=org.kua_bangil, title="!!!", lead="T.", body=BODY
    )
    assert item.slug == "berita"


def test_a_contributor_cannot_create_for_a_sibling_unit(org, people):
    with pytest.raises(PermissionDenied):
        services.news_create(
            actor=people.kontributor, unit=org.man_pasuruan, title="Judul", lead="Teras.", body=BODY
        )
    assert not NewsItem.objects.exists()


def test_update_sanitises_and_records_a_revision_only_when_the_text_changed(org, people):
    item = services.news_create(
        actor=people.kontributor, unit=org.kua_bangil, title="Judul awal", lead="Teras.", body=BODY
    )
    services.news_update(item=item, actor=people.kontributor, dateline="Bangil", tags=["halal"])
    assert item.revisions.count() == 1
    item = services.news_update(
        item=item, actor=people.kontributor, body='<p>Baru</p><img src="x" onerror="alert(1)">'
    )
    assert item.body == "<p>Baru</p><img>"
    assert list(item.revisions.values_list("number", flat=True)) == [1, 2]
    assert item.dateline == "Bangil"
    assert list(item.tags.values_list("name", flat=True)) == ["halal"]


def test_the_slug_follows_the_title_until_first_published(org, people):
    item = services.news_create(
        actor=people.kontributor, unit=org.kua_bangil, title="Judul awal", lead="Teras.", body=BODY
    )
    item = services.news_update(item=item, actor=people.kontributor, title="Judul yang diperbaiki")
    assert item.slug == "judul-yang-diperbaiki"
    NewsItem.objects.filter(pk=item.pk).update(published_at=timezone.now())
    item.refresh_from_db()
    item = services.news_update(item=item, actor=people.kontributor, title="Judul ketiga")
    assert item.slug == "judul-yang-diperbaiki"


def test_an_item_without_revisions_keeps_its_original_text_on_first_edit(org, people):
    item = _draft(org, people, body="<p>Asli</p>")
    services.news_update(item=item, actor=people.kontributor, body="<p>Diubah</p>")
    assert list(item.revisions.order_by("number").values_list("body", flat=True)) == [
        "<p>Asli</p>",
        "<p>Diubah</p>",
    ]


def test_a_locked_item_cannot_be_edited_by_its_author(org, people):
    item = _submitted(org, people)
    with pytest.raises(PermissionDenied, match="terkunci"):
        services.news_update(item=item, actor=people.kontributor, title="Diam-diam diubah")
    item.refresh_from_db()
    assert item.title != "Diam-diam diubah"


def test_an_item_submitted_meanwhile_cannot_be_saved_from_a_stale_copy(org, people):
    item = _draft(org, people)
    stale = NewsItem.objects.get(pk=item.pk)
    services.news_submit(item=item, actor=people.kontributor)
    with pytest.raises(PermissionDenied, match="terkunci"):
        services.news_update(item=stale, actor=people.kontributor, title="Terlambat")


def test_moving_a_draft_needs_the_right_to_write_in_the_new_unit(org, people):
    item = _draft(org, people)
    with pytest.raises(PermissionDenied):
        services.news_update(item=item, actor=people.kontributor, unit=org.man_pasuruan)
    moved = services.news_update(item=item, actor=people.admin_humas, unit=org.man_pasuruan)
    assert moved.unit == org.man_pasuruan


def test_only_content_fields_can_be_updated(org, people):
    item = _draft(org, people)
    with pytest.raises(ValueError, match="status"):
        services.news_update(item=item, actor=people.kontributor, status=ReviewStatus.PUBLISHED)


def test_tags_are_reused_by_slug(org, people):
    Tag.objects.create(name="Moderasi Beragama", slug="moderasi-beragama")
    item = services.news_create(
        actor=people.kontributor,
        unit=org.kua_bangil,
        title="Judul",
        lead="Teras.",
        body=BODY,
        tags=["moderasi beragama"],
    )
    assert Tag.objects.count() == 1
    assert list(item.tags.values_list("name", flat=True)) == ["Moderasi Beragama"]


# --- Submitting ---------------------------------------------------------------------


def test_submit_emails_the_verifiers_of_the_unit_only_after_commit(
    org, people, django_capture_on_commit_callbacks
):
    item = _draft(org, people)
    with django_capture_on_commit_callbacks() as callbacks:
        services.news_submit(item=item, actor=people.kontributor)
    assert mail.outbox == []
    for callback in callbacks:
        callback()
    assert _recipients() == [people.verifikator.email]
    assert "Menunggu verifikasi" in mail.outbox[0].subject
    assert "/meja/verifikasi/" in mail.outbox[0].body
    item.refresh_from_db()
    assert item.status == ReviewStatus.SUBMITTED
    assert item.submitted_at is not None


def test_a_rolled_back_submission_sends_nothing(org, people, django_capture_on_commit_callbacks):
    item = _draft(org, people)
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            services.news_submit(item=item, actor=people.kontributor)
            raise RuntimeError("boom")
    assert mail.outbox == []
    item.refresh_from_db()
    assert item.status == ReviewStatus.DRAFT


def test_submit_reaches_a_verifier_at_the_kanwil_too(org, people, django_capture_on_commit_callbacks):
    kabag = UserFactory(username="kabag_tu")
    grant(kabag, Role.VERIFIKATOR, org.kanwil)
    with django_capture_on_commit_callbacks(execute=True):
        services.news_submit(item=_draft(org, people), actor=people.kontributor)
    assert _recipients() == sorted([people.verifikator.email, kabag.email])


def test_submitting_twice_fails_with_a_clear_message(org, people):
    item = _submitted(org, people)
    with pytest.raises(WorkflowError, match="tidak dapat dilakukan karena statusnya “Menunggu verifikasi”"):
        services.news_submit(item=item, actor=people.kontributor)


def test_an_empty_item_cannot_be_submitted(org, people):
    item = _draft(org, people, body="<p> </p>")
    with pytest.raises(WorkflowError, match="Lengkapi judul"):
        services.news_submit(item=item, actor=people.kontributor)


def test_a_returned_item_can_be_submitted_again(org, people):
    item = _draft(org, people, status=ReviewStatus.RETURNED, review_note="Perbaiki judul")
    item = services.news_submit(item=item, actor=people.kontributor)
    assert item.status == ReviewStatus.SUBMITTED
    assert item.review_note == ""


# --- Deciding ------------------------------------------------------------------------


def test_approving_a_draft_fails(org, people):
    with pytest.raises(WorkflowError, match="“Setujui” tidak dapat dilakukan karena statusnya “Draf”"):
        services.news_approve(item=_draft(org, people), actor=people.verifikator)


def test_returning_without_a_note_fails_with_the_indonesian_message(org, people):
    item = _submitted(org, people)
    with pytest.raises(WorkflowError, match="^Tuliskan catatan revisi untuk penulis.$"):
        services.news_return(item=item, actor=people.verifikator, note="   ")
    item.refresh_from_db()
    assert item.status == ReviewStatus.SUBMITTED


def test_rejecting_without_a_reason_fails(org, people):
    with pytest.raises(WorkflowError, match="^Tuliskan alasan penolakan.$"):
        services.news_reject(item=_submitted(org, people), actor=people.verifikator, reason="")


def test_unpublishing_without_a_reason_fails(org, people):
    item = _draft(org, people, status=ReviewStatus.PUBLISHED, published_at=timezone.now())
    with pytest.raises(WorkflowError, match="^Tuliskan alasan penurunan.$"):
        services.news_unpublish(item=item, actor=people.admin_humas, reason="")


def test_a_verifier_of_another_office_may_not_decide(org, people):
    item = _submitted(org, people)
    for decide in (
        lambda: services.news_approve(item=item, actor=people.verifikator_lain),
        lambda: services.news_return(item=item, actor=people.verifikator_lain, note="x"),
        lambda: services.news_reject(item=item, actor=people.verifikator_lain, reason="x"),
    ):
        with pytest.raises(PermissionDenied):
            decide()
    item.refresh_from_db()
    assert item.status == ReviewStatus.SUBMITTED


def test_a_contributor_cannot_approve_their_own_item(org, people):
    with pytest.raises(PermissionDenied):
        services.news_approve(item=_submitted(org, people), actor=people.kontributor)


def test_return_records_the_note_in_the_audit_and_emails_the_author(
    org, people, django_capture_on_commit_callbacks
):
    item = _draft(org, people)
    with django_capture_on_commit_callbacks(execute=True):
        services.news_submit(item=item, actor=people.kontributor)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        item = services.news_return(item=item, actor=people.verifikator, note="Lengkapi nama narasumber.")
    assert item.status == ReviewStatus.RETURNED
    assert item.review_note == "Lengkapi nama narasumber."
    assert item.decided_by == people.verifikator
    assert _recipients() == [people.kontributor.email]
    assert "Lengkapi nama narasumber." in mail.outbox[0].body
    entries = list(history_for(item).values_list("action", "from_state", "to_state", "actor", "note"))
    assert entries == [
        ("submit", "draft", "submitted", people.kontributor.pk, ""),
        ("return", "submitted", "returned", people.verifikator.pk, "Lengkapi nama narasumber."),
    ]


def test_reject_emails_the_author_with_the_reason(org, people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        item = services.news_reject(
            item=_submitted(org, people), actor=people.verifikator, reason="Bukan berita."
        )
    assert item.status == ReviewStatus.REJECTED
    assert _recipients() == [people.kontributor.email]
    assert "Bukan berita." in mail.outbox[0].body


# --- Approving and publishing -------------------------------------------------------


def test_approving_without_a_time_publishes_at_once_and_notifies(
    org, people, django_capture_on_commit_callbacks
):
    _subscribe("pembaca@contoh.id", unit=org.kua_bangil)
    _subscribe("semua@contoh.id")
    _subscribe("belum@contoh.id", unit=org.kua_bangil, confirmed=False)
    _subscribe("lain@contoh.id", unit=org.kua_sidoarjo)
    item = _submitted(org, people, body=BODY)
    with django_capture_on_commit_callbacks(execute=True):
        services.news_approve(item=item, actor=people.verifikator)
    item.refresh_from_db()
    assert item.status == ReviewStatus.PUBLISHED
    assert item.published_at is not None
    assert _recipients() == sorted(
        [people.kontributor.email, people.kontributor.email, "pembaca@contoh.id", "semua@contoh.id"]
    )
    subjects = sorted(message.subject for message in mail.outbox)
    assert any(subject.startswith("Berita disetujui") for subject in subjects)
    assert any(subject.startswith("Berita terbit") for subject in subjects)
    reader_mail = next(message for message in mail.outbox if message.to == ["pembaca@contoh.id"])
    assert "/langganan/berhenti/token-pembaca@contoh.id-" in reader_mail.body
    assert [entry.action for entry in history_for(item)] == ["approve", "publish"]


def test_the_search_vector_is_filled_with_the_indonesian_configuration(
    org, people, django_capture_on_commit_callbacks
):
    item = _submitted(org, people, body=BODY)
    with django_capture_on_commit_callbacks(execute=True):
        services.news_approve(item=item, actor=people.verifikator)
    found = NewsItem.objects.filter(search_vector=SearchQuery("humas", config="indonesian"))
    assert list(found) == [item]


def test_approving_with_a_future_time_waits_until_then(org, people, django_capture_on_commit_callbacks):
    publish_at = datetime(2030, 5, 1, 1, 0, tzinfo=UTC)
    item = _submitted(org, people)
    with time_machine.travel(datetime(2030, 4, 30, 12, 0, tzinfo=UTC), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            item = services.news_approve(item=item, actor=people.verifikator, publish_at=publish_at)
        item.refresh_from_db()
        assert item.status == ReviewStatus.APPROVED
        assert item.is_scheduled
        assert not services.news_publish(item_id=item.pk)
    with time_machine.travel(publish_at + timedelta(seconds=1), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            assert tasks.publish_due_news() == 1
    item.refresh_from_db()
    assert item.status == ReviewStatus.PUBLISHED
    assert item.published_at == publish_at + timedelta(seconds=1)


def test_approving_keeps_the_time_the_author_asked_for(org, people, django_capture_on_commit_callbacks):
    asked = timezone.now() + timedelta(days=2)
    item = _submitted(org, people, publish_at=asked)
    with django_capture_on_commit_callbacks(execute=True):
        item = services.news_approve(item=item, actor=people.verifikator)
    assert item.status == ReviewStatus.APPROVED
    assert item.publish_at == asked


def test_publishing_twice_publishes_once_and_notifies_once(org, people, django_capture_on_commit_callbacks):
    item = _draft(org, people, status=ReviewStatus.APPROVED)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.news_publish(item_id=item.pk) is True
        assert services.news_publish(item_id=item.pk) is False
    assert len(mail.outbox) == 1
    assert [entry.action for entry in history_for(item)] == ["publish"]


def test_an_unpublished_item_is_not_published_by_a_late_task(org, people):
    item = _draft(org, people, status=ReviewStatus.UNPUBLISHED)
    assert services.news_publish(item_id=item.pk) is False
    item.refresh_from_db()
    assert item.status == ReviewStatus.UNPUBLISHED


def test_approval_survives_a_broker_outage_and_the_sweep_publishes(
    org, people, django_capture_on_commit_callbacks
):
    item = _submitted(org, people)
    with mock.patch.object(tasks.publish_news, "delay", side_effect=OperationalError("redis down")):
        with django_capture_on_commit_callbacks(execute=True):
            services.news_approve(item=item, actor=people.verifikator)
    item.refresh_from_db()
    assert item.status == ReviewStatus.APPROVED
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.publish_due_news() == 1
    item.refresh_from_db()
    assert item.status == ReviewStatus.PUBLISHED


def test_a_scheduled_task_is_queued_with_its_eta(org, people, django_capture_on_commit_callbacks):
    publish_at = timezone.now() + timedelta(minutes=20)
    item = _submitted(org, people)
    with mock.patch.object(tasks.publish_news, "apply_async") as apply_async:
        with django_capture_on_commit_callbacks(execute=True):
            services.news_approve(item=item, actor=people.verifikator, publish_at=publish_at)
    apply_async.assert_called_once_with(args=[item.pk], eta=publish_at)


def test_an_item_due_in_days_is_left_to_the_sweep(org, people, django_capture_on_commit_callbacks):
    """No task waits days in the broker (Redis would redeliver it hourly);
    the sweep publishes the item when its time comes."""
    publish_at = timezone.now() + timedelta(days=3)
    item = _submitted(org, people)
    with mock.patch.object(tasks.publish_news, "apply_async") as apply_async:
        with django_capture_on_commit_callbacks(execute=True):
            services.news_approve(item=item, actor=people.verifikator, publish_at=publish_at)
    apply_async.assert_not_called()
    with time_machine.travel(publish_at + timedelta(seconds=1)):
        with django_capture_on_commit_callbacks(execute=True):
            assert tasks.publish_due_news() == 1
    item.refresh_from_db()
    assert item.status == ReviewStatus.PUBLISHED


# --- After approval -------------------------------------------------------------------


def test_admin_reschedules_an_approved_item_with_an_audit_row(
    org, people, django_capture_on_commit_callbacks
):
    item = _draft(org, people, status=ReviewStatus.APPROVED, publish_at=timezone.now() + timedelta(days=1))
    new_time = timezone.now() + timedelta(days=3)
    with django_capture_on_commit_callbacks(execute=True):
        item = services.news_schedule(item=item, actor=people.admin_humas, publish_at=new_time)
    assert item.publish_at == new_time
    entry = history_for(item).last()
    assert (entry.action, entry.actor) == ("schedule", people.admin_humas)
    assert entry.note.startswith("Jadwal terbit: ")
    with pytest.raises(PermissionDenied):
        services.news_schedule(item=item, actor=people.kontributor, publish_at=None)


def test_rescheduling_a_published_item_fails(org, people):
    item = _draft(org, people, status=ReviewStatus.PUBLISHED)
    with pytest.raises(WorkflowError, match="Jadwal terbit hanya dapat diubah"):
        services.news_schedule(item=item, actor=people.admin_humas, publish_at=None)


def test_unpublish_and_redraft_tell_the_author(org, people, django_capture_on_commit_callbacks):
    item = _draft(org, people, status=ReviewStatus.PUBLISHED, published_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        item = services.news_unpublish(item=item, actor=people.admin_humas, reason="Data peserta keliru.")
    assert item.status == ReviewStatus.UNPUBLISHED
    assert "Data peserta keliru." in mail.outbox[0].body
    with pytest.raises(PermissionDenied):
        services.news_redraft(item=item, actor=people.kontributor)
    with django_capture_on_commit_callbacks(execute=True):
        item = services.news_redraft(item=item, actor=people.admin_humas)
    assert item.status == ReviewStatus.DRAFT
    assert _recipients() == [people.kontributor.email, people.kontributor.email]
    assert [entry.action for entry in history_for(item)] == ["unpublish", "redraft"]


def test_the_actor_is_not_emailed_about_their_own_action(org, people, django_capture_on_commit_callbacks):
    item = NewsItemFactory(
        unit=org.kua_bangil,
        author=people.admin_humas,
        status=ReviewStatus.PUBLISHED,
        published_at=timezone.now(),
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.news_unpublish(item=item, actor=people.admin_humas, reason="Salah unggah.")
    assert mail.outbox == []


@pytest.mark.django_db(transaction=True)
def test_two_workers_racing_publish_once_and_notify_once(org, people):
    """Two publishers (the task and the sweep) reach the same item at the
    same moment, each in its own connection: exactly one wins."""
    item = _draft(org, people, status=ReviewStatus.APPROVED)
    barrier = threading.Barrier(2)
    results = []

    def publish():
        try:
            barrier.wait(timeout=10)
            results.append(services.news_publish(item_id=item.pk))
        finally:
            connection.close()

    threads = [threading.Thread(target=publish) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(results) == [False, True]
    assert len(mail.outbox) == 1
    assert [entry.action for entry in history_for(item)] == ["publish"]
