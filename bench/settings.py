"""The portal's production settings plus the benchmark's own URLconf.

Every process of a benchmark run (gunicorn, the Celery worker and beat, the
runner itself) uses this module, so the bare page exists only there and
never on a real deployment.
"""

from humas_portal.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
