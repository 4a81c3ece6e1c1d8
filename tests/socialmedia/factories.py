"""Factories and media samples for the social-media tests."""

import io
import struct
from datetime import timedelta

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from socialmedia.models import AccountStatus, Platform, SocialAccount, SocialPost

from ..factories import UserFactory, WorkUnitFactory

ACCOUNT_IDS = {
    Platform.FACEBOOK: "104857600123",
    Platform.INSTAGRAM: "17841400000000001",
    Platform.X: "4401",
    Platform.YOUTUBE: "UCfakechannel",
    Platform.TIKTOK: "tt-open-id",
}


class SocialAccountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SocialAccount

    unit = factory.SubFactory(WorkUnitFactory)
    platform = Platform.FACEBOOK
    account_id = factory.LazyAttribute(lambda o: ACCOUNT_IDS[o.platform])
    display_name = factory.Sequence(lambda n: f"Akun Contoh {n}")
    handle = "kemenagcontoh"
    access_token = factory.Sequence(lambda n: f"tok-rahasia-{n:04d}-abcdefghijklmnop")
    status = AccountStatus.ACTIVE


class SocialPostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SocialPost
        skip_postgeneration_save = True

    unit = factory.SubFactory(WorkUnitFactory)
    author = factory.SubFactory(UserFactory)
    text = factory.Sequence(lambda n: f"Bimbingan perkawinan angkatan {n} di KUA Bangil berjalan lancar.")
    scheduled_at = factory.LazyFunction(lambda: timezone.now() + timedelta(hours=1))

    @factory.post_generation
    def accounts(self, create, extracted, **kwargs):
        if create and extracted:
            self.accounts.set(extracted)


def jpeg_upload(
    name="foto.jpg", size=(1080, 1080), color=(20, 120, 60), fmt="JPEG", content_type="image/jpeg"
):
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format=fmt)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=content_type)


def _box(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I", 8 + len(payload)) + kind + payload


def mp4_bytes(*, seconds: float = 12.0, padding: int = 2048, brand: bytes = b"isom") -> bytes:
    """A minimal ISO media file: ftyp, mdat, then moov with an mvhd (placed
    last, as cameras write it, so the reader must walk the boxes)."""
    timescale = 1000
    ftyp = _box(b"ftyp", brand + struct.pack(">I", 0x200) + b"isomiso2avc1mp41")
    mdat = _box(b"mdat", b"\x00" * padding)
    mvhd = _box(
        b"mvhd",
        b"\x00\x00\x00\x00" + struct.pack(">IIII", 0, 0, timescale, int(seconds * timescale)) + b"\x00" * 80,
    )
    moov = _box(b"moov", mvhd)
    return ftyp + mdat + moov


def mp4_upload(name="video.mp4", **kwargs):
    return SimpleUploadedFile(name, mp4_bytes(**kwargs), content_type="video/mp4")
