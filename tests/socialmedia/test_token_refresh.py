"""Token renewal: one OAuth 2.0 refresh for X, TikTok and YouTube, sending
each platform's client credentials the way that platform asks for them."""

import base64

import pytest
import requests

from socialmedia.models import Platform
from socialmedia.platforms import adapter_for
from socialmedia.platforms.base import TokenRefused

from .factories import SocialAccountFactory

REFRESH_TOKEN = "refresh-lama-123"
CLIENT_ID, CLIENT_SECRET = "klien-id", "klien-rahasia"
CLIENT_SETTINGS = {
    Platform.X: ("SOCIAL_X_CLIENT_ID", "SOCIAL_X_CLIENT_SECRET"),
    Platform.TIKTOK: ("SOCIAL_TIKTOK_CLIENT_KEY", "SOCIAL_TIKTOK_CLIENT_SECRET"),
    Platform.YOUTUBE: ("SOCIAL_YOUTUBE_CLIENT_ID", "SOCIAL_YOUTUBE_CLIENT_SECRET"),
}


def _adapter(platform, refresh_token=REFRESH_TOKEN, **kwargs):
    account = SocialAccountFactory.build(platform=platform, refresh_token=refresh_token)
    return adapter_for(account, **kwargs)


def _client(settings, platform, client_id=CLIENT_ID, secret=CLIENT_SECRET):
    id_setting, secret_setting = CLIENT_SETTINGS[platform]
    setattr(settings, id_setting, client_id)
    setattr(settings, secret_setting, secret)


def test_x_confidential_client_authenticates_with_http_basic(fake, settings):
    _client(settings, Platform.X)
    grant = _adapter(Platform.X).refresh_token()
    assert (grant.access_token, grant.refresh_token, grant.expires_in) == ("x-renewed", "x-refresh-2", 7200)
    (call,) = fake.calls_to("x", "token")
    assert call.headers["authorization"] == "Basic " + base64.b64encode(b"klien-id:klien-rahasia").decode()
    assert call.form == {
        "grant_type": "refresh_token",
        "refresh_token": "refresh-lama-123",
        "client_id": "klien-id",
    }


def test_x_public_client_refreshes_with_its_id_alone(fake, settings):
    _client(settings, Platform.X, secret="")
    adapter = _adapter(Platform.X)
    assert adapter.can_refresh()
    assert adapter.refresh_token().access_token == "x-renewed"
    (call,) = fake.calls_to("x", "token")
    assert "authorization" not in call.headers
    assert call.form["client_id"] == "klien-id" and "client_secret" not in call.form


def test_tiktok_sends_its_client_key_and_secret_as_form_fields(fake, settings):
    _client(settings, Platform.TIKTOK)
    grant = _adapter(Platform.TIKTOK).refresh_token()
    assert (grant.access_token, grant.refresh_token) == ("tt-renewed", "tt-refresh-2")
    (call,) = fake.calls_to("tiktok", "token")
    assert "authorization" not in call.headers
    assert call.form == {
        "grant_type": "refresh_token",
        "refresh_token": "refresh-lama-123",
        "client_key": "klien-id",
        "client_secret": "klien-rahasia",
    }


def test_youtube_posts_to_google_with_id_and_secret_as_form_fields(fake, settings):
    _client(settings, Platform.YOUTUBE)
    grant = _adapter(Platform.YOUTUBE).refresh_token()
    assert (grant.access_token, grant.refresh_token, grant.expires_in) == ("yt-renewed", "", 3599)
    (call,) = fake.calls_to("youtube", "token")
    assert call.path == "/google/token"
    assert "authorization" not in call.headers
    assert call.form == {
        "grant_type": "refresh_token",
        "refresh_token": "refresh-lama-123",
        "client_id": "klien-id",
        "client_secret": "klien-rahasia",
    }


@pytest.mark.parametrize("platform", [Platform.TIKTOK, Platform.YOUTUBE])
def test_tiktok_and_youtube_need_both_client_settings(settings, platform):
    _client(settings, platform, secret="")
    assert not _adapter(platform).can_refresh()
    _client(settings, platform, client_id="")
    assert not _adapter(platform).can_refresh()
    _client(settings, platform)
    assert _adapter(platform).can_refresh()


@pytest.mark.parametrize("platform", [Platform.X, Platform.TIKTOK, Platform.YOUTUBE])
def test_an_account_without_a_refresh_token_cannot_refresh(settings, platform):
    _client(settings, platform)
    assert not _adapter(platform, refresh_token="").can_refresh()


@pytest.mark.parametrize("platform", [Platform.FACEBOOK, Platform.INSTAGRAM])
def test_meta_tokens_are_not_renewed_by_refresh(settings, platform):
    adapter = _adapter(platform)
    assert not adapter.can_refresh()
    with pytest.raises(NotImplementedError):
        adapter.refresh_token()


def test_a_revoked_refresh_token_is_refused(fake, settings):
    """Google's 400 invalid_grant means the account must be reconnected."""
    _client(settings, Platform.YOUTUBE)
    fake.refuse_token("refresh-lama-123")
    with pytest.raises(TokenRefused) as refused:
        _adapter(Platform.YOUTUBE).refresh_token()
    assert refused.value.status == 400
    assert "refresh-lama-123" not in refused.value.message


class _OneAnswer(requests.Session):
    """A session that answers every request with one canned response."""

    def __init__(self, status, body):
        super().__init__()
        self.answer = requests.Response()
        self.answer.status_code = status
        self.answer._content = body

    def request(self, method, url, **kwargs):
        return self.answer


def test_tiktok_refusal_inside_a_200_answer_is_a_refused_token(settings):
    """TikTok reports a refused refresh in the body of a 200 answer."""
    _client(settings, Platform.TIKTOK)
    session = _OneAnswer(200, b'{"error": "invalid_grant", "error_description": "Refresh token is invalid."}')
    with pytest.raises(TokenRefused, match="Refresh token is invalid"):
        _adapter(Platform.TIKTOK, session=session).refresh_token()
