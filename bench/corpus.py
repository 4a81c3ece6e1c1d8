"""A national-size news corpus, generated reproducibly and loaded in bulk.

Everything the text, the units, the tags and the relative times contain is
determined by the seed: chunk ``k`` of the items is generated from its own
``Random(f"{seed}:{k}")``, so the result does not depend on how many
processes generate it. Times are laid out over the year before the day the
corpus is built.

The load avoids everything that makes row-by-row inserts slow: rows stream
through ``COPY``; the news items go first into an unlogged staging table and
then into ``news_newsitem`` with one ``INSERT … SELECT`` per half, during
which PostgreSQL computes the search vector (a generated column, as for any
item the portal writes), so no row is written twice; secondary indexes are
dropped for the load and rebuilt afterwards; foreign-key triggers are off for
the load sessions (the generator only writes ids it created).
"""

from __future__ import annotations

import io
import multiprocessing
import os
import random
import signal
import subprocess
import sys
import threading
import time
from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from itertools import accumulate
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg2

from . import words

BASE_DIR = Path(__file__).resolve().parent.parent

CHUNK_SIZE = 10_000
UNIT_COUNT = 500
TAG_COUNT = 300
# Share of an item's body tokens that are function words (yang, dan, di …).
FUNCTION_WORD_SHARE = 0.35
# Probability that an item mentions one of the rare terms.
RARE_TERM_RATE = 0.03
# The rare search term is the one whose document frequency is closest to
# this share of the corpus (about 50 items in a million).
RARE_TARGET_SHARE = 1 / 20_000
# The common search term: a content word present in a large share of items.
COMMON_TERM = "kegiatan"

NEWS_COLUMNS = (
    "id",
    "status",
    "submitted_at",
    "decided_at",
    "review_note",
    "title",
    "slug",
    "lead",
    "body",
    "featured_caption",
    "dateline",
    "reporter",
    "editor_credit",
    "photo_credit",
    "priority_program",
    "event_date",
    "publish_at",
    "published_at",
    "created_at",
    "updated_at",
    "view_count",
    "author_id",
    "category_id",
    "decided_by_id",
    "featured_image_id",
    "unit_id",
    "kanwil_id",
    "kankemenag_id",
)
# The trigger that gives a written item its unit's offices (news.models:
# NewsItem.kanwil), by the name declared on the model (django-pgtrigger adds
# a prefix and a suffix, see _trigger); the generator writes the offices,
# and the load checks them against the trigger (``_check_offices``).
OFFICES_TRIGGER = "news_item_take_offices"
# Every item is published: its tag rows carry its publication time (see
# news.models.NewsTag), which the trigger named here would otherwise fill.
TAG_COLUMNS = ("newsitem_id", "tag_id", "published_at")
TAG_TIME_TRIGGER = "news_tag_take_publication_time"

CATEGORIES = [
    ("Berita Kantor", "berita-kantor"),
    ("Pendidikan Madrasah", "pendidikan-madrasah"),
    ("Bimbingan Masyarakat Islam", "bimas-islam"),
    ("Haji dan Umrah", "haji-dan-umrah"),
    ("Kerukunan Umat Beragama", "kerukunan-umat-beragama"),
    ("Penyuluhan Agama", "penyuluhan-agama"),
    ("Zakat dan Wakaf", "zakat-dan-wakaf"),
    ("Pendidikan Agama dan Keagamaan", "pendidikan-agama-keagamaan"),
    ("Bimas Kristen, Katolik, Hindu, Buddha", "bimas-non-islam"),
    ("Opini", "opini"),
    ("Pengumuman", "pengumuman"),
    ("Artikel", "artikel"),
]

PROGRAMS = [
    "moderasi-beragama",
    "layanan-pendidikan",
    "layanan-keagamaan",
    "kerukunan",
    "kehidupan-beragama",
    "mutu-pendidikan-agama",
    "tata-kelola",
    "haji-umrah",
    "produk-halal",
]

CURATED_TAGS = [
    "moderasi beragama",
    "madrasah hebat bermartabat",
    "kurikulum merdeka",
    "bimbingan perkawinan",
    "hari amal bakti",
    "kampung moderasi",
    "manasik haji",
    "sertifikasi halal",
    "zakat fitrah",
    "wakaf produktif",
    "penyuluh agama",
    "kua teladan",
    "madrasah digital",
    "asesmen madrasah",
    "zona integritas",
    "wilayah bebas korupsi",
    "pelayanan terpadu satu pintu",
    "kerukunan umat beragama",
    "tahun dakwah",
    "literasi digital",
]


# --- Distributions --------------------------------------------------------------


def corpus_layout() -> str:
    """A fingerprint of what the generator writes and of the schema it is
    written into: a corpus built by another version (other columns, another
    search vector or triggers) is not reused."""
    import hashlib

    schema = "".join(path.read_text() for path in sorted((BASE_DIR / "news" / "migrations").glob("0*.py")))
    return hashlib.sha256(f"{schema}|{NEWS_COLUMNS}|{TAG_COLUMNS}|{CHUNK_SIZE}".encode()).hexdigest()[:16]


def zipf_cum_weights(n: int, exponent: float = 1.0, total: float = 1.0, offset: float = 0.0) -> list[float]:
    """Cumulative Zipf(-Mandelbrot) weights for ranks 1..n: ``1 / (rank + offset) ** exponent``."""
    raw = [1.0 / ((rank + offset) ** exponent) for rank in range(1, n + 1)]
    scale = total / sum(raw)
    return list(accumulate(w * scale for w in raw))


def _dedupe(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))


@dataclass(frozen=True)
class Unit:
    id: int
    code: str
    name: str
    short_name: str
    slug: str
    kind: str
    parent_id: int | None
    timezone: str
    path: str
    place: str


def build_units(seed: int, count: int = UNIT_COUNT) -> list[Unit]:
    """A Pusat, a Kanwil per province, a Kankemenag per kabupaten/kota and
    satker (KUA, madrasah, Pokjawas, Penyuluh) under them, ``count`` in all."""
    rng = random.Random(f"{seed}:units")
    units: list[Unit] = []

    def add(name, short, slug, kind, parent: Unit | None, tz, place):
        uid = len(units) + 1
        path = f"{parent.path if parent else '/'}{uid}/"
        unit = Unit(
            uid, f"B{uid:04d}", name, short, slug, kind, parent.id if parent else None, tz, path, place
        )
        units.append(unit)
        return unit

    pusat = add(
        "Kementerian Agama Republik Indonesia",
        "Kemenag RI",
        "kemenag-ri",
        "pusat",
        None,
        "Asia/Jakarta",
        "Jakarta",
    )
    offices: list[Unit] = []
    for province, tz, regencies in words.PROVINCES:
        pslug = province.lower().replace(" ", "-")
        kanwil = add(
            f"Kanwil Kemenag Provinsi {province}",
            f"Kanwil {province}",
            f"kanwil-{pslug}",
            "kanwil",
            pusat,
            tz,
            province,
        )
        for regency in regencies:
            rslug = regency.lower().replace(" ", "-")
            offices.append(
                add(
                    f"Kankemenag Kabupaten {regency}",
                    f"Kemenag {regency}",
                    f"kemenag-{rslug}",
                    "kankemenag",
                    kanwil,
                    tz,
                    regency,
                )
            )
    satker_kinds = [
        "kua",
        "kua",
        "kua",
        "kua",
        "min",
        "mtsn",
        "man",
        "madrasah_swasta",
        "pokjawas",
        "penyuluh",
    ]
    kecamatan = _dedupe(words.KECAMATAN)
    numbers: Counter[tuple[int, str]] = Counter()
    i = 0
    while len(units) < count:
        office = offices[i % len(offices)]
        kind = satker_kinds[(i // len(offices)) % len(satker_kinds)]
        numbers[(office.id, kind)] += 1
        n = numbers[(office.id, kind)]
        regency = office.place
        if kind == "kua":
            kec = kecamatan[rng.randrange(len(kecamatan))]
            name, short = f"KUA Kecamatan {kec}", f"KUA {kec}"
        elif kind == "madrasah_swasta":
            name = f"MTs {rng.choice(['Al-Hidayah', 'Nurul Huda', 'Darul Ulum', 'Al-Ikhlas', 'Miftahul Ulum'])} {regency}"
            short = name
        elif kind == "pokjawas":
            name, short = f"Pokjawas Madrasah {regency}", f"Pokjawas {regency}"
        elif kind == "penyuluh":
            name, short = f"Penyuluh Agama Islam {regency}", f"Penyuluh {regency}"
        else:
            name = f"{kind.upper().replace('MTSN', 'MTsN')} {n} {regency}"
            short = name
        slug = f"{kind.replace('_', '-')}-{regency.lower().replace(' ', '-')}-{len(units) + 1}"
        add(name, short, slug, kind, office, office.timezone, regency)
        i += 1
    return units


def unit_publishing_order(units: list[Unit], seed: int) -> list[Unit]:
    """Units from the most to the least prolific: the Kanwil publish most (one
    province put out 67,000 items in 2023), then offices, then satker."""
    rng = random.Random(f"{seed}:order")
    kanwil = [u for u in units if u.kind == "kanwil"]
    pusat = [u for u in units if u.kind == "pusat"]
    kankemenag = [u for u in units if u.kind == "kankemenag"]
    satker = [u for u in units if u.kind not in {"kanwil", "pusat", "kankemenag"}]
    rng.shuffle(kankemenag)
    rng.shuffle(satker)
    return kanwil + pusat + kankemenag + satker


def build_tags(seed: int, count: int = TAG_COUNT) -> list[str]:
    rng = random.Random(f"{seed}:tags")
    tags = list(CURATED_TAGS)
    content = _dedupe(words.CONTENT_WORDS)
    seen = set(tags)
    while len(tags) < count:
        tag = f"{content[rng.randrange(len(content))]} {content[rng.randrange(len(content))]}"
        if tag not in seen and len(set(tag.split())) == 2:
            seen.add(tag)
            tags.append(tag)
    return tags


# --- Item generation (runs in worker processes) ----------------------------------------

_ctx: dict = {}


def _init_worker(context: dict) -> None:
    # The pool ends its workers with SIGTERM. A worker forked from the run
    # inherits the run's handler, which raises KeyboardInterrupt for a
    # clean-up the worker has no part in; the worker could then hang on a
    # lock held at that moment and the run wait for it forever.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _ctx.clear()
    _ctx.update(context)
    function = _dedupe(words.FUNCTION_WORDS)
    content = _dedupe(words.CONTENT_WORDS)
    # One vocabulary, function words weighted to FUNCTION_WORD_SHARE, each
    # group Zipf-distributed within itself.
    fw = zipf_cum_weights(len(function), 1.0, FUNCTION_WORD_SHARE)
    # The offset flattens the head: no content word takes a tenth of the text.
    cw = zipf_cum_weights(len(content), 1.0, 1.0 - FUNCTION_WORD_SHARE, offset=5)
    _ctx["vocab"] = function + content
    _ctx["vocab_cw"] = fw + [FUNCTION_WORD_SHARE + w for w in cw]
    _ctx["content"] = content
    _ctx["content_cw"] = zipf_cum_weights(len(content), 1.0, offset=5)
    _ctx["rare"] = _dedupe(words.RARE_WORDS)
    _ctx["rare_cw"] = zipf_cum_weights(len(_ctx["rare"]), 1.3)
    _ctx["tag_cw"] = zipf_cum_weights(context["tag_count"], 1.0)
    _ctx["unit_cw"] = zipf_cum_weights(len(context["units"]), 0.8)
    _ctx["program_cw"] = zipf_cum_weights(len(PROGRAMS), 0.7)
    _ctx["category_cw"] = zipf_cum_weights(len(CATEGORIES), 0.9)


def _ts(dt: datetime) -> str:
    return f"{dt:%Y-%m-%d %H:%M:%S}+00"


def _sentence(rng: random.Random, low: int, high: int) -> str:
    ws = rng.choices(_ctx["vocab"], cum_weights=_ctx["vocab_cw"], k=rng.randint(low, high))
    return ws[0].capitalize() + " " + " ".join(ws[1:]) + "."


def generate_chunk(index: int) -> tuple[bytes, bytes, Counter]:
    """Rows ``index * CHUNK_SIZE + 1 …`` as COPY text for the items and their
    tags, and the document frequency of each rare term in the chunk."""
    seed, size = _ctx["seed"], _ctx["size"]
    rng = random.Random(f"{seed}:{index}")
    units = _ctx["units"]  # publishing order: (unit_id, author_id, verifier_id, place)
    start: datetime = _ctx["start"]
    span = _ctx["span_seconds"]
    first = index * CHUNK_SIZE + 1
    last = min(size, first + CHUNK_SIZE - 1)
    items = io.StringIO()
    tags = io.StringIO()
    rare_df: Counter = Counter()
    content, content_cw = _ctx["content"], _ctx["content_cw"]
    rare, rare_cw = _ctx["rare"], _ctx["rare_cw"]
    step = span / size
    for item_id in range(first, last + 1):
        unit_id, author_id, verifier_id, place, kanwil_id, kankemenag_id = units[
            bisect_left(_ctx["unit_cw"], rng.random() * _ctx["unit_cw"][-1])
        ]
        published = start + timedelta(seconds=(item_id - 1) * step + rng.random() * step)
        submitted = published - timedelta(minutes=rng.randint(30, 48 * 60))
        decided = submitted + (published - submitted) * rng.random()
        title_words = rng.choices(content, cum_weights=content_cw, k=rng.randint(6, 11))
        title = " ".join(w.capitalize() for w in title_words)
        slug = "-".join(title_words)[:200] + f"-{item_id}"
        lead = f"{place} (Humas) — " + " ".join(_sentence(rng, 12, 22) for _ in range(rng.randint(1, 2)))
        paragraphs = [
            " ".join(_sentence(rng, 8, 18) for _ in range(rng.randint(2, 4)))
            for _ in range(rng.randint(4, 7))
        ]
        if rng.random() < RARE_TERM_RATE:
            term = rare[bisect_left(rare_cw, rng.random() * rare_cw[-1])]
            rare_df[term] += 1
            p = rng.randrange(len(paragraphs))
            paragraphs[p] = paragraphs[p][:-1] + f" {term}."
        body = "".join(f"<p>{p}</p>" for p in paragraphs)
        program = PROGRAMS[bisect_left(_ctx["program_cw"], rng.random() * _ctx["program_cw"][-1])]
        if rng.random() < 0.1:
            program = ""
        category = 1 + bisect_left(_ctx["category_cw"], rng.random() * _ctx["category_cw"][-1])
        reporter = f"{rng.choice(words.FIRST_NAMES)} {rng.choice(words.LAST_NAMES)}"
        editor = f"{rng.choice(words.FIRST_NAMES)} {rng.choice(words.LAST_NAMES)}"
        event_date = (published - timedelta(days=rng.randint(0, 2))).date().isoformat()
        views = int(rng.paretovariate(1.2) * 40)
        ts_pub, ts_sub = _ts(published), _ts(submitted)
        items.write(
            f"{item_id}\tpublished\t{ts_sub}\t{_ts(decided)}\t\t{title}\t{slug}\t{lead}\t{body}\t\t{place}\t"
            f"{reporter}\t{editor}\t\t{program}\t{event_date}\t\\N\t{ts_pub}\t{ts_sub}\t{ts_pub}\t{views}\t"
            f"{author_id}\t{category}\t{verifier_id}\t\\N\t{unit_id}\t{kanwil_id}\t{kankemenag_id}\n"
        )
        n_tags = rng.choice((0, 1, 1, 2, 2, 3, 4))
        if n_tags:
            picked = {
                1 + bisect_left(_ctx["tag_cw"], rng.random() * _ctx["tag_cw"][-1]) for _ in range(n_tags)
            }
            for tag_id in sorted(picked):
                tags.write(f"{item_id}\t{tag_id}\t{ts_pub}\n")
    return items.getvalue().encode(), tags.getvalue().encode(), rare_df


# --- Database -------------------------------------------------------------------


def _with_dbname(dsn: str, dbname: str) -> str:
    parts = urlsplit(dsn)
    return urlunsplit(parts._replace(path="/" + dbname))


def database_name(dsn: str) -> str:
    return urlsplit(dsn).path.lstrip("/")


def database_exists(dsn: str) -> bool:
    conn = psycopg2.connect(_with_dbname(dsn, "postgres"))
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database_name(dsn)])
            return cur.fetchone() is not None
    finally:
        conn.close()


def database_recreate(dsn: str) -> None:
    database_drop(dsn)
    _admin(dsn, 'CREATE DATABASE "{}"')


def database_drop(dsn: str) -> None:
    _admin(dsn, 'DROP DATABASE IF EXISTS "{}" WITH (FORCE)')


def _admin(dsn: str, statement: str) -> None:
    name = database_name(dsn)
    if not name.replace("_", "").isalnum():
        raise ValueError(f"Unexpected database name {name!r}")
    conn = psycopg2.connect(_with_dbname(dsn, "postgres"))
    conn.autocommit = True
    try:
        with conn.cursor() as cur:
            cur.execute(statement.format(name))
    finally:
        conn.close()


def read_meta(dsn: str) -> dict[str, str]:
    """The corpus description stored in the bench database, or {}."""
    conn = psycopg2.connect(dsn)
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT to_regclass('bench_meta') IS NOT NULL")
            if not cur.fetchone()[0]:
                return {}
            cur.execute("SELECT key, value FROM bench_meta")
            return dict(cur.fetchall())
    finally:
        conn.close()


def _copy(cur, table: str, columns: Iterable[str], data: bytes | str) -> None:
    stream = io.BytesIO(data if isinstance(data, bytes) else data.encode())
    cur.copy_expert(f"COPY {table} ({', '.join(columns)}) FROM STDIN", stream)


def _connect(dsn: str):
    conn = psycopg2.connect(dsn)
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("SET maintenance_work_mem = '512MB'")
        cur.execute("SET synchronous_commit = off")
        try:
            # The generator only writes ids it created, so the foreign-key
            # triggers would only slow the load down. Needs a superuser; the
            # load still works (slower) without.
            cur.execute("SET session_replication_role = replica")
        except psycopg2.errors.InsufficientPrivilege:
            pass
    conn.autocommit = False
    return conn


def _secondary_indexes(cur, table: str) -> list[tuple[str, str]]:
    """(name, definition) of the indexes on ``table`` that no constraint owns."""
    cur.execute(
        """
        SELECT i.indexname, i.indexdef FROM pg_indexes i
        WHERE i.tablename = %s AND i.schemaname = current_schema()
          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)
        ORDER BY i.indexname
        """,
        [table],
    )
    return cur.fetchall()


def _parallel(dsn: str, statements: list[str], workers: int = 2) -> None:
    """Run independent statements on ``workers`` connections at once."""
    pending = list(statements)
    lock = threading.Lock()
    errors: list[BaseException] = []

    def run():
        conn = _connect(dsn)
        conn.autocommit = True
        try:
            with conn.cursor() as cur:
                while True:
                    with lock:
                        if not pending or errors:
                            return
                        statement = pending.pop(0)
                    cur.execute(statement)
        except BaseException as exc:  # noqa: BLE001 - re-raised in the caller
            errors.append(exc)
        finally:
            conn.close()

    threads = [threading.Thread(target=run) for _ in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise errors[0]


def _trigger(cur, table: str, name: str) -> str:
    """The database name of the trigger declared as ``name`` on ``table``'s
    model (django-pgtrigger names it ``pgtrigger_<name>_<hash>``)."""
    cur.execute(
        "SELECT tgname FROM pg_trigger WHERE tgrelid = %s::regclass AND tgname LIKE %s",
        [table, f"pgtrigger\\_{name}\\_%"],
    )
    (found,) = cur.fetchone()
    return found


def _check_offices(dsn: str) -> None:
    """The items were loaded with their offices, past the trigger that fills
    them in the portal: the newest item of every unit is written again,
    through the trigger, and must keep what it carries. Rolled back."""
    conn = psycopg2.connect(dsn)  # not _connect: its sessions skip triggers
    try:
        with conn.cursor() as cur:
            cur.execute(
                """
                SELECT newest.id, newest.kanwil_id, newest.kankemenag_id
                FROM core_workunit AS unit
                CROSS JOIN LATERAL (
                    SELECT item.id, item.kanwil_id, item.kankemenag_id FROM news_newsitem AS item
                    WHERE item.unit_id = unit.id AND item.status = 'published'
                    ORDER BY item.published_at DESC, item.id DESC LIMIT 1
                ) AS newest
                """
            )
            loaded = {row[0]: row[1:] for row in cur.fetchall()}
            cur.execute(
                "UPDATE news_newsitem SET unit_id = unit_id WHERE id = ANY(%s) "
                "RETURNING id, kanwil_id, kankemenag_id",
                [list(loaded)],
            )
            wrong = [row[0] for row in cur.fetchall() if loaded[row[0]] != row[1:]]
    finally:
        conn.rollback()
        conn.close()
    if wrong:
        raise RuntimeError(f"{len(wrong)} items do not carry their unit's offices, e.g. {wrong[:5]}")


def migrate(dsn: str, env: dict[str, str]) -> None:
    subprocess.run(  # noqa: S603 - our own interpreter and manage.py
        [sys.executable, str(BASE_DIR / "manage.py"), "migrate", "--verbosity", "0"],
        env={**env, "DATABASE_URL": dsn},
        check=True,
        cwd=BASE_DIR,
    )


def corpus_build(
    *,
    dsn: str,
    size: int,
    seed: int,
    env: dict[str, str],
    log: Callable[[str], None] = print,
    processes: int | None = None,
) -> dict[str, str]:
    """Create the bench database afresh and fill it; returns its metadata."""
    started = time.monotonic()
    database_recreate(dsn)
    migrate(dsn, env)
    log(f"database {database_name(dsn)} created and migrated in {time.monotonic() - started:.1f}s")

    units = build_units(seed)
    order = unit_publishing_order(units, seed)
    tags = build_tags(seed)
    offices = {u.id for u in units if u.kind in {"pusat", "kanwil", "kankemenag"}}
    # User ids: contributor of unit u is u; verifier of office o is
    # UNIT_COUNT + o, its admin humas 2 * UNIT_COUNT + o.
    by_id = {u.id: u for u in units}

    def office_of(unit: Unit) -> Unit:
        return unit if unit.id in offices else by_id[unit.parent_id]

    def nearest(unit: Unit, kind: str) -> str:
        """COPY text of the nearest unit of ``kind`` at or above ``unit``."""
        for uid in reversed(unit.path.strip("/").split("/")):
            if by_id[int(uid)].kind == kind:
                return uid
        return "\\N"

    anchor = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    span = timedelta(days=365)
    conn = _connect(dsn)
    with conn, conn.cursor() as cur:
        _copy(
            cur,
            "core_workunit",
            (
                "id",
                "code",
                "name",
                "short_name",
                "slug",
                "kind",
                "parent_id",
                "timezone",
                "address",
                "email",
                "phone",
                "is_active",
                "path",
            ),
            "".join(
                f"{u.id}\t{u.code}\t{u.name}\t{u.short_name}\t{u.slug}\t{u.kind}\t"
                f"{u.parent_id if u.parent_id else chr(92) + 'N'}\t{u.timezone}\t{u.place}\t\t\tt\t{u.path}\n"
                for u in units
            ),
        )
        user_rows, role_rows = [], []
        joined = _ts(anchor - span)
        for u in units:
            user_rows.append(
                f"{u.id}\t!\t\\N\tf\tkontributor-{u.id}\t\t\t\tf\tt\t{joined}\tKontributor {u.short_name}\t\n"
            )
            role_rows.append(f"{u.id}\t{u.id}\tkontributor\t{joined}\n")
        for oid in sorted(offices):
            o = by_id[oid]
            uid = UNIT_COUNT + oid
            user_rows.append(
                f"{uid}\t!\t\\N\tf\tverifikator-{oid}\t\t\t\tf\tt\t{joined}\tVerifikator {o.short_name}\t\n"
            )
            role_rows.append(f"{uid}\t{oid}\tverifikator\t{joined}\n")
            admin = 2 * UNIT_COUNT + oid
            user_rows.append(
                f"{admin}\t!\t\\N\tf\tadmin-humas-{oid}\t\t\t\tf\tt\t{joined}\tAdmin Humas {o.short_name}\t\n"
            )
            role_rows.append(f"{admin}\t{oid}\tadmin_humas\t{joined}\n")
        _copy(
            cur,
            "core_user",
            (
                "id",
                "password",
                "last_login",
                "is_superuser",
                "username",
                "first_name",
                "last_name",
                "email",
                "is_staff",
                "is_active",
                "date_joined",
                "full_name",
                "phone",
            ),
            "".join(user_rows),
        )
        _copy(cur, "core_roleassignment", ("user_id", "unit_id", "role", "created_at"), "".join(role_rows))
        _copy(
            cur,
            "news_category",
            ("id", "name", "slug", "description"),
            "".join(f"{i}\t{name}\t{slug}\t\n" for i, (name, slug) in enumerate(CATEGORIES, 1)),
        )
        _copy(
            cur,
            "news_tag",
            ("id", "name", "slug"),
            "".join(f"{i}\t{name}\t{name.replace(' ', '-')}\n" for i, name in enumerate(tags, 1)),
        )
        cur.execute("CREATE UNLOGGED TABLE bench_stage (LIKE news_newsitem)")
        tag_indexes = _secondary_indexes(cur, "news_newsitem_tags")
        for name, _definition in tag_indexes:
            cur.execute(f'DROP INDEX "{name}"')
        # The tag rows are loaded before their items (those wait in the
        # staging table), so the trigger that copies an item's publication
        # time to a new tag row would find none: the rows carry it already.
        tag_time_trigger = _trigger(cur, "news_newsitem_tags", TAG_TIME_TRIGGER)
        cur.execute(f"ALTER TABLE news_newsitem_tags DISABLE TRIGGER {tag_time_trigger}")
    conn.close()

    context = {
        "seed": seed,
        "size": size,
        "tag_count": len(tags),
        "units": [
            (
                u.id,
                u.id,
                UNIT_COUNT + office_of(u).id,
                u.place,
                nearest(u, "kanwil"),
                nearest(u, "kankemenag"),
            )
            for u in order
        ],
        "start": (anchor - span).replace(tzinfo=None),
        "span_seconds": span.total_seconds(),
    }
    chunks = (size + CHUNK_SIZE - 1) // CHUNK_SIZE
    rare_df: Counter = Counter()
    generated = time.monotonic()
    conn = _connect(dsn)
    processes = processes or max(1, min(os.cpu_count() or 1, chunks))
    with multiprocessing.get_context("fork").Pool(processes, _init_worker, (context,)) as pool:
        with conn, conn.cursor() as cur:
            for n, (items, item_tags, df) in enumerate(pool.imap(generate_chunk, range(chunks)), 1):
                _copy(cur, "bench_stage", NEWS_COLUMNS, items)
                _copy(cur, "news_newsitem_tags", TAG_COLUMNS, item_tags)
                rare_df.update(df)
                if n % 10 == 0 or n == chunks:
                    log(
                        f"generated {min(n * CHUNK_SIZE, size):,} items ({time.monotonic() - generated:.0f}s)"
                    )
    conn.close()

    conn = _connect(dsn)
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute(f"ALTER TABLE news_newsitem_tags ENABLE TRIGGER {tag_time_trigger}")
        item_indexes = _secondary_indexes(cur, "news_newsitem")
        for name, _definition in item_indexes:
            cur.execute(f'DROP INDEX "{name}"')
        # The rows carry their offices already (checked below).
        offices_trigger = _trigger(cur, "news_newsitem", OFFICES_TRIGGER)
        cur.execute(f"ALTER TABLE news_newsitem DISABLE TRIGGER {offices_trigger}")
    cols = ", ".join(NEWS_COLUMNS)
    halves = [(1, size // 2), (size // 2 + 1, size)] if size > 1 else [(1, size)]
    moved = time.monotonic()
    _parallel(
        dsn,
        [
            f"INSERT INTO news_newsitem ({cols}) SELECT {cols} "  # noqa: S608 - constants
            f"FROM bench_stage s WHERE s.id BETWEEN {low} AND {high}"
            for low, high in halves
        ],
    )
    with conn.cursor() as cur:
        cur.execute(f"ALTER TABLE news_newsitem ENABLE TRIGGER {offices_trigger}")
    log(f"search vectors computed in {time.monotonic() - moved:.0f}s")
    indexed = time.monotonic()
    # The GIN index takes longest: start it first so the others share the
    # second connection meanwhile.
    definitions = sorted(
        [d for _n, d in item_indexes] + [d for _n, d in tag_indexes], key=lambda d: "gin" not in d
    )
    _parallel(dsn, definitions)
    log(f"indexes rebuilt in {time.monotonic() - indexed:.0f}s")

    target = max(1, round(size * RARE_TARGET_SHARE))
    present = [(abs(df - target), term) for term, df in rare_df.items() if df > 0]
    rare_term = min(present)[1] if present else words.RARE_WORDS[0]
    meta = {
        "size": str(size),
        "seed": str(seed),
        "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "anchor": anchor.isoformat(),
        "units": str(len(units)),
        "tags": str(len(tags)),
        "common_term": COMMON_TERM,
        "rare_term": rare_term,
        "rare_term_df": str(rare_df.get(rare_term, 0)),
        "layout": corpus_layout(),
    }
    with conn.cursor() as cur:
        cur.execute("DROP TABLE bench_stage")
        for table in (
            "core_workunit",
            "core_user",
            "core_roleassignment",
            "news_category",
            "news_tag",
            "news_newsitem",
            "news_newsitem_tags",
        ):
            cur.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), coalesce((SELECT max(id) FROM {table}), 1))"  # noqa: S608
            )
        cur.execute("CREATE TABLE bench_meta (key text PRIMARY KEY, value text NOT NULL)")
        cur.executemany("INSERT INTO bench_meta VALUES (%s, %s)", list(meta.items()))
        vacuumed = time.monotonic()
        # Sets hint bits and the visibility map as a long-running site has
        # them, and gives the planner its statistics.
        cur.execute(
            "VACUUM (ANALYZE) news_newsitem, news_newsitem_tags, news_tag, news_category, "
            "core_workunit, core_user, core_roleassignment"
        )
        log(f"vacuum analyze in {time.monotonic() - vacuumed:.0f}s")
        # The tag rows were loaded with their items' time, past the trigger
        # that fills it in the portal: check that they agree.
        cur.execute(
            "SELECT count(*) FROM news_newsitem_tags t JOIN news_newsitem n ON n.id = t.newsitem_id "
            "WHERE t.published_at IS DISTINCT FROM n.published_at"
        )
        (stale,) = cur.fetchone()
        if stale:
            raise RuntimeError(f"{stale} tag rows do not carry their item's publication time")
    conn.close()
    _check_offices(dsn)
    log(f"corpus of {size:,} items built in {time.monotonic() - started:.0f}s")
    return meta
