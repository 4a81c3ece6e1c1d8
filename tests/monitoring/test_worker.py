"""The yearly export built by real Celery workers against Redis.

Two ``celery -A humas_portal worker`` processes (prefork, as in production)
consume a queue private to this test, pointed at this run's test database
and private files. The export is asked for through the page; the same task
is then sent three more times, as a redelivery or an impatient sweep would:
the job is built exactly once.
"""

from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from humas_portal.core.audit import history_for
from monitoring import tasks
from monitoring.models import EvaluationExport, ExportStatus
from tests.celery_workers import running_workers, wait_for

from .factories import published

pytestmark = [pytest.mark.worker, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def workers(tmp_path, settings):
    with running_workers(
        tmp_path,
        settings,
        name="monitoring",
        extra_settings={"PRIVATE_MEDIA_ROOT": str(settings.PRIVATE_MEDIA_ROOT)},
        start=2,
    ) as pool:
        yield pool


def test_export_is_built_once_by_real_workers(client, mon, org, workers):
    year = timezone.localtime(timezone.now(), org.pasuruan.tzinfo).year
    published(org.kua_bangil, timezone.now() - timedelta(hours=2))
    client.force_login(mon.admin_humas)
    response = client.post(reverse("monitoring:exports") + f"?kantor={org.pasuruan.pk}", {"tahun": str(year)})
    assert response.status_code == 302
    export = EvaluationExport.objects.get(office=org.pasuruan, year=year)
    for _ in range(3):
        tasks.build_evaluation_export.delay(export.pk)

    def finished():
        export.refresh_from_db()
        return export.status in (ExportStatus.DONE, ExportStatus.FAILED)

    wait_for(finished, timeout=90, message="the export to be built")
    assert export.status == ExportStatus.DONE, workers.logs()
    assert export.attempts == 1
    assert [e.action for e in history_for(export)].count("evaluation_export_done") == 1
    book = load_workbook(settings.PRIVATE_MEDIA_ROOT / export.workbook.name)
    months = {row[0]: row[1:] for row in book["Berita per bulan"].iter_rows(min_row=4, values_only=True)}
    assert months["Jumlah"][-1] == 1
    # The page now offers the files.
    state = client.get(reverse("monitoring:export_status", kwargs={"pk": export.pk})).json()
    assert state["done"] and state["downloads"]["pdf"]
