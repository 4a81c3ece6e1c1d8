"""Celery tasks of the social-media app: thin wrappers that take ids and
call a service. Every service claims its row with a conditional update, so
a duplicated, retried or late task does no harm."""

from celery import shared_task

from . import notifications, publishing


@shared_task(name="socialmedia.publish_delivery", acks_late=True)
def publish_delivery(delivery_id: int) -> str:
    return publishing.delivery_publish(delivery_id=delivery_id)


@shared_task(name="socialmedia.confirm_delivery", acks_late=True)
def confirm_delivery(delivery_id: int) -> str:
    return publishing.delivery_confirm(delivery_id=delivery_id)


@shared_task(name="socialmedia.sweep_deliveries")
def sweep_deliveries() -> dict:
    return publishing.deliveries_sweep()


@shared_task(name="socialmedia.refresh_delivery_engagement", acks_late=True)
def refresh_delivery_engagement(delivery_id: int) -> bool:
    return publishing.delivery_refresh_engagement(delivery_id=delivery_id)


@shared_task(name="socialmedia.refresh_engagement")
def refresh_engagement() -> int:
    return publishing.engagement_sweep()


@shared_task(name="socialmedia.notify_post_submitted", acks_late=True, max_retries=5, default_retry_delay=60)
def notify_post_submitted(post_id: int) -> int:
    return notifications.post_submitted(post_id=post_id)


@shared_task(name="socialmedia.notify_post_decided", acks_late=True, max_retries=5, default_retry_delay=60)
def notify_post_decided(post_id: int) -> int:
    return notifications.post_decided(post_id=post_id)


@shared_task(
    name="socialmedia.notify_account_needs_reconnection",
    acks_late=True,
    max_retries=5,
    default_retry_delay=60,
)
def notify_account_needs_reconnection(account_id: int) -> int:
    return notifications.account_needs_reconnection(account_id=account_id)
