"""The benchmark run: corpus, production stack, load, publish lag, report.

``python -m bench`` (or ``bin/benchmark``) calls ``main``. The process sets
up its environment *before* Django is imported, because it talks to the bench
database with the same production settings as the gunicorn and Celery
processes it starts.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from . import corpus, load, procs

BASE_DIR = corpus.BASE_DIR
DEFAULT_DSN = "postgres://postgres@127.0.0.1:5432/humas_bench"
# A Redis database of its own: clearing the cache for a cold run deletes only
# the benchmark's keys, but a separate database keeps even the broker's
# queues apart from anyone else's.
DEFAULT_REDIS = "redis://127.0.0.1:6379/12"


def log(message: str) -> None:
    print(f"[bench {datetime.now(UTC):%H:%M:%S}] {message}", flush=True)


# --- Options --------------------------------------------------------------------


@dataclass
class Options:
    size: int
    seed: int
    small: bool
    dsn: str
    redis_url: str
    warm_seconds: float
    cold_seconds: float
    concurrency: list[int]
    cold_concurrency: list[int]
    workers: int | None
    worker_class: str
    threads: int
    reuse: bool
    keep_db: bool
    markdown: Path | None
    json_path: Path | None
    publish_items: int
    publish_lead: float
    align_minute: bool
    deep_page: int
    celery_concurrency: int | None
    cold_restart: bool
    prewarm: bool = True
    notes: list[str] = field(default_factory=list)

    @property
    def db_name(self) -> str:
        return corpus.database_name(self.dsn)


def parse_args(argv: list[str] | None = None) -> Options:
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description="Build a news corpus, serve it as in production and measure the public pages.",
    )
    parser.add_argument("--size", type=int, help="published news items (default 1,000,000; small: 3,000)")
    parser.add_argument("--small", action="store_true", help="a few thousand items and seconds of load")
    parser.add_argument("--seed", type=int, default=20240101)
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DSN),
        help="bench database, dropped and created by the run (default %(default)s)",
    )
    parser.add_argument("--redis-url", default=os.environ.get("BENCH_REDIS_URL", DEFAULT_REDIS))
    parser.add_argument("--seconds", type=float, help="seconds of load per page and concurrency")
    parser.add_argument("--concurrency", help="comma-separated open connections (default 1,16,64)")
    parser.add_argument("--cold-concurrency", help="concurrencies of the cold runs (default 16)")
    parser.add_argument("--workers", type=int, help="gunicorn workers (default 2 * cores + 1)")
    parser.add_argument("--worker-class", choices=["auto", "sync", "gthread"], default=None)
    parser.add_argument("--threads", type=int, default=4, help="threads per gthread worker")
    parser.add_argument(
        "--reuse", action="store_true", help="keep an existing corpus of the same size and seed"
    )
    parser.add_argument("--keep-db", action="store_true", help="do not drop the bench database afterwards")
    parser.add_argument("--drop-db", action="store_true", help="drop the bench database afterwards")
    parser.add_argument("--markdown", help="write the results into this Markdown file")
    parser.add_argument("--no-markdown", action="store_true")
    parser.add_argument("--json", help="write the full report as JSON here")
    parser.add_argument("--publish-items", type=int, help="items scheduled for one minute (default 1000)")
    parser.add_argument("--publish-lead", type=float, help="seconds ahead they are scheduled (default 60)")
    parser.add_argument("--deep-page", type=int, default=500)
    parser.add_argument("--celery-concurrency", type=int)
    parser.add_argument("--cold-restart", action="store_true", help="also restart gunicorn before cold runs")
    parser.add_argument(
        "--no-prewarm",
        action="store_true",
        help="do not read the database's files into the OS cache before the runs",
    )
    args = parser.parse_args(argv)

    small = args.small
    size = args.size or (3000 if small else 1_000_000)

    def ints(text: str | None, default: list[int]) -> list[int]:
        return [int(x) for x in text.split(",")] if text else default

    seconds = args.seconds or (1.0 if small else 10.0)
    keep_db = args.keep_db or (not small and not args.drop_db)
    markdown = None if args.no_markdown else Path(args.markdown) if args.markdown else None
    if markdown is None and not small and not args.no_markdown:
        markdown = BASE_DIR / "docs" / "benchmarks.md"
    return Options(
        size=size,
        seed=args.seed,
        small=small,
        dsn=args.database_url,
        redis_url=args.redis_url,
        warm_seconds=seconds,
        cold_seconds=seconds,
        concurrency=ints(args.concurrency, [4] if small else [1, 16, 64]),
        cold_concurrency=ints(args.cold_concurrency, [4] if small else [16]),
        workers=args.workers,
        worker_class=args.worker_class or ("sync" if small else "auto"),
        threads=args.threads,
        reuse=args.reuse,
        keep_db=keep_db,
        markdown=markdown,
        json_path=Path(args.json) if args.json else None,
        publish_items=args.publish_items or (20 if small else 1000),
        publish_lead=args.publish_lead or (5.0 if small else 60.0),
        align_minute=not small,
        deep_page=args.deep_page,
        celery_concurrency=args.celery_concurrency,
        cold_restart=args.cold_restart,
        prewarm=not args.no_prewarm,
    )


# --- Environment ------------------------------------------------------------------


def bench_env(opts: Options, tmp: Path, port: int) -> dict[str, str]:
    """Production settings for every process of the run: DEBUG off, a fresh
    secret key and field key, the bench database and Redis database, and
    files under a temporary directory. Nothing of the caller's environment
    reaches the portal except the basics a process needs."""
    from cryptography.fernet import Fernet

    keep = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "TZ", "USER")
    env = {k: os.environ[k] for k in keep if k in os.environ}
    env.update(
        {
            # Production settings with the bare page added (bench/urls.py).
            "DJANGO_SETTINGS_MODULE": "bench.settings",
            "DEBUG": "false",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "FIELD_ENCRYPTION_KEY": Fernet.generate_key().decode(),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_SSL_REDIRECT": "false",
            "DATABASE_URL": opts.dsn,
            "REDIS_URL": opts.redis_url,
            "CACHE_KEY_PREFIX": cache_prefix(opts),
            "BENCH_CELERY_QUEUE": f"bench-{opts.db_name}",
            "VAR_DIR": str(tmp / "var"),
            "STATIC_ROOT": str(tmp / "static"),
            "MEDIA_ROOT": str(tmp / "media"),
            "PRIVATE_MEDIA_ROOT": str(tmp / "private"),
            "SITE_URL": f"http://127.0.0.1:{port}",
            # Nothing is mailed from a benchmark; the subscriber and author
            # notices still render and "send".
            "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
            "LOG_LEVEL": "WARNING",
            "PYTHONDONTWRITEBYTECODE": "1",
        }
    )
    return env


def cache_prefix(opts: Options) -> str:
    return f"bench-{opts.db_name}"


def cache_flush(opts: Options) -> int:
    """Delete the benchmark's cache and counter keys (never FLUSHDB: the
    Redis server is shared)."""
    import redis

    client = redis.Redis.from_url(opts.redis_url)
    deleted = 0
    batch = []
    for key in client.scan_iter(match=f"{cache_prefix(opts)}:*", count=1000):
        batch.append(key)
        if len(batch) >= 500:
            deleted += client.delete(*batch)
            batch = []
    if batch:
        deleted += client.delete(*batch)
    return deleted


def broker_cleanup(opts: Options) -> None:
    """Remove the run's Celery queue from Redis (left-over scheduled tasks
    of an interrupted run would otherwise wait there for the next one)."""
    import redis

    queue = f"bench-{opts.db_name}"
    client = redis.Redis.from_url(opts.redis_url)
    client.delete(queue, f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}")


# --- Machine --------------------------------------------------------------------


def machine_info(opts: Options) -> dict:
    import django
    import redis
    from django.db import connection

    cpu = "unknown"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    mem_kb = 0
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            mem_kb = int(line.split()[1])
    with connection.cursor() as cur:
        cur.execute("SHOW server_version")
        pg = cur.fetchone()[0]
        cur.execute("SHOW shared_buffers")
        shared_buffers = cur.fetchone()[0]
    redis_version = redis.Redis.from_url(opts.redis_url).info("server").get("redis_version", "?")
    import gunicorn

    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": round(mem_kb / 1024 / 1024, 1),
        "kernel": platform.release(),
        "python": platform.python_version(),
        "django": django.get_version(),
        "gunicorn": gunicorn.__version__,
        "postgresql": pg,
        "postgresql_shared_buffers": shared_buffers,
        "redis": redis_version,
        "wrk": load.wrk_version(),
        "loadavg_start": Path("/proc/loadavg").read_text().split()[:3],
    }


# --- Stack ------------------------------------------------------------------------


class Stack:
    """The processes of one run; ``close`` stops whatever is still running."""

    def __init__(self, opts: Options, env: dict[str, str], tmp: Path, port: int):
        self.opts, self.env, self.tmp, self.port = opts, env, tmp, port
        self.web: procs.Proc | None = None
        self.worker: procs.Proc | None = None
        self.beat: procs.Proc | None = None
        self.web_config: dict = {}

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start_web(self, *, worker_class: str, workers: int, threads: int) -> None:
        self.stop_web()
        argv = [
            sys.executable,
            "-m",
            "gunicorn",
            "humas_portal.wsgi:application",
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            str(workers),
            "--worker-class",
            worker_class,
            "--backlog",
            "2048",
            "--timeout",
            "60",
            "--log-level",
            "warning",
        ]
        if worker_class == "gthread":
            argv += ["--threads", str(threads)]
        self.web = procs.Proc(
            "gunicorn", argv, env=self.env, log_path=self.tmp / "gunicorn.log", cwd=BASE_DIR
        )
        self.web_config = {"worker_class": worker_class, "workers": workers}
        if worker_class == "gthread":
            self.web_config["threads"] = threads
        procs.wait_http(self.base_url + "/_bench/bare/", timeout=60, proc=self.web)
        # Workers load the app after they fork, each at its own pace; a few
        # seconds of load reaches every one of them before anything counts.
        load.run_wrk(
            base_url=self.base_url,
            paths=["/_bench/bare/"],
            concurrency=2 * workers,
            seconds=1 if self.opts.small else 3,
        )

    def web_workers(self) -> list[int]:
        return self.web.descendants() if self.web else []

    def stop_web(self) -> None:
        if self.web:
            self.web.stop()
            self.web = None

    def start_celery(self) -> str:
        concurrency = self.opts.celery_concurrency or os.cpu_count() or 1
        nodename = f"bench-{self.opts.db_name}-{os.getpid()}@%h"
        common = [sys.executable, "-m", "celery", "-A", "bench.celery_app"]
        self.worker = procs.Proc(
            "celery worker",
            [
                *common,
                "worker",
                "-Q",
                self.env["BENCH_CELERY_QUEUE"],
                "-c",
                str(concurrency),
                "-n",
                nodename,
                "-l",
                "INFO",
            ],
            env=self.env,
            log_path=self.tmp / "celery-worker.log",
            cwd=BASE_DIR,
        )
        self.beat = procs.Proc(
            "celery beat",
            [
                *common,
                "beat",
                "-s",
                str(self.tmp / "celerybeat-schedule"),
                "--pidfile",
                str(self.tmp / "celerybeat.pid"),
                "-l",
                "WARNING",
            ],
            env=self.env,
            log_path=self.tmp / "celery-beat.log",
            cwd=BASE_DIR,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if not self.worker.running():
                raise RuntimeError(f"Celery worker exited:\n{self.worker.log_tail()}")
            if " ready." in self.worker.log_tail(200):
                return nodename
            time.sleep(0.3)
        raise RuntimeError(f"Celery worker not ready within 60 s:\n{self.worker.log_tail()}")

    def stop_celery(self) -> None:
        for proc in (self.beat, self.worker):
            if proc:
                proc.stop()
        self.beat = self.worker = None

    def close(self) -> None:
        self.stop_celery()
        self.stop_web()


# --- Measurements ---------------------------------------------------------------


def search_vector_check(sample: int = 5) -> dict:
    """Whether the bulk-loaded items' search vectors are the ones the app
    declares: PostgreSQL computes the column (``NewsItem.search_vector``, a
    generated column), and a sample is recomputed from the model's own
    expression, so a database built from another schema cannot pass."""
    from news.models import NewsItem

    expression = NewsItem._meta.get_field("search_vector").expression
    published = NewsItem.objects.published().order_by("id")
    ids = list(published.values_list("id", flat=True)[:sample])
    # tsvector's text form is canonical (sorted lexemes and positions), so
    # equal texts mean equal vectors.
    rows = (
        published.filter(id__in=ids)
        .annotate(recomputed=expression)
        .values_list("id", "search_vector", "recomputed")
    )
    mismatches = [pk for pk, stored, recomputed in rows if stored is None or str(stored) != str(recomputed)]
    return {"checked": len(ids), "mismatches": mismatches, "identical": bool(ids) and not mismatches}


def query_counts(opts: Options, pages) -> dict[str, dict]:
    """SQL queries per request, counted in-process against the bench
    database (so production requests carry no counting overhead): with the
    cache flushed, then again warm; and over three variants whose result
    sets differ in size, to show the count does not follow the data."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from news.selectors import invalidate_public_cache

    def forget_everything() -> None:
        # Redis keys go, and so do the pages this process keeps in memory:
        # otherwise a "cold" request would be served from that memory and
        # count no query at all.
        cache_flush(opts)
        invalidate_public_cache()

    client = Client(HTTP_HOST="127.0.0.1", HTTP_USER_AGENT="humas-bench")
    counts = {}
    for page in pages:
        if not page.available:
            continue
        forget_everything()
        with CaptureQueriesContext(connection) as cold:
            response = client.get(page.path)
        with CaptureQueriesContext(connection) as warm:
            client.get(page.path)
        # Where a warm request's time goes, without HTTP or load: the whole
        # request in this process, and the part spent waiting for SQL.
        repeats = 5
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as timed:
            for _ in range(repeats):
                client.get(page.path)
        wall_ms = (time.perf_counter() - started) * 1000 / repeats
        sql_ms = sum(float(q["time"]) for q in timed.captured_queries) * 1000 / repeats
        picks = sorted({0, len(page.variants) // 2, len(page.variants) - 1})
        variant_counts = []
        for index in picks:
            forget_everything()
            with CaptureQueriesContext(connection) as captured:
                client.get(page.variants[index])
            variant_counts.append(len(captured))
        counts[page.spec.key] = {
            "status": response.status_code,
            "cold": len(cold),
            "warm": len(warm),
            "variants": variant_counts,
            "stable": len(set(variant_counts + [len(cold)])) == 1,
            "in_process_ms": round(wall_ms, 1),
            "sql_ms": round(sql_ms, 1),
            "bytes": len(response.content),
            "cache_control": response.get("Cache-Control", ""),
            # A response that sets a cookie, or varies on it, cannot be kept
            # by a shared cache for every reader.
            "set_cookie": sorted(response.cookies.keys()),
            "vary": response.get("Vary", ""),
        }
    return counts


def warm_up(stack: Stack, path: str) -> None:
    """Enough requests for every worker to have rendered the page (and
    compiled its templates) once."""
    workers = stack.web_config.get("workers", 1) * stack.web_config.get("threads", 1)
    if stack.opts.small:
        for _ in range(2 * workers):
            procs.http_get(stack.base_url + path)
        return
    load.run_wrk(base_url=stack.base_url, paths=[path], concurrency=min(32, 2 * workers), seconds=2)


def run_load(opts: Options, stack: Stack, pages) -> dict[str, list[dict]]:
    """Warm runs (canonical request, after a warm-up) at each concurrency,
    then cold runs (cache flushed, cycling through the variants)."""
    runs: dict[str, list[dict]] = {page.spec.key: [] for page in pages if page.available}
    for concurrency in opts.concurrency:
        bare_rps = []
        for page in pages:
            if not page.available:
                continue
            warm_up(stack, page.path)
            result = load.run_wrk(
                base_url=stack.base_url, paths=[page.path], concurrency=concurrency, seconds=opts.warm_seconds
            )
            runs[page.spec.key].append({"cache": "warm", **result.as_dict()})
            if page.spec.key == "bare":
                bare_rps.append(result.rps)
            log(
                f"warm c={concurrency:<3} {page.spec.key:<14} {result.rps:>8.1f} req/s p95 {result.p95_ms} ms errors {result.errors}"
            )
        # The baseline again at the end of the round: the mean of both runs
        # is the reference, so a neighbour's burst is less likely to skew it.
        bare = next(p for p in pages if p.spec.key == "bare")
        result = load.run_wrk(
            base_url=stack.base_url, paths=[bare.path], concurrency=concurrency, seconds=opts.warm_seconds
        )
        bare_rps.append(result.rps)
        runs["bare"].append({"cache": "warm", "repeat": True, **result.as_dict()})
        reference = statistics.mean(bare_rps)
        for rows in runs.values():
            for row in rows:
                if row["cache"] == "warm" and row["concurrency"] == concurrency:
                    row["ratio"] = round(row["rps"] / reference, 3) if reference else None
    for concurrency in opts.cold_concurrency:
        reference = _bare_reference(runs, concurrency)
        for page in pages:
            if not page.available:
                continue
            if opts.cold_restart:
                stack.start_web(**_web_kwargs(stack))
            if opts.prewarm:
                # The kernel may have paged out what the warm runs did not
                # touch (see prewarm_database).
                prewarm_database(opts)
            cache_flush(opts)
            status, first = procs.http_get(stack.base_url + page.path)
            cache_flush(opts)
            result = load.run_wrk(
                base_url=stack.base_url,
                paths=page.variants,
                concurrency=concurrency,
                seconds=opts.cold_seconds,
            )
            row = {
                "cache": "cold",
                "variants": len(page.variants),
                "first_ms": round(first * 1000, 1),
                **result.as_dict(),
            }
            row["ratio"] = round(result.rps / reference, 3) if reference else None
            runs[page.spec.key].append(row)
            log(
                f"cold c={concurrency:<3} {page.spec.key:<14} {result.rps:>8.1f} req/s p95 {result.p95_ms} ms errors {result.errors}"
            )
    return runs


def _bare_reference(runs, concurrency) -> float | None:
    values = [
        r["rps"] for r in runs.get("bare", []) if r["cache"] == "warm" and r["concurrency"] == concurrency
    ]
    return statistics.mean(values) if values else None


def _web_kwargs(stack: Stack) -> dict:
    return {
        "worker_class": stack.web_config["worker_class"],
        "workers": stack.web_config["workers"],
        "threads": stack.web_config.get("threads", stack.opts.threads),
    }


def calibrate(opts: Options, stack: Stack, pages) -> tuple[dict, list[dict]]:
    """Pick the gunicorn worker class (and count) that serves the public
    pages fastest on this machine: a short warm run of the home page and a
    news detail at 16 connections per candidate."""
    cores = os.cpu_count() or 1
    candidates = [
        {"worker_class": "sync", "workers": 2 * cores + 1, "threads": 1},
        {"worker_class": "sync", "workers": cores + 1, "threads": 1},
        {"worker_class": "gthread", "workers": cores + 1, "threads": opts.threads},
        {"worker_class": "gthread", "workers": 2 * cores + 1, "threads": 2},
    ]
    probe = [p for p in pages if p.available and p.spec.key in ("home", "detail")]
    results = []
    for candidate in candidates:
        stack.start_web(**candidate)
        total = 0.0
        for page in probe:
            warm_up(stack, page.path)
            total += load.run_wrk(base_url=stack.base_url, paths=[page.path], concurrency=16, seconds=5).rps
        results.append({**candidate, "rps": round(total / max(1, len(probe)), 1)})
        log(f"calibration {candidate}: {results[-1]['rps']} req/s")
    best = max(results, key=lambda r: r["rps"])
    return {k: best[k] for k in ("worker_class", "workers", "threads")}, results


def web_memory(stack: Stack) -> dict:
    peaks = [p for p in (procs.peak_rss_mb(pid) for pid in stack.web_workers()) if p is not None]
    master = procs.peak_rss_mb(stack.web.pid) if stack.web else None
    return {"worker_peak_mb": max(peaks) if peaks else None, "workers": peaks, "master_peak_mb": master}


def publish_lag(opts: Options, stack: Stack) -> dict:
    """Schedule ``publish_items`` approved items for one moment through the
    desk's own service (``news_approve`` with ``publish_at``, which queues the
    publishing task), run a real worker and beat, and measure how late each
    item was published; then take one down and measure how long the public
    site still shows it."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.utils import timezone

    import bench.celery_app  # noqa: F401 - routes this process's tasks to the bench queue
    from humas_portal.core.models import WorkUnit
    from humas_portal.core.workflow import ReviewStatus
    from news import services
    from news.models import NewsItem

    User = get_user_model()
    nodename = stack.start_celery()
    log(f"celery worker {nodename} and beat running")
    run_tag = f"{int(time.time())}"
    satker = list(
        WorkUnit.objects.exclude(kind__in=["pusat", "kanwil", "kankemenag"])
        .select_related("parent")
        .order_by("id")
    )
    now = timezone.now()
    items = [
        NewsItem(
            title=f"Jadwal terbit serentak {i + 1}",
            slug=f"bench-terbit-{run_tag}-{i + 1}",
            lead="Berita terjadwal untuk pengukuran jeda terbit.",
            body="<p>Kegiatan pelayanan madrasah dan penyuluh agama.</p>",
            unit=satker[i % len(satker)],
            author_id=satker[i % len(satker)].pk,
            status=ReviewStatus.SUBMITTED,
            submitted_at=now,
        )
        for i in range(opts.publish_items)
    ]
    NewsItem.objects.bulk_create(items, batch_size=500)
    items = list(
        NewsItem.objects.filter(slug__startswith=f"bench-terbit-{run_tag}-")
        .select_related("unit")
        .order_by("id")
    )
    publish_at = timezone.now() + timedelta(seconds=opts.publish_lead)
    if opts.align_minute:
        publish_at = (publish_at + timedelta(minutes=1)).replace(second=0, microsecond=0)
    verifiers = {}
    approve_started = time.monotonic()
    for item in items:
        office_id = item.unit.parent_id
        if office_id not in verifiers:
            verifiers[office_id] = User.objects.get(pk=corpus.UNIT_COUNT + office_id)
        services.news_approve(item=item, actor=verifiers[office_id], publish_at=publish_at)
    approved_by = timezone.now()
    log(f"{len(items)} items approved in {time.monotonic() - approve_started:.1f}s for {publish_at:%H:%M:%S}")

    ids = [item.pk for item in items]
    sample = items[-1]
    first_seen_home = None
    deadline = publish_at + timedelta(seconds=120 if not opts.small else 60)
    published = 0
    while timezone.now() < deadline:
        published = NewsItem.objects.filter(pk__in=ids, status=ReviewStatus.PUBLISHED).count()
        if first_seen_home is None and timezone.now() >= publish_at:
            body = _fetch(stack.base_url + "/")
            if any(f"bench-terbit-{run_tag}-" in line for line in body.splitlines()):
                first_seen_home = (timezone.now() - publish_at).total_seconds()
        if published == len(ids) and first_seen_home is not None:
            break
        time.sleep(0.5)
    all_seen = timezone.now()
    with connection.cursor() as cur:
        cur.execute(
            "SELECT extract(epoch FROM published_at - publish_at) FROM news_newsitem "
            "WHERE id = ANY(%s) AND status = 'published' ORDER BY 1",
            [ids],
        )
        lags = [float(row[0]) for row in cur.fetchall()]
    memory = _celery_memory(stack)
    unpublish = (
        _unpublish_check(stack, sample.pk, corpus.UNIT_COUNT * 2 + sample.unit.parent_id) if published else {}
    )
    stack.stop_celery()
    # Keep the corpus as it was, for the next run with --reuse.
    NewsItem.objects.filter(pk__in=ids).delete()
    result = {
        "items": len(ids),
        "published": len(lags),
        "scheduled_for": publish_at.isoformat(),
        "approvals_done_before": approved_by < publish_at,
        "lag_p50_s": _percentile(lags, 50),
        "lag_p99_s": _percentile(lags, 99),
        "lag_max_s": round(max(lags), 2) if lags else None,
        "all_within_60s": len(lags) == len(ids) and bool(lags) and max(lags) <= 60,
        "observed_all_after_s": round((all_seen - publish_at).total_seconds(), 1),
        "home_shows_new_after_s": round(first_seen_home, 1) if first_seen_home is not None else None,
        "celery_worker_peak_mb": memory["worker_peak_mb"],
        "celery_processes_mb": memory["processes"],
        "unpublish": unpublish,
    }
    log(f"publish lag: {result}")
    return result


def _fetch(url: str) -> str:
    import urllib.request

    with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 - local URL
        return response.read().decode("utf-8", "replace")


def _celery_memory(stack: Stack) -> dict:
    if not stack.worker:
        return {"worker_peak_mb": None, "processes": []}
    pids = [stack.worker.pid, *stack.worker.descendants()]
    peaks = [p for p in (procs.peak_rss_mb(pid) for pid in pids) if p is not None]
    return {"worker_peak_mb": max(peaks) if peaks else None, "processes": peaks}


def _unpublish_check(stack: Stack, item_id: int, admin_id: int) -> dict:
    """Take a published item down through the desk service and time how
    long the origin still serves it (its page, and the home page)."""
    from django.contrib.auth import get_user_model

    from news import services
    from news.models import NewsItem

    item = NewsItem.objects.get(pk=item_id)
    url = stack.base_url + item.get_absolute_url()
    before, _ = procs.http_get(url)
    admin = get_user_model().objects.get(pk=admin_id)
    services.news_unpublish(item=item, actor=admin, reason="Pengukuran penurunan berita.")
    started = time.monotonic()
    gone = None
    while time.monotonic() - started < 120:
        status, _ = procs.http_get(url)
        if status == 404 and item.slug not in _fetch(stack.base_url + "/"):
            gone = time.monotonic() - started
            break
        time.sleep(0.2)
    return {"status_before": before, "origin_gone_after_s": round(gone, 2) if gone is not None else None}


def _percentile(values: list[float], pct: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    k = max(0, math.ceil(pct / 100 * len(ordered)) - 1)
    return round(ordered[k], 2)


# --- Targets ----------------------------------------------------------------------


PUBLIC_KEYS = (
    "home",
    "detail",
    "unit",
    "unit_deep",
    "program",
    "category",
    "tag",
    "search_common",
    "search_rare",
    "feed",
)


def evaluate_targets(report: dict) -> list[dict]:
    """The targets of the issue, each with what was measured and pass/fail
    (``None`` when this run cannot tell, e.g. the small mode's concurrency)."""
    pages = {p["key"]: p for p in report["pages"] if p["available"]}
    targets = []

    def add(name, measured, passed):
        targets.append({"target": name, "measured": measured, "pass": passed})

    public = [k for k in PUBLIC_KEYS if k in pages]
    worst = []
    for key in public:
        ratios = [
            r["ratio"] for r in pages[key]["runs"] if r["cache"] == "warm" and r.get("ratio") is not None
        ]
        if ratios:
            worst.append((min(ratios), key))
    failing = sorted(w for w in worst if w[0] < 0.5)
    add(
        "Warm cache: every public page ≥ 50% of the bare view's requests/s",
        "worst: "
        + (f"{min(worst)[1]} {min(worst)[0]:.0%}" if worst else "n/a")
        + (f"; below: {', '.join(f'{k} {r:.0%}' for r, k in failing)}" if failing else ""),
        not failing if worst else None,
    )

    def at(key, cache, concurrency):
        return next(
            (
                r
                for r in pages.get(key, {}).get("runs", [])
                if r["cache"] == cache and r["concurrency"] == concurrency
            ),
            None,
        )

    cold16 = [(at(k, "cold", 16), k) for k in public]
    cold16 = [(r["p95_ms"], k) for r, k in cold16 if r]
    slow = sorted((p, k) for p, k in cold16 if p >= 100)
    add(
        "Cold cache: p95 < 100 ms at 16 concurrent clients",
        ("worst: " + f"{max(cold16)[1]} {max(cold16)[0]} ms" if cold16 else "not measured at 16")
        + (f"; over: {', '.join(f'{k} {p} ms' for p, k in slow)}" if slow else ""),
        (not slow) if cold16 else None,
    )
    search = []
    for key in ("search_common", "search_rare"):
        for cache in ("warm", "cold"):
            row = at(key, cache, 16)
            if row:
                search.append((row["p95_ms"], f"{key} {cache}"))
    add(
        "Search p95 < 150 ms (common and rare word, 16 clients)",
        ", ".join(f"{label} {p} ms" for p, label in search) or "not measured at 16",
        all(p < 150 for p, _ in search) if search else None,
    )
    # Measured in-process (no HTTP, no concurrency): the load runs on a
    # shared machine are too noisy to compare two pages' latencies.
    deep_q, first_q = report["queries"].get("unit_deep"), report["queries"].get("unit")
    if deep_q and first_q and first_q.get("in_process_ms"):
        ratio = deep_q["in_process_ms"] / first_q["in_process_ms"]
        add(
            f"Deep page (page {report['corpus'].get('deep_page')}) no slower than twice page 1",
            f"server {deep_q['in_process_ms']} ms vs {first_q['in_process_ms']} ms ({ratio:.2f}×); "
            f"SQL {deep_q['sql_ms']} ms vs {first_q['sql_ms']} ms",
            ratio <= 2,
        )
    queries = report["queries"]
    unstable = [k for k, q in queries.items() if not q["stable"]]
    add(
        "No page's query count grows with the corpus",
        "stable across variants" if not unstable else f"varies: {', '.join(unstable)}",
        not unstable,
    )
    pub = report.get("publish") or {}
    if pub:
        add(
            f"All {pub['items']} scheduled items published within 60 s",
            f"{pub['published']}/{pub['items']} published, max lag {pub['lag_max_s']} s",
            pub["all_within_60s"],
        )
        add(
            "Publish lag p99 < 10 s",
            f"p50 {pub['lag_p50_s']} s, p99 {pub['lag_p99_s']} s",
            pub["lag_p99_s"] is not None and pub["lag_p99_s"] < 10,
        )
    memory = report["memory"]
    if memory.get("web_worker_peak_mb") is not None:
        add(
            "Web worker < 200 MB resident",
            f"{memory['web_worker_peak_mb']} MB",
            memory["web_worker_peak_mb"] < 200,
        )
    if memory.get("celery_worker_peak_mb") is not None:
        add(
            "Celery worker < 300 MB resident",
            f"{memory['celery_worker_peak_mb']} MB",
            memory["celery_worker_peak_mb"] < 300,
        )
    errors = sum(r["errors"] for p in pages.values() for r in p["runs"])
    add("Zero errors under load", f"{errors} errors", errors == 0)
    gone = (pub.get("unpublish") or {}).get("origin_gone_after_s") if pub else None
    if pub:
        add(
            "Unpublished item gone within a few seconds (origin)",
            f"{gone} s" if gone is not None else "still served after 120 s",
            gone is not None and gone <= 5,
        )
    return targets


# --- Main -------------------------------------------------------------------------


def build_report(
    opts,
    machine,
    meta,
    build_seconds,
    server,
    calibration,
    pages,
    queries,
    runs,
    memory,
    publish,
    vector_check,
):
    page_rows = []
    for page in pages:
        row = {
            "key": page.spec.key,
            "label": page.spec.label,
            "required": page.spec.required,
            "available": page.available,
            "path": page.path,
            "variants": len(page.variants),
            "queries": queries.get(page.spec.key),
            "runs": runs.get(page.spec.key, []),
        }
        page_rows.append(row)
    report = {
        "mode": "small" if opts.small else "full",
        "options": {
            "size": opts.size,
            "seed": opts.seed,
            "concurrency": opts.concurrency,
            "cold_concurrency": opts.cold_concurrency,
            "warm_seconds": opts.warm_seconds,
            "cold_seconds": opts.cold_seconds,
            "publish_items": opts.publish_items,
        },
        "machine": machine,
        "corpus": {**meta, "build_seconds": build_seconds},
        "server": server,
        "calibration": calibration,
        "search_vector_check": vector_check,
        "pages": page_rows,
        "queries": queries,
        "memory": memory,
        "publish": publish,
    }
    return report


def main(argv: list[str] | None = None) -> int:
    opts = parse_args(argv)
    load.wrk_path()  # fail before building anything when wrk is missing
    tmp = Path(tempfile.mkdtemp(prefix="humas-bench-"))
    port = procs.free_port()
    env = bench_env(opts, tmp, port)
    stack = Stack(opts, env, tmp, port)

    def on_signal(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, on_signal)
    try:
        return _run(opts, env, stack, tmp)
    finally:
        stack.close()
        try:
            cache_flush(opts)
            broker_cleanup(opts)
        except Exception as exc:  # noqa: BLE001 - cleanup must go on
            log(f"could not clear the bench cache keys: {exc}")
        if not opts.keep_db:
            _close_django_connections()
            corpus.database_drop(opts.dsn)
            log(f"database {opts.db_name} dropped")
        shutil.rmtree(tmp, ignore_errors=True)


def _run(opts: Options, env: dict[str, str], stack: Stack, tmp: Path) -> int:
    started = time.monotonic()
    meta = corpus.read_meta(opts.dsn) if opts.reuse and corpus.database_exists(opts.dsn) else {}
    if meta and (meta.get("size"), meta.get("seed"), meta.get("layout")) == (
        str(opts.size),
        str(opts.seed),
        corpus.corpus_layout(),
    ):
        log(f"reusing corpus in {opts.db_name} built {meta.get('built_at')}")
        build_seconds = float(meta.get("build_seconds", "nan"))
        corpus.migrate(opts.dsn, env)
    else:
        built = time.monotonic()
        meta = corpus.corpus_build(dsn=opts.dsn, size=opts.size, seed=opts.seed, env=env, log=log)
        build_seconds = round(time.monotonic() - built, 1)
        _store_meta(opts.dsn, {"build_seconds": str(build_seconds)})
    subprocess.run(  # noqa: S603 - our own interpreter and manage.py
        [sys.executable, str(BASE_DIR / "manage.py"), "collectstatic", "--noinput", "--verbosity", "0"],
        env=env,
        check=True,
        cwd=BASE_DIR,
    )

    prewarmed = prewarm_database(opts) if opts.prewarm else None
    if prewarmed:
        log(
            f"read {prewarmed['mb']:,} MB of tables and indexes into the OS cache in {prewarmed['seconds']} s"
        )

    # From here on this process is one more client of the production
    # settings, like the processes it starts.
    os.environ.clear()
    os.environ.update(env)
    import django

    django.setup()
    from . import pages as page_list

    machine = machine_info(opts)
    machine["prewarmed"] = prewarmed
    ctx = page_list.corpus_context(meta, seed=opts.seed, deep_page=opts.deep_page)
    pages = [page_list.resolve(spec, ctx) for spec in page_list.PAGES]
    for page in pages:
        log(f"page {page.spec.key:<14} {page.path or 'not available'} ({len(page.variants)} variants)")
    vector_check = search_vector_check()
    log(f"search vectors identical to the app's: {vector_check}")
    queries = query_counts(opts, pages)
    meta = {**meta, "deep_page": ctx.deep_page, "unit_pages": ctx.unit_pages, **_term_frequencies(ctx)}

    calibration: list[dict] = []
    cores = os.cpu_count() or 1
    if opts.worker_class == "auto":
        config, calibration = calibrate(opts, stack, pages)
    else:
        config = {
            "worker_class": opts.worker_class,
            "workers": opts.workers or 2 * cores + 1,
            "threads": opts.threads,
        }
    if opts.workers:
        config["workers"] = opts.workers
    stack.start_web(**config)
    log(f"gunicorn {stack.web_config} on {stack.base_url}")
    runs = run_load(opts, stack, pages)
    memory = {"web": web_memory(stack)}
    memory["web_worker_peak_mb"] = memory["web"]["worker_peak_mb"]
    publish = publish_lag(opts, stack) if opts.publish_items else {}
    memory["celery_worker_peak_mb"] = publish.get("celery_worker_peak_mb")
    stack.stop_web()
    machine["loadavg_end"] = Path("/proc/loadavg").read_text().split()[:3]
    machine["total_minutes"] = round((time.monotonic() - started) / 60, 1)

    report = build_report(
        opts,
        machine,
        meta,
        build_seconds,
        stack.web_config,
        calibration,
        pages,
        queries,
        runs,
        memory,
        publish,
        vector_check,
    )
    report["targets"] = evaluate_targets(report)
    if opts.json_path:
        opts.json_path.write_text(json.dumps(report, indent=2, default=str))
        log(f"report written to {opts.json_path}")
    if opts.markdown:
        from . import report as markdown

        markdown.write(opts.markdown, report)
        log(f"results written to {opts.markdown}")
    for target in report["targets"]:
        mark = {True: "PASS", False: "FAIL", None: "n/a "}[target["pass"]]
        log(f"{mark} {target['target']}: {target['measured']}")
    return 0


def prewarm_database(opts: Options) -> dict | None:
    """Read every table and index of the bench database once, into the
    operating system's cache (``pg_prewarm`` in ``read`` mode; PostgreSQL's
    own buffers are left alone).

    A database server in service holds its hot files in memory; one that
    has just been loaded may not (here the kernel kept about half of the
    freshly written files), and this machine's kernel also pages out memory
    nobody touched for a minute or two (a DAMON ``pageout`` scheme), so the
    cold runs would measure the disk rather than the portal's caches. It
    runs before the warm runs and again before each cold run. Returns what
    was read, or ``None`` when the extension is not available
    (``--no-prewarm`` skips it).
    """
    import psycopg2

    started = time.monotonic()
    conn = psycopg2.connect(opts.dsn)
    conn.autocommit = True
    try:
        with conn.cursor() as cur:
            try:
                cur.execute("CREATE EXTENSION IF NOT EXISTS pg_prewarm")
            except psycopg2.Error as error:
                log(f"pg_prewarm not available, database files not read ahead: {error}".strip())
                return None
            # The tables of the public schema, their TOAST tables and the
            # indexes of both.
            cur.execute(
                """
                WITH own AS (
                    SELECT c.oid, c.reltoastrelid FROM pg_class c
                    JOIN pg_namespace n ON n.oid = c.relnamespace
                    WHERE n.nspname = 'public' AND c.relkind IN ('r', 'm') AND c.relpersistence = 'p'
                ), tables AS (
                    SELECT oid FROM own UNION SELECT reltoastrelid FROM own WHERE reltoastrelid <> 0
                ), relations AS (
                    SELECT oid FROM tables
                    UNION SELECT indexrelid FROM pg_index WHERE indrelid IN (SELECT oid FROM tables)
                )
                SELECT sum(pg_prewarm(oid, 'read')) FROM relations WHERE pg_relation_size(oid) > 0
                """
            )
            blocks = cur.fetchone()[0] or 0
            cur.execute("SELECT current_setting('block_size')::int")
            block_size = cur.fetchone()[0]
    finally:
        conn.close()
    return {"mb": round(blocks * block_size / 2**20), "seconds": round(time.monotonic() - started, 1)}


def _term_frequencies(ctx) -> dict:
    from django.db import connection

    out = {}
    with connection.cursor() as cur:
        for key, term in (("common_term_df", ctx.common_term), ("rare_term_df", ctx.rare_term)):
            cur.execute(
                "SELECT count(*) FROM news_newsitem WHERE status = 'published' "
                "AND search_vector @@ websearch_to_tsquery('indonesian', %s)",
                [term],
            )
            out[key] = cur.fetchone()[0]
        cur.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
        out["database_size"] = cur.fetchone()[0]
    return out


def _close_django_connections() -> None:
    from django.apps import apps

    if apps.ready:
        from django.db import connections

        connections.close_all()


def _store_meta(dsn: str, values: dict[str, str]) -> None:
    import psycopg2

    conn = psycopg2.connect(dsn)
    try:
        with conn, conn.cursor() as cur:
            for key, value in values.items():
                cur.execute(
                    "INSERT INTO bench_meta VALUES (%s, %s) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
                    [key, value],
                )
    finally:
        conn.close()
