"""Publishing against the fake platforms over real HTTP: each API's wire
format, and the guarantees: one post per (post, account), rate limits
respected, server errors retried with backoff, timeouts checked rather than
repeated, refused tokens stopping the account."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from humas_portal.core.workflow import ReviewStatus
from socialmedia.models import AccountStatus, Delivery, DeliveryState, HoldReason, Platform
from socialmedia.publishing import deliveries_sweep, delivery_publish, delivery_retry

from .factories import SocialAccountFactory, jpeg_upload, mp4_upload

pytestmark = pytest.mark.django_db


def only_delivery(post) -> Delivery:
    (delivery,) = post.deliveries.all()
    return delivery


@pytest.fixture
def account(org):
    def make(platform=Platform.FACEBOOK, **kwargs):
        return SocialAccountFactory(unit=org.kua_bangil, platform=platform, **kwargs)

    return make


# --- wire formats -------------------------------------------------------------------------


def test_facebook_text_and_link_go_to_the_page_feed(fake, account, make_approved):
    page = account(Platform.FACEBOOK)
    post = make_approved([page], link="https://humas.contoh.go.id/berita/bimwin")
    delivery = only_delivery(post)

    assert delivery_publish(delivery_id=delivery.pk) == DeliveryState.PUBLISHED

    (create,) = fake.calls_to("facebook", "create")
    assert create.method == "POST"
    assert create.path == f"/fb/v21.0/{page.account_id}/feed"
    assert create.form == {"message": post.text, "link": "https://humas.contoh.go.id/berita/bimwin"}
    assert create.headers["authorization"] == f"Bearer {page.access_token}"
    assert page.access_token not in create.path + str(create.query)
    delivery.refresh_from_db()
    assert delivery.platform_post_id == fake.created("facebook")[0]["id"]
    assert delivery.platform_url == f"https://www.facebook.com/fake/posts/{delivery.platform_post_id}"
    assert delivery.attempts == 1
    post.refresh_from_db()
    assert post.status == ReviewStatus.PUBLISHED


def test_facebook_several_photos_are_attached_to_one_feed_post(fake, account, make_approved):
    page = account(Platform.FACEBOOK)
    post = make_approved([page], images_to_add=[jpeg_upload("a.jpg"), jpeg_upload("b.jpg", color=(1, 2, 3))])

    assert delivery_publish(delivery_id=only_delivery(post).pk) == DeliveryState.PUBLISHED

    uploads = fake.calls_to("facebook", "photo_upload")
    assert [c.form["published"] for c in uploads] == ["false", "false"]
    assert all(isinstance(c.form["source"], bytes) and c.form["source"][:2] == b"\xff\xd8" for c in uploads)
    (create,) = fake.calls_to("facebook", "create")
    assert create.path.endswith("/feed")
    assert [p for p in fake.created("facebook")[0]["attached_media"]] == [
        {"media_fbid": fake_id} for fake_id in sorted(fake.fb_photos)
    ]


def test_instagram_checks_its_quota_then_publishes_a_container(fake, account, make_approved, settings):
    ig = account(Platform.INSTAGRAM)
    post = make_approved([ig], images_to_add=[jpeg_upload()], link="https://humas.contoh.go.id/b/1")

    assert delivery_publish(delivery_id=only_delivery(post).pk) == DeliveryState.PUBLISHED

    operations = [c.operation for c in fake.calls_to("instagram")]
    assert operations == ["quota", "container", "container_status", "create", "permalink"]
    container = fake.calls_to("instagram", "container")[0]
    media = post.media.get()
    assert container.form["image_url"] == "https://humas.contoh.go.id" + settings.MEDIA_URL + media.file.name
    assert container.form["caption"] == post.text + "\n\nhttps://humas.contoh.go.id/b/1"
    create = fake.calls_to("instagram", "create")[0]
    assert create.path == f"/ig/v21.0/{ig.account_id}/media_publish"
    assert create.form == {"creation_id": list(fake.containers)[0]}
    delivery = only_delivery(post)
    assert delivery.platform_url.startswith("https://www.instagram.com/p/FAKE")


def test_instagram_video_is_posted_as_a_reel(fake, account, make_approved):
    ig = account(Platform.INSTAGRAM)
    post = make_approved([ig], video=mp4_upload())
    assert delivery_publish(delivery_id=only_delivery(post).pk) == DeliveryState.PUBLISHED
    container = fake.calls_to("instagram", "container")[0]
    assert container.form["media_type"] == "REELS"
    assert container.form["video_url"].endswith(".mp4")


def test_x_uploads_media_then_posts_with_its_id(fake, account, make_approved):
    x = account(Platform.X)
    post = make_approved([x], images_to_add=[jpeg_upload()], link="https://humas.contoh.go.id/b/2")

    assert delivery_publish(delivery_id=only_delivery(post).pk) == DeliveryState.PUBLISHED

    init, append, finalize = fake.calls_to("x", "media_upload")
    size = post.media.get().size
    assert init.path == "/x/2/media/upload/initialize"
    assert init.json == {"media_type": "image/jpeg", "total_bytes": size, "media_category": "tweet_image"}
    assert append.path.endswith("/append") and append.form["segment_index"] == "0"
    assert len(append.form["media"]) == size
    assert finalize.path.endswith("/finalize")
    (create,) = fake.calls_to("x", "create")
    media_id = init.path and list(fake.x_media)[0]
    assert create.json == {
        "text": post.text + "\n\nhttps://humas.contoh.go.id/b/2",
        "media": {"media_ids": [media_id]},
    }
    delivery = only_delivery(post)
    assert delivery.platform_url == f"https://x.com/kemenagcontoh/status/{delivery.platform_post_id}"


def test_x_video_waits_for_processing(fake, account, make_approved):
    fake.processing_polls = 2
    x = account(Platform.X)
    post = make_approved([x], video=mp4_upload())
    assert delivery_publish(delivery_id=only_delivery(post).pk) == DeliveryState.PUBLISHED
    statuses = [c for c in fake.calls_to("x", "media_upload") if c.query.get("command") == "STATUS"]
    assert len(statuses) == 3
    assert fake.calls_to("x", "media_upload")[0].json["media_category"] == "tweet_video"


def test_youtube_uses_a_resumable_upload_session(fake, account, make_approved):
    yt = account(Platform.YOUTUBE)
    post = make_approved([yt], video=mp4_upload(), title="Manasik Haji KUA Bangil")

    assert delivery_publish(delivery_id=only_delivery(post).pk) == DeliveryState.PUBLISHED

    (start,) = fake.calls_to("youtube", "upload_session")
    video = post.media.get()
    assert start.path == "/yt/upload/youtube/v3/videos"
    assert start.query == {"uploadType": "resumable", "part": "snippet,status"}
    assert start.headers["x-upload-content-length"] == str(video.size)
    assert start.headers["x-upload-content-type"] == "video/mp4"
    assert start.json["snippet"]["title"] == "Manasik Haji KUA Bangil"
    assert start.json["status"]["privacyStatus"] == "public"
    (upload,) = fake.calls_to("youtube", "create")
    assert upload.method == "PUT" and len(upload.body) == video.size
    delivery = only_delivery(post)
    assert delivery.platform_url == f"https://www.youtube.com/watch?v={delivery.platform_post_id}"


def test_tiktok_asks_creator_info_inits_uploads_and_polls_status(fake, account, make_approved):
    fake.processing_polls = 1
    tt = account(Platform.TIKTOK, handle="kemenagcontoh")
    post = make_approved([tt], video=mp4_upload())

    assert delivery_publish(delivery_id=only_delivery(post).pk) == DeliveryState.PUBLISHED

    operations = [c.operation for c in fake.calls_to("tiktok")]
    assert operations == ["creator_info", "init", "create", "status", "status"]
    init = fake.calls_to("tiktok", "init")[0]
    size = post.media.get().size
    assert init.json["source_info"] == {
        "source": "FILE_UPLOAD",
        "video_size": size,
        "chunk_size": size,
        "total_chunk_count": 1,
    }
    assert init.json["post_info"]["privacy_level"] == "PUBLIC_TO_EVERYONE"
    upload = fake.calls_to("tiktok", "create")[0]
    assert upload.headers["content-range"] == f"bytes 0-{size - 1}/{size}"
    # The upload URL carries its own credential; the user token stays home.
    assert "authorization" not in upload.headers
    delivery = only_delivery(post)
    assert delivery.platform_url == f"https://www.tiktok.com/@kemenagcontoh/video/{delivery.platform_post_id}"


def test_tiktok_privacy_level_not_offered_fails_with_a_clear_message(fake, account, make_approved):
    fake.tiktok_privacy_options = ["SELF_ONLY"]
    tt = account(Platform.TIKTOK)
    post = make_approved([tt], video=mp4_upload())
    assert delivery_publish(delivery_id=only_delivery(post).pk) == DeliveryState.FAILED
    delivery = only_delivery(post)
    assert "tingkat privasi PUBLIC_TO_EVERYONE" in delivery.last_error
    assert not fake.calls_to("tiktok", "init")


# --- never twice ---------------------------------------------------------------------------


def test_a_delivery_is_claimed_once(fake, account, make_approved):
    """A second task for the same delivery (a duplicate, or the sweep) does
    nothing once the first has claimed it."""
    post = make_approved([account(Platform.FACEBOOK)])
    delivery = only_delivery(post)
    assert delivery_publish(delivery_id=delivery.pk) == DeliveryState.PUBLISHED
    assert delivery_publish(delivery_id=delivery.pk) == "skipped"
    assert len(fake.calls_to("facebook", "create")) == 1


def test_a_delivery_not_yet_due_is_left_alone(fake, account, make_approved):
    post = make_approved([account(Platform.X)], when=timezone.now() + timedelta(hours=2))
    assert delivery_publish(delivery_id=only_delivery(post).pk) == "skipped"
    assert deliveries_sweep()["due"] == 0
    assert not fake.calls_to("x")


def test_the_sweep_publishes_what_no_task_picked_up(fake, account, make_approved):
    """Nothing is lost when the ETA task was lost (Redis or the worker down)."""
    start = timezone.now()
    post = make_approved(
        [account(Platform.FACEBOOK), account(Platform.X)], when=start + timedelta(minutes=30)
    )
    with time_machine.travel(start + timedelta(minutes=31), tick=False):
        assert deliveries_sweep()["due"] == 2
    assert {d.state for d in post.deliveries.all()} == {DeliveryState.PUBLISHED}
    assert len(fake.calls_to(operation="create")) == 2


def test_a_worker_killed_mid_publish_is_checked_not_reposted(fake, account, make_approved, monkeypatch):
    """The platform accepted the post and the worker died before recording
    it: after the lease the sweep marks the delivery unconfirmed, finds the
    post on the platform, and never sends it again."""

    class WorkerKilled(BaseException):
        pass

    def die(*args, **kwargs):
        raise WorkerKilled

    post = make_approved([account(Platform.FACEBOOK)])
    delivery = only_delivery(post)
    start = timezone.now()
    monkeypatch.setattr("socialmedia.publishing._mark_published", die)
    with time_machine.travel(start, tick=False), pytest.raises(WorkerKilled):
        delivery_publish(delivery_id=delivery.pk)
    monkeypatch.undo()
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.PUBLISHING

    with time_machine.travel(start + timedelta(minutes=10), tick=False):
        deliveries_sweep()  # still within the lease: untouched
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.PUBLISHING

    with time_machine.travel(start + timedelta(minutes=31), tick=False):
        result = deliveries_sweep()
    assert result["expired"] == 1
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.PUBLISHED
    assert delivery.platform_post_id == fake.created("facebook")[0]["id"]
    assert len(fake.calls_to("facebook", "create")) == 1
    assert len(fake.calls_to("facebook", "search")) == 1


def test_a_killed_youtube_upload_resumes_in_the_same_session(fake, account, make_approved, monkeypatch):
    """YouTube can say exactly how far an upload got: a delivery whose
    worker died mid-upload continues the same session, one video results."""
    fake.fail("youtube", "create", "timeout", apply=False)
    post = make_approved([account(Platform.YOUTUBE)], video=mp4_upload(), title="Upacara HAB")
    delivery = only_delivery(post)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        assert delivery_publish(delivery_id=delivery.pk) == DeliveryState.UNCONFIRMED
    with time_machine.travel(start + timedelta(minutes=3), tick=False):
        deliveries_sweep()  # the check: 308, nothing received → resume
        deliveries_sweep()  # the resumed upload
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.PUBLISHED
    assert len(fake.calls_to("youtube", "upload_session")) == 1
    assert len(fake.created("youtube")) == 1


def test_a_timeout_after_sending_is_checked_on_the_platform(fake, account, make_approved):
    """X took the post but its answer never came: the delivery is
    unconfirmed, the check finds our text among the account's posts."""
    fake.fail("x", "create", "timeout")
    post = make_approved([account(Platform.X)])
    delivery = only_delivery(post)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        assert delivery_publish(delivery_id=delivery.pk) == DeliveryState.UNCONFIRMED
    delivery.refresh_from_db()
    assert "mungkin sudah terbit" in delivery.last_error
    with time_machine.travel(start + timedelta(minutes=1), tick=False):
        assert deliveries_sweep()["checks"] == 0  # not before the check interval
    with time_machine.travel(start + timedelta(minutes=3), tick=False):
        assert deliveries_sweep()["checks"] == 1
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.PUBLISHED
    assert delivery.platform_post_id == fake.created("x")[0]["id"]
    assert len(fake.calls_to("x", "create")) == 1


def test_an_unconfirmed_post_not_found_is_left_to_a_person(fake, account, make_approved, settings, people):
    settings.SOCIAL_CONFIRM_MAX_CHECKS = 2
    fake.fail("facebook", "create", "timeout", apply=False)
    post = make_approved([account(Platform.FACEBOOK)])
    delivery = only_delivery(post)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        delivery_publish(delivery_id=delivery.pk)
    for minutes in (3, 6, 9, 12):
        with time_machine.travel(start + timedelta(minutes=minutes), tick=False):
            deliveries_sweep()
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.UNCONFIRMED
    assert delivery.checks == 2
    assert delivery.next_check_at is None
    assert "Periksa akun di platform" in delivery.last_error
    assert len(fake.calls_to("facebook", "search")) == 2
    assert not fake.calls_to("facebook", "create")[1:]

    # The Admin Humas looked at the Page, found nothing, and sends it again.
    delivery_retry(delivery=delivery, actor=people.admin_humas)
    with time_machine.travel(start + timedelta(minutes=13), tick=False):
        delivery_publish(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.PUBLISHED
    assert len(fake.created("facebook")) == 1


# --- rate limits ---------------------------------------------------------------------------


def test_x_rate_limit_headers_hold_every_delivery_of_the_account(fake, account, make_approved):
    x = account(Platform.X)
    start = timezone.now().replace(microsecond=0)
    with time_machine.travel(start, tick=False):
        fake.fail("x", "create", "rate_limit", seconds=900)
        first = only_delivery(make_approved([x], text="Kiriman pertama"))
        second = only_delivery(make_approved([x], text="Kiriman kedua", when=start + timedelta(minutes=5)))
        assert delivery_publish(delivery_id=first.pk) == DeliveryState.SCHEDULED
    first.refresh_from_db()
    x.refresh_from_db()
    assert first.next_attempt_at == start + timedelta(seconds=900)
    assert first.hold_reason == HoldReason.RATE_LIMITED
    assert x.rate_limited_until == start + timedelta(seconds=900)
    calls = len(fake.calls_to("x"))

    with time_machine.travel(start + timedelta(minutes=10), tick=False):
        deliveries_sweep()
        assert delivery_publish(delivery_id=second.pk) == "held"
    assert len(fake.calls_to("x")) == calls, "no call to X before its reset time"

    with time_machine.travel(start + timedelta(seconds=901), tick=False):
        deliveries_sweep()
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.state, second.state) == (DeliveryState.PUBLISHED, DeliveryState.PUBLISHED)
    assert all(c.at >= (start + timedelta(seconds=900)).timestamp() for c in fake.calls_to("x")[calls:])


@pytest.mark.parametrize("code", [4, 17, 32, 613])
def test_meta_rate_limit_codes_wait_for_the_usage_header(fake, account, make_approved, code):
    page = account(Platform.FACEBOOK)
    start = timezone.now().replace(microsecond=0)
    fake.fail("facebook", "create", "rate_limit", code=code, minutes=20)
    with time_machine.travel(start, tick=False):
        delivery = only_delivery(make_approved([page]))
        assert delivery_publish(delivery_id=delivery.pk) == DeliveryState.SCHEDULED
    delivery.refresh_from_db()
    assert delivery.next_attempt_at == start + timedelta(minutes=20)
    assert f"(#{code})" in delivery.last_error
    with time_machine.travel(start + timedelta(minutes=19), tick=False):
        deliveries_sweep()
    assert len(fake.calls_to("facebook", "create")) == 1
    with time_machine.travel(start + timedelta(minutes=21), tick=False):
        deliveries_sweep()
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.PUBLISHED


def test_meta_usage_near_the_limit_slows_the_account_down(fake, account, make_approved, settings):
    fake.meta_usage = 97
    page = account(Platform.FACEBOOK)
    start = timezone.now().replace(microsecond=0)
    with time_machine.travel(start, tick=False):
        delivery_publish(delivery_id=only_delivery(make_approved([page])).pk)
    page.refresh_from_db()
    assert page.rate_limited_until == start + timedelta(seconds=settings.SOCIAL_RATE_LIMIT_DEFAULT_SECONDS)


def test_tiktok_429_retry_after_is_respected(fake, account, make_approved):
    tt = account(Platform.TIKTOK)
    start = timezone.now().replace(microsecond=0)
    fake.fail("tiktok", "init", "rate_limit", seconds=120)
    with time_machine.travel(start, tick=False):
        delivery = only_delivery(make_approved([tt], video=mp4_upload()))
        assert delivery_publish(delivery_id=delivery.pk) == DeliveryState.SCHEDULED
    delivery.refresh_from_db()
    assert delivery.next_attempt_at == start + timedelta(seconds=120)


def test_youtube_quota_waits_for_midnight_pacific(fake, account, make_approved):
    yt = account(Platform.YOUTUBE)
    start = datetime(2025, 3, 10, 3, 0, tzinfo=UTC)  # 20:00 PDT on 9 March
    fake.fail("youtube", "upload_session", "rate_limit", quota=True)
    with time_machine.travel(start, tick=False):
        delivery = only_delivery(make_approved([yt], video=mp4_upload(), title="Judul"))
        assert delivery_publish(delivery_id=delivery.pk) == DeliveryState.SCHEDULED
    delivery.refresh_from_db()
    assert delivery.next_attempt_at == datetime(2025, 3, 10, 7, 5, tzinfo=UTC)
    assert "Kuota harian YouTube habis" in delivery.last_error


def test_instagram_full_quota_waits_without_making_a_container(fake, account, make_approved):
    fake.ig_quota_used = 100
    ig = account(Platform.INSTAGRAM)
    start = timezone.now().replace(microsecond=0)
    with time_machine.travel(start, tick=False):
        delivery = only_delivery(make_approved([ig], images_to_add=[jpeg_upload()]))
        assert delivery_publish(delivery_id=delivery.pk) == DeliveryState.SCHEDULED
    delivery.refresh_from_db()
    assert delivery.next_attempt_at == start + timedelta(hours=1)
    assert "kuota 100 kiriman per 24 jam" in delivery.last_error
    assert not fake.calls_to("instagram", "container")


def test_instagram_processing_resumes_with_the_same_container(fake, account, make_approved, settings):
    settings.SOCIAL_PROCESSING_MAX_POLLS = 2
    fake.processing_polls = 3
    ig = account(Platform.INSTAGRAM)
    start = timezone.now().replace(microsecond=0)
    with time_machine.travel(start, tick=False):
        delivery = only_delivery(make_approved([ig], video=mp4_upload()))
        assert delivery_publish(delivery_id=delivery.pk) == DeliveryState.SCHEDULED
    delivery.refresh_from_db()
    assert delivery.hold_reason == HoldReason.PROCESSING
    assert delivery.checkpoint["container_id"] in fake.containers
    with time_machine.travel(start + timedelta(seconds=61), tick=False):
        deliveries_sweep()
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.PUBLISHED
    assert len(fake.calls_to("instagram", "container")) == 1
    assert delivery.attempts == 2


# --- server errors ---------------------------------------------------------------------------


def test_server_errors_back_off_exponentially_then_fail(fake, account, make_approved, settings):
    settings.SOCIAL_MAX_ATTEMPTS = 3
    settings.SOCIAL_RETRY_BASE_SECONDS = 60
    fake.fail("x", "create", "server_error", times=5)
    x = account(Platform.X)
    start = timezone.now().replace(microsecond=0)
    with time_machine.travel(start, tick=False):
        delivery = only_delivery(make_approved([x]))
        assert delivery_publish(delivery_id=delivery.pk) == DeliveryState.SCHEDULED
    delivery.refresh_from_db()
    assert delivery.next_attempt_at == start + timedelta(seconds=60)
    assert delivery.hold_reason == HoldReason.SERVER_ERROR
    with time_machine.travel(start + timedelta(seconds=61), tick=False):
        deliveries_sweep()
    delivery.refresh_from_db()
    assert delivery.next_attempt_at == start + timedelta(seconds=61 + 120)
    with time_machine.travel(start + timedelta(seconds=61 + 121), tick=False):
        deliveries_sweep()
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.FAILED
    assert "gagal setelah 3 kali percobaan" in delivery.last_error
    assert "HTTP 503" in delivery.last_error
    assert len(fake.calls_to("x", "create")) == 3


def test_a_platform_refusal_fails_with_its_message(fake, account, make_approved):
    x = account(Platform.X)
    delivery = only_delivery(make_approved([x]))
    fake.posts["x"].append({"id": "1", "text": delivery.post.text, "media_ids": [], "created_at": ""})
    assert delivery_publish(delivery_id=delivery.pk) == DeliveryState.FAILED
    delivery.refresh_from_db()
    assert delivery.last_error == (
        "X menolak permintaan (HTTP 403): You are not allowed to create a Tweet with duplicate content."
    )


# --- refused tokens -------------------------------------------------------------------------


def test_a_refused_token_stops_the_account_and_emails_its_admin_once(
    fake, account, make_approved, people, django_capture_on_commit_callbacks
):
    page = account(Platform.FACEBOOK)
    other = account(Platform.X)
    posts = [make_approved([page, other], text=f"Kiriman {n}") for n in range(3)]
    fake.refuse_token(page.access_token)
    first, second, third = (p.deliveries.get(account=page) for p in posts)

    with django_capture_on_commit_callbacks(execute=True):
        assert delivery_publish(delivery_id=first.pk) == DeliveryState.FAILED
        # Failures keep coming from other paths; none emails again.
        from socialmedia.services import account_test_connection

        page.refresh_from_db()
        page.status = AccountStatus.ACTIVE  # a stale copy in someone's hands
        check = account_test_connection(account=page, actor=people.admin_humas)
        assert delivery_publish(delivery_id=second.pk) == "skipped"

    assert not check.ok
    assert "Error validating access token" in check.message
    page.refresh_from_db()
    assert page.status == AccountStatus.NEEDS_RECONNECTION
    for delivery in (second, third):
        delivery.refresh_from_db()
        assert delivery.state == DeliveryState.FAILED
        assert delivery.last_error.startswith(f"Akun {page} perlu dihubungkan ulang")
    assert len(fake.calls_to("facebook", "create")) == 1
    # The X deliveries of the same posts carry on.
    assert {p.deliveries.get(account=other).state for p in posts} == {DeliveryState.SCHEDULED}
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [people.admin_humas.email]
    assert "perlu dihubungkan ulang" in message.subject
    assert "Error validating access token" in message.body
    assert page.access_token not in message.body


def test_x_error_89_is_a_refused_token(fake, account, make_approved):
    x = account(Platform.X)
    fake.fail("x", "create", "token", v1=True)
    delivery = only_delivery(make_approved([x]))
    assert delivery_publish(delivery_id=delivery.pk) == DeliveryState.FAILED
    x.refresh_from_db()
    assert x.status == AccountStatus.NEEDS_RECONNECTION
    assert "Invalid or expired token. (89)" in x.last_error


@pytest.mark.parametrize("platform", [Platform.INSTAGRAM, Platform.YOUTUBE, Platform.TIKTOK])
def test_each_platforms_token_refusal_is_recognised(fake, account, make_approved, platform):
    target = account(platform)
    fake.refuse_token(target.access_token)
    media = (
        {"video": mp4_upload(), "title": "Judul"}
        if platform != Platform.INSTAGRAM
        else {"images_to_add": [jpeg_upload()]}
    )
    delivery = only_delivery(make_approved([target], **media))
    assert delivery_publish(delivery_id=delivery.pk) == DeliveryState.FAILED
    target.refresh_from_db()
    assert target.status == AccountStatus.NEEDS_RECONNECTION


def test_an_expiring_youtube_token_is_renewed_first(fake, account, make_approved, settings):
    settings.SOCIAL_YOUTUBE_CLIENT_ID = "client-id"
    settings.SOCIAL_YOUTUBE_CLIENT_SECRET = "client-secret"
    yt = account(
        Platform.YOUTUBE, refresh_token="yt-refresh-1", token_expires_at=timezone.now() + timedelta(minutes=1)
    )
    delivery = only_delivery(make_approved([yt], video=mp4_upload(), title="Judul"))
    assert delivery_publish(delivery_id=delivery.pk) == DeliveryState.PUBLISHED
    (renewal,) = fake.calls_to("youtube", "token")
    assert renewal.form["grant_type"] == "refresh_token"
    assert renewal.form["refresh_token"] == "yt-refresh-1"
    assert fake.calls_to("youtube", "upload_session")[0].headers["authorization"] == "Bearer yt-renewed"
    yt.refresh_from_db()
    assert yt.access_token == "yt-renewed"
    assert yt.token_expires_at > timezone.now() + timedelta(minutes=50)


def test_a_revoked_refresh_token_needs_reconnection(fake, account, make_approved, settings):
    settings.SOCIAL_YOUTUBE_CLIENT_ID = "client-id"
    settings.SOCIAL_YOUTUBE_CLIENT_SECRET = "client-secret"
    fake.refuse_token("yt-refresh-1")
    yt = account(
        Platform.YOUTUBE, refresh_token="yt-refresh-1", token_expires_at=timezone.now() - timedelta(minutes=1)
    )
    delivery = only_delivery(make_approved([yt], video=mp4_upload(), title="Judul"))
    assert delivery_publish(delivery_id=delivery.pk) == DeliveryState.FAILED
    yt.refresh_from_db()
    assert yt.status == AccountStatus.NEEDS_RECONNECTION
    assert not fake.calls_to("youtube", "upload_session")


# --- engagement ------------------------------------------------------------------------------


def test_engagement_is_fetched_for_published_deliveries(fake, account, make_approved):
    from socialmedia.publishing import engagement_sweep

    accounts = [
        account(Platform.FACEBOOK),
        account(Platform.X),
        account(Platform.YOUTUBE),
        account(Platform.TIKTOK),
    ]
    post = make_approved(accounts, video=mp4_upload(), title="Judul")
    for delivery in post.deliveries.all():
        assert delivery_publish(delivery_id=delivery.pk) == DeliveryState.PUBLISHED
    assert engagement_sweep() == 4
    numbers = {
        d.account.platform: (d.likes, d.comments, d.shares, d.views)
        for d in post.deliveries.select_related("account")
    }
    assert numbers == {
        Platform.FACEBOOK: (7, 2, 1, None),
        Platform.X: (21, 5, 5, 300),
        Platform.YOUTUBE: (42, 6, None, 1500),
        Platform.TIKTOK: (50, 8, 3, 900),
    }


def test_instagram_engagement(fake, account, make_approved):
    from socialmedia.publishing import delivery_refresh_engagement

    delivery = only_delivery(make_approved([account(Platform.INSTAGRAM)], images_to_add=[jpeg_upload()]))
    delivery_publish(delivery_id=delivery.pk)
    assert delivery_refresh_engagement(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    assert (delivery.likes, delivery.comments) == (11, 3)


def test_a_cancelled_post_is_not_published(fake, account, make_approved, people):
    from socialmedia.services import post_cancel

    post = make_approved([account(Platform.FACEBOOK)], when=timezone.now() + timedelta(minutes=5))
    post_cancel(post=post, actor=people.admin_humas, note="Acara ditunda")
    with time_machine.travel(timezone.now() + timedelta(minutes=6), tick=False):
        assert deliveries_sweep()["due"] == 0
    assert only_delivery(post).state == DeliveryState.CANCELLED
    assert not fake.calls_to("facebook")


def test_media_never_finished_processing_is_left_to_a_person(fake, account, make_approved, settings):
    settings.SOCIAL_PROCESSING_MAX_POLLS = 1
    fake.processing_polls = 10_000
    ig = account(Platform.INSTAGRAM)
    start = timezone.now().replace(microsecond=0)
    with time_machine.travel(start, tick=False):
        delivery = only_delivery(make_approved([ig], video=mp4_upload()))
        assert delivery_publish(delivery_id=delivery.pk) == DeliveryState.SCHEDULED
    with time_machine.travel(start + timedelta(hours=25), tick=False):
        assert delivery_publish(delivery_id=delivery.pk) == DeliveryState.UNCONFIRMED
        deliveries_sweep()
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.UNCONFIRMED
    assert delivery.next_check_at is None
    assert "lebih dari 24 jam" in delivery.last_error
    assert len(fake.calls_to("instagram", "container")) == 1
    assert not fake.calls_to("instagram", "create")


def test_x_remaining_zero_holds_the_account_until_the_reset(fake, account, make_approved):
    fake.x_remaining = 0
    x = account(Platform.X)
    start = timezone.now().replace(microsecond=0)
    with time_machine.travel(start, tick=False):
        assert delivery_publish(delivery_id=only_delivery(make_approved([x])).pk) == DeliveryState.PUBLISHED
        later = only_delivery(make_approved([x], text="Kiriman berikutnya"))
        assert delivery_publish(delivery_id=later.pk) == "held"
    x.refresh_from_db()
    assert x.rate_limited_until == start + timedelta(seconds=900)
    assert len(fake.calls_to("x", "create")) == 1


@pytest.mark.parametrize(
    "platform, settings_names, renewed",
    [
        (Platform.X, ("SOCIAL_X_CLIENT_ID", "SOCIAL_X_CLIENT_SECRET"), "x-renewed"),
        (Platform.TIKTOK, ("SOCIAL_TIKTOK_CLIENT_KEY", "SOCIAL_TIKTOK_CLIENT_SECRET"), "tt-renewed"),
    ],
)
def test_x_and_tiktok_tokens_are_renewed_with_the_refresh_token(
    fake, account, make_approved, settings, platform, settings_names, renewed
):
    for name in settings_names:
        setattr(settings, name, "nilai-klien")
    target = account(platform, refresh_token="refresh-lama")
    media = {"video": mp4_upload()} if platform == Platform.TIKTOK else {}
    delivery = only_delivery(make_approved([target], **media))
    assert delivery_publish(delivery_id=delivery.pk) == DeliveryState.PUBLISHED
    (renewal,) = fake.calls_to(platform, "token")
    assert renewal.form["grant_type"] == "refresh_token" and renewal.form["refresh_token"] == "refresh-lama"
    target.refresh_from_db()
    assert target.access_token == renewed
    assert target.refresh_token in ("x-refresh-2", "tt-refresh-2")
    assert target.token_expires_at is not None
    publishing_call = [c for c in fake.calls_to(platform) if c.operation != "token"][0]
    assert publishing_call.headers["authorization"] == f"Bearer {renewed}"


def test_tiktok_chunks_put_the_remainder_in_the_last_chunk():
    from socialmedia.platforms.base import chunk_ranges

    mb = 1024 * 1024
    assert chunk_ranges(4 * mb, 10 * mb, merge_tail=True) == [(0, 4 * mb)]
    assert chunk_ranges(25 * mb, 10 * mb, merge_tail=True) == [(0, 10 * mb), (10 * mb, 25 * mb)]
    assert chunk_ranges(25 * mb, 10 * mb) == [(0, 10 * mb), (10 * mb, 20 * mb), (20 * mb, 25 * mb)]


def test_the_beat_schedule_names_registered_tasks(settings):
    from humas_portal.celery import app

    app.loader.import_default_modules()
    for name, entry in settings.CELERY_BEAT_SCHEDULE.items():
        if name.startswith("socialmedia-"):
            assert entry["task"] in app.tasks, name
