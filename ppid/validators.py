"""Identity numbers of requesters: NIK for people, deed/SK number for legal
entities."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

_NON_DIGITS = re.compile(r"[\s.\-]")
_ENTITY_NUMBER = re.compile(r"^[A-Za-z0-9./\- ]{3,100}$")


def normalise_nik(value: str) -> str:
    """A NIK as 16 digits, or ``ValidationError``.

    Digits 7–12 are the date of birth as DDMMYY, with 40 added to the day for
    women; a number whose date cannot exist is a typing mistake.
    """
    digits = _NON_DIGITS.sub("", value or "")
    if not digits.isdigit() or len(digits) != 16:
        raise ValidationError(_("NIK harus terdiri dari 16 angka."), code="nik_length")
    day, month = int(digits[6:8]), int(digits[8:10])
    if day > 40:
        day -= 40
    if not (1 <= day <= 31 and 1 <= month <= 12) or digits[:6] == "000000":
        raise ValidationError(_("NIK tidak valid. Periksa kembali angka pada KTP Anda."), code="nik_invalid")
    return digits


def normalise_entity_number(value: str) -> str:
    """The number of a legal entity's deed or decree (akta pendirian / SK
    Kemenkumham), as written on it."""
    value = " ".join((value or "").split())
    if not _ENTITY_NUMBER.match(value) or not any(ch.isdigit() for ch in value):
        raise ValidationError(
            _(
                "Nomor akta/SK badan hukum tidak valid. Gunakan huruf, angka, titik, garis miring atau tanda hubung."
            ),
            code="entity_number_invalid",
        )
    return value
