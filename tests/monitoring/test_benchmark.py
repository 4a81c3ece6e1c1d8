"""The dashboard benchmark: its corpus gives the figures it should, and its
small mode runs end to end in a database of its own, then removes it.
Timings are never asserted: the machine running the suite is shared."""

import os
import re
import subprocess
import sys
from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from humas_portal.core.workflow import ReviewStatus
from monitoring import benchmark, selectors
from news.models import NewsItem
from socialmedia.models import Delivery, DeliveryState


@pytest.mark.django_db
def test_corpus_figures_match_the_rows():
    """On the generated office, the dashboard's totals equal plain counts
    of the rows, the other office's rows are left out, and the units made
    silent are shown silent."""
    corpus = benchmark.build_corpus(benchmark.SMALL, seed=7)
    data = selectors.dashboard_for(corpus.office)
    units = [row.unit for row in data.units]
    assert len(units) == benchmark.SMALL.units
    period = data.period
    in_period = NewsItem.objects.filter(
        unit__in=units,
        status=ReviewStatus.PUBLISHED,
        published_at__gte=period.start,
        published_at__lt=period.end,
    )
    assert data.news_total == in_period.count() > 0
    assert data.social_total == (
        Delivery.objects.filter(
            post__unit__in=units,
            state=DeliveryState.PUBLISHED,
            published_at__gte=period.start,
            published_at__lt=period.end,
        ).count()
    )
    decided = NewsItem.objects.filter(
        unit__in=units, decided_at__gte=period.start, decided_at__lt=period.end, submitted_at__isnull=False
    )
    assert data.approvals.decided == decided.count()
    silent = {row.unit.pk for row in data.silent_units}
    assert {u.pk for u in units[-3:]} <= silent
    latest = NewsItem.objects.filter(unit=units[-1], status=ReviewStatus.PUBLISHED).latest("published_at")
    assert timezone.now() - latest.published_at > timedelta(days=39)


def _bench_database() -> str:
    run_id = re.sub(r"[^a-z0-9_]", "_", os.environ.get("TEST_RUN_ID", "local").lower())
    return f"humas_bench_dashboard_small_{run_id}"


def _database_exists(name: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        return cursor.fetchone() is not None


@pytest.mark.slow
@pytest.mark.django_db
def test_small_mode_reports_every_measure_and_cleans_up(tmp_path):
    """The command builds its own database, times every measure, writes its
    section between the markers (keeping the rest of the file) and drops
    the database."""
    report = tmp_path / "benchmarks-dashboard.md"
    report.write_text(
        f"# Kept heading\n\n{benchmark.START_MARKER}\nold\n{benchmark.END_MARKER}\n\nKept footer.\n"
    )
    name = _bench_database()
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "benchmark_dashboard",
            "--small",
            "--database",
            name,
            "--output",
            str(report),
        ],
        cwd=settings.BASE_DIR,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "humas_portal.settings", "DATABASE_URL": _server_url()},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    text = report.read_text()
    assert text.startswith("# Kept heading") and text.rstrip().endswith("Kept footer.")
    assert "\nold\n" not in text
    for measure in (
        "Dashboard figures (selectors)",
        "Dashboard page (full request)",
        "Leaderboard page, 12 months",
        "Weekly email content",
        "Yearly export: figures, workbook and PDF",
    ):
        row = re.search(
            rf"^\| {re.escape(measure)} \| ([\d.,]+) \| ([\d.,]+)[^|]* \| ([\d.,]+) \| (\d+) \|$", text, re.M
        )
        assert row, f"{measure} missing from the report"
    # The page's queries, as pinned in test_dashboard (with ?kantor=).
    assert re.search(r"^\| Dashboard page \(full request\) \|.*\| 11 \|$", text, re.M)
    assert "small mode" in text
    assert not _database_exists(name)


def _server_url() -> str:
    """The test server, as a URL the command's own settings can read."""
    db = connection.settings_dict
    user = db.get("USER") or "postgres"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    host = db.get("HOST") or "127.0.0.1"
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"postgres://{user}{password}@{host}{port}/{db['NAME']}"
