"""Factories for Dumas tests."""

from datetime import timedelta

import factory
from django.utils import timezone

from dumas import codes
from dumas.models import Complaint, ComplaintLocation
from dumas.workflow import Channel, ComplaintKind, ComplaintStatus, IdentityMode

from ..factories import WorkUnitFactory


class ComplaintLocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ComplaintLocation

    unit = factory.SubFactory(WorkUnitFactory)
    name = factory.Sequence(lambda n: f"Meja PTSP {n}")


class ComplaintFactory(factory.django.DjangoModelFactory):
    """A received, confidential complaint about the unit; pass ``status`` and
    the matching timestamps for later stages. Services are the way to move
    one through its life; this factory only fills tables quickly."""

    class Meta:
        model = Complaint

    tracking_code = factory.LazyFunction(codes.generate)
    unit = factory.SubFactory(WorkUnitFactory)
    office = factory.LazyAttribute(lambda o: o.unit.office())
    channel = Channel.WEB
    kind = ComplaintKind.PENGADUAN
    subject = factory.Sequence(lambda n: f"Antrean layanan nikah terlalu lama {n}")
    description = "Saya menunggu lebih dari tiga jam tanpa kejelasan di loket pelayanan."
    incident_location = "Loket pelayanan"
    identity_mode = IdentityMode.CONFIDENTIAL
    reporter_name = "Siti Rahmawati"
    reporter_email = "siti.rahma@contoh.id"
    reporter_phone = "081234567890"
    status = ComplaintStatus.RECEIVED
    received_at = factory.LazyFunction(timezone.now)
    verify_due = factory.LazyAttribute(lambda o: (o.received_at + timedelta(days=5)).date())
    finish_due = factory.LazyAttribute(lambda o: (o.received_at + timedelta(days=60)).date())
