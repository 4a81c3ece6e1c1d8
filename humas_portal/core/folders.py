"""Folders the embedded default keeps its data in.

Without configuration the portal keeps its database, Celery queue, cache
and uploads under ``VAR_DIR``. The file-system broker fails on a folder that
does not exist, so every process that may send a task (the web server, the
worker, a management command such as ``seed_demo``) makes sure they exist
when it starts (``CoreConfig.ready``), not only ``runportal``.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings


def uses_file_queue() -> bool:
    return str(getattr(settings, "CELERY_BROKER_URL", "")).startswith("filesystem://")


def ensure_local_folders() -> None:
    folders = [Path(settings.VAR_DIR), Path(settings.MEDIA_ROOT), Path(settings.PRIVATE_MEDIA_ROOT)]
    options = getattr(settings, "CELERY_BROKER_TRANSPORT_OPTIONS", {}) or {}
    folders += [
        Path(options[key])
        for key in ("data_folder_in", "data_folder_out", "control_folder")
        if key in options
    ]
    for folder in folders:
        folder.mkdir(parents=True, exist_ok=True)
