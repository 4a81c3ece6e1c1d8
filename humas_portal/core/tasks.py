"""The core's own worker task: the heartbeat ``/sehat/`` reads."""

from celery import shared_task

from .health import heartbeat_record


@shared_task(name="core.heartbeat", ignore_result=True)
def heartbeat() -> None:
    heartbeat_record()
