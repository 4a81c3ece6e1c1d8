"""Rows of the other apps as the monitoring figures read them.

These build the published state directly (a published item with its
submission and decision times, a delivery that went out, an open request)
rather than walking each app's workflow, so a test states exactly the data
behind a figure.
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime, timedelta

import factory
from django.utils import timezone

from dumas.models import Complaint
from dumas.workflow import ComplaintKind, ComplaintStatus, IdentityMode, Violation
from humas_portal.core.workflow import ReviewStatus
from news.models import NewsItem, PriorityProgram
from ppid.models import PpidRequest, RequestStatus
from socialmedia.models import Delivery, DeliveryState, Platform, SocialAccount, SocialPost

from ..factories import UserFactory, WorkUnitFactory


class NewsFactory(factory.django.DjangoModelFactory):
    """A published news item; pass ``status`` for other states."""

    class Meta:
        model = NewsItem

    title = factory.Sequence(lambda n: f"Kegiatan Bimbingan Manasik Haji Angkatan {n}")
    slug = factory.Sequence(lambda n: f"kegiatan-bimbingan-manasik-haji-{n}")
    lead = "Kegiatan diikuti calon jemaah dari seluruh kecamatan."
    body = "<p>Kegiatan berjalan lancar.</p>"
    unit = factory.SubFactory(WorkUnitFactory)
    author = factory.SubFactory(UserFactory)
    priority_program = PriorityProgram.HAJI_UMRAH
    status = ReviewStatus.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)


def published(unit, at: datetime, program: str = PriorityProgram.HAJI_UMRAH, **kwargs) -> NewsItem:
    return NewsFactory(unit=unit, published_at=at, priority_program=program, **kwargs)


def decided(unit, submitted_at: datetime, hours: float, **kwargs) -> NewsItem:
    """An item submitted at ``submitted_at`` and decided ``hours`` later."""
    kwargs.setdefault("status", ReviewStatus.APPROVED)
    kwargs.setdefault("published_at", None)
    return NewsFactory(
        unit=unit, submitted_at=submitted_at, decided_at=submitted_at + timedelta(hours=hours), **kwargs
    )


class SocialAccountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SocialAccount

    unit = factory.SubFactory(WorkUnitFactory)
    platform = Platform.FACEBOOK
    account_id = factory.Sequence(lambda n: f"akun-{n}")
    display_name = factory.Sequence(lambda n: f"Akun Humas {n}")


class SocialPostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SocialPost

    unit = factory.SubFactory(WorkUnitFactory)
    author = factory.SubFactory(UserFactory)
    text = factory.Sequence(lambda n: f"Rapat koordinasi penyuluh agama ke-{n}.")
    scheduled_at = factory.LazyFunction(timezone.now)
    status = ReviewStatus.PUBLISHED


def social_post(
    unit, at: datetime, platforms=(Platform.FACEBOOK,), state=DeliveryState.PUBLISHED
) -> SocialPost:
    """A post of ``unit`` that went out at ``at`` on one account per platform."""
    post = SocialPostFactory(unit=unit, scheduled_at=at)
    for platform in platforms:
        account = SocialAccountFactory(unit=unit, platform=platform)
        Delivery.objects.create(
            post=post,
            account=account,
            state=state,
            scheduled_at=at,
            next_attempt_at=at,
            published_at=at if state == DeliveryState.PUBLISHED else None,
        )
    return post


_ppid_sequence = iter(range(1, 10**9))


def ppid_request(
    unit,
    *,
    received_on: date,
    due_on: date,
    status: str = RequestStatus.RECEIVED,
    extended_due_on: date | None = None,
    decided_on: date | None = None,
) -> PpidRequest:
    n = next(_ppid_sequence)
    return PpidRequest.objects.create(
        unit=unit,
        registration_number=f"{unit.code}/PPID/{received_on.year}/{n:05d}",
        year=received_on.year,
        sequence=n,
        tracking_token_hash=hashlib.sha256(f"token-{n}".encode()).hexdigest(),
        status=status,
        requester_kind="perorangan",
        name="Ahmad Syafii",
        information_requested="Data jumlah madrasah penerima bantuan",
        purpose="Penelitian",
        obtain_method="softcopy",
        delivery_method="email",
        received_at=timezone.now(),
        received_on=received_on,
        due_on=due_on,
        extended_due_on=extended_due_on,
        decided_on=decided_on,
        decision="diberikan" if decided_on else "",
    )


_complaint_sequence = iter(range(1, 10**9))


def complaint(
    unit,
    *,
    status: str = ComplaintStatus.RECEIVED,
    verify_due: date,
    finish_due: date | None = None,
    follow_up_due: date | None = None,
    kind: str = ComplaintKind.PENGADUAN,
    received_at: datetime | None = None,
) -> Complaint:
    n = next(_complaint_sequence)
    return Complaint.objects.create(
        tracking_code=f"MON{n:08d}",
        unit=unit,
        office=unit.office(),
        kind=kind,
        violation=Violation.PUNGLI if kind == ComplaintKind.WHISTLEBLOWING else "",
        subject="Pelayanan lambat",
        description="Antrean terlalu panjang.",
        identity_mode=IdentityMode.ANONYMOUS,
        status=status,
        received_at=received_at or timezone.now(),
        verify_due=verify_due,
        follow_up_due=follow_up_due,
        finish_due=finish_due or verify_due + timedelta(days=60),
    )
