"""What the worker and beat write to the log when they run under the portal."""

import logging

import pytest
from celery.signals import beat_init

from humas_portal.celery import QuietSweeps


@pytest.fixture
def beat_log():
    """The celery.beat logger at INFO with a handler that keeps the lines,
    and without the filter afterwards."""
    logger = logging.getLogger("celery.beat")
    lines = []
    handler = logging.Handler()
    handler.emit = lambda record: lines.append(record.getMessage())
    old_level, old_filters = logger.level, list(logger.filters)
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    yield logger, lines
    logger.removeHandler(handler)
    logger.setLevel(old_level)
    logger.filters = old_filters


def test_beat_at_info_logs_no_line_per_sweep_it_sends(beat_log):
    logger, lines = beat_log
    beat_init.send(sender=None)
    assert any(isinstance(f, QuietSweeps) for f in logger.filters)
    logger.info("Scheduler: Sending due task %s (%s)", "news-publish-due", "news.publish_due")
    logger.info("beat: Starting...")
    logger.warning("Scheduler: Sending due task failed")
    assert lines == ["beat: Starting...", "Scheduler: Sending due task failed"]


def test_beat_at_debug_still_shows_each_sweep(beat_log):
    logger, lines = beat_log
    logger.setLevel(logging.DEBUG)
    beat_init.send(sender=None)
    logger.info("Scheduler: Sending due task %s (%s)", "news-publish-due", "news.publish_due")
    assert lines == ["Scheduler: Sending due task news-publish-due (news.publish_due)"]
