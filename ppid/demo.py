"""PPID demo data: the PPID page of the demo Kankemenag, a DIP in every
category, and a few requests at different stages.

Called by ``manage.py seed_demo`` after the core demo data exists. Running it
again adds nothing twice: pages by unit, DIP entries by title, requests only
when the unit has none yet. Requests go through the services (numbers,
notices, audit rows) and are then dated back so that the queue shows a
spread of deadlines.
"""

from __future__ import annotations

import io
from datetime import timedelta

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from humas_portal.core.models import AuditEntry, Role, User, WorkUnit
from humas_portal.core.workdays import add_working_days, is_working_day

from . import services
from .models import DipCategory, DipEntry, PpidProfile, PpidRequest

PROFILES = {
    "KK3514": {
        "profile": (
            "PPID Pelaksana Kantor Kementerian Agama Kabupaten Pasuruan melayani permohonan informasi publik "
            "tentang layanan keagamaan, pendidikan madrasah, KUA dan tata kelola kantor."
        ),
        "officials": [
            ("Atasan PPID", "Drs. Abdul Ghofur", "Kepala Kantor"),
            ("PPID Pelaksana", "Rina Marlina, S.Sos.", "Kepala Subbagian Tata Usaha"),
            ("Petugas Layanan Informasi", "Dewi Lestari", "Pranata Humas"),
        ],
        "signatory": ("Rina Marlina, S.Sos.", "PPID Pelaksana Kantor Kementerian Agama Kabupaten Pasuruan"),
    },
}

PROCEDURE = (
    "1. Isi formulir permohonan daring atau datang ke meja PTSP.\n"
    "2. Lampirkan pindaian KTP (atau akta badan hukum dan surat kuasa bila melalui kuasa).\n"
    "3. Catat nomor pendaftaran dan simpan tautan pelacakan yang dikirim ke email Anda.\n"
    "4. PPID memberikan pemberitahuan tertulis paling lambat 10 hari kerja (dapat diperpanjang 7 hari kerja).\n"
    "5. Bila tidak puas, ajukan keberatan kepada Atasan PPID melalui halaman pelacakan."
)

DIP = [
    (
        DipCategory.BERKALA,
        "Laporan Kinerja Instansi Pemerintah (LKjIP) 2025",
        "Capaian kinerja kantor atas sasaran strategis tahun 2025.",
        True,
    ),
    (
        DipCategory.BERKALA,
        "Daftar penerima Bantuan Operasional Pendidikan madrasah",
        "Rekapitulasi jumlah madrasah penerima dan besaran bantuan per semester.",
        True,
    ),
    (
        DipCategory.SERTA_MERTA,
        "Informasi tanggap darurat banjir bagi madrasah",
        "Lokasi pengungsian dan nomor kontak posko untuk madrasah terdampak banjir.",
        False,
    ),
    (
        DipCategory.SETIAP_SAAT,
        "Standar pelayanan PTSP",
        "Jenis layanan, persyaratan, waktu dan biaya layanan di meja PTSP.",
        True,
    ),
    (
        DipCategory.SETIAP_SAAT,
        "Jadwal bimbingan perkawinan di KUA",
        "Jadwal dan tempat bimbingan perkawinan calon pengantin per kecamatan.",
        False,
    ),
]

EXEMPT = {
    "title": "Berkas pemeriksaan disiplin pegawai",
    "summary": "Berita acara pemeriksaan dugaan pelanggaran disiplin aparatur sipil negara.",
    "exemption_ground": "h",
    "legal_basis": "UU 14/2008 Pasal 17 huruf h; PP 94/2021 tentang Disiplin PNS.",
    "consequence_test": (
        "Membuka berkas akan mengungkap rahasia pribadi pegawai yang diperiksa dan saksi; kerugiannya lebih "
        "besar daripada manfaat bagi publik, sedangkan hasil akhirnya diumumkan dalam laporan kinerja."
    ),
    "exemption_period": "Selama pegawai yang bersangkutan masih hidup",
}

REQUESTS = [
    # (information requested, purpose, working days ago, what happens)
    (
        "Jumlah pasangan yang menikah di KUA se-Kabupaten Pasuruan per bulan tahun 2025",
        "Bahan tulisan jurnalistik",
        1,
        "open",
    ),
    (
        "Salinan standar pelayanan dan maklumat pelayanan PTSP",
        "Penelitian tugas akhir",
        9,
        "open",
    ),
    (
        "Rincian realisasi anggaran rehabilitasi gedung MAN 1 Pasuruan tahun 2025",
        "Pengawasan anggaran oleh lembaga swadaya masyarakat",
        6,
        "answered",
    ),
    (
        "Nama dan NIK seluruh penerima bantuan madrasah",
        "Pendataan organisasi",
        12,
        "refused",
    ),
]


def _pdf(title: str, lines: list[str]) -> bytes:
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4)
    page.setFont("Helvetica-Bold", 14)
    page.drawString(72, 780, title)
    page.setFont("Helvetica", 11)
    for number, line in enumerate(lines):
        page.drawString(72, 750 - 18 * number, line)
    page.save()
    return buffer.getvalue()


def _identity_scan() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (320, 200), (214, 226, 240)).save(buffer, format="PNG")
    return SimpleUploadedFile("ktp-contoh.png", buffer.getvalue(), content_type="image/png")


def _working_days_before(day, count):
    while count:
        day -= timedelta(days=1)
        if is_working_day(day):
            count -= 1
    return day


def _seed_profile(unit: WorkUnit, spec: dict, actor: User) -> PpidProfile:
    profile = PpidProfile.objects.filter(unit=unit).first()
    if profile is None:
        profile = services.ppid_profile_save(
            unit=unit,
            actor=actor,
            data={
                "is_published": True,
                "profile": spec["profile"],
                "service_procedure": PROCEDURE,
                "service_hours": "Senin–Kamis 08.00–15.30, Jumat 08.00–16.00",
                "service_fees": "Tidak dipungut biaya. Salinan cetak dikenakan biaya penggandaan sesuai tarif umum.",
                "signatory_name": spec["signatory"][0],
                "signatory_title": spec["signatory"][1],
            },
            officials=[services.OfficialInput(*official) for official in spec["officials"]],
        )
    return profile


def _seed_dip(unit: WorkUnit, actor: User) -> int:
    created = 0
    common = {
        "holder": "Subbagian Tata Usaha",
        "responsible": "Kepala Subbagian Tata Usaha",
        "made_when": "2025",
        "made_where": unit.short_name or unit.name,
        "form_available": "Softcopy dan hardcopy",
        "retention_period": "5 tahun",
        "is_published": True,
        "order": 0,
    }
    for category, title, summary, with_document in DIP:
        if DipEntry.objects.filter(unit=unit, title=title).exists():
            continue
        entry = services.ppid_dip_entry_save(
            unit=unit, actor=actor, data={**common, "category": category, "title": title, "summary": summary}
        )
        created += 1
        if with_document:
            upload = SimpleUploadedFile(
                f"{entry.pk}-dokumen.pdf",
                _pdf(title[:60], [summary[:90], unit.name, "Dokumen contoh untuk demo."]),
                content_type="application/pdf",
            )
            services.ppid_dip_document_add(entry=entry, actor=actor, title=title, upload=upload)
    if not DipEntry.objects.filter(unit=unit, title=EXEMPT["title"]).exists():
        services.ppid_dip_entry_save(
            unit=unit, actor=actor, data={**common, **EXEMPT, "category": DipCategory.DIKECUALIKAN}
        )
        created += 1
    return created


def _date_back(ppid_request: PpidRequest, working_days: int) -> None:
    """Move a fresh request's receipt (and its audit rows) into the past."""
    received_on = _working_days_before(timezone.localdate(timezone=ppid_request.unit.tzinfo), working_days)
    shift = timezone.localdate(timezone=ppid_request.unit.tzinfo) - received_on
    PpidRequest.objects.filter(pk=ppid_request.pk).update(
        received_on=received_on,
        received_at=ppid_request.received_at - shift,
        due_on=add_working_days(received_on, 10),
    )
    AuditEntry.objects.filter(object_id=str(ppid_request.pk), action="submit").update(
        created_at=ppid_request.received_at - shift
    )


def _seed_requests(unit: WorkUnit, ppid: User) -> int:
    if PpidRequest.objects.filter(unit=unit).exists():
        return 0
    people = ["Siti Aminah", "Budi Santoso", "Yayasan Cahaya Ilmu", "Ahmad Fauzan"]
    for index, (information, purpose, days_ago, outcome) in enumerate(REQUESTS):
        entity = people[index].startswith("Yayasan")
        submitted = services.ppid_request_submit(
            unit=unit,
            requester_kind="badan_hukum" if entity else "perorangan",
            name=people[index],
            identity_number="AHU-0001234.AH.01.04 Tahun 2020"
            if entity
            else f"351401{520890 + index:06d}000{index + 1}",
            address=f"Jl. Contoh No. {index + 1}, Pasuruan",
            phone=f"0812000000{index:02d}",
            email=f"pemohon{index + 1}@example.org",
            information_requested=information,
            purpose=purpose,
            obtain_method="softcopy",
            delivery_method="email",
            identity_document=_identity_scan(),
        )
        _date_back(submitted.request, days_ago)
        ppid_request = PpidRequest.objects.get(pk=submitted.request.pk)
        if outcome == "answered":
            answer = ContentFile(
                _pdf(
                    "Realisasi anggaran rehabilitasi",
                    ["Pagu: Rp 1.250.000.000", "Realisasi: Rp 1.198.400.000"],
                ),
                name="realisasi-anggaran.pdf",
            )
            services.ppid_request_answer(
                request=ppid_request,
                actor=ppid,
                decision="diberikan",
                answer_form="softcopy",
                answer_format="PDF",
                answer_note="Terlampir rincian realisasi anggaran yang Saudara minta.",
                files=[answer],
            )
        elif outcome == "refused":
            ppid_request = services.ppid_request_answer(
                request=ppid_request,
                actor=ppid,
                decision="ditolak",
                refusal_ground="h",
                consequence_test=(
                    "NIK penerima adalah data pribadi; membukanya merugikan penerima dan tidak diperlukan untuk "
                    "tujuan pendataan. Jumlah penerima per madrasah tersedia dalam DIP."
                ),
            )
            services.ppid_objection_file(
                request=ppid_request,
                grounds=["a"],
                reasons="Kami memerlukan data lengkap untuk memverifikasi anggota kami.",
            )
    return len(REQUESTS)


def seed_demo(stdout) -> None:
    for code, spec in PROFILES.items():
        unit = WorkUnit.objects.filter(code=code).first()
        ppid = (
            User.objects.filter(
                is_active=True, role_assignments__role=Role.PPID, role_assignments__unit=unit
            ).first()
            if unit
            else None
        )
        if ppid is None:
            continue
        with transaction.atomic():
            _seed_profile(unit, spec, ppid)
            entries = _seed_dip(unit, ppid)
            requests = _seed_requests(unit, ppid)
        stdout.write(
            _(
                "PPID %(unit)s: %(entries)s entri DIP dan %(requests)s permohonan contoh ditambahkan (%(url)s)."
            )
            % {
                "unit": unit.name,
                "entries": entries,
                "requests": requests,
                "url": reverse("ppid:unit", kwargs={"slug": unit.slug}),
            }
        )
