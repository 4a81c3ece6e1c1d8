"""Celery tasks of the news app: thin wrappers that load by id and call a
service, so a retried or duplicated task does no harm."""

from celery import shared_task

from . import images


@shared_task(acks_late=True, max_retries=5, default_retry_delay=30)
def make_image_renditions(image_id: int) -> bool:
    return images.news_image_make_renditions(image_id=image_id)
