"""Fixtures of the social-media tests: the fake platform server, and the
settings pointing every adapter at it with short timeouts."""

import pytest

from .fake_platforms import FakePlatforms


@pytest.fixture(scope="session")
def fake_server():
    server = FakePlatforms().start()
    yield server
    server.stop()


@pytest.fixture
def fake(fake_server, settings, tmp_path):
    """The fake platforms, emptied, with the portal pointed at them."""
    fake_server.reset()
    for name, value in fake_server.settings().items():
        setattr(settings, name, value)
    # Small timeouts so a "timeout" answer is reached in well under a second.
    settings.SOCIAL_CONNECT_TIMEOUT = 2
    settings.SOCIAL_READ_TIMEOUT = 0.5
    settings.SOCIAL_UPLOAD_TIMEOUT = 0.5
    settings.SOCIAL_PROCESSING_POLL_SECONDS = 0
    settings.SITE_URL = "https://humas.contoh.go.id"
    settings.MEDIA_ROOT = tmp_path / "media"
    return fake_server


@pytest.fixture
def make_approved(org, people):
    """An approved post of KUA Bangil for the given accounts, through the
    real services (written by the Kontributor, approved by the Verifikator);
    its deliveries exist and are due at ``when`` (default: now)."""
    from django.utils import timezone

    from humas_portal.core.workflow import ReviewAction
    from socialmedia.services import post_create, post_review, post_submit

    def make(
        accounts, *, text="Bimbingan perkawinan di KUA Bangil diikuti 40 pasangan.", when=None, **fields
    ):
        post = post_create(
            actor=people.kontributor,
            unit=org.kua_bangil,
            text=text,
            scheduled_at=when or timezone.now(),
            accounts=accounts,
            **fields,
        )
        post = post_submit(post=post, actor=people.kontributor)
        return post_review(post=post, actor=people.verifikator, action=ReviewAction.APPROVE)

    return make
