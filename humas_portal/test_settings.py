"""Settings for the test suite: PostgreSQL and Redis, as in production.

The defaults point at the local services; CI and developers can override
them with the same environment variables as the portal itself.
"""

import os

# Development mode, as bin/run has it (the production settings have tests of
# their own, tests/core/test_settings_deploy.py).
os.environ.setdefault("DEBUG", "true")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/humas_portal")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/1")
# Parallel test workers share one Redis; each gets its own key space.
# TEST_RUN_ID separates concurrent test runs on one machine.
_run = os.environ.get("TEST_RUN_ID", "local") + "-" + os.environ.get("PYTEST_XDIST_WORKER", "main")
os.environ.setdefault("CACHE_KEY_PREFIX", "test-" + _run)

from .settings import *  # noqa: E402,F403
from .settings import STATIC_ROOT, VAR_DIR  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Tasks run in-process unless a test starts a real worker.
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
MEDIA_ROOT = VAR_DIR / "test-media" / _run
PRIVATE_MEDIA_ROOT = VAR_DIR / "test-private" / _run
LOGGING = {"version": 1, "disable_existing_loggers": False}
# WhiteNoise warns on every request when STATIC_ROOT does not exist yet (a
# fresh clone has never run collectstatic); tests serve no static files.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
