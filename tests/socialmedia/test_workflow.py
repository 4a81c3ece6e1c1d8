"""The review of social posts (the shared workflow), its emails, the
deliveries approval creates, and drafting a post from a news item."""

import zoneinfo
from datetime import datetime, timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from humas_portal.core.models import Role, UnitKind
from humas_portal.core.workflow import ReviewAction, ReviewStatus, WorkflowError
from news.models import NewsImage
from socialmedia.models import AccountStatus, DeliveryState, MediaKind, Platform, SocialPost
from socialmedia.publishing import delivery_publish
from socialmedia.services import post_cancel, post_create, post_redraft, post_review, post_submit

from ..factories import WorkUnitFactory, grant
from ..news.factories import NewsItemFactory
from .factories import SocialAccountFactory, jpeg_upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def accounts(org):
    return [
        SocialAccountFactory(unit=org.kua_bangil, platform=Platform.FACEBOOK),
        SocialAccountFactory(unit=org.kua_bangil, platform=Platform.X),
    ]


def draft(org, people, accounts, **fields):
    defaults = {
        "text": "Penyuluh agama KUA Bangil membina majelis taklim.",
        "scheduled_at": timezone.now() + timedelta(hours=2),
    }
    return post_create(
        actor=people.kontributor, unit=org.kua_bangil, accounts=accounts, **(defaults | fields)
    )


def test_submitting_emails_the_verifier(org, people, accounts, django_capture_on_commit_callbacks):
    post = draft(org, people, accounts)
    with django_capture_on_commit_callbacks(execute=True):
        post = post_submit(post=post, actor=people.kontributor)
    assert post.status == ReviewStatus.SUBMITTED
    assert [m.to for m in mail.outbox] == [[people.verifikator.email]]
    assert "menunggu verifikasi" in mail.outbox[0].subject
    assert post.get_absolute_url() in mail.outbox[0].body


def test_a_post_breaking_a_platform_rule_cannot_be_submitted(org, people):
    instagram = SocialAccountFactory(unit=org.kua_bangil, platform=Platform.INSTAGRAM)
    youtube = SocialAccountFactory(unit=org.kua_bangil, platform=Platform.YOUTUBE)
    post = draft(org, people, [instagram, youtube])
    with pytest.raises(ValidationError) as error:
        post_submit(post=post, actor=people.kontributor)
    assert error.value.messages == [
        "Instagram: kiriman wajib memuat gambar atau video.",
        "YouTube: judul video wajib diisi.",
        "YouTube: kiriman wajib memuat satu video.",
    ]
    post.refresh_from_db()
    assert post.status == ReviewStatus.DRAFT


def test_approval_creates_one_delivery_per_account_and_tells_the_author(
    org, people, accounts, django_capture_on_commit_callbacks
):
    post = post_submit(post=draft(org, people, accounts), actor=people.kontributor)
    with django_capture_on_commit_callbacks(execute=True):
        post = post_review(post=post, actor=people.verifikator, action=ReviewAction.APPROVE)
    assert post.status == ReviewStatus.APPROVED
    deliveries = list(post.deliveries.order_by("account__platform"))
    assert [(d.account, d.state) for d in deliveries] == [
        (accounts[0], DeliveryState.SCHEDULED),
        (accounts[1], DeliveryState.SCHEDULED),
    ]
    assert all(d.next_attempt_at == post.scheduled_at for d in deliveries)
    assert [m.to for m in mail.outbox] == [[people.kontributor.email]]
    assert "Disetujui" in mail.outbox[0].subject


def test_returning_needs_a_note_that_reaches_the_author(
    org, people, accounts, django_capture_on_commit_callbacks
):
    post = post_submit(post=draft(org, people, accounts), actor=people.kontributor)
    with pytest.raises(WorkflowError, match="Tuliskan catatan revisi"):
        post_review(post=post, actor=people.verifikator, action=ReviewAction.RETURN)
    with django_capture_on_commit_callbacks(execute=True):
        post = post_review(
            post=post, actor=people.verifikator, action=ReviewAction.RETURN, note="Tambahkan nama narasumber."
        )
    assert post.status == ReviewStatus.RETURNED
    assert "Tambahkan nama narasumber." in mail.outbox[0].body
    assert not post.deliveries.exists()


def test_approval_is_refused_while_an_account_needs_reconnection(org, people, accounts):
    post = post_submit(post=draft(org, people, accounts), actor=people.kontributor)
    accounts[1].status = AccountStatus.NEEDS_RECONNECTION
    accounts[1].save()
    with pytest.raises(ValidationError) as error:
        post_review(post=post, actor=people.verifikator, action=ReviewAction.APPROVE)
    assert "perlu dihubungkan ulang" in error.value.messages[0].lower()


def test_a_verifier_of_another_office_cannot_decide(org, people, accounts):
    post = post_submit(post=draft(org, people, accounts), actor=people.kontributor)
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        post_review(post=post, actor=people.verifikator_lain, action=ReviewAction.APPROVE)


def test_cancel_stops_pending_deliveries_and_reapproval_schedules_them_again(fake, org, people, accounts):
    post = post_submit(
        post=draft(org, people, accounts, scheduled_at=timezone.now()), actor=people.kontributor
    )
    post = post_review(post=post, actor=people.verifikator, action=ReviewAction.APPROVE)
    facebook, x = (post.deliveries.get(account=a) for a in accounts)
    assert delivery_publish(delivery_id=facebook.pk) == DeliveryState.PUBLISHED

    post = post_cancel(
        post=SocialPost.objects.get(pk=post.pk), actor=people.admin_humas, note="Salah tanggal"
    )
    facebook.refresh_from_db()
    x.refresh_from_db()
    assert (facebook.state, x.state) == (DeliveryState.PUBLISHED, DeliveryState.CANCELLED)

    post = post_redraft(post=post, actor=people.kontributor)
    post = post_submit(post=post, actor=people.kontributor)
    post = post_review(post=post, actor=people.verifikator, action=ReviewAction.APPROVE)
    facebook.refresh_from_db()
    x.refresh_from_db()
    assert (facebook.state, x.state) == (DeliveryState.PUBLISHED, DeliveryState.SCHEDULED)
    assert len(fake.created("facebook")) == 1


def test_the_schedule_is_entered_in_the_units_time_zone(client, org, people):
    """A KUA in Makassar writes 09.00 WITA; it is stored as 01.00 UTC."""
    kua_wita = WorkUnitFactory(name="KUA Kecamatan Mamajang", kind=UnitKind.KUA, timezone="Asia/Makassar")
    grant(people.kontributor_man, Role.KONTRIBUTOR, kua_wita)
    account = SocialAccountFactory(unit=kua_wita, platform=Platform.FACEBOOK)
    client.force_login(people.kontributor_man)
    response = client.post(
        reverse("socialmedia:post_create") + f"?unit={kua_wita.pk}",
        {
            "unit": kua_wita.pk,
            "text": "Manasik haji di Mamajang",
            "scheduled_at": "2026-06-01T09:00",
            "accounts": [account.pk],
            "images": [jpeg_upload()],
        },
    )
    post = SocialPost.objects.get()
    assert response.status_code == 302
    assert post.unit == kua_wita
    assert post.scheduled_at == datetime(2026, 6, 1, 1, 0, tzinfo=zoneinfo.ZoneInfo("UTC"))
    assert post.media.get().kind == MediaKind.IMAGE
    page = client.get(reverse("socialmedia:post_edit", args=[post.pk])).content.decode()
    assert 'value="2026-06-01T09:00"' in page
    assert "Jadwal terbit (WITA)" in page


def test_only_the_units_active_accounts_can_be_targeted(client, org, people):
    mine = SocialAccountFactory(unit=org.kua_bangil)
    other_unit = SocialAccountFactory(unit=org.man_pasuruan, platform=Platform.X)
    stopped = SocialAccountFactory(unit=org.kua_bangil, platform=Platform.X, status=AccountStatus.DISABLED)
    client.force_login(people.kontributor)
    page = client.get(reverse("socialmedia:post_create")).content.decode()
    assert mine.display_name in page
    assert other_unit.display_name not in page and stopped.display_name not in page
    response = client.post(
        reverse("socialmedia:post_create"),
        {"text": "Teks", "scheduled_at": "2026-06-01T09:00", "accounts": [other_unit.pk]},
    )
    assert response.status_code == 200
    assert not SocialPost.objects.exists()


def test_uploads_are_checked_by_content(client, org, people):
    account = SocialAccountFactory(unit=org.kua_bangil)
    client.force_login(people.kontributor)
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        reverse("socialmedia:post_create"),
        {
            "text": "Teks",
            "scheduled_at": "2026-06-01T09:00",
            "accounts": [account.pk],
            "images": [SimpleUploadedFile("foto.jpg", b"bukan gambar", content_type="image/jpeg")],
            "video": SimpleUploadedFile("klip.mp4", b"bukan video sama sekali", content_type="video/mp4"),
        },
    )
    page = response.content.decode()
    assert "foto.jpg: Berkas ini bukan gambar yang valid." in page
    assert "Berkas ini bukan video MP4 atau MOV." in page
    assert not SocialPost.objects.exists()


# --- sharing a news item ------------------------------------------------------------------


@pytest.fixture
def published_item(org, people, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    item = NewsItemFactory(
        published=True,
        unit=org.kua_bangil,
        author=people.kontributor,
        title="KUA Bangil Gelar Bimbingan Perkawinan",
    )
    name = default_storage.save("news/2026/01/foto-utama.jpg", ContentFile(jpeg_upload().read()))
    image = NewsImage.objects.create(item=item, unit=org.kua_bangil, original=name, width=1080, height=1080)
    item.featured_image = image
    item.save()
    return item


def test_sharing_a_published_news_item_drafts_a_post(client, org, people, published_item, settings):
    settings.SITE_URL = "https://humas.contoh.go.id"
    facebook = SocialAccountFactory(unit=org.kua_bangil, platform=Platform.FACEBOOK)
    x = SocialAccountFactory(unit=org.kua_bangil, platform=Platform.X)
    SocialAccountFactory(
        unit=org.kua_bangil, platform=Platform.TIKTOK, status=AccountStatus.NEEDS_RECONNECTION
    )
    client.force_login(people.kontributor)
    response = client.post(reverse("socialmedia:share_news", args=[published_item.pk]))
    post = SocialPost.objects.get()
    assert response["Location"] == reverse("socialmedia:post_edit", args=[post.pk])
    assert post.text == "KUA Bangil Gelar Bimbingan Perkawinan"
    assert post.link == "https://humas.contoh.go.id" + published_item.get_absolute_url()
    assert post.news_item == published_item
    assert post.status == ReviewStatus.DRAFT
    assert set(post.accounts.all()) == {facebook, x}
    image = post.media.get()
    assert image.kind == MediaKind.IMAGE and image.content_type == "image/jpeg"


def test_sharing_is_refused_for_drafts_and_other_units(client, org, people, published_item):
    client.force_login(people.kontributor_man)
    assert client.post(reverse("socialmedia:share_news", args=[published_item.pk])).status_code == 403
    client.force_login(people.kontributor)
    unpublished = NewsItemFactory(unit=org.kua_bangil)
    assert client.post(reverse("socialmedia:share_news", args=[unpublished.pk])).status_code == 403
    assert client.get(reverse("socialmedia:share_news", args=[published_item.pk])).status_code == 405
    assert not SocialPost.objects.exists()


def test_the_share_button_shows_only_to_writers_of_the_unit(rf, org, people, published_item):
    from django.template.loader import render_to_string

    def render_for(user):
        request = rf.get("/")
        request.user = user
        return render_to_string(
            "socialmedia/_share_news_button.html", {"item": published_item}, request=request
        )

    assert "Bagikan ke media sosial" in render_for(people.kontributor)
    assert "Bagikan ke media sosial" in render_for(people.admin_humas)
    assert "Bagikan ke media sosial" not in render_for(people.verifikator)
    assert "Bagikan ke media sosial" not in render_for(people.kontributor_man)
