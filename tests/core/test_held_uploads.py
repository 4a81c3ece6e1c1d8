"""Files chosen in a form that fails validation are held on the server for
that form and that session, and come back as uploads when it is sent again
(``humas_portal.core.held_uploads``)."""

import os
import re
from datetime import timedelta

import pytest
import time_machine
from django import forms
from django.contrib.sessions.backends.db import SessionStore
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import QueryDict
from django.utils import timezone
from django.utils.datastructures import MultiValueDict

from humas_portal.core import held_uploads
from humas_portal.core.held_uploads import (
    HeldFileInput,
    HeldMultipleFileInput,
    HeldUploads,
    HeldUploadsMixin,
    held_uploads_sweep,
)
from humas_portal.core.storage import private_storage

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n% KTP Siti Aminah\n%%EOF\n"


class PhotosField(forms.FileField):
    def check_one(self, upload):
        if not upload.name.endswith(".jpg"):
            raise ValidationError("bukan foto")

    def clean(self, data, initial=None):
        files = [f for f in (data or []) if f]
        bad = [f.name for f in files if not f.name.endswith(".jpg")]
        if bad:
            raise ValidationError([f"{name}: bukan foto" for name in bad])
        if len(files) > 3:
            raise ValidationError("Paling banyak 3 foto.")
        return files


class SampleForm(HeldUploadsMixin, forms.Form):
    name = forms.CharField(min_length=3)
    document = forms.FileField(label="Dokumen", widget=HeldFileInput())
    photos = PhotosField(label="Foto", required=False, widget=HeldMultipleFileInput())

    def clean_document(self):
        upload = self.cleaned_data["document"]
        if not upload.read(5) == b"%PDF-":
            raise ValidationError("bukan PDF")
        upload.seek(0)
        return upload


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return settings.PRIVATE_MEDIA_ROOT


def new_session():
    session = SessionStore()
    session.create()
    return session


def pdf(name="ktp.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def jpg(name):
    return SimpleUploadedFile(name, b"\xff\xd8\xff" + name.encode(), content_type="image/jpeg")


def post(fields=None, files=None, session=None, scope="sample", held=True):
    data = QueryDict(mutable=True)
    for key, value in (fields or {}).items():
        data.setlist(key, value if isinstance(value, list) else [value])
    uploads = MultiValueDict()
    for key, value in (files or {}).items():
        uploads.setlist(key, value if isinstance(value, list) else [value])
    holder = HeldUploads(session, scope) if held else None
    form = SampleForm(data, uploads, held_uploads=holder)
    form.is_valid()
    return form


def resend(form, **changes):
    """The fields a browser sends back from the rendered form: the held
    tokens and every ticked "keep" box, plus the person's changes."""
    html = str(form["document"]) + str(form["photos"])
    fields = {"name": form.data.get("name", "")}
    for name, value in re.findall(r'name="([\w-]+-held)" value="([^"]+)"', html):
        fields[name] = value
    for name, value in re.findall(r'name="([\w-]+-held-keep)" value="([^"]+)" checked', html):
        fields.setdefault(name, []).append(value)
    fields.update(changes)
    return fields


def held_files():
    try:
        return private_storage.listdir(held_uploads.FOLDER)[1]
    except FileNotFoundError:
        return []


class TestHolding:
    def test_a_form_with_errors_shows_the_file_as_saved_instead_of_an_empty_input(self):
        session = new_session()
        form = post({"name": "S"}, {"document": pdf()}, session)
        assert not form.is_valid() and "name" in form.errors
        html = str(form["document"])
        assert "Berkas tersimpan:" in html and "<strong>ktp.pdf</strong>" in html
        assert "(ganti)" in html
        # The input to choose another file is folded away, not required.
        assert re.search(r"<details[^>]*><summary>\(ganti\)</summary>.*<input type=\"file\"", html, re.S)
        assert "required" not in html
        assert len(held_files()) == 1

    def test_sent_again_without_choosing_it_the_held_file_is_the_upload(self):
        session = new_session()
        first = post({"name": "S"}, {"document": pdf()}, session)
        again = post(resend(first, name="Siti"), {}, session)
        assert again.is_valid(), again.errors
        document = again.cleaned_data["document"]
        assert (document.name, document.read(), document.content_type) == ("ktp.pdf", PDF, "application/pdf")
        # Valid: nothing stays held.
        assert held_files() == []

    def test_the_held_file_is_stored_encrypted(self):
        post({"name": "S"}, {"document": pdf()}, new_session())
        (name,) = held_files()
        with private_storage.open(f"{held_uploads.FOLDER}/{name}", "rb") as handle:
            stored = handle.read()
        assert b"KTP Siti Aminah" not in stored

    def test_a_file_that_fails_its_own_field_is_not_held(self):
        form = post({"name": "S"}, {"document": pdf("ktp.pdf", b"MZ not a pdf")}, new_session())
        assert form.errors["document"] == ["bukan PDF"]
        assert "Berkas tersimpan" not in str(form["document"])
        assert held_files() == []

    def test_an_error_added_after_validation_holds_the_files_too(self):
        """A service refusing valid-looking data (the view adds its error)
        does not lose the file either."""
        session = new_session()
        form = post({"name": "Siti"}, {"document": pdf()}, session)
        assert form.is_valid()
        form.add_error(None, "Layanan menolak permohonan ini.")
        assert "Berkas tersimpan:" in str(form["document"])
        again = post(resend(form), {}, session)
        assert again.is_valid() and again.cleaned_data["document"].read() == PDF

    def test_choosing_another_file_replaces_the_held_one(self):
        session = new_session()
        first = post({"name": "S"}, {"document": pdf()}, session)
        again = post(resend(first, name="Siti"), {"document": pdf("akta.pdf", PDF + b"akta")}, session)
        assert again.is_valid()
        assert again.cleaned_data["document"].name == "akta.pdf"
        assert held_files() == []

    def test_a_form_built_without_a_holder_holds_nothing(self):
        form = post({"name": "S"}, {"document": pdf()}, held=False)
        assert "name" in form.errors
        assert "Berkas tersimpan" not in str(form["document"])
        assert held_files() == []


class TestSeveralFiles:
    def test_the_good_files_are_kept_and_the_bad_one_is_named(self):
        session = new_session()
        form = post(
            {"name": "Siti"},
            {"document": pdf(), "photos": [jpg("a.jpg"), jpg("b.jpg"), pdf("c.pdf")]},
            session,
        )
        assert form.errors["photos"] == ["c.pdf: bukan foto"]
        html = str(form["photos"])
        assert "<strong>a.jpg</strong>, <strong>b.jpg</strong>" in html and "c.pdf" not in html
        # The field with the error opens its choice at once.
        assert '<details class="held-upload-change" open>' in html
        again = post(resend(form), {}, session)
        assert again.is_valid(), again.errors
        assert [f.name for f in again.cleaned_data["photos"]] == ["a.jpg", "b.jpg"]

    def test_one_too_many_keeps_them_all_and_an_unticked_one_is_dropped(self):
        session = new_session()
        photos = [jpg(f"{n}.jpg") for n in "abcd"]
        form = post({"name": "Siti"}, {"document": pdf(), "photos": photos}, session)
        assert form.errors["photos"] == ["Paling banyak 3 foto."]
        fields = resend(form)
        keep = fields["photos-held-keep"]
        assert len(keep) == 4
        fields["photos-held-keep"] = keep[1:]
        again = post(fields, {"photos": [jpg("e.jpg")]}, session)
        assert not again.is_valid()  # b, c, d kept + e added = 4
        fields = resend(again)
        fields["photos-held-keep"] = fields["photos-held-keep"][:2]
        last = post(fields, {}, session)
        assert last.is_valid(), last.errors
        assert [f.name for f in last.cleaned_data["photos"]] == ["b.jpg", "c.jpg"]
        assert held_files() == []


class TestRefused:
    def test_a_token_from_another_session_is_never_accepted(self):
        first = post({"name": "S"}, {"document": pdf()}, new_session())
        stranger = post(resend(first, name="Budi"), {}, new_session())
        assert not stranger.is_valid()
        assert "document" not in stranger.cleaned_data
        assert stranger.errors["document"] == [
            "Berkas ktp.pdf tidak tersimpan lagi. Pilih berkasnya sekali lagi."
        ]
        assert "Berkas tersimpan" not in str(stranger["document"])

    def test_a_token_of_another_form_or_field_is_refused(self):
        session = new_session()
        first = post({"name": "S"}, {"document": pdf()}, session)
        other_form = post(resend(first, name="Siti"), {}, session, scope="another-form")
        assert "document" in other_form.errors
        fields = resend(first, name="Siti")
        fields["photos-held"] = fields.pop("document-held")
        fields["photos-held-keep"] = fields.pop("document-held-keep")
        other_field = post(fields, {}, session)
        assert other_field.has_error("document", "required")
        assert not other_field.cleaned_data.get("photos")

    def test_a_tampered_token_is_refused(self):
        session = new_session()
        first = post({"name": "S"}, {"document": pdf()}, session)
        fields = resend(first, name="Siti")
        fields["document-held"] = fields["document-held"][:-2] + "xx"
        assert "document" in post(fields, {}, session).errors

    def test_an_expired_hold_names_the_file_to_choose_again(self, settings):
        settings.HELD_UPLOADS_MAX_AGE_SECONDS = 3600
        session = new_session()
        with time_machine.travel(timezone.now(), tick=False) as traveller:
            first = post({"name": "S"}, {"document": pdf()}, session)
            traveller.shift(timedelta(hours=2))
            late = post(resend(first, name="Siti"), {}, session)
        assert late.errors["document"] == [
            "Berkas ktp.pdf tidak tersimpan lagi. Pilih berkasnya sekali lagi."
        ]

    def test_a_swept_file_names_the_file_to_choose_again(self):
        session = new_session()
        first = post({"name": "S"}, {"document": pdf()}, session)
        for name in held_files():
            private_storage.delete(f"{held_uploads.FOLDER}/{name}")
        again = post(resend(first, name="Siti"), {}, session)
        assert again.errors["document"] == [
            "Berkas ktp.pdf tidak tersimpan lagi. Pilih berkasnya sekali lagi."
        ]


class TestSweep:
    def test_the_sweep_deletes_only_files_no_token_can_still_use(self, settings):
        settings.HELD_UPLOADS_MAX_AGE_SECONDS = 3600
        post({"name": "S"}, {"document": pdf()}, new_session())
        assert held_uploads_sweep() == 0
        assert len(held_files()) == 1
        assert held_uploads_sweep(now=timezone.now().timestamp() + 2 * 3600) == 1
        assert held_files() == []

    def test_holding_sweeps_what_has_expired(self, settings):
        settings.HELD_UPLOADS_MAX_AGE_SECONDS = 3600
        post({"name": "S"}, {"document": pdf("lama.pdf")}, new_session())
        (old,) = held_files()
        stale = timezone.now().timestamp() - 3 * 3600
        os.utime(private_storage.path(f"{held_uploads.FOLDER}/{old}"), (stale, stale))
        post({"name": "S"}, {"document": pdf("baru.pdf")}, new_session())
        # Swept at most once per interval, whoever holds a file.
        assert len(held_files()) == 2
        cache.delete("core:held-uploads:swept")
        post({"name": "S"}, {"document": pdf()}, new_session())
        assert old not in held_files() and len(held_files()) == 2
