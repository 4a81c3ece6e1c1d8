"""Dumas demo data: QR locations with printable posters, and complaints at
every stage for the demo Kankemenag's Petugas Dumas to work on.

Called by ``manage.py seed_demo`` after the core demo data exists. Running it
again adds nothing twice: locations by unit and name, complaints only when
the office has none yet. Complaints go through the services (tracking codes,
deadlines, audit rows, outbox emails) and are then dated back so that the
queue shows a spread of deadlines, one of them overdue.
"""

from __future__ import annotations

import io
from datetime import timedelta

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, ImageDraw

from humas_portal.core.models import AuditEntry, Role, User, WorkUnit
from humas_portal.core.workdays import add_working_days

from . import services
from .models import Complaint, ComplaintLocation
from .workflow import Channel, ComplaintKind, ForwardDestination, IdentityMode, Violation

OFFICE_CODE = "KK3514"
KUA_CODE = "KUA351401"
MADRASAH_CODE = "MAN351401"


def _photo() -> SimpleUploadedFile:
    image = Image.new("RGB", (640, 420), (225, 232, 226))
    draw = ImageDraw.Draw(image)
    draw.rectangle((60, 80, 580, 340), outline=(11, 107, 58), width=6)
    draw.text((90, 190), "Antrean loket pelayanan", fill=(29, 42, 34))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=85)
    return SimpleUploadedFile("antrean.jpg", buffer.getvalue(), content_type="image/jpeg")


def _date_back(complaint: Complaint, days: int) -> None:
    """Move a fresh complaint's receipt (and the deadlines counted from it)
    ``days`` calendar days into the past."""
    received_at = complaint.received_at - timedelta(days=days)
    received_on = timezone.localtime(received_at, complaint.unit.tzinfo).date()
    Complaint.objects.filter(pk=complaint.pk).update(
        received_at=received_at,
        verify_due=add_working_days(received_on, settings.DUMAS_VERIFY_WORKING_DAYS),
        finish_due=received_on + timedelta(days=settings.DUMAS_FINISH_DAYS),
    )
    AuditEntry.objects.filter(object_id=str(complaint.pk), action="submit").update(created_at=received_at)


def _locations(office: WorkUnit, kua: WorkUnit | None, officer: User) -> dict[str, ComplaintLocation]:
    wanted = [(office, "Meja PTSP"), (office, "Ruang tunggu layanan haji")]
    if kua is not None:
        wanted.append((kua, f"Loket depan {kua.short_name or kua.name}"))
    locations = {}
    for unit, name in wanted:
        location, _created = ComplaintLocation.objects.get_or_create(
            unit=unit, name=name, defaults={"created_by": officer}
        )
        locations[name] = location
    return locations


def _complaints(
    office: WorkUnit, kua: WorkUnit, madrasah: WorkUnit, officer: User, qr: ComplaintLocation
) -> int:
    # 1. Waiting for verification, already past its deadline.
    waiting = services.complaint_submit(
        unit=kua,
        kind=ComplaintKind.PENGADUAN,
        subject="Antrean pendaftaran nikah tidak tertib",
        description=(
            "Pada hari Senin pagi antrean di KUA tidak memakai nomor urut sehingga pemohon yang datang "
            "belakangan dilayani lebih dulu. Mohon disediakan nomor antrean."
        ),
        incident_location="Ruang pelayanan KUA",
        identity_mode=IdentityMode.CONFIDENTIAL,
        reporter_name="Siti Aminah",
        reporter_email="siti.aminah@contoh.id",
    )
    _date_back(waiting, 8)

    # 2. From the QR poster, anonymous, with a photo: answered and rated.
    answered = services.complaint_submit(
        unit=kua,
        location=qr,
        kind=ComplaintKind.PENGADUAN,
        subject="Tidak ada informasi biaya di loket",
        description=(
            "Di loket depan tidak terpasang informasi biaya nikah, sehingga warga ragu berapa yang harus "
            "dibayar bila menikah di luar kantor."
        ),
        identity_mode=IdentityMode.ANONYMOUS,
        attachments=[_photo()],
    )
    answered = services.complaint_verify(complaint=answered, actor=officer)
    answered = services.complaint_follow_up(
        complaint=answered, actor=officer, note="Diteruskan ke Kepala KUA."
    )
    answered = services.complaint_answer(
        complaint=answered,
        actor=officer,
        answer=(
            "Terima kasih. Papan informasi biaya nikah (Rp0 di kantor pada jam kerja, Rp600.000 di luar kantor, "
            "disetor ke kas negara) kini dipasang di loket depan."
        ),
    )
    services.complaint_rate(complaint=answered, rating=5, comment="Cepat ditanggapi.")

    # 3. A phone call recorded by the officer: an aspiration, verified and assigned.
    aspiration = services.complaint_submit(
        unit=madrasah,
        channel=Channel.PHONE,
        recorded_by=officer,
        kind=ComplaintKind.ASPIRASI,
        subject="Usul kegiatan ekstrakurikuler robotik",
        description="Wali murid mengusulkan ekstrakurikuler robotik dibuka kembali pada semester ini.",
        identity_mode=IdentityMode.IDENTIFIED,
        reporter_name="Bapak Hendra",
        reporter_phone="081234500001",
    )
    aspiration = services.complaint_verify(complaint=aspiration, actor=officer)
    services.complaint_assign(
        complaint=aspiration, actor=officer, unit=madrasah, note="Mohon ditanggapi kepala madrasah."
    )

    # 4. Whistleblowing on pungli: verified and forwarded to the Inspektorat Jenderal.
    whistle = services.complaint_submit(
        unit=kua,
        kind=ComplaintKind.WHISTLEBLOWING,
        violation=Violation.PUNGLI,
        subject="Permintaan uang di luar ketentuan",
        description="Ada permintaan uang tambahan tanpa kuitansi saat pengurusan rekomendasi nikah.",
        identity_mode=IdentityMode.ANONYMOUS,
    )
    whistle = services.complaint_verify(complaint=whistle, actor=officer)
    services.complaint_forward(
        complaint=whistle,
        actor=officer,
        destination=ForwardDestination.ITJEN,
        external_reference="SIMDUMAS-DEMO-0001",
    )

    # 5. A letter asking for information, on hold for missing details.
    letter = services.complaint_submit(
        unit=office,
        channel=Channel.LETTER,
        recorded_by=officer,
        kind=ComplaintKind.INFORMASI,
        subject="Jadwal manasik haji tahun ini",
        description="Surat dari jamaah menanyakan jadwal dan tempat manasik haji tingkat kabupaten.",
        identity_mode=IdentityMode.IDENTIFIED,
        reporter_name="Hj. Maimunah",
        reporter_email="maimunah@contoh.id",
    )
    services.complaint_hold(
        complaint=letter,
        actor=officer,
        note="Mohon sebutkan kloter atau tahun keberangkatan Anda agar kami dapat memberi jadwal yang tepat.",
    )
    return 5


def seed_demo(stdout) -> None:
    office = WorkUnit.objects.filter(code=OFFICE_CODE).first()
    officer = (
        User.objects.filter(
            is_active=True, role_assignments__role=Role.PETUGAS_DUMAS, role_assignments__unit=office
        ).first()
        if office
        else None
    )
    if officer is None:
        stdout.write(_("Dumas: tidak ada Petugas Dumas di kantor demo; data pengaduan contoh dilewati."))
        return
    kua = WorkUnit.objects.filter(code=KUA_CODE).first()
    madrasah = WorkUnit.objects.filter(code=MADRASAH_CODE).first() or office
    with transaction.atomic():
        locations = _locations(office, kua, officer)
        created = 0
        if kua is not None and not Complaint.objects.filter(office=office).exists():
            qr = next(location for location in locations.values() if location.unit_id == kua.pk)
            created = _complaints(office, kua, madrasah, officer, qr)
    stdout.write(
        _("Dumas: %(locations)s lokasi kode QR dan %(complaints)s pengaduan contoh (%(url)s).")
        % {"locations": len(locations), "complaints": created, "url": reverse("dumas:queue")}
    )
