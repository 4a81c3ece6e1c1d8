"""/sehat/: each service's state for a load balancer, cheap and without
secrets."""

import json
import time

import pytest
from celery import Celery
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

import humas_portal.celery as humas_celery
from humas_portal.core import health
from humas_portal.core.tasks import heartbeat

pytestmark = pytest.mark.django_db


def checks(response):
    return {name: result["state"] for name, result in response.json()["checks"].items()}


def test_everything_up_answers_ok(client):
    heartbeat.apply()
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/sehat/")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    assert checks(response) == {name: "ok" for name in health.CHECKS}
    # One query: cheap enough to poll every second.
    assert len(queries) == 1
    assert response["Cache-Control"].startswith("max-age=0")


def test_no_recent_heartbeat_means_the_workers_are_down_but_the_node_serves(client):
    cache.set(health.HEARTBEAT_KEY, time.time() - health.HEARTBEAT_STALE_SECONDS - 5)
    response = client.get("/sehat/")
    assert response.status_code == 200
    assert response.json()["status"] == "degraded"
    assert checks(response)["workers"] == "down"
    assert response.json()["checks"]["workers"]["last_seen_seconds"] > health.HEARTBEAT_STALE_SECONDS


def test_a_broker_that_does_not_answer_is_down_and_named_without_its_address(client, monkeypatch):
    heartbeat.apply()
    # A broker nobody listens on (port 9, discard), with a password that
    # must not reach the answer.
    dead = Celery("sehat", broker="redis://:geheim@127.0.0.1:9/0", set_as_current=False)
    monkeypatch.setattr(humas_celery, "app", dead)
    response = client.get("/sehat/")
    assert response.status_code == 200
    assert checks(response)["broker"] == "down"
    assert response.json()["status"] == "degraded"
    body = response.content.decode()
    assert "geheim" not in body and "127.0.0.1" not in body


def test_a_cache_that_does_not_answer_is_down(client, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",
        }
    }
    response = client.get("/sehat/")
    assert response.status_code == 200
    assert checks(response)["cache"] == "down"
    assert json.loads(response.content)["status"] == "degraded"


def test_without_the_database_the_node_answers_503(client, monkeypatch):
    def database_gone():
        raise OSError("connection refused")

    monkeypatch.setitem(health.CHECKS, "database", database_gone)
    response = client.get("/sehat/")
    assert response.status_code == 503
    assert response.json()["status"] == "down"
    assert checks(response)["database"] == "down"
