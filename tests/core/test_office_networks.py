"""Office networks skip the anti-bot sum, never the hard limit, and only for
the client address the portal already trusts; the default soft limit lets
a morning at a PTSP desk through."""

import subprocess
import sys
import uuid

import pytest
import time_machine
from django.conf import settings
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.urls import reverse

from dumas.models import Complaint
from humas_portal.core import ratelimit

from ..dumas.helpers import complaint_data, guard_fields
from .test_settings_deploy import ROOT, production_env

DESK = "10.20.30.40"
OUTSIDE = "198.51.100.23"


@pytest.fixture
def scope():
    return f"test-{uuid.uuid4().hex}"


def post(address, **meta):
    return RequestFactory().post("/", REMOTE_ADDR=address, **meta)


def limited_view(scope, *, limit=5, soft_limit=1):
    @ratelimit.ratelimit(scope=scope, limit=limit, window=3600, soft_limit=soft_limit)
    def view(request):
        return HttpResponse("sum" if request.ratelimit.challenge_required else "no sum")

    return view


class TestOfficeNetworks:
    def test_a_desk_on_an_office_network_is_never_asked_the_sum(self, scope, settings):
        settings.OFFICE_NETWORKS = ["10.0.0.0/8", "192.168.1.0/24"]
        view = limited_view(scope, limit=10)
        answers = [view(post(DESK)).content for _ in range(5)]
        assert answers == [b"no sum"] * 5

    def test_an_address_outside_the_office_networks_is_still_asked(self, scope, settings):
        settings.OFFICE_NETWORKS = ["10.0.0.0/8"]
        view = limited_view(scope, limit=10)
        answers = [view(post(OUTSIDE)).content for _ in range(3)]
        assert answers == [b"no sum", b"sum", b"sum"]

    def test_without_the_setting_the_desk_is_asked_like_anyone(self, scope, settings):
        settings.OFFICE_NETWORKS = []
        view = limited_view(scope, limit=10)
        assert [view(post(DESK)).content for _ in range(2)] == [b"no sum", b"sum"]

    def test_the_hard_limit_still_applies_to_an_office_network(self, scope, settings):
        settings.OFFICE_NETWORKS = ["10.0.0.0/8"]
        view = limited_view(scope, limit=3)
        statuses = [view(post(DESK)).status_code for _ in range(4)]
        assert statuses == [200, 200, 200, 429]

    def test_an_ipv6_office_network_and_ipv4_mapped_addresses_match(self, scope, settings):
        settings.OFFICE_NETWORKS = ["2001:db8:7::/48", "10.0.0.0/8"]
        assert ratelimit.in_office_network(post("2001:db8:7:1::25"))
        assert ratelimit.in_office_network(post("::ffff:10.1.2.3"))
        assert not ratelimit.in_office_network(post("2001:db8:8::25"))
        assert not ratelimit.in_office_network(post("not-an-address"))

    def test_a_forged_forwarded_header_does_not_make_an_outsider_an_office(self, scope, settings):
        """With no trusted proxy the header is ignored; behind one proxy only
        the hop that proxy appended counts, not what the client wrote."""
        settings.OFFICE_NETWORKS = ["10.0.0.0/8"]
        view = limited_view(scope, limit=10)
        settings.RATELIMIT_TRUSTED_PROXIES = 0
        forged = [view(post(OUTSIDE, HTTP_X_FORWARDED_FOR=DESK)).content for _ in range(2)]
        assert forged == [b"no sum", b"sum"]
        settings.RATELIMIT_TRUSTED_PROXIES = 1
        forged_behind_proxy = post("127.0.0.1", HTTP_X_FORWARDED_FOR=f"{DESK}, {OUTSIDE}")
        assert not ratelimit.in_office_network(forged_behind_proxy)
        real_desk_behind_proxy = post("127.0.0.1", HTTP_X_FORWARDED_FOR=DESK)
        assert ratelimit.in_office_network(real_desk_behind_proxy)


@pytest.mark.django_db
def test_a_ptsp_desk_files_a_mornings_complaints_without_the_sum(org, settings, tmp_path):
    """With the default limits and no office network configured, one desk
    address files 20 complaints in its busiest hour, each sent twice (the
    first time with a mistake to correct), and is never asked the sum."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    settings.OFFICE_NETWORKS = []
    assert (settings.DUMAS_RATE_SOFT_LIMIT, settings.DUMAS_RATE_LIMIT) == (40, 60)
    desk = Client(REMOTE_ADDR=f"198.18.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250 + 1}")
    url = reverse("dumas:create", kwargs={"slug": org.kua_bangil.slug})
    with time_machine.travel("2025-07-01 08:00 +0700", tick=False) as traveller:
        for number in range(20):
            page = desk.get(url).content.decode()
            assert "Berapa hasil" not in page, f"visitor {number + 1} was asked the sum"
            traveller.shift(60)
            mistake = desk.post(url, {**complaint_data(subject=""), **guard_fields(page)})
            assert mistake.status_code == 200
            page = mistake.content.decode()
            assert "Berapa hasil" not in page, f"visitor {number + 1} was asked the sum after a correction"
            traveller.shift(30)
            sent = desk.post(url, {**complaint_data(subject=f"Antrean {number}"), **guard_fields(page)})
            assert sent.status_code == 302, f"visitor {number + 1} could not file"
    assert Complaint.objects.count() == 20


def check_with(tmp_path, value):
    env = production_env(tmp_path, OFFICE_NETWORKS=value)
    return subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("10.0.0.0/8,kantor-pusat", "OFFICE_NETWORKS: 'kantor-pusat' bukan alamat atau jaringan IP"),
        ("192.168.1.5/24", "(maksudnya 192.168.1.0/24?)"),
    ],
)
def test_an_office_network_that_is_not_a_network_stops_start_up(tmp_path, value, message):
    result = check_with(tmp_path, value)
    assert result.returncode != 0
    assert message in result.stderr


def test_office_networks_are_read_from_the_environment(tmp_path):
    env = production_env(tmp_path, OFFICE_NETWORKS=" 10.0.0.0/8, 203.0.113.9 ,2001:db8:7::/48")
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; "
            "print(settings.OFFICE_NETWORKS)",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "['10.0.0.0/8', '203.0.113.9/32', '2001:db8:7::/48']"


def test_the_project_default_is_no_office_network():
    assert settings.OFFICE_NETWORKS == []
