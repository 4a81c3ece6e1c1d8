"""The yearly evaluation export: requested on the page, built by the worker
task with visible progress, claimed once, served only to the office's
evaluators; the workbook and the PDF carry the year's figures."""

import io
from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from openpyxl import load_workbook

from humas_portal.core.audit import history_for
from monitoring import exports, services, tasks
from monitoring.models import EvaluationExport, ExportStatus, ExportStep

from .conftest import NOW
from .helpers import pdf_strings, sheet_rows

pytestmark = pytest.mark.django_db

URL = reverse("monitoring:exports")


@pytest.fixture
def built(client, mon, scene, django_capture_on_commit_callbacks):
    """Pasuruan's Admin Humas asks for 2025; the task runs on commit."""
    client.force_login(mon.admin_humas)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL + f"?kantor={scene.office.pk}", {"tahun": "2025"})
    assert response.status_code == 302
    return EvaluationExport.objects.get(office=scene.office, year=2025)


def _download(client, export, kind):
    response = client.get(reverse("monitoring:export_download", kwargs={"pk": export.pk, "kind": kind}))
    assert response.status_code == 200
    return b"".join(response.streaming_content), response


def test_request_builds_both_files(built, mon):
    assert built.status == ExportStatus.DONE
    assert built.progress == 100
    assert built.step == ExportStep.FINISHED
    assert built.requested_by == mon.admin_humas
    for field in (built.workbook, built.summary_pdf):
        path = settings.PRIVATE_MEDIA_ROOT / field.name
        assert path.is_file() and path.stat().st_size > 0
        assert str(settings.MEDIA_ROOT) not in str(path)
    assert [e.action for e in history_for(built)] == [
        "evaluation_export_request",
        "evaluation_export_start",
        "evaluation_export_done",
    ]


def test_workbook_has_a_sheet_per_measure_with_the_figures(client, built, scene):
    data, response = _download(client, built, "excel")
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert 'filename="evaluasi-humas-KK1514-2025.xlsx"' in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(data))
    assert book.sheetnames == [
        "Ringkasan",
        "Berita per bulan",
        "Program prioritas",
        "Media sosial",
        "Keaktifan unit",
        "Waktu verifikasi",
        "PPID",
        "Dumas",
        "Peringkat",
    ]
    months = sheet_rows(book["Berita per bulan"])
    assert months["Unit"][:12] == [
        "Jan",
        "Feb",
        "Mar",
        "Apr",
        "Mei",
        "Jun",
        "Jul",
        "Agu",
        "Sep",
        "Okt",
        "Nov",
        "Des",
    ]
    assert months["KUA Kecamatan Bangil"] == [0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 2]
    assert months["MAN 1 Pasuruan"] == [0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 2]
    assert months["Jumlah"] == [0, 0, 1, 1, 0, 4, 0, 0, 0, 0, 0, 0, 6]

    programs = sheet_rows(book["Program prioritas"])
    header = programs["Unit"]
    assert programs["KUA Kecamatan Bangil"][header.index("Haji dan umrah")] == 1
    assert programs["KUA Kecamatan Bangil"][header.index("Program diliput")] == 2
    assert programs["Jumlah berita"][header.index("Haji dan umrah")] == 3
    assert programs["Unit yang meliput"][header.index("Kerukunan dan toleransi umat beragama")] == 2

    social = sheet_rows(book["Media sosial"])
    assert social["Unit"] == ["Facebook", "Instagram", "X (Twitter)", "YouTube", "TikTok", "Jumlah"]
    assert social["KUA Kecamatan Bangil"] == [1, 1, 0, 0, 0, 2]
    assert social["Jumlah"] == [1, 1, 0, 1, 0, 3]

    activity = sheet_rows(book["Keaktifan unit"])
    assert activity["MTsN 2 Pasuruan"][2:] == [8, "Tidak aktif"]
    assert activity["KUA Kecamatan Beji"][2:] == [7, "Aktif"]
    assert activity["Kankemenag Kabupaten Pasuruan"][2:] == [None, "Belum pernah terbit"]

    approvals = sheet_rows(book["Waktu verifikasi"])
    assert approvals["KUA Kecamatan Bangil"] == [3, 4.0, 6.0]
    assert approvals["MAN 1 Pasuruan"] == [2, 15.0, 15.0]
    assert approvals["Seluruh unit"] == [5, 10.0, 9.6]

    ppid = sheet_rows(book["PPID"])
    assert ppid["Kankemenag Kabupaten Pasuruan"] == [5, 1, 1, 4, 2]
    assert ppid["Jumlah"] == [5, 1, 1, 4, 2]

    dumas = sheet_rows(book["Dumas"])
    assert dumas["KUA Kecamatan Bangil"] == [5, 1, 4, 2]
    assert dumas["MAN 1 Pasuruan"] == [1, 0, 1, 0]
    assert dumas["Jumlah"] == [6, 1, 5, 2]

    ranking = list(book["Peringkat"].iter_rows(min_row=4, values_only=True))
    assert ranking == [
        (1, "KUA Kecamatan Bangil", 2, 2, 2, 18),
        (2, "MAN 1 Pasuruan", 2, 1, 1, 12),
        (3, "KUA Kecamatan Beji", 1, 0, 1, 8),
        (3, "MTsN 2 Pasuruan", 1, 0, 1, 8),
        (5, "Kankemenag Kabupaten Pasuruan", 0, 0, 0, 0),
    ]

    summary = sheet_rows(book["Ringkasan"])
    assert summary["Berita terbit"] == [6]
    assert summary["Unggahan media sosial terbit"] == [3]
    assert summary["Program prioritas yang diliput"] == ["2 dari 9"]  # moderasi was in 2024
    assert summary["Unit tidak aktif (lebih dari 7 hari)"] == [2]


def test_pdf_summary(client, built):
    data, response = _download(client, built, "pdf")
    assert response["Content-Type"] == "application/pdf"
    text = pdf_strings(data)
    assert "Evaluasi Kinerja Humas Tahun 2025" in text
    assert "Kankemenag Kabupaten Pasuruan" in text
    assert "Peringkat unit" in text
    assert "KUA Kecamatan Bangil" in text
    assert "Liputan program prioritas" in text
    assert "MTsN 2 Pasuruan" in text  # among the silent units


def test_progress_is_written_while_the_worker_builds(scene, mon, monkeypatch):
    """While the workbook is written the row already says so, and the
    status endpoint reports it."""
    export = EvaluationExport.objects.create(office=scene.office, year=2025, requested_by=mon.admin_humas)
    seen = []
    real = exports.workbook_bytes

    def watching(evaluation):
        seen.append(EvaluationExport.objects.values_list("status", "step", "progress").get(pk=export.pk))
        return real(evaluation)

    monkeypatch.setattr(exports, "workbook_bytes", watching)
    assert tasks.build_evaluation_export(export.pk) is True
    assert seen == [(ExportStatus.RUNNING, ExportStep.WORKBOOK, 70)]


def test_status_endpoint(client, mon, scene):
    export = EvaluationExport.objects.create(
        office=scene.office, year=2025, status=ExportStatus.RUNNING, progress=45, step=ExportStep.APPROVALS
    )
    client.force_login(mon.pimpinan)
    url = reverse("monitoring:export_status", kwargs={"pk": export.pk})
    state = client.get(url).json()
    assert state["progress"] == 45
    assert state["status_label"] == "Sedang disusun"
    assert state["step_label"] == "Menghitung waktu verifikasi"
    assert state["done"] is False
    assert state["downloads"] == {"excel": "", "pdf": ""}
    tasks.build_evaluation_export(export.pk)  # someone else's claim: it is left alone
    assert client.get(url).json()["progress"] == 45


def test_status_endpoint_when_done(client, mon, built):
    client.force_login(mon.pimpinan)
    state = client.get(reverse("monitoring:export_status", kwargs={"pk": built.pk})).json()
    assert state["done"] is True
    assert state["progress"] == 100
    assert state["downloads"]["excel"].endswith(f"/evaluasi/{built.pk}/unduh/excel/")


def test_page_shows_progress_and_downloads(client, mon, scene, built):
    running = EvaluationExport.objects.create(
        office=scene.office, year=2024, status=ExportStatus.RUNNING, progress=35, step=ExportStep.SOCIAL
    )
    client.force_login(mon.admin_humas)
    body = client.get(URL).content.decode()
    assert 'aria-valuenow="35"' in body
    assert "35% · Menghitung unggahan media sosial" in body
    assert reverse("monitoring:export_status", kwargs={"pk": running.pk}) in body
    assert reverse("monitoring:export_download", kwargs={"pk": built.pk, "kind": "pdf"}) in body
    assert '<meta http-equiv="refresh" content="5">' in body  # without JavaScript


def test_asking_again_joins_the_queued_job(scene, mon):
    first = services.evaluation_export_request(office=scene.office, year=2024, actor=mon.admin_humas)
    second = services.evaluation_export_request(office=scene.office, year=2024, actor=mon.pimpinan)
    assert first.pk == second.pk
    assert EvaluationExport.objects.count() == 1


def test_task_builds_once(scene, mon):
    """A duplicated or redelivered task finds the job taken or finished."""
    export = EvaluationExport.objects.create(office=scene.office, year=2025)
    assert tasks.build_evaluation_export(export.pk) is True
    assert tasks.build_evaluation_export(export.pk) is False
    export.refresh_from_db()
    assert export.attempts == 1


def test_a_dead_worker_is_taken_over(scene, frozen, settings):
    """A job running with no sign of life past the lease is claimed again
    by the sweep; within the lease it is left to its worker."""
    export = EvaluationExport.objects.create(
        office=scene.office,
        year=2025,
        status=ExportStatus.RUNNING,
        claim_token="dead",
        heartbeat_at=NOW - timedelta(seconds=settings.MONITORING_EXPORT_LEASE_SECONDS - 60),
    )
    assert tasks.requeue_stale_exports() == 0
    frozen.shift(timedelta(seconds=120))
    assert tasks.requeue_stale_exports() == 1
    export.refresh_from_db()
    assert export.status == ExportStatus.DONE
    assert export.attempts == 1
    taken = history_for(export).get(action="evaluation_export_take_over")
    assert (taken.from_state, taken.to_state) == (ExportStatus.RUNNING, ExportStatus.RUNNING)


def test_a_lost_queued_task_is_queued_again(scene, frozen):
    export = EvaluationExport.objects.create(office=scene.office, year=2025)
    assert tasks.requeue_stale_exports() == 0  # just asked: its task is on its way
    frozen.shift(timedelta(minutes=3))
    assert tasks.requeue_stale_exports() == 1
    export.refresh_from_db()
    assert export.status == ExportStatus.DONE


def test_a_worker_that_lost_its_claim_stops(scene, monkeypatch):
    """If another worker took the job over meanwhile, this one neither
    finishes it nor leaves its files behind."""
    export = EvaluationExport.objects.create(office=scene.office, year=2025)
    real = exports.pdf_bytes

    def taken_over(evaluation):
        EvaluationExport.objects.filter(pk=export.pk).update(claim_token="someone-else")
        return real(evaluation)

    monkeypatch.setattr(exports, "pdf_bytes", taken_over)
    assert services.evaluation_export_run(export_id=export.pk) is False
    export.refresh_from_db()
    assert export.status == ExportStatus.RUNNING and export.claim_token == "someone-else"
    folder = settings.PRIVATE_MEDIA_ROOT / "monitoring" / "evaluasi" / str(scene.office.pk) / "2025"
    assert not folder.exists() or not any(folder.iterdir())


def test_failure_is_shown_and_a_new_request_is_possible(client, scene, mon, monkeypatch):
    def broken(evaluation):
        raise RuntimeError("disk full")

    monkeypatch.setattr(exports, "workbook_bytes", broken)
    export = EvaluationExport.objects.create(office=scene.office, year=2025)
    assert tasks.build_evaluation_export(export.pk) is False
    export.refresh_from_db()
    assert export.status == ExportStatus.FAILED
    assert "disk full" in export.error
    client.force_login(mon.admin_humas)
    body = client.get(URL).content.decode()
    assert "Penyusunan gagal. Silakan susun ulang" in body
    assert "disk full" not in body
    again = services.evaluation_export_request(office=scene.office, year=2025, actor=mon.admin_humas)
    assert again.pk != export.pk


def test_year_must_be_sensible(client, mon, scene):
    client.force_login(mon.admin_humas)
    response = client.post(URL, {"tahun": "2031"})
    assert response.status_code == 200
    assert "Pilih tahun dari daftar." in response.content.decode()
    with pytest.raises(services.MonitoringError, match="Tahun evaluasi harus antara 2000 dan 2025."):
        services.evaluation_export_request(office=scene.office, year=2026, actor=mon.admin_humas)
    assert not EvaluationExport.objects.exists()


@pytest.mark.parametrize("person", ["verifikator", "kontributor", "outsider"])
def test_only_evaluators_request(client, mon, person):
    client.force_login(getattr(mon, person))
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"tahun": "2025"}).status_code == 403
    assert not EvaluationExport.objects.exists()


def test_service_checks_permission_too(scene, mon):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.evaluation_export_request(office=scene.office, year=2025, actor=mon.verifikator)


def test_downloads_are_for_the_office_evaluators(client, mon, org, built):
    """Pimpinan of the office and of the Kanwil above may download; the
    verifier, another office's Pimpinan and the public may not."""
    url = reverse("monitoring:export_download", kwargs={"pk": built.pk, "kind": "excel"})
    for user, expected in (
        (mon.pimpinan, 200),
        (mon.pimpinan_kanwil, 200),
        (mon.verifikator, 403),
        (mon.verifikator_lain, 403),
    ):
        client.force_login(user)
        assert client.get(url).status_code == expected
    client.logout()
    assert client.get(url).status_code == 302
    client.force_login(mon.pimpinan)
    assert (
        client.get(reverse("monitoring:export_download", kwargs={"pk": built.pk, "kind": "csv"})).status_code
        == 404
    )


def test_unfinished_export_has_nothing_to_download(client, mon, scene):
    export = EvaluationExport.objects.create(office=scene.office, year=2025)
    client.force_login(mon.pimpinan)
    url = reverse("monitoring:export_download", kwargs={"pk": export.pk, "kind": "pdf"})
    assert client.get(url).status_code == 404
