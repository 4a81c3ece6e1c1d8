"""Filling the public PPID request form as a person does, for the browser
tests that send it."""

from PIL import Image

from ..ppid.factories import VALID_NIK


def ktp_scan(tmp_path, name: str = "ktp.png"):
    """A small PNG standing in for a scanned identity card."""
    path = tmp_path / name
    Image.new("RGB", (300, 190), (210, 225, 240)).save(path, format="PNG")
    return path


def fill_ppid_request(
    page,
    scan,
    *,
    nik: str = VALID_NIK,
    phone: str | None = "081234567890",
    obtain: str = "Mendapatkan salinan elektronik (softcopy)",
) -> None:
    """Fill every field of the request form on ``page`` (not sent)."""
    page.get_by_label("Perorangan").check()
    page.get_by_label("Nama pemohon").fill("Siti Aminah")
    page.get_by_label("NIK atau nomor akta/SK badan hukum").fill(nik)
    page.get_by_label("Pindaian KTP atau akta badan hukum").set_input_files(str(scan))
    page.get_by_label("Alamat").fill("Jl. Pahlawan 1, Bangil")
    if phone:
        page.get_by_label("Nomor telepon/HP").fill(phone)
    page.get_by_label("Email", exact=True).fill("siti@example.org")
    page.get_by_label("Rincian informasi yang dibutuhkan").fill("Jumlah pernikahan per KUA tahun 2025")
    page.get_by_label("Tujuan penggunaan informasi").fill("Penelitian skripsi")
    page.get_by_label(obtain).check()
    page.get_by_label("Surat elektronik (email)").check()
    page.get_by_label("Saya menyatakan data di atas benar").check()
