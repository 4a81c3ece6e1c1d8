"""Import work units (Kanwil, Kankemenag, satker) from a CSV file.

Every row is checked before anything is written, and the whole file is
imported in one transaction: an office never ends up with half of its
units. Units are matched by ``code``, so importing the same file again
updates them instead of creating copies. See ``docs/units-example.csv``.
"""

from __future__ import annotations

import csv
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email, validate_slug
from django.db import IntegrityError, transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from humas_portal.core.models import UnitKind, UnitTimeZone, WorkUnit

COLUMNS = (
    "code",
    "name",
    "short_name",
    "kind",
    "parent_code",
    "timezone",
    "slug",
    "address",
    "email",
    "phone",
)
REQUIRED_COLUMNS = ("code", "name", "kind")
# Fields copied from a row onto the unit, besides ``parent``.
UNIT_FIELDS = ("name", "short_name", "kind", "timezone", "slug", "address", "email", "phone")
TIMEZONE_ABBREVIATIONS = {"WIB": UnitTimeZone.WIB, "WITA": UnitTimeZone.WITA, "WIT": UnitTimeZone.WIT}


@dataclass
class UnitRow:
    """One data row; ``number`` counts the header as row 1, as a
    spreadsheet shows it."""

    number: int
    code: str
    parent_code: str
    values: dict[str, str] = field(default_factory=dict)


def _normalise_kind(value: str) -> str:
    return value.strip().lower().replace(" ", "_").replace("-", "_")


def parse_kind(value: str) -> str | None:
    """Accept the stored value (``madrasah_swasta``) or the label
    (``Madrasah Swasta``, ``MTsN``), in any case."""
    wanted = _normalise_kind(value)
    for kind in UnitKind:
        if wanted in (kind.value, _normalise_kind(str(kind.label))):
            return kind.value
    return None


def parse_timezone(value: str) -> str | None:
    value = value.strip()
    if value.upper() in TIMEZONE_ABBREVIATIONS:
        return TIMEZONE_ABBREVIATIONS[value.upper()].value
    for zone in UnitTimeZone:
        if value.lower() == zone.value.lower():
            return zone.value
    return None


def read_csv(path: Path) -> list[dict[str, str]]:
    """The data rows as dictionaries; a comma or semicolon separates columns
    (spreadsheets set to Indonesian save with semicolons)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError as error:
        raise CommandError(_("Berkas %(path)s tidak ditemukan.") % {"path": path}) from error
    except UnicodeDecodeError as error:
        raise CommandError(
            _("Berkas %(path)s bukan teks UTF-8. Simpan ulang sebagai CSV UTF-8.") % {"path": path}
        ) from error
    lines = text.splitlines()
    if not lines:
        raise CommandError(_("Berkas %(path)s kosong.") % {"path": path})
    header = lines[0]
    delimiter = ";" if header.count(";") > header.count(",") else ","
    reader = csv.DictReader(text.splitlines(keepends=True), delimiter=delimiter)
    # An empty heading (a trailing separator from a spreadsheet) names no column.
    columns = [(name or "").strip().lower() for name in reader.fieldnames or []]
    missing = [name for name in REQUIRED_COLUMNS if name not in columns]
    if missing:
        raise CommandError(
            _("Kolom wajib tidak ada di baris judul: %(columns)s.") % {"columns": ", ".join(missing)}
        )
    unknown = [name for name in columns if name and name not in COLUMNS]
    if unknown:
        raise CommandError(
            _("Kolom tidak dikenal: %(unknown)s. Kolom yang dipakai: %(columns)s.")
            % {"unknown": ", ".join(unknown), "columns": ", ".join(COLUMNS)}
        )
    reader.fieldnames = columns
    rows = []
    for raw in reader:
        if None in raw:
            raw[None] = ",".join(raw[None])
        rows.append({key: (value or "").strip() for key, value in raw.items() if key != ""})
    return rows


def validate_rows(raw_rows: list[dict[str, str]]) -> tuple[list[UnitRow], list[tuple[int, str]]]:
    """Check every row against the model's rules, the file itself and the
    units already in the database; returns the rows and ``(row, message)``
    errors."""
    errors: list[tuple[int, str]] = []
    rows: list[UnitRow] = []
    first_row_of: dict[str, int] = {}

    def error(number: int, message: str, **params) -> None:
        errors.append((number, message % params if params else message))

    for index, raw in enumerate(raw_rows, start=2):
        if not any(raw.get(name) for name in COLUMNS):
            continue  # a blank line at the end of a spreadsheet export
        if raw.get(None):
            error(index, _("baris ini berisi lebih banyak kolom daripada baris judul."))
        row = UnitRow(number=index, code=raw.get("code", ""), parent_code=raw.get("parent_code", ""))
        values = {
            name: raw.get(name, "") for name in ("name", "short_name", "slug", "address", "email", "phone")
        }
        if not row.code:
            error(index, _("kolom code (kode unit) wajib diisi."))
        elif row.code in first_row_of:
            error(
                index,
                _("kode %(code)s sudah dipakai di baris %(first)s."),
                code=row.code,
                first=first_row_of[row.code],
            )
        else:
            first_row_of[row.code] = index
        if not values["name"]:
            error(index, _("kolom name (nama unit) wajib diisi."))
        kind = parse_kind(raw.get("kind", ""))
        if kind is None:
            error(
                index,
                _("jenis unit “%(value)s” tidak dikenal. Pilihan: %(choices)s."),
                value=raw.get("kind", ""),
                choices=", ".join(UnitKind.values),
            )
        values["kind"] = kind or ""
        if raw.get("timezone"):
            zone = parse_timezone(raw["timezone"])
            if zone is None:
                error(
                    index,
                    _("zona waktu “%(value)s” tidak dikenal. Gunakan WIB, WITA, WIT atau %(zones)s."),
                    value=raw["timezone"],
                    zones=", ".join(UnitTimeZone.values),
                )
            values["timezone"] = zone or ""
        else:
            values["timezone"] = ""  # inherited from the parent below
        if values["email"]:
            try:
                validate_email(values["email"])
            except ValidationError:
                error(index, _("alamat email “%(value)s” tidak valid."), value=values["email"])
        if values["slug"]:
            try:
                validate_slug(values["slug"])
            except ValidationError:
                error(
                    index,
                    _("slug “%(value)s” tidak valid: gunakan huruf, angka, tanda hubung atau garis bawah."),
                    value=values["slug"],
                )
        for name in ("code", "name", "short_name", "slug", "phone"):
            limit = WorkUnit._meta.get_field(name).max_length
            value = row.code if name == "code" else values[name]
            if len(value) > limit:
                error(
                    index,
                    _("kolom %(column)s terlalu panjang (paling banyak %(limit)s karakter)."),
                    column=name,
                    limit=limit,
                )
        if row.parent_code and row.parent_code == row.code:
            error(index, _("unit tidak dapat menjadi induk dirinya sendiri."))
        row.values = values
        rows.append(row)

    _check_against_database(rows, first_row_of, errors)
    errors.sort(key=lambda item: item[0])
    return rows, errors


def _check_against_database(
    rows: list[UnitRow], first_row_of: dict[str, int], errors: list[tuple[int, str]]
) -> None:
    """Parents, inherited time zones, slugs and cycles: the checks that need
    the rest of the file and the units already stored."""
    codes = {row.code for row in rows} | {row.parent_code for row in rows if row.parent_code}
    stored = {unit.code: unit for unit in WorkUnit.objects.filter(code__in=codes).select_related("parent")}
    zone_of = {code: unit.timezone for code, unit in stored.items()}

    for row in rows:
        parent = row.parent_code
        if parent and parent != row.code:
            first = first_row_of.get(parent)
            if first is not None and first > row.number and parent not in stored:
                errors.append(
                    (
                        row.number,
                        _(
                            "unit induk %(code)s baru muncul di baris %(later)s; letakkan induk di atas unit bawahannya."
                        )
                        % {"code": parent, "later": first},
                    )
                )
            elif first is None and parent not in stored:
                errors.append(
                    (
                        row.number,
                        _("kode induk %(code)s tidak ada di basis data maupun di baris sebelumnya.")
                        % {"code": parent},
                    )
                )
        if not row.values["timezone"]:
            # A unit without a zone of its own sits where its parent is.
            row.values["timezone"] = zone_of.get(parent, UnitTimeZone.WIB.value)
        if row.code and first_row_of.get(row.code) == row.number:
            zone_of[row.code] = row.values["timezone"]

    _assign_slugs(rows, stored, first_row_of, errors)
    _check_cycles(rows, stored, first_row_of, errors)


def _assign_slugs(
    rows: list[UnitRow],
    stored: dict[str, WorkUnit],
    first_row_of: dict[str, int],
    errors: list[tuple[int, str]],
) -> None:
    """A slug given in the file wins, then a stored unit keeps its own; new
    units get one from their name, with the code added when that is taken."""
    fixed: dict[str, int] = {}
    derived: list[UnitRow] = []
    for row in rows:
        if not row.values["slug"] and row.code in stored:
            row.values["slug"] = stored[row.code].slug
        if not row.values["slug"]:
            derived.append(row)
        elif row.values["slug"] in fixed:
            errors.append(
                (
                    row.number,
                    _("slug %(slug)s sudah dipakai di baris %(first)s.")
                    % {"slug": row.values["slug"], "first": fixed[row.values["slug"]]},
                )
            )
        else:
            fixed[row.values["slug"]] = row.number
    candidates = {row.values["slug"] for row in rows}
    for row in derived:
        candidates |= {_name_slug(row), _name_code_slug(row)}
    # Units outside the file keep their slugs; those in the file may change theirs.
    owner_of = dict(
        WorkUnit.objects.filter(slug__in=candidates)
        .exclude(code__in=first_row_of)
        .values_list("slug", "code")
    )
    for row in rows:
        if row.values["slug"] in owner_of:
            errors.append(
                (
                    row.number,
                    _("slug %(slug)s sudah dipakai unit %(code)s.")
                    % {"slug": row.values["slug"], "code": owner_of[row.values["slug"]]},
                )
            )
    taken = set(fixed) | set(owner_of)
    for row in derived:
        slug = next((s for s in (_name_slug(row), _name_code_slug(row)) if s and s not in taken), "")
        if not slug:
            errors.append((row.number, _("isi kolom slug: slug dari nama unit sudah dipakai.")))
        row.values["slug"] = slug
        taken.add(slug)


def _name_slug(row: UnitRow) -> str:
    return slugify(row.values["name"])[:120]


def _name_code_slug(row: UnitRow) -> str:
    return slugify(f"{row.values['name']} {row.code}")[:120]


def _check_cycles(
    rows: list[UnitRow],
    stored: dict[str, WorkUnit],
    first_row_of: dict[str, int],
    errors: list[tuple[int, str]],
) -> None:
    """Moving a stored unit under one of its own descendants would loop the
    hierarchy. Only re-parented stored units can do that: a new unit has
    no descendants yet."""
    moved = [
        row
        for row in rows
        if row.code in stored
        and row.parent_code != (stored[row.code].parent.code if stored[row.code].parent_id else "")
    ]
    if not moved:
        return
    parent_of = dict(WorkUnit.objects.values_list("code", "parent__code"))
    for row in rows:
        if first_row_of.get(row.code) == row.number:
            parent_of[row.code] = row.parent_code or None
    for row in moved:
        seen = {row.code}
        current = row.parent_code
        while current:
            if current in seen:
                errors.append(
                    (
                        row.number,
                        _("unit induk %(code)s berada di bawah unit ini; susunan induk akan berputar.")
                        % {"code": row.parent_code},
                    )
                )
                break
            seen.add(current)
            current = parent_of.get(current)


def import_rows(rows: list[UnitRow]) -> Counter:
    """Create or update every row in file order (parents come first); the
    caller holds the transaction. Units are read fresh for each row because
    moving a parent rewrites the stored paths of its subtree."""
    counts: Counter = Counter()
    for row in rows:
        unit = WorkUnit.objects.filter(code=row.code).first()
        parent = WorkUnit.objects.get(code=row.parent_code) if row.parent_code else None
        if unit is None:
            unit = WorkUnit(code=row.code, parent=parent, **row.values)
            unit.save()
            counts["created"] += 1
            continue
        changed = unit.parent_id != (parent.pk if parent else None) or any(
            getattr(unit, name) != row.values[name] for name in UNIT_FIELDS
        )
        if changed:
            unit.parent = parent
            for name in UNIT_FIELDS:
                setattr(unit, name, row.values[name])
            unit.save()
            counts["updated"] += 1
        else:
            counts["unchanged"] += 1
    return counts


class Command(BaseCommand):
    help = _(
        "Impor unit kerja dari berkas CSV (kolom: code, name, short_name, kind, parent_code, timezone, "
        "slug, address, email, phone). Semua baris diperiksa dulu; bila ada yang salah, tidak ada yang disimpan."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help=_("berkas CSV"))
        parser.add_argument(
            "--dry-run", action="store_true", help=_("periksa dan laporkan tanpa menyimpan apa pun")
        )

    def handle(self, *args, path: Path, dry_run: bool, **options):
        rows, errors = validate_rows(read_csv(path))
        if not rows:
            raise CommandError(_("Berkas %(path)s tidak berisi baris data.") % {"path": path})
        if errors:
            for number, message in errors:
                self.stderr.write(_("Baris %(number)s: %(message)s") % {"number": number, "message": message})
            raise CommandError(
                _("Tidak ada unit yang diimpor: %(count)s baris bermasalah. Perbaiki lalu ulangi.")
                % {"count": len({number for number, _message in errors})}
            )
        try:
            with transaction.atomic():
                counts = import_rows(rows)
                if dry_run:
                    transaction.set_rollback(True)
        except IntegrityError as error:
            raise CommandError(
                _("Tidak ada unit yang diimpor: basis data menolak perubahan (%(error)s).") % {"error": error}
            ) from error
        params = {
            "created": counts["created"],
            "updated": counts["updated"],
            "unchanged": counts["unchanged"],
        }
        if dry_run:
            self.stdout.write(
                _(
                    "Uji coba, tidak ada yang disimpan: %(created)s unit akan dibuat, %(updated)s diperbarui, "
                    "%(unchanged)s tidak berubah."
                )
                % params
            )
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    _(
                        "Impor selesai: %(created)s unit dibuat, %(updated)s diperbarui, %(unchanged)s tidak berubah."
                    )
                    % params
                )
            )
