"""Files chosen in a form that failed validation, held on the server until
the form is sent again.

A browser never refills a file input, so without this a person who mistyped
their NIK would have to find their KTP scan again. When a bound form has
errors, every file that passed its own field's checks is kept here, and the
form is shown again with "Berkas tersimpan: ktp.pdf (ganti)" in place of an
empty input. The next submission reads the file back and the field checks it
again exactly as before: size limits and content checks are the field's own
and unchanged; the hold only spares the person choosing it again.

How a held file is kept and found:

- its bytes are encrypted (``core.crypto``, like identity documents) and
  stored in the one ``PrivateStorage`` under ``held/`` with a random name;
- its name, size and type travel in a signed token in a hidden input next to
  the field (one per field, rendered by the widget, so any template that
  renders ``{{ field }}`` shows it). The token names the form's scope and the
  field and carries a random nonce kept in the session: a token copied into
  another session, another form or another field is refused, and so is one
  older than ``HELD_UPLOADS_MAX_AGE_SECONDS``;
- a file that cannot be read back (expired, another session, swept) is never
  silently dropped: the field says which file to choose again;
- held files are deleted as soon as a submission using them validates, when
  the person chooses another file instead, and otherwise by the sweep
  (``held_uploads_sweep``, run at most every few minutes while files are
  being held, and by ``manage.py sweep_held_uploads``).

Why not a library: django-file-form (the maintained one) uploads each file by
JavaScript as soon as it is chosen, through its own URLs, model and
migration, and needs its JavaScript bundle on the page. Our forms must work
without scripts on a cheap phone, the files must stay in the private storage
encrypted like the rest of the PPID and Dumas data, and nothing should be
stored for a form that validates on its first try. Holding only on failure
is a small module over Django's signing, the session and the storage we
already have.

Use: add ``HeldUploadsMixin`` to the form, give the file fields a
``HeldFileInput`` (or ``HeldMultipleFileInput``) widget, and construct the
form with ``held_uploads=HeldUploads.for_request(request, "scope")``. A form
built without it behaves as before.
"""

from __future__ import annotations

import logging
import secrets
import time
from dataclasses import dataclass

from cryptography.fernet import InvalidToken
from django import forms
from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.crypto import constant_time_compare
from django.utils.datastructures import MultiValueDict
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

from .crypto import decrypt_bytes, encrypt_bytes
from .storage import private_storage

logger = logging.getLogger(__name__)

FOLDER = "held"
SESSION_KEY = "held_uploads_nonce"
TOKEN_SUFFIX = "-held"  # noqa: S105 (a field-name suffix, not a secret)
KEEP_SUFFIX = "-held-keep"
DEFAULT_MAX_AGE_SECONDS = 12 * 3600  # as long as a Dumas form may stay open
SWEEP_INTERVAL_SECONDS = 600


def max_age_seconds() -> int:
    return int(getattr(settings, "HELD_UPLOADS_MAX_AGE_SECONDS", DEFAULT_MAX_AGE_SECONDS))


@dataclass(frozen=True)
class HeldFile:
    id: str
    name: str
    size: int
    content_type: str

    def as_list(self) -> list:
        return [self.id, self.name, self.size, self.content_type]


class HeldUploads:
    """The held files of one form (``scope``) in one session."""

    def __init__(self, session, scope: str):
        self.session = session
        self.scope = scope

    @classmethod
    def for_request(cls, request, scope: str) -> HeldUploads:
        return cls(request.session, scope)

    # The session's nonce binds every token to this session.

    def _nonce(self, *, create: bool) -> str | None:
        nonce = self.session.get(SESSION_KEY)
        if not nonce and create:
            nonce = secrets.token_urlsafe(18)
            self.session[SESSION_KEY] = nonce
        return nonce

    def _salt(self, field_key: str) -> str:
        return f"core.held-uploads:{self.scope}:{field_key}"

    # Storing and reading.

    def hold(self, upload) -> HeldFile:
        """Keep one upload (encrypted) and describe it."""
        upload.seek(0)
        content = upload.read()
        upload.seek(0)
        held_id = secrets.token_hex(16)
        private_storage.save(f"{FOLDER}/{held_id}", ContentFile(encrypt_bytes(content)))
        held_uploads_sweep_soon()
        return HeldFile(
            id=held_id,
            name=_display_name(upload.name),
            size=len(content),
            content_type=getattr(upload, "content_type", None) or "application/octet-stream",
        )

    def token(self, field_key: str, files: list[HeldFile]) -> str:
        payload = {"n": self._nonce(create=True), "h": [f.as_list() for f in files]}
        return signing.dumps(payload, salt=self._salt(field_key), compress=True)

    def files_in(self, field_key: str, token: str) -> tuple[list[HeldFile], list[str]]:
        """The held files a token names, if this session and field may use
        them, else none; and the names of files it named that cannot be used
        (so the person is told which to choose again)."""
        if not token:
            return [], []
        salt = self._salt(field_key)
        try:
            payload = signing.loads(token, salt=salt, max_age=max_age_seconds())
            fresh = True
        except signing.SignatureExpired:
            payload = signing.loads(token, salt=salt)
            fresh = False
        except signing.BadSignature:
            return [], []
        try:
            files = [HeldFile(str(i), str(n), int(s), str(t)) for i, n, s, t in payload["h"]]
        except (KeyError, TypeError, ValueError):
            return [], []
        nonce = self._nonce(create=False)
        if not fresh or not nonce or not constant_time_compare(str(payload.get("n", "")), nonce):
            return [], [f.name for f in files]
        return files, []

    def open(self, held: HeldFile) -> UploadedFile | None:
        """The held file as an upload again, or ``None`` when it is gone."""
        path = f"{FOLDER}/{held.id}"
        try:
            with private_storage.open(path, "rb") as handle:
                content = decrypt_bytes(handle.read())
        except (FileNotFoundError, InvalidToken):
            return None
        upload = SimpleUploadedFile(held.name, content, content_type=held.content_type)
        upload.held = held
        return upload

    def discard(self, files) -> None:
        for held in files:
            private_storage.delete(f"{FOLDER}/{held.id}")


def _values(data, key: str) -> set[str]:
    if hasattr(data, "getlist"):
        return set(data.getlist(key))
    value = data.get(key)
    if value is None:
        return set()
    return set(value) if isinstance(value, list | tuple) else {value}


def _display_name(name: str | None) -> str:
    base = (name or "berkas").replace("\\", "/").rsplit("/", 1)[-1].replace("\x00", "")
    return base[:200] or "berkas"


def held_uploads_sweep(*, now: float | None = None) -> int:
    """Delete held files older than their tokens can be: no form can use
    them any more. Returns how many were deleted."""
    now = time.time() if now is None else now
    limit = now - max_age_seconds() - 60
    try:
        _, names = private_storage.listdir(FOLDER)
    except FileNotFoundError:
        return 0
    deleted = 0
    for name in names:
        path = f"{FOLDER}/{name}"
        try:
            if private_storage.get_modified_time(path).timestamp() < limit:
                private_storage.delete(path)
                deleted += 1
        except FileNotFoundError:
            continue  # another process swept it first
    return deleted


def held_uploads_sweep_soon() -> None:
    """Sweep while files are being held, at most once per interval across
    every process (the cache decides who)."""
    if cache.add("core:held-uploads:swept", 1, timeout=SWEEP_INTERVAL_SECONDS):
        try:
            held_uploads_sweep()
        except OSError:
            logger.exception("Sweeping held uploads failed")


# --- Widgets ---------------------------------------------------------------------


class HeldFileInput(forms.FileInput):
    """A file input that, when its form holds the file chosen last time,
    shows "Berkas tersimpan: nama.pdf (ganti)" with the input folded away
    behind "ganti" (a ``<details>``: no script needed).

    Each held file has a ticked "keep" box: a multiple input adds what is
    chosen now to the files kept; a single one replaces the held file with
    a newly chosen one.
    """

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.held: list[HeldFile] = []
        self.held_token = ""
        self.held_open = False

    def use_required_attribute(self, initial):
        return super().use_required_attribute(initial) and not self.held

    def render(self, name, value, attrs=None, renderer=None):
        field_input = super().render(name, value, attrs, renderer)
        if not self.held:
            return field_input
        input_id = (attrs or {}).get("id") or self.attrs.get("id") or name
        names = format_html_join(", ", "<strong>{}</strong>", ((held.name,) for held in self.held))
        keep = format_html_join(
            "",
            '<label class="held-upload-keep"><input type="checkbox" name="{}" value="{}" checked> {}</label>',
            (
                (
                    name + KEEP_SUFFIX,
                    held.id,
                    _("Tetap lampirkan %(name)s (%(size)s)")
                    % {
                        "name": held.name,
                        "size": filesizeformat(held.size),
                    },
                )
                for held in self.held
            ),
        )
        if self.allow_multiple_selected:
            choose = _("Tambah berkas lain:")
        else:
            choose = _("Pilih berkas pengganti:")
        return format_html(
            '<div class="held-upload" id="{id}_held">'
            '<input type="hidden" name="{token_name}" value="{token}">'
            '<span class="held-upload-note">{saved} {names}</span> '
            '<details class="held-upload-change"{open}><summary>{change}</summary>'
            '{keep}<span class="held-upload-choose">{choose}</span>{input}</details></div>',
            id=input_id,
            token_name=name + TOKEN_SUFFIX,
            token=self.held_token,
            saved=_("Berkas tersimpan:"),
            names=names,
            open=" open" if self.held_open else "",
            change=_("(ganti)"),
            keep=keep,
            choose=choose,
            input=field_input,
        )


class HeldMultipleFileInput(HeldFileInput):
    allow_multiple_selected = True


# --- The form mixin --------------------------------------------------------------


class HeldUploadsMixin:
    """Keeps the files of a form that fails validation (see the module).

    A multiple file field whose files fail as a set (one too many) keeps them
    all; one with a bad file keeps the good ones if the field offers
    ``check_one(upload)`` (which raises ``ValidationError`` for a bad file),
    and its error names the bad one. A single file field with an error keeps
    nothing: that file is the error.
    """

    def __init__(self, *args, held_uploads: HeldUploads | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.held_uploads = held_uploads
        self._held_lost: dict[str, list[str]] = {}
        self._held_records: dict[int, HeldFile] = {}
        self._held_settled = False
        if held_uploads is None or not self.is_bound:
            return
        files = self.files.copy() if isinstance(self.files, MultiValueDict) else MultiValueDict()
        if not isinstance(self.files, MultiValueDict):
            for key, value in dict(self.files).items():
                files.setlist(key, list(value) if isinstance(value, list | tuple) else [value])
        for name, field in self._held_fields():
            key = self.add_prefix(name)
            chosen = [upload for upload in files.getlist(key) if upload]
            held, lost = held_uploads.files_in(key, self.data.get(key + TOKEN_SUFFIX, ""))
            kept = [h for h in held if h.id in _values(self.data, key + KEEP_SUFFIX)]
            multiple = field.widget.allow_multiple_selected
            if chosen and not multiple:
                kept = []  # a new file replaces the held one
            held_uploads.discard([h for h in held if h not in kept])  # unticked or replaced
            reopened = []
            for record in kept:
                upload = held_uploads.open(record)
                if upload is None:
                    lost.append(record.name)
                else:
                    self._held_records[id(upload)] = record
                    reopened.append(upload)
            if lost and (multiple or not chosen):
                self._held_lost[name] = lost
            files.setlist(key, reopened + chosen)
        self.files = files

    def _held_fields(self):
        for name, field in self.fields.items():
            if isinstance(field.widget, HeldFileInput):
                yield name, field

    def full_clean(self):
        self._held_settled = False
        super().full_clean()
        if self.held_uploads is None or not self.is_bound:
            return
        for name, names in self._held_lost.items():
            if not any(self.files.getlist(self.add_prefix(name))):
                # "Choose it again" says more than "this field is required".
                self._errors.pop(name, None)
            self.add_error(
                name,
                ValidationError(
                    _("Berkas %(names)s tidak tersimpan lagi. Pilih berkasnya sekali lagi.")
                    % {"names": ", ".join(names)},
                    code="held_lost",
                ),
            )
        self._held_settled = True
        self._settle_held()

    def add_error(self, field, error):
        super().add_error(field, error)
        # Errors a view adds after validation (a service refused the data)
        # keep the files too.
        if self._held_settled:
            self._settle_held()

    def _settle_held(self) -> None:
        holder = self.held_uploads
        for name, field in self._held_fields():
            widget = field.widget
            uploads = [upload for upload in self.files.getlist(self.add_prefix(name)) if upload]
            if not self._errors:
                # Valid: the files are in memory for the services; nothing
                # stays held.
                holder.discard(
                    [self._held_records.pop(id(u)) for u in uploads if id(u) in self._held_records]
                )
                widget.held, widget.held_token = [], ""
                continue
            keepable = self._keepable(name, field, uploads)
            # By identity: Django's File compares equal to any file of the
            # same name.
            kept_ids = {id(u) for u in keepable}
            holder.discard(
                [
                    self._held_records.pop(id(u))
                    for u in uploads
                    if id(u) not in kept_ids and id(u) in self._held_records
                ]
            )
            records = []
            for upload in keepable:
                record = self._held_records.get(id(upload))
                if record is None:
                    record = self._held_records[id(upload)] = holder.hold(upload)
                records.append(record)
            key = self.add_prefix(name)
            widget.held = records
            widget.held_token = holder.token(key, records) if records else ""
            widget.held_open = name in self._errors

    def _keepable(self, name: str, field, uploads: list) -> list:
        if name not in self._errors:
            return uploads
        check_one = getattr(field, "check_one", None)
        if not field.widget.allow_multiple_selected or check_one is None:
            return []
        keepable = []
        for upload in uploads:
            try:
                check_one(upload)
            except ValidationError:
                continue
            keepable.append(upload)
        return keepable
