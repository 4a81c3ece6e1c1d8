"""The benchmark's small mode, end to end: it builds a corpus in its own
database, serves it with gunicorn under production settings, loads every
page with wrk, runs a real Celery worker and beat for the publish lag, and
cleans up after itself. Timings are never asserted; the machine running the
suite is shared and its speed says nothing about the code."""

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg2
import pytest

from bench.pages import REQUIRED_KEYS

pytestmark = pytest.mark.slow

BASE_DIR = Path(__file__).resolve().parents[2]


def _bench_dsn() -> str:
    base = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/humas_portal")
    run_id = re.sub(r"[^a-z0-9_]", "_", os.environ.get("TEST_RUN_ID", "local").lower())
    return urlunsplit(urlsplit(base)._replace(path=f"/humas_bench_small_{run_id}"))


def _database_exists(dsn: str) -> bool:
    conn = psycopg2.connect(urlunsplit(urlsplit(dsn)._replace(path="/postgres")))
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [urlsplit(dsn).path.lstrip("/")])
            return cur.fetchone() is not None
    finally:
        conn.close()


def _processes_mentioning(text: str) -> list[str]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            except OSError:
                continue
            if text in cmdline and "pytest" not in cmdline:
                found.append(cmdline)
    return found


def test_small_benchmark_measures_every_page_and_cleans_up(tmp_path):
    """Every page of the benchmark gets throughput, latency percentiles,
    query counts and no errors; publishing, memory and the Markdown table are
    reported; gunicorn, Celery and the bench database are gone afterwards."""
    if shutil.which("wrk") is None:
        pytest.fail("wrk is not installed; the benchmark needs it (Debian/Ubuntu: apt-get install wrk).")
    dsn = _bench_dsn()
    report_path = tmp_path / "report.json"
    markdown = tmp_path / "benchmarks.md"
    env = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "TMPDIR")}
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench",
            "--small",
            "--database-url",
            dsn,
            "--json",
            str(report_path),
            "--markdown",
            str(markdown),
        ],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-4000:]
    report = json.loads(report_path.read_text())

    pages = {page["key"]: page for page in report["pages"]}
    for key in REQUIRED_KEYS:
        page = pages[key]
        assert page["available"], f"{key} is not served by the portal"
        assert page["queries"]["status"] == 200, key
        assert page["queries"]["cold"] >= (0 if key == "bare" else 1), key
        caches = {run["cache"] for run in page["runs"]}
        assert caches == {"warm", "cold"}, key
        for run in page["runs"]:
            assert run["requests"] > 0, (key, run)
            assert run["rps"] > 0, (key, run)
            assert 0 < run["p50_ms"] <= run["p95_ms"] <= run["p99_ms"], (key, run)
            assert run["errors"] == 0, (key, run)
            assert run["ratio"] is not None, (key, run)
    assert pages["bare"]["queries"]["cold"] == 0

    assert report["search_vector_check"]["identical"] is True, report["search_vector_check"]
    publish = report["publish"]
    assert publish["published"] == publish["items"] > 0
    assert publish["lag_p99_s"] is not None and publish["lag_max_s"] is not None
    assert publish["unpublish"]["origin_gone_after_s"] is not None
    assert report["memory"]["web_worker_peak_mb"] > 0
    assert report["memory"]["celery_worker_peak_mb"] > 0
    assert {t["target"] for t in report["targets"]} >= {
        "Zero errors under load",
        "No page's query count grows with the corpus",
    }

    text = markdown.read_text()
    for page in report["pages"]:
        assert f"| {page['label']} |" in text
    assert report["machine"]["cpu"] in text

    assert not _database_exists(dsn)
    assert _processes_mentioning(f"bench-{urlsplit(dsn).path.lstrip('/')}") == []
