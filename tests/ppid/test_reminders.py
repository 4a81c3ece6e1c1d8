"""Deadline reminders by email: a few working days before, and once the
deadline has passed; each once, in office hours of the unit's zone."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail

from ppid import services, tasks
from ppid.models import EmailLog

from .factories import submit_request

pytestmark = pytest.mark.django_db

WIB = ZoneInfo("Asia/Jakarta")


def at(month, day, hour=9):
    return time_machine.travel(datetime(2026, month, day, hour, tzinfo=WIB), tick=False)


def reminders():
    return [m for m in mail.outbox if "Pengingat" in m.subject or "Lewat batas waktu" in m.subject]


@pytest.fixture
def request_due_6_april(org, ppid_people):
    with at(3, 13):
        return submit_request(org.pasuruan).request


def test_reminder_two_working_days_before_then_once_overdue(request_due_6_april, ppid_people):
    with at(3, 31):
        assert tasks.send_deadline_reminders() == 0  # three working days left
    with at(4, 1):
        assert tasks.send_deadline_reminders() == 1
        assert tasks.send_deadline_reminders() == 0
    with at(4, 6):
        assert tasks.send_deadline_reminders() == 0  # already reminded for this deadline
    [soon] = reminders()
    assert soon.to == [ppid_people.ppid.email]  # the unit's own PPID, not the Kanwil's
    assert "6 April 2026" in soon.subject and "sisa 2 hari kerja" in soon.body
    with at(4, 7):
        assert tasks.send_deadline_reminders() == 1
    with at(4, 8):
        assert tasks.send_deadline_reminders() == 0
    overdue = reminders()[-1]
    assert "Lewat batas waktu" in overdue.subject
    assert set(EmailLog.objects.values_list("kind", flat=True)) >= {"request_due_soon", "request_overdue"}


def test_reminders_wait_for_office_hours_in_the_units_zone(request_due_6_april, settings):
    settings.PPID_REMINDER_LOCAL_HOUR = 7
    with at(4, 1, hour=5):
        assert tasks.send_deadline_reminders() == 0
    with at(4, 1, hour=7):
        assert tasks.send_deadline_reminders() == 1


def test_an_extension_brings_new_reminders_for_the_new_deadline(request_due_6_april, ppid_people):
    with at(4, 1):
        tasks.send_deadline_reminders()
        services.ppid_request_extend(request=request_due_6_april, actor=ppid_people.ppid, reason="Koordinasi")
    with at(4, 7):
        assert tasks.send_deadline_reminders() == 0  # not overdue any more
    with at(4, 13):
        assert tasks.send_deadline_reminders() == 1  # 15 April is two working days away
    assert "15 April 2026" in reminders()[-1].subject


def test_answered_requests_get_no_reminders(request_due_6_april, ppid_people):
    services.ppid_request_answer(
        request=request_due_6_april, actor=ppid_people.ppid, decision="tidak_dikuasai", holder_info="Pemda"
    )
    with at(4, 7):
        assert tasks.send_deadline_reminders() == 0


def test_atasan_is_reminded_of_the_objection_deadline(request_due_6_april, ppid_people):
    with at(4, 7):
        objection = services.ppid_objection_file(
            request=request_due_6_april, grounds=["c"], reasons="Tidak dijawab"
        )
        tasks.send_deadline_reminders()  # the request itself is overdue: its PPID hears of it
    assert objection.due_on.isoformat() == "2026-05-22"
    mail.outbox.clear()
    with at(5, 20):
        assert tasks.send_deadline_reminders() == 1
    [message] = reminders()
    assert message.to == [ppid_people.atasan.email]
    assert objection.registration_number in message.subject


def test_a_duplicated_email_task_sends_once(request_due_6_april):
    mail.outbox.clear()
    assert tasks.send_request_email(request_due_6_april.pk, "request_overdue", "2026-04-06") == 1
    assert tasks.send_request_email(request_due_6_april.pk, "request_overdue", "2026-04-06") == 0
    assert len(mail.outbox) == 1
