"""Filing and handling complaints through the services."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from dumas import services
from dumas.models import Complaint, ComplaintNotification, ConfirmationChannel, MessageKind
from dumas.workflow import (
    Channel,
    ComplaintKind,
    ComplaintStatus,
    ForwardDestination,
    IdentityMode,
    Violation,
)
from humas_portal.core.audit import history_for
from humas_portal.core.models import AuditEntry, UnitTimeZone
from humas_portal.core.workflow import WorkflowError

from ..factories import WorkUnitFactory
from .factories import ComplaintLocationFactory

pytestmark = pytest.mark.django_db

WIB = ZoneInfo("Asia/Jakarta")


def submit(unit, **overrides):
    values = {
        "unit": unit,
        "kind": ComplaintKind.PENGADUAN,
        "subject": "Biaya nikah di luar ketentuan",
        "description": "Petugas meminta biaya tambahan di luar tarif resmi untuk pencatatan nikah di kantor.",
        "identity_mode": IdentityMode.CONFIDENTIAL,
        "reporter_name": "Ahmad Fauzi",
        "reporter_email": "ahmad.fauzi@contoh.id",
        "reporter_phone": "081311112222",
    }
    values.update(overrides)
    return services.complaint_submit(**values)


def recipients():
    return sorted(address for message in mail.outbox for address in message.to)


class TestSubmit:
    def test_a_public_complaint_is_received_with_a_code_and_the_officers_are_told(
        self, org, dumas_people, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            complaint = submit(org.kua_bangil)
        assert complaint.status == ComplaintStatus.RECEIVED
        assert complaint.tracking_code.startswith("DMS-")
        assert complaint.channel == Channel.WEB
        assert complaint.office == org.pasuruan
        # The officers at the unit and its office, not those above.
        assert "petugas@contoh.kemenag.go.id" in recipients()
        assert "petugas_kua@contoh.kemenag.go.id" in recipients()
        assert "petugas_kanwil@contoh.kemenag.go.id" not in recipients()
        [entry] = history_for(complaint)
        assert (entry.action, entry.to_state, entry.actor) == ("submit", "received", None)

    def test_an_email_gets_the_code_by_email(self, org, dumas_people, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            complaint = submit(org.kua_bangil)
        assert complaint.confirmation == ConfirmationChannel.EMAIL
        [confirmation] = [m for m in mail.outbox if m.to == ["ahmad.fauzi@contoh.id"]]
        assert complaint.tracking_code in confirmation.subject
        assert f"/pengaduan/lacak/{complaint.tracking_code}/" in confirmation.body

    def test_a_phone_number_only_is_recorded_as_not_confirmed_automatically(
        self, org, dumas_people, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            complaint = submit(org.kua_bangil, reporter_email="")
        assert complaint.confirmation == ConfirmationChannel.MANUAL
        assert "tidak dikirim otomatis" in complaint.get_confirmation_display()
        assert not ComplaintNotification.objects.filter(complaint=complaint, audience="complainant").exists()
        assert all("081311112222" not in m.body for m in mail.outbox)

    def test_anonymous_keeps_no_identity_even_if_one_is_sent(self, org, dumas_people):
        complaint = submit(org.kua_bangil, identity_mode=IdentityMode.ANONYMOUS)
        complaint.refresh_from_db()
        assert (complaint.reporter_name, complaint.reporter_email, complaint.reporter_phone) == ("", "", "")
        assert complaint.confirmation == ConfirmationChannel.NONE

    def test_the_database_refuses_an_anonymous_complaint_with_a_name(self, org):
        complaint = submit(org.kua_bangil, identity_mode=IdentityMode.ANONYMOUS)
        with pytest.raises(IntegrityError), transaction.atomic():
            Complaint.objects.filter(pk=complaint.pk).update(reporter_name="Budi")

    def test_identity_is_encrypted_at_rest(self, org):
        from django.db import connection

        complaint = submit(org.kua_bangil)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT reporter_name, reporter_email FROM dumas_complaint WHERE id = %s", [complaint.pk]
            )
            stored = cursor.fetchone()
        assert "Ahmad" not in stored[0] and "contoh.id" not in stored[1]

    def test_a_name_is_required_unless_anonymous(self, org):
        with pytest.raises(ValidationError):
            submit(org.kua_bangil, reporter_name=" ")

    def test_whistleblowing_needs_a_violation_and_goes_to_the_office_officers_only(
        self, org, dumas_people, django_capture_on_commit_callbacks
    ):
        with pytest.raises(ValidationError):
            submit(org.kua_bangil, kind=ComplaintKind.WHISTLEBLOWING)
        with django_capture_on_commit_callbacks(execute=True):
            complaint = submit(org.kua_bangil, kind=ComplaintKind.WHISTLEBLOWING, violation=Violation.PUNGLI)
        assert recipients() == ["ahmad.fauzi@contoh.id", "petugas@contoh.kemenag.go.id"]
        # Filed under the office in the audit trail, not the unit reported.
        assert AuditEntry.objects.get(object_id=str(complaint.pk), action="submit").unit == org.pasuruan

    def test_a_poster_code_ties_the_complaint_to_its_location(self, org):
        location = ComplaintLocationFactory(unit=org.kua_bangil, name="Loket depan")
        complaint = submit(org.kua_bangil, location=location)
        assert (complaint.channel, complaint.location) == (Channel.QR, location)

    def test_a_switched_off_or_foreign_poster_counts_as_the_web_form(self, org):
        foreign = ComplaintLocationFactory(unit=org.man_pasuruan)
        retired = ComplaintLocationFactory(unit=org.kua_bangil, is_active=False)
        for location in (foreign, retired):
            complaint = submit(org.kua_bangil, location=location)
            assert (complaint.channel, complaint.location) == (Channel.WEB, None)

    def test_staff_record_offline_complaints_with_their_channel(self, org, dumas_people):
        received = datetime(2025, 5, 5, 9, 0, tzinfo=WIB)
        with time_machine.travel(datetime(2025, 5, 6, 10, 0, tzinfo=WIB)):
            complaint = submit(
                org.kua_bangil,
                channel=Channel.WHATSAPP,
                recorded_by=dumas_people.petugas_kua,
                received_at=received,
            )
        assert (complaint.channel, complaint.recorded_by) == (Channel.WHATSAPP, dumas_people.petugas_kua)
        assert complaint.received_at == received
        assert complaint.verify_due == date(2025, 5, 8)

    def test_only_officers_of_the_unit_record_and_only_offline_channels(self, org, dumas_people):
        with pytest.raises(PermissionDenied):
            submit(org.kua_bangil, channel=Channel.PTSP, recorded_by=dumas_people.pimpinan_kua)
        with pytest.raises(PermissionDenied):
            submit(org.kua_bangil, channel=Channel.PTSP, recorded_by=dumas_people.petugas_lain)
        with pytest.raises(ValidationError):
            submit(org.kua_bangil, channel=Channel.WEB, recorded_by=dumas_people.petugas)


class TestDeadlines:
    def test_verification_is_due_in_three_working_days_skipping_holidays(self, org):
        # Friday 9 May 2025; Monday 12 is Waisak and Tuesday 13 cuti bersama.
        with time_machine.travel(datetime(2025, 5, 9, 10, 0, tzinfo=WIB)):
            complaint = submit(org.kua_bangil)
        assert complaint.verify_due == date(2025, 5, 16)
        assert complaint.finish_due == date(2025, 7, 8)

    def test_the_follow_up_decision_is_due_five_working_days_after_verification(self, org, dumas_people):
        with time_machine.travel(datetime(2025, 5, 9, 10, 0, tzinfo=WIB)):
            complaint = submit(org.kua_bangil)
        # Wednesday 28 May; 29–30 May and 6 and 9 June are holidays.
        with time_machine.travel(datetime(2025, 5, 28, 10, 0, tzinfo=WIB)):
            complaint = services.complaint_verify(complaint=complaint, actor=dumas_people.petugas)
        assert complaint.follow_up_due == date(2025, 6, 10)

    def test_deadlines_follow_the_settings(self, org, settings):
        settings.DUMAS_VERIFY_WORKING_DAYS = 1
        settings.DUMAS_FINISH_DAYS = 14
        with time_machine.travel(datetime(2025, 5, 9, 10, 0, tzinfo=WIB)):
            complaint = submit(org.kua_bangil)
        assert complaint.verify_due == date(2025, 5, 14)
        assert complaint.finish_due == date(2025, 5, 23)

    def test_the_day_of_receipt_is_the_units_own(self, org):
        papua = WorkUnitFactory(name="KUA Abepura", timezone=UnitTimeZone.WIT, parent=org.kanwil)
        # Friday 22:30 in Jakarta is already Saturday 00:30 in Jayapura.
        with time_machine.travel(datetime(2025, 5, 2, 22, 30, tzinfo=WIB)):
            complaint = submit(papua)
        assert complaint.verify_due == date(2025, 5, 7)

    def test_overdue_complaints_are_marked_per_stage(self, org, dumas_people):
        with time_machine.travel(datetime(2025, 5, 9, 10, 0, tzinfo=WIB)):
            waiting = submit(org.kua_bangil)
            verified = submit(org.kua_bangil)
            services.complaint_verify(complaint=verified, actor=dumas_people.petugas)
        with time_machine.travel(datetime(2025, 5, 16, 16, 0, tzinfo=WIB)):
            assert not Complaint.objects.overdue().exists()
        with time_machine.travel(datetime(2025, 5, 17, 8, 0, tzinfo=WIB)):
            assert list(Complaint.objects.overdue()) == [waiting]
            waiting.refresh_from_db()
            assert waiting.is_overdue()
        # The follow-up decision was due 20 May (five working days after 9 May).
        with time_machine.travel(datetime(2025, 5, 21, 8, 0, tzinfo=WIB)):
            assert set(Complaint.objects.overdue()) == {waiting, verified}

    def test_a_complaint_on_hold_waits_for_the_complainant(self, org, dumas_people):
        with time_machine.travel(datetime(2025, 5, 9, 10, 0, tzinfo=WIB)):
            complaint = submit(org.kua_bangil)
            services.complaint_hold(
                complaint=complaint, actor=dumas_people.petugas, note="Sebutkan tanggalnya."
            )
        with time_machine.travel(datetime(2025, 6, 20, 8, 0, tzinfo=WIB)):
            assert not Complaint.objects.overdue().exists()


class TestHandling:
    def test_the_whole_way_from_receipt_to_closing(
        self, org, dumas_people, django_capture_on_commit_callbacks
    ):
        officer = dumas_people.petugas
        complaint = submit(org.kua_bangil)
        with django_capture_on_commit_callbacks(execute=True):
            complaint = services.complaint_verify(complaint=complaint, actor=officer, note="Laporan lengkap.")
            complaint = services.complaint_follow_up(complaint=complaint, actor=officer)
            complaint = services.complaint_answer(
                complaint=complaint, actor=officer, answer="Petugas yang bersangkutan telah dibina."
            )
            complaint = services.complaint_rate(complaint=complaint, rating=4, comment="Cepat ditangani.")
            complaint = services.complaint_close(complaint=complaint, actor=officer)
        assert complaint.status == ComplaintStatus.CLOSED
        assert (
            complaint.verified_at and complaint.follow_up_at and complaint.answered_at and complaint.closed_at
        )
        steps = [(e.action, e.from_state, e.to_state) for e in history_for(complaint)]
        assert steps == [
            ("submit", "", "received"),
            ("verify", "received", "verified"),
            ("follow_up", "verified", "in_follow_up"),
            ("answer", "in_follow_up", "answered"),
            ("rate", "", ""),
            ("close", "answered", "closed"),
        ]
        answer = complaint.messages.get(kind=MessageKind.ANSWER)
        assert answer.is_public and "dibina" in answer.body
        updates = [m for m in mail.outbox if m.to == ["ahmad.fauzi@contoh.id"]]
        assert any("dibina" in m.body for m in updates)

    @pytest.mark.parametrize(
        "service",
        [services.complaint_hold, services.complaint_reject_authority, services.complaint_archive],
    )
    def test_setting_aside_requires_a_note_for_the_complainant(self, org, dumas_people, service):
        complaint = submit(org.kua_bangil)
        with pytest.raises(WorkflowError):
            service(complaint=complaint, actor=dumas_people.petugas, note="  ")
        complaint = service(complaint=complaint, actor=dumas_people.petugas, note="Bukan urusan KUA.")
        assert complaint.messages.get().is_public

    def test_an_answer_requires_text(self, org, dumas_people):
        complaint = submit(org.kua_bangil)
        complaint = services.complaint_verify(complaint=complaint, actor=dumas_people.petugas)
        complaint = services.complaint_follow_up(complaint=complaint, actor=dumas_people.petugas)
        with pytest.raises(WorkflowError):
            services.complaint_answer(complaint=complaint, actor=dumas_people.petugas, answer="")

    def test_transitions_out_of_order_are_refused(self, org, dumas_people):
        complaint = submit(org.kua_bangil)
        with pytest.raises(WorkflowError, match="statusnya"):
            services.complaint_answer(complaint=complaint, actor=dumas_people.petugas, answer="Sudah.")
        with pytest.raises(WorkflowError):
            services.complaint_close(complaint=complaint, actor=dumas_people.petugas)

    def test_two_officers_verifying_at_once_act_once(self, org, dumas_people):
        complaint = submit(org.kua_bangil)
        stale_copy = Complaint.objects.get(pk=complaint.pk)
        services.complaint_verify(complaint=complaint, actor=dumas_people.petugas)
        with pytest.raises(WorkflowError):
            services.complaint_verify(complaint=stale_copy, actor=dumas_people.petugas_kua)
        assert history_for(complaint).filter(action="verify").count() == 1

    def test_non_officers_cannot_handle(self, org, dumas_people):
        complaint = submit(org.kua_bangil)
        for person in (dumas_people.pimpinan, dumas_people.admin_humas, dumas_people.petugas_lain):
            with pytest.raises(PermissionDenied):
                services.complaint_verify(complaint=complaint, actor=person)

    def test_forwarding_records_the_destination_and_reference(self, org, dumas_people):
        complaint = submit(org.kua_bangil, kind=ComplaintKind.WHISTLEBLOWING, violation=Violation.KORUPSI)
        complaint = services.complaint_verify(complaint=complaint, actor=dumas_people.petugas)
        with pytest.raises(WorkflowError):
            services.complaint_forward(
                complaint=complaint,
                actor=dumas_people.petugas,
                destination=ForwardDestination.ITJEN,
                external_reference="",
            )
        complaint = services.complaint_forward(
            complaint=complaint,
            actor=dumas_people.petugas,
            destination=ForwardDestination.ITJEN,
            external_reference="SIMDUMAS-2025-00123",
        )
        assert complaint.status == ComplaintStatus.IN_FOLLOW_UP
        assert (complaint.forwarded_to, complaint.external_reference) == (
            "itjen_simdumas",
            "SIMDUMAS-2025-00123",
        )
        assert "SIMDUMAS-2025-00123" in history_for(complaint).get(action="forward").note

    def test_assignment_tells_the_assignee(self, org, dumas_people, django_capture_on_commit_callbacks):
        complaint = submit(org.kua_bangil)
        with django_capture_on_commit_callbacks(execute=True):
            complaint = services.complaint_assign(
                complaint=complaint,
                actor=dumas_people.petugas,
                unit=org.kua_bangil,
                assignee=dumas_people.pimpinan_kua,
            )
        assert (complaint.assigned_unit, complaint.assignee) == (org.kua_bangil, dumas_people.pimpinan_kua)
        assert "pimpinan_kua@contoh.kemenag.go.id" in recipients()
        with pytest.raises(PermissionDenied):  # nothing to report before verification
            services.complaint_report(complaint=complaint, actor=dumas_people.pimpinan_kua, note="Sudah.")
        complaint = services.complaint_verify(complaint=complaint, actor=dumas_people.petugas)
        message = services.complaint_report(
            complaint=complaint, actor=dumas_people.pimpinan_kua, note="Sudah dipanggil dan dibina."
        )
        assert not message.is_public

    def test_whistleblowing_is_never_assigned_to_the_unit_reported(self, org, dumas_people):
        complaint = submit(org.kua_bangil, kind=ComplaintKind.WHISTLEBLOWING, violation=Violation.GRATIFIKASI)
        with pytest.raises(WorkflowError):
            services.complaint_assign(complaint=complaint, actor=dumas_people.petugas, unit=org.kua_bangil)
        with pytest.raises(WorkflowError):
            services.complaint_assign(
                complaint=complaint, actor=dumas_people.petugas, assignee=dumas_people.petugas_kua
            )
        complaint = services.complaint_assign(
            complaint=complaint, actor=dumas_people.petugas, assignee=dumas_people.petugas_kanwil
        )
        assert complaint.assignee == dumas_people.petugas_kanwil


class TestComplainant:
    def test_added_information_reaches_the_officers(
        self, org, dumas_people, django_capture_on_commit_callbacks
    ):
        complaint = submit(org.kua_bangil)
        services.complaint_hold(complaint=complaint, actor=dumas_people.petugas, note="Kapan kejadiannya?")
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            message = services.complaint_add_information(complaint=complaint, text="Senin, 5 Mei 2025 pagi.")
        assert message.is_public and message.kind == MessageKind.INFORMATION
        assert "petugas@contoh.kemenag.go.id" in recipients()

    def test_information_cannot_be_added_once_closed(self, org, dumas_people):
        complaint = submit(org.kua_bangil)
        services.complaint_archive(complaint=complaint, actor=dumas_people.petugas, note="Laporan ganda.")
        with pytest.raises(WorkflowError):
            services.complaint_add_information(complaint=complaint, text="Tambahan.")

    def test_a_rating_comes_once_and_only_after_an_answer(self, org, dumas_people):
        complaint = submit(org.kua_bangil)
        with pytest.raises(WorkflowError):
            services.complaint_rate(complaint=complaint, rating=5)
        complaint = services.complaint_verify(complaint=complaint, actor=dumas_people.petugas)
        complaint = services.complaint_follow_up(complaint=complaint, actor=dumas_people.petugas)
        complaint = services.complaint_answer(
            complaint=complaint, actor=dumas_people.petugas, answer="Selesai."
        )
        with pytest.raises(ValidationError):
            services.complaint_rate(complaint=complaint, rating=6)
        assert services.complaint_rate(complaint=complaint, rating=5).rating == 5
        with pytest.raises(WorkflowError):
            services.complaint_rate(complaint=complaint, rating=1)


class TestSweeps:
    def test_answered_complaints_close_after_the_quiet_period_once(self, org, dumas_people, settings):
        settings.DUMAS_AUTOCLOSE_DAYS = 10
        with time_machine.travel(datetime(2025, 5, 9, 10, 0, tzinfo=WIB)):
            complaint = submit(org.kua_bangil)
            complaint = services.complaint_verify(complaint=complaint, actor=dumas_people.petugas)
            complaint = services.complaint_follow_up(complaint=complaint, actor=dumas_people.petugas)
            complaint = services.complaint_answer(
                complaint=complaint, actor=dumas_people.petugas, answer="Ok."
            )
        from dumas.tasks import close_answered

        with time_machine.travel(datetime(2025, 5, 18, 10, 0, tzinfo=WIB)):
            assert close_answered() == 0
        with time_machine.travel(datetime(2025, 5, 20, 10, 0, tzinfo=WIB)):
            assert close_answered() == 1
            assert close_answered() == 0
        complaint.refresh_from_db()
        assert complaint.status == ComplaintStatus.CLOSED

    def test_overdue_reminders_go_once_per_stage(self, org, dumas_people, django_capture_on_commit_callbacks):
        from dumas.tasks import remind_overdue

        with time_machine.travel(datetime(2025, 5, 9, 10, 0, tzinfo=WIB)):
            complaint = submit(org.kua_bangil)
        mail.outbox.clear()
        with time_machine.travel(datetime(2025, 5, 19, 8, 0, tzinfo=WIB)):
            with django_capture_on_commit_callbacks(execute=True):
                assert remind_overdue() == 1
                assert remind_overdue() == 0
            assert "petugas@contoh.kemenag.go.id" in recipients()
            assert all("melewati batas waktu" in m.body for m in mail.outbox)
            services.complaint_verify(complaint=complaint, actor=dumas_people.petugas)
        # The new stage gets its own reminder when it, too, runs late.
        with time_machine.travel(datetime(2025, 5, 30, 8, 0, tzinfo=WIB)):
            assert remind_overdue() == 1


class TestOutbox:
    def test_a_notification_is_sent_once_however_often_asked(self, org, dumas_people):
        from dumas.notifications import notification_send

        complaint = submit(org.kua_bangil)
        notification = ComplaintNotification.objects.get(complaint=complaint, audience="officers")
        assert notification_send(notification_id=notification.pk)
        sent = len(mail.outbox)
        assert not notification_send(notification_id=notification.pk)
        assert len(mail.outbox) == sent

    def test_a_lost_task_is_picked_up_by_the_sweep(self, org, dumas_people):
        from dumas.tasks import send_pending_notifications

        with time_machine.travel(datetime(2025, 5, 9, 10, 0, tzinfo=WIB)):
            submit(org.kua_bangil)  # on-commit never runs inside the test transaction
        assert not mail.outbox
        with time_machine.travel(datetime(2025, 5, 9, 10, 5, tzinfo=WIB)):
            assert send_pending_notifications() == 2
        assert recipients().count("petugas@contoh.kemenag.go.id") == 1
        assert not ComplaintNotification.objects.filter(sent_at__isnull=True).exists()

    def test_a_failed_send_releases_its_claim(self, org, dumas_people, monkeypatch):
        from dumas import notifications

        complaint = submit(org.kua_bangil)
        notification = ComplaintNotification.objects.get(complaint=complaint, audience="officers")

        def broken(*args, **kwargs):
            raise OSError("SMTP down")

        monkeypatch.setattr(notifications, "send_templated_email", broken)
        with pytest.raises(OSError):
            notifications.notification_send(notification_id=notification.pk)
        notification.refresh_from_db()
        assert notification.claimed_at is None and notification.sent_at is None
        monkeypatch.undo()
        assert notifications.notification_send(notification_id=notification.pk)


def test_each_status_email_names_the_status_it_announces(
    org, dumas_people, django_capture_on_commit_callbacks
):
    complaint = submit(org.kua_bangil)
    with django_capture_on_commit_callbacks(execute=True):
        complaint = services.complaint_verify(complaint=complaint, actor=dumas_people.petugas)
        complaint = services.complaint_follow_up(complaint=complaint, actor=dumas_people.petugas)
        services.complaint_answer(complaint=complaint, actor=dumas_people.petugas, answer="Sudah.")
    subjects = [m.subject for m in mail.outbox if m.to == ["ahmad.fauzi@contoh.id"]]
    assert [s.split(": ", 1)[1] for s in subjects if "Pengaduan DMS-" in s] == [
        "Terverifikasi",
        "Dalam tindak lanjut",
        "Dijawab",
    ]
