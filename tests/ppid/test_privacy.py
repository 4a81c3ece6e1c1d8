"""Personal data: NIK and identity documents encrypted at rest, kept out of
public storage, and erased after the retention period."""

from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.utils import timezone

from humas_portal.core.crypto import blind_index
from humas_portal.core.models import AuditEntry
from ppid import services, tasks
from ppid.models import IdentityDocument, PpidRequest, RequestStatus

from .factories import OTHER_NIK, VALID_NIK, pdf_upload, submit_request

pytestmark = pytest.mark.django_db

WIB = ZoneInfo("Asia/Jakarta")


def raw_row(pk):
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM ppid_ppidrequest WHERE id = %s", [pk])
        return " ".join(str(value) for value in cursor.fetchone())


def test_nik_is_stored_encrypted_and_found_by_its_blind_index(org):
    ppid_request = submit_request(
        org.pasuruan,
        via_proxy=True,
        proxy_name="Kuasa",
        proxy_identity_number=OTHER_NIK,
        power_of_attorney=pdf_upload(),
    ).request
    stored = raw_row(ppid_request.pk)
    assert VALID_NIK not in stored
    assert OTHER_NIK not in stored
    assert PpidRequest.objects.get(identity_number_index=blind_index(VALID_NIK)) == ppid_request
    # The tracking token is not stored in clear either.
    assert PpidRequest.objects.get(pk=ppid_request.pk).identity_number == VALID_NIK


def test_identity_documents_are_encrypted_files_outside_media_root(org, settings):
    ppid_request = submit_request(
        org.pasuruan, identity_document=pdf_upload("ktp.pdf", b"NIK 3514015208900001")
    ).request
    document = ppid_request.identity_documents.get()
    path = Path(document.file.path)
    assert str(path).startswith(str(settings.PRIVATE_MEDIA_ROOT))
    assert not str(path).startswith(str(settings.MEDIA_ROOT))
    raw = path.read_bytes()
    assert b"%PDF" not in raw
    assert b"3514015208900001" not in raw
    assert "ktp" not in path.name
    with pytest.raises(ValueError):
        document.file.url  # noqa: B018


def test_identity_data_is_purged_after_the_retention_period(org, ppid_people, settings):
    settings.PPID_IDENTITY_RETENTION_DAYS = 30
    with time_machine.travel(datetime(2026, 3, 13, 9, tzinfo=WIB), tick=False):
        ppid_request = submit_request(org.pasuruan).request
        still_open = submit_request(org.pasuruan).request
    with time_machine.travel(datetime(2026, 3, 16, 9, tzinfo=WIB), tick=False):
        services.ppid_request_answer(
            request=ppid_request, actor=ppid_people.ppid, decision="tidak_dikuasai", holder_info="-"
        )
    # The objection window runs 30 working days from the notice: to 6 May.
    with time_machine.travel(datetime(2026, 5, 6, 9, tzinfo=WIB), tick=False):
        assert tasks.close_settled_requests() == 0
    with time_machine.travel(datetime(2026, 5, 7, 9, tzinfo=WIB), tick=False):
        assert tasks.close_settled_requests() == 1
        assert tasks.close_settled_requests() == 0  # closing twice does nothing
        assert tasks.purge_identity_data() == 0  # closed today, kept for 30 days
    ppid_request.refresh_from_db()
    assert ppid_request.status == RequestStatus.CLOSED
    with time_machine.travel(datetime(2026, 6, 5, 9, tzinfo=WIB), tick=False):
        assert tasks.purge_identity_data() == 0
    with time_machine.travel(datetime(2026, 6, 7, 9, tzinfo=WIB), tick=False):
        assert tasks.purge_identity_data() == 1
    ppid_request.refresh_from_db()
    assert ppid_request.identity_number == ""
    assert ppid_request.identity_number_index == ""
    assert ppid_request.identity_purged_at is not None
    assert not IdentityDocument.objects.filter(request=ppid_request).exists()
    assert AuditEntry.objects.filter(action="identity_purge", object_id=str(ppid_request.pk)).exists()
    # A request still in progress keeps its data.
    still_open.refresh_from_db()
    assert still_open.identity_number == VALID_NIK
    assert still_open.identity_documents.exists()


def test_purge_deletes_the_files_after_commit(org, ppid_people, settings, django_capture_on_commit_callbacks):
    settings.PPID_IDENTITY_RETENTION_DAYS = 0
    ppid_request = submit_request(org.pasuruan).request
    path = Path(ppid_request.identity_documents.get().file.path)
    PpidRequest.objects.filter(pk=ppid_request.pk).update(
        status=RequestStatus.CLOSED, closed_at=timezone.now() - timedelta(days=1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert services.ppid_identity_purge(request_id=ppid_request.pk)
    assert not path.exists()
    assert not services.ppid_identity_purge(request_id=ppid_request.pk)  # once only
