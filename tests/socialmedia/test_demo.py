"""The social-media part of ``manage.py seed_demo``."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from socialmedia.models import AccountStatus, DeliveryState, SocialAccount, SocialPost
from socialmedia.publishing import deliveries_sweep

pytestmark = pytest.mark.django_db


def test_demo_adds_accounts_that_never_reach_a_platform_and_posts_at_every_stage(client):
    out = io.StringIO()
    call_command("seed_demo", "--force", "--password", "demo-uji-123", stdout=out)
    assert "Demo media sosial: 4 akun" in out.getvalue()
    accounts = SocialAccount.objects.all()
    assert accounts.count() == 4
    assert {a.status for a in accounts} == {AccountStatus.NEEDS_RECONNECTION}
    assert {a.access_token for a in accounts} == {"demo-token-tidak-berlaku"}
    assert SocialPost.objects.count() == 6
    states = set(SocialPost.objects.values_list("deliveries__state", flat=True)) - {None}
    assert states == {DeliveryState.PUBLISHED, DeliveryState.FAILED}
    # The publisher leaves them alone: their accounts need a real token.
    assert deliveries_sweep()["due"] == 0

    call_command("seed_demo", "--force", "--password", "demo-uji-123", stdout=io.StringIO())
    assert SocialAccount.objects.count() == 4
    assert SocialPost.objects.count() == 6

    assert client.login(username="verifikator", password="demo-uji-123")
    assert client.get(reverse("socialmedia:post_list")).status_code == 200
    page = client.get(reverse("socialmedia:calendar_month")).content.decode()
    assert 'data-state="published"' in page or 'data-state="failed"' in page
