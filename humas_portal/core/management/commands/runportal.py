"""Run the whole portal on one machine: the web server, a Celery worker and
the beat scheduler, supervised together.

This is what ``bin/run`` starts. Without ``DATABASE_URL`` it first starts the
embedded PostgreSQL server in ``VAR_DIR`` (and stops it at the end). It
migrates, loads the demo data into an empty database, then starts the three
processes and watches them: Ctrl+C or
SIGTERM stops all of them, and if one of them dies the others are stopped
too and the command exits non-zero, so a broken worker is never left
unnoticed behind a working web page. Production runs the same three
processes under systemd instead (see the README).
"""

from __future__ import annotations

import ctypes
import fcntl
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from humas_portal.celery import READY_DIR_VARIABLE
from humas_portal.core import embedded_db
from humas_portal.core.folders import ensure_local_folders
from humas_portal.core.management.commands.seed_demo import demo_password, print_logins
from humas_portal.core.models import WorkUnit

# How long a child may take to finish its work after SIGTERM (a worker
# completes the task in hand) before it is killed.
STOP_TIMEOUT = 15.0
POLL_INTERVAL = 0.5


@dataclass
class Child:
    name: str
    args: list[str]
    process: subprocess.Popen | None = None


def _die_with_parent() -> None:  # pragma: no cover - runs in the child
    # If runportal itself is killed (SIGKILL, a closed terminal), Linux sends
    # the child SIGTERM instead of leaving it running without a supervisor.
    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass


def _answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


class Command(BaseCommand):
    help = _(
        "Jalankan portal lengkap: migrasi, data demo bila basis data kosong, server web, "
        "worker Celery dan beat, diawasi bersama."
    )
    requires_system_checks = []  # checked once, by migrate

    def add_arguments(self, parser):
        parser.add_argument(
            "--port",
            type=int,
            default=int(os.environ.get("PORT") or 8000),
            help=_("port web (bawaan: PORT atau 8000)"),
        )
        # Loopback unless asked: the demo's password is public.
        parser.add_argument(
            "--host", default="127.0.0.1", help=_("alamat yang didengar server web (bawaan: 127.0.0.1)")
        )
        parser.add_argument(
            "--reload", action="store_true", help=_("muat ulang server web saat kode berubah")
        )
        parser.add_argument(
            "--no-demo", action="store_true", help=_("jangan muat data demo ke basis data kosong")
        )

    def handle(self, *args, port: int, host: str, reload: bool, no_demo: bool, **options):
        self._seeded = False
        ensure_local_folders()
        # Held until this process ends: a second runportal on the same data
        # would start a second set of processes (and share the embedded
        # server) behind the first one's back.
        self._lock = self._take_lock()
        pgdata = embedded_db.data_dir(settings.VAR_DIR) if settings.EMBEDDED_DATABASE else None
        if pgdata is not None:
            self.stdout.write(_("Menjalankan PostgreSQL bawaan di %(path)s …") % {"path": pgdata})
            self._database_url = embedded_db.start(pgdata, settings.DATABASES["default"]["NAME"])
        try:
            self._run(port=port, host=host, reload=reload, no_demo=no_demo)
        finally:
            if pgdata is not None:
                from django.db import connections

                connections.close_all()
                embedded_db.stop(pgdata)
                self.stdout.write(_("PostgreSQL bawaan dihentikan."))

    def _take_lock(self):
        path = Path(settings.VAR_DIR) / "runportal.lock"
        handle = path.open("a+")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "?"
            handle.close()
            raise CommandError(
                _(
                    "Portal sudah berjalan dengan data di %(var)s (pid %(pid)s). Hentikan dulu dengan "
                    "Ctrl+C di terminalnya, atau atur VAR_DIR lain untuk portal kedua."
                )
                % {"var": settings.VAR_DIR, "pid": holder}
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        return handle

    def _run(self, *, port: int, host: str, reload: bool, no_demo: bool) -> None:
        call_command("migrate", interactive=False, verbosity=1, stdout=self.stdout)
        if not settings.DEBUG:
            call_command("collectstatic", interactive=False, verbosity=0)
        self._seed_if_empty(no_demo)

        # Fresh for each start: a file left by an earlier run says nothing.
        self._ready_dir = Path(settings.VAR_DIR) / "run" / "ready"
        shutil.rmtree(self._ready_dir, ignore_errors=True)
        self._ready_dir.mkdir(parents=True)
        python = sys.executable
        manage = str(Path(settings.BASE_DIR) / "manage.py")
        web = [python, manage, "runserver", f"{host}:{port}"]
        if not reload:
            web.append("--noreload")
        children = [
            Child("web", web),
            # Prefork with two processes: the file-system broker locks each
            # message file, so two consumers never take the same task.
            Child(
                "worker",
                [
                    python,
                    "-m",
                    "celery",
                    "--quiet",
                    "-A",
                    "humas_portal",
                    "worker",
                    "--concurrency=2",
                    # Warnings and errors only: a line per task every minute
                    # would push the demo logins off the screen.
                    "--loglevel=WARNING",
                ],
            ),
            Child(
                "beat",
                [
                    python,
                    "-m",
                    "celery",
                    "--quiet",
                    "-A",
                    "humas_portal",
                    "beat",
                    # INFO as in production: its per-sweep lines are filtered
                    # (humas_portal/celery.py).
                    "--loglevel=INFO",
                    f"--schedule={settings.CELERY_BEAT_SCHEDULE_FILENAME}",
                ],
            ),
        ]
        exit_code = self._supervise(children, port)
        if exit_code:
            raise CommandError(_("Portal berhenti karena sebuah proses mati."), returncode=exit_code)

    def _seed_if_empty(self, no_demo: bool) -> None:
        if WorkUnit.objects.exists():
            return
        if no_demo:
            self.stdout.write(_("Basis data kosong; data demo tidak dimuat (--no-demo)."))
        elif not settings.DEBUG:
            self.stdout.write(
                _(
                    "Basis data kosong. DEBUG mati, jadi data demo tidak dimuat; impor unit dengan "
                    "manage.py import_units dan buat admin dengan manage.py createsuperuser."
                )
            )
        else:
            call_command("seed_demo", no_logins=True, stdout=self.stdout)
            self._seeded = True

    def _supervise(self, children: list[Child], port: int) -> int:
        stopping = {"signal": None}

        def request_stop(signum, frame):
            stopping["signal"] = signum

        previous = {sig: signal.signal(sig, request_stop) for sig in (signal.SIGINT, signal.SIGTERM)}
        try:
            for child in children:
                # A session of its own: a Ctrl+C in the terminal reaches only
                # runportal, which then stops the children in order.
                child.process = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
                    child.args,
                    start_new_session=True,
                    preexec_fn=_die_with_parent,
                    # Logs appear as they happen, also when piped to a file.
                    # Links in emails and feeds point at the port in use
                    # unless SITE_URL says where the portal really lives.
                    env={
                        **os.environ,
                        **self._child_database(),
                        **self._child_mail(),
                        "PYTHONUNBUFFERED": "1",
                        READY_DIR_VARIABLE: str(self._ready_dir),
                        "SITE_URL": os.environ.get("SITE_URL") or f"http://localhost:{port}",
                    },
                )
                self.stdout.write(
                    _("%(name)s berjalan (pid %(pid)s)") % {"name": child.name, "pid": child.process.pid}
                )
            announced = False
            started = time.monotonic()
            while stopping["signal"] is None:
                dead = next((c for c in children if c.process.poll() is not None), None)
                if dead is not None:
                    self.stderr.write(
                        _("Proses %(name)s berhenti dengan kode %(code)s; semua proses dihentikan.")
                        % {"name": dead.name, "code": dead.process.returncode}
                    )
                    return 1
                if not announced and (self._all_ready(port) or time.monotonic() - started > 60):
                    announced = True
                    self._announce(port)
                time.sleep(POLL_INTERVAL)
            self.stdout.write(_("Menghentikan portal…"))
            return 0
        finally:
            self._stop(children)
            for sig, handler in previous.items():
                signal.signal(sig, handler)

    def _all_ready(self, port: int) -> bool:
        """The web server answers, the worker consumes and beat has started
        (the last two leave a file in the ready folder, see humas_portal/celery.py)."""
        folder = self._ready_dir
        return (folder / "worker").exists() and (folder / "beat").exists() and _answers(port)

    def _child_database(self) -> dict[str, str]:
        # The children connect to the server this process started, wherever
        # its socket ended up.
        url = getattr(self, "_database_url", None)
        return {"DATABASE_URL": url} if url else {}

    def _child_mail(self) -> dict[str, str]:
        # In development the portal's e-mails (the demo's notices above all)
        # go to files, not to the terminal, where whole messages would bury
        # the announcement; an EMAIL_BACKEND set by the person wins.
        if os.environ.get("EMAIL_BACKEND") or not settings.DEBUG:
            return {}
        return {"EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend"}

    def _announce(self, port: int) -> None:
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(_("Portal siap: http://localhost:%(port)s/") % {"port": port}))
        self.stdout.write(_("Meja kerja staf: http://localhost:%(port)s/akun/masuk/") % {"port": port})
        if self._child_mail():
            self.stdout.write(
                _("E-mail dari portal tidak dikirim, tetapi disimpan sebagai berkas di %(path)s.")
                % {"path": settings.EMAIL_FILE_PATH}
            )
        self.stdout.write(_("Tekan Ctrl+C untuk berhenti."))
        # The last lines, after the processes' start-up output, where they are
        # seen; the password is known only if this run loaded the demo data.
        print_logins(self.stdout, demo_password() if self._seeded else None)

    def _stop(self, children: list[Child]) -> None:
        """SIGTERM each child (the worker finishes its task), wait, then kill
        whatever is left of each child's process group."""
        running = [c for c in children if c.process is not None]
        for child in running:
            if child.process.poll() is None:
                child.process.terminate()
        deadline = time.monotonic() + STOP_TIMEOUT
        for child in running:
            try:
                child.process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                pass
            try:
                # Also catches grandchildren: the worker's pool processes.
                os.killpg(child.process.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
            child.process.wait()
