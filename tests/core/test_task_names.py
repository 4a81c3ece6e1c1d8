"""Celery task names: stable names that beat and queued messages rely on."""

from django.conf import settings

from humas_portal.celery import app

PORTAL_APPS = ("news", "socialmedia", "ppid", "dumas", "monitoring")


def _portal_tasks() -> dict:
    app.loader.import_default_modules()
    return {name: task for name, task in app.tasks.items() if task.__module__.split(".")[0] in PORTAL_APPS}


def test_every_beat_entry_names_a_registered_task():
    """A beat entry whose task is unknown would be dropped by the worker
    every time it fires."""
    registered = set(app.tasks.keys()) | set(_portal_tasks())
    unknown = {
        key: entry["task"]
        for key, entry in settings.CELERY_BEAT_SCHEDULE.items()
        if entry["task"] not in registered
    }
    assert unknown == {}


def test_portal_tasks_are_named_by_app_not_by_module():
    """Each task is ``<app>.<function>``, so moving its module renames
    nothing that beat or a queued message refers to."""
    tasks = _portal_tasks()
    assert len(tasks) >= 20
    wrong = {
        name: task.__module__
        for name, task in tasks.items()
        if name != f"{task.__module__.split('.')[0]}.{task.__name__}"
    }
    assert wrong == {}
