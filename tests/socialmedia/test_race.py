"""Two workers racing for the same delivery, each with its own database
connection, as two Celery processes would: exactly one post results."""

import threading
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.utils import timezone

from socialmedia.models import DeliveryState, Platform
from socialmedia.publishing import delivery_publish

from .factories import SocialAccountFactory


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("platform", [Platform.X, Platform.FACEBOOK])
def test_racing_workers_post_once(fake, org, make_approved, platform):
    account = SocialAccountFactory(unit=org.kua_bangil, platform=platform)
    start = timezone.now()
    # Scheduled ahead, so the approval's own task does not publish it first.
    post = make_approved([account], when=start + timedelta(hours=1))
    delivery = post.deliveries.get()
    # The winner's call takes a while, as a real platform's does.
    fake.fail(platform, "create", "slow", delay=0.2)
    workers = 4
    barrier = threading.Barrier(workers)
    results = []

    def worker():
        try:
            barrier.wait()
            results.append(delivery_publish(delivery_id=delivery.pk))
        finally:
            connection.close()

    with time_machine.travel(start + timedelta(hours=1, minutes=1), tick=False):
        threads = [threading.Thread(target=worker) for _ in range(workers)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)

    assert sorted(results) == [DeliveryState.PUBLISHED] + ["skipped"] * (workers - 1)
    assert len(fake.calls_to(platform, "create")) == 1
    assert len(fake.created(platform)) == 1
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.PUBLISHED
    assert delivery.attempts == 1
