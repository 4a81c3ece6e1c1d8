"""Confidential and anonymous complainants stay unknown to everyone but the
complaint officers, on every surface: pages, emails, exports, the audit
trail and the logs. Whistleblowing stays with the office's officers."""

import io
import logging

import openpyxl
import pytest
from django.core import mail
from django.urls import reverse

from dumas import services
from dumas.workflow import ComplaintKind, IdentityMode, Violation
from humas_portal.core.models import AuditEntry

pytestmark = pytest.mark.django_db

SECRET = {"name": "Wulan Kirana Rahasia", "email": "wulan.rahasia@contoh.id", "phone": "089911122233"}
OPEN = {"name": "Bambang Terbuka Santoso", "email": "bambang.terbuka@contoh.id", "phone": "087766655544"}
WHISTLE = {"name": "Pelapor Pungli Tersembunyi", "email": "saksi.pungli@contoh.id", "phone": "085544433322"}

VIEWERS = ["petugas", "petugas_kua", "petugas_kanwil", "pimpinan", "pimpinan_kua", "admin_humas"]
OFFICERS = {"petugas", "petugas_kua", "petugas_kanwil"}


def identity_strings(identity):
    return list(identity.values())


def file(unit, identity, **extra):
    return services.complaint_submit(
        unit=unit,
        kind=extra.pop("kind", ComplaintKind.PENGADUAN),
        subject=extra.pop("subject", "Pelayanan buku nikah lambat"),
        description="Buku nikah belum terbit setelah dua bulan tanpa penjelasan dari petugas.",
        identity_mode=extra.pop("identity_mode", IdentityMode.CONFIDENTIAL),
        reporter_name=identity["name"],
        reporter_email=identity["email"],
        reporter_phone=identity["phone"],
        **extra,
    )


@pytest.fixture
def world(org, dumas_people, django_capture_on_commit_callbacks, caplog):
    """Three complaints about KUA Bangil taken through their life, every
    email sent and every log line captured."""
    caplog.set_level(logging.DEBUG)
    officer = dumas_people.petugas
    with django_capture_on_commit_callbacks(execute=True):
        secret = file(org.kua_bangil, SECRET)
        open_ = file(
            org.kua_bangil, OPEN, identity_mode=IdentityMode.IDENTIFIED, subject="Usul loket prioritas"
        )
        whistle = file(
            org.kua_bangil,
            WHISTLE,
            kind=ComplaintKind.WHISTLEBLOWING,
            violation=Violation.PUNGLI,
            subject="Pungutan saat pendaftaran nikah",
        )
        for complaint in (secret, open_):
            complaint = services.complaint_verify(complaint=complaint, actor=officer)
            complaint = services.complaint_assign(
                complaint=complaint, actor=officer, unit=org.kua_bangil, assignee=dumas_people.pimpinan_kua
            )
            complaint = services.complaint_follow_up(complaint=complaint, actor=officer)
            services.complaint_report(
                complaint=complaint, actor=dumas_people.pimpinan_kua, note="Sudah dibina."
            )
            complaint = services.complaint_answer(
                complaint=complaint, actor=officer, answer="Telah ditindaklanjuti."
            )
            services.complaint_add_information(complaint=complaint, text="Terima kasih, masih ada kendala.")
            services.complaint_rate(complaint=complaint, rating=3)
        whistle = services.complaint_verify(complaint=whistle, actor=officer)
        whistle = services.complaint_assign(
            complaint=whistle, actor=officer, assignee=dumas_people.petugas_kanwil
        )
        services.complaint_forward(
            complaint=whistle, actor=officer, destination="itjen_simdumas", external_reference="SIMDUMAS-77"
        )
    for complaint in (secret, open_, whistle):
        complaint.refresh_from_db()
    return {"secret": secret, "open": open_, "whistle": whistle, "caplog": caplog}


def staff_page(client, user, complaint):
    client.force_login(user)
    return client.get(complaint.get_absolute_url(), {"identitas": "tampil"})


class TestPages:
    @pytest.mark.parametrize("name", VIEWERS)
    def test_a_confidential_identity_shows_only_to_officers(self, client, world, dumas_people, name):
        response = staff_page(client, getattr(dumas_people, name), world["secret"])
        assert response.status_code == 200
        page = response.content.decode()
        shown = [value in page for value in identity_strings(SECRET)]
        assert shown == [name in OFFICERS] * 3

    @pytest.mark.parametrize("name", VIEWERS)
    def test_an_identified_complainant_shows_to_whoever_sees_the_complaint(
        self, client, world, dumas_people, name
    ):
        page = staff_page(client, getattr(dumas_people, name), world["open"]).content.decode()
        assert OPEN["name"] in page

    @pytest.mark.parametrize("name", VIEWERS)
    def test_whistleblowing_is_hidden_from_the_unit_reported(self, client, world, dumas_people, name):
        response = staff_page(client, getattr(dumas_people, name), world["whistle"])
        if name in {"petugas", "petugas_kanwil"}:
            assert WHISTLE["name"] in response.content.decode()
        else:
            assert response.status_code == 404
        queue = client.get(reverse("dumas:queue")).content.decode()
        assert (world["whistle"].tracking_code in queue) is (name in {"petugas", "petugas_kanwil"})

    def test_the_assignee_who_is_no_officer_does_not_see_the_secret(self, client, world, dumas_people):
        page = staff_page(client, dumas_people.pimpinan_kua, world["secret"]).content.decode()
        assert world["secret"].subject in page
        assert not any(value in page for value in identity_strings(SECRET))

    def test_an_officer_reveals_a_confidential_identity_on_request_and_it_is_logged(
        self, client, world, dumas_people
    ):
        client.force_login(dumas_people.petugas)
        hidden = client.get(world["secret"].get_absolute_url()).content.decode()
        assert SECRET["name"] not in hidden and "Tampilkan identitas" in hidden
        assert (
            SECRET["name"]
            in client.get(world["secret"].get_absolute_url(), {"identitas": "tampil"}).content.decode()
        )
        entry = AuditEntry.objects.filter(action="view_identity", object_id=str(world["secret"].pk)).latest(
            "id"
        )
        assert entry.actor == dumas_people.petugas and entry.note == ""

    @pytest.mark.parametrize("name", VIEWERS)
    def test_the_queue_never_lists_identities(self, client, world, dumas_people, name):
        client.force_login(getattr(dumas_people, name))
        page = client.get(reverse("dumas:queue")).content.decode()
        for identity in (SECRET, OPEN, WHISTLE):
            assert not any(value in page for value in identity_strings(identity))

    def test_the_public_tracking_page_shows_no_identity(self, client, world):
        for key, identity in (("secret", SECRET), ("open", OPEN), ("whistle", WHISTLE)):
            page = client.get(world[key].get_tracking_url()).content.decode()
            assert not any(value in page for value in identity_strings(identity))


class TestEmails:
    def test_staff_emails_never_carry_an_identity(self, world):
        complainants = {SECRET["email"], OPEN["email"], WHISTLE["email"]}
        staff_mail = [m for m in mail.outbox if not set(m.to) & complainants]
        assert staff_mail, "the flow sends staff emails"
        for message in staff_mail:
            text = message.subject + message.body
            for identity in (SECRET, OPEN, WHISTLE):
                assert not any(value in text for value in identity_strings(identity)), message.to

    def test_the_assignee_was_emailed_without_the_identity(self, world, dumas_people):
        to_assignee = [m for m in mail.outbox if m.to == [dumas_people.pimpinan_kua.email]]
        assert to_assignee
        assert all(SECRET["name"] not in m.body and SECRET["phone"] not in m.body for m in to_assignee)

    def test_whistleblowing_mail_reaches_only_the_offices_officers(self, world, dumas_people):
        code = world["whistle"].tracking_code
        readers = sorted({address for m in mail.outbox if code in m.subject + m.body for address in m.to})
        assert readers == sorted(
            {dumas_people.petugas.email, dumas_people.petugas_kanwil.email, WHISTLE["email"]}
        )

    def test_complainant_mail_goes_only_to_the_complainant(self, world):
        for key, identity in (("secret", SECRET), ("open", OPEN)):
            code = world[key].tracking_code
            mine = [m for m in mail.outbox if identity["email"] in m.to]
            assert mine and all(m.to == [identity["email"]] and code in m.subject for m in mine)


class TestExports:
    @pytest.mark.parametrize("name", VIEWERS)
    def test_the_excel_list_never_carries_a_confidential_identity(self, client, world, dumas_people, name):
        client.force_login(getattr(dumas_people, name))
        response = client.get(reverse("dumas:queue_export"))
        cells = [
            str(value)
            for row in openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True)
            for value in row
            if value is not None
        ]
        text = "\n".join(cells)
        assert not any(value in text for value in identity_strings(SECRET))
        assert not any(value in text for value in identity_strings(WHISTLE))
        assert OPEN["name"] in text  # identified, and the viewer may see it
        assert (world["whistle"].tracking_code in text) is (name in {"petugas", "petugas_kanwil"})


class TestTrail:
    def test_audit_rows_never_carry_an_identity(self, world):
        for entry in AuditEntry.objects.all():
            text = f"{entry.object_repr}\n{entry.note}"
            for identity in (SECRET, OPEN, WHISTLE):
                assert not any(value in text for value in identity_strings(identity)), entry.action

    def test_whistleblowing_is_filed_under_the_office_in_the_audit_trail(self, world, org):
        units = set(
            AuditEntry.objects.filter(object_id=str(world["whistle"].pk)).values_list("unit", flat=True)
        )
        assert units == {org.pasuruan.pk}

    def test_logs_never_carry_an_identity(self, world):
        logged = "\n".join(record.getMessage() for record in world["caplog"].records)
        for identity in (SECRET, OPEN, WHISTLE):
            assert not any(value in logged for value in identity_strings(identity))


class TestErrorReports:
    def test_error_reports_blank_the_identity_sent_with_the_form(self, org):
        from django.contrib.sessions.backends.cache import SessionStore
        from django.test import RequestFactory
        from django.views.debug import SafeExceptionReporterFilter

        from dumas import views_public

        request = RequestFactory().post(
            reverse("dumas:create", kwargs={"slug": org.kua_bangil.slug}),
            {"reporter_name": SECRET["name"], "reporter_email": SECRET["email"], "subject": "Judul"},
            REMOTE_ADDR="192.0.2.10",
        )
        request.session = SessionStore()
        views_public.create(request, slug=org.kua_bangil.slug)
        reported = SafeExceptionReporterFilter().get_post_parameters(request)
        assert reported["reporter_name"] != SECRET["name"] and reported["reporter_email"] != SECRET["email"]
        assert reported["subject"] == "Judul"
