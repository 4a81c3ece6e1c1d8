"""Publishing in real Celery worker processes against Redis and the fake
platforms.

Each test starts ``celery -A humas_portal worker`` processes on a queue of
its own, pointed at this run's test database and at the fake platform
server running in the test process. The test sends tasks through Redis.
"""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from humas_portal.celery import app
from humas_portal.core.workflow import ReviewStatus
from socialmedia import tasks
from socialmedia.models import Delivery, DeliveryState, Platform, SocialPost
from socialmedia.publishing import deliveries_sweep
from tests.celery_workers import running_workers, wait_for

from .factories import SocialAccountFactory

pytestmark = [pytest.mark.worker, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def workers(tmp_path, settings, fake):
    with running_workers(
        tmp_path,
        settings,
        name="social",
        extra_settings={**fake.settings(), "SOCIAL_READ_TIMEOUT": 10, "SITE_URL": settings.SITE_URL},
    ) as pool:
        yield pool


def test_duplicate_tasks_in_two_workers_post_each_pair_once(org, make_approved, workers, fake):
    workers.start(count=2)
    facebook = SocialAccountFactory(unit=org.kua_bangil, platform=Platform.FACEBOOK)
    x = SocialAccountFactory(unit=org.kua_bangil, platform=Platform.X)
    # Approval queues each delivery once (on commit); a redelivered task, a
    # retry and the beat sweep add more of the same.
    post = make_approved([facebook, x])
    ids = list(post.deliveries.values_list("pk", flat=True))
    for _round in range(3):
        for delivery_id in ids:
            tasks.publish_delivery.delay(delivery_id)
        tasks.sweep_deliveries.delay()

    wait_for(
        lambda: Delivery.objects.filter(pk__in=ids, state=DeliveryState.PUBLISHED).count() == 2,
        message=f"both deliveries published\n{workers.logs()}",
    )
    # Give the remaining duplicates time to be consumed, then count.
    wait_for(
        lambda: workers.logs().count("socialmedia.publish_delivery[") >= 2 * (1 + 3) * 2,
        message=f"every duplicate task to run\n{workers.logs()}",
    )
    assert len(fake.calls_to("facebook", "create")) == 1
    assert len(fake.calls_to("x", "create")) == 1
    assert SocialPost.objects.get(pk=post.pk).status == ReviewStatus.PUBLISHED
    assert "Traceback" not in workers.logs()


def test_a_worker_killed_during_the_platform_call_does_not_post_twice(org, make_approved, workers, fake):
    workers.start(count=1)
    page = SocialAccountFactory(unit=org.kua_bangil, platform=Platform.FACEBOOK)
    # The platform takes its time; the worker dies while waiting for it.
    fake.fail("facebook", "create", "slow", delay=3)
    post = make_approved([page])
    delivery = post.deliveries.get()
    wait_for(
        lambda: fake.calls_to("facebook", "create"), message=f"the worker to call Facebook\n{workers.logs()}"
    )
    workers.kill()
    wait_for(lambda: fake.created("facebook"), message="Facebook to finish the post it received")
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.PUBLISHING

    # A new worker comes up; the task it might be given again finds the
    # delivery claimed and leaves it.
    workers.start(count=1)
    tasks.publish_delivery.delay(delivery.pk)
    wait_for(
        lambda: "socialmedia.publish_delivery[" in workers.log_of(-1),
        message="the new worker to run the task",
    )
    # Past the lease, the sweep hands the delivery to the check, which finds
    # the post on the Page (run here, where the clock can be moved).
    app.conf.task_always_eager = True
    with time_machine.travel(timezone.now() + timedelta(minutes=31), tick=False):
        deliveries_sweep()
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.PUBLISHED
    assert delivery.platform_post_id == fake.created("facebook")[0]["id"]
    assert len(fake.calls_to("facebook", "create")) == 1
